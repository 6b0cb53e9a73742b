import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../support/auth.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createChannel, createContact, createConversation } from './contact-fixtures.js';

describe('contacts: search, detail and history across channels and campaigns', () => {
  let hub: TestHub;
  const tokens: Record<'admin' | 'supA' | 'agentB' | 'trainerA' | 'outsider', string> = { admin: '', supA: '', agentB: '', trainerA: '', outsider: '' };
  let maria: { id: string };
  let other: { id: string };
  const folios: Record<'a1' | 'a2' | 'b', string> = { a1: '', a2: '', b: '' };
  let campaignNames: { a: string; b: string };
  let scopedIdentityValue: string;

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    const campA = await createCampaign(db, { name: 'Derechohabiente' });
    const campB = await createCampaign(db, { name: 'Cita Médica Telefónica' });
    const campC = await createCampaign(db);
    campaignNames = { a: campA.name, b: campB.name };
    const { channel: apiA } = await createApiChannel(db, campA.id, { name: 'API DH' });
    const waA = await createChannel(db, campA.id, 'whatsapp', 'WhatsApp DH');
    const mailB = await createChannel(db, campB.id, 'email', 'Correo citas');
    scopedIdentityValue = 'crm-4411';
    maria = await createContact(db, {
      name: 'María López',
      curp: 'LOPM850315MDFPRR03',
      nss: '01987605233',
      identities: [
        { kind: 'phone', value: '+525512345678' },
        { kind: 'email', value: 'maria.lopez@example.mx' },
        { kind: 'external', value: scopedIdentityValue, channelId: apiA.id },
      ],
    });
    other = await createContact(db, { name: 'Mario López', identities: [{ kind: 'phone', value: '+525587654321' }] });
    folios.a1 = (await createConversation(db, { campaignId: campA.id, channelId: apiA.id, contactId: maria.id, closed: true })).folio;
    folios.a2 = (await createConversation(db, { campaignId: campA.id, channelId: waA.id, contactId: maria.id })).folio;
    folios.b = (await createConversation(db, { campaignId: campB.id, channelId: mailB.id, contactId: maria.id })).folio;
    await createConversation(db, { campaignId: campA.id, channelId: apiA.id, contactId: other.id });

    const users = {
      admin: await createUser(db, { roles: ['admin'] }),
      supA: await createUser(db, { roles: ['supervisor'], campaignIds: [campA.id] }),
      agentB: await createUser(db, { roles: ['agent'], campaignIds: [campB.id] }),
      trainerA: await createUser(db, { roles: ['trainer'], campaignIds: [campA.id] }),
      outsider: await createUser(db, { roles: ['supervisor'], campaignIds: [campC.id] }),
    };
    for (const key of Object.keys(users) as Array<keyof typeof users>) tokens[key] = await tokenFor(db, users[key].id);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  const search = (token: string, q: string) => hub.app.inject({ method: 'GET', url: '/api/v1/contacts', query: { q }, headers: bearer(token) });
  const detail = (token: string, id: string) => hub.app.inject({ method: 'GET', url: `/api/v1/contacts/${id}`, headers: bearer(token) });
  const ids = (res: { json(): { items: Array<{ id: string }> } }) => res.json().items.map((c) => c.id);

  it('finds the same contact by a phone written in any usual format', async () => {
    for (const q of ['55 1234 5678', '+52 1 55 1234 5678', '+525512345678', '(55) 1234-5678', '044 55 1234 5678']) {
      const res = await search(tokens.supA, q);
      expect(res.statusCode, q).toBe(200);
      expect(ids(res), q).toEqual([maria.id]);
    }
    expect(ids(await search(tokens.supA, '55 8765 4321'))).toEqual([other.id]);
  });

  it('finds by email, folio, CURP and NSS regardless of case and spacing, and by part of the name', async () => {
    expect(ids(await search(tokens.supA, ' Maria.Lopez@Example.MX '))).toEqual([maria.id]);
    expect(ids(await search(tokens.supA, folios.a2.toLowerCase()))).toEqual([maria.id]);
    expect(ids(await search(tokens.supA, 'lopm850315mdfprr03'))).toEqual([maria.id]);
    expect(ids(await search(tokens.supA, '0198 7605 233'))).toEqual([maria.id]);
    expect(ids(await search(tokens.supA, 'lópez')).sort()).toEqual([maria.id, other.id].sort());
    const item = (await search(tokens.supA, 'María')).json().items[0];
    expect(item).toMatchObject({ displayName: 'María López', curp: 'LOPM850315MDFPRR03', conversationCount: 2 });
    // Channel-scoped ids (the API channel's crm id) stay out of the summary.
    expect(item.identities).toHaveLength(2);
    expect(item.identities).toEqual(
      expect.arrayContaining([
        { kind: 'phone', value: '+525512345678' },
        { kind: 'email', value: 'maria.lopez@example.mx' },
      ]),
    );
  });

  it('limits search to the caller’s campaigns, folios included', async () => {
    expect(ids(await search(tokens.agentB, '5512345678'))).toEqual([maria.id]);
    expect(ids(await search(tokens.agentB, '5587654321'))).toEqual([]); // Mario only has campaign A conversations
    expect(ids(await search(tokens.agentB, folios.a1))).toEqual([]); // a campaign-A folio says nothing to campaign B
    expect(ids(await search(tokens.outsider, '5512345678'))).toEqual([]);
    expect((await search(tokens.supA, 'x')).json().error.code).toBe('HUB_ERR_VALIDATION');
  });

  it('gives an admin the whole history: every conversation across channels and campaigns with its folio', async () => {
    const res = await detail(tokens.admin, maria.id);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.mergedIntoId).toBeNull();
    const history = body.history.map((h: { folio: string; channelKind: string; campaignName: string; status: string; closedAt: string | null }) => [
      h.folio,
      h.channelKind,
      h.campaignName,
      h.closedAt === null ? 'open' : 'closed',
    ]);
    expect(history).toEqual(
      expect.arrayContaining([
        [folios.a1, 'api', campaignNames.a, 'closed'],
        [folios.a2, 'whatsapp', campaignNames.a, 'open'],
        [folios.b, 'email', campaignNames.b, 'open'],
      ]),
    );
    expect(history).toHaveLength(3);
    expect(body.identities.map((i: { value: string }) => i.value)).toContain(scopedIdentityValue);
  });

  it('shows a member of one campaign only that campaign’s conversations and identities', async () => {
    const asB = (await detail(tokens.agentB, maria.id)).json();
    expect(asB.history.map((h: { folio: string }) => h.folio)).toEqual([folios.b]);
    expect(asB.identities.map((i: { value: string }) => i.value)).not.toContain(scopedIdentityValue);
    // Official ids are masked for agents and trainers, whole for supervisors, admins and auditors.
    expect(asB.curp).toBe('LOPM••••••••••••03');
    expect(asB.nss).toMatch(/^•+\d{4}$/);
    expect((await detail(tokens.supA, maria.id)).json().curp).toBe('LOPM850315MDFPRR03');

    const asA = (await detail(tokens.trainerA, maria.id)).json();
    expect(asA.history.map((h: { folio: string }) => h.folio).sort()).toEqual([folios.a1, folios.a2].sort());
    expect(asA.identities.map((i: { value: string }) => i.value)).toContain(scopedIdentityValue);
  });

  it('answers 403 to someone sharing no campaign with the contact, 404 for an unknown one, 401 without a token', async () => {
    const outsider = await detail(tokens.outsider, maria.id);
    expect(outsider.statusCode).toBe(403);
    expect(outsider.json().error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    const unknown = await detail(tokens.admin, '6f1c2a4e-8b7d-4c3e-9a1f-2b3c4d5e6f70');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('HUB_ERR_CONTACT_NOT_FOUND');
    expect((await hub.app.inject({ method: 'GET', url: `/api/v1/contacts/${maria.id}` })).statusCode).toBe(401);
  });

  it('documents the contacts routes in OpenAPI', async () => {
    const doc = (await hub.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const path of ['/api/v1/contacts', '/api/v1/contacts/{id}', '/api/v1/contacts/{id}/identities', '/api/v1/contacts/merge', '/api/v1/contacts/{id}/export']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/v1/contacts/merge'].post.tags).toEqual(['contacts']);
  });
});
