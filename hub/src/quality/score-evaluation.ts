import type { EvaluationAnswer, ScorecardItem } from '../db/schema-quality.js';

export type ScoreProblem = { kind: 'missing'; itemId: string } | { kind: 'unknown'; itemId: string };

export interface ScoredEvaluation {
  /** 0–100 with two decimals. */
  readonly score: number;
  /** Points of the met items before the critical rule. */
  readonly pointsMet: number;
  /** Critical items answered «not met»; a single one scores the evaluation 0. */
  readonly criticalFailed: readonly string[];
}

/** What is wrong with the answers against the scorecard: every item answered once, nothing else. */
export function answerProblems(items: readonly ScorecardItem[], answers: Readonly<Record<string, EvaluationAnswer>>): ScoreProblem[] {
  const ids = new Set(items.map((i) => i.id));
  const problems: ScoreProblem[] = items.filter((i) => answers[i.id] === undefined).map((i) => ({ kind: 'missing', itemId: i.id }));
  for (const id of Object.keys(answers)) if (!ids.has(id)) problems.push({ kind: 'unknown', itemId: id });
  return problems;
}

/**
 * Score = Σ weights of the met items; a critical item not met → 0 (issue 9 item 8). Sums in
 * hundredths so 33.33 + 33.33 + 33.34 is exactly 100. Throws on incomplete answers: a partial
 * evaluation must never be stored as a low score.
 */
export function scoreEvaluation(items: readonly ScorecardItem[], answers: Readonly<Record<string, EvaluationAnswer>>): ScoredEvaluation {
  const problems = answerProblems(items, answers);
  if (problems.length > 0) throw new RangeError(`answers do not match the scorecard: ${problems.map((p) => `${p.kind} ${p.itemId}`).join(', ')}`);
  let cents = 0;
  const criticalFailed: string[] = [];
  for (const item of items) {
    if (answers[item.id]?.met === true) cents += Math.round(item.weight * 100);
    else if (item.critical) criticalFailed.push(item.id);
  }
  const pointsMet = cents / 100;
  return { score: criticalFailed.length > 0 ? 0 : pointsMet, pointsMet, criticalFailed };
}
