import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../hub/src/files/file-store.js';
import { DEFAULT_SCORECARD_ITEMS } from '../../hub/src/quality/scorecard.schema.js';
import { drawMonthlySample } from '../../hub/src/quality/draw-sample.usecase.js';
import { drawDueSamples, previousMonth } from '../../hub/src/quality/quality-draw.worker.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser, TEST_PASSWORD } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { attendedConversation, createChannel, deriveFactsNow } from './quality-fixtures.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Issue 9 item 8 over HTTP: scorecards, the monthly draw, evaluation, roles and campaigns, CSV, the KPI. */
describe('quality sampling', () => {
  let hub: TestHub;
  let campaignA: string;
  let campaignB: string;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const octoberWebchat: string[] = [];
  const outside: string[] = [];
  let voiceConversation: string;
  let webchatSample: string;
  const db = () => hub.ctx.db.kysely;
  const call = async (who: string, method: Method, url: string, payload?: unknown) => {
    const res = await hub.app.inject({ method, url: `/api/v1${url}`, headers: bearer(tokens[who] ?? ''), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    return { status: res.statusCode, body: res.body.length > 0 && res.headers['content-type']?.toString().includes('json') ? res.json() : res.body, headers: res.headers };
  };
  const allMet = () => Object.fromEntries(DEFAULT_SCORECARD_ITEMS.map((i) => [i.id, { met: true }]));
  const audits = (action: string) => db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

  beforeAll(async () => {
    hub = await createTestHub();
    campaignA = (await createCampaign(db(), { name: 'Derechohabientes' })).id;
    campaignB = (await createCampaign(db(), { name: 'Pensiones' })).id;
    const make = async (key: string, roles: Parameters<typeof createUser>[1]['roles'], campaignIds: string[]) => {
      const u = await createUser(db(), { roles, campaignIds, name: key });
      ids[key] = u.id;
      tokens[key] = await tokenFor(db(), u.id);
    };
    await make('admin', ['admin'], []);
    await make('supA', ['supervisor'], [campaignA]);
    await make('supB', ['supervisor'], [campaignB]);
    await make('auditorA', ['auditor'], [campaignA]);
    await make('agentA', ['agent'], [campaignA]);
    await make('analyst1', ['quality_analyst'], [campaignA]);
    await make('analyst2', ['quality_analyst'], [campaignA]);
    await make('analystB', ['quality_analyst'], [campaignB]);
    const chatA = (await createChannel(db(), campaignA, 'webchat')).id;
    const voiceA = (await createChannel(db(), campaignA, 'voice', { accountSid: `AC${'0'.repeat(32)}`, callerId: '+525512345678' })).id;
    const chatB = (await createChannel(db(), campaignB, 'webchat')).id;
    const attend = (campaignId: string, channelId: string, channelKind: string, iso: string) =>
      attendedConversation(db(), { campaignId, channelId, channelKind, agentId: ids['agentA']!, answeredAt: new Date(iso) });
    // America/Mexico_City is UTC−06:00 all year since 2022: October 2026 local = [10-01T06:00Z, 11-01T06:00Z).
    for (const iso of ['2026-10-01T06:00:30Z', '2026-10-09T15:00:00Z', '2026-10-15T18:20:00Z', '2026-10-20T01:00:00Z', '2026-10-28T23:00:00Z', '2026-10-31T12:00:00Z', '2026-11-01T05:59:30Z']) {
      octoberWebchat.push((await attend(campaignA, chatA, 'webchat', iso)).id);
    }
    // 30 Sep 23:59 local and 1 Nov 00:00:30 local: not October.
    for (const iso of ['2026-10-01T05:59:00Z', '2026-11-01T06:00:30Z']) outside.push((await attend(campaignA, chatA, 'webchat', iso)).id);
    voiceConversation = (await attend(campaignA, voiceA, 'voice', '2026-10-12T16:00:00Z')).id;
    await attend(campaignA, voiceA, 'voice', '2026-10-13T16:00:00Z');
    await attend(campaignB, chatB, 'webchat', '2026-10-05T16:00:00Z');
    await deriveFactsNow(db());
  }, 60_000);

  afterAll(async () => {
    await hub?.cleanup();
  });

  it('lets an admin create a quality analyst, who logs in', async () => {
    const created = await call('admin', 'POST', '/users', { email: 'calidad.nueva@example.mx', displayName: 'Analista Nueva', password: TEST_PASSWORD, roles: ['quality_analyst'], campaignIds: [campaignA], locale: 'es-MX' });
    expect(created.status).toBe(201);
    expect(created.body.roles).toEqual(['quality_analyst']);
    const login = await hub.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'calidad.nueva@example.mx', password: TEST_PASSWORD } });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.roles).toEqual(['quality_analyst']);
    // Not a seat, not a reader of live traffic.
    await db().updateTable('users').set({ disabled: true }).where('email', '=', 'calidad.nueva@example.mx').execute();
  });

  it('keeps analysts away from live traffic: no conversation list, no arbitrary timeline', async () => {
    expect((await call('analyst1', 'GET', `/conversations?campaignId=${campaignA}`)).status).toBe(403);
    expect((await call('analyst1', 'GET', `/conversations/${octoberWebchat[0]}/timeline`)).status).toBe(403);
  });

  it('manages versioned scorecards: draft → active (one active), validated weights, audited; analysts and other campaigns refused', async () => {
    const bad = await call('supA', 'POST', '/quality/scorecards', { campaignId: campaignA, name: 'Guía', items: [{ id: 'a', label: 'A', weight: 60, critical: false }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^Solicitud inválida/);
    expect(bad.body.error.message).toContain('Los pesos deben sumar 100; suman 60.00');
    expect((await call('analyst1', 'POST', '/quality/scorecards', { campaignId: campaignA, name: 'Guía', items: DEFAULT_SCORECARD_ITEMS })).status).toBe(403);
    const foreign = await call('supB', 'POST', '/quality/scorecards', { campaignId: campaignA, name: 'Guía', items: DEFAULT_SCORECARD_ITEMS });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');

    const template = await call('supA', 'GET', '/quality/scorecard-template');
    const v1 = await call('supA', 'POST', '/quality/scorecards', { campaignId: campaignA, name: template.body.name, items: template.body.items });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ version: 1, status: 'draft' });
    expect((await call('supA', 'POST', `/quality/scorecards/${v1.body.id}/activate`)).body.status).toBe('active');
    expect((await call('supA', 'PATCH', `/quality/scorecards/${v1.body.id}`, { name: 'Otra' })).body.error.code).toBe('HUB_ERR_QUALITY_SCORECARD_LOCKED');
    const v2 = await call('supA', 'POST', '/quality/scorecards', { campaignId: campaignA, name: template.body.name, items: DEFAULT_SCORECARD_ITEMS });
    expect(v2.body.version).toBe(2);
    await call('supA', 'POST', `/quality/scorecards/${v2.body.id}/activate`);
    const list = await call('analyst1', 'GET', `/quality/scorecards?campaignId=${campaignA}`);
    expect(list.body.items.map((s: { version: number; status: string }) => [s.version, s.status])).toEqual([
      [2, 'active'],
      [1, 'archived'],
    ]);
    expect((await call('analystB', 'GET', `/quality/scorecards?campaignId=${campaignA}`)).status).toBe(403);
    expect((await audits('quality_scorecard.activated')).map((a) => a.target_id)).toEqual([v1.body.id, v2.body.id]);
  });

  it('draws the month in the campaign time zone: population < N → all of it, N kept as the divisor, dealt round-robin, audited', async () => {
    expect((await call('analyst1', 'POST', '/quality/samples', { campaignId: campaignA, channelKind: 'webchat', month: '2026-10' })).status).toBe(403);
    const drawn = await call('supA', 'POST', '/quality/samples', { campaignId: campaignA, channelKind: 'webchat', month: '2026-10' });
    expect(drawn.status).toBe(201);
    expect(drawn.body).toMatchObject({ population: 7, drawn: 7, sampleSize: 100 });
    webchatSample = drawn.body.sampleId;
    const items = (await call('analyst1', 'GET', `/quality/samples/${webchatSample}/items`)).body.items as { conversationId: string; analystId: string; position: number }[];
    expect(items.map((i) => i.conversationId).sort()).toEqual([...octoberWebchat].sort());
    for (const id of outside) expect(items.some((i) => i.conversationId === id)).toBe(false);
    const perAnalyst = items.reduce<Record<string, number>>((acc, i) => ({ ...acc, [i.analystId]: (acc[i.analystId] ?? 0) + 1 }), {});
    expect(Object.values(perAnalyst).sort()).toEqual([3, 4]);
    expect(Object.keys(perAnalyst).sort()).toEqual([ids['analyst1'], ids['analyst2']].sort());
    const [audit] = await audits('quality_sample.drawn');
    expect(audit).toMatchObject({ actor_user_id: ids['supA'], campaign_id: campaignA, target_id: webchatSample });
    expect(audit?.details).toMatchObject({ population: 7, drawn: 7, sampleSize: 100, seed: drawn.body.seed });

    const again = await call('supA', 'POST', '/quality/samples', { campaignId: campaignA, channelKind: 'webchat', month: '2026-10' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('HUB_ERR_QUALITY_SAMPLE_EXISTS');
    expect((await call('supA', 'POST', '/quality/samples', { campaignId: campaignA, channelKind: 'webchat', month: '2026-10', redraw: true })).status).toBe(403);
  });

  it('re-draws from the stored seed to the same sample (auditor check and admin re-draw)', async () => {
    const first = await call('supA', 'POST', '/quality/samples', { campaignId: campaignA, channelKind: 'voice', month: '2026-10', sampleSize: 1, seed: 'auditoria-octubre' });
    expect(first.body).toMatchObject({ population: 2, drawn: 1, seed: 'auditoria-octubre' });
    const before = (await call('supA', 'GET', `/quality/samples/${first.body.sampleId}/items`)).body.items.map((i: { conversationId: string }) => i.conversationId);
    const verify = await call('auditorA', 'GET', `/quality/samples/${first.body.sampleId}/verify`);
    expect(verify.body).toMatchObject({ matches: true, population: 2, storedPopulation: 2, stored: before, redrawn: before });
    const redrawn = await call('admin', 'POST', '/quality/samples', { campaignId: campaignA, channelKind: 'voice', month: '2026-10', sampleSize: 1, seed: 'auditoria-octubre', redraw: true });
    expect(redrawn.status).toBe(201);
    expect(redrawn.body.sampleId).not.toBe(first.body.sampleId);
    expect((await call('supA', 'GET', `/quality/samples/${redrawn.body.sampleId}/items`)).body.items.map((i: { conversationId: string }) => i.conversationId)).toEqual(before);
    expect((await audits('quality_sample.redrawn'))[0]?.details).toMatchObject({ replacedSampleId: first.body.sampleId, replacedSeed: 'auditoria-octubre' });
    // Which voice call the seed picked decides the recording test below.
    voiceConversation = before[0];
  });

  it('lets an analyst open and score their items only; the score is computed by the hub; a critical miss scores 0; revisions are audited', async () => {
    const items = (await call('analyst1', 'GET', `/quality/samples/${webchatSample}/items`)).body.items as { conversationId: string; analystId: string }[];
    const mine = items.filter((i) => i.analystId === ids['analyst1']);
    const theirs = items.filter((i) => i.analystId === ids['analyst2']);
    const detail = await call('analyst1', 'GET', `/quality/samples/${webchatSample}/items/${mine[0]!.conversationId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.scorecard).toMatchObject({ version: 2, status: 'active' });
    expect(detail.body.item).toMatchObject({ agentId: ids['agentA'], agentName: 'agentA', analystId: ids['analyst1'] });
    expect(detail.body.recordings).toEqual([]);
    expect(detail.body.timeline.filter((t: { kind: string }) => t.kind === 'message')).toHaveLength(2);
    expect((await call('analystB', 'GET', `/quality/samples/${webchatSample}/items/${mine[0]!.conversationId}`)).body.error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');

    const missing = await call('analyst1', 'PUT', `/quality/samples/${webchatSample}/items/${mine[0]!.conversationId}/evaluation`, { answers: { saludo_institucional: { met: true } } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('HUB_ERR_QUALITY_ANSWERS_INVALID');
    expect(await db().selectFrom('quality_evaluations').selectAll().execute()).toEqual([]);

    const full = await call('analyst1', 'PUT', `/quality/samples/${webchatSample}/items/${mine[0]!.conversationId}/evaluation`, { answers: allMet(), comments: 'Atención ejemplar' });
    expect(full.body).toMatchObject({ score: 100, revised: false, agentId: ids['agentA'] });
    const critical = await call('analyst1', 'PUT', `/quality/samples/${webchatSample}/items/${mine[1]!.conversationId}/evaluation`, { answers: { ...allMet(), datos_personales: { met: false, comment: 'Leyó el NSS completo en voz alta' } } });
    expect(critical.body).toMatchObject({ score: 0, criticalFailed: ['datos_personales'] });
    const other = await call('analyst1', 'PUT', `/quality/samples/${webchatSample}/items/${theirs[0]!.conversationId}/evaluation`, { answers: allMet() });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('HUB_ERR_QUALITY_NOT_ASSIGNED');
    expect((await call('supA', 'PUT', `/quality/samples/${webchatSample}/items/${theirs[0]!.conversationId}/evaluation`, { answers: allMet() })).status).toBe(403);
    const eighty = await call('analyst2', 'PUT', `/quality/samples/${webchatSample}/items/${theirs[0]!.conversationId}/evaluation`, { answers: { ...allMet(), saludo_institucional: { met: false }, cortesia: { met: false } } });
    expect(eighty.body.score).toBe(80);

    const revised = await call('analyst1', 'PUT', `/quality/samples/${webchatSample}/items/${mine[0]!.conversationId}/evaluation`, { answers: { ...allMet(), cierre_encuesta: { met: false } } });
    expect(revised.body).toMatchObject({ score: 90, revised: true });
    const [revision] = await audits('quality_evaluation.revised');
    expect(revision?.details).toMatchObject({ score: 90, before: { score: 100, comments: 'Atención ejemplar' } });
    expect((await audits('quality_evaluation.saved')).length).toBe(3);
  });

  it('reassigns unevaluated items to analysts of the campaign only', async () => {
    const items = (await call('supA', 'GET', `/quality/samples/${webchatSample}/items`)).body.items as { conversationId: string; analystId: string; score: number | null }[];
    const open = items.find((i) => i.analystId === ids['analyst2'] && i.score === null)!;
    const done = items.find((i) => i.score !== null)!;
    const url = (id: string) => `/quality/samples/${webchatSample}/items/${id}/assignment`;
    expect((await call('supA', 'PUT', url(open.conversationId), { analystId: ids['analystB'] })).status).toBe(400);
    expect((await call('analyst1', 'PUT', url(open.conversationId), { analystId: ids['analyst1'] })).status).toBe(403);
    expect((await call('supA', 'PUT', url(done.conversationId), { analystId: ids['analyst1'] })).status).toBe(409);
    expect((await call('supA', 'PUT', url(open.conversationId), { analystId: ids['analyst1'] })).body).toEqual({ analystId: ids['analyst1'] });
    expect((await audits('quality_item.assigned'))[0]?.details).toMatchObject({ from: ids['analyst2'], to: ids['analyst1'] });
    expect((await call('analyst1', 'PUT', `/quality/samples/${webchatSample}/items/${open.conversationId}/evaluation`, { answers: allMet() })).body.score).toBe(100);
  });

  it('reports the month’s KPI as Σ scores / N (the contractual 100), per channel, with each agent’s average', async () => {
    // Scores: 90 (revised), 0 (critical), 80, 100 → Σ 270 over N = 100 (webchat) + 1 (voice).
    const kpi = await call('analyst1', 'GET', `/quality/kpi?campaignId=${campaignA}&month=2026-10`);
    expect(kpi.status).toBe(200);
    expect(kpi.body.overall).toMatchObject({ kpi: 'quality', value: 270 / 101, numerator: 270, denominator: 101, status: 'ok' });
    expect(kpi.body.overall.explanation).toBe('270 / 101 = 2.67 %');
    const webchat = kpi.body.byChannel.find((c: { channelKind: string }) => c.channelKind === 'webchat');
    expect(webchat.kpi).toMatchObject({ value: 2.7, numerator: 270, denominator: 100 });
    expect(kpi.body.byChannel.find((c: { channelKind: string }) => c.channelKind === 'voice').kpi).toMatchObject({ status: 'ok', value: 0, denominator: 1 });
    expect(kpi.body.agents).toEqual([{ agentId: ids['agentA'], displayName: 'agentA', evaluations: 4, scoreSum: 270, averageScore: 67.5 }]);
    const empty = await call('supA', 'GET', `/quality/kpi?campaignId=${campaignA}&month=2026-09`);
    expect(empty.body.overall).toMatchObject({ value: null, status: 'sin_trafico', denominator: 0 });
    const samples = await call('analyst2', 'GET', `/quality/samples?campaignId=${campaignA}&month=2026-10`);
    const items = (await call('analyst2', 'GET', `/quality/samples/${webchatSample}/items`)).body.items as { analystId: string }[];
    const analyst2Items = items.filter((i) => i.analystId === ids['analyst2']).length;
    expect(analyst2Items).toBeGreaterThan(0);
    expect(samples.body.items.find((s: { id: string }) => s.id === webchatSample)).toMatchObject({ evaluated: 4, drawn: 7, sampleSize: 100, scoreSum: 270, assignedToMe: analyst2Items });
    expect((await call('supB', 'GET', `/quality/kpi?campaignId=${campaignA}&month=2026-10`)).status).toBe(403);
  });

  it('exports the sample as CSV for supervisors and auditors (audited), not for analysts', async () => {
    expect((await call('analyst1', 'GET', `/quality/samples/${webchatSample}/export`)).status).toBe(403);
    const csv = await call('auditorA', 'GET', `/quality/samples/${webchatSample}/export`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = String(csv.body).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('posicion,folio,conversacion,atendida,agente,analista,calificacion,guia,respuestas,comentarios');
    expect(lines).toHaveLength(8);
    expect(lines.filter((l) => /,0\.00,/.test(l))).toHaveLength(1);
    expect(lines.join('\n')).toContain('datos_personales=no cumple (Leyó el NSS completo en voz alta)');
    expect((await audits('data.exported')).at(-1)?.details).toMatchObject({ export: 'quality-sample', rows: 7 });
  });

  it('lets the assigned analyst reach a sampled call recording; others are refused', async () => {
    const conversation = await db().selectFrom('conversations').selectAll().where('id', '=', voiceConversation).executeTakeFirstOrThrow();
    const sid = `RE${'a1'.repeat(16)}`;
    await db().insertInto('voice_recordings').values({ recording_sid: sid, call_sid: 'CA1', conversation_id: conversation.id, folio: conversation.folio, campaign_id: campaignA, channel_id: conversation.channel_id }).execute();
    const sample = await db().selectFrom('quality_samples').select('id').where('campaign_id', '=', campaignA).where('channel_kind', '=', 'voice').executeTakeFirstOrThrow();
    await db().updateTable('quality_sample_items').set({ analyst_id: ids['analyst2']! }).where('sample_id', '=', sample.id).execute();
    const detail = await call('analyst2', 'GET', `/quality/samples/${sample.id}/items/${conversation.id}`);
    expect(detail.body.recordings).toEqual([expect.objectContaining({ recordingSid: sid })]);
    // Access granted: the hub goes on to Twilio, and this test channel has no auth token (502).
    const played = await call('analyst2', 'GET', `/voice/recordings/${sid}`);
    expect(played.status).toBe(502);
    expect(played.body.error.code).toBe('HUB_ERR_VOICE_RECORDING_UNAVAILABLE');
    expect((await call('analyst1', 'GET', `/voice/recordings/${sid}`)).status).toBe(403);
    expect((await call('analystB', 'GET', `/voice/recordings/${sid}`)).status).toBe(403);
  });

  it('lets an analyst download the attachments of their sampled conversation only; staff of the campaign as before', async () => {
    const sample = await db().selectFrom('quality_samples').select('id').where('campaign_id', '=', campaignA).where('channel_kind', '=', 'webchat').executeTakeFirstOrThrow();
    const items = await db().selectFrom('quality_sample_items').select(['conversation_id', 'analyst_id']).where('sample_id', '=', sample.id).execute();
    const mine = items.find((i) => i.analyst_id === ids['analyst1'])!.conversation_id;
    const theirs = items.find((i) => i.analyst_id === ids['analyst2'])!.conversation_id;
    const bytes = Buffer.from('%PDF-1.4 acta');
    const store = new FileStore(hub.ctx.config.DATA_DIR);
    const attach = async (conversationId: string) => {
      const id = randomUUID();
      const key = `files/test/${id}`;
      const saved = await store.save(key, Readable.from([bytes]), () => undefined);
      await db()
        .insertInto('files')
        .values({ id, conversation_id: conversationId, channel_id: null, source: 'contact', campaign_id: campaignA, filename: 'acta.pdf', mime_type: 'application/pdf', size: saved.size, sha256: saved.sha256, storage_key: key })
        .execute();
      return id;
    };
    const onMine = await attach(mine);
    const onTheirs = await attach(theirs);
    const onUnsampled = await attach(outside[0]!);
    const download = (who: string, fileId: string) => hub.app.inject({ method: 'GET', url: `/api/v1/files/${fileId}`, headers: bearer(tokens[who] ?? '') });
    const got = await download('analyst1', onMine);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(bytes)).toBe(true);
    expect(got.headers['content-disposition']).toMatch(/^attachment/);
    // Another analyst's item, a conversation no sample drew, another campaign's analyst: refused.
    expect((await download('analyst1', onTheirs)).statusCode).toBe(403);
    expect((await download('analyst1', onUnsampled)).statusCode).toBe(403);
    expect((await download('analystB', onMine)).statusCode).toBe(403);
    // Staff of the campaign keep their access; the supervisor of another campaign does not.
    expect((await download('supA', onUnsampled)).statusCode).toBe(200);
    expect((await download('supB', onMine)).statusCode).toBe(403);
  });

  it('draws the previous month by itself once the campaign’s month has ended (+1 h grace), once, for every channel with traffic', async () => {
    expect(previousMonth(Date.parse('2026-11-01T06:30:00Z'), 'America/Mexico_City')).toBe('2026-10');
    expect(previousMonth(Date.parse('2026-11-01T05:30:00Z'), 'America/Mexico_City')).toBe('2026-09');
    expect(previousMonth(Date.parse('2027-01-01T07:00:00Z'), 'America/Mexico_City')).toBe('2026-12');
    // 00:30 local on 1 Nov minus the grace is still October: nothing for October yet.
    expect((await drawDueSamples(db(), Date.parse('2026-11-01T06:30:00Z'))).filter((d) => d.month === '2026-10')).toEqual([]);
    const due = await drawDueSamples(db(), Date.parse('2026-11-01T07:30:00Z'));
    // Campaign A's samples exist (drawn by hand); campaign B's web chat is drawn now.
    expect(due.map((d) => [d.campaignId, d.channelKind, d.month])).toEqual([[campaignB, 'webchat', '2026-10']]);
    expect(await drawDueSamples(db(), Date.parse('2026-11-01T08:00:00Z'))).toEqual([]);
    const row = await db().selectFrom('quality_samples').selectAll().where('id', '=', due[0]!.sampleId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ drawn_by: null, sample_size: 100, population: 1 });
    expect((await audits('quality_sample.drawn')).find((a) => a.target_id === row.id)).toMatchObject({ actor_label: 'scheduler' });
    // skipExisting: a second process racing the first returns null instead of failing.
    expect(await drawMonthlySample(db(), { campaignId: campaignB, channelKind: 'webchat', month: '2026-10' }, { userId: null, label: 'scheduler' }, { skipExisting: true })).toBeNull();
  });
});
