import { assertCounts, assertNonNegative, type KpiResult, ratioResult } from './kpi-result.js';

export interface AsaInput {
  /** Contacts answered by a human agent. */
  readonly answered: number;
  /** Σ (agent answer − queue entry) over those contacts; the clock starts when the IVR hands over. */
  readonly totalAnswerWaitMs: number;
}

/**
 * ASA = Σ espera hasta respuesta de agente humano / atendidas. The glossary defines it as the
 * average speed with which a user gets a human agent "una vez que ha sido llamado por el IVR"
 * (S003 L11400), so IVR time is not part of the wait. No answered contact → sin tráfico.
 */
export function averageSpeedOfAnswer(input: AsaInput): KpiResult {
  assertCounts({ answered: input.answered });
  assertNonNegative({ totalAnswerWaitMs: input.totalAnswerWaitMs });
  return ratioResult({
    kpi: 'asa',
    unit: 'ms',
    numerator: input.totalAnswerWaitMs,
    denominator: input.answered,
    scale: 1,
    formula: 'Σ tiempo de espera hasta respuesta del agente humano (después del IVR) / atendidas',
    seedRef: 'S003 L11400 (glosario ASA)',
    inputs: { totalAnswerWaitMs: input.totalAnswerWaitMs, answered: input.answered },
    arithmetic: `${input.totalAnswerWaitMs} ms / ${input.answered}`,
  });
}
