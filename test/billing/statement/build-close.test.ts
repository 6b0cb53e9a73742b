import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Statement, StatementLine } from '../../../hub/src/billing/billing.contract.js';
import { buildStatement } from '../../../hub/src/billing/statement/build-statement.js';
import { closeMonth, type CloseActor } from '../../../hub/src/billing/statement/close-month.js';
import { HubError } from '../../../hub/src/errors/error-registry.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { activateCard, insertSlaEvaluation } from './statement-card.js';
import { insertUsageFacts } from './statement-fixtures.js';

/**
 * Building and closing statements over usage facts written directly (real PostgreSQL; derive off:
 * the facts are the input). Card: statement-card.ts (PS-I $2.38/min, SMS in $0.71, e-mail $17.74,
 * IVA 16 %, global cap 10 %). "Now" is 2026-11-26 noon in Mexico City: September and October have
 * ended, November has not.
 */
const SEP = '2026-09';
const OCT = '2026-10';
const NOV = '2026-11';
const NOW = new Date('2026-11-26T12:00:00-06:00');
const opts = { derive: false, now: NOW } as const;
const voicePsI = { seatType: 'PS-I', tier: 1, channelClass: 'voice' } as const;

let hub: TestHub;
let actor: CloseActor;
let campaignId: string;
let cardId: string;
const agentA = randomUUID();
const convY = randomUUID();

const line = (s: Statement, kind: StatementLine['kind'], conceptCode: string, usageMonth: string): StatementLine | undefined =>
  s.lines.find((l) => l.kind === kind && l.conceptCode === conceptCode && l.usageMonth === usageMonth);

async function refusal(run: () => Promise<unknown>): Promise<HubError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  hub = await createTestHub();
  const db = hub.ctx.db.kysely;
  campaignId = (await createCampaign(db)).id;
  cardId = await activateCard(db, campaignId);
  const admin = await createUser(db, { roles: ['admin'] });
  actor = { userId: admin.id, ip: '203.0.113.7', userAgent: 'vitest' };
  // September: agent A 60,000 + 59,999 + 1 ms = 120,000 ms; three inbound SMS.
  await insertUsageFacts(db, campaignId, [
    { meter: 'agent_time', month: SEP, localDay: '2026-09-10', durationMs: 60_000, agentId: agentA, ...voicePsI },
    { meter: 'agent_time', month: SEP, localDay: '2026-09-10', durationMs: 59_999, agentId: agentA, ...voicePsI },
    { meter: 'agent_time', month: SEP, localDay: '2026-09-11', durationMs: 1, agentId: agentA, ...voicePsI },
    { meter: 'sms_inbound', month: SEP, localDay: '2026-09-12', quantity: 1 },
    { meter: 'sms_inbound', month: SEP, localDay: '2026-09-12', quantity: 1 },
    { meter: 'sms_inbound', month: SEP, localDay: '2026-09-13', quantity: 1 },
  ]);
});

afterAll(async () => {
  await hub?.cleanup();
});

describe('closing September', () => {
  it('freezes the statement, stamps the facts and audits the close', async () => {
    const db = hub.ctx.db.kysely;
    const closed = await closeMonth(db, campaignId, SEP, actor, opts);
    // Seat time: 120,000 ms = 120 s → 2 min × $2.38 = $4.76; SMS: 3 × $0.71 = $2.13.
    expect(line(closed, 'usage', 'ps_i', SEP)).toMatchObject({ quantity: 2, exactSeconds: 120, remainderSeconds: 0, factCount: 3, amountCents: 476 });
    expect(line(closed, 'usage', 'sms_in', SEP)).toMatchObject({ quantity: 3, factCount: 3, amountCents: 213 });
    // Subtotal 476 + 213 = 689; IVA 689 × 16 % = 110.24 → 110; total 799.
    expect(closed).toMatchObject({ status: 'closed', subtotalCents: 689, deductionsCents: 0, penaltiesCents: 0, taxableCents: 689, ivaCents: 110, totalCents: 799 });
    expect(closed.rateCard).toEqual({ id: cardId, version: 1 });

    const row = await db.selectFrom('billing_months').selectAll().where('campaign_id', '=', campaignId).where('month', '=', SEP).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'closed', rate_card_id: cardId, rate_card_version: 1, inputs_hash: closed.inputsHash, total_cents: '799', closed_by: actor.userId });
    expect(row.statement).toEqual(closed);
    const facts = await db.selectFrom('billing_usage_facts').select('billed_in_month').where('campaign_id', '=', campaignId).execute();
    expect(facts.map((f) => f.billed_in_month)).toEqual([SEP, SEP, SEP, SEP, SEP, SEP]);
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'billing.month_closed').where('campaign_id', '=', campaignId).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: actor.userId, target_type: 'billing_month', target_id: `${campaignId}:${SEP}`, ip: '203.0.113.7' });
    expect(audit[0]?.details).toMatchObject({ month: SEP, totalCents: 799, factsStamped: 6 });
    // A closed month answers its frozen statement.
    expect(await buildStatement(db, campaignId, SEP, opts)).toEqual(closed);
  });
});

describe('October, open, with late September usage', () => {
  beforeAll(async () => {
    const db = hub.ctx.db.kysely;
    await insertUsageFacts(db, campaignId, [
      // October seat time: 90,000 + 60,500 = 150,500 ms → 2 min, 30.5 s not billed.
      { meter: 'agent_time', month: OCT, localDay: '2026-10-05', durationMs: 90_000, agentId: agentA, ...voicePsI },
      { meter: 'agent_time', month: OCT, localDay: '2026-10-06', durationMs: 60_500, agentId: agentA, ...voicePsI },
      // E-mail resolved (100 %) and sent to tier 2 (50 %): 1.5 messages.
      { meter: 'email_outbound', month: OCT, localDay: '2026-10-07', quantity: 1, weightPct: 100 },
      { meter: 'email_outbound', month: OCT, localDay: '2026-10-08', quantity: 1, weightPct: 50 },
      // A call without its recording: excluded and listed.
      { meter: 'ivr_time', month: OCT, localDay: '2026-10-09', durationMs: 30_000, conversationId: convY, folio: 'F-Y', evidenceProblem: 'missing_recording' },
      // Late September usage (September is closed): one SMS and 61,000 ms of seat time.
      { meter: 'sms_inbound', month: SEP, localDay: '2026-09-30', quantity: 1 },
      { meter: 'agent_time', month: SEP, localDay: '2026-09-30', durationMs: 61_000, agentId: agentA, ...voicePsI },
    ]);
  });

  it('bills October, adjusts September on its own lines, lists the excluded call and records the invoice', async () => {
    const db = hub.ctx.db.kysely;
    const oct = await buildStatement(db, campaignId, OCT, opts);
    expect(oct.status).toBe('open');
    expect(line(oct, 'usage', 'ps_i', OCT)).toMatchObject({ quantity: 2, exactSeconds: 150.5, remainderSeconds: 30.5, amountCents: 476 });
    // 1.5 × $17.74 = $26.61.
    expect(line(oct, 'usage', 'email', OCT)).toMatchObject({ quantity: 1.5, factCount: 2, amountCents: 2661 });
    // Adjustments of September, floored on their own: 61 s → 1 min × $2.38; 1 SMS × $0.71.
    expect(line(oct, 'adjustment', 'ps_i', SEP)).toMatchObject({ quantity: 1, exactSeconds: 61, remainderSeconds: 1, amountCents: 238 });
    expect(line(oct, 'adjustment', 'sms_in', SEP)).toMatchObject({ quantity: 1, amountCents: 71 });
    expect(oct.lines).toHaveLength(4);
    // Subtotal 476 + 2,661 + 238 + 71 = 3,446; IVA 551.36 → 551; total 3,997.
    expect(oct).toMatchObject({ subtotalCents: 3446, taxableCents: 3446, ivaCents: 551, totalCents: 3997 });
    expect(oct.excluded).toEqual([{ folio: 'F-Y', conversationId: convY, callSid: null, problem: 'missing_recording', meters: ['ivr_time'], seconds: 30, items: 0 }]);
    // No SLA evaluation yet: listed, not applied.
    expect(oct.deductions).toEqual([expect.objectContaining({ source: 'sla', status: 'not_evaluated', proposedCents: 0, appliedCents: 0 })]);
    const invoice = await db.selectFrom('sla_invoices').selectAll().where('campaign_id', '=', campaignId).where('month', '=', OCT).executeTakeFirstOrThrow();
    expect(invoice).toMatchObject({ amount_cents: '3446', source: 'billing' });
  });

  it('is idempotent: a second run gives the same statement and hash', async () => {
    const db = hub.ctx.db.kysely;
    const first = await buildStatement(db, campaignId, OCT, opts);
    const second = await buildStatement(db, campaignId, OCT, opts);
    expect(second).toEqual(first);
    expect(second.inputsHash).toBe(first.inputsHash);
    expect(first.inputsHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('closes October; a late October event then becomes an adjustment of November', async () => {
    const db = hub.ctx.db.kysely;
    const open = await buildStatement(db, campaignId, OCT, opts);
    const closed = await closeMonth(db, campaignId, OCT, actor, opts);
    expect(closed).toEqual({ ...open, status: 'closed', inputsHash: closed.inputsHash });
    // October's facts and the two late September ones it adjusted are now billed by October.
    const billedBy = await db.selectFrom('billing_usage_facts').select(['month', 'billed_in_month']).where('campaign_id', '=', campaignId).execute();
    expect(billedBy.filter((f) => f.billed_in_month === OCT).map((f) => f.month).sort()).toEqual([SEP, SEP, OCT, OCT, OCT, OCT, OCT]);
    expect(billedBy.filter((f) => f.billed_in_month === null)).toEqual([]);

    // Two SMS of October arrive after the close.
    await insertUsageFacts(db, campaignId, [
      { meter: 'sms_inbound', month: OCT, localDay: '2026-10-31', quantity: 1 },
      { meter: 'sms_inbound', month: OCT, localDay: '2026-10-31', quantity: 1 },
    ]);
    expect(await buildStatement(db, campaignId, OCT, opts)).toEqual(closed);
    const nov = await buildStatement(db, campaignId, NOV, opts);
    // 2 × $0.71 = $1.42 as «Ajuste de 2026-10»; November has no usage of its own.
    expect(nov.lines).toEqual([expect.objectContaining({ kind: 'adjustment', conceptCode: 'sms_in', usageMonth: OCT, quantity: 2, amountCents: 142 })]);
    expect(nov).toMatchObject({ subtotalCents: 142, ivaCents: 23, totalCents: 165 }); // 142 × 16 % = 22.72 → 23
    // History for consumption: September's 2 min + October's 2 + 1 (adjustment) = 5 min of ps_i billed so far.
    const psI = nov.consumption.find((c) => c.conceptCode === 'ps_i');
    expect(psI?.consumedToDate).toBe(5);
  });
});

describe('refusals', () => {
  it('refuses a closed month, a month not ended, an earlier open month and unvalidated deductions', async () => {
    const db = hub.ctx.db.kysely;
    expect((await refusal(() => closeMonth(db, campaignId, SEP, actor, opts))).code).toBe('HUB_ERR_BILLING_MONTH_CLOSED');
    const notEnded = await refusal(() => closeMonth(db, campaignId, NOV, actor, opts));
    expect(notEnded.code).toBe('HUB_ERR_BILLING_MONTH_NOT_ENDED');
    expect(notEnded.message).toContain('aún no termina');

    // Another campaign: August has usage and is open, so September cannot close first.
    const other = (await createCampaign(db)).id;
    await activateCard(db, other);
    await insertUsageFacts(db, other, [
      { meter: 'sms_inbound', month: '2026-08', localDay: '2026-08-20', quantity: 1 },
      { meter: 'sms_inbound', month: SEP, localDay: '2026-09-20', quantity: 1 },
    ]);
    const order = await refusal(() => closeMonth(db, other, SEP, actor, opts));
    expect(order.code).toBe('HUB_ERR_BILLING_EARLIER_MONTH_OPEN');
    expect(order.message).toContain('2026-08');

    // Deductions proposed and not validated: «valide las deductivas antes de cerrar».
    await closeMonth(db, other, '2026-08', actor, opts);
    await insertSlaEvaluation(db, other, SEP, 'proposed', 1_000, 1_000);
    const sla = await refusal(() => closeMonth(db, other, SEP, actor, opts));
    expect(sla.code).toBe('HUB_ERR_BILLING_DEDUCTIONS_NOT_VALIDATED');
    expect(sla.message).toContain('valide las deductivas antes de cerrar');
    const months = await db.selectFrom('billing_months').select('month').where('campaign_id', '=', other).execute();
    expect(months.map((m) => m.month)).toEqual(['2026-08']);
    expect(await db.selectFrom('billing_usage_facts').select('billed_in_month').where('campaign_id', '=', other).where('month', '=', SEP).execute()).toEqual([{ billed_in_month: null }]);
  });
});
