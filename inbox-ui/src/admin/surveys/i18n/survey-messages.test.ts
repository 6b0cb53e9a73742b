import { describe, expect, it } from 'vitest';
import type { SurveyTier } from '../../../../../hub/src/surveys/served-agents.query.js';
import { surveyTranslator } from './survey-i18n.js';
import { surveyEn } from './survey-messages.en.js';
import { surveyEsMX, type SurveyMessageKey } from './survey-messages.es-mx.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('exit-survey section catalogues', () => {
  it('have the same keys and placeholders in es-MX and en, none empty', () => {
    expect(Object.keys(surveyEn).sort()).toEqual(Object.keys(surveyEsMX).sort());
    for (const key of Object.keys(surveyEsMX) as SurveyMessageKey[]) {
      expect(surveyEsMX[key].trim(), key).not.toBe('');
      expect(surveyEn[key].trim(), key).not.toBe('');
      expect(placeholders(surveyEn[key]), key).toEqual(placeholders(surveyEsMX[key]));
    }
  });

  it('name both tiers the hub reports', () => {
    const tiers: Record<SurveyTier, true> = { 'PS-I': true, 'PS-P': true };
    for (const tier of Object.keys(tiers)) expect(Object.keys(surveyEsMX)).toContain(`sv.tier.${tier}`);
  });

  it('show the contract’s satisfaction formula and target', () => {
    expect(surveyTranslator('es-MX')('sv.formula', { target: 85 })).toBe('sí ÷ (sí + no) × 100; meta 85 %');
    expect(surveyTranslator('en')('sv.formula', { target: 85 })).toBe('yes ÷ (yes + no) × 100; target 85 %');
  });
});
