import { describe, expect, it } from 'vitest';
import type { OccupancyTariff, StatementLine } from '../../../hub/src/billing/billing.contract.js';
import { computeStatement } from '../../../hub/src/billing/statement/compute-statement.js';
import { agentDay, BANDS, CONCEPTS, occupancy, psIVoice, rateCard, statementInput, usage } from './statement-fixtures.js';

const PHONE: OccupancyTariff = { enabled: true, conceptCodes: ['ps_i_inbound'], formula: 'phone', sessions: 1, bands: BANDS };

function bandLines(lines: readonly StatementLine[], code: string): [number, number, number, number][] {
  return lines.filter((l) => l.conceptCode === code).map((l) => [l.tariffPct, l.quantity, l.amountCents, l.factCount]);
}

// Six agents on 2026-11-02 (phone formula: (talk + hold + ACW) / (talk + hold + ACW + avail)):
//   a1 (5000 + 1000 + 1000) / 10000 = 70 %     → ≥ 70 → 100 %, 3,630,000 ms (60.5 min)
//   a2  6999 / (6999 + 3001) = 69.99 %         → ≥ 60 → 90 %,  1,830,000 ms (30.5 min)
//   a3  6000 / 10000 = 60 %                    → ≥ 60 → 90 %,  1,830,000 ms (30.5 min)
//   a4  5000 / 10000 = 50 %                    → ≥ 50 → 80 %,    600,000 ms (10 min)
//   a5  499 / (499 + 501) = 49.9 %             → < 50 → 70 %,    900,000 ms (15 min)
//   a6  no occupancy row → taken as 0 %        → < 50 → 70 %,    300,000 ms (5 min)
const DAYS = [
  agentDay('a1', '2026-11-02', 3_630_000),
  agentDay('a2', '2026-11-02', 1_830_000),
  agentDay('a3', '2026-11-02', 1_830_000),
  agentDay('a4', '2026-11-02', 600_000),
  agentDay('a5', '2026-11-02', 900_000),
  agentDay('a6', '2026-11-02', 300_000),
];
const OCCUPANCY = [
  occupancy('a1', '2026-11-02', 5000, 1000, 1000, 3000),
  occupancy('a2', '2026-11-02', 6999, 0, 0, 3001),
  occupancy('a3', '2026-11-02', 4000, 1000, 1000, 4000),
  occupancy('a4', '2026-11-02', 5000, 0, 0, 5000),
  occupancy('a5', '2026-11-02', 499, 0, 0, 501),
];
// Σ agent-days = 3,630,000 + 1,830,000 × 2 + 600,000 + 900,000 + 300,000 = 9,090,000 ms.
const TOTAL_MS = 9_090_000;

describe('occupancy tariff (seed-digest §5.5; issue 10 item 4)', () => {
  it('bands 70 / 69.99 / 60 / 50 / 49.9 / no data, each band floored on its own', () => {
    const statement = computeStatement(statementInput({ usage: [psIVoice(TOTAL_MS, { factCount: 6 })], agentDays: DAYS, occupancy: OCCUPANCY }, rateCard({ occupancyTariff: PHONE })));
    // 100 %: 3,630,000 ms → ⌊60.5⌋ = 60 min → 60 × 238 = 14,280 ¢
    //  90 %: 1,830,000 × 2 = 3,660,000 ms → 61 min (per agent it would be 30 + 30) → 61 × 238 × 0.9 = 13,066.2 → 13,066 ¢
    //  80 %:   600,000 ms → 10 min → 10 × 238 × 0.8 = 1,904 ¢
    //  70 %:   900,000 + 300,000 = 1,200,000 ms → 20 min → 20 × 238 × 0.7 = 3,332 ¢
    expect(bandLines(statement.lines, 'ps_i_inbound')).toEqual([
      [100, 60, 14_280, 1],
      [90, 61, 13_066, 2],
      [80, 10, 1_904, 1],
      [70, 20, 3_332, 2],
    ]);
    // Σ 60 + 61 + 10 + 20 = 151 min ≤ ⌊9,090,000 / 60,000⌋ = ⌊151.5⌋ = 151.
    const lines = statement.lines.filter((l) => l.conceptCode === 'ps_i_inbound');
    expect(lines.reduce((s, l) => s + l.quantity, 0)).toBeLessThanOrEqual(Math.floor(TOTAL_MS / 60_000));
    expect(lines[1]?.trace).toContain('banda ≥ 60 % y < 70 % → tarifa 90 %: 2 agentes-día');
    expect(lines[3]?.trace).toContain('2 agentes-día, 1 de ellos sin datos de ocupación (se toman como 0 %)');
    expect(lines.every((l) => l.kind === 'usage')).toBe(true);
  });

  it('agent_time without an agent-day breakdown goes to the lowest band (no occupancy evidence)', () => {
    // Usage 9,090,000 + 120,000 ms, agent-days 9,090,000 → 120,000 ms residual → 70 % band:
    // 1,200,000 + 120,000 = 1,320,000 ms → 22 min × 238 × 0.7 = 3,665.2 → 3,665 ¢.
    const statement = computeStatement(
      statementInput({ usage: [psIVoice(TOTAL_MS + 120_000, { factCount: 8 })], agentDays: DAYS, occupancy: OCCUPANCY }, rateCard({ occupancyTariff: PHONE })),
    );
    const low = statement.lines.find((l) => l.conceptCode === 'ps_i_inbound' && l.tariffPct === 70);
    // factCount: 2 agent-days' facts + (8 − 6) facts without a breakdown = 4.
    expect(low).toMatchObject({ quantity: 22, amountCents: 3665, factCount: 4 });
    expect(low?.trace).toContain('más 120 s de agent_time sin desglose por agente-día');
  });

  it('disabled or not listed → one line at 100 %', () => {
    // 9,090,000 ms → 151 min × 238 = 35,938 ¢.
    const off = computeStatement(statementInput({ usage: [psIVoice(TOTAL_MS)], agentDays: DAYS, occupancy: OCCUPANCY }, rateCard({ occupancyTariff: { ...PHONE, enabled: false } })));
    expect(bandLines(off.lines, 'ps_i_inbound')).toEqual([[100, 151, 35_938, 1]]);
    const other = computeStatement(statementInput({ usage: [psIVoice(TOTAL_MS)], agentDays: DAYS, occupancy: OCCUPANCY }, rateCard({ occupancyTariff: { ...PHONE, conceptCodes: ['ps_p'] } })));
    expect(bandLines(other.lines, 'ps_i_inbound')).toEqual([[100, 151, 35_938, 1]]);
  });

  it('chat formula with n = 3 sessions: avail counts three times', () => {
    // c1: (6000 + 0 + 1000) / (7000 + 1000 × 3) = 70 % → 100 % (the phone formula would give 87.5 %).
    // c2: (5000 + 500 + 500) / (6000 + 1000 × 3) = 66.67 % → 90 % (phone formula: 85.7 % → 100 %).
    const chat: OccupancyTariff = { enabled: true, conceptCodes: ['chat'], formula: 'chat', sessions: 3, bands: BANDS };
    const text = { seatType: 'PS-I' as const, channelClass: 'text' as const };
    const statement = computeStatement(
      statementInput(
        {
          usage: [usage({ meter: 'agent_time', ...text, durationMs: 900_750, factCount: 2 })],
          agentDays: [agentDay('c1', '2026-11-03', 600_500, text), agentDay('c2', '2026-11-03', 300_250, text)],
          occupancy: [occupancy('c1', '2026-11-03', 6000, 0, 1000, 1000), occupancy('c2', '2026-11-03', 5000, 500, 500, 1000)],
        },
        rateCard({ occupancyTariff: chat }),
      ),
    );
    // 100 %: ⌊600.5⌋ = 600 s × 238 / 60 = 2,380 ¢ (10 min with seconds, 0.5 s not billed)
    //  90 %: ⌊300.25⌋ = 300 s × 238 × 0.9 / 60 = 1,071 ¢ (5 min, 0.25 s not billed)
    const lines = statement.lines.filter((l) => l.conceptCode === 'chat');
    expect(lines.map((l) => [l.tariffPct, l.quantity, l.remainderSeconds, l.amountCents])).toEqual([
      [100, 10, 0.5, 2380],
      [90, 5, 0.25, 1071],
    ]);
    expect(lines[0]?.trace).toContain('chat, n = 3');
  });

  it('late agent time of a closed month is an adjustment split by band too', () => {
    // October: a1 at 70 % → 100 %: 120,000 ms → 2 min × 238 = 476 ¢.
    const statement = computeStatement(
      statementInput(
        {
          usage: [psIVoice(120_000, { usageMonth: '2026-10' })],
          agentDays: [agentDay('a1', '2026-10-30', 120_000, { usageMonth: '2026-10' })],
          occupancy: [occupancy('a1', '2026-10-30', 7000, 0, 0, 3000)],
        },
        rateCard({ occupancyTariff: PHONE }),
      ),
    );
    const lines = statement.lines.filter((l) => l.conceptCode === 'ps_i_inbound');
    expect(lines.map((l) => [l.kind, l.usageMonth, l.tariffPct, l.quantity, l.amountCents])).toEqual([['adjustment', '2026-10', 100, 2, 476]]);
  });
  it('agent-days carry kind and direction: outbound time goes to the outbound concept; a split agent-day counts once', () => {
    // Outbound PS-I (direction set, 3 fields) is more specific than inbound PS-I (2 fields).
    const outbound = { ...CONCEPTS.psI, code: 'ps_i_outbound', unitPriceCents: 235, deductionCapPct: undefined, usage: { meter: 'agent_time' as const, seatType: 'PS-I' as const, channelClass: 'voice' as const, direction: 'outbound' as const } };
    const card = rateCard({ concepts: [CONCEPTS.psI, outbound], occupancyTariff: { ...PHONE, conceptCodes: ['ps_i_inbound', 'ps_i_outbound'] } });
    const statement = computeStatement(
      statementInput(
        {
          usage: [psIVoice(180_000, { tier: 1 }), psIVoice(120_000, { tier: 2 }), psIVoice(600_000, { direction: 'outbound' })],
          agentDays: [
            // b1 on 2026-11-05, split by tier (1 and 2): one agent-day at 65 % → 90 %.
            agentDay('b1', '2026-11-05', 180_000, { tier: 1 }),
            agentDay('b1', '2026-11-05', 120_000, { tier: 2 }),
            // b2 outbound at 40 % → 70 %.
            agentDay('b2', '2026-11-05', 600_000, { direction: 'outbound' }),
          ],
          occupancy: [occupancy('b1', '2026-11-05', 6500, 0, 0, 3500), occupancy('b2', '2026-11-05', 4000, 0, 0, 6000)],
        },
        card,
      ),
    );
    // Inbound: 180,000 + 120,000 = 300,000 ms → 5 min × 238 × 0.9 = 1,071 ¢, 1 agent-day.
    // Outbound: 600,000 ms → 10 min × 235 × 0.7 = 1,645 ¢.
    expect(statement.lines.map((l) => [l.conceptCode, l.tariffPct, l.quantity, l.amountCents])).toEqual([
      ['ps_i_inbound', 90, 5, 1071],
      ['ps_i_outbound', 70, 10, 1645],
    ]);
    expect(statement.lines[0]?.trace).toContain('tarifa 90 %: 1 agente-día ·');
  });
  it('a zero denominator (no talk, hold, ACW or avail recorded) counts as no data → lowest band', () => {
    // z1: occupancy row of zeros → 0 / 0 → taken as 0 % → 70 %: 300,000 ms → 5 min × 238 × 0.7 = 833 ¢.
    const statement = computeStatement(
      statementInput({ usage: [psIVoice(300_000)], agentDays: [agentDay('z1', '2026-11-09', 300_000)], occupancy: [occupancy('z1', '2026-11-09', 0, 0, 0, 0)] }, rateCard({ occupancyTariff: PHONE })),
    );
    expect(bandLines(statement.lines, 'ps_i_inbound')).toEqual([[70, 5, 833, 1]]);
    expect(statement.lines[0]?.trace).toContain('1 de ellos sin datos de ocupación');
  });
});
