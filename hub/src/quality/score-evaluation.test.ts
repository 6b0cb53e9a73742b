import { describe, expect, it } from 'vitest';
import type { ScorecardItem } from '../db/schema-quality.js';
import { DEFAULT_SCORECARD_ITEMS, scorecardItemsSchema } from './scorecard.schema.js';
import { answerProblems, scoreEvaluation } from './score-evaluation.js';

const allMet = (items: readonly ScorecardItem[]) => Object.fromEntries(items.map((i) => [i.id, { met: true }]));

describe('scoreEvaluation', () => {
  it('sums the weights of the met items', () => {
    const answers = { ...allMet(DEFAULT_SCORECARD_ITEMS), saludo_institucional: { met: false }, cortesia: { met: false, comment: 'tono seco' } };
    // 100 − 10 (saludo) − 10 (cortesía) = 80
    expect(scoreEvaluation(DEFAULT_SCORECARD_ITEMS, answers)).toEqual({ score: 80, pointsMet: 80, criticalFailed: [] });
    expect(scoreEvaluation(DEFAULT_SCORECARD_ITEMS, allMet(DEFAULT_SCORECARD_ITEMS)).score).toBe(100);
  });

  it('scores 0 when any critical item is not met, whatever else was met', () => {
    const answers = { ...allMet(DEFAULT_SCORECARD_ITEMS), informacion_correcta: { met: false } };
    expect(scoreEvaluation(DEFAULT_SCORECARD_ITEMS, answers)).toEqual({ score: 0, pointsMet: 75, criticalFailed: ['informacion_correcta'] });
    const both = { ...answers, datos_personales: { met: false } };
    expect(scoreEvaluation(DEFAULT_SCORECARD_ITEMS, both).criticalFailed).toEqual(['informacion_correcta', 'datos_personales']);
  });

  it('adds in hundredths: 33.33 + 33.33 + 33.34 is exactly 100', () => {
    const items: ScorecardItem[] = [
      { id: 'a', label: 'A', weight: 33.33, critical: false },
      { id: 'b', label: 'B', weight: 33.33, critical: false },
      { id: 'c', label: 'C', weight: 33.34, critical: false },
    ];
    expect(scoreEvaluation(items, allMet(items)).score).toBe(100);
    expect(scoreEvaluation(items, { a: { met: true }, b: { met: false }, c: { met: true } }).score).toBe(66.67);
  });

  it('refuses incomplete or foreign answers instead of storing a low score', () => {
    const partial = { saludo_institucional: { met: true } };
    expect(answerProblems(DEFAULT_SCORECARD_ITEMS, { ...allMet(DEFAULT_SCORECARD_ITEMS), inventado: { met: true } })).toEqual([{ kind: 'unknown', itemId: 'inventado' }]);
    expect(answerProblems(DEFAULT_SCORECARD_ITEMS, partial)).toHaveLength(DEFAULT_SCORECARD_ITEMS.length - 1);
    expect(() => scoreEvaluation(DEFAULT_SCORECARD_ITEMS, partial)).toThrow(RangeError);
  });
});

describe('scorecard items', () => {
  it('accepts the default scorecard: weights sum to 100, two critical items', () => {
    expect(scorecardItemsSchema.safeParse(DEFAULT_SCORECARD_ITEMS).success).toBe(true);
    expect(DEFAULT_SCORECARD_ITEMS.filter((i) => i.critical).map((i) => i.id)).toEqual(['informacion_correcta', 'datos_personales']);
  });

  it('explains in Spanish first when weights do not sum to 100, keys repeat or have three decimals', () => {
    const off = scorecardItemsSchema.safeParse([{ id: 'a', label: 'A', weight: 60, critical: false }, { id: 'b', label: 'B', weight: 30, critical: false }]);
    expect(off.success).toBe(false);
    expect(off.error?.issues[0]?.message).toBe('Los pesos deben sumar 100; suman 90.00 / weights must sum to 100, they sum to 90.00');
    const dup = scorecardItemsSchema.safeParse([{ id: 'a', label: 'A', weight: 50, critical: false }, { id: 'a', label: 'B', weight: 50, critical: false }]);
    expect(dup.error?.issues.map((i) => i.message)).toContain('Clave repetida «a» / duplicate key "a"');
    expect(scorecardItemsSchema.safeParse([{ id: 'a', label: 'A', weight: 99.995, critical: false }, { id: 'b', label: 'B', weight: 0.005, critical: false }]).success).toBe(false);
    // A critical gate may weigh 0; a non-critical item may not.
    expect(scorecardItemsSchema.safeParse([{ id: 'a', label: 'A', weight: 100, critical: false }, { id: 'gate', label: 'G', weight: 0, critical: true }]).success).toBe(true);
    expect(scorecardItemsSchema.safeParse([{ id: 'a', label: 'A', weight: 100, critical: false }, { id: 'z', label: 'Z', weight: 0, critical: false }]).success).toBe(false);
  });
});
