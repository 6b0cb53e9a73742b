import { describe, expect, it } from 'vitest';
import { computeStatement } from '../../../hub/src/billing/statement/compute-statement.js';
import { statementInput, usage } from './statement-fixtures.js';

describe('consumption against the contract, burn-down and forecast (issue 10 item 7)', () => {
  // Contract 2026-07 → term end 2027-06: 12 months; November 2026 is month 5.
  const statement = computeStatement(
    statementInput({
      contractStartMonth: '2026-07',
      usage: [
        usage({ meter: 'agent_time', seatType: 'PS-P', durationMs: 9_000_000 }), // 150 min
        usage({ meter: 'agent_time', seatType: 'PS-P', durationMs: 90_000, usageMonth: '2026-10' }), // 1 min adjustment
      ],
      history: [
        { month: '2026-07', conceptCode: 'ps_p', quantity: 100 },
        { month: '2026-08', conceptCode: 'ps_p', quantity: 70 },
        { month: '2026-08', conceptCode: 'ps_p', quantity: 50 },
        { month: '2026-09', conceptCode: 'ps_p', quantity: 110 },
        { month: '2026-10', conceptCode: 'ps_p', quantity: 130 },
        // The statement's own month in the history (an earlier run) is ignored: this run computes it.
        { month: '2026-11', conceptCode: 'ps_p', quantity: 999 },
        { month: '2026-07', conceptCode: 'help_desk', quantity: 1 },
        { month: '2026-08', conceptCode: 'help_desk', quantity: 1 },
        { month: '2026-09', conceptCode: 'help_desk', quantity: 1 },
        { month: '2026-10', conceptCode: 'help_desk', quantity: 1 },
      ],
    }),
  );
  const row = (code: string) => statement.consumption.find((r) => r.conceptCode === code);

  it('sums history and this month’s usage and adjustment lines; forecasts over the maximum', () => {
    // ps_p: 100 + (70 + 50) + 110 + 130 = 460 before; this month 150 + 1 (adjustment line) = 151.
    // consumed 611; remaining 1,000 − 611 = 389; forecast 611 / 5 × 12 = 1,466.4 > 1,000 → over_max.
    expect(row('ps_p')).toMatchObject({
      minQuantity: 100,
      maxQuantity: 1000,
      monthly: [
        { month: '2026-07', quantity: 100 },
        { month: '2026-08', quantity: 120 },
        { month: '2026-09', quantity: 110 },
        { month: '2026-10', quantity: 130 },
        { month: '2026-11', quantity: 151 },
      ],
      consumedToDate: 611,
      remainingToMax: 389,
      forecastAtTermEnd: 1466.4,
      forecastStatus: 'over_max',
    });
  });

  it('fixed help desk: 4 + 1 = 5 months, forecast 5 / 5 × 12 = 12 within [6, 24]', () => {
    expect(row('help_desk')).toMatchObject({ consumedToDate: 5, remainingToMax: 19, forecastAtTermEnd: 12, forecastStatus: 'within' });
  });

  it('a concept without any use lists every month at 0 and is below the minimum', () => {
    // IVR: 0 in each of the 5 months; forecast 0 < 100 → below_min.
    expect(row('ivr')).toMatchObject({
      monthly: ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11'].map((month) => ({ month, quantity: 0 })),
      consumedToDate: 0,
      remainingToMax: 1000,
      forecastAtTermEnd: 0,
      forecastStatus: 'below_min',
    });
  });

  it('lists every concept in card order', () => {
    expect(statement.consumption.map((r) => r.conceptCode)).toEqual(['ps_i_inbound', 'ps_p', 'ivr', 'chat', 'whatsapp', 'email_outbound', 'bot_a', 'help_desk']);
  });
});
