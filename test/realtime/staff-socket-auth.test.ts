import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { startHubProcess, type HubProcess, type MessageCreatedPayload } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, connectStaff, tokenFor } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';

/** Every socket event checks the caller: token on connect, campaign on every room it joins. */
describe('staff realtime authorisation', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let campaignA: string;
  let campaignB: string;
  let channelA: { id: string; secret: string };
  let channelB: { id: string; secret: string };

  beforeAll(async () => {
    hub = await startHubProcess(config);
    const db = hub.ctx.db.kysely;
    campaignA = (await createCampaign(db)).id;
    campaignB = (await createCampaign(db)).id;
    const a = await createApiChannel(db, campaignA);
    const b = await createApiChannel(db, campaignB);
    channelA = { id: a.channel.id, secret: a.secret };
    channelB = { id: b.channel.id, secret: b.secret };
  });
  afterAll(async () => {
    await hub?.stop();
    await dropNamespaces(config);
  });

  const post = async (channel: { id: string; secret: string }, id: string) => {
    const body = messageBody({ id, phone: '+52 81 1234 0000', text: `mensaje ${id}` });
    const res = await fetch(`${hub.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(channel.secret, body), body });
    expect(res.status).toBe(200);
  };

  it('refuses a connection without a token or with a bad one, with the error code', async () => {
    for (const auth of [{}, { token: 'not-a-jwt' }]) {
      const socket = connect(`${hub.url}/staff`, { auth, transports: ['websocket'], reconnection: false });
      const error = await new Promise<Error & { data?: { code?: string } }>((resolve) => socket.once('connect_error', resolve));
      socket.disconnect();
      expect(error.data?.code).toBe('token' in auth ? 'HUB_ERR_AUTH_TOKEN_INVALID' : 'HUB_ERR_AUTH_REQUIRED');
    }
  });

  it('pushes only the campaigns the agent belongs to, and refuses to watch another campaign', async () => {
    const agent = await createUser(hub.ctx.db.kysely, { roles: ['agent'], campaignIds: [campaignA] });
    const token = await tokenFor(hub.ctx.db.kysely, agent.id);
    const socket = await connectStaff(hub.url!, token);
    const got: MessageCreatedPayload[] = [];
    socket.on('message.created', (p) => got.push(p));
    await post(channelB, 'b-1');
    await post(channelA, 'a-1');
    await expect.poll(() => got.length, { timeout: 5000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(got.map((p) => p.campaignId)).toEqual([campaignA]);

    const admin = await createUser(hub.ctx.db.kysely, { roles: ['admin'] });
    const adminToken = await tokenFor(hub.ctx.db.kysely, admin.id);
    const list = await (await fetch(`${hub.url}/api/v1/conversations?campaignId=${campaignB}`, { headers: bearer(adminToken) })).json();
    const foreign: string = list.items[0].id;
    const reply = await socket.emitWithAck('conversation.watch', { conversationId: foreign });
    expect(reply).toMatchObject({ ok: false, code: 'HUB_ERR_FORBIDDEN_CAMPAIGN' });
    expect(await socket.emitWithAck('conversation.watch', { conversationId: 'nope' })).toMatchObject({ ok: false, code: 'HUB_ERR_VALIDATION' });
    socket.disconnect();
  });

  it('disconnects open sockets when an admin changes the memberships, and the reconnect gets the new rooms', async () => {
    const agent = await createUser(hub.ctx.db.kysely, { roles: ['agent'], campaignIds: [campaignA] });
    const token = await tokenFor(hub.ctx.db.kysely, agent.id);
    const admin = await createUser(hub.ctx.db.kysely, { roles: ['admin'] });
    const adminToken = await tokenFor(hub.ctx.db.kysely, admin.id);
    const socket = await connectStaff(hub.url!, token);
    const got: MessageCreatedPayload[] = [];
    socket.on('message.created', (p) => got.push(p));
    const reconnected = new Promise<void>((resolve) => socket.once('disconnect', () => socket.once('connect', () => resolve())));

    const res = await fetch(`${hub.url}/api/v1/users/${agent.id}/campaigns`, {
      method: 'PUT',
      headers: { ...bearer(adminToken), 'content-type': 'application/json' },
      body: JSON.stringify({ campaignIds: [campaignB] }),
    });
    expect(res.status).toBe(200);
    await reconnected;
    await post(channelA, 'a-2');
    await post(channelB, 'b-2');
    await expect.poll(() => got.length, { timeout: 5000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(got.map((p) => p.campaignId)).toEqual([campaignB]);
    socket.disconnect();
  });
});
