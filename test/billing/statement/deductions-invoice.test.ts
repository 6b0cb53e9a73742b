import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStatement } from '../../../hub/src/billing/statement/build-statement.js';
import { closeMonth, type CloseActor } from '../../../hub/src/billing/statement/close-month.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { activateCard, insertSlaEvaluation } from './statement-card.js';
import { insertUsageFacts, type UsageFactSpec } from './statement-fixtures.js';

/**
 * What the statement hands to and takes from the SLA engine (real PostgreSQL): the subtotal as the
 * month's invoice unless the admin typed one, and the global caps of deductions and penalties
 * (10 % of the contract's maximum without IVA) shared by the closed months in order.
 */
const SEP = '2026-09';
const OCT = '2026-10';
const NOW = new Date('2026-11-26T12:00:00-06:00');
const opts = { derive: false, now: NOW } as const;

let hub: TestHub;
let actor: CloseActor;

const sms = (month: string, day: string, n: number): UsageFactSpec[] => Array.from({ length: n }, () => ({ meter: 'sms_inbound', month, localDay: day, quantity: 1 }));

beforeAll(async () => {
  hub = await createTestHub();
  const admin = await createUser(hub.ctx.db.kysely, { roles: ['admin'] });
  actor = { userId: admin.id, ip: '198.51.100.4', userAgent: null };
});

afterAll(async () => {
  await hub?.cleanup();
});

describe('the invoice for the SLA engine', () => {
  it('writes the subtotal as source billing, follows it while the month is open, never overwrites a manual invoice', async () => {
    const db = hub.ctx.db.kysely;
    const billed = (await createCampaign(db)).id;
    const manual = (await createCampaign(db)).id;
    for (const id of [billed, manual]) {
      await activateCard(db, id);
      await insertUsageFacts(db, id, sms(OCT, '2026-10-03', 10));
    }
    await db.insertInto('sla_invoices').values({ campaign_id: manual, month: OCT, amount_cents: 123_456, source: 'manual' }).execute();

    // 10 SMS × $0.71 = $7.10.
    expect((await buildStatement(db, billed, OCT, opts)).subtotalCents).toBe(710);
    expect((await buildStatement(db, manual, OCT, opts)).subtotalCents).toBe(710);
    const invoice = (id: string) => db.selectFrom('sla_invoices').select(['amount_cents', 'source']).where('campaign_id', '=', id).where('month', '=', OCT).executeTakeFirstOrThrow();
    expect(await invoice(billed)).toEqual({ amount_cents: '710', source: 'billing' });
    expect(await invoice(manual)).toEqual({ amount_cents: '123456', source: 'manual' });

    // Five more SMS: 15 × $0.71 = $10.65 replaces the billing figure, the manual one stays.
    await insertUsageFacts(db, billed, sms(OCT, '2026-10-04', 5));
    await insertUsageFacts(db, manual, sms(OCT, '2026-10-04', 5));
    await buildStatement(db, billed, OCT, opts);
    await buildStatement(db, manual, OCT, opts);
    expect(await invoice(billed)).toEqual({ amount_cents: '1065', source: 'billing' });
    expect(await invoice(manual)).toEqual({ amount_cents: '123456', source: 'manual' });
  });

  it('leaves the invoice of a month whose SLA evaluation is validated (frozen with the invoice it used)', async () => {
    const db = hub.ctx.db.kysely;
    const id = (await createCampaign(db)).id;
    await activateCard(db, id);
    await insertUsageFacts(db, id, sms(OCT, '2026-10-03', 4));
    await db.insertInto('sla_invoices').values({ campaign_id: id, month: OCT, amount_cents: 500, source: 'billing' }).execute();
    await insertSlaEvaluation(db, id, OCT, 'validated', 50, 50);
    // 4 × $0.71 = $2.84 on the statement; the validated month keeps its $5.00.
    expect((await buildStatement(db, id, OCT, opts)).subtotalCents).toBe(284);
    const row = await db.selectFrom('sla_invoices').select(['amount_cents', 'source']).where('campaign_id', '=', id).where('month', '=', OCT).executeTakeFirstOrThrow();
    expect(row).toEqual({ amount_cents: '500', source: 'billing' });
  });
});

describe('global caps shared by the closed months', () => {
  it('applies what is left of 10 % of the contract maximum after the earlier closed months', async () => {
    const db = hub.ctx.db.kysely;
    const id = (await createCampaign(db)).id;
    await activateCard(db, id);
    // Contract maximum $1,000.00 without IVA → each global cap is 10 % = $100.00 (10,000 cents).
    await db.insertInto('sla_contracts').values({ campaign_id: id, contract_start_month: SEP, max_contract_amount_cents: 100_000 }).execute();
    await insertUsageFacts(db, id, [...sms(SEP, '2026-09-15', 1000), ...sms(OCT, '2026-10-15', 500)]);
    await insertSlaEvaluation(db, id, SEP, 'validated', 7_500, 7_000);
    await insertSlaEvaluation(db, id, OCT, 'validated', 5_000, 5_000);
    await db
      .insertInto('billing_penalties')
      .values([
        { campaign_id: id, month: SEP, kind: 'per_day', units: 4, amount_per_unit_cents: 2_000, description: 'Entrega tardía de reportes' },
        { campaign_id: id, month: OCT, kind: 'fixed', units: 1, amount_per_unit_cents: 5_000, description: 'Cambio no autorizado' },
      ])
      .execute();

    const sep = await closeMonth(db, id, SEP, actor, opts);
    // September: 1,000 SMS × $0.71 = $710.00. Deduction: the validated final $70.00 (< cap $100.00).
    // Penalty: 4 days × $20.00 = $80.00 (< cap). Taxable 71,000 − 7,000 − 8,000 = 56,000; IVA 8,960; total 64,960.
    expect(sep).toMatchObject({ subtotalCents: 71_000, deductionsCents: 7_000, penaltiesCents: 8_000, taxableCents: 56_000, ivaCents: 8_960, totalCents: 64_960 });

    const oct = await buildStatement(db, id, OCT, opts);
    // October: 500 × $0.71 = $355.00. Deduction $50.00, but only 10,000 − 7,000 = $30.00 is left;
    // penalty $50.00, only 10,000 − 8,000 = $20.00 left. Taxable 35,500 − 3,000 − 2,000 = 30,500;
    // IVA 4,880; total 35,380.
    expect(oct.deductions).toEqual([expect.objectContaining({ status: 'validated', proposedCents: 5_000, appliedCents: 3_000 })]);
    expect(oct.penalties).toEqual([expect.objectContaining({ kind: 'fixed', proposedCents: 5_000, appliedCents: 2_000 })]);
    expect(oct).toMatchObject({ subtotalCents: 35_500, deductionsCents: 3_000, penaltiesCents: 2_000, taxableCents: 30_500, ivaCents: 4_880, totalCents: 35_380 });
  });
});
