import type { DeductionLine, PenaltyLine, RateCard, StatementLine } from '../billing.contract.js';
import type { PenaltyInput, SlaDeductionInput, StatementInput } from './statement-input.js';
import { floorCents, num, pesos, roundHalfUpCents } from './statement-math.js';

/**
 * Deductions and penalties of the month (issue 10 item 6; seed-digest §5.4, §6.1).
 *
 * Order: SLA deductions sorted (evaluation id, concept, description, status, amount) so the same
 * inputs in another order give the same statement, then the bot's repeated wrong answers; then the
 * penalties sorted by id. Caps are applied in that order: each deduction is cut first by its
 * concept's cap (what is left of capPct % of the concept's amount on this statement), then by the
 * global cap (globalCapPct % of the contract's maximum amount without IVA, minus what earlier
 * months already applied); penalties have their own global cap of the same size. Caps are floored
 * to whole cents (a limit is never exceeded); the trace of each line says how much each cap cut.
 */

/** Each repeated wrong answer deducts the cost of 5 interactions (seed-digest §5.4, L2059). */
export const BOT_REPEATED_WRONG_INTERACTIONS = 5;

export interface DeductionsResult {
  readonly deductions: DeductionLine[];
  readonly penalties: PenaltyLine[];
  readonly deductionsCents: number;
  readonly penaltiesCents: number;
}

interface GlobalCap {
  readonly totalCents: number | null;
  readonly previousCents: number;
  leftCents: number;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortSlaDeductions(list: readonly SlaDeductionInput[]): SlaDeductionInput[] {
  return [...list].sort(
    (a, b) =>
      compareText(a.evaluationId ?? '', b.evaluationId ?? '') ||
      compareText(a.conceptCode ?? '', b.conceptCode ?? '') ||
      compareText(a.description, b.description) ||
      compareText(a.status, b.status) ||
      a.amountCents - b.amountCents,
  );
}

export function sortPenalties(list: readonly PenaltyInput[]): PenaltyInput[] {
  return [...list].sort((a, b) => compareText(a.id, b.id) || compareText(a.description, b.description) || a.units - b.units || a.amountPerUnitCents - b.amountPerUnitCents);
}

function globalCap(card: RateCard, maxCents: number | null, previousCents: number): GlobalCap {
  if (maxCents === null) return { totalCents: null, previousCents, leftCents: Number.POSITIVE_INFINITY };
  const totalCents = floorCents((card.globalCapPct * maxCents) / 100);
  return { totalCents, previousCents, leftCents: Math.max(0, totalCents - previousCents) };
}

/** Cuts `amount` to what is left of the global cap; returns the applied amount and the trace. */
function applyGlobal(cap: GlobalCap, amount: number, what: string, maxCents: number | null, pct: number): { applied: number; text: string } {
  if (cap.totalCents === null) return { applied: amount, text: `sin monto máximo del contrato: sin tope global de ${what}` };
  const left = cap.leftCents;
  const applied = Math.min(amount, left);
  cap.leftCents = left - applied;
  return {
    applied,
    text:
      `tope global de ${what}: ${num(pct, 2)} % de ${pesos(maxCents ?? 0)} = ${pesos(cap.totalCents)}, ` +
      `aplicado en meses anteriores ${pesos(cap.previousCents)}, disponible ${pesos(left)} → recorta ${pesos(amount - applied)}`,
  };
}

export function computeDeductions(input: StatementInput, lines: readonly StatementLine[]): DeductionsResult {
  const card = input.rateCard.card;
  const conceptAmount = new Map<string, number>();
  for (const line of lines) conceptAmount.set(line.conceptCode, (conceptAmount.get(line.conceptCode) ?? 0) + line.amountCents);
  const conceptCapLeft = new Map<string, number>();
  const deductionCap = globalCap(card, input.maxContractAmountCents, input.previouslyAppliedDeductionsCents);

  const applyCaps = (proposed: number, conceptCode: string | null): { applied: number; text: string } => {
    const parts: string[] = [];
    let applied = proposed;
    const concept = conceptCode === null ? undefined : card.concepts.find((c) => c.code === conceptCode);
    if (conceptCode === null) parts.push('sin concepto: sin tope por concepto');
    else if (!concept) parts.push(`el concepto ${conceptCode} no está en la tarifa: sin tope por concepto`);
    else if (concept.deductionCapPct === undefined) parts.push(`el concepto ${conceptCode} no tiene tope de deducción`);
    else {
      const amount = conceptAmount.get(concept.code) ?? 0;
      const capCents = floorCents((concept.deductionCapPct * amount) / 100);
      const left = conceptCapLeft.get(concept.code) ?? capCents;
      const after = Math.min(applied, left);
      parts.push(
        `tope del concepto ${concept.code}: ${num(concept.deductionCapPct, 2)} % de ${pesos(amount)} = ${pesos(capCents)}, ` +
          `disponible ${pesos(left)} → recorta ${pesos(applied - after)}`,
      );
      conceptCapLeft.set(concept.code, left - after);
      applied = after;
    }
    const global = applyGlobal(deductionCap, applied, 'deducciones', input.maxContractAmountCents, card.globalCapPct);
    parts.push(global.text);
    return { applied: global.applied, text: parts.join('; ') };
  };

  const deductions: DeductionLine[] = [];
  for (const sla of sortSlaDeductions(input.slaDeductions)) {
    const proposed = Math.max(0, sla.amountCents);
    const base = { source: 'sla' as const, description: sla.description, evaluationId: sla.evaluationId, status: sla.status, conceptCode: sla.conceptCode, proposedCents: proposed };
    if (sla.status !== 'validated') {
      const why = sla.status === 'proposed' ? 'propuesta por el motor de SLA, en espera de validación' : 'no evaluada';
      deductions.push({ ...base, appliedCents: 0, trace: `Deducción ${why}: ${pesos(proposed)} no se aplica hasta que un administrador la valide` });
      continue;
    }
    const capped = applyCaps(proposed, sla.conceptCode);
    deductions.push({ ...base, appliedCents: capped.applied, trace: `Deducción validada ${pesos(proposed)}; ${capped.text} → aplicada ${pesos(capped.applied)}` });
  }

  if (input.botRepeatedWrong > 0) {
    const bot = card.concepts.find((concept) => concept.usage?.meter === 'bot_event');
    const description = `Agente virtual: ${num(input.botRepeatedWrong, 0)} respuestas erróneas repetidas (costo de ${BOT_REPEATED_WRONG_INTERACTIONS} interacciones cada una)`;
    const base = { source: 'bot_repeated_wrong' as const, description, evaluationId: null, status: 'validated' as const };
    if (!bot) {
      deductions.push({
        ...base,
        conceptCode: null,
        proposedCents: 0,
        appliedCents: 0,
        trace: 'La tarifa no tiene concepto de agente virtual (bot_event): sin precio por interacción, no hay deducción',
      });
    } else {
      const proposed = input.botRepeatedWrong * BOT_REPEATED_WRONG_INTERACTIONS * bot.unitPriceCents;
      const capped = applyCaps(proposed, bot.code);
      deductions.push({
        ...base,
        conceptCode: bot.code,
        proposedCents: proposed,
        appliedCents: capped.applied,
        trace:
          `${num(input.botRepeatedWrong, 0)} × ${BOT_REPEATED_WRONG_INTERACTIONS} × ${pesos(bot.unitPriceCents)} (${bot.code}) = ${pesos(proposed)}; ` +
          `${capped.text} → aplicada ${pesos(capped.applied)}`,
      });
    }
  }

  const penaltyCap = globalCap(card, input.maxContractAmountCents, input.previouslyAppliedPenaltiesCents);
  const unitName: Record<PenaltyInput['kind'], string> = { per_day: 'días', per_hour: 'horas', fixed: 'veces' };
  const penalties = sortPenalties(input.penalties).map((penalty): PenaltyLine => {
    const proposed = Math.max(0, roundHalfUpCents(penalty.units * penalty.amountPerUnitCents));
    const global = applyGlobal(penaltyCap, proposed, 'penalizaciones', input.maxContractAmountCents, card.globalCapPct);
    return {
      id: penalty.id,
      description: penalty.description,
      kind: penalty.kind,
      units: penalty.units,
      amountPerUnitCents: penalty.amountPerUnitCents,
      proposedCents: proposed,
      appliedCents: global.applied,
      trace: `${num(penalty.units, 4)} ${unitName[penalty.kind]} × ${pesos(penalty.amountPerUnitCents)} = ${pesos(proposed)}; ${global.text} → aplicada ${pesos(global.applied)}`,
    };
  });

  return {
    deductions,
    penalties,
    deductionsCents: deductions.reduce((sum, d) => sum + d.appliedCents, 0),
    penaltiesCents: penalties.reduce((sum, p) => sum + p.appliedCents, 0),
  };
}
