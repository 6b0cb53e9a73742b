import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyAbandonment, monthlyAbandonment } from '../../hub/src/kpi/formulas/abandonment.js';
import { averageHandleTime } from '../../hub/src/kpi/formulas/aht.js';
import { availability } from '../../hub/src/kpi/formulas/availability.js';
import { monthSpan } from '../../hub/src/kpi/formulas/intervals.js';
import type { KpiResult } from '../../hub/src/kpi/formulas/kpi-result.js';
import { responseWithinLimit } from '../../hub/src/kpi/formulas/response-time.js';
import { satisfaction } from '../../hub/src/kpi/formulas/satisfaction.js';
import { serviceLevel } from '../../hub/src/kpi/formulas/service-level.js';
import { surveyTransferRate } from '../../hub/src/kpi/formulas/survey-transfer.js';
import { qualityScore } from '../../hub/src/kpi/formulas/quality.js';
import { evaluateMonth } from '../../hub/src/kpi/sla/evaluate-month.js';
import { generalSlaTable } from '../../hub/src/kpi/sla/general-sla-table.js';
import { slaTableSchema } from '../../hub/src/kpi/sla/sla-table.schema.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { insertIntervals, insertSegments } from '../kpi/series-fixtures.js';
import { insertFacts, insertSurvey, pdfVisibleText, times } from './sla-fixtures.js';

/**
 * Issue 9 items 3 and 7 over HTTP against the real PostgreSQL: a seeded March and April, the
 * measurements hand-computed, the proposal equal to evaluateMonth on those inputs, the admin's
 * adjustment and validation, the global cap shared by both months, roles, and the report files.
 */
const MARCH = '2026-03';
const APRIL = '2026-04';
const INVOICE = 100_000_000; // $1,000,000.00
const MAX_CONTRACT = 500_000_000; // $5,000,000.00 → cap 10 % = $500,000.00

let hub: TestHub;
let campaignA: string;
let campaignName: string;
let campaignB: string;
const tokens: Record<string, string> = {};

const call = async (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
  const res = await hub.app.inject({ method, url: `/api/v1${url}`, headers: bearer(tokens[who] ?? ''), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  return { status: res.statusCode, body: res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : null, raw: res.rawPayload, headers: res.headers };
};

beforeAll(async () => {
  hub = await createTestHub();
  const db = hub.ctx.db.kysely;
  const a = await createCampaign(db, { name: 'Orientación Médica Telefónica' });
  campaignA = a.id;
  campaignName = a.name;
  campaignB = (await createCampaign(db)).id;
  for (const [key, roles, campaigns] of [
    ['admin', ['admin'], []],
    ['supA', ['supervisor'], [campaignA]],
    ['supB', ['supervisor'], [campaignB]],
    ['agentA', ['agent'], [campaignA]],
  ] as const) {
    const user = await createUser(db, { roles: [...roles], campaignIds: [...campaigns], name: key });
    tokens[key] = await tokenFor(db, user.id);
  }

  // March 2: 10 voice contacts, 8 answered (6 in 10 s, 2 in 30 s), 2 abandoned → 20 % that day.
  // March 3: 100 contacts, 98 answered (90 in 5 s, 8 in 25 s; 40 sent to the survey), 2 abandoned → 2 %.
  // FCR: citizen x is resolved at 10:02:10 on March 2 and calls again at 13:00 (inside 7 days);
  // citizen z, resolved at 09:02:05 on March 3, calls again on April 6 (outside). The other
  // contacts have no citizen. March: 106 resolved, 1 repeated → 105 / 106.
  const [x, z] = [randomUUID(), randomUUID()];
  await insertFacts(db, campaignA, [
    { receivedAt: '2026-03-02T10:00:00-06:00', answerWaitS: 10, talkS: 120, contactId: x },
    ...times(5, { receivedAt: '2026-03-02T10:01:00-06:00', answerWaitS: 10, talkS: 120 }),
    ...times(2, { receivedAt: '2026-03-02T12:00:00-06:00', answerWaitS: 30, talkS: 120 }),
    { receivedAt: '2026-03-02T13:00:00-06:00', answerWaitS: null, contactId: x },
    { receivedAt: '2026-03-02T13:01:00-06:00', answerWaitS: null },
    { receivedAt: '2026-03-03T09:00:00-06:00', answerWaitS: 5, talkS: 120, surveyOffered: true, contactId: z },
    ...times(39, { receivedAt: '2026-03-03T09:01:00-06:00', answerWaitS: 5, talkS: 120, surveyOffered: true }),
    ...times(50, { receivedAt: '2026-03-03T11:00:00-06:00', answerWaitS: 5, talkS: 120 }),
    ...times(8, { receivedAt: '2026-03-03T13:00:00-06:00', answerWaitS: 25, talkS: 120 }),
    ...times(2, { receivedAt: '2026-03-03T15:00:00-06:00', answerWaitS: null }),
    // April 6: 10 received, 5 answered → 50 % abandonment.
    ...times(5, { receivedAt: '2026-04-06T10:00:00-06:00', answerWaitS: 5, talkS: 60 }),
    { receivedAt: '2026-04-06T11:00:00-06:00', answerWaitS: null, contactId: z },
    ...times(4, { receivedAt: '2026-04-06T11:01:00-06:00', answerWaitS: null }),
  ]);
  // Agent time in March (occupancy, hand-computed in the measurement test):
  // a1 (voice) March 2: available 09:00–13:00, ACW 13:00–13:30, talk 10:00–11:00;
  //    March 3: available 09:00–10:00, talk 09:00–09:30.
  // a2 (chat) March 3: available 08:00–12:00, two chats at once 09:00–10:00 and 09:30–10:30.
  const at = (iso: string): number => Date.parse(iso);
  await insertIntervals(db, campaignA, 'sla-a1', [
    { state: 'available', startMs: at('2026-03-02T09:00:00-06:00'), endMs: at('2026-03-02T13:00:00-06:00') },
    { state: 'after_contact_work', startMs: at('2026-03-02T13:00:00-06:00'), endMs: at('2026-03-02T13:30:00-06:00') },
    { state: 'available', startMs: at('2026-03-03T09:00:00-06:00'), endMs: at('2026-03-03T10:00:00-06:00') },
  ]);
  await insertSegments(db, campaignA, 'sla-a1', [
    { kind: 'talk', channelClass: 'voice', startMs: at('2026-03-02T10:00:00-06:00'), endMs: at('2026-03-02T11:00:00-06:00') },
    { kind: 'talk', channelClass: 'voice', startMs: at('2026-03-03T09:00:00-06:00'), endMs: at('2026-03-03T09:30:00-06:00') },
  ]);
  await insertIntervals(db, campaignA, 'sla-a2', [{ state: 'available', startMs: at('2026-03-03T08:00:00-06:00'), endMs: at('2026-03-03T12:00:00-06:00') }]);
  await insertSegments(db, campaignA, 'sla-a2', [
    { kind: 'talk', channelClass: 'text', startMs: at('2026-03-03T09:00:00-06:00'), endMs: at('2026-03-03T10:00:00-06:00') },
    { kind: 'talk', channelClass: 'text', startMs: at('2026-03-03T09:30:00-06:00'), endMs: at('2026-03-03T10:30:00-06:00') },
  ]);
  // Another campaign's traffic must not leak in.
  await insertFacts(db, campaignB, times(5, { receivedAt: '2026-03-02T10:00:00-06:00', answerWaitS: null }));
  // Two surveys in March: 4 yes of 5 answers → 80 %.
  const { channel } = await createApiChannel(db, campaignA);
  await insertSurvey(db, campaignA, channel.id, '2026-03-03T12:00:00-06:00', { q1: true, q2: false, q3: true });
  await insertSurvey(db, campaignA, channel.id, '2026-03-03T12:30:00-06:00', { q1: true, q2: true });
});
afterAll(async () => {
  await hub?.cleanup();
});

/** The month's measurements built by hand from the seeded numbers with the formula library. */
function handMeasurements(): Record<string, KpiResult> {
  const days = monthSpan(MARCH).days.map((d) => ({
    date: d.key,
    result: d.key === '2026-03-02' ? dailyAbandonment({ received: 10, attended: 8, shortAbandoned: 0, shortAbandonThresholdMs: 0 }) : d.key === '2026-03-03' ? dailyAbandonment({ received: 100, attended: 98, shortAbandoned: 0, shortAbandonThresholdMs: 0 }) : dailyAbandonment({ received: 0, attended: 0, shortAbandoned: 0, shortAbandonThresholdMs: 0 }),
  }));
  const windowMs = 31 * 86_400_000;
  const { span } = monthSpan(MARCH);
  const outage = { startMs: Date.parse('2026-03-10T10:00:00-06:00'), endMs: Date.parse('2026-03-10T12:00:00-06:00') };
  expect(span.endMs - span.startMs).toBe(windowMs);
  return {
    abandonment: monthlyAbandonment(days),
    service_level: serviceLevel({ attendedWithinThreshold: 96, attended: 106, received: 110, thresholdMs: 20_000, denominator: 'attended' }),
    response_within_limit: responseWithinLimit({ received: 0, attendedWithinLimit: 0, limitMs: 13 * 3_600_000 }),
    survey_transfer: surveyTransferRate({ transferredToSurvey: 40, attended: 106 }),
    satisfaction: satisfaction([{ q1: true, q2: false, q3: true }, { q1: true, q2: true }]).overall,
    quality: qualityScore([], 0),
    aht: averageHandleTime({ attended: 106, talkMs: 106 * 120_000, holdMs: 0, afterContactWorkMs: 0, definition: 'talk' }),
    availability: availability([span], [outage]),
  };
}

describe('SLA per campaign and the monthly evaluation', () => {
  it('rejects a bad SLA table with the schema’s problems in Spanish, field by field', async () => {
    const res = await call('admin', 'PUT', `/sla/campaigns/${campaignA}/table/draft`, {
      rows: [{ id: 'x', name: 'Abandono', kpi: 'abandonment', target: -1, direction: 'lte', rounding: 'exact', deduction: { kind: 'percent_of_invoice', factor: 0.5, weightPercent: 150 } }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('HUB_ERR_VALIDATION');
    expect(res.body.error.message).toMatch(/^La tabla de niveles de servicio no es válida/);
    const problems: { path: string; message: string }[] = res.body.error.details.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'rows.0.target', message: 'debe ser ≥ 0 / must be ≥ 0' },
        { path: 'rows.0.deduction.weightPercent', message: 'debe ser ≤ 100 / must be ≤ 100' },
        { path: 'globalCap', message: 'campo requerido / required field' },
      ]),
    );
    const stored = await hub.ctx.db.kysely.selectFrom('sla_tables').select('id').where('campaign_id', '=', campaignA).execute();
    expect(stored).toEqual([]);
  });

  it('serves the general table until one is activated; draft → active is versioned and audited; only admins change it', async () => {
    const before = await call('supA', 'GET', `/sla/campaigns/${campaignA}/table`);
    expect(before.status).toBe(200);
    expect(before.body.active).toMatchObject({ id: null, version: 0, status: 'default' });

    const table = generalSlaTable({ campaignId: campaignA, ahtTargetMinutes: 1.5, availabilityPerTenthCents: 1_000_000 });
    const body = { rows: table.rows, globalCap: table.globalCap };
    expect((await call('supA', 'PUT', `/sla/campaigns/${campaignA}/table/draft`, body)).status).toBe(403);
    const draft = await call('admin', 'PUT', `/sla/campaigns/${campaignA}/table/draft`, body);
    expect(draft.status).toBe(200);
    expect(draft.body.draft).toMatchObject({ version: 1, status: 'draft' });
    const active = await call('admin', 'POST', `/sla/campaigns/${campaignA}/table/activate`);
    expect(active.body.active).toMatchObject({ version: 1, status: 'active' });
    expect(active.body.active.table).toEqual(slaTableSchema.parse(table));
    const audit = await hub.ctx.db.kysely.selectFrom('audit_log').select('action').where('campaign_id', '=', campaignA).where('action', 'like', 'sla_table.%').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['sla_table.activated', 'sla_table.draft_saved']);
  });

  it('measures the month from the facts: abandonment is the mean of the daily values, not pooled', async () => {
    expect((await call('admin', 'PUT', `/sla/campaigns/${campaignA}/contract`, { contractStartMonth: '2026-01', maxContractAmountWithoutIvaCents: MAX_CONTRACT })).status).toBe(200);
    const outage = await call('admin', 'POST', `/sla/campaigns/${campaignA}/outages`, { startedAt: '2026-03-10T10:00:00-06:00', endedAt: '2026-03-10T12:00:00-06:00', description: 'Caída del conmutador' });
    expect(outage.status).toBe(201);
    const res = await call('supA', 'GET', `/sla/campaigns/${campaignA}/measurements?month=${MARCH}`);
    expect(res.status).toBe(200);
    const { results, missing } = res.body;
    // (20 % + 2 %) / 2 = 11 %; pooled would be 4 / 110 = 3.64 %.
    expect(results.abandonment.value).toBe(11);
    expect(results.abandonment.denominator).toBe(2);
    // Pooled: 96 of 106 attended within 20 s; 770 s of waits; 120 s talk each.
    expect(results.service_level).toMatchObject({ numerator: 96, denominator: 106 });
    expect(results.asa).toMatchObject({ numerator: 770_000, denominator: 106 });
    expect(results.aht.value).toBe(120_000);
    expect(results.survey_transfer).toMatchObject({ numerator: 40, denominator: 106 });
    expect(results.satisfaction).toMatchObject({ numerator: 4, denominator: 5, value: 80 });
    expect(results.availability.inputs).toEqual({ windowMs: 31 * 86_400_000, unavailableMs: 7_200_000 });
    expect(results.response_within_limit.status).toBe('sin_trafico');
    // Occupancy, pooled over the agent-days (consolidateOccupancy, L169); Avail idle = available − serving.
    // a1 Mar 2: talk 3.6 M ms, ACW 1.8 M, idle 14.4 M − 3.6 M = 10.8 M → 5.4 / 16.2 = 33.33 %.
    // a1 Mar 3: talk 1.8 M, idle 3.6 M − 1.8 M = 1.8 M → 1.8 / 3.6 = 50 %.
    // Pooled: (5.4 + 1.8) / (16.2 + 3.6) = 7.2 / 19.8 = 36.36 % (the mean of agent-days would be 41.67 %).
    expect(results.occupancy_phone).toMatchObject({ kpi: 'occupancy_phone', numerator: 7_200_000, denominator: 19_800_000, inputs: { agentDays: 2 } });
    expect(results.occupancy_phone.value).toBeCloseTo(36.3636, 3);
    expect(results.occupancy_phone.explanation).toBe('7200000 / 19800000 × 100 = 36.36 %');
    // a2 Mar 3, n = 4: talk 7.2 M (both chats count), idle 14.4 M − 7.2 M / 4 = 12.6 M → 7.2 / (7.2 + 12.6 × 4) = 12.5 %.
    expect(results.occupancy_chat).toMatchObject({ kpi: 'occupancy_chat', numerator: 7_200_000, denominator: 57_600_000, value: 12.5, inputs: { agentDays: 1 } });
    // FCR: 106 resolved in March, x came back within 7 days → 105 / 106 = 99.06 %.
    expect(results.fcr).toMatchObject({ kpi: 'fcr', numerator: 105, denominator: 106 });
    expect(results.fcr.explanation).toMatch(/= 99\.06 %$/);
    expect(missing).toEqual({});
    // April: no agent time → occupancy unmeasured, with the reason; FCR 5 / 5 (z's April call resolved nothing).
    const april = await call('supA', 'GET', `/sla/campaigns/${campaignA}/measurements?month=${APRIL}`);
    expect(april.status).toBe(200);
    expect(april.body.results.occupancy_phone).toBeUndefined();
    expect(april.body.missing.occupancy_phone).toMatch(/telefonía/);
    expect(april.body.missing.occupancy_chat).toMatch(/chat/);
    expect(april.body.results.fcr).toMatchObject({ numerator: 5, denominator: 5, value: 100 });
  });

  it('proposes the month equal to evaluateMonth on the hand-computed inputs; re-running gives the same proposal', async () => {
    expect((await call('admin', 'POST', '/sla/evaluations', { campaignId: campaignA, month: MARCH })).status).toBe(409); // no invoice yet
    expect((await call('admin', 'PUT', `/sla/campaigns/${campaignA}/invoices/${MARCH}`, { amountCents: INVOICE })).status).toBe(200);
    expect((await call('supA', 'POST', '/sla/evaluations', { campaignId: campaignA, month: MARCH })).status).toBe(403);

    const first = await call('admin', 'POST', '/sla/evaluations', { campaignId: campaignA, month: MARCH });
    expect(first.status).toBe(201);
    const evaluation = first.body.evaluation;
    const table = slaTableSchema.parse(generalSlaTable({ campaignId: campaignA, ahtTargetMinutes: 1.5, availabilityPerTenthCents: 1_000_000, maxContractAmountWithoutIvaCents: MAX_CONTRACT }));
    const byKpi = handMeasurements();
    const expected = evaluateMonth({ table, month: MARCH, contractMonth: 3, invoiceCents: INVOICE, measurements: Object.fromEntries(table.rows.map((r) => [r.id, byKpi[r.kpi] ?? null])), alreadyDeductedCents: 0 });
    expect(evaluation.snapshot.evaluation).toEqual(JSON.parse(JSON.stringify(expected)));
    // Hand figures: abandonment (11 − 5) × 0.5 × 5 % × $1M = $150,000; satisfaction (85 − 80) × 0.5 × 5 % = $125,000; AHT 0.5 min × 0.5 × 7 % = $17,500.
    const row = (id: string) => evaluation.rows.find((r: { rowId: string }) => r.rowId === id);
    expect(row('abandono-m1-6')).toMatchObject({ status: 'incumplido', finalCents: 15_000_000 });
    expect(row('abandono-m7')).toMatchObject({ status: 'no_aplica', finalCents: 0 });
    expect(row('satisfaccion')).toMatchObject({ status: 'incumplido', finalCents: 12_500_000 });
    expect(row('aht')).toMatchObject({ status: 'incumplido', finalCents: 1_750_000 });
    expect(row('calidad').status).toBe('sin_trafico');
    expect(row('disponibilidad').status).toBe('cumplido');
    expect(evaluation).toMatchObject({ status: 'proposed', tableVersion: 1, contractMonth: 3, invoiceCents: INVOICE, alreadyDeductedCents: 0, finalCents: expected.totals.finalCents });

    const again = await call('admin', 'POST', '/sla/evaluations', { campaignId: campaignA, month: MARCH });
    expect(again.status).toBe(200);
    expect(again.body.unchanged).toBe(true);
    expect(again.body.evaluation.id).toBe(evaluation.id);
    expect(again.body.evaluation.snapshot).toEqual(evaluation.snapshot);
  });

  it('lets supervisors of the campaign view, and denies a foreign campaign and agents', async () => {
    const list = await call('supA', 'GET', `/sla/evaluations?campaignId=${campaignA}`);
    expect(list.status).toBe(200);
    const id = list.body.items[0].id;
    expect((await call('supA', 'GET', `/sla/evaluations/${id}`)).status).toBe(200);
    const foreign = await call('supB', 'GET', `/sla/evaluations/${id}`);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    expect((await call('supB', 'GET', `/sla/evaluations/${id}/report?format=pdf`)).status).toBe(403);
    expect((await call('agentA', 'GET', `/sla/evaluations/${id}`)).body.error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    expect((await call('supA', 'PUT', `/sla/evaluations/${id}/rows/satisfaccion`, { decision: 'accepted' })).status).toBe(403);
  });

  it('adjusts a row only with a reason, validates the month and freezes it', async () => {
    const id = (await call('admin', 'GET', `/sla/evaluations?campaignId=${campaignA}`)).body.items[0].id;
    const noReason = await call('admin', 'PUT', `/sla/evaluations/${id}/rows/satisfaccion`, { decision: 'adjusted', finalCents: 0 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/motivo/);
    const reason = 'Exclusión por fuerza mayor: falla eléctrica regional del 10 de marzo';
    const adjusted = await call('admin', 'PUT', `/sla/evaluations/${id}/rows/satisfaccion`, { decision: 'adjusted', finalCents: 0, reason });
    expect(adjusted.status).toBe(200);
    const proposed = adjusted.body.evaluation.proposedCents;
    expect(adjusted.body.evaluation.finalCents).toBe(proposed - 12_500_000);

    const validated = await call('admin', 'POST', `/sla/evaluations/${id}/validate`);
    expect(validated.status).toBe(200);
    expect(validated.body.evaluation).toMatchObject({ status: 'validated', validatedByName: 'admin', finalCents: proposed - 12_500_000 });
    expect(validated.body.evaluation.rows.every((r: { decision: unknown }) => r.decision !== null)).toBe(true);
    expect(validated.body.evaluation.rows.find((r: { rowId: string }) => r.rowId === 'satisfaccion').decision).toMatchObject({ decision: 'adjusted', finalCents: 0, reason });

    for (const [method, url, payload] of [
      ['PUT', `/sla/evaluations/${id}/rows/aht`, { decision: 'accepted' }],
      ['POST', `/sla/evaluations/${id}/validate`, undefined],
      ['POST', '/sla/evaluations', { campaignId: campaignA, month: MARCH }],
      ['PUT', `/sla/campaigns/${campaignA}/invoices/${MARCH}`, { amountCents: 1 }],
      ['POST', `/sla/campaigns/${campaignA}/outages`, { startedAt: '2026-03-20T10:00:00-06:00', endedAt: '2026-03-20T11:00:00-06:00', description: 'Otra caída' }],
    ] as const) {
      const res = await call('admin', method, url, payload);
      expect(res.status, `${method} ${url}`).toBe(409);
    }
    const audit = await hub.ctx.db.kysely.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['sla_evaluation.proposed', 'sla_evaluation.row_decided', 'sla_evaluation.validated']));
  });

  it('shares the global cap across months: April gets only what March left', async () => {
    const march = (await call('admin', 'GET', `/sla/evaluations?campaignId=${campaignA}`)).body.items.find((e: { month: string }) => e.month === MARCH);
    await call('admin', 'PUT', `/sla/campaigns/${campaignA}/invoices/${APRIL}`, { amountCents: INVOICE });
    const res = await call('admin', 'POST', '/sla/evaluations', { campaignId: campaignA, month: APRIL });
    expect(res.status).toBe(201);
    const april = res.body.evaluation;
    // April abandonment 50 % alone proposes (50 − 5) × 0.5 × 5 % × $1M = $1,125,000: the cap binds.
    expect(april.snapshot.evaluation.rows.find((r: { rowId: string }) => r.rowId === 'abandono-m1-6').proposedCents).toBe(112_500_000);
    expect(april.alreadyDeductedCents).toBe(march.finalCents);
    expect(april.snapshot.evaluation.globalCap).toMatchObject({ capCents: 50_000_000, binding: true, remainingCents: 50_000_000 - march.finalCents });
    expect(april.finalCents).toBe(50_000_000 - march.finalCents);
    const over = await call('admin', 'PUT', `/sla/evaluations/${april.id}/rows/aht`, { decision: 'adjusted', finalCents: 50_000_000, reason: 'Prueba de exceso del tope' });
    expect(over.status).toBe(400);
  });

  it('exports the report as PDF, CSV, XLSX and JSON, audited', async () => {
    const id = (await call('admin', 'GET', `/sla/evaluations?campaignId=${campaignA}`)).body.items.find((e: { month: string }) => e.month === MARCH).id;
    const json = await call('supA', 'GET', `/sla/evaluations/${id}/report?format=json`);
    const report = json.body.report;
    const total = report.totals.decidedCents;
    const money = `$${Math.floor(total / 100).toLocaleString('en-US')}.${String(total % 100).padStart(2, '0')}`;

    const pdf = await call('supA', 'GET', `/sla/evaluations/${id}/report?format=pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.raw.subarray(0, 4).toString()).toBe('%PDF');
    const text = pdfVisibleText(pdf.raw);
    expect(text).toContain(`Campaña: `);
    expect(text).toContain(campaignName);
    expect(text).toContain(`Total validado / ajustado: ${money}`);
    expect(text).toContain('Exclusión por fuerza mayor');
    expect(text).toMatch(/Página 1 de \d+/);

    const csv = await call('supA', 'GET', `/sla/evaluations/${id}/report?format=csv`);
    const lines = csv.raw.toString('utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(lines).toContain(`Campaña,${campaignName}`);
    expect(lines).toContain(`Total validado / ajustado,"${money}"`);
    const satisfactionLine = lines.find((l) => l.startsWith('Satisfacción del usuario,'));
    expect(satisfactionLine).toContain('Ajustada');
    expect(satisfactionLine).toContain('$0.00');

    const xlsx = await call('supA', 'GET', `/sla/evaluations/${id}/report?format=xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Uint8Array.from(xlsx.raw).buffer);
    const rows = book.getWorksheet('Filas');
    expect(rows?.rowCount).toBe(report.rows.length + 1);
    expect(rows?.getRow(1).getCell(1).value).toBe('Fila');
    const summary = book.getWorksheet('Resumen');
    const pairs = new Map<string, unknown>();
    summary?.eachRow((r) => pairs.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(pairs.get('Campaña')).toBe(campaignName);
    expect(pairs.get('Total validado / ajustado')).toBe(money);

    const exports = await hub.ctx.db.kysely.selectFrom('audit_log').select('details').where('action', '=', 'data.exported').where('target_id', '=', id).execute();
    expect(exports.map((e) => (e.details as { format: string }).format).sort()).toEqual(['csv', 'json', 'pdf', 'xlsx']);
  });
});
