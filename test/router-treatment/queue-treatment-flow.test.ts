import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';
import { createQueue, setCampaignRouting } from '../support/router-factories.js';
import { systemTexts } from './treatment-fixtures.js';

/**
 * The demo's scene end to end (issue 3 item 5): one agent with 4 chats, 6 citizens write. The
 * 5th and 6th are told their place and estimated wait on their own channel (the API channel's
 * callback); when the agent resolves a conversation the line moves and the 6th hears they are next.
 */
describe('queue treatment: place in line and estimated wait pushed to waiting citizens', () => {
  let hub: HubProcess;
  let server: Server;
  let config: ReturnType<typeof testConfig>;
  let channelId: string;
  let secret: string;
  let agentToken: string;
  let agentId: string;
  /** Conversation ids in the order the citizens wrote. */
  const conversations: string[] = [];
  /** What the citizens' system received on the callback URL: conversation id → texts. */
  const delivered = new Map<string, string[]>();

  const db = () => hub.ctx.db.kysely;

  async function citizenWrites(n: number): Promise<string> {
    const body = messageBody({ id: `tq-${n}-${Date.now()}`, phone: `55 2000 ${String(1000 + n)}`, name: `Ciudadana ${n}`, text: 'Buenas tardes, quiero información de mi trámite' });
    const res = await fetch(`${hub.url}/webhooks/api/${channelId}`, { method: 'POST', headers: signedHeaders(secret, body), body });
    expect(res.status).toBe(200);
    // One at a time, so the order of arrival is the order in line.
    await expect.poll(async () => (await db().selectFrom('conversations').select('id').execute()).length, { timeout: 5000, interval: 50 }).toBe(n);
    const row = await db().selectFrom('conversations').select('id').orderBy('opened_at', 'desc').limit(1).executeTakeFirstOrThrow();
    return row.id;
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const message = JSON.parse(body) as { id: string; conversationId: string; content: { text?: string } };
        delivered.set(message.conversationId, [...(delivered.get(message.conversationId) ?? []), message.content.text ?? '']);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `prov-${message.id}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '200', ROUTER_TREATMENT_INTERVAL_MS: '200' });
    hub = await startHubProcess(config);
    const campaign = await createCampaign(db(), { prefix: 'TQF' });
    await setCampaignRouting(db(), campaign.id, { autoAccept: true, afterContactWorkMaxSeconds: 0 });
    ({ channel: { id: channelId }, secret } = await createApiChannel(db(), campaign.id, { callbackUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/citizen` }));
    await createQueue(db(), campaign.id, { name: 'Atención general', isDefault: true });
    const agent = await createUser(db(), { roles: ['agent'], campaignIds: [campaign.id] });
    agentId = agent.id;
    agentToken = await tokenFor(db(), agent.id);
    const res = await fetch(`${hub.url}/api/v1/agents/me/state`, {
      method: 'PUT',
      headers: { ...bearer(agentToken), 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'available' }),
    });
    expect(res.status).toBe(200);
  });

  afterAll(async () => {
    await hub?.stop();
    await new Promise((resolve) => server?.close(resolve));
    await dropNamespaces(config);
  });

  it('the agent takes 4; the 5th and 6th are told their place and wait, on their channel', async () => {
    for (let n = 1; n <= 6; n += 1) conversations.push(await citizenWrites(n));
    const [c1, c2, c3, c4, c5, c6] = conversations as [string, string, string, string, string, string];
    await expect.poll(async () => (await systemTexts(db(), c6)).length, { timeout: 8000, interval: 100 }).toBe(1);
    await expect.poll(async () => (await systemTexts(db(), c5)).length, { timeout: 8000, interval: 100 }).toBe(1);

    const statuses = await db().selectFrom('conversations').select(['id', 'status', 'assignee_id']).execute();
    const statusOf = new Map(statuses.map((r) => [r.id, r]));
    for (const id of [c1, c2, c3, c4]) expect(statusOf.get(id)).toMatchObject({ status: 'assigned', assignee_id: agentId });
    for (const id of [c5, c6]) expect(statusOf.get(id)?.status).toBe('queued');

    // 1 agent × 4 chats, no history yet: the chat default of 6 min per session, 4 seats.
    expect(await systemTexts(db(), c5)).toEqual(['Usted es la siguiente persona en la fila; tiempo estimado de espera: 2 min.']);
    expect(await systemTexts(db(), c6)).toEqual(['Su lugar en la fila es 2; tiempo estimado de espera: 3 min.']);
    // Those served at once are never told to wait.
    for (const id of [c1, c2, c3, c4]) expect(await systemTexts(db(), id)).toEqual([]);

    await expect.poll(() => delivered.get(c6), { timeout: 5000 }).toEqual(['Su lugar en la fila es 2; tiempo estimado de espera: 3 min.']);
    await expect.poll(() => delivered.get(c5), { timeout: 5000 }).toEqual(['Usted es la siguiente persona en la fila; tiempo estimado de espera: 2 min.']);
    const treatment = (await db().selectFrom('conversations').select('treatment').where('id', '=', c6).executeTakeFirstOrThrow()).treatment;
    expect(treatment).toMatchObject({
      position: 2,
      estimatedWaitMs: 180_000,
      method: 'capacity_default_aht',
      display: { position: 2, wait: { kind: 'minutes', minutes: 3 } },
      sentDisplay: { position: 2, wait: { kind: 'minutes', minutes: 3 } },
      sentAt: expect.any(String),
    });
  });

  it('when the agent resolves a conversation the line moves: the 5th is served, the 6th hears they are next', async () => {
    const [c1, , , , c5, c6] = conversations as [string, string, string, string, string, string];
    const res = await fetch(`${hub.url}/api/v1/conversations/${c1}/resolve`, {
      method: 'POST',
      headers: { ...bearer(agentToken), 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Trámite informado' }),
    });
    expect(res.status).toBe(200);
    await expect.poll(async () => (await db().selectFrom('conversations').select('status').where('id', '=', c5).executeTakeFirstOrThrow()).status, { timeout: 5000 }).toBe('assigned');

    // Becoming next is news the throttle lets through at once (no minute to wait).
    await expect.poll(async () => (await systemTexts(db(), c6)).length, { timeout: 5000, interval: 100 }).toBe(2);
    const texts = await systemTexts(db(), c6);
    // One 1-second session barely moves the 6-min default (5 sessions of prior): 1 × ~5 min ÷ 4 seats.
    expect(texts[1]).toBe('Usted es la siguiente persona en la fila; tiempo estimado de espera: 2 min.');
    expect(await systemTexts(db(), c5)).toHaveLength(1);
    await expect.poll(() => delivered.get(c6)?.length, { timeout: 5000 }).toBe(2);

    const treatment = (await db().selectFrom('conversations').select('treatment').where('id', '=', c6).executeTakeFirstOrThrow()).treatment;
    expect(treatment).toMatchObject({ position: 1, method: 'capacity', display: { position: 1 }, sentDisplay: { position: 1, wait: { kind: 'minutes', minutes: 2 } } });
  });
});
