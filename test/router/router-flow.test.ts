import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startHubProcess, type ConversationOfferedPayload, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, connectStaff, tokenFor, type StaffClient } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';
import { createQueue, createSkill, setAgentSkills, setCampaignRouting } from '../support/router-factories.js';

describe('routing conversations to agents by skill, with offers, rejects and RONA', () => {
  let hub: HubProcess;
  let config: ReturnType<typeof testConfig>;
  let channelId: string;
  let secret: string;
  let campaignId: string;
  const agents: { id: string; token: string; socket: StaffClient; offers: ConversationOfferedPayload[] }[] = [];

  async function post(n: number): Promise<void> {
    const body = messageBody({ id: `ext-${n}-${Date.now()}`, phone: `55 1000 ${String(1000 + n)}`, name: `Ciudadano ${n}`, text: 'Hola' });
    const res = await fetch(`${hub.url}/webhooks/api/${channelId}`, { method: 'POST', headers: signedHeaders(secret, body), body });
    expect(res.status).toBe(200);
  }

  async function api(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(`${hub.url}/api/v1${path}`, {
      method,
      headers: { ...bearer(token), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  const db = () => hub.ctx.db.kysely;
  const seat = (id: string) => db().selectFrom('agent_seats').selectAll().where('user_id', '=', id).executeTakeFirstOrThrow();
  const byStatus = async (status: string) => (await db().selectFrom('conversations').select('id').where('status', '=', status as never).execute()).length;

  beforeAll(async () => {
    config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '200' });
    hub = await startHubProcess(config);
    const campaign = await createCampaign(db(), { prefix: 'RT' });
    campaignId = campaign.id;
    await setCampaignRouting(db(), campaignId, { offerTimeoutSeconds: 5, afterContactWorkMaxSeconds: 0 });
    ({ channel: { id: channelId }, secret } = await createApiChannel(db(), campaignId));
    const general = await createSkill(db(), campaignId, 'general');
    await createQueue(db(), campaignId, { name: 'General', skills: { [general]: 2 }, isDefault: true });
    for (const level of [4, 3, 1]) {
      const user = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId] });
      await setAgentSkills(db(), user.id, { [general]: level });
      const token = await tokenFor(db(), user.id);
      const socket = await connectStaff(hub.url!, token);
      const offers: ConversationOfferedPayload[] = [];
      socket.on('conversation.offered', (p) => {
        if (p.agentId === user.id) offers.push(p);
      });
      agents.push({ id: user.id, token, socket, offers });
    }
  });

  afterAll(async () => {
    for (const a of agents) a.socket.disconnect();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('offers at most 4 text sessions to one agent; the 5th waits in line', async () => {
    const [a] = agents;
    expect((await api('PUT', '/agents/me/state', a!.token, { state: 'available' })).status).toBe(200);
    for (let n = 1; n <= 5; n += 1) await post(n);
    await expect.poll(() => a!.offers.length, { timeout: 3000 }).toBe(4);
    expect(await byStatus('offered')).toBe(4);
    expect(await byStatus('queued')).toBe(1);
    expect((await seat(a!.id)).load_text).toBe(4);
  });

  it('an accepted offer is assigned; the next agent available takes the one waiting', async () => {
    const [a, b] = agents;
    expect((await api('POST', `/offers/${a!.offers[0]!.offerId}/accept`, a!.token)).status).toBe(200);
    expect(await byStatus('assigned')).toBe(1);
    await api('PUT', '/agents/me/state', b!.token, { state: 'available' });
    await expect.poll(() => b!.offers.length, { timeout: 3000 }).toBe(1);
    expect(await byStatus('queued')).toBe(0);
  });

  it('a rejected offer goes to another agent, never back to the one who rejected it', async () => {
    const [a, b] = agents;
    const offer = a!.offers[1]!;
    const res = await api('POST', `/offers/${offer.offerId}/reject`, a!.token, { reason: 'No es mi especialidad' });
    expect(res.status).toBe(200);
    await expect.poll(() => b!.offers.some((o) => o.conversationId === offer.conversationId), { timeout: 3000 }).toBe(true);
    const row = await db().selectFrom('conversations').select(['excluded_agent_ids', 'assignee_id']).where('id', '=', offer.conversationId).executeTakeFirstOrThrow();
    expect(row.excluded_agent_ids).toEqual([a!.id]);
    expect(row.assignee_id).toBe(b!.id);
  });

  it('an agent below the required level never gets an offer', async () => {
    const [, , c] = agents;
    await api('PUT', '/agents/me/state', c!.token, { state: 'available' });
    await post(6);
    await new Promise((r) => setTimeout(r, 500));
    expect(c!.offers).toHaveLength(0);
  });

  it('RONA: an offer not answered in time goes to the next agent and the first goes not_ready', async () => {
    const [a] = agents;
    await expect.poll(async () => (await seat(a!.id)).state, { timeout: 9000, interval: 200 }).toBe('not_ready');
    expect((await seat(a!.id)).state_reason).toBe('rona');
    // One statement, so an offer timing out in between cannot make the counts differ.
    const { rows } = await sql<{ offers: number; events: number }>`
      SELECT (SELECT count(*)::int FROM offers WHERE status = 'timed_out') AS offers,
             (SELECT count(*)::int FROM interaction_events WHERE type = 'offer.timed_out') AS events`.execute(db());
    expect(rows[0]!.offers).toBeGreaterThanOrEqual(1);
    expect(rows[0]!.events).toBe(rows[0]!.offers);
  }, 15_000);

  it('invariant: seat loads equal the sessions held (one consistent read)', async () => {
    const { rows } = await sql<{ user_id: string; load_text: number; held: number }>`
      SELECT s.user_id, s.load_text,
             (SELECT count(*)::int FROM conversations c WHERE c.assignee_id = s.user_id AND c.status IN ('offered','assigned')) AS held
      FROM agent_seats s`.execute(db());
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.load_text).toBe(row.held);
      expect(row.held).toBeLessThanOrEqual(4);
    }
  });
});
