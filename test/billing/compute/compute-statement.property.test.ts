import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Statement } from '../../../hub/src/billing/billing.contract.js';
import { computeStatement } from '../../../hub/src/billing/statement/compute-statement.js';
import type { StatementInput, UsageTotal } from '../../../hub/src/billing/statement/statement-input.js';
import { agentDay, BANDS, CONCEPTS, occupancy, rateCard, statementInput, usage } from './statement-fixtures.js';

/** Dimension presets whose concept is known independently of the matcher (null = unpriced). */
const PRESETS: { dims: Partial<UsageTotal> & Pick<UsageTotal, 'meter'>; code: string | null }[] = [
  { dims: { meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice' }, code: 'ps_i_inbound' },
  { dims: { meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice', channelKind: 'twilio', tier: 2 }, code: 'ps_i_inbound' },
  { dims: { meter: 'agent_time', seatType: 'PS-P', channelClass: 'voice' }, code: 'ps_p' },
  { dims: { meter: 'ivr_time' }, code: 'ivr' },
  { dims: { meter: 'agent_time', channelClass: 'text', channelKind: 'webchat' }, code: 'chat' },
  { dims: { meter: 'agent_time', channelClass: 'text', channelKind: 'whatsapp' }, code: 'whatsapp' },
  { dims: { meter: 'email_outbound' }, code: 'email_outbound' },
  { dims: { meter: 'bot_event' }, code: 'bot_a' },
  { dims: { meter: 'voicemail' }, code: null },
  { dims: { meter: 'interaction_time', seatType: 'PS-I' }, code: null },
];
const MONTHS = ['2026-09', '2026-10', '2026-11'] as const;
const TIME_CODES = new Set(['ps_i_inbound', 'ps_p', 'ivr', 'chat', 'whatsapp']);

const usageArb = fc
  .record({
    preset: fc.integer({ min: 0, max: PRESETS.length - 1 }),
    month: fc.constantFrom(...MONTHS),
    durationMs: fc.integer({ min: 0, max: 5_000_000 }),
    items: fc.integer({ min: 0, max: 40 }),
    weightFraction: fc.integer({ min: 0, max: 100 }),
    factCount: fc.integer({ min: 1, max: 9 }),
  })
  .map((u) => {
    const preset = PRESETS[u.preset] ?? PRESETS[0];
    const time = preset?.dims.meter === 'agent_time' || preset?.dims.meter === 'ivr_time' || preset?.dims.meter === 'interaction_time';
    return {
      code: preset?.code ?? null,
      total: usage({
        meter: 'ivr_time',
        ...preset?.dims,
        usageMonth: u.month,
        durationMs: time ? u.durationMs : 0,
        items: time ? 0 : u.items,
        weightedPct: time ? 0 : u.items * u.weightFraction,
        factCount: u.factCount,
      }),
    };
  });

const agentDayArb = fc
  .record({
    agent: fc.constantFrom('a1', 'a2', 'a3'),
    day: fc.integer({ min: 1, max: 28 }),
    month: fc.constantFrom(...MONTHS),
    durationMs: fc.integer({ min: 0, max: 3_000_000 }),
  })
  .map((d) => agentDay(d.agent, `${d.month}-${String(d.day).padStart(2, '0')}`, d.durationMs, { usageMonth: d.month }));

const occupancyArb = fc
  .record({ agent: fc.constantFrom('a1', 'a2', 'a3'), day: fc.integer({ min: 1, max: 28 }), month: fc.constantFrom(...MONTHS), parts: fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 4, maxLength: 4 }) })
  .map((o) => occupancy(o.agent, `${o.month}-${String(o.day).padStart(2, '0')}`, o.parts[0] ?? 0, o.parts[1] ?? 0, o.parts[2] ?? 0, o.parts[3] ?? 0));

const slaArb = fc.record({
  evaluationId: fc.option(fc.constantFrom('e1', 'e2', 'e3', 'e4'), { nil: null }),
  status: fc.constantFrom('validated' as const, 'proposed' as const, 'not_evaluated' as const),
  amountCents: fc.integer({ min: 0, max: 400_000 }),
  description: fc.constantFrom('Abandono', 'Nivel de servicio'),
  conceptCode: fc.constantFrom(null, 'ps_i_inbound', 'ps_p', 'bot_a', 'nada'),
});

const penaltyArb = fc.record({
  id: fc.constantFrom('p1', 'p2', 'p3'),
  description: fc.constant('Reporte tardío'),
  kind: fc.constantFrom('per_day' as const, 'per_hour' as const, 'fixed' as const),
  units: fc.integer({ min: 0, max: 10 }),
  amountPerUnitCents: fc.integer({ min: 0, max: 200_000 }),
});

const inputArb = fc
  .record({
    usage: fc.array(usageArb, { maxLength: 25 }),
    occupancyOn: fc.boolean(),
    agentDays: fc.array(agentDayArb, { maxLength: 12 }),
    occupancy: fc.array(occupancyArb, { maxLength: 12 }),
    sla: fc.array(slaArb, { maxLength: 6 }),
    penalties: fc.array(penaltyArb, { maxLength: 4 }),
    max: fc.option(fc.integer({ min: 0, max: 3_000_000 }), { nil: null }),
    prevDeductions: fc.integer({ min: 0, max: 400_000 }),
    prevPenalties: fc.integer({ min: 0, max: 400_000 }),
    bot: fc.integer({ min: 0, max: 3 }),
    excluded: fc.array(
      fc.record({
        folio: fc.option(fc.constantFrom('F-1', 'F-2', 'F-3'), { nil: null }),
        conversationId: fc.option(fc.constantFrom('c-1', 'c-2'), { nil: null }),
        callSid: fc.option(fc.constantFrom('CA1', 'CA2'), { nil: null }),
        problem: fc.constantFrom('missing_recording', 'missing_transcript'),
        meters: fc.uniqueArray(fc.constantFrom('agent_time' as const, 'ivr_time' as const, 'email_outbound' as const), { maxLength: 3 }),
        seconds: fc.integer({ min: 0, max: 900 }),
        items: fc.integer({ min: 0, max: 3 }),
      }),
      { maxLength: 5 },
    ),
    history: fc.array(fc.record({ month: fc.constantFrom('2026-07', '2026-08', '2026-09', '2026-10'), conceptCode: fc.constantFrom('ps_p', 'chat', 'email_outbound'), quantity: fc.integer({ min: 0, max: 5000 }).map((q) => q / 4) }), { maxLength: 8 }),
  })
  .map((r) => ({
    codes: r.usage.map((u) => u.code),
    input: statementInput(
      {
        usage: r.usage.map((u) => u.total),
        agentDays: r.agentDays,
        occupancy: r.occupancy,
        slaDeductions: r.sla,
        penalties: r.penalties,
        maxContractAmountCents: r.max,
        previouslyAppliedDeductionsCents: r.prevDeductions,
        previouslyAppliedPenaltiesCents: r.prevPenalties,
        botRepeatedWrong: r.bot,
        history: r.history,
        excluded: r.excluded,
      },
      rateCard({ occupancyTariff: { enabled: r.occupancyOn, conceptCodes: ['ps_i_inbound'], formula: 'phone', sessions: 1, bands: BANDS } }),
    ),
  }));

/** Deterministic Fisher–Yates from a seed (mulberry32). */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...list];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function sumBy<T>(list: readonly T[], pick: (item: T) => number): number {
  return list.reduce((sum, item) => sum + pick(item), 0);
}

function capOf(input: StatementInput, previous: number): number {
  return input.maxContractAmountCents === null ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor((10 * input.maxContractAmountCents) / 100) - previous);
}

describe('statement properties', () => {
  it('lines sum to the subtotal; taxable = max(0, subtotal − deductions − penalties); total = taxable + IVA (16 %, half up)', () => {
    fc.assert(
      fc.property(inputArb, ({ input }) => {
        const s: Statement = computeStatement(input);
        expect(s.subtotalCents).toBe(sumBy(s.lines, (l) => l.amountCents));
        expect(s.deductionsCents).toBe(sumBy(s.deductions, (d) => d.appliedCents));
        expect(s.penaltiesCents).toBe(sumBy(s.penalties, (p) => p.appliedCents));
        expect(s.taxableCents).toBe(Math.max(0, s.subtotalCents - s.deductionsCents - s.penaltiesCents));
        // IVA within half a cent of taxable × 16 / 100 (integer arithmetic: |16 t − 100 IVA| ≤ 50).
        expect(Math.abs(s.taxableCents * 16 - s.ivaCents * 100)).toBeLessThanOrEqual(50);
        expect(s.totalCents).toBe(s.taxableCents + s.ivaCents);
        for (const line of s.lines) expect(Number.isInteger(line.amountCents)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('minute concepts never bill more than ⌊Σ ms / 60,000⌋ per concept and month, nor more than that × price', () => {
    fc.assert(
      fc.property(inputArb, ({ input, codes }) => {
        const s = computeStatement(input);
        const occupancyOn = input.rateCard.card.occupancyTariff.enabled;
        for (const concept of Object.values(CONCEPTS)) {
          if (!TIME_CODES.has(concept.code)) continue;
          for (const month of MONTHS) {
            // Independent Σ ms from the presets (not from the matcher).
            let ms = sumBy(input.usage.filter((u, i) => codes[i] === concept.code && u.usageMonth === month), (u) => u.durationMs);
            if (occupancyOn && concept.code === 'ps_i_inbound') ms = Math.max(ms, sumBy(input.agentDays.filter((d) => d.usageMonth === month), (d) => d.durationMs));
            const lines = s.lines.filter((l) => l.conceptCode === concept.code && l.usageMonth === month);
            const billedUnits = concept.unit === 'minute' ? sumBy(lines, (l) => l.quantity) : sumBy(lines, (l) => Math.round(l.quantity * 60));
            const limit = concept.unit === 'minute' ? Math.floor(ms / 60_000) : Math.floor(ms / 1000);
            expect(billedUnits).toBeLessThanOrEqual(limit);
            const maxAmount = concept.unit === 'minute' ? limit * concept.unitPriceCents : Math.round((limit * concept.unitPriceCents) / 60);
            expect(sumBy(lines, (l) => l.amountCents)).toBeLessThanOrEqual(maxAmount + lines.length);
            // Without the occupancy tariff the figure is exact: one line, ⌊Σ ms / 60,000⌋ minutes.
            if (concept.unit === 'minute' && !(occupancyOn && concept.code === 'ps_i_inbound') && lines.length > 0) {
              expect(lines).toHaveLength(1);
              expect(lines[0]?.quantity).toBe(limit);
              expect(lines[0]?.amountCents).toBe(limit * concept.unitPriceCents);
            }
            for (const line of lines) expect(line.kind).toBe(month === '2026-11' ? 'usage' : 'adjustment');
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the same facts in another order give the same statement, hash included', () => {
    fc.assert(
      fc.property(inputArb, fc.integer(), ({ input }, seed) => {
        const reordered: StatementInput = {
          ...input,
          usage: shuffled(input.usage, seed),
          agentDays: shuffled(input.agentDays, seed + 1),
          occupancy: shuffled(input.occupancy, seed + 2),
          slaDeductions: shuffled(input.slaDeductions, seed + 3),
          penalties: shuffled(input.penalties, seed + 4),
          history: shuffled(input.history, seed + 5),
          excluded: shuffled(input.excluded, seed + 6).map((e) => ({ ...e, meters: shuffled(e.meters, seed + 7) })),
        };
        expect(computeStatement(reordered)).toEqual(computeStatement(input));
      }),
      { numRuns: 200 },
    );
  });

  it('applied ≤ proposed; per-concept and global caps hold (deductions and penalties apart)', () => {
    fc.assert(
      fc.property(inputArb, ({ input }) => {
        const s = computeStatement(input);
        for (const d of [...s.deductions, ...s.penalties]) {
          expect(d.appliedCents).toBeGreaterThanOrEqual(0);
          expect(d.appliedCents).toBeLessThanOrEqual(d.proposedCents);
        }
        for (const d of s.deductions) if (d.source === 'sla' && d.status !== 'validated') expect(d.appliedCents).toBe(0);
        expect(s.deductionsCents).toBeLessThanOrEqual(capOf(input, input.previouslyAppliedDeductionsCents));
        expect(s.penaltiesCents).toBeLessThanOrEqual(capOf(input, input.previouslyAppliedPenaltiesCents));
        for (const concept of Object.values(CONCEPTS)) {
          if (concept.deductionCapPct === undefined) continue;
          const amount = sumBy(s.lines.filter((l) => l.conceptCode === concept.code), (l) => l.amountCents);
          const charged = sumBy(s.deductions.filter((d) => d.conceptCode === concept.code), (d) => d.appliedCents);
          expect(charged).toBeLessThanOrEqual(Math.floor((concept.deductionCapPct * amount) / 100));
        }
      }),
      { numRuns: 300 },
    );
  });
});
