import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingCloseLockKey } from '../../../hub/src/billing/billing-locks.js';
import { defaultRateCard } from '../../../hub/src/billing/rate-card/default-rate-card.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';

/**
 * Issue 10 item 6 (fixed penalties, penas convencionales) over HTTP against the real PostgreSQL:
 * validation in Spanish, listing by month, deletion, audit, and a closed month refusing both.
 */

const OPEN = '2026-10';
const CLOSED = '2026-09';

let hub: TestHub;
let campaignA: string;
let campaignB: string;
const tokens: Record<string, string> = {};

const call = async (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
  const res = await hub.app.inject({ method, url: `/api/v1${url}`, headers: bearer(tokens[who] ?? ''), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  return { status: res.statusCode, body: res.body === '' ? null : res.json() };
};

beforeAll(async () => {
  hub = await createTestHub();
  const db = hub.ctx.db.kysely;
  campaignA = (await createCampaign(db)).id;
  campaignB = (await createCampaign(db)).id;
  for (const [key, roles, campaigns] of [
    ['admin', ['admin'], []],
    ['supA', ['supervisor'], [campaignA]],
    ['supB', ['supervisor'], [campaignB]],
    ['auditorA', ['auditor'], [campaignA]],
    ['agentA', ['agent'], [campaignA]],
  ] as const) {
    const user = await createUser(db, { roles: [...roles], campaignIds: [...campaigns], name: key });
    tokens[key] = await tokenFor(db, user.id);
  }
  // September is closed: a billing_months row (it needs a rate card row for its foreign key).
  const card = await db
    .insertInto('billing_rate_cards')
    .values({ campaign_id: campaignA, version: 1, status: 'active', definition: JSON.stringify(defaultRateCard('2028-10')) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('billing_months')
    .values({ campaign_id: campaignA, month: CLOSED, status: 'closed', rate_card_id: card.id, rate_card_version: 1, statement: JSON.stringify({}), inputs_hash: 'test', total_cents: 0 })
    .execute();
});
afterAll(async () => {
  await hub?.cleanup();
});

const base = `/billing/campaigns`;

describe('penalties', () => {
  let lateReportId = '';

  it('the admin records penalties; the month lists them oldest first with units × amount', async () => {
    // Monthly deliverables 3 natural days late at $1,000.00 a day (L10146): 3 × 100,000 = 300,000 centavos.
    const first = await call('admin', 'POST', `${base}/${campaignA}/penalties`, { month: OPEN, kind: 'per_day', units: 3, amountPerUnitCents: 100_000, description: 'Entregables mensuales con 3 días de atraso' });
    expect(first.status).toBe(201);
    expect(first.body.penalty).toMatchObject({ month: OPEN, kind: 'per_day', units: 3, amountPerUnitCents: 100_000, totalCents: 300_000 });
    lateReportId = first.body.penalty.id;
    // Training 2 hours late at $500.00 an hour (DIR): 2 × 50,000 = 100,000 centavos; month from ?month=.
    const second = await call('admin', 'POST', `${base}/${campaignA}/penalties?month=${OPEN}`, { kind: 'per_hour', units: 2, amountPerUnitCents: 50_000, description: 'Capacitación con 2 horas de atraso' });
    expect(second.status).toBe(201);
    expect(second.body.penalty).toMatchObject({ month: OPEN, totalCents: 100_000 });

    const list = await call('auditorA', 'GET', `${base}/${campaignA}/penalties?month=${OPEN}`);
    expect(list.status).toBe(200);
    expect(list.body.closed).toBe(false);
    expect(list.body.items.map((p: { description: string; totalCents: number }) => [p.description, p.totalCents])).toEqual([
      ['Entregables mensuales con 3 días de atraso', 300_000],
      ['Capacitación con 2 horas de atraso', 100_000],
    ]);
    // Other months are not mixed in.
    expect((await call('supA', 'GET', `${base}/${campaignA}/penalties?month=2026-11`)).body.items).toEqual([]);
    const audit = await hub.ctx.db.kysely.selectFrom('audit_log').select(['action', 'campaign_id', 'details']).where('target_id', '=', lateReportId).execute();
    expect(audit).toEqual([{ action: 'billing.penalty_created', campaign_id: campaignA, details: { month: OPEN, kind: 'per_day', units: 3, amountPerUnitCents: 100_000, description: 'Entregables mensuales con 3 días de atraso' } }]);
  });

  it('invalid penalties are refused with Spanish messages', async () => {
    const res = await call('admin', 'POST', `${base}/${campaignA}/penalties`, { month: '2026-13', kind: 'per_week', units: 0, amountPerUnitCents: -1, description: 'no' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems).toEqual([
      { path: 'month', message: 'use el formato AAAA-MM (por ejemplo 2026-11) / use YYYY-MM, e.g. 2026-11' },
      { path: 'kind', message: 'valor no permitido, use uno de: per_day, per_hour, fixed / value not allowed, use one of: per_day, per_hour, fixed' },
      { path: 'units', message: 'las unidades deben ser mayores que 0 / units must be greater than 0' },
      { path: 'amountPerUnitCents', message: 'el importe por unidad debe ser mayor que 0 / the amount per unit must be greater than 0' },
      { path: 'description', message: 'la descripción debe tener de 3 a 500 caracteres / the description must have 3 to 500 characters' },
    ]);
    const long = await call('admin', 'POST', `${base}/${campaignA}/penalties`, { month: OPEN, kind: 'fixed', units: 1, amountPerUnitCents: 1.5, description: 'x'.repeat(501) });
    expect(long.body.error.details.problems).toEqual([
      { path: 'amountPerUnitCents', message: 'el importe va en centavos enteros / the amount is whole centavos' },
      { path: 'description', message: 'la descripción debe tener de 3 a 500 caracteres / the description must have 3 to 500 characters' },
    ]);
    const missingMonth = await call('admin', 'POST', `${base}/${campaignA}/penalties`, { kind: 'fixed', units: 1, amountPerUnitCents: 100, description: 'Sin mes' });
    expect(missingMonth.body.error.details.problems).toEqual([{ path: 'month', message: 'campo requerido / required field' }]);
    const mismatch = await call('admin', 'POST', `${base}/${campaignA}/penalties?month=${OPEN}`, { month: '2026-11', kind: 'fixed', units: 1, amountPerUnitCents: 100, description: 'Mes distinto' });
    expect(mismatch.status).toBe(400);
    expect((await call('admin', 'GET', `${base}/${campaignA}/penalties?month=${OPEN}`)).body.items).toHaveLength(2);
  });

  it('a closed month refuses new penalties and the deletion of its penalties', async () => {
    // A penalty stored before the month closed (inserted directly: the API already refuses it).
    const db = hub.ctx.db.kysely;
    const old = await db
      .insertInto('billing_penalties')
      .values({ campaign_id: campaignA, month: CLOSED, kind: 'fixed', units: 1, amount_per_unit_cents: 500_000, description: 'Soporte de facturación tardío' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const created = await call('admin', 'POST', `${base}/${campaignA}/penalties`, { month: CLOSED, kind: 'fixed', units: 1, amountPerUnitCents: 100_000, description: 'Reporte tardío' });
    expect(created.status).toBe(409);
    expect(created.body.error.code).toBe('HUB_ERR_BILLING_MONTH_CLOSED');
    expect(created.body.error.message).toBe('El mes 2026-09 ya está cerrado: no se pueden registrar penalizaciones; regístrelas en un mes abierto / month 2026-09 is closed: penalties cannot be created; record them in an open month');
    const deleted = await call('admin', 'DELETE', `${base}/${campaignA}/penalties/${old.id}`);
    expect(deleted.status).toBe(409);
    expect(deleted.body.error.message).toMatch(/^El mes 2026-09 ya está cerrado: no se pueden eliminar penalizaciones/);
    const list = await call('supA', 'GET', `${base}/${campaignA}/penalties?month=${CLOSED}`);
    expect(list.body.closed).toBe(true);
    expect(list.body.items.map((p: { id: string; totalCents: number }) => [p.id, p.totalCents])).toEqual([[old.id, 500_000]]);
    // Campaign B's September is open: the closure is per campaign.
    expect((await call('admin', 'POST', `${base}/${campaignB}/penalties`, { month: CLOSED, kind: 'fixed', units: 1, amountPerUnitCents: 100, description: 'Otra campaña' })).status).toBe(201);
  });

  it('a penalty sent while the month is being closed waits for the close, then is refused (never lands in a closed month)', async () => {
    const db = hub.ctx.db.kysely;
    const AUGUST = '2026-08';
    const outcome = await db.connection().execute(async (conn) => {
      // What closeMonth does: its session lock, then the month's row (close-month.ts, billing-locks.ts).
      await sql`SELECT pg_advisory_lock(hashtextextended(${billingCloseLockKey(campaignB)}, 0))`.execute(conn);
      let settled = false;
      const pending = call('admin', 'POST', `${base}/${campaignB}/penalties`, { month: AUGUST, kind: 'per_day', units: 2, amountPerUnitCents: 10_000, description: 'Entrega tardía' }).finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const waited = !settled;
      const card = await conn.insertInto('billing_rate_cards').values({ campaign_id: campaignB, version: 1, status: 'active', definition: JSON.stringify(defaultRateCard('2028-10')) }).returning('id').executeTakeFirstOrThrow();
      await conn
        .insertInto('billing_months')
        .values({ campaign_id: campaignB, month: AUGUST, status: 'closed', rate_card_id: card.id, rate_card_version: 1, statement: JSON.stringify({}), inputs_hash: 'test', total_cents: 0 })
        .execute();
      await sql`SELECT pg_advisory_unlock(hashtextextended(${billingCloseLockKey(campaignB)}, 0))`.execute(conn);
      return { waited, response: await pending };
    });
    expect(outcome.waited).toBe(true);
    expect(outcome.response.status).toBe(409);
    expect(outcome.response.body.error.code).toBe('HUB_ERR_BILLING_MONTH_CLOSED');
    expect(await db.selectFrom('billing_penalties').select('id').where('campaign_id', '=', campaignB).where('month', '=', AUGUST).execute()).toEqual([]);
  });

  it('roles: only the admin changes; supervisors of other campaigns and agents are refused', async () => {
    const body = { month: OPEN, kind: 'fixed', units: 1, amountPerUnitCents: 100, description: 'Intento' };
    for (const who of ['supA', 'auditorA', 'agentA']) {
      expect((await call(who, 'POST', `${base}/${campaignA}/penalties`, body)).status).toBe(403);
      expect((await call(who, 'DELETE', `${base}/${campaignA}/penalties/${lateReportId}`)).status).toBe(403);
    }
    expect((await call('agentA', 'GET', `${base}/${campaignA}/penalties?month=${OPEN}`)).status).toBe(403);
    const foreign = await call('supB', 'GET', `${base}/${campaignA}/penalties?month=${OPEN}`);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    expect((await call('admin', 'GET', `${base}/${campaignA}/penalties?month=${OPEN}`)).body.items).toHaveLength(2);
  });

  it('the admin deletes a penalty of an open month (audited); another campaign’s id is 404', async () => {
    expect((await call('admin', 'DELETE', `${base}/${campaignB}/penalties/${lateReportId}`)).status).toBe(404);
    const res = await call('admin', 'DELETE', `${base}/${campaignA}/penalties/${lateReportId}`);
    expect(res.status).toBe(204);
    const left = (await call('admin', 'GET', `${base}/${campaignA}/penalties?month=${OPEN}`)).body.items;
    expect(left.map((p: { description: string }) => p.description)).toEqual(['Capacitación con 2 horas de atraso']);
    expect((await call('admin', 'DELETE', `${base}/${campaignA}/penalties/${lateReportId}`)).status).toBe(404);
    const audit = await hub.ctx.db.kysely.selectFrom('audit_log').select('action').where('target_id', '=', lateReportId).orderBy('id', 'asc').execute();
    expect(audit.map((a) => a.action)).toEqual(['billing.penalty_created', 'billing.penalty_deleted']);
  });
});
