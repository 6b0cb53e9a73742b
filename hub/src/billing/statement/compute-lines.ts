import type { OccupancyTariff, RateConcept, StatementLine, UnpricedUsage } from '../billing.contract.js';
import { isTimeUnit, type LineAmount, priceCount, priceFixed, priceTime } from './compute-line-amount.js';
import { describeDimensions, matchConcept } from './compute-matching.js';
import { type BandGroup, describeBand, groupAgentDaysByBand, occupancyIndex, sortedBands } from './compute-occupancy.js';
import type { AgentDayOccupancy, AgentDayTime, StatementInput, UsageTotal } from './statement-input.js';
import { count, num } from './statement-math.js';

/**
 * Statement lines (issue 10 items 3, 4, 5-pricing, 8): usage totals → concepts (most specific
 * selector), summed per concept and usage month, floored once per concept, month and occupancy
 * band; late usage of closed months → one `adjustment` line per concept and month; fixed concepts
 * → one `fixed` line. Usage no concept selects → `unpriced`.
 */

interface Sum {
  durationMs: number;
  items: number;
  weightedPct: number;
  factCount: number;
  totals: number;
}

interface Group {
  readonly conceptIndex: number;
  readonly usageMonth: string;
  sum: Sum;
  agentDays: AgentDayTime[];
}

interface SortableLine {
  readonly conceptIndex: number;
  readonly minPct: number;
  readonly line: StatementLine;
}

export interface LinesResult {
  readonly lines: StatementLine[];
  readonly unpriced: UnpricedUsage[];
}

function emptySum(): Sum {
  return { durationMs: 0, items: 0, weightedPct: 0, factCount: 0, totals: 0 };
}

function assertNotLater(usageMonth: string, month: string): void {
  if (usageMonth > month) {
    throw new RangeError(
      `Uso del mes ${usageMonth}, posterior al estado de cuenta de ${month} / usage month ${usageMonth} is after the statement month ${month}`,
    );
  }
}

function groupOf(groups: Map<string, Group>, conceptIndex: number, usageMonth: string): Group {
  const key = `${String(conceptIndex).padStart(6, '0')}|${usageMonth}`;
  let group = groups.get(key);
  if (!group) {
    group = { conceptIndex, usageMonth, sum: emptySum(), agentDays: [] };
    groups.set(key, group);
  }
  return group;
}

function addUnpriced(unpriced: Map<string, UnpricedUsage>, total: UsageTotal): void {
  const description = describeDimensions(total);
  const key = `${total.usageMonth}|${total.meter}|${description}`;
  const isTime = total.meter === 'agent_time' || total.meter === 'interaction_time' || total.meter === 'ivr_time';
  const prev = unpriced.get(key);
  const exactSeconds = isTime ? total.durationMs / 1000 + (prev?.exactSeconds ?? 0) : null;
  unpriced.set(key, {
    meter: total.meter,
    description: `${description} (ningún concepto de la tarifa lo selecciona; se muestra y no se cobra)`,
    usageMonth: total.usageMonth,
    exactSeconds,
    items: total.items + (prev?.items ?? 0),
    factCount: total.factCount + (prev?.factCount ?? 0),
  });
}

function prefix(kind: StatementLine['kind'], usageMonth: string, factCount: number, totals: number): string {
  if (kind === 'adjustment') {
    return `Ajuste de ${usageMonth} · uso tardío de un mes ya cerrado, redondeado por separado (${count(factCount, 'hecho', 'hechos')}) · `;
  }
  return `Uso de ${usageMonth}: ${count(totals, 'total', 'totales')} de uso, ${count(factCount, 'hecho', 'hechos')} · `;
}

function makeLine(
  concept: RateConcept,
  kind: StatementLine['kind'],
  usageMonth: string,
  amount: LineAmount,
  factCount: number,
  tariffPct: number,
  trace: string,
): StatementLine {
  return {
    kind,
    conceptCode: concept.code,
    name: kind === 'adjustment' ? `Ajuste de ${usageMonth} · ${concept.name}` : concept.name,
    unit: concept.unit,
    usageMonth,
    quantity: amount.quantity,
    exactSeconds: amount.exactSeconds,
    remainderSeconds: amount.remainderSeconds,
    factCount,
    unitPriceCents: concept.unitPriceCents,
    tariffPct,
    amountCents: amount.amountCents,
    trace,
  };
}

/** One line per occupancy band; time without agent-day breakdown goes to the lowest band. */
function occupancyLines(
  tariff: OccupancyTariff,
  occupancy: Map<string, AgentDayOccupancy>,
  concept: RateConcept,
  group: Group,
  kind: StatementLine['kind'],
  index: number,
): SortableLine[] {
  const bands = sortedBands(tariff);
  const bandGroups = groupAgentDaysByBand(group.agentDays, occupancy, tariff, bands);
  const dayMs = group.agentDays.reduce((sum, day) => sum + day.durationMs, 0);
  const dayFacts = group.agentDays.reduce((sum, day) => sum + day.factCount, 0);
  const residualMs = group.sum.durationMs - dayMs;
  const lowest = bands.length - 1;
  if (residualMs > 0) {
    const low: BandGroup = bandGroups.get(lowest) ?? { bandIndex: lowest, durationMs: 0, factCount: 0, agentDays: 0, agentDaysWithoutData: 0 };
    low.durationMs += residualMs;
    low.factCount += Math.max(0, group.sum.factCount - dayFacts);
    bandGroups.set(lowest, low);
  }
  const warning =
    residualMs < 0
      ? ` · Aviso: Σ agentes-día (${num(dayMs / 1000)} s) excede Σ de hechos agent_time del concepto (${num(group.sum.durationMs / 1000)} s); se factura por agentes-día`
      : '';
  return [...bandGroups.values()].map((bandGroup) => {
    const band = bands[bandGroup.bandIndex] ?? { minPct: 0, tariffPct: 100 };
    const amount = priceTime(concept.unit, bandGroup.durationMs, concept.unitPriceCents, band.tariffPct);
    const withoutData = bandGroup.agentDaysWithoutData > 0 ? `, ${num(bandGroup.agentDaysWithoutData, 0)} de ellos sin datos de ocupación (se toman como 0 %)` : '';
    const residual =
      bandGroup.bandIndex === lowest && residualMs > 0
        ? `; más ${num(residualMs / 1000)} s de agent_time sin desglose por agente-día (sin evidencia de ocupación → banda más baja)`
        : '';
    const trace =
      prefix(kind, group.usageMonth, bandGroup.factCount, group.sum.totals) +
      `Tarifa por ocupación (${tariff.formula === 'chat' ? `chat, n = ${tariff.sessions}` : 'telefonía'}), banda ${describeBand(bands, bandGroup.bandIndex)} → ` +
      `tarifa ${num(band.tariffPct, 2)} %: ${count(bandGroup.agentDays, 'agente-día', 'agentes-día')}${withoutData}${residual} · ${amount.arithmetic}${warning}`;
    return { conceptIndex: index, minPct: band.minPct, line: makeLine(concept, kind, group.usageMonth, amount, bandGroup.factCount, band.tariffPct, trace) };
  });
}

function plainLine(concept: RateConcept, group: Group, kind: StatementLine['kind'], index: number): SortableLine {
  const time = isTimeUnit(concept.unit);
  const amount = time
    ? priceTime(concept.unit, group.sum.durationMs, concept.unitPriceCents, 100)
    : priceCount(group.sum.weightedPct, group.sum.items, concept.unitPriceCents);
  const factCount = time ? group.sum.factCount : group.sum.items;
  const trace = prefix(kind, group.usageMonth, group.sum.factCount, group.sum.totals) + amount.arithmetic;
  return { conceptIndex: index, minPct: 0, line: makeLine(concept, kind, group.usageMonth, amount, factCount, 100, trace) };
}

export function computeLines(input: StatementInput): LinesResult {
  const card = input.rateCard.card;
  const concepts = card.concepts;
  const groups = new Map<string, Group>();
  const unpriced = new Map<string, UnpricedUsage>();

  for (const total of input.usage) {
    assertNotLater(total.usageMonth, input.month);
    const index = matchConcept(concepts, total);
    if (index === null) {
      addUnpriced(unpriced, total);
      continue;
    }
    const sum = groupOf(groups, index, total.usageMonth).sum;
    sum.durationMs += total.durationMs;
    sum.items += total.items;
    sum.weightedPct += total.weightedPct;
    sum.factCount += total.factCount;
    sum.totals += 1;
  }

  // Agent-days share a handful of dimension sets: match each set once.
  const matched = new Map<string, number | null>();
  const matchDay = (day: AgentDayTime): number | null => {
    const dims = { meter: 'agent_time' as const, seatType: day.seatType, tier: day.tier, channelClass: day.channelClass, channelKind: day.channelKind ?? null, direction: day.direction ?? null };
    const key = `${dims.seatType}|${dims.tier}|${dims.channelClass}|${dims.channelKind}|${dims.direction}`;
    if (!matched.has(key)) matched.set(key, matchConcept(concepts, dims));
    return matched.get(key) ?? null;
  };

  const tariff = card.occupancyTariff;
  const occupancyCodes = new Set(tariff.enabled ? tariff.conceptCodes : []);
  const usesOccupancy = (concept: RateConcept): boolean => occupancyCodes.has(concept.code) && isTimeUnit(concept.unit);
  for (const day of input.agentDays) {
    const index = matchDay(day);
    const concept = index === null ? undefined : concepts[index];
    if (index === null || !concept || !usesOccupancy(concept)) continue;
    assertNotLater(day.usageMonth, input.month);
    groupOf(groups, index, day.usageMonth).agentDays.push(day);
  }

  const occupancy = occupancyIndex(input.occupancy);
  const sortable: SortableLine[] = [];
  for (const group of groups.values()) {
    const concept = concepts[group.conceptIndex];
    if (!concept) continue;
    const kind = group.usageMonth < input.month ? 'adjustment' : 'usage';
    if (usesOccupancy(concept)) sortable.push(...occupancyLines(tariff, occupancy, concept, group, kind, group.conceptIndex));
    else sortable.push(plainLine(concept, group, kind, group.conceptIndex));
  }
  concepts.forEach((concept, index) => {
    if (concept.usage !== null || concept.fixedQuantity === undefined) return;
    const amount = priceFixed(concept.fixedQuantity, concept.unitPriceCents);
    const trace = `Cuota fija de ${input.month} (sin hechos de uso) · ${amount.arithmetic}`;
    sortable.push({ conceptIndex: index, minPct: 0, line: makeLine(concept, 'fixed', input.month, amount, 0, 100, trace) });
  });

  sortable.sort(
    (a, b) =>
      a.conceptIndex - b.conceptIndex ||
      (a.line.usageMonth < b.line.usageMonth ? -1 : a.line.usageMonth > b.line.usageMonth ? 1 : 0) ||
      b.line.tariffPct - a.line.tariffPct ||
      b.minPct - a.minPct,
  );
  const unpricedList = [...unpriced.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
  return { lines: sortable.map((entry) => entry.line), unpriced: unpricedList };
}
