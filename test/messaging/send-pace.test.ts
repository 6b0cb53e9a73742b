import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import type { Principal } from '../../hub/src/auth/principal.js';
import { sendsPerSecondOf } from '../../hub/src/outbound/channel-send-pace.js';
import { sendAgentMessage } from '../../hub/src/outbound/send-agent-message.usecase.js';
import { enqueueOutbound } from '../../hub/src/queues/outbound-jobs.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { citizenWrites, testAdapter } from './messaging-support.js';

const PACE = 20;
const SENDS = 60;

/** Most sends seen in any window of `ms` (half-open: [t, t + ms)). */
function busiestWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/**
 * Issue 6 items 2 and 7: a channel's send pace (settings.maxSendsPerSecond over the adapter's
 * default) holds across the outbound worker's concurrency: queued replies reach the provider no
 * faster than the pace, and waiting for a slot uses none of a message's attempts.
 */
describe('per-channel send pace', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', OUTBOUND_CONCURRENCY: '32' });
  let hub: HubProcess;
  let receiver: Server;
  const received: Array<{ at: number; id: string }> = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const id = typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string' ? body.id : '';
        received.push({ at: performance.now(), id });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `prov-${id}` }));
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hub = await startHubProcess(config);
  });

  afterAll(async () => {
    await hub?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    await dropNamespaces(config);
  });

  it('settings.maxSendsPerSecond wins over the adapter default; neither means no pace', () => {
    const adapter = testAdapter({ maxSendsPerSecond: 80 });
    expect(sendsPerSecondOf({ adapter, settings: {} })).toBe(80);
    expect(sendsPerSecondOf({ adapter, settings: { maxSendsPerSecond: 5 } })).toBe(5);
    expect(sendsPerSecondOf({ adapter: testAdapter({}), settings: {} })).toBeNull();
  });

  it(`${SENDS} queued replies at ${PACE}/s take ≥ 2.5 s, never more than ${PACE} in any second, one attempt each`, async () => {
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db, { prefix: 'PAC' });
    const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ventanilla`;
    const { channel } = await createApiChannel(db, campaign.id, { callbackUrl });
    await db
      .updateTable('channels')
      .set({ settings: JSON.stringify({ callbackUrl, maxSendsPerSecond: PACE }) })
      .where('id', '=', channel.id)
      .execute();
    const loaded = await hub.ctx.channels.get(channel.id);
    if (!loaded) throw new Error('channel not loaded');
    expect(sendsPerSecondOf(loaded)).toBe(PACE);
    const { conversationId } = await citizenWrites(db, loaded, 'in-pace-1', '+525512349999');
    const agent = await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] });
    const principal: Principal = { userId: agent.id, email: agent.email, displayName: agent.display_name, roles: ['agent'], campaignIds: [campaign.id] };

    const ids: string[] = [];
    for (let i = 0; i < SENDS; i++) ids.push((await sendAgentMessage(db, principal, conversationId, { text: `Aviso ${i + 1}` })).message.id);
    const started = performance.now();
    await Promise.all(ids.map((id) => enqueueOutbound(hub.ctx, id)));

    await expect.poll(() => received.length, { timeout: 15_000, interval: 100 }).toBe(SENDS);
    const times = received.map((r) => r.at);
    expect(Math.max(...times) - started).toBeGreaterThanOrEqual(2500);
    // Arrival times are taken here, at the receiver: one request delayed on a loaded machine can land
    // in the next second's window, so one over the pace is jitter; two would be the pace broken.
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(PACE + 1);
    expect(new Set(received.map((r) => r.id))).toEqual(new Set(ids));

    await expect
      .poll(async () => (await db.selectFrom('messages').select(['status', 'attempts']).where('id', 'in', ids).execute()).filter((m) => m.status === 'sent' && m.attempts === 1).length, {
        timeout: 5000,
      })
      .toBe(SENDS);
  });
});
