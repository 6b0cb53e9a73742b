import { describe, expect, it } from 'vitest';
import { icTranslator } from './ic-i18n.js';
import { icEn } from './ic-messages.en.js';
import { icEsMX, type IcMessageKey } from './ic-messages.es-mx.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('intent console catalogues', () => {
  it('have the same keys and placeholders in es-MX and en, none empty', () => {
    expect(Object.keys(icEn).sort()).toEqual(Object.keys(icEsMX).sort());
    for (const key of Object.keys(icEsMX) as IcMessageKey[]) {
      expect(icEsMX[key].trim(), key).not.toBe('');
      expect(icEn[key].trim(), key).not.toBe('');
      expect(placeholders(icEn[key]), key).toEqual(placeholders(icEsMX[key]));
    }
  });

  it('word every model status, test issue and answer source the hub reports', () => {
    for (const status of ['draft', 'production', 'archived']) expect(Object.keys(icEsMX)).toContain(`ic.status.${status}`);
    for (const issue of ['empty', 'too_long', 'no_words']) expect(Object.keys(icEsMX)).toContain(`tb.issue.${issue}`);
    for (const by of ['intent', 'flow', 'kb', 'fallback', 'handoff']) expect(Object.keys(icEsMX)).toContain(`tb.answeredBy.${by}`);
  });

  it('say the training summary the way the trainer reads it', () => {
    expect(icTranslator('es-MX')('ver.trained', { duration: '1.8 s', accuracy: '93.4 %' })).toBe('Entrenado en 1.8 s · precisión validada 93.4 %');
    expect(icTranslator('en')('ver.trained', { duration: '1.8 s', accuracy: '93.4 %' })).toBe('Trained in 1.8 s · cross-validated accuracy 93.4 %');
  });
});
