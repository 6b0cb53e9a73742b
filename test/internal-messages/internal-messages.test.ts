import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess, type InternalMessageReadPayload, type InternalMessageReceivedPayload } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createCampaign, createUser } from '../support/factories.js';
import { bearer, connectStaff, tokenFor } from '../support/auth.js';
import { auditRows } from '../auth/auth-helpers.js';

/** Issue 9 item 6: agent ↔ supervisor internal messages, against the real PostgreSQL and Redis. */
describe('internal messages', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let campaignA: string;
  let campaignB: string;
  const users: Record<string, { id: string; token: string }> = {};

  const api = (token: string, method: string, path: string, body?: unknown) =>
    fetch(`${hub.url}/api/v1${path}`, {
      method,
      headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const send = (from: string, to: string, body: string, campaignId = campaignA) => api(users[from]!.token, 'POST', '/internal-messages', { campaignId, toUserId: users[to]!.id, body });

  beforeAll(async () => {
    hub = await startHubProcess(config);
    const db = hub.ctx.db.kysely;
    campaignA = (await createCampaign(db)).id;
    campaignB = (await createCampaign(db)).id;
    const make = async (key: string, roles: ('agent' | 'supervisor' | 'admin' | 'auditor')[], campaignIds: string[]) => {
      const u = await createUser(db, { roles, campaignIds, name: key });
      users[key] = { id: u.id, token: await tokenFor(db, u.id) };
    };
    await make('agent1', ['agent'], [campaignA]);
    await make('agent2', ['agent'], [campaignA]);
    await make('supA', ['supervisor'], [campaignA]);
    await make('supB', ['supervisor'], [campaignB]);
    await make('agentB', ['agent'], [campaignB]);
    await make('admin', ['admin'], []);
    await make('auditorA', ['auditor'], [campaignA]);
  });
  afterAll(async () => {
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('lets an agent write to a supervisor of their campaign, stores it, and pushes it to the recipient only', async () => {
    const supSocket = await connectStaff(hub.url!, users['supA']!.token);
    const otherSocket = await connectStaff(hub.url!, users['agent2']!.token);
    const got: InternalMessageReceivedPayload[] = [];
    const leaked: InternalMessageReceivedPayload[] = [];
    supSocket.on('internal_message.received', (p) => got.push(p));
    otherSocket.on('internal_message.received', (p) => leaked.push(p));

    const res = await send('agent1', 'supA', '  ¿Puedo tomar mi descanso a las 14:00?  ');
    expect(res.status).toBe(201);
    const { message } = await res.json();
    expect(message).toMatchObject({ campaignId: campaignA, fromUserId: users['agent1']!.id, toUserId: users['supA']!.id, body: '¿Puedo tomar mi descanso a las 14:00?', fromName: 'agent1', toName: 'supA', readAt: null });

    const row = await hub.ctx.db.kysely.selectFrom('internal_messages').selectAll().where('id', '=', message.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ campaign_id: campaignA, from_user_id: users['agent1']!.id, to_user_id: users['supA']!.id, read_at: null });

    await expect.poll(() => got.length, { timeout: 5000 }).toBe(1);
    expect(got[0]!.message).toEqual(message);
    expect(got[0]!.campaignId).toBe(campaignA);
    expect(typeof got[0]!.eventId).toBe('string');
    await new Promise((r) => setTimeout(r, 300));
    expect(leaked).toEqual([]);
    supSocket.disconnect();
    otherSocket.disconnect();
  });

  it('denies agent → agent by default (403, Spanish), and allows it when the campaign setting says so', async () => {
    const denied = await send('agent1', 'agent2', 'hola compañero');
    expect(denied.status).toBe(403);
    const body = await denied.json();
    expect(body.error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    expect(body.error.message).toMatch(/^Los agentes solo pueden escribir a su supervisor/);

    await hub.ctx.db.kysely.updateTable('campaigns').set({ settings: JSON.stringify({ internalMessages: { agentToAgent: true } }) }).where('id', '=', campaignA).execute();
    try {
      expect((await send('agent1', 'agent2', 'hola compañero')).status).toBe(201);
    } finally {
      await hub.ctx.db.kysely.updateTable('campaigns').set({ settings: '{}' }).where('id', '=', campaignA).execute();
    }
    expect((await send('agent1', 'agent2', 'otra vez')).status).toBe(403);
  });

  it('denies writing across campaigns, to a foreign campaign, and by non-handling roles; nothing is stored', async () => {
    const before = await hub.ctx.db.kysely.selectFrom('internal_messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    // Agent of A to the supervisor of B, labelled as campaign A: recipient is not in A.
    const cross = await send('agent1', 'supB', 'hola', campaignA);
    expect(cross.status).toBe(403);
    expect((await cross.json()).error.message).toMatch(/no se permiten mensajes entre campañas/);
    // Labelled as campaign B: the sender is not in B.
    const foreign = await send('agent1', 'supB', 'hola', campaignB);
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    // A supervisor writes only to staff of their campaigns.
    expect((await send('supA', 'agentB', 'hola', campaignB)).status).toBe(403);
    expect((await send('supA', 'agentB', 'hola', campaignA)).status).toBe(403);
    // Auditors do not take part.
    const auditor = await send('auditorA', 'supA', 'hola');
    expect(auditor.status).toBe(403);
    expect((await auditor.json()).error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    const after = await hub.ctx.db.kysely.selectFrom('internal_messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('supervisors and admins write to agents of their campaigns', async () => {
    expect((await send('supA', 'agent1', 'Sí, a las 14:00')).status).toBe(201);
    expect((await send('admin', 'agentB', 'Aviso general', campaignB)).status).toBe(201);
    expect((await send('supB', 'agentB', 'Bienvenido', campaignB)).status).toBe(201);
  });

  it('refuses an empty or oversized body and an unknown recipient with 400/404', async () => {
    expect((await send('agent1', 'supA', '   ')).status).toBe(400);
    expect((await send('agent1', 'supA', 'x'.repeat(2001))).status).toBe(400);
    expect((await send('agent1', 'supA', 'x'.repeat(2000))).status).toBe(201);
    const missing = await api(users['agent1']!.token, 'POST', '/internal-messages', { campaignId: campaignA, toUserId: '00000000-0000-4000-8000-000000000000', body: 'hola' });
    expect(missing.status).toBe(404);
    expect((await api(users['agent1']!.token, 'POST', '/internal-messages', { campaignId: campaignA, body: 'hola' })).status).toBe(400);
  });

  it('returns the thread newest first, paged, and only the caller’s own threads', async () => {
    const db = hub.ctx.db.kysely;
    const a = await createUser(db, { roles: ['agent'], campaignIds: [campaignA] });
    const aToken = await tokenFor(db, a.id);
    for (let i = 1; i <= 5; i++) {
      const res = await api(i % 2 ? aToken : users['supA']!.token, 'POST', '/internal-messages', { campaignId: campaignA, toUserId: i % 2 ? users['supA']!.id : a.id, body: `m${i}` });
      expect(res.status).toBe(201);
    }
    const first = await (await api(aToken, 'GET', `/internal-messages?with=${users['supA']!.id}&limit=3`)).json();
    expect(first.items.map((m: { body: string }) => m.body)).toEqual(['m5', 'm4', 'm3']);
    expect(first.nextBefore).toBeTypeOf('string');
    const second = await (await api(aToken, 'GET', `/internal-messages?with=${users['supA']!.id}&limit=3&before=${encodeURIComponent(first.nextBefore)}`)).json();
    expect(second.items.map((m: { body: string }) => m.body)).toEqual(['m2', 'm1']);
    expect(second.nextBefore).toBeNull();
    // agent2 sees nothing of a's thread with supA.
    const other = await (await api(users['agent2']!.token, 'GET', `/internal-messages?with=${users['supA']!.id}`)).json();
    expect(other.items.some((m: { body: string }) => /^m\d$/.test(m.body))).toBe(false);

    const threads = await (await api(users['supA']!.token, 'GET', '/internal-messages/threads')).json();
    const withA = threads.items.find((t: { userId: string }) => t.userId === a.id);
    expect(withA).toMatchObject({ lastBody: 'm5', unreadCount: 3 });
    const contacts = await (await api(aToken, 'GET', '/internal-messages/contacts')).json();
    expect(contacts.items.map((c: { userId: string }) => c.userId)).toEqual([users['supA']!.id]);
  });

  it('marks a message read (recipient only, idempotent) and sends the receipt to the sender', async () => {
    const senderSocket = await connectStaff(hub.url!, users['agent1']!.token);
    const receipts: InternalMessageReadPayload[] = [];
    senderSocket.on('internal_message.read', (p) => receipts.push(p));
    const { message } = await (await send('agent1', 'supA', 'confirmo recepción')).json();

    expect((await api(users['agent1']!.token, 'POST', `/internal-messages/${message.id}/read`)).status).toBe(404);
    expect((await api(users['agent2']!.token, 'POST', `/internal-messages/${message.id}/read`)).status).toBe(404);
    const read = await api(users['supA']!.token, 'POST', `/internal-messages/${message.id}/read`);
    expect(read.status).toBe(200);
    const { readAt } = await read.json();
    const row = await hub.ctx.db.kysely.selectFrom('internal_messages').select('read_at').where('id', '=', message.id).executeTakeFirstOrThrow();
    expect(row.read_at?.toISOString()).toBe(readAt);
    await expect.poll(() => receipts.length, { timeout: 5000 }).toBe(1);
    expect(receipts[0]).toMatchObject({ messageId: message.id, readerId: users['supA']!.id, readAt, campaignId: campaignA });

    const again = await (await api(users['supA']!.token, 'POST', `/internal-messages/${message.id}/read`)).json();
    expect(again.readAt).toBe(readAt);
    await new Promise((r) => setTimeout(r, 400));
    expect(receipts).toHaveLength(1);
    senderSocket.disconnect();
  });

  it('broadcasts from a supervisor to every agent of the campaign only, live to each', async () => {
    const socket = await connectStaff(hub.url!, users['agent2']!.token);
    const got: InternalMessageReceivedPayload[] = [];
    socket.on('internal_message.received', (p) => got.push(p));
    const denied = await api(users['agent1']!.token, 'POST', '/internal-messages/broadcast', { campaignId: campaignA, body: 'a todos' });
    expect(denied.status).toBe(403);
    expect((await api(users['supB']!.token, 'POST', '/internal-messages/broadcast', { campaignId: campaignA, body: 'a todos' })).status).toBe(403);
    expect((await api(users['supA']!.token, 'POST', '/internal-messages/broadcast', { campaignId: campaignA, body: ' ' })).status).toBe(400);

    const res = await api(users['supA']!.token, 'POST', '/internal-messages/broadcast', { campaignId: campaignA, body: 'Reunión a las 15:00' });
    expect(res.status).toBe(201);
    const out = await res.json();
    const agentsOfA = await hub.ctx.db.kysely
      .selectFrom('user_campaigns as uc')
      .innerJoin('users as u', 'u.id', 'uc.user_id')
      .select('u.id')
      .where('uc.campaign_id', '=', campaignA)
      .where((eb) => eb(eb.val('agent'), '=', eb.fn.any('u.roles')))
      .execute();
    expect(out.count).toBe(agentsOfA.length);
    expect(new Set(out.messages.map((m: { toUserId: string }) => m.toUserId))).toEqual(new Set(agentsOfA.map((a) => a.id)));
    expect(out.messages.some((m: { toUserId: string }) => m.toUserId === users['agentB']!.id || m.toUserId === users['supA']!.id)).toBe(false);
    const stored = await hub.ctx.db.kysely.selectFrom('internal_messages').select('to_user_id').where('body', '=', 'Reunión a las 15:00').execute();
    expect(stored).toHaveLength(agentsOfA.length);
    await expect.poll(() => got.filter((p) => p.message.body === 'Reunión a las 15:00').length, { timeout: 5000 }).toBe(1);
    socket.disconnect();
  });

  it('exports a campaign’s messages as CSV for its supervisors and admins only, audited as data.exported', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const qs = (c: string) => `/internal-messages/export?campaignId=${c}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    await send('supA', 'agent1', '=HYPERLINK("x"), con coma');

    expect((await api(users['agent1']!.token, 'GET', qs(campaignA))).status).toBe(403);
    expect((await api(users['supB']!.token, 'GET', qs(campaignA))).status).toBe(403);
    expect((await api(users['supA']!.token, 'GET', `/internal-messages/export?campaignId=${campaignA}&from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`)).status).toBe(400);
    const before = (await auditRows(hub.ctx.db.kysely, 'data.exported')).length;

    const res = await api(users['supA']!.token, 'GET', qs(campaignA));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = (await res.text()).replace(/^\uFEFF/, '');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,fecha,de_correo,de_nombre,para_correo,para_nombre,mensaje,leido');
    const stored = await hub.ctx.db.kysely.selectFrom('internal_messages').select('id').where('campaign_id', '=', campaignA).execute();
    expect(lines).toHaveLength(stored.length + 1);
    expect(csv).toContain(`"'=HYPERLINK(""x""), con coma"`);
    expect(csv).not.toContain('Bienvenido'); // campaign B's message

    const audits = await auditRows(hub.ctx.db.kysely, 'data.exported');
    expect(audits).toHaveLength(before + 1);
    expect(audits.at(-1)).toMatchObject({ actor_user_id: users['supA']!.id, campaign_id: campaignA, target_type: 'internal_messages' });
    expect(audits.at(-1)!.details).toMatchObject({ export: 'internal-messages', rows: stored.length });

    const adminRes = await api(users['admin']!.token, 'GET', qs(campaignB));
    expect(adminRes.status).toBe(200);
    expect(await adminRes.text()).toContain('Bienvenido');
  });
});
