import { describe, expect, it } from 'vitest';
import type { Statement, StatementLine } from '../../../hub/src/billing/billing.contract.js';
import { computeStatement } from '../../../hub/src/billing/statement/compute-statement.js';
import { CONCEPTS, psIVoice, rateCard, statementInput, usage } from './statement-fixtures.js';

function linesOf(statement: Statement, code: string): StatementLine[] {
  return statement.lines.filter((line) => line.conceptCode === code);
}

function onlyLine(statement: Statement, code: string): StatementLine {
  const lines = linesOf(statement, code);
  expect(lines).toHaveLength(1);
  const line = lines[0];
  if (!line) throw new Error(`no line for ${code}`);
  return line;
}

describe('minute rounding (seed-digest §5.3: seconds summed per month and concept, then floored)', () => {
  it('«una llamada de cuatro minutos y veinte segundos» bills 4 minutes and shows 20 s of remainder', () => {
    // 4:20 = 260 s = 260,000 ms → ⌊260 / 60⌋ = 4 min; remainder 260 − 240 = 20 s; 4 × $2.38 = $9.52.
    const line = onlyLine(computeStatement(statementInput({ usage: [psIVoice(260_000)] })), 'ps_i_inbound');
    expect(line).toMatchObject({ kind: 'usage', quantity: 4, exactSeconds: 260, remainderSeconds: 20, amountCents: 952, tariffPct: 100, factCount: 1 });
    expect(line.trace).toContain('remanente 20 s');
  });

  it('two such calls sum to 8:40 and bill 8 minutes; three bill 13, not 3 × 4 = 12', () => {
    // 2 × 260 s = 520 s → ⌊520 / 60⌋ = 8 min, remainder 520 − 480 = 40 s; 8 × $2.38 = $19.04.
    const two = onlyLine(computeStatement(statementInput({ usage: [psIVoice(260_000, { factCount: 2 }), psIVoice(260_000, { channelKind: 'twilio' })] })), 'ps_i_inbound');
    expect(two).toMatchObject({ quantity: 8, exactSeconds: 520, remainderSeconds: 40, amountCents: 1904, factCount: 3 });
    // 3 × 260 s = 780 s → ⌊780 / 60⌋ = 13 min exactly (per-call flooring would give 3 × 4 = 12); 13 × 238 = 3,094 ¢.
    const three = onlyLine(computeStatement(statementInput({ usage: [psIVoice(780_000, { factCount: 3 })] })), 'ps_i_inbound');
    expect(three).toMatchObject({ quantity: 13, remainderSeconds: 0, amountCents: 3094 });
  });

  it('keeps milliseconds: 59,999 ms bills 0 minutes with 59.999 s remainder', () => {
    // ⌊59,999 / 60,000⌋ = 0 min; remainder 59.999 s; amount 0.
    const line = onlyLine(computeStatement(statementInput({ usage: [psIVoice(59_999)] })), 'ps_i_inbound');
    expect(line).toMatchObject({ quantity: 0, exactSeconds: 59.999, remainderSeconds: 59.999, amountCents: 0 });
  });
});

describe('minute with seconds (chat, «minutos con segundos»)', () => {
  it('bills whole seconds: 125.75 s → 125 s = 2.0833 min, 125 × $2.38 / 60 = $4.96', () => {
    // 95,500 + 30,250 = 125,750 ms → ⌊125.75⌋ = 125 s; quantity 125 / 60; 125 × 238 / 60 = 495.83 → 496 ¢; remainder 0.75 s.
    const input = statementInput({
      usage: [usage({ meter: 'agent_time', channelClass: 'text', durationMs: 95_500 }), usage({ meter: 'agent_time', channelClass: 'text', channelKind: 'webchat', durationMs: 30_250 })],
    });
    const line = onlyLine(computeStatement(input), 'chat');
    expect(line.quantity).toBeCloseTo(125 / 60, 12);
    expect(line).toMatchObject({ unit: 'minute_seconds', exactSeconds: 125.75, remainderSeconds: 0.75, amountCents: 496, factCount: 2 });
  });

  it('rounds an exact half cent up: 15 s × $2.38 / 60 = 59.5 ¢ → 60 ¢', () => {
    // 15 × 238 = 3,570; 3,570 / 60 = 59.5 → half up → 60.
    const line = onlyLine(computeStatement(statementInput({ usage: [usage({ meter: 'agent_time', channelClass: 'text', durationMs: 15_000 })] })), 'chat');
    expect(line.amountCents).toBe(60);
  });
});

describe('count concepts weighted by outcome', () => {
  it('emails 100 / 50 / 0 % → 1.5 messages; 3 at 100 % and one at 50 % → 3.5', () => {
    // Σ weight 100 + 50 + 0 = 150 → 1.5 × $17.74 = $26.61 (150 × 1774 / 100 = 2,661 ¢); items 3.
    const a = onlyLine(computeStatement(statementInput({ usage: [usage({ meter: 'email_outbound', items: 3, weightedPct: 150, factCount: 3 })] })), 'email_outbound');
    expect(a).toMatchObject({ quantity: 1.5, amountCents: 2661, factCount: 3, exactSeconds: null, remainderSeconds: null });
    // 3 × 100 + 50 = 350 → 3.5 × 1774 = 6,209 ¢; items 4.
    const b = onlyLine(computeStatement(statementInput({ usage: [usage({ meter: 'email_outbound', items: 4, weightedPct: 350, factCount: 4 })] })), 'email_outbound');
    expect(b).toMatchObject({ quantity: 3.5, amountCents: 6209, factCount: 4 });
  });

  it('bot events 100 / 30 / 0 / 30 % → 1.6 events; 100 / 30 → 1.3 with the half cent rounded up', () => {
    // 100 + 30 + 0 + 30 = 160 → 160 × 1115 / 100 = 1,784 ¢.
    const a = onlyLine(computeStatement(statementInput({ usage: [usage({ meter: 'bot_event', items: 4, weightedPct: 160, factCount: 4 })] })), 'bot_a');
    expect(a).toMatchObject({ quantity: 1.6, amountCents: 1784, factCount: 4 });
    // 100 + 30 = 130 → 130 × 1115 / 100 = 1,449.5 → half up → 1,450 ¢.
    const b = onlyLine(computeStatement(statementInput({ usage: [usage({ meter: 'bot_event', items: 2, weightedPct: 130, factCount: 2 })] })), 'bot_a');
    expect(b).toMatchObject({ quantity: 1.3, amountCents: 1450 });
  });
});

describe('fixed concepts', () => {
  it('help desk: one fixed line per month, 1 × $20,285.78, with no facts', () => {
    const line = onlyLine(computeStatement(statementInput()), 'help_desk');
    expect(line).toMatchObject({ kind: 'fixed', usageMonth: '2026-11', quantity: 1, amountCents: 2_028_578, factCount: 0, tariffPct: 100 });
    expect(line.trace).toContain('Cuota fija');
  });
});

describe('matching usage to concepts', () => {
  it('the most specific selector wins over card order (WhatsApp, kind set, beats chat)', () => {
    // whatsapp {agent_time, text, whatsapp} sets 2 fields, chat {agent_time, text} sets 1.
    // 120,000 ms → 2 min × $2.39 = 478 ¢.
    const statement = computeStatement(statementInput({ usage: [usage({ meter: 'agent_time', channelClass: 'text', channelKind: 'whatsapp', durationMs: 120_000 })] }));
    expect(linesOf(statement, 'chat')).toHaveLength(0);
    expect(onlyLine(statement, 'whatsapp')).toMatchObject({ quantity: 2, amountCents: 478 });
  });

  it('ties go to card order: PS-P text time matches ps_p and chat (1 field each) → ps_p, listed first', () => {
    // 180,000 ms → 3 min × $0.62 = 186 ¢.
    const statement = computeStatement(statementInput({ usage: [usage({ meter: 'agent_time', seatType: 'PS-P', channelClass: 'text', durationMs: 180_000 })] }));
    expect(linesOf(statement, 'chat')).toHaveLength(0);
    expect(onlyLine(statement, 'ps_p')).toMatchObject({ quantity: 3, amountCents: 186 });
  });

  it('usage no concept selects is listed as unpriced, in Spanish, and never billed', () => {
    const statement = computeStatement(
      statementInput({
        usage: [
          usage({ meter: 'voicemail', items: 3, weightedPct: 300, factCount: 3 }),
          // No concept of the card selects interaction_time (agent time is what is billed).
          usage({ meter: 'interaction_time', seatType: 'PS-I', channelClass: 'voice', direction: 'inbound', tier: 2, durationMs: 61_500 }),
        ],
      }),
    );
    expect(statement.unpriced).toEqual([
      {
        meter: 'interaction_time',
        description: 'interaction_time · PS-I · nivel 2 · voz · entrante (ningún concepto de la tarifa lo selecciona; se muestra y no se cobra)',
        usageMonth: '2026-11',
        exactSeconds: 61.5,
        items: 0,
        factCount: 1,
      },
      {
        meter: 'voicemail',
        description: 'voicemail (ningún concepto de la tarifa lo selecciona; se muestra y no se cobra)',
        usageMonth: '2026-11',
        exactSeconds: null,
        items: 3,
        factCount: 3,
      },
    ]);
    // Only the help desk is billed: subtotal = 2,028,578 ¢.
    expect(statement.subtotalCents).toBe(2_028_578);
  });
});

describe('adjustments: late usage of a closed month (issue 10 item 8)', () => {
  it('is a separate line per concept and month, rounded on its own, listed before the month’s usage', () => {
    // October late: 90,000 ms → 1 min (30 s remainder) × $0.62 = 62 ¢; November: 90,000 ms → 1 min = 62 ¢.
    // Summed together they would be 180 s = 3 min; each month is floored on its own → 1 + 1.
    const statement = computeStatement(
      statementInput({
        usage: [usage({ meter: 'agent_time', seatType: 'PS-P', durationMs: 90_000 }), usage({ meter: 'agent_time', seatType: 'PS-P', durationMs: 90_000, usageMonth: '2026-10' })],
      }),
    );
    const lines = linesOf(statement, 'ps_p');
    expect(lines.map((l) => [l.kind, l.usageMonth, l.quantity, l.remainderSeconds, l.amountCents])).toEqual([
      ['adjustment', '2026-10', 1, 30, 62],
      ['usage', '2026-11', 1, 30, 62],
    ]);
    expect(lines[0]?.name).toBe('Ajuste de 2026-10 · Concepto ps_p');
    expect(lines[0]?.trace).toMatch(/^Ajuste de 2026-10/);
  });

  it('refuses usage of a month after the statement’s', () => {
    expect(() => computeStatement(statementInput({ usage: [psIVoice(60_000, { usageMonth: '2026-12' })] }))).toThrow(/posterior/);
  });
});

describe('line order', () => {
  it('card order, then usage month', () => {
    const card = rateCard();
    const statement = computeStatement(
      statementInput(
        {
          usage: [
            usage({ meter: 'email_outbound', items: 1, weightedPct: 100 }),
            usage({ meter: 'ivr_time', durationMs: 60_000 }),
            psIVoice(60_000, { usageMonth: '2026-09' }),
            psIVoice(60_000),
          ],
        },
        card,
      ),
    );
    expect(statement.lines.map((l) => `${l.conceptCode}@${l.usageMonth}`)).toEqual([
      `${CONCEPTS.psI.code}@2026-09`,
      `${CONCEPTS.psI.code}@2026-11`,
      'ivr@2026-11',
      'email_outbound@2026-11',
      'help_desk@2026-11',
    ]);
  });
});
