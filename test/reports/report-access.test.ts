import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';

/**
 * Issue 9 item 7: who may read reports (roles × campaigns), report tokens for BI tools (scope,
 * revocation, expiry, last use), Spanish validation errors, the audit of every export, and the
 * voicemail report served through the report API.
 */
type Role = 'agent' | 'supervisor' | 'admin' | 'auditor';
const DATE = '2025-03-12';

describe('report access, tokens and validation (PostgreSQL, HTTP)', () => {
  const config = testConfig({ HUB_ROLE: 'api', PORT: '0' });
  let hub: HubProcess;
  let campaignA: string;
  let campaignB: string;
  const users: Record<string, { id: string; token: string }> = {};

  const call = (token: string | null, method: string, path: string, body?: unknown) =>
    fetch(`${hub.url}/api/v1${path}`, {
      method,
      headers: { ...(token ? bearer(token) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const daily = (token: string | null, campaignId: string, extra = '') => call(token, 'GET', `/reports/daily-service-level?campaignId=${campaignId}&date=${DATE}${extra}`);
  const createToken = async (who: string, campaignId: string, name = 'Power BI', expiresAt?: string) => call(users[who]!.token, 'POST', '/report-tokens', { campaignId, name, ...(expiresAt ? { expiresAt } : {}) });

  beforeAll(async () => {
    hub = await startHubProcess(config);
    const db = hub.ctx.db.kysely;
    campaignA = (await createCampaign(db)).id;
    campaignB = (await createCampaign(db)).id;
    const make = async (key: string, roles: Role[], campaignIds: string[]) => {
      const u = await createUser(db, { roles, campaignIds, name: key });
      users[key] = { id: u.id, token: await tokenFor(db, u.id) };
    };
    await make('admin', ['admin'], []);
    await make('supA', ['supervisor'], [campaignA]);
    await make('supB', ['supervisor'], [campaignB]);
    await make('auditorA', ['auditor'], [campaignA]);
    await make('agentA', ['agent'], [campaignA]);
  });
  afterAll(async () => {
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('lets admins, the campaign’s supervisors and auditors read; denies other roles and campaigns', async () => {
    expect((await daily(users['admin']!.token, campaignA)).status).toBe(200);
    expect((await daily(users['admin']!.token, campaignB)).status).toBe(200);
    expect((await daily(users['supA']!.token, campaignA)).status).toBe(200);
    expect((await daily(users['auditorA']!.token, campaignA)).status).toBe(200);
    for (const [who, campaignId, code] of [
      ['supA', campaignB, 'HUB_ERR_FORBIDDEN_CAMPAIGN'],
      ['auditorA', campaignB, 'HUB_ERR_FORBIDDEN_CAMPAIGN'],
      ['supB', campaignA, 'HUB_ERR_FORBIDDEN_CAMPAIGN'],
      ['agentA', campaignA, 'HUB_ERR_FORBIDDEN_ROLE'],
    ] as const) {
      const res = await daily(users[who]!.token, campaignId, '&format=csv');
      expect(res.status, who).toBe(403);
      expect((await res.json()).error.code).toBe(code);
    }
    expect((await daily(null, campaignA)).status).toBe(401);
    expect((await call(null, 'GET', '/reports')).status).toBe(401);
  });

  it('refuses bad parameters with 400 and a Spanish message first', async () => {
    const sup = users['supA']!.token;
    const cases: [string, number, RegExp][] = [
      [`/reports/daily-service-level?campaignId=${campaignA}&date=12-03-2025`, 400, /Fecha no válida, use AAAA-MM-DD/],
      [`/reports/daily-service-level?campaignId=no-es-uuid&date=${DATE}`, 400, /Campaña no válida/],
      [`/reports/daily-service-level?campaignId=${campaignA}`, 400, /^Falta el periodo/],
      [`/reports/daily-service-level?campaignId=${campaignA}&from=2025-03-12&to=2025-03-01`, 400, /^La fecha final es anterior a la inicial/],
      [`/reports/intervals?campaignId=${campaignA}&from=2025-01-01&to=2025-04-03&interval=half_hour`, 400, /^El periodo es de 93 días; este reporte admite hasta 92 días/],
      [`/reports/intervals?campaignId=${campaignA}&date=${DATE}&interval=hora`, 400, /Intervalo no válido/],
      [`/reports/daily-service-level?campaignId=${campaignA}&date=${DATE}&format=pdf`, 400, /Formato no válido/],
      [`/reports/tier2-transfers?campaignId=${campaignA}&date=${DATE}&format=csv&table=otra`, 400, /^Tabla desconocida «otra»; use detail, by_reason/],
      [`/reports/ventas?campaignId=${campaignA}&date=${DATE}`, 404, /^Reporte desconocido «ventas»/],
    ];
    for (const [path, status, message] of cases) {
      const res = await call(sup, 'GET', path);
      expect(res.status, path).toBe(status);
      expect((await res.json()).error.message, path).toMatch(message);
    }
    // A year of days is fine for the day interval.
    expect((await call(sup, 'GET', `/reports/intervals?campaignId=${campaignA}&from=2025-01-01&to=2025-04-03&interval=day`)).status).toBe(200);
  });

  it('audits every export with who, what and which campaign', async () => {
    const before = new Date();
    expect((await daily(users['auditorA']!.token, campaignA, '&format=xlsx')).status).toBe(200);
    const rows = await hub.ctx.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'data.exported').where('occurred_at', '>=', before).where('actor_user_id', '=', users['auditorA']!.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ campaign_id: campaignA, target_type: 'report', target_id: 'daily-service-level' });
    expect(rows[0]!.details).toMatchObject({ format: 'xlsx', from: DATE, to: DATE, via: 'user' });
  });

  it('report tokens: shown once, reach only their campaign and only the report routes, record their last use', async () => {
    const created = await createToken('supA', campaignA, 'Tablero BI');
    expect(created.status).toBe(201);
    const { token, item } = await created.json();
    expect(token).toMatch(/^vrt_[A-Za-z0-9_-]{43}$/);
    expect(item).toMatchObject({ campaignId: campaignA, name: 'Tablero BI', status: 'active', lastUsedAt: null, prefix: token.slice(0, 12) });
    const stored = await hub.ctx.db.kysely.selectFrom('report_tokens').selectAll().where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token.slice(4));
    expect(JSON.stringify(await (await call(users['supA']!.token, 'GET', `/report-tokens?campaignId=${campaignA}`)).json())).not.toContain(token);

    const json = await daily(token, campaignA);
    expect(json.status).toBe(200);
    expect((await json.json()).tables[0].id).toBe('service_level');
    const csv = await daily(token, campaignA, '&format=csv');
    expect(csv.status).toBe(200);
    const parsed: string[][] = parse(await csv.text(), { bom: true });
    expect(parsed[0]?.[0]).toBe('Fecha');
    expect((await call(token, 'GET', '/reports')).status).toBe(200);

    const foreign = await daily(token, campaignB);
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.message).toMatch(/^El token de reportes es de otra campaña/);
    for (const path of ['/conversations', '/campaigns', `/report-tokens?campaignId=${campaignA}`, '/auth/me', `/voice/reports/voicemail?campaignId=${campaignA}&date=${DATE}`]) {
      expect((await call(token, 'GET', path)).status, path).toBe(401);
    }
    expect((await call(token, 'POST', '/report-tokens', { campaignId: campaignA, name: 'otro' })).status).toBe(401);

    const listed = await (await call(users['supA']!.token, 'GET', `/report-tokens?campaignId=${campaignA}`)).json();
    const mine = listed.items.find((t: { id: string }) => t.id === item.id);
    expect(mine.lastUsedAt).toEqual(expect.any(String));
    const audit = await hub.ctx.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'data.exported').where('actor_label', 'like', '%Tablero BI%').execute();
    expect(audit.length).toBe(2);
    expect(audit.every((a) => a.actor_user_id === null && a.campaign_id === campaignA)).toBe(true);
    expect(audit.map((a) => a.details)).toEqual(expect.arrayContaining([expect.objectContaining({ via: 'token', format: 'csv' })]));
  });

  it('revoked and expired tokens stop working; only managers of the campaign create or revoke', async () => {
    const { token, item } = await (await createToken('admin', campaignA, 'Excel mensual')).json();
    expect((await daily(token, campaignA)).status).toBe(200);
    expect((await call(users['supB']!.token, 'POST', `/report-tokens/${item.id}/revoke`)).status).toBe(403);
    const revoked = await call(users['supA']!.token, 'POST', `/report-tokens/${item.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).item).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    const after = await daily(token, campaignA);
    expect(after.status).toBe(401);
    expect((await after.json()).error.message).toMatch(/^El token de reportes fue revocado/);
    const audits = await hub.ctx.db.kysely.selectFrom('audit_log').select(['action', 'actor_user_id']).where('target_id', '=', item.id).orderBy('id').execute();
    expect(audits).toEqual([
      { action: 'report_token.created', actor_user_id: users['admin']!.id },
      { action: 'report_token.revoked', actor_user_id: users['supA']!.id },
    ]);

    const expiring = await (await createToken('supA', campaignA, 'Vence', new Date(Date.now() + 3_600_000).toISOString())).json();
    expect((await daily(expiring.token, campaignA)).status).toBe(200);
    await hub.ctx.db.kysely.updateTable('report_tokens').set({ created_at: new Date(Date.now() - 7_200_000), expires_at: new Date(Date.now() - 1000) }).where('id', '=', expiring.item.id).execute();
    const expired = await daily(expiring.token, campaignA);
    expect(expired.status).toBe(401);
    expect((await expired.json()).error.message).toMatch(/^El token de reportes venció/);
    expect((await daily(`vrt_${randomBytes(32).toString('base64url')}`, campaignA)).status).toBe(401);

    expect((await createToken('agentA', campaignA)).status).toBe(403);
    expect((await createToken('auditorA', campaignA)).status).toBe(403);
    expect((await createToken('supB', campaignA)).status).toBe(403);
    const past = await createToken('supA', campaignA, 'Pasado', '2020-01-01T00:00:00Z');
    expect(past.status).toBe(400);
    expect((await past.json()).error.message).toMatch(/^El vencimiento debe ser futuro/);
    expect((await call(users['supA']!.token, 'POST', '/report-tokens', { campaignId: campaignA, name: '  ' })).status).toBe(400);
  });

  it('serves the voice module’s voicemail report through the report API (JSON and CSV)', async () => {
    const db = hub.ctx.db.kysely;
    const channel = await db.insertInto('channels').values({ campaign_id: campaignA, kind: 'voice', name: 'Línea', settings: '{}', secrets: '{}' }).returning('id').executeTakeFirstOrThrow();
    const contact = await db.insertInto('contacts').values({ display_name: 'Ciudadano' }).returning('id').executeTakeFirstOrThrow();
    const folio = `VM-${randomBytes(3).toString('hex')}`;
    const conversation = await db.insertInto('conversations').values({ folio, campaign_id: campaignA, channel_id: channel.id, contact_id: contact.id, status: 'queued' }).returning('id').executeTakeFirstOrThrow();
    await db
      .insertInto('voice_voicemails')
      .values({
        campaign_id: campaignA,
        channel_id: channel.id,
        conversation_id: conversation.id,
        folio,
        call_sid: `CA${randomBytes(16).toString('hex')}`,
        recording_sid: `RE${randomBytes(16).toString('hex')}`,
        recording_url: 'https://api.twilio.com/x.mp3',
        duration_seconds: 37,
        from_number: '+525512345678',
        outside_hours: true,
        // 21:15 local on the 12th (03:15 UTC on the 13th): the local day decides.
        recorded_at: new Date('2025-03-13T03:15:00Z'),
      })
      .execute();
    const res = await call(users['supA']!.token, 'GET', `/reports/voicemail?campaignId=${campaignA}&date=${DATE}`);
    expect(res.status).toBe(200);
    const table = (await res.json()).tables[0];
    expect(table.rows).toEqual([
      { date: DATE, local_time: '21:15:00', folio, from: '+525512345678', duration_s: 37, outside_hours: 'sí', status: 'en fila', attended_by: '', callback_status: '', callback_outcome: '' },
    ]);
    expect(table.notes).toEqual(expect.arrayContaining([{ label_es: 'Duración promedio', label_en: 'Average duration', value: '37 s / 1 = 37.0 s' }]));
    const csv: string[][] = parse(await (await call(users['supA']!.token, 'GET', `/reports/voicemail?campaignId=${campaignA}&date=${DATE}&format=csv`)).text(), { bom: true });
    // The caller's "+52…" would be a formula in a spreadsheet: it gets the apostrophe.
    expect(csv[1]).toEqual([DATE, '21:15:00', folio, "'+525512345678", '37', 'sí', 'en fila', '', '', '']);
    const nextDay = await (await call(users['supA']!.token, 'GET', `/reports/voicemail?campaignId=${campaignA}&date=2025-03-13`)).json();
    expect(nextDay.tables[0].rows).toEqual([]);
  });
});
