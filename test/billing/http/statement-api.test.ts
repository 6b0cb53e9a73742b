import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Statement, StatementLine } from '../../../hub/src/billing/billing.contract.js';
import { createPenalty } from '../../../hub/src/billing/rate-card/penalties.store.js';
import { activateRateCardDraft, saveRateCardDraft } from '../../../hub/src/billing/rate-card/rate-card.store.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { pdfVisibleText } from '../../sla/sla-fixtures.js';
import { insertUsageFacts, testCard } from './billing-http-fixtures.js';

/**
 * The statement API over HTTP against the real PostgreSQL: usage facts seeded directly, a card
 * activated through the store, and October 2026 (Mexico City) of campaign A hand-computed:
 *
 * - ps_i_voice: 3,600.5 + 3,000.25 + 929.5 = 7,530.25 s → ⌊7,530.25 / 60⌋ = 125 min (remainder
 *   30.25 s) × $2.38 = 29,750 ¢.
 * - ps_i_outbound (the more specific selector takes the outbound fact): 120 s = 2 min × $2.35 = 470 ¢.
 * - chat (minute with seconds): 60.4 + 30 = 90.4 s → 90 s × $2.38 / 60 = 357 ¢.
 * - email_out: weights 100 + 100 + 50 = 2.5 messages × $17.74 = 4,435 ¢.
 * - help_desk: 1 × $20,285.78 = 2,028,578 ¢.
 * Subtotal = 29,750 + 470 + 357 + 4,435 + 2,028,578 = 2,063,590 ¢.
 * Penalty: 2 days × $15.00 = 3,000 ¢ (no contract amount: no global cap). No SLA deductions.
 * Base = 2,063,590 − 3,000 = 2,060,590 ¢; IVA 16 % = 329,694.4 → 329,694 ¢; total = 2,390,284 ¢ ($23,902.84).
 * The IVR fact with a missing recording is excluded; the other IVR fact (200 s) has no concept.
 */
const OCT = '2026-10';
const AT = (day: string, time: string) => `2026-10-${day}T${time}-06:00`;

let hub: TestHub;
let campaignA: string;
let campaignSlug: string;
let campaignC: string;
let campaignD: string;
const tokens: Record<string, string> = {};

const call = async (who: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => {
  const res = await hub.app.inject({ method, url: `/api/v1${url}`, headers: bearer(tokens[who] ?? ''), ...(payload === undefined ? {} : { payload }) });
  return { status: res.statusCode, body: res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : null, raw: res.rawPayload, headers: res.headers };
};

const sumSeconds = (items: readonly { seconds: number }[]) => Math.round(items.reduce((acc, f) => acc + f.seconds * 1000, 0)) / 1000;

beforeAll(async () => {
  hub = await createTestHub();
  const db = hub.ctx.db.kysely;
  const a = await createCampaign(db, { name: 'Orientación Médica Telefónica', slug: 'orientacion-medica' });
  campaignA = a.id;
  campaignSlug = a.slug;
  const campaignB = (await createCampaign(db)).id;
  campaignC = (await createCampaign(db, { name: 'Cierres' })).id;
  campaignD = (await createCampaign(db, { name: 'Recálculo' })).id;
  for (const [key, roles, campaigns] of [
    ['admin', ['admin'], []],
    ['supA', ['supervisor'], [campaignA, campaignC]],
    ['supB', ['supervisor'], [campaignB]],
    ['auditorA', ['auditor'], [campaignA, campaignC, campaignD]],
    ['agentA', ['agent'], [campaignA]],
  ] as const) {
    const user = await createUser(db, { roles: [...roles], campaignIds: [...campaigns], name: key });
    tokens[key] = await tokenFor(db, user.id);
  }
  const adminId = (await db.selectFrom('users').select('id').where('display_name', '=', 'admin').executeTakeFirstOrThrow()).id;
  await saveRateCardDraft(db, campaignA, testCard(), { userId: adminId });
  await activateRateCardDraft(db, campaignA, { userId: adminId });
  await createPenalty(db, campaignA, { month: OCT, kind: 'per_day', units: 2, amountPerUnitCents: 1500, description: 'Entrega tardía del reporte mensual' }, { userId: adminId });

  const [agent1, agent2] = [randomUUID(), randomUUID()];
  await insertUsageFacts(db, campaignA, [
    { meter: 'agent_time', at: AT('05', '09:00:00'), seconds: 3600.5, seatType: 'PS-I', channelClass: 'voice', agentId: agent1 },
    { meter: 'agent_time', at: AT('06', '09:00:00'), seconds: 3000.25, seatType: 'PS-I', channelClass: 'voice', direction: 'inbound', agentId: agent1 },
    { meter: 'agent_time', at: AT('07', '09:00:00'), seconds: 929.5, seatType: 'PS-I', channelClass: 'voice', agentId: agent2 },
    { meter: 'agent_time', at: AT('07', '12:00:00'), seconds: 120, seatType: 'PS-I', channelClass: 'voice', direction: 'outbound', agentId: agent2 },
    { meter: 'agent_time', at: AT('08', '10:00:00'), seconds: 60.4, channelClass: 'text', agentId: agent2 },
    { meter: 'agent_time', at: AT('08', '11:00:00'), seconds: 30, channelClass: 'text', agentId: agent2 },
    { meter: 'email_outbound', at: AT('09', '10:00:00'), folio: 'OMT-2026-000001', conversationId: randomUUID() },
    { meter: 'email_outbound', at: AT('09', '11:00:00'), folio: 'OMT-2026-000002', conversationId: randomUUID() },
    { meter: 'email_outbound', at: AT('09', '12:00:00'), folio: 'OMT-2026-000003', weightPct: 50, conversationId: randomUUID() },
    { meter: 'ivr_time', at: AT('10', '10:00:00'), seconds: 95.5, folio: 'OMT-2026-000009', callSid: 'CA-missing', evidenceProblem: 'missing_recording' },
    { meter: 'ivr_time', at: AT('10', '11:00:00'), seconds: 200, folio: 'OMT-2026-000010', callSid: 'CA-ok' },
  ]);
  // Another campaign's usage must not leak into A's statement or traces.
  await insertUsageFacts(db, campaignB, [{ meter: 'email_outbound', at: AT('09', '10:00:00'), folio: 'B-000001' }]);
});
afterAll(async () => {
  await hub?.cleanup();
});

function lineOf(statement: Statement, code: string, kind: StatementLine['kind'] = 'usage'): StatementLine {
  const line = statement.lines.find((l) => l.conceptCode === code && l.kind === kind);
  if (!line) throw new Error(`no ${kind} line ${code}`);
  return line;
}

describe('billing statement API', () => {
  it('serves the month as JSON with every figure hand-computed', async () => {
    const res = await call('supA', 'GET', `/billing/campaigns/${campaignA}/statements/${OCT}`);
    expect(res.status).toBe(200);
    const s: Statement = res.body;
    expect(s.status).toBe('open');
    expect(s.rateCard.version).toBe(1);
    const voice = lineOf(s, 'ps_i_voice');
    expect([voice.quantity, voice.exactSeconds, voice.remainderSeconds, voice.factCount, voice.amountCents]).toEqual([125, 7530.25, 30.25, 3, 29_750]);
    expect(lineOf(s, 'ps_i_outbound').amountCents).toBe(470);
    const chat = lineOf(s, 'chat');
    expect([chat.quantity, chat.exactSeconds, chat.amountCents]).toEqual([1.5, 90.4, 357]);
    const email = lineOf(s, 'email_out');
    expect([email.quantity, email.factCount, email.amountCents]).toEqual([2.5, 3, 4435]);
    expect(lineOf(s, 'help_desk', 'fixed').amountCents).toBe(2_028_578);
    expect(s.subtotalCents).toBe(2_063_590);
    expect(s.penaltiesCents).toBe(3000);
    expect(s.deductionsCents).toBe(0);
    expect(s.taxableCents).toBe(2_060_590);
    expect(s.ivaCents).toBe(329_694);
    expect(s.totalCents).toBe(2_390_284);
    expect(s.excluded).toEqual([expect.objectContaining({ folio: 'OMT-2026-000009', callSid: 'CA-missing', problem: 'missing_recording', seconds: 95.5 })]);
    expect(s.unpriced).toEqual([expect.objectContaining({ meter: 'ivr_time', exactSeconds: 200, factCount: 1 })]);
  });

  it('lets admins, the campaign’s supervisors and auditors read; refuses agents and other campaigns; checks the month', async () => {
    const url = `/billing/campaigns/${campaignA}/statements/${OCT}`;
    expect((await call('admin', 'GET', url)).status).toBe(200);
    expect((await call('auditorA', 'GET', url)).status).toBe(200);
    const agent = await call('agentA', 'GET', url);
    expect(agent.status).toBe(403);
    expect(agent.body.error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    const foreign = await call('supB', 'GET', url);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    expect((await call('supB', 'GET', `${url}/export?format=pdf`)).status).toBe(403);
    expect((await call('supB', 'GET', `${url}/lines/ps_i_voice/facts`)).status).toBe(403);
    expect((await call('supB', 'GET', `/billing/campaigns/${campaignA}/usage?month=${OCT}`)).status).toBe(403);
    const badMonth = await call('supA', 'GET', `/billing/campaigns/${campaignA}/statements/2026-13`);
    expect(badMonth.status).toBe(400);
    expect(JSON.stringify(badMonth.body)).toContain('use el formato AAAA-MM');
    const badFormat = await call('supA', 'GET', `${url}/export?format=docx`);
    expect(badFormat.status).toBe(400);
    expect(JSON.stringify(badFormat.body)).toContain('el formato debe ser csv, xlsx o pdf');
  });

  it('traces a line to its facts and folios: keyset pages whose seconds sum to the line’s exact seconds', async () => {
    const statement: Statement = (await call('auditorA', 'GET', `/billing/campaigns/${campaignA}/statements/${OCT}`)).body;
    const base = `/billing/campaigns/${campaignA}/statements/${OCT}/lines`;
    const first = await call('auditorA', 'GET', `${base}/ps_i_voice/facts?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.next).not.toBeNull();
    // 3 facts of the concept; the outbound one belongs to the more specific ps_i_outbound.
    expect(first.body.totals).toEqual({ factCount: 3, exactSeconds: 7530.25, items: 0, weightedUnits: 0 });
    const second = await call('auditorA', 'GET', `${base}/ps_i_voice/facts?limit=2&after=${first.body.next}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.next).toBeNull();
    expect(second.body.totals).toBeNull();
    const all = [...first.body.items, ...second.body.items];
    expect(all.map((f: { seconds: number }) => f.seconds)).toEqual([3600.5, 3000.25, 929.5]);
    expect(all.every((f: { direction: string | null }) => f.direction !== 'outbound')).toBe(true);
    // 3,600.5 + 3,000.25 + 929.5 = 7,530.25 s = the line's exact seconds.
    expect(sumSeconds(all)).toBe(lineOf(statement, 'ps_i_voice').exactSeconds);

    const outbound = await call('auditorA', 'GET', `${base}/ps_i_outbound/facts`);
    expect(sumSeconds(outbound.body.items)).toBe(120);
    const chat = await call('auditorA', 'GET', `${base}/chat/facts`);
    // 60.4 + 30 = 90.4 s; the statement bills ⌊90.4⌋ = 90 s.
    expect(sumSeconds(chat.body.items)).toBe(lineOf(statement, 'chat').exactSeconds);

    const email = await call('auditorA', 'GET', `${base}/email_out/facts`);
    expect(email.body.items.map((f: { folio: string; weightPct: number }) => [f.folio, f.weightPct])).toEqual([
      ['OMT-2026-000001', 100],
      ['OMT-2026-000002', 100],
      ['OMT-2026-000003', 50],
    ]);
    // 100 + 100 + 50 = 250 % → 2.5 messages, the line's quantity; B's email is not here.
    expect(email.body.totals.weightedUnits).toBe(lineOf(statement, 'email_out').quantity);
    expect(email.body.items[0]).toEqual(expect.objectContaining({ startedAt: '2026-10-09T16:00:00.000Z', localDay: '2026-10-09', meter: 'email_outbound' }));

    const fixed = await call('auditorA', 'GET', `${base}/help_desk/facts`);
    expect(fixed.body).toEqual(expect.objectContaining({ selector: null, items: [], next: null }));
    const unknown = await call('auditorA', 'GET', `${base}/no_such_concept/facts`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('no tiene el concepto «no_such_concept»');
  });

  it('exports every fact of a line as CSV, audited', async () => {
    const res = await call('auditorA', 'GET', `/billing/campaigns/${campaignA}/statements/${OCT}/lines/ps_i_voice/facts.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="estado-de-cuenta-${campaignSlug}-${OCT}-ps_i_voice-${OCT}-hechos.csv"`);
    const lines = res.raw.toString('utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,folio,conversacion,llamada,agente,inicio,fin,dia_local,segundos,cantidad,peso_pct,medidor,tipo_posicion,nivel,clase_canal,canal,direccion,clave_origen');
    expect(lines).toHaveLength(4);
    // The first fact: 09:00:00 local + 3,600.5 s = 10:00:00.5 (the CSV shows whole seconds of the wall clock).
    expect(lines[1]).toContain(',2026-10-05T09:00:00-06:00,2026-10-05T10:00:00-06:00,2026-10-05,3600.5,0,100,agent_time,PS-I,,voice,,,');
    const audit = await hub.ctx.db.kysely.selectFrom('audit_log').select('details').where('action', '=', 'billing.statement_exported').where('campaign_id', '=', campaignA).execute();
    expect(audit.some((a) => (a.details as { export?: string; conceptCode?: string }).export === 'line-facts' && (a.details as { conceptCode?: string }).conceptCode === 'ps_i_voice')).toBe(true);
  });

  it('streams a line of more facts than one page (5,000) into one CSV, each fact once', async () => {
    const db = hub.ctx.db.kysely;
    const campaignE = (await createCampaign(db, { name: 'Volumen' })).id;
    // 5,001 IVR facts of 1.5 s each, one a minute from 2026-07-01 00:00 local: Σ = 5,001 × 1.5 = 7,501.5 s.
    const start = Date.parse('2026-07-01T00:00:00-06:00');
    await insertUsageFacts(
      db,
      campaignE,
      Array.from({ length: 5001 }, (_, i) => ({ meter: 'ivr_time' as const, at: new Date(start + i * 60_000).toISOString(), seconds: 1.5, folio: `E-${i}` })),
    );
    const url = `/billing/campaigns/${campaignE}/statements/2026-07/lines/ivr`;
    const statement: Statement = (await call('admin', 'GET', `/billing/campaigns/${campaignE}/statements/2026-07`)).body;
    // Default card: ⌊7,501.5 / 60⌋ = 125 min (remainder 1.5 s).
    expect([lineOf(statement, 'ivr').exactSeconds, lineOf(statement, 'ivr').quantity]).toEqual([7501.5, 125]);
    const res = await call('admin', 'GET', `${url}/facts.csv`);
    const rows = res.raw.toString('utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n').slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(5001);
    const ids = rows.map((r) => Number(r[0]));
    expect(new Set(ids).size).toBe(5001);
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] ?? 0))).toBe(true);
    expect(Math.round(rows.reduce((acc, r) => acc + Number(r[8]) * 1000, 0)) / 1000).toBe(lineOf(statement, 'ivr').exactSeconds);
    expect(rows[5000]?.[1]).toBe('E-5000');
  });

  it('exports the statement as CSV, XLSX and PDF with the campaign’s file name, one audit row per export', async () => {
    const db = hub.ctx.db.kysely;
    const exported = () =>
      db.selectFrom('audit_log').select(['details', 'actor_user_id']).where('action', '=', 'billing.statement_exported').where('campaign_id', '=', campaignA).orderBy('id').execute();
    const before = await exported();
    const url = `/billing/campaigns/${campaignA}/statements/${OCT}/export`;

    const csv = await call('supA', 'GET', `${url}?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="estado-de-cuenta-${campaignSlug}-${OCT}.csv"`);
    const csvLines = csv.raw.toString('utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(csvLines).toContain('Campaña,Orientación Médica Telefónica');
    expect(csvLines).toContain('Estado,ABIERTO');
    expect(csvLines).toContain('Total,"$23,902.84"');
    expect(csvLines).toContain('IVA 16 %,"$3,296.94"');
    expect(csvLines.find((l) => l.startsWith('Uso del mes,ps_i_voice,'))).toContain(',125,7530.25,125 min 30.25 s,30.25,3,$2.38,100 %,$297.50,');

    const xlsx = await call('auditorA', 'GET', `${url}?format=xlsx`);
    expect(xlsx.headers['content-disposition']).toBe(`attachment; filename="estado-de-cuenta-${campaignSlug}-${OCT}.xlsx"`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Uint8Array.from(xlsx.raw).buffer);
    const pairs = new Map<string, unknown>();
    book.getWorksheet('Estado de cuenta')?.eachRow((r) => pairs.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(pairs.get('Total')).toBe('$23,902.84');
    expect(pairs.get('Penas convencionales')).toBe('$30.00');
    expect(book.getWorksheet('Conceptos')?.rowCount).toBe(1 + 5);

    const pdf = await call('admin', 'GET', `${url}?format=pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfVisibleText(pdf.raw);
    expect(text).toContain('Orientación Médica Telefónica');
    expect(text).toContain('ABIERTO');
    expect(text).toContain('$23,902.84');
    expect(text).toContain('Folio: OMT-2026-000009');
    // The statement's own traces (Σ, ⌊ ⌋, →) are spelled out for WinAnsi, never printed as «?».
    expect(text).toContain('Suma 7,530.25 s');
    expect(text).not.toContain('?');

    const newRows = (await exported()).slice(before.length).map((a) => a.details as { format: string; totalCents: number; month: string });
    expect(newRows.map((d) => d.format)).toEqual(['csv', 'xlsx', 'pdf']);
    expect(newRows.every((d) => d.totalCents === 2_390_284 && d.month === OCT)).toBe(true);
    expect((await call('agentA', 'GET', `${url}?format=csv`)).status).toBe(403);
  });

  it('lists the month’s usage facts by meter or folio, in keyset pages', async () => {
    const base = `/billing/campaigns/${campaignA}/usage?month=${OCT}`;
    const emails = await call('auditorA', 'GET', `${base}&meter=email_outbound&limit=2`);
    expect(emails.status).toBe(200);
    expect(emails.body.facts.map((f: { folio: string }) => f.folio)).toEqual(['OMT-2026-000001', 'OMT-2026-000002']);
    const rest = await call('auditorA', 'GET', `${base}&meter=email_outbound&limit=2&after=${emails.body.next}`);
    expect(rest.body.facts.map((f: { folio: string }) => f.folio)).toEqual(['OMT-2026-000003']);
    expect(rest.body.next).toBeNull();
    const byFolio = await call('auditorA', 'GET', `${base}&folio=OMT-2026-000009`);
    expect(byFolio.body.facts).toEqual([expect.objectContaining({ meter: 'ivr_time', durationMs: 95_500, evidenceProblem: 'missing_recording' })]);
    // 11 facts seeded for A in October (B's one is not listed).
    expect((await call('auditorA', 'GET', `${base}&limit=100`)).body.facts).toHaveLength(11);
    const badMeter = await call('auditorA', 'GET', `${base}&meter=fax`);
    expect(badMeter.status).toBe(400);
    expect(JSON.stringify(badMeter.body)).toContain('medidor desconocido');
  });

  it('recomputes a month’s usage for admins only, audited, with its counts', async () => {
    const db = hub.ctx.db.kysely;
    // Two facts whose sources do not exist: the derivation deletes both (nothing to insert).
    await insertUsageFacts(db, campaignD, [
      { meter: 'email_outbound', at: '2026-08-03T10:00:00-06:00', folio: 'D-1' },
      { meter: 'ivr_time', at: '2026-08-03T11:00:00-06:00', seconds: 30 },
    ]);
    const url = `/billing/campaigns/${campaignD}/usage/recompute`;
    const refused = await call('auditorA', 'POST', url, { month: '2026-08' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    expect((await call('admin', 'POST', url, { month: '08-2026' })).status).toBe(400);
    const res = await call('admin', 'POST', url, { month: '2026-08' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ month: '2026-08', inserted: 0, updated: 0, deleted: 2, unchanged: 0, frozen: 0 }));
    expect(res.body.rateCard).toEqual({ id: null, version: 0 });
    // July is not closed: nothing of it is derived again (a closed month before would be).
    expect(res.body.previous).toBeNull();
    const audit = await db.selectFrom('audit_log').select('details').where('action', '=', 'billing.usage_recomputed').where('campaign_id', '=', campaignD).execute();
    expect(audit.map((a) => a.details)).toEqual([expect.objectContaining({ month: '2026-08', deleted: 2 })]);
  });

  it('closes a month for admins only; refusals are Spanish 409s; late usage of the closed month is an adjustment traced to its folio', async () => {
    const db = hub.ctx.db.kysely;
    const base = `/billing/campaigns/${campaignC}/statements`;
    const notEnded = await call('admin', 'POST', `${base}/2026-11/close`);
    expect(notEnded.status).toBe(409);
    expect(notEnded.body.error.code).toBe('HUB_ERR_BILLING_MONTH_NOT_ENDED');
    expect(notEnded.body.error.message).toContain('aún no termina');

    await insertUsageFacts(db, campaignC, [{ meter: 'email_outbound', at: '2026-09-15T10:00:00-06:00', folio: 'C-SEPT-1' }]);
    const earlierOpen = await call('admin', 'POST', `${base}/2026-10/close`);
    expect(earlierOpen.status).toBe(409);
    expect(earlierOpen.body.error.code).toBe('HUB_ERR_BILLING_EARLIER_MONTH_OPEN');
    expect(earlierOpen.body.error.message).toContain('El mes 2026-09 tiene consumo y sigue abierto');

    expect((await call('auditorA', 'POST', `${base}/2026-09/close`)).status).toBe(403);
    expect((await call('supA', 'POST', `${base}/2026-09/close`)).status).toBe(403);
    const closed = await call('admin', 'POST', `${base}/2026-09/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    const again = await call('admin', 'POST', `${base}/2026-09/close`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('HUB_ERR_BILLING_MONTH_CLOSED');
    expect(again.body.error.message).toContain('ya está cerrado');
    expect((await call('auditorA', 'GET', `${base}/2026-09`)).body.status).toBe('closed');
    const pdf = pdfVisibleText((await call('auditorA', 'GET', `${base}/2026-09/export?format=pdf`)).raw);
    expect(pdf).toContain('CERRADO');

    // A September email recorded after the close: October bills it as an adjustment of 2026-09
    // (default card: 1 × $17.74 = 1,774 ¢), and its trace reaches the folio.
    await insertUsageFacts(db, campaignC, [{ meter: 'email_outbound', at: '2026-09-30T18:00:00-06:00', folio: 'C-SEPT-LATE' }]);
    const october: Statement = (await call('auditorA', 'GET', `${base}/2026-10`)).body;
    const adjustment = lineOf(october, 'email_outbound', 'adjustment');
    expect([adjustment.usageMonth, adjustment.quantity, adjustment.amountCents]).toEqual(['2026-09', 1, 1774]);
    const trace = await call('auditorA', 'GET', `${base}/2026-10/lines/email_outbound/facts?usageMonth=2026-09`);
    expect(trace.body.items.map((f: { folio: string }) => f.folio)).toEqual(['C-SEPT-LATE']);
    expect(trace.body.totals.weightedUnits).toBe(adjustment.quantity);
    // The closed month's own trace reads the card its close stored (the default card, saved as
    // version 1) and what the close billed: the late email is not part of it.
    expect(closed.body.rateCard.version).toBe(1);
    const closedTrace = await call('auditorA', 'GET', `${base}/2026-09/lines/email_outbound/facts`);
    expect(closedTrace.body).toEqual(expect.objectContaining({ status: 'closed', rateCard: closed.body.rateCard, items: [] }));
    const openEarlier = await call('auditorA', 'GET', `${base}/2026-10/lines/email_outbound/facts?usageMonth=2026-08`);
    expect(openEarlier.status).toBe(400);
    expect(openEarlier.body.error.message).toContain('sigue abierto');
    const closeAudit = await db.selectFrom('audit_log').select('action').where('campaign_id', '=', campaignC).where('action', '=', 'billing.month_closed').execute();
    expect(closeAudit).toHaveLength(1);
  });
});
