import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../support/auth.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { auditEntries, createChannel, createContact, createConversation } from './contact-fixtures.js';

describe('contacts: merging two records of the same person', () => {
  let hub: TestHub;
  let campA: { id: string };
  let campB: { id: string };
  let apiA: { id: string };
  let waA: { id: string };
  let mailB: { id: string };
  const t = { admin: '', supA: '', supAB: '', agentAB: '' };
  let adminId = '';
  let seq = 0;

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    campA = await createCampaign(db);
    campB = await createCampaign(db);
    apiA = (await createApiChannel(db, campA.id)).channel;
    waA = await createChannel(db, campA.id, 'whatsapp', 'WhatsApp');
    mailB = await createChannel(db, campB.id, 'email', 'Correo');
    const admin = await createUser(db, { roles: ['admin'] });
    adminId = admin.id;
    t.admin = await tokenFor(db, admin.id);
    t.supA = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [campA.id] })).id);
    t.supAB = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [campA.id, campB.id] })).id);
    t.agentAB = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campA.id, campB.id] })).id);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  const merge = (token: string, sourceContactId: string, targetContactId: string) =>
    hub.app.inject({ method: 'POST', url: '/api/v1/contacts/merge', headers: bearer(token), payload: { sourceContactId, targetContactId } });
  const contactRow = (id: string) => hub.ctx.db.kysely.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const conversationsOf = (id: string) => hub.ctx.db.kysely.selectFrom('conversations').select('folio').where('contact_id', '=', id).execute();
  const nextPhone = () => `+52551000${String(1000 + seq++)}`;

  /** WhatsApp record (campaign A) and email record (campaign B) of the same citizen. */
  async function twoRecords(options: { sourceCurp?: string; targetCurp?: string; sourceInA?: boolean } = {}) {
    const db = hub.ctx.db.kysely;
    const source = await createContact(db, {
      name: 'Juan Pérez',
      curp: options.sourceCurp,
      nss: '01987605233',
      identities: [{ kind: 'whatsapp', value: nextPhone().slice(1) }],
    });
    const target = await createContact(db, { curp: options.targetCurp, identities: [{ kind: 'email', value: `juan${seq++}@example.mx` }] });
    const sourceConv = await createConversation(db, { campaignId: campA.id, channelId: waA.id, contactId: source.id, closed: true });
    const targetConv = await createConversation(db, { campaignId: campB.id, channelId: mailB.id, contactId: target.id });
    await db
      .insertInto('interaction_events')
      .values({ type: 'conversation.opened', campaign_id: campA.id, conversation_id: sourceConv.id, contact_id: source.id, actor_type: 'contact', payload: '{}' })
      .execute();
    return { source, target, sourceConv, targetConv };
  }

  it('moves conversations and identities to the target, keeps both histories, and audits and announces it', async () => {
    const db = hub.ctx.db.kysely;
    const { source, target, sourceConv, targetConv } = await twoRecords();
    const res = await merge(t.supAB, source.id, target.id);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.merge).toMatchObject({ sourceContactId: source.id, targetContactId: target.id, movedIdentities: 1, filledFields: ['displayName', 'nss'] });
    expect(body.contact.history.map((h: { folio: string }) => h.folio).sort()).toEqual([sourceConv.folio, targetConv.folio].sort());
    expect(body.contact).toMatchObject({ id: target.id, displayName: 'Juan Pérez', nss: '01987605233' });
    expect(body.contact.identities.map((i: { kind: string }) => i.kind).sort()).toEqual(['email', 'whatsapp']);

    expect((await contactRow(source.id)).merged_into_id).toBe(target.id);
    expect(await conversationsOf(source.id)).toEqual([]);
    // The source's earlier events are untouched (append-only) and still reach its conversation.
    const oldEvents = await db.selectFrom('interaction_events').selectAll().where('conversation_id', '=', sourceConv.id).execute();
    expect(oldEvents.map((e) => [e.type, e.contact_id])).toEqual([['conversation.opened', source.id]]);

    const merged = await db.selectFrom('interaction_events').selectAll().where('type', '=', 'contact.merged').where('contact_id', '=', target.id).execute();
    expect(merged.map((e) => e.campaign_id).sort()).toEqual([campA.id, campB.id].sort());
    expect(merged.every((e) => e.actor_type === 'agent' && e.actor_id !== null)).toBe(true);
    expect(merged.find((e) => e.campaign_id === campA.id)?.payload).toMatchObject({ sourceContactId: source.id, movedConversationIds: [sourceConv.id] });

    const outbox = await db.selectFrom('outbox').selectAll().where('topic', '=', 'realtime.contact.merged').execute();
    const notifications = outbox.map((o) => o.payload).filter((p) => JSON.stringify(p).includes(source.id));
    expect(notifications.map((n) => n['rooms']).sort()).toEqual([[`campaign:${campA.id}`], [`campaign:${campB.id}`]].sort());

    const [audit] = await auditEntries(db, 'contact.merged', target.id);
    expect(audit?.details).toMatchObject({ sourceContactId: source.id, targetContactId: target.id });
  });

  it('leaves the merged contact readable with mergedIntoId so clients can follow it', async () => {
    const { source, target } = await twoRecords();
    expect((await merge(t.admin, source.id, target.id)).statusCode).toBe(200);
    const res = await hub.app.inject({ method: 'GET', url: `/api/v1/contacts/${source.id}`, headers: bearer(t.supA) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: source.id, mergedIntoId: target.id, history: [] });
    const edit = await hub.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${source.id}`, headers: bearer(t.supA), payload: { displayName: 'X' } });
    expect([edit.statusCode, edit.json().error.details]).toEqual([409, { mergedIntoId: target.id }]);
    const event = await hub.ctx.db.kysely.selectFrom('interaction_events').select('actor_id').where('type', '=', 'contact.merged').where('contact_id', '=', target.id).executeTakeFirstOrThrow();
    expect(event.actor_id).toBe(adminId);
  });

  it('refuses with 409 when both have an open conversation on the same channel, naming the folios', async () => {
    const db = hub.ctx.db.kysely;
    const source = await createContact(db, { identities: [{ kind: 'phone', value: nextPhone() }] });
    const target = await createContact(db, { identities: [{ kind: 'phone', value: nextPhone() }] });
    const a = await createConversation(db, { campaignId: campA.id, channelId: apiA.id, contactId: source.id });
    const b = await createConversation(db, { campaignId: campA.id, channelId: apiA.id, contactId: target.id });
    const res = await merge(t.supA, source.id, target.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('HUB_ERR_CONFLICT');
    expect(res.json().error.message).toContain(a.folio);
    expect(res.json().error.message).toContain(b.folio);
    expect((await contactRow(source.id)).merged_into_id).toBeNull();
    expect(await conversationsOf(source.id)).toEqual([{ folio: a.folio }]);
    expect(await auditEntries(db, 'contact.merged', target.id)).toHaveLength(0);
  });

  it('refuses contradictory official ids, self-merges and merges into an already merged contact', async () => {
    const clash = await twoRecords({ sourceCurp: 'LOPM850315MDFPRR03', targetCurp: 'GAXR850715MDFRXS09' });
    const res = await merge(t.supAB, clash.source.id, clash.target.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('CURP');
    expect(await conversationsOf(clash.source.id)).toHaveLength(1);

    const self = await merge(t.supAB, clash.target.id, clash.target.id);
    expect([self.statusCode, self.json().error.code]).toEqual([409, 'HUB_ERR_CONFLICT']);

    const first = await twoRecords();
    expect((await merge(t.supAB, first.source.id, first.target.id)).statusCode).toBe(200);
    const intoMerged = await merge(t.supAB, clash.target.id, first.source.id);
    expect(intoMerged.statusCode).toBe(409);
    expect(intoMerged.json().error.details).toEqual({ mergedIntoId: first.target.id });
    const again = await merge(t.supAB, first.source.id, first.target.id);
    expect(again.statusCode).toBe(409);
  });

  it('requires access to every campaign of both contacts (403) and a supervisor or admin role (403)', async () => {
    const { source, target } = await twoRecords();
    const partial = await merge(t.supA, source.id, target.id); // target lives in campaign B
    expect([partial.statusCode, partial.json().error.code]).toEqual([403, 'HUB_ERR_FORBIDDEN_CAMPAIGN']);
    const agent = await merge(t.agentAB, source.id, target.id);
    expect([agent.statusCode, agent.json().error.code]).toEqual([403, 'HUB_ERR_FORBIDDEN_ROLE']);
    expect((await contactRow(source.id)).merged_into_id).toBeNull();
    expect(await conversationsOf(source.id)).toHaveLength(1);
    expect(await auditEntries(hub.ctx.db.kysely, 'contact.merged', target.id)).toHaveLength(0);

    const missing = await merge(t.admin, source.id, '6f1c2a4e-8b7d-4c3e-9a1f-2b3c4d5e6f70');
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'HUB_ERR_CONTACT_NOT_FOUND']);
  });

  it('serialises concurrent merges of the same pair: exactly one succeeds', async () => {
    const { source, target } = await twoRecords();
    const results = await Promise.all([merge(t.supAB, source.id, target.id), merge(t.supAB, target.id, source.id), merge(t.supAB, source.id, target.id)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const rows = await Promise.all([contactRow(source.id), contactRow(target.id)]);
    expect(rows.filter((r) => r.merged_into_id !== null)).toHaveLength(1);
  });
});
