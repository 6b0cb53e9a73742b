import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess, type WallboardSnapshot } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, connectStaff, tokenFor, type StaffClient } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';
import { createQueue } from '../support/router-factories.js';

/**
 * The live board against a real hub process: an event (state change, enqueue, offer) reaches the
 * supervisor's socket as a snapshot reflecting it; latency is the hub's own (event → emit).
 */
describe('live wallboard over the staff socket', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '200' });
  let hub: HubProcess;
  let campaignId: string;
  let otherCampaign: string;
  let channel: { id: string; secret: string };
  let agentToken: string;
  let supervisorToken: string;
  let supervisor: StaffClient;
  const received: WallboardSnapshot[] = [];
  const db = () => hub.ctx.db.kysely;

  async function api(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(`${hub.url}/api/v1${path}`, {
      method,
      headers: { ...bearer(token), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  }

  async function post(n: number): Promise<void> {
    const body = messageBody({ id: `wb-${n}-${Date.now()}`, phone: `55 2000 ${String(1000 + n)}`, text: 'Hola' });
    const res = await fetch(`${hub.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(channel.secret, body), body });
    expect(res.status).toBe(200);
  }

  /** The first snapshot received after `from` that satisfies `test`. */
  async function snapshotWhere(from: number, test: (s: WallboardSnapshot) => boolean): Promise<WallboardSnapshot> {
    let found: WallboardSnapshot | undefined;
    await expect.poll(() => (found = received.slice(from).find(test)) !== undefined, { timeout: 8000, interval: 50 }).toBe(true);
    return found as WallboardSnapshot;
  }

  beforeAll(async () => {
    hub = await startHubProcess(config);
    campaignId = (await createCampaign(db(), { prefix: 'WL' })).id;
    otherCampaign = (await createCampaign(db(), { prefix: 'WO' })).id;
    await createQueue(db(), campaignId, { name: 'General', isDefault: true });
    const created = await createApiChannel(db(), campaignId);
    channel = { id: created.channel.id, secret: created.secret };
    const agent = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Agente Uno' });
    agentToken = await tokenFor(db(), agent.id);
    expect((await api('PUT', '/agents/me/state', agentToken, { state: 'lunch' })).status).toBe(200);
    const sup = await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId] });
    supervisorToken = await tokenFor(db(), sup.id);
    supervisor = await connectStaff(hub.url!, supervisorToken);
    supervisor.on('wallboard.updated', (s) => received.push(s));
    expect(await supervisor.emitWithAck('wallboard.watch', { campaignId })).toEqual({ ok: true });
  });

  afterAll(async () => {
    supervisor?.disconnect();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('refuses agents, supervisors of another campaign and bad ids', async () => {
    const agentSocket = await connectStaff(hub.url!, agentToken);
    expect(await agentSocket.emitWithAck('wallboard.watch', { campaignId })).toMatchObject({ ok: false, code: 'HUB_ERR_FORBIDDEN_ROLE' });
    agentSocket.disconnect();
    const foreign = await createUser(db(), { roles: ['supervisor'], campaignIds: [otherCampaign] });
    const foreignSocket = await connectStaff(hub.url!, await tokenFor(db(), foreign.id));
    expect(await foreignSocket.emitWithAck('wallboard.watch', { campaignId })).toMatchObject({ ok: false, code: 'HUB_ERR_FORBIDDEN_CAMPAIGN' });
    expect(await foreignSocket.emitWithAck('wallboard.watch', { campaignId: 'nope' })).toMatchObject({ ok: false, code: 'HUB_ERR_VALIDATION' });
    foreignSocket.disconnect();
    expect((await api('GET', `/wallboard/${campaignId}`, agentToken)).status).toBe(403);
  });

  it('an enqueue shows up in the line within 1 s of the event, measured by the hub', async () => {
    const from = received.length;
    await post(1);
    const s = await snapshotWhere(from, (x) => x.totals.waiting === 1);
    // Usually the event's own snapshot; a periodic one read after the commit may show the line first
    // (the event's then goes unsent, already answered). The latency figure (≤ 1 s) is a performance
    // measure that bench:wallboard reports; here it must be recorded and sane.
    expect(['event', 'tick', 'facts']).toContain(s.cause);
    if (s.cause === 'event') {
      expect(s.eventAt).not.toBeNull();
      expect(s.latencyMs).not.toBeNull();
      expect(s.latencyMs!).toBeGreaterThanOrEqual(0);
      expect(Date.parse(s.generatedAt)).toBeGreaterThanOrEqual(Date.parse(s.eventAt!));
    }
    expect(s.agents.map((a) => [a.name, a.state])).toEqual([['Agente Uno', 'lunch']]);
    expect(s.totals.agents.breaks).toEqual({ lunch: 1 });
  });

  it('a threshold alert starts when the line passes it and stops when an agent takes the contact', async () => {
    const created = await api('POST', `/wallboard/${campaignId}/thresholds`, supervisorToken, { queueId: null, metric: 'waiting', value: 1 });
    expect(created.status).toBe(201);
    const from = received.length;
    await post(2);
    const on = await snapshotWhere(from, (x) => x.totals.waiting === 2);
    expect(on.alerts).toMatchObject([{ metric: 'waiting', value: 2, threshold: 1, direction: 'above', queueId: null }]);
    expect(on.latencyMs!).toBeGreaterThanOrEqual(0);

    // The agent comes back: the state change and the offers empty the line; the alert stops.
    const back = received.length;
    expect((await api('PUT', '/agents/me/state', agentToken, { state: 'available' })).status).toBe(200);
    const off = await snapshotWhere(back, (x) => x.totals.waiting === 0);
    expect(off.alerts).toEqual([]);
    expect(off.latencyMs!).toBeGreaterThanOrEqual(0);
    const agent = off.agents[0]!;
    expect(agent.state).toBe('available');
    expect(agent.conversations).toHaveLength(2);
    expect(agent.load.text).toBe(2);
    expect(off.totals.agents).toMatchObject({ available: 0, busy: 1 });
  });

  it('the day’s figures follow the KPI facts loop with no further event (facts moved → read again)', async () => {
    // Both contacts are offered to the agent, not yet accepted (not answered): once the facts loop
    // derives their queue entries, the process's poll of kpi_cursor asks for the day figures again
    // and a snapshot counts them as received today.
    const s = await snapshotWhere(0, (x) => x.cause === 'facts' && x.totals.received === 2);
    expect(s.totals.attended).toBe(0);
    expect(s.agents[0]?.attendedToday).toBe(0);
    expect(s.serviceLevel).toEqual({ denominator: 'attended', thresholdSeconds: 20, shortAbandonSeconds: 0 });
  });

  it('exposes the hub-measured latency as a Prometheus histogram', async () => {
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    const count = Number(/hub_wallboard_update_latency_seconds_count (\d+)/.exec(text)?.[1] ?? 0);
    const sum = Number(/hub_wallboard_update_latency_seconds_sum ([\d.e-]+)/.exec(text)?.[1] ?? 0);
    // One observation per event-caused snapshot this process emitted (the socket saw each of them).
    const events = received.filter((s) => s.cause === 'event');
    expect(count).toBe(events.length);
    expect(sum).toBeCloseTo(events.reduce((t, s) => t + (s.latencyMs ?? 0), 0) / 1000, 2);
  });
});
