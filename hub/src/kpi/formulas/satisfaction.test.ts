import { describe, expect, it } from 'vitest';
import { CONTRACT_SURVEY_QUESTIONS, satisfaction, type SurveyYesNoAnswers } from './satisfaction.js';

const twelve = (yesCount: number): SurveyYesNoAnswers =>
  Object.fromEntries(Array.from({ length: CONTRACT_SURVEY_QUESTIONS }, (_, i) => [`p${String(i + 1).padStart(2, '0')}`, i < yesCount]));

describe('satisfaction: yes / (yes + no) over the 12 yes/no questions (L10225–L10226)', () => {
  it('pools every answered question of every survey', () => {
    // survey A: 12 yes; survey B: 9 yes, 3 no → 21 / 24 × 100 = 87.5 %
    const result = satisfaction([twelve(12), twelve(9)]);
    expect(result.overall.value).toBe(87.5);
    expect(result.overall).toMatchObject({ numerator: 21, denominator: 24 });
    expect(result.overall.inputs).toMatchObject({ yes: 21, no: 3, surveys: 2, questions: 12 });
  });

  it('reports each question too (DyC "para cada pregunta")', () => {
    const result = satisfaction([twelve(12), twelve(9)]);
    expect(result.byQuestion.p01?.value).toBe(100); // 2 / 2
    expect(result.byQuestion.p10?.value).toBe(50); // 1 / 2
    expect(Object.keys(result.byQuestion)).toHaveLength(12);
  });

  it('ignores unanswered questions', () => {
    // 1 yes, 1 no, 1 skipped → 1 / 2 = 50 %
    expect(satisfaction([{ p01: true, p02: false, p03: null }]).overall.value).toBe(50);
  });

  it('is sin tráfico without answers', () => {
    expect(satisfaction([]).overall.status).toBe('sin_trafico');
    expect(satisfaction([{ p01: null }]).overall.value).toBeNull();
  });
});
