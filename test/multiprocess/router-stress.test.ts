import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createHubContext, loadConfig, type HubContext } from '@ventanilla/hub';
import { dropNamespaces, testEnv } from '../support/test-context.js';
import { startStressHub, type StressHub } from './router-stress/hub-cluster.js';
import {
  checkCapacityTimeline,
  checkConversationStates,
  checkEvents,
  checkLoadCounters,
  checkOneAgentAtATime,
  countBy,
  EligibleWaitSampler,
  takeSnapshot,
  judgeEligibleWaits,
  type CapacityReport,
  type EligibleWaitJudgement,
  type Snapshot,
} from './router-stress/invariants.js';
import { readHubHealth, type HubHealth } from './router-stress/hub-metrics.js';
import { LoadDriver } from './router-stress/load-driver.js';
import { createRng } from './router-stress/prng.js';
import { buildWorld, type StressWorld } from './router-stress/world.js';
import { writeStressReport } from './router-stress/stress-report.js';

/**
 * Issue 3, router under load: three hub processes (HUB_ROLE=all: API, ingest, router timers and
 * routing passes in each) on one schema and Redis prefix, ~45 s of citizens arriving (10–40 a
 * second), agents changing state, accepting, rejecting, ignoring offers (RONA), resolving and
 * transferring, and a supervisor reassigning, every request to a process at random. Checked from
 * the database:
 *  - while it runs, every 250 ms, who is waiting while an eligible agent has room, confirmed
 *    against the offer and state history (judgeEligibleWaits). A wait with the same agent free all
 *    along for more than STARVATION_MS (10 s: forty routing sweeps) fails the test — the router
 *    skipped someone. How many waited more than 1 s is a latency figure of a loaded 2-core
 *    machine, not an invariant: it is printed, and `npm run bench:router-stress` writes it to
 *    bench/reports/router-stress-latest.md (a timed assertion here failed on noise alone);
 *  - afterwards, over the whole history: no agent ever above capacity, no conversation with two
 *    agents at once, load counters equal the sessions held (just after the load, and zero once
 *    drained), every conversation consistent, the events of every offer, reject and RONA; and no
 *    5xx answer nor error logged by a hub.
 * The last test prints the figures for the issue note. ROUTER_STRESS_SEED replays the same
 * choices (timing still varies); ROUTER_STRESS_RUN_MS changes the length of the load.
 */

const SEED = Number(process.env['ROUTER_STRESS_SEED'] ?? 20_260_311);
const RUN_MS = Number(process.env['ROUTER_STRESS_RUN_MS'] ?? 45_000);
/** A wait this long with an eligible agent free all along is starvation, however loaded the machine. */
const STARVATION_MS = Number(process.env['ROUTER_STRESS_STARVATION_MS'] ?? 10_000);
/** Where `npm run bench:router-stress` wants the figures (unset in `npm test`). */
const REPORT_FILE = process.env['ROUTER_STRESS_REPORT'];

/** "message: error message" of a pino JSON line, for counting what went wrong in the hubs. */
function describeLogLine(line: string): string {
  try {
    const parsed = JSON.parse(line) as { msg?: string; err?: { message?: string } };
    return `${parsed.msg ?? '?'}${parsed.err?.message ? `: ${parsed.err.message}` : ''}`;
  } catch {
    return line.slice(0, 120);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the router under load in three processes', () => {
  const env = testEnv({ HUB_ROLE: 'all', ROUTER_SWEEP_INTERVAL_MS: '250', DATABASE_POOL_SIZE: '10', OUTBOX_RELAY_INTERVAL_MS: '200' });
  const config = loadConfig(env);
  const rng = createRng(SEED);
  let hubs: StressHub[] = [];
  let ctx: HubContext;
  let world: StressWorld;
  let driver: LoadDriver;
  let sampler: EligibleWaitSampler;
  let live: Snapshot | undefined;
  let drained: Snapshot | undefined;
  let capacity: CapacityReport | undefined;
  let waits: EligibleWaitJudgement = { violations: [], dismissed: {} };
  /** The drain's requests: action → HTTP status → count. */
  const drainStats = { http: { offline: {}, resolve: {} } as Record<'offline' | 'resolve', Record<string, number>>, stillHeldAfterDrain: 0 };
  const count = (m: Record<string, number>, k: string | number) => (m[k] = (m[k] ?? 0) + 1);
  let health: Record<string, HubHealth | { error: string }> = {};
  // Other work on the machine shows here (and in the hubs' event-loop delay): the wait invariant is a timing one.
  const ownLag = monitorEventLoopDelay({ resolution: 20 });
  const machine = { cpus: cpus().length, loadAverageBefore: 0, loadAverageAfter: 0 };

  beforeAll(async () => {
    // Started together on a fresh schema: the migrations serialise between them.
    hubs = await Promise.all(['A', 'B', 'C'].map((name) => startStressHub(name, env)));
    ctx = await createHubContext(config, { migrate: false });
    world = await buildWorld(ctx.db.kysely, rng);
    driver = new LoadDriver(
      ctx.db.kysely,
      hubs.map((h) => h.url),
      world,
      rng,
    );
    sampler = new EligibleWaitSampler(ctx.db.kysely, 250, 1000);
  }, 90_000);

  afterAll(async () => {
    await driver?.stop();
    await sampler?.stop();
    await Promise.all(hubs.map((h) => h.stop()));
    await ctx?.close();
    await dropNamespaces(config);
  }, 60_000);

  const db = () => ctx.db.kysely;

  async function api(path: string, token: string, body: unknown, method = 'POST'): Promise<number> {
    const hub = rng.pick(hubs);
    try {
      const res = await fetch(`${hub.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }

  /** Everyone offline, open offers left to time out, everything assigned resolved: every seat must end empty. */
  async function drain(): Promise<void> {
    const deadline = Date.now() + 25_000;
    while (Date.now() < deadline) {
      const [seats, held] = await Promise.all([
        db().selectFrom('agent_seats').select(['user_id', 'state']).where('state', '!=', 'offline').execute(),
        db().selectFrom('conversations').select(['id', 'status', 'assignee_id']).where('status', 'in', ['offered', 'assigned']).execute(),
      ]);
      if (seats.length === 0 && held.length === 0) return;
      const tasks = [
        ...seats.map((seat) => async () => {
          const agent = world.agents.find((a) => a.id === seat.user_id);
          if (agent) count(drainStats.http.offline, await api('/agents/me/state', agent.token, { state: 'offline' }, 'PUT'));
        }),
        ...held
          .filter((c) => c.status === 'assigned')
          .map((c) => async () => {
            const agent = world.agents.find((a) => a.id === c.assignee_id);
            if (agent) count(drainStats.http.resolve, await api(`/conversations/${c.id}/resolve`, agent.token, { reason: 'cierre de turno' }));
          }),
      ];
      // A few at a time: the drain is not part of the load.
      for (let i = 0; i < tasks.length; i += 6) await Promise.all(tasks.slice(i, i + 6).map((t) => t()));
      await sleep(250);
    }
    drainStats.stillHeldAfterDrain = (await db().selectFrom('conversations').select('id').where('status', 'in', ['offered', 'assigned']).execute()).length;
  }

  it(
    `never starves a citizen while an eligible agent has room (no such wait over ${STARVATION_MS / 1000} s), through ${Math.round(RUN_MS / 1000)} s of mixed load`,
    async () => {
      expect(new Set(hubs.map((h) => h.url)).size).toBe(3);
      machine.loadAverageBefore = Number(loadavg()[0]?.toFixed(2));
      ownLag.enable();
      await driver.start();
      sampler.start();
      await sleep(RUN_MS);
      await Promise.all([driver.stop(), sampler.stop()]);
      ownLag.disable();
      machine.loadAverageAfter = Number(loadavg()[0]?.toFixed(2));
      health = Object.fromEntries(await Promise.all(hubs.map(async (h) => [h.name, await readHubHealth(h.url)] as const)));
      // In-flight webhooks are acknowledged; give ingest, intake and the last passes a moment.
      await sleep(1500);
      live = await takeSnapshot(db());
      await drain();
      await sleep(500);
      drained = await takeSnapshot(db());
      const caps = new Map(drained.seats.map((s) => [s.user_id, { text: s.cap_text, voice: s.cap_voice, email: s.cap_email }]));
      capacity = checkCapacityTimeline(drained, caps);
      waits = judgeEligibleWaits(sampler.pairStreaks, drained, caps);

      expect(driver.driverErrors).toEqual([]);
      expect(sampler.samples).toBeGreaterThan(RUN_MS / 1000); // the sampler really ran (≥ 1 a second)
      expect(sampler.overCapacitySeen).toEqual([]);
      expect(waits.violations.filter((v) => v.waitedWithAgentFreeMs > STARVATION_MS)).toEqual([]);
    },
    RUN_MS + 75_000,
  );

  it('never had an agent above capacity: sweep line over every offer interval (capacities fixed during the run)', () => {
    expect(drained).toBeDefined();
    for (const agent of world.agents) expect(drained!.seats.find((s) => s.user_id === agent.id)?.cap_text, `capacity of agent ${agent.index}`).toBe(agent.capText);
    expect(capacity!.problems).toEqual([]);
    expect(capacity!.maxConcurrent.size).toBeGreaterThan(0);
  });

  it('never had a conversation with two agents at once, nor two pending offers', () => {
    expect(drained).toBeDefined();
    expect(checkOneAgentAtATime(drained!)).toEqual([]);
  });

  it('keeps load counters equal to the sessions held: right after the load, and at zero once drained', () => {
    expect(live).toBeDefined();
    expect(checkLoadCounters(live!)).toEqual([]);
    expect(checkLoadCounters(drained!)).toEqual([]);
    expect(drainStats.stillHeldAfterDrain).toBe(0);
    expect(drained!.seats.filter((s) => s.load_text + s.load_voice + s.load_email > 0)).toEqual([]);
  });

  it('leaves every conversation in a consistent state', () => {
    expect(live).toBeDefined();
    expect(checkConversationStates(live!, { allowIntakeBacklog: true })).toEqual([]);
    expect(checkConversationStates(drained!)).toEqual([]);
  });

  it('records conversation.offered for every offer and offer.timed_out for every RONA', () => {
    expect(drained).toBeDefined();
    expect(checkEvents(drained!)).toEqual([]);
  });

  it('answers every request without a server error, and no hub logs an error', () => {
    expect(drained).toBeDefined();
    const serverErrors = Object.entries({ ...driver.stats.http, 'drain:offline': drainStats.http.offline, 'drain:resolve': drainStats.http.resolve })
      .flatMap(([label, byStatus]) => Object.entries(byStatus).filter(([status]) => status === '0' || status.startsWith('5')).map(([status, n]) => `${label}: ${n} × ${status === '0' ? 'no answer' : status}`));
    const errorLines = hubs.flatMap((h) => h.problems.filter((line) => /"level":(50|60)/.test(line)).map((line) => `${h.name}: ${describeLogLine(line)}`));
    expect({ serverErrors, hubErrors: countBy(errorLines, (l) => l) }).toEqual({ serverErrors: [], hubErrors: {} });
  });

  it('prints the summary for the issue note', async () => {
    expect(drained).toBeDefined();
    const s = drained!;
    const offersByStatus = countBy(s.offers, (o) => o.status);
    const offersByReason = countBy(s.offers, (o) => o.reason);
    const maxes = [...capacity!.maxConcurrent.entries()];
    const atCap = world.agents.filter((a) => (capacity!.maxConcurrent.get(a.id) ?? 0) >= a.capText).length;
    const hubErrors = hubs.flatMap((h) => h.problems.map((line) => `${h.name}: ${line}`));
    const hubErrorKinds = countBy(hubs.flatMap((h) => h.problems), describeLogLine);
    const { rows: queuedAtEnd } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM conversations WHERE status = 'queued'`.execute(db());
    const summary = {
      seed: SEED,
      runSeconds: RUN_MS / 1000,
      processes: hubs.map((h) => h.url),
      agents: world.agents.length,
      capacities: countBy(world.agents, (a) => `text ${a.capText}`),
      arrivals: { webhooksSent: driver.stats.arrivalsSent, repeatContacts: driver.stats.repeatContacts, conversations: s.conversations.length, webhookStatus: driver.stats.http['webhook'] },
      conversationsAtEnd: countBy(s.conversations, (c) => c.status),
      queuedAtEndWithNobodyOnline: queuedAtEnd[0]?.n,
      offers: { total: s.offers.length, byStatus: offersByStatus, byReason: offersByReason },
      agentDecisions: driver.stats.decided,
      accepts: driver.stats.http['accept'],
      rejects: driver.stats.http['reject'],
      ronas: offersByStatus['timed_out'] ?? 0,
      resolves: driver.stats.http['resolve'],
      drain: drainStats.http,
      transfers: { toQueueByAgents: driver.stats.http['transfer'], events: s.transferKinds },
      reassigns: { toAgentWithRoom: driver.stats.http['reassign'], toAnyAgent: driver.stats.http['reassign:any'] },
      overflow: s.overflowOutcomes,
      abandoned: s.abandonCauses,
      stateChanges: Object.fromEntries(Object.entries(driver.stats.http).filter(([k]) => k.startsWith('state:'))),
      requestsPerProcess: driver.stats.perProcess,
      maxConcurrentPerAgent: { highest: Math.max(...maxes.map(([, m]) => m)), agentsThatReachedTheirCapacity: `${atCap}/${world.agents.length}`, histogram: countBy(maxes, ([, m]) => String(m)) },
      eligibleWaitSampling: {
        samples: sampler.samples,
        conversationSamplesEligibleWaiting: sampler.hits,
        longestStreakMs: Math.round(sampler.maxSpanMs),
        slowestSampleQueryMs: Math.round(sampler.maxQueryMs),
        conversationStreaksOver1s: sampler.conversationStreaks.length,
        pairStreaksOver1s: sampler.pairStreaks.length,
        pairStreaksExplainedByHistory: waits.dismissed,
        waitsOver1sConfirmedByHistory: waits.violations.length,
        longestConfirmedWaitMs: Math.max(0, ...waits.violations.map((v) => v.waitedWithAgentFreeMs)),
      },
      violations: {
        starvedOver10s: waits.violations.filter((v) => v.waitedWithAgentFreeMs > STARVATION_MS).length,
        overCapacity: capacity!.problems.length,
        twoAgents: checkOneAgentAtATime(s).length,
        loadCounters: checkLoadCounters(live!).length + checkLoadCounters(s).length,
        states: checkConversationStates(live!, { allowIntakeBacklog: true }).length + checkConversationStates(s).length,
        events: checkEvents(s).length,
      },
      machine: { ...machine, testProcessEventLoopLagMaxMs: Math.round(ownLag.max / 1e6) },
      hubHealthDuringTheRun: health,
      hubWarningsAndErrors: { count: hubErrors.length, kinds: hubErrorKinds },
    };
    console.log(`router stress summary\n${JSON.stringify(summary, null, 2)}`);
    if (REPORT_FILE) writeStressReport(REPORT_FILE, summary, waits.violations.map((v) => v.waitedWithAgentFreeMs));
    if (waits.violations.length > 0) {
      console.log(`waits over 1 s with an eligible agent free (first 10 of ${waits.violations.length})\n${JSON.stringify(waits.violations.slice(0, 10), null, 2)}`);
    }
    if (sampler.conversationStreaks.length > 0) {
      // Did routing passes make offers during each streak (to other conversations)? None: the router was
      // stalled or starved. Some: it was routing, and the streak is explained above or is a real skip.
      const passOffers = s.offers.filter((o) => o.reason !== 'reassign' && o.reason !== 'transfer');
      const shown = sampler.conversationStreaks.slice(0, 5).map((c) => ({
        ...c,
        agentsSeen: c.agentsSeen.slice(0, 12),
        firstAt: new Date(c.firstAt).toISOString(),
        lastAt: new Date(c.lastAt).toISOString(),
        passOffersDuringStreak: passOffers.filter((o) => o.created_at.getTime() > c.firstAt && o.created_at.getTime() <= c.lastAt).length,
      }));
      console.log(`conversation streaks over 1 s (first 5 of ${sampler.conversationStreaks.length})\n${JSON.stringify(shown, null, 2)}`);
    }
    if (hubErrors.length > 0) console.log(`hub warnings and errors (first 5)\n${hubErrors.slice(0, 5).join('\n')}`);
    expect(s.offers.length).toBeGreaterThan(100);
    expect(offersByStatus['timed_out'] ?? 0).toBeGreaterThan(0);
    expect(offersByStatus['rejected'] ?? 0).toBeGreaterThan(0);
  });
});
