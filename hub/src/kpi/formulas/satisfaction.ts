import { type KpiResult, ratioResult } from './kpi-result.js';

/** One survey: { questionId: true (sí) | false (no) }; unanswered questions are absent or null. */
export type SurveyYesNoAnswers = Readonly<Record<string, boolean | null | undefined>>;

/** The T&C survey has twelve yes/no questions (L10225–L10226). */
export const CONTRACT_SURVEY_QUESTIONS = 12;

export interface SatisfactionResult {
  readonly overall: KpiResult;
  /** DyC computes the figure "para cada pregunta" too (L7893). */
  readonly byQuestion: Readonly<Record<string, KpiResult>>;
}

/**
 * Satisfaction = respuestas afirmativas / (afirmativas + negativas) × 100 over every answered
 * question of every survey (T&C L10225–L10226). Each "sí" is the satisfied answer (the hub's
 * survey settings phrase questions that way). Unanswered questions count in neither term.
 */
export function satisfaction(surveys: readonly SurveyYesNoAnswers[]): SatisfactionResult {
  const perQuestion = new Map<string, { yes: number; no: number }>();
  for (const survey of surveys) {
    for (const [question, answer] of Object.entries(survey)) {
      if (answer === null || answer === undefined) continue;
      const tally = perQuestion.get(question) ?? { yes: 0, no: 0 };
      if (answer) tally.yes += 1;
      else tally.no += 1;
      perQuestion.set(question, tally);
    }
  }
  let yes = 0;
  let no = 0;
  const byQuestion: Record<string, KpiResult> = {};
  for (const [question, tally] of [...perQuestion.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    yes += tally.yes;
    no += tally.no;
    byQuestion[question] = yesNoResult(tally.yes, tally.no, { surveys: surveys.length });
  }
  return { overall: yesNoResult(yes, no, { surveys: surveys.length, questions: perQuestion.size }), byQuestion };
}

function yesNoResult(yes: number, no: number, extra: Readonly<Record<string, number>>): KpiResult {
  return ratioResult({
    kpi: 'satisfaction',
    unit: 'percent',
    numerator: yes,
    denominator: yes + no,
    scale: 100,
    formula: 'respuestas afirmativas / (afirmativas + negativas) × 100',
    seedRef: 'S003 T&C L10225–L10226; DyC L7893',
    inputs: { yes, no, ...extra },
    arithmetic: `${yes} / (${yes} + ${no})`,
  });
}
