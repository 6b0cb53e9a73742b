import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess, type MessageCreatedPayload, type ConversationOpenedPayload } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, connectStaff, tokenFor, type StaffClient } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';

describe('a citizen message posted to the API channel', () => {
  let hub: HubProcess;
  let config: ReturnType<typeof testConfig>;
  let socket: StaffClient;
  let token: string;
  let channelId: string;
  let secret: string;
  let campaignId: string;
  const received: MessageCreatedPayload[] = [];
  const opened: ConversationOpenedPayload[] = [];

  beforeAll(async () => {
    config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
    hub = await startHubProcess(config);
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db, { prefix: 'DH' });
    campaignId = campaign.id;
    ({ channel: { id: channelId }, secret } = await createApiChannel(db, campaign.id));
    const agent = await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] });
    token = await tokenFor(db, agent.id);
    socket = await connectStaff(hub.url!, token);
    socket.on('message.created', (p) => received.push(p));
    socket.on('conversation.opened', (p) => opened.push(p));
  });

  afterAll(async () => {
    socket?.disconnect();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('is stored with a folio, contact and events, and reaches the agent socket (the latency is a figure of bench/, not a test)', async () => {
    const body = messageBody({ id: 'ext-0001', phone: '55 1234 5678', name: 'María López', text: 'Quiero saber mis semanas cotizadas' });
    const res = await fetch(`${hub.url}/webhooks/api/${channelId}`, { method: 'POST', headers: signedHeaders(secret, body), body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 1 });

    await expect.poll(() => received.length, { timeout: 10_000, interval: 10 }).toBe(1);
    const pushed = received[0]!;
    expect(pushed.message.text).toBe('Quiero saber mis semanas cotizadas');
    expect(pushed.folio).toMatch(/^DH-\d{8}-\d{6,}$/);
    expect(pushed.campaignId).toBe(campaignId);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.conversation.contactName).toBe('María López');

    const detail = await fetch(`${hub.url}/api/v1/conversations/${pushed.conversationId}`, { headers: bearer(token) });
    expect(detail.status).toBe(200);
    const json = await detail.json();
    expect(json.conversation.folio).toBe(pushed.folio);
    expect(json.conversation.status).toBe('queued');
    expect(json.contact.displayName).toBe('María López');
    expect(json.contact.identities).toContainEqual({ kind: 'phone', value: '+525512345678', channelId: null });
    expect(json.messages).toHaveLength(1);
    expect(json.messages[0].status).toBe('received');
    expect(json.events.map((e: { type: string }) => e.type)).toEqual(['contact.created', 'conversation.opened', 'message.received']);

    const byFolio = await fetch(`${hub.url}/api/v1/conversations/by-folio/${pushed.folio}`, { headers: bearer(token) });
    expect((await byFolio.json()).conversation.id).toBe(pushed.conversationId);
  });

  it('keeps one conversation per citizen and channel across messages and phone formats', async () => {
    const before = received.length;
    for (const [i, phone] of ['+52 1 55 1234 5678', '+525512345678'].entries()) {
      const body = messageBody({ id: `ext-010${i}`, phone, text: `mensaje ${i}` });
      const res = await fetch(`${hub.url}/webhooks/api/${channelId}`, { method: 'POST', headers: signedHeaders(secret, body), body });
      expect(res.status).toBe(200);
    }
    await expect.poll(() => received.length, { timeout: 2000 }).toBe(before + 2);
    const conversationIds = new Set(received.map((r) => r.conversationId));
    expect(conversationIds.size).toBe(1);
    const list = await fetch(`${hub.url}/api/v1/conversations?campaignId=${campaignId}`, { headers: bearer(token) });
    const { items } = await list.json();
    expect(items).toHaveLength(1);
    expect(items[0].unreadCount).toBe(3);
  });
});
