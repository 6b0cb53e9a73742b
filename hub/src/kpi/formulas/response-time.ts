import { assertCounts, type KpiResult, ratioResult } from './kpi-result.js';

export const THIRTEEN_HOURS_MS = 13 * 3_600_000;

export interface ResponseWithinLimitInput {
  /** E-mails / chats received inside the service window in the period. */
  readonly received: number;
  /** Of those, first answered by an agent within the limit. */
  readonly attendedWithinLimit: number;
  readonly limitMs?: number;
}

/**
 * Response within limit = [(atendidos − atendidos después del tiempo establecido) / recibidos]
 * × 100 (T&C L10233 formula, L10234 target: "95 % … atendidos en 13 horas naturales"; §13 L10123). The divisor is
 * *received*: an unanswered item counts against the figure.
 */
export function responseWithinLimit(input: ResponseWithinLimitInput): KpiResult {
  const limitMs = input.limitMs ?? THIRTEEN_HOURS_MS;
  assertCounts({ received: input.received, attendedWithinLimit: input.attendedWithinLimit, limitMs });
  if (input.attendedWithinLimit > input.received) throw new RangeError('attendedWithinLimit exceeds received');
  return ratioResult({
    kpi: 'response_within_limit',
    unit: 'percent',
    numerator: input.attendedWithinLimit,
    denominator: input.received,
    scale: 100,
    formula: `(atendidos − atendidos después de ${limitMs / 3_600_000} h naturales) / recibidos × 100`,
    seedRef: 'S003 T&C L10233–L10234, L10123',
    inputs: { received: input.received, attendedWithinLimit: input.attendedWithinLimit, limitMs },
    arithmetic: `${input.attendedWithinLimit} / ${input.received}`,
  });
}

export interface ReceivedItem {
  readonly receivedAtMs: number;
  readonly firstAnsweredAtMs: number | null;
}

export interface ResponseTally {
  readonly received: number;
  readonly attendedWithinLimit: number;
  readonly attendedLate: number;
  readonly unanswered: number;
  /** Unanswered but still inside their limit at `asOfMs`: not yet measurable, left out. */
  readonly pending: number;
}

/**
 * Counts items against their limit. `limitFor` lets a campaign use DyC's 13 h Mon–Fri and 19 h on
 * weekends and holidays (L7738–L7741); default 13 natural hours for every item.
 */
export function tallyResponses(
  items: readonly ReceivedItem[],
  asOfMs: number,
  limitFor: (receivedAtMs: number) => number = () => THIRTEEN_HOURS_MS,
): ResponseTally {
  let within = 0;
  let late = 0;
  let unanswered = 0;
  let pending = 0;
  for (const item of items) {
    const deadline = item.receivedAtMs + limitFor(item.receivedAtMs);
    if (item.firstAnsweredAtMs !== null && item.firstAnsweredAtMs <= asOfMs) {
      if (item.firstAnsweredAtMs <= deadline) within += 1;
      else late += 1;
    } else if (asOfMs < deadline) pending += 1;
    else unanswered += 1;
  }
  return { received: within + late + unanswered, attendedWithinLimit: within, attendedLate: late, unanswered, pending };
}
