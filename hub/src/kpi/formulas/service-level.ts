import { assertCounts, type KpiResult, ratioResult } from './kpi-result.js';

/**
 * The campaign chooses the denominator:
 * - `received`: "atendidos antes de 20 segundos / recibidos" (DyC L7881);
 * - `attended`: "[(atendidas − atendidas después de veinte segundos) / atendidas] × 100" (T&C L10213 row, formula L10233).
 */
export type ServiceLevelDenominator = 'received' | 'attended';

export interface ServiceLevelInput {
  /** Attended with wait ≤ threshold: the T&C counts as late only those "después de" 20 s. */
  readonly attendedWithinThreshold: number;
  readonly attended: number;
  /** Received net of short abandons (the same figure abandonment divides by). */
  readonly received: number;
  readonly thresholdMs: number;
  readonly denominator: ServiceLevelDenominator;
}

export function serviceLevel(input: ServiceLevelInput): KpiResult {
  assertCounts({ attendedWithinThreshold: input.attendedWithinThreshold, attended: input.attended, received: input.received, thresholdMs: input.thresholdMs });
  if (input.attendedWithinThreshold > input.attended) throw new RangeError('attendedWithinThreshold exceeds attended');
  if (input.attended > input.received) throw new RangeError('attended exceeds received');
  const byReceived = input.denominator === 'received';
  const denominator = byReceived ? input.received : input.attended;
  const seconds = input.thresholdMs / 1000;
  return ratioResult({
    kpi: 'service_level',
    unit: 'percent',
    numerator: input.attendedWithinThreshold,
    denominator,
    scale: 100,
    formula: byReceived
      ? `atendidas en ≤ ${seconds} s / recibidas × 100`
      : `(atendidas − atendidas después de ${seconds} s) / atendidas × 100`,
    seedRef: byReceived ? 'S003 DyC L7881' : 'S003 T&C L10213, L10233',
    inputs: {
      attendedWithinThreshold: input.attendedWithinThreshold,
      attended: input.attended,
      received: input.received,
      thresholdMs: input.thresholdMs,
    },
    arithmetic: byReceived
      ? `${input.attendedWithinThreshold} / ${input.received}`
      : `(${input.attended} − ${input.attended - input.attendedWithinThreshold}) / ${input.attended}`,
  });
}
