import { performance } from 'node:perf_hooks';
import { summarize, type LatencySummary } from '../ingest/stats.js';

export interface ClassifyFigures {
  count: number;
  wallMs: number;
  perSecond: number;
  latencyMs: LatencySummary;
  /** Utterances whose answer equalled the expected intent (null: no expectation given). */
  correct: number | null;
}

type Answer = (utterance: string) => Promise<string | null>;

/**
 * Classifies each utterance in turn on this one thread (one await at a time, as the engine does
 * for a turn) and times each call. `answer` returns the intent the classifier settled on.
 */
export async function timeClassifications(items: { utterance: string; intent?: string }[], answer: Answer): Promise<ClassifyFigures> {
  const [figures] = await timeInterleaved(items, [answer]);
  if (!figures) throw new Error('no figures');
  return figures;
}

/**
 * The same, for several classifiers taking turns on each utterance (a, b, c, then the next
 * utterance): a garbage collection or a neighbour's burst on the shared machine falls on all of
 * them alike, where timing one whole loop after the other would charge it to whichever ran then.
 * `wallMs` of each is the sum of its own calls.
 */
export async function timeInterleaved(items: { utterance: string; intent?: string }[], answers: Answer[]): Promise<ClassifyFigures[]> {
  const samples = answers.map(() => new Float64Array(items.length));
  const correct = answers.map(() => 0);
  let expected = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!item) continue;
    if (item.intent !== undefined) expected += 1;
    for (let k = 0; k < answers.length; k++) {
      const answer = answers[k];
      const own = samples[k];
      if (!answer || !own) continue;
      const t0 = performance.now();
      const intent = await answer(item.utterance);
      own[i] = performance.now() - t0;
      if (item.intent !== undefined && intent === item.intent) correct[k] = (correct[k] ?? 0) + 1;
    }
  }
  return samples.map((own, k) => {
    const wallMs = own.reduce((sum, v) => sum + v, 0);
    return { count: items.length, wallMs, perSecond: wallMs > 0 ? (items.length * 1000) / wallMs : NaN, latencyMs: summarize(own), correct: expected > 0 ? (correct[k] ?? 0) : null };
  });
}

export async function timed<T>(body: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await body();
  return { value, ms: performance.now() - t0 };
}
