import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationListItem } from '@ventanilla/hub';
import { ChannelStore } from '../../hub/src/channels/channel-store.js';
import { ingestMessages } from '../../hub/src/ingest/ingest-message.usecase.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createQueue, createSkill, setAgentSkills } from '../support/router-factories.js';
import { bearer, tokenFor } from '../support/auth.js';

/**
 * Issue 4, inbox list: the agent finds a conversation by folio (or its start), phone digits,
 * e-mail or a piece of the citizen's name (case and accents ignored), filters by queue and by
 * "my queues", and each row carries the routing columns the inbox shows.
 */
describe('inbox list: search, queues and row fields', () => {
  let hub: TestHub;
  const folio: Record<string, string> = {};
  const id: Record<string, string> = {};
  let agentA: string;
  let agentA2: string;
  let agentAId: string;
  let agentB: string;
  let queues: { q1: string; q2: string; q3: string };

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    const campaignA = (await createCampaign(db, { prefix: 'SQA' })).id;
    const campaignB = (await createCampaign(db, { prefix: 'SQB' })).id;
    const channels = new ChannelStore(db);
    const a = (await channels.get((await createApiChannel(db, campaignA)).channel.id))!;
    const b = (await channels.get((await createApiChannel(db, campaignB)).channel.id))!;
    const citizens = [
      { key: 'maria', channel: a, contact: { phone: '+52 55 4100 0001', email: 'maria.nunez@correo.mx', name: 'María Núñez Gómez' } },
      { key: 'jose', channel: a, contact: { phone: '+52 33 4100 0002', name: 'JOSÉ PÉREZ' } },
      { key: 'empresa', channel: a, contact: { email: 'contacto@empresa-patito.mx', name: 'Empresa Patito SA' } },
      { key: 'ana', channel: a, contact: { phone: '+52 81 4100 0004', name: 'Ana López' } },
      { key: 'otra', channel: b, contact: { phone: '+52 55 4100 0009', name: 'María Núñez Otra' } },
    ];
    for (const c of citizens) {
      const [result] = await ingestMessages(db, [
        { channel: c.channel, event: { type: 'message', providerMessageId: `s-${c.key}`, occurredAt: new Date().toISOString(), contact: c.contact, content: { type: 'text', text: 'Hola' } } },
      ]);
      if (result?.outcome !== 'stored') throw new Error(`not stored: ${c.key}`);
      folio[c.key] = result.folio;
      id[c.key] = result.conversationId;
      await new Promise((resolve) => setTimeout(resolve, 3));
    }

    // q1 needs s1 ≥ 3, q2 needs s2 ≥ 1, q3 needs nothing.
    const s1 = await createSkill(db, campaignA, 'pensiones');
    const s2 = await createSkill(db, campaignA, 'afiliacion');
    queues = {
      q1: await createQueue(db, campaignA, { name: 'Pensiones', skills: { [s1]: 3 } }),
      q2: await createQueue(db, campaignA, { name: 'Afiliación', skills: { [s2]: 1 } }),
      q3: await createQueue(db, campaignA, { name: 'General' }),
    };
    const agent = await createUser(db, { roles: ['agent'], campaignIds: [campaignA], name: 'Laura Agente' });
    agentAId = agent.id;
    await setAgentSkills(db, agent.id, { [s1]: 2, [s2]: 4 });
    agentA = await tokenFor(db, agent.id);
    const agent2 = await createUser(db, { roles: ['agent'], campaignIds: [campaignA] });
    await setAgentSkills(db, agent2.id, { [s1]: 3 });
    agentA2 = await tokenFor(db, agent2.id);
    agentB = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaignB] })).id);

    await db.updateTable('conversations').set({ queue_id: queues.q1, channel_class: 'text', status: 'assigned', assignee_id: agent.id }).where('id', '=', id['maria']!).execute();
    await db.updateTable('conversations').set({ queue_id: queues.q2, channel_class: 'text' }).where('id', '=', id['jose']!).execute();
    await db.updateTable('conversations').set({ queue_id: queues.q3, channel_class: 'email' }).where('id', '=', id['empresa']!).execute();
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  async function list(query: string, token = agentA): Promise<ConversationListItem[]> {
    const res = await hub.app.inject({ method: 'GET', url: `/api/v1/conversations?${query}`, headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: ConversationListItem[] }).items;
  }
  const keys = (items: ConversationListItem[]) => items.map((c) => Object.entries(id).find(([, v]) => v === c.id)?.[0]).sort();
  const search = async (q: string, token = agentA) => keys(await list(`q=${encodeURIComponent(q)}`, token));

  it('finds by whole folio or its start, in any case, within the caller’s campaigns only', async () => {
    expect(await search(folio['jose']!)).toEqual(['jose']);
    expect(await search(folio['jose']!.toLowerCase())).toEqual(['jose']);
    expect(await search('SQA-')).toEqual(['ana', 'empresa', 'jose', 'maria']);
    expect(await search('sqb')).toEqual([]);
    expect(await search('SQB', agentB)).toEqual(['otra']);
  });

  it('finds by phone digits, however they are written', async () => {
    expect(await search('4100 0002')).toEqual(['jose']);
    expect(await search('55 4100 0001')).toEqual(['maria']);
    expect(await search('+52 (55) 4100-0001')).toEqual(['maria']);
    expect(await search('044 55 4100 0001')).toEqual(['maria']);
    expect(await search('4100')).toEqual(['ana', 'jose', 'maria']);
  });

  it('finds by e-mail, whole or in part', async () => {
    expect(await search('maria.nunez@correo.mx')).toEqual(['maria']);
    expect(await search('MARIA.NUNEZ@CORREO.MX')).toEqual(['maria']);
    expect(await search('empresa-patito')).toEqual(['empresa']);
  });

  it('finds by a piece of the name, ignoring case and accents', async () => {
    expect(await search('nuñez')).toEqual(['maria']);
    expect(await search('NUNEZ')).toEqual(['maria']);
    expect(await search('maría')).toEqual(['maria']);
    expect(await search('perez')).toEqual(['jose']);
    expect(await search('José Pérez')).toEqual(['jose']);
    expect(await search('patito')).toEqual(['empresa']);
    expect(await search('nunez', agentB)).toEqual(['otra']);
    expect(await search('zzz-nadie')).toEqual([]);
    // LIKE wildcards are literal: a bare % matches nobody.
    expect(await search('%')).toEqual([]);
  });

  it('combines q with the other filters and pages', async () => {
    expect(keys(await list(`q=4100&status=assigned`))).toEqual(['maria']);
    const page = await hub.app.inject({ method: 'GET', url: '/api/v1/conversations?q=SQA&limit=2', headers: bearer(agentA) });
    expect(page.json().items).toHaveLength(2);
    const next = page.json().nextCursor as string;
    expect(keys(await list(`q=SQA&limit=2&cursor=${encodeURIComponent(next)}`))).toHaveLength(2);
  });

  it('filters by one or several queues', async () => {
    expect(keys(await list(`queueId=${queues.q1}`))).toEqual(['maria']);
    expect(keys(await list(`queueId=${queues.q1}&queueId=${queues.q3}`))).toEqual(['empresa', 'maria']);
    expect((await hub.app.inject({ method: 'GET', url: '/api/v1/conversations?queueId=nope', headers: bearer(agentA) })).statusCode).toBe(400);
  });

  it('myQueues keeps the queues whose required skills the caller holds at the minimum level', async () => {
    // agentA: pensiones 2 (< 3) and afiliacion 4 → Afiliación and General.
    expect(keys(await list('myQueues=true'))).toEqual(['empresa', 'jose']);
    // agentA2: pensiones 3 only → Pensiones and General.
    expect(keys(await list('myQueues=true', agentA2))).toEqual(['empresa', 'maria']);
    // Another campaign's agent has none of these queues.
    expect(await list('myQueues=true', agentB)).toEqual([]);
    expect(keys(await list('myQueues=false'))).toEqual(['ana', 'empresa', 'jose', 'maria']);
  });

  it('each row adds queue, channel class, last inbound/outbound and the assignee’s name', async () => {
    const [maria] = await list(`q=${folio['maria']}`);
    expect(maria).toMatchObject({
      id: id['maria'],
      folio: folio['maria'],
      contactName: 'María Núñez Gómez',
      status: 'assigned',
      queueId: queues.q1,
      channelClass: 'text',
      assigneeId: agentAId,
      assigneeName: 'Laura Agente',
      lastOutboundAt: null,
    });
    expect(Date.parse(maria!.lastInboundAt!)).toBeGreaterThan(Date.now() - 60_000);
    const [ana] = await list(`q=${folio['ana']}`);
    expect(ana).toMatchObject({ queueId: null, channelClass: null, assigneeId: null, assigneeName: null });
  });
});
