import { type ExcludedInteraction, type Statement, USAGE_METERS } from '../billing.contract.js';
import { computeConsumption } from './compute-consumption.js';
import { computeDeductions } from './compute-deductions.js';
import { computeInputsHash } from './compute-inputs-hash.js';
import { computeLines } from './compute-lines.js';
import type { StatementInput } from './statement-input.js';
import { roundHalfUpCents } from './statement-math.js';

/**
 * The monthly statement of a campaign (issue 10 items 3–8; seed-digest §5.3–§5.5, §6.1), pure:
 * no clock, no database, no randomness — the same input (in any order) gives the same statement,
 * `inputsHash` included. `buildStatement` loads the input; the exports render the result.
 *
 * subtotal = Σ line amounts; taxable = max(0, subtotal − applied deductions − applied penalties);
 * IVA = round half up(taxable × ivaPct / 100); total = taxable + IVA.
 */
export function computeStatement(input: StatementInput): Statement {
  const card = input.rateCard.card;
  const { lines, unpriced } = computeLines(input);
  const { deductions, penalties, deductionsCents, penaltiesCents } = computeDeductions(input, lines);
  const subtotalCents = lines.reduce((sum, line) => sum + line.amountCents, 0);
  const taxableCents = Math.max(0, subtotalCents - deductionsCents - penaltiesCents);
  const ivaCents = roundHalfUpCents((taxableCents * card.ivaPct) / 100);
  return {
    campaignId: input.campaignId,
    month: input.month,
    status: input.status,
    timeZone: input.timeZone,
    rateCard: { id: input.rateCard.id, version: input.rateCard.version },
    currency: card.currency,
    lines,
    subtotalCents,
    deductions,
    penalties,
    deductionsCents,
    penaltiesCents,
    taxableCents,
    ivaPct: card.ivaPct,
    ivaCents,
    totalCents: taxableCents + ivaCents,
    consumption: computeConsumption(input, lines),
    excluded: sortExcluded(input.excluded),
    unpriced,
    inputsHash: computeInputsHash(input),
  };
}

function text(value: string | null): string {
  return value ?? '';
}

/** Excluded interactions by folio, conversation, call, problem; each one's meters in catalogue order. */
export function sortExcluded(list: readonly ExcludedInteraction[]): ExcludedInteraction[] {
  const key = (e: ExcludedInteraction): string => JSON.stringify([text(e.folio), text(e.conversationId), text(e.callSid), e.problem, e.seconds, e.items, e.meters]);
  return list
    .map((e) => ({ ...e, meters: [...e.meters].sort((a, b) => USAGE_METERS.indexOf(a) - USAGE_METERS.indexOf(b)) }))
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}
