import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubContext, loadConfig, type HubContext, type MessageCreatedPayload } from '@ventanilla/hub';
import { connectStaff, type StaffClient } from '../support/auth.js';
import { dropNamespaces, testEnv } from '../support/test-context.js';
import { messageBody, signedHeaders } from '../support/webhook.js';
import { countBy } from '../multiprocess/router-stress/invariants.js';
import { LoadDriver } from '../multiprocess/router-stress/load-driver.js';
import { createRng } from '../multiprocess/router-stress/prng.js';
import { buildWorld, type StressWorld } from '../multiprocess/router-stress/world.js';
import { routerInvariants, type RouterInvariants } from './support/cluster-invariants.js';
import { checkDelivery, type DeliveryReport } from './support/delivery-checks.js';
import { drainAgents } from './support/drain.js';
import { MessageFlood } from './support/message-flood.js';
import { describeLogLine, startTestCluster, type TestCluster } from './support/test-cluster.js';

/**
 * Issue 12 part 1: the `npm run cluster` topology — 3 HUB_ROLE=api processes behind the
 * round-robin TCP balancer and 2 HUB_ROLE=worker processes — on one schema and Redis prefix.
 * Citizens write through signed webhooks sent to the balancer; agents work through it too (REST
 * for the router load driver of test/multiprocess, the inbox's own websocket-only socket for the
 * realtime check). Checked: a socket stays on the hub that accepted it and hears events of
 * webhooks another hub took; every acknowledged message is stored exactly once; the router's
 * invariants (capacity, one agent at a time, load counters, states, events) hold.
 * SCALE_OUT_RUN_MS and SCALE_OUT_RATE change the length and the message rate of the load.
 */

const RUN_MS = Number(process.env['SCALE_OUT_RUN_MS'] ?? 20_000);
const RATE = Number(process.env['SCALE_OUT_RATE'] ?? 60);
const SEED = 20_261_201;

describe('3 API + 2 worker processes behind the load balancer', () => {
  const env = testEnv({ ROUTER_SWEEP_INTERVAL_MS: '250', DATABASE_POOL_SIZE: '10', OUTBOX_RELAY_INTERVAL_MS: '200' });
  const config = loadConfig(env);
  const rng = createRng(SEED);
  let cluster: TestCluster;
  let ctx: HubContext;
  let world: StressWorld;
  const sockets: StaffClient[] = [];
  let delivery: DeliveryReport | undefined;
  let invariants: RouterInvariants | undefined;
  let driver: LoadDriver | undefined;
  let flood: MessageFlood | undefined;
  let stillHeld = -1;

  beforeAll(async () => {
    cluster = await startTestCluster(env);
    ctx = await createHubContext(config, { migrate: false });
    world = await buildWorld(ctx.db.kysely, rng, 24);
  }, 400_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await driver?.stop();
    await cluster?.stop();
    await ctx?.close();
    await dropNamespaces(config);
  }, 90_000);

  it('pins each websocket to one hub and delivers to it the events of a webhook another hub took', async () => {
    expect(cluster.apis.map((a) => a.url)).toHaveLength(3);
    expect(cluster.workers.every((w) => w.alive())).toBe(true);
    // An agent of both campaigns opens three inbox tabs through the balancer: three hubs in turn.
    const agent = world.agents.find((a) => a.campaignIds.length === 2);
    if (!agent) throw new Error('no agent in both campaigns');
    const hubOf: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const before = cluster.lb.assignments.length;
      sockets.push(await connectStaff(cluster.lb.url, agent.token));
      hubOf.push(cluster.lb.assignments.slice(before).join(','));
    }
    expect(new Set(hubOf).size).toBe(3);
    const got = sockets.map(() => [] as MessageCreatedPayload[]);
    sockets.forEach((s, i) => s.on('message.created', (p) => got[i]?.push(p)));
    // The webhook goes to the hub of the first tab; a worker process stores it.
    const taker = cluster.apis.find((a) => hubOf[0] === `127.0.0.1:${a.port}`);
    if (!taker?.url) throw new Error(`no API process behind ${hubOf[0]}`);
    const queue = world.queues[0];
    if (!queue) throw new Error('no queue');
    const body = messageBody({ id: 'scale-out-realtime-1', phone: '+52 55 9000 0001', text: 'Quiero saber el estado de mi solicitud' });
    const res = await fetch(`${taker.url}/webhooks/api/${queue.channelId}`, { method: 'POST', headers: signedHeaders(queue.secret, body), body });
    expect(res.status).toBe(200);
    for (const [i, list] of got.entries()) {
      await expect.poll(() => list.some((p) => p.message.text === 'Quiero saber el estado de mi solicitud'), { timeout: 15_000, message: `tab ${i} on ${hubOf[i]}` }).toBe(true);
    }
  }, 60_000);

  it(
    `stores every acknowledged message exactly once through ${Math.round(RUN_MS / 1000)} s of citizens (${RATE}/s) and agents through the balancer`,
    async () => {
      driver = new LoadDriver(ctx.db.kysely, [cluster.lb.url], world, rng);
      flood = new MessageFlood(() => cluster.lb.url, world.queues, { ratePerSecond: RATE, idPrefix: 'so', phones: 200 });
      await driver.start();
      flood.start();
      await new Promise((r) => setTimeout(r, RUN_MS));
      await flood.stopSending();
      await flood.settle(Date.now() + 30_000);
      await driver.stop();
      delivery = await checkDelivery(ctx.db.kysely, 'so', flood.acked, Date.now() + 60_000);
      expect(driver.driverErrors).toEqual([]);
      expect(flood.unacked.size).toBe(0);
      expect(delivery.acknowledged).toBe(flood.stats.messages);
      expect(delivery.missing).toEqual([]);
      expect(delivery.duplicated).toEqual([]);
      expect(delivery.storedOnce).toBe(delivery.acknowledged);
    },
    RUN_MS + 150_000,
  );

  it('spreads connections over the three API processes', () => {
    expect(delivery).toBeDefined();
    const perHub = countBy(cluster.lb.assignments, (a) => a);
    expect(Object.keys(perHub)).toHaveLength(3);
    for (const n of Object.values(perHub)) expect(n).toBeGreaterThan(0);
  });

  it('keeps the router invariants across processes: no agent over capacity, no double assignment, consistent conversations', async () => {
    expect(delivery).toBeDefined();
    const drained = await drainAgents(ctx.db.kysely, () => cluster.lb.url, world);
    stillHeld = drained.stillHeld;
    await new Promise((r) => setTimeout(r, 500));
    invariants = (await routerInvariants(ctx.db.kysely, world)).result;
    expect(stillHeld).toBe(0);
    expect(invariants.offers).toBeGreaterThan(20);
    expect({ ...invariants, offers: 0, conversations: 0 }).toEqual({ overCapacity: [], twoAgents: [], loadCounters: [], states: [], events: [], offers: 0, conversations: 0 });
  }, 60_000);

  it('answers every request without a server error, and no hub logs an error', () => {
    expect(invariants).toBeDefined();
    const serverErrors = Object.entries({ ...(driver?.stats.http ?? {}), flood: flood?.stats.statuses ?? {} }).flatMap(([label, byStatus]) =>
      Object.entries(byStatus)
        .filter(([status]) => status === '0' || status.startsWith('5'))
        .map(([status, n]) => `${label}: ${n} × ${status === '0' ? 'no answer' : status}`),
    );
    const errorLines = [...cluster.problems].flatMap(([name, lines]) => lines.filter((l) => /"level":(50|60)/.test(l)).map((l) => `${name}: ${describeLogLine(l)}`));
    console.log(
      `scale-out summary\n${JSON.stringify(
        {
          connectionsPerHub: countBy(cluster.lb.assignments, (a) => a),
          flood: { ...flood?.stats, achievedRatePerSecond: Number(flood?.achievedRate().toFixed(1)) },
          delivery: delivery && { ...delivery, missing: delivery.missing.length, duplicated: delivery.duplicated.length },
          routerDriver: driver?.stats.http,
          invariants: invariants && { ...invariants, overCapacity: invariants.overCapacity.length, twoAgents: invariants.twoAgents.length },
        },
        null,
        2,
      )}`,
    );
    expect({ serverErrors, hubErrors: countBy(errorLines, (l) => l) }).toEqual({ serverErrors: [], hubErrors: {} });
  });
});
