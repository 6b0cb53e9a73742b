import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { auditEntries, createChannel, createContact, createConversation } from '../contacts/contact-fixtures.js';
import { insertFile, insertMessage } from './privacy-fixtures.js';

describe('privacy: ARCO requests (access, rectification, cancellation)', () => {
  let hub: TestHub;
  let dataDir: string;
  let campaignId: string;
  let maria: { id: string };
  let other: { id: string };
  let filePath: string;
  let conversationId: string;
  const tokens = { admin: '', auditorA: '', auditorB: '', agentA: '', supA: '' };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'privacy-arco-'));
    hub = await createTestHub({ DATA_DIR: dataDir });
    const db = hub.ctx.db.kysely;
    const campA = await createCampaign(db);
    const campB = await createCampaign(db);
    campaignId = campA.id;
    const channel = await createChannel(db, campA.id, 'whatsapp', 'WhatsApp');
    maria = await createContact(db, { name: 'María López', curp: 'LOPM850315MDFPRR03', nss: '01987605233', identities: [{ kind: 'phone', value: '+525512345678' }] });
    other = await createContact(db, { name: 'Mario Ruiz', identities: [{ kind: 'phone', value: '+525587654321' }] });
    const conversation = await createConversation(db, { campaignId: campA.id, channelId: channel.id, contactId: maria.id, closed: true });
    conversationId = conversation.id;
    const otherConversation = await createConversation(db, { campaignId: campA.id, channelId: channel.id, contactId: other.id });
    await insertMessage(db, { conversationId: conversation.id, channelId: channel.id, text: 'necesito mi incapacidad', days: 3 });
    await insertMessage(db, { conversationId: conversation.id, channelId: channel.id, text: 'con gusto le ayudamos', days: 3, direction: 'outbound' });
    await insertMessage(db, { conversationId: otherConversation.id, channelId: channel.id, text: 'mensaje de otra persona', days: 2 });
    filePath = (await insertFile(db, dataDir, { campaignId: campA.id, conversationId: conversation.id, days: 3 })).path;
    await db
      .insertInto('survey_responses')
      .values({ conversation_id: conversation.id, campaign_id: campA.id, folio: conversation.folio, channel_id: channel.id, rating: 5, comment: 'muy amables', answers: JSON.stringify({ resolved: true }) })
      .execute();
    const users = {
      admin: await createUser(db, { roles: ['admin'] }),
      auditorA: await createUser(db, { roles: ['auditor'], campaignIds: [campA.id] }),
      auditorB: await createUser(db, { roles: ['auditor'], campaignIds: [campB.id] }),
      agentA: await createUser(db, { roles: ['agent'], campaignIds: [campA.id] }),
      supA: await createUser(db, { roles: ['supervisor'], campaignIds: [campA.id] }),
    };
    for (const key of Object.keys(users) as Array<keyof typeof users>) tokens[key] = await tokenFor(db, users[key].id);
  });
  afterAll(async () => {
    await hub?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const create = (token: string, kind: string, contactId = maria.id) =>
    hub.app.inject({
      method: 'POST',
      url: '/api/v1/privacy/arco-requests',
      payload: { kind, campaignId, contactId, requester: { name: 'María López', email: 'maria@example.mx' }, description: 'Solicito mis datos' },
      headers: bearer(token),
    });

  it('registers a request with an ARCO folio, audited; agents and supervisors cannot', async () => {
    const res = await create(tokens.admin, 'acceso');
    expect(res.statusCode).toBe(201);
    const request = res.json().request;
    expect(request.folio).toMatch(/^ARCO-\d{8}-\d{6}$/);
    expect(request).toMatchObject({ kind: 'acceso', status: 'recibida', contactId: maria.id, campaignId });
    const second = (await create(tokens.admin, 'oposicion')).json().request;
    expect(Number(second.folio.slice(-6))).toBe(Number(request.folio.slice(-6)) + 1);
    expect(await auditEntries(hub.ctx.db.kysely, 'privacy.arco_created', request.id)).toHaveLength(1);
    expect((await create(tokens.agentA, 'acceso')).statusCode).toBe(403);
    expect((await create(tokens.supA, 'acceso')).statusCode).toBe(403);
    expect((await hub.app.inject({ method: 'GET', url: '/api/v1/privacy/arco-requests', headers: bearer(tokens.agentA) })).statusCode).toBe(403);
    expect((await hub.app.inject({ method: 'GET', url: `/api/v1/privacy/arco-requests/${request.id}`, headers: bearer(tokens.agentA) })).statusCode).toBe(403);
  });

  it('shows requests to the campaign auditors and refuses other campaigns', async () => {
    const list = await hub.app.inject({ method: 'GET', url: '/api/v1/privacy/arco-requests', query: { campaignId }, headers: bearer(tokens.auditorA) });
    expect(list.statusCode).toBe(200);
    const [item] = list.json().items;
    expect(item.campaignId).toBe(campaignId);
    expect((await hub.app.inject({ method: 'GET', url: `/api/v1/privacy/arco-requests/${item.id}`, headers: bearer(tokens.auditorA) })).statusCode).toBe(200);
    expect((await hub.app.inject({ method: 'GET', url: `/api/v1/privacy/arco-requests/${item.id}`, headers: bearer(tokens.auditorB) })).statusCode).toBe(403);
    expect((await hub.app.inject({ method: 'GET', url: '/api/v1/privacy/arco-requests', query: { campaignId }, headers: bearer(tokens.auditorB) })).statusCode).toBe(403);
    expect((await hub.app.inject({ method: 'GET', url: '/api/v1/privacy/arco-requests', headers: bearer(tokens.auditorB) })).json().items).toEqual([]);
  });

  it('exports the titular’s data as JSON (only theirs) and as PDF, audited', async () => {
    const request = (await create(tokens.admin, 'acceso')).json().request;
    const res = await hub.app.inject({ method: 'GET', url: `/api/v1/privacy/arco-requests/${request.id}/export`, headers: bearer(tokens.admin) });
    expect(res.statusCode).toBe(200);
    const data = res.json();
    expect(data.contact).toMatchObject({ id: maria.id, curp: 'LOPM850315MDFPRR03', nss: '01987605233' });
    expect(data.identities.map((i: { value: string }) => i.value)).toEqual(['+525512345678']);
    const texts = data.conversations.flatMap((c: { messages: { text: string }[] }) => c.messages.map((m) => m.text));
    expect(texts).toEqual(expect.arrayContaining(['necesito mi incapacidad', 'con gusto le ayudamos']));
    expect(JSON.stringify(data)).not.toContain('mensaje de otra persona');
    expect(JSON.stringify(data)).not.toContain(other.id);
    expect(data.surveyAnswers).toEqual([expect.objectContaining({ rating: 5, comment: 'muy amables' })]);
    const pdf = await hub.app.inject({ method: 'GET', url: `/api/v1/privacy/arco-requests/${request.id}/export`, query: { format: 'pdf' }, headers: bearer(tokens.admin) });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await auditEntries(hub.ctx.db.kysely, 'privacy.arco_exported', maria.id)).toHaveLength(2);
    expect((await hub.app.inject({ method: 'GET', url: `/api/v1/privacy/arco-requests/${request.id}/export`, headers: bearer(tokens.auditorA) })).statusCode).toBe(403);
  });

  it('rectifies the contact and audits digests of the values, never the values', async () => {
    const request = (await create(tokens.admin, 'rectificacion')).json().request;
    const bad = await hub.app.inject({ method: 'POST', url: `/api/v1/privacy/arco-requests/${request.id}/rectify`, payload: { nss: '01987605234' }, headers: bearer(tokens.admin) });
    expect(bad.statusCode).toBe(400);
    const res = await hub.app.inject({ method: 'POST', url: `/api/v1/privacy/arco-requests/${request.id}/rectify`, payload: { displayName: 'María Guadalupe López', rfc: null }, headers: bearer(tokens.admin) });
    expect(res.statusCode).toBe(200);
    expect(res.json().request.status).toBe('atendida');
    const contact = await hub.ctx.db.kysely.selectFrom('contacts').selectAll().where('id', '=', maria.id).executeTakeFirstOrThrow();
    expect(contact.display_name).toBe('María Guadalupe López');
    const [entry] = await auditEntries(hub.ctx.db.kysely, 'privacy.arco_rectified', maria.id);
    expect(entry?.details).toMatchObject({ fields: ['displayName'], digests: { displayName: { before: expect.stringMatching(/^[0-9a-f]{64}$/), after: expect.stringMatching(/^[0-9a-f]{64}$/) } } });
    expect(JSON.stringify(entry?.details)).not.toContain('Guadalupe');
    expect(JSON.stringify(entry?.details)).not.toContain('María López');
    const again = await hub.app.inject({ method: 'POST', url: `/api/v1/privacy/arco-requests/${request.id}/rectify`, payload: { displayName: 'Otra' }, headers: bearer(tokens.admin) });
    expect(again.statusCode).toBe(409);
  });

  it('cancels: anonymises the titular, removes identities, bodies and files, keeps the conversation row', async () => {
    const request = (await create(tokens.admin, 'cancelacion')).json().request;
    expect((await hub.app.inject({ method: 'POST', url: `/api/v1/privacy/arco-requests/${request.id}/cancel`, headers: bearer(tokens.agentA) })).statusCode).toBe(403);
    const res = await hub.app.inject({ method: 'POST', url: `/api/v1/privacy/arco-requests/${request.id}/cancel`, headers: bearer(tokens.admin) });
    expect(res.statusCode).toBe(200);
    expect(res.json().request).toMatchObject({ status: 'atendida', resolution: { identities: 1, messages: 2, files: 1 } });
    const db = hub.ctx.db.kysely;
    const contact = await db.selectFrom('contacts').selectAll().where('id', '=', maria.id).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ display_name: 'Titular cancelado', curp: null, rfc: null, nss: null });
    expect(await db.selectFrom('contact_identities').select('id').where('contact_id', '=', maria.id).execute()).toEqual([]);
    const texts = (await db.selectFrom('messages').select('text').where('conversation_id', '=', conversationId).execute()).map((m) => m.text);
    expect(texts).toEqual(['[depurado]', '[depurado]']);
    expect(existsSync(filePath)).toBe(false);
    expect(await db.selectFrom('conversations').select('id').where('id', '=', conversationId).executeTakeFirst()).toBeDefined();
    const survey = await db.selectFrom('survey_responses').selectAll().where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
    expect(survey).toMatchObject({ rating: 5, comment: null });
    const otherContact = await db.selectFrom('contacts').selectAll().where('id', '=', other.id).executeTakeFirstOrThrow();
    expect(otherContact.display_name).toBe('Mario Ruiz');
    expect(await auditEntries(db, 'privacy.arco_cancelled', maria.id)).toHaveLength(1);
    expect((await hub.app.inject({ method: 'POST', url: `/api/v1/privacy/arco-requests/${request.id}/cancel`, headers: bearer(tokens.admin) })).statusCode).toBe(409);
  });

  it('refuses a cancel on a request of another kind and a contact without conversations in the campaign', async () => {
    const access = (await create(tokens.admin, 'acceso')).json().request;
    expect((await hub.app.inject({ method: 'POST', url: `/api/v1/privacy/arco-requests/${access.id}/cancel`, headers: bearer(tokens.admin) })).statusCode).toBe(409);
    const stranger = await createContact(hub.ctx.db.kysely, { name: 'Sin conversaciones' });
    expect((await create(tokens.admin, 'acceso', stranger.id)).statusCode).toBe(409);
  });
});
