import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type ConversationOfferedPayload, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, connectStaff, tokenFor, type StaffClient } from '../support/auth.js';
import { createQueue, createSkill, setAgentSkills } from '../support/router-factories.js';
import { messageBody, signedHeaders } from '../support/webhook.js';
import { labelValues, sample } from './exposition.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const FOLIO = /[A-Z]{2,}-\d{8}-\d{6,}/;

/**
 * Issue 12 item 7: a citizen's message through the API channel (webhook → ingest → router → offer
 * → accept → agent reply → provider) shows up in the ventanilla_* series of GET /metrics, and the
 * ingest, router and outbound log lines of that conversation carry the same folio.
 */
describe('observability: metrics and folio-correlated logs of one journey', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', LOG_LEVEL: 'debug', ROUTER_SWEEP_INTERVAL_MS: '200' });
  const lines: Record<string, unknown>[] = [];
  let hub: HubProcess;
  let callbackServer: Server;
  let agent: { id: string; token: string; socket: StaffClient; offers: ConversationOfferedPayload[] };
  let channelId: string;
  let secret: string;
  let slug: string;
  let metricsText = '';

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${hub.url}/api/v1${path}`, {
      method,
      headers: { ...bearer(agent.token), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return res.status;
  };
  const citizenWrites = async (id: string, phone: string) => {
    const body = messageBody({ id, phone, text: 'Hola, necesito ayuda con mi trámite' });
    return fetch(`${hub.url}/webhooks/api/${channelId}`, { method: 'POST', headers: signedHeaders(secret, body), body });
  };
  const scrape = async () => {
    const res = await fetch(`${hub.url}/metrics`);
    expect(res.status).toBe(200);
    metricsText = await res.text();
    return metricsText;
  };
  const value = async (series: string) => sample(await scrape(), series);

  beforeAll(async () => {
    // The provider behind the API channel: accepts every send.
    let seq = 0;
    callbackServer = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `prov-${++seq}` }));
      });
    });
    await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
    const callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/ventanilla`;

    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    hub = await startHubProcess(config, { logger: pino({ level: 'debug' }, sink) });
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db, { prefix: 'OBS' });
    slug = campaign.slug;
    ({ channel: { id: channelId }, secret } = await createApiChannel(db, campaign.id, { callbackUrl }));
    const general = await createSkill(db, campaign.id, 'general');
    await createQueue(db, campaign.id, { name: 'Trámites', skills: { [general]: 1 }, isDefault: true });
    const user = await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] });
    await setAgentSkills(db, user.id, { [general]: 3 });
    const token = await tokenFor(db, user.id);
    const socket = await connectStaff(hub.url!, token);
    const offers: ConversationOfferedPayload[] = [];
    socket.on('conversation.offered', (p) => {
      if (p.agentId === user.id) offers.push(p);
    });
    agent = { id: user.id, token, socket, offers };
    expect(await api('PUT', '/agents/me/state', { state: 'available' })).toBe(200);
  });

  afterAll(async () => {
    agent?.socket.disconnect();
    await hub?.stop();
    await new Promise((resolve) => callbackServer?.close(resolve));
    await dropNamespaces(config);
  });

  it('counts the webhook, the jobs, the routing pass, the offer and the send', async () => {
    expect((await citizenWrites('obs-1', '55 4000 0001')).status).toBe(200);
    await expect.poll(() => agent.offers.length, { timeout: 10_000 }).toBe(1);
    const offer = agent.offers[0]!;
    expect(await api('POST', `/offers/${offer.offerId}/accept`)).toBe(200);
    expect(await api('POST', `/conversations/${offer.conversationId}/messages`, { text: 'Con gusto le ayudo' })).toBe(202);

    await expect.poll(() => value('ventanilla_connector_sends_total{channel_kind="api",outcome="sent"}'), { timeout: 10_000 }).toBe(1);
    expect(sample(metricsText, 'ventanilla_connector_send_duration_seconds_count{channel_kind="api"}')).toBe(1);
    expect(sample(metricsText, 'ventanilla_connector_webhooks_total{channel_kind="api",outcome="accepted"}')).toBe(1);
    expect(sample(metricsText, 'ventanilla_queue_jobs_completed_total{queue="inbound"}')).toBe(1);
    expect(sample(metricsText, 'ventanilla_queue_jobs_completed_total{queue="outbound"}')).toBe(1);
    expect(sample(metricsText, 'ventanilla_queue_job_duration_seconds_count{queue="outbound"}')).toBe(1);
    expect(sample(metricsText, 'ventanilla_router_passes_total')).toBeGreaterThanOrEqual(1);
    expect(sample(metricsText, 'ventanilla_router_pass_duration_seconds_count')).toBe(sample(metricsText, 'ventanilla_router_passes_total'));
    expect(sample(metricsText, `ventanilla_router_offers_total{campaign="${slug}",outcome="offered"}`)).toBe(1);
    expect(sample(metricsText, `ventanilla_router_offers_total{campaign="${slug}",outcome="accepted"}`)).toBe(1);
    // Every queue's job counts are read on scrape, the router's timers included.
    for (const queue of ['inbound', 'outbound', 'bot', 'router-timers']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) expect(sample(metricsText, `ventanilla_queue_jobs{queue="${queue}",state="${state}"}`)).toBeGreaterThanOrEqual(0);
    }
  });

  it('counts a rejected offer, and the conversation left waiting shows in the line gauges of its queue', async () => {
    expect((await citizenWrites('obs-2', '55 4000 0002')).status).toBe(200);
    await expect.poll(() => agent.offers.length, { timeout: 10_000 }).toBe(2);
    expect(await api('POST', `/offers/${agent.offers[1]!.offerId}/reject`, { reason: 'Necesita otra área' })).toBe(200);
    // The only agent rejected it, so it waits in line for someone else.
    await expect.poll(() => value(`ventanilla_router_conversations_waiting{campaign="${slug}",queue="Trámites"}`), { timeout: 10_000 }).toBe(1);
    expect(sample(metricsText, `ventanilla_router_longest_wait_seconds{campaign="${slug}",queue="Trámites"}`)).toBeGreaterThanOrEqual(0);
    expect(sample(metricsText, `ventanilla_router_offers_total{campaign="${slug}",outcome="rejected"}`)).toBe(1);
    expect(sample(metricsText, `ventanilla_router_offers_total{campaign="${slug}",outcome="offered"}`)).toBe(2);
  });

  it('a webhook with a bad signature is counted as such, and a malformed body as a bad request', async () => {
    const body = messageBody({ id: 'obs-forged', phone: '55 4000 0009' });
    const forged = await fetch(`${hub.url}/webhooks/api/${channelId}`, { method: 'POST', headers: signedHeaders('not-the-secret', body), body });
    expect(forged.status).toBe(401);
    const garbage = '{"type":"message"}';
    const malformed = await fetch(`${hub.url}/webhooks/api/${channelId}`, { method: 'POST', headers: signedHeaders(secret, garbage), body: garbage });
    expect(malformed.status).toBe(400);
    const text = await scrape();
    expect(sample(text, 'ventanilla_connector_webhooks_total{channel_kind="api",outcome="bad_signature"}')).toBe(1);
    expect(sample(text, 'ventanilla_connector_webhooks_total{channel_kind="api",outcome="bad_request"}')).toBe(1);
    expect(sample(text, 'ventanilla_connector_webhooks_total{channel_kind="api",outcome="accepted"}')).toBe(2);
  });

  it('no label value is a folio or an id', async () => {
    const values = labelValues(await scrape());
    expect(values).toContain(slug);
    expect(values.filter((v) => UUID.test(v) || FOLIO.test(v))).toEqual([]);
  });

  it('the ingest, router and outbound log lines of the conversation carry its folio', async () => {
    const first = agent.offers[0]!;
    expect(first.folio).toMatch(FOLIO);
    const ofFolio = lines.filter((l) => l['folio'] === first.folio);
    const messages = ofFolio.map((l) => l['msg']);
    expect(messages).toContain('message stored');
    expect(ofFolio.filter((l) => l['msg'] === 'conversation routed').map((l) => l['change'])).toEqual(expect.arrayContaining(['offered', 'accepted']));
    expect(messages).toContain('outbound message delivered to the provider');
    // The other conversation's lines do not carry this folio.
    expect(ofFolio.some((l) => l['change'] === 'rejected')).toBe(false);
  });
});
