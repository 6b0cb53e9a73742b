import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubContext, type HubContext, type MessageCreatedPayload, type MessageStatusChangedPayload } from '@ventanilla/hub';
import { dropNamespaces, testEnv } from '../support/test-context.js';
import { loadConfig } from '@ventanilla/hub';
import { startChildHub, type ChildHub } from '../support/child-hub.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, connectStaff, tokenFor, type StaffClient } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';

/**
 * Two hub API processes and one worker process as real OS processes on one schema and
 * Redis prefix: what happens through process B must reach a socket connected to process A.
 */
describe('several hub processes', () => {
  const env = testEnv({ PORT: '0' });
  const config = loadConfig(env);
  let ctx: HubContext;
  let a: ChildHub;
  let b: ChildHub;
  let worker: ChildHub;
  let socket: StaffClient;
  let token: string;
  let channelId: string;
  let secret: string;

  beforeAll(async () => {
    // The three children start at once on a fresh schema: migrations must serialise.
    [a, b, worker] = await Promise.all([
      startChildHub({ ...env, HUB_ROLE: 'api' }),
      startChildHub({ ...env, HUB_ROLE: 'api' }),
      startChildHub({ ...env, HUB_ROLE: 'worker' }),
    ]);
    ctx = await createHubContext(config, { migrate: false });
    const campaign = await createCampaign(ctx.db.kysely);
    ({ channel: { id: channelId }, secret } = await createApiChannel(ctx.db.kysely, campaign.id));
    const agent = await createUser(ctx.db.kysely, { roles: ['agent'], campaignIds: [campaign.id] });
    token = await tokenFor(ctx.db.kysely, agent.id);
    socket = await connectStaff(a.url!, token);
  }, 120_000);

  afterAll(async () => {
    socket?.disconnect();
    await Promise.all([a?.stop(), b?.stop(), worker?.stop()]);
    await ctx?.close();
    await dropNamespaces(config);
  });

  it('applied each migration exactly once although three processes started together', async () => {
    const rows = await ctx.db.kysely.selectFrom('schema_migrations').select('version').execute();
    expect(new Set(rows.map((r) => r.version)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('delivers a webhook posted to process B to a socket on process A, via the worker process', async () => {
    expect(a.url).not.toBe(b.url);
    const got: MessageCreatedPayload[] = [];
    socket.on('message.created', (p) => got.push(p));
    const body = messageBody({ id: 'mp-1', phone: '+52 33 1234 5678', text: 'Necesito mi constancia de semanas cotizadas' });
    const res = await fetch(`${b.url}/webhooks/api/${channelId}`, { method: 'POST', headers: signedHeaders(secret, body), body });
    expect(res.status).toBe(200);
    await expect.poll(() => got.length, { timeout: 5000 }).toBe(1);
    expect(got[0]!.message.text).toBe('Necesito mi constancia de semanas cotizadas');
  });

  it('delivers a reply sent through process B to the socket on process A', async () => {
    const created: MessageCreatedPayload[] = [];
    const statuses: MessageStatusChangedPayload[] = [];
    socket.on('message.created', (p) => created.push(p));
    socket.on('message.status_changed', (p) => statuses.push(p));
    const list = await (await fetch(`${b.url}/api/v1/conversations`, { headers: bearer(token) })).json();
    const conversationId: string = list.items[0].id;
    const res = await fetch(`${b.url}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Con gusto le ayudo' }),
    });
    expect(res.status).toBe(202);
    await expect.poll(() => created.some((p) => p.message.text === 'Con gusto le ayudo'), { timeout: 5000 }).toBe(true);
    // The channel has no callback URL: the worker process fails the send, and A hears it.
    await expect.poll(() => statuses.map((s) => s.status), { timeout: 10_000 }).toContain('failed');
    expect(statuses.find((s) => s.status === 'failed')?.errorReason).toMatch(/URL de retorno/);
  });
});
