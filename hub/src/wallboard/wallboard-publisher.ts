import { randomUUID } from 'node:crypto';
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Histogram } from 'prom-client';
import type { Database } from '../db/schema.js';
import type { Logger } from '../observability/logger.js';
import type { OutboxRow } from '../outbox/outbox.js';
import { rooms, STAFF_NAMESPACE, type ServerToClientEvents, type WallboardSnapshot } from '../realtime/events.contract.js';
import { socketIoKey } from '../realtime/realtime-publisher.js';
import { wallboardKeys, WATCHED_TTL_MS } from './wallboard-keys.js';
import type { AgentFiguresSource } from './wallboard-agent-figures.js';
import { buildWallboardSnapshot } from './wallboard-snapshot.js';

/** Outbox events that change what a board shows (state, line, sessions). Messages do not. */
const RELEVANT = new Set(['agent.state_changed', 'conversation.routed', 'conversation.offered', 'conversation.opened']);

export interface WallboardPublisherOptions {
  /** At most one snapshot per campaign per this many ms, across all processes (default 250). */
  readonly minIntervalMs?: number;
  readonly lockMs?: number;
  readonly agentFigures?: AgentFiguresSource;
}

interface Pending {
  /** A snapshot read at or after this instant answers everything pending. */
  requiredAfterMs: number;
  /** Earliest routing/state event pending (for the latency), null if only facts or ticks. */
  firstEventAtMs: number | null;
  cause: WallboardSnapshot['cause'];
}

const RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Builds and emits a campaign's snapshot after the events that change it. Coalesces bursts (one
 * snapshot per `minIntervalMs`), and with several hub processes a Redis lock and the shared
 * "read at" instant make one process do the work: a process whose pending events are older than
 * the last snapshot's read drops them, because that snapshot already reflects them.
 */
export class WallboardPublisher {
  private readonly pending = new Map<string, Pending>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly crossing = new Map<string, NodeJS.Timeout>();
  private readonly building = new Set<string>();
  private readonly emitter: Emitter<ServerToClientEvents>;
  private readonly minIntervalMs: number;
  private readonly lockMs: number;
  private stopped = false;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: { db: Kysely<Database>; redis: Redis; prefix: string; logger: Pick<Logger, 'warn'>; latency: Histogram },
    private readonly options: WallboardPublisherOptions = {},
  ) {
    this.emitter = new Emitter<ServerToClientEvents>(deps.redis, { key: socketIoKey(deps.prefix) });
    this.minIntervalMs = options.minIntervalMs ?? 250;
    this.lockMs = options.lockMs ?? 5_000;
  }

  /** Hooked to RealtimePublisher.onPublished: the row is committed and announced now. */
  noteOutbox(row: OutboxRow): void {
    if (!RELEVANT.has(row.notification.event)) return;
    const data: object = row.notification.data;
    if ('campaignId' in data && typeof data.campaignId === 'string') this.note(data.campaignId, 'event', Date.now());
  }

  /** Something changed at `atMs` (event), the facts moved (facts) or the board is due a refresh (tick). */
  note(campaignId: string, cause: Pending['cause'], atMs: number): void {
    if (this.stopped) return;
    const before = this.pending.get(campaignId);
    const eventAt = cause === 'event' ? atMs : null;
    this.pending.set(campaignId, {
      requiredAfterMs: Math.max(before?.requiredAfterMs ?? atMs, atMs),
      firstEventAtMs: before?.firstEventAtMs != null && eventAt !== null ? Math.min(before.firstEventAtMs, eventAt) : (before?.firstEventAtMs ?? eventAt),
      cause: before?.cause === 'event' || cause === 'event' ? 'event' : cause === 'facts' || before?.cause === 'facts' ? 'facts' : cause,
    });
    this.schedule(campaignId, 0);
  }

  private schedule(campaignId: string, delayMs: number): void {
    if (this.timers.has(campaignId) || this.building.has(campaignId) || this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(campaignId);
      const run = this.flush(campaignId);
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
    }, Math.max(0, delayMs));
    timer.unref();
    this.timers.set(campaignId, timer);
  }

  private async flush(campaignId: string): Promise<void> {
    const pending = this.pending.get(campaignId);
    if (!pending) return;
    this.building.add(campaignId);
    const keys = wallboardKeys(this.deps.prefix, campaignId);
    let retryInMs: number | null = null;
    try {
      const [watched, state] = await Promise.all([this.deps.redis.exists(keys.watched), this.deps.redis.hmget(keys.state, 'readAt', 'emittedAt')]);
      const readAt = Number(state[0] ?? 0);
      const emittedAt = Number(state[1] ?? 0);
      // Nobody watching, or a snapshot read after everything pending already went out.
      if (watched === 0 || readAt >= pending.requiredAfterMs) {
        this.dropIfUnchanged(campaignId, pending);
        return;
      }
      const wait = emittedAt + this.minIntervalMs - Date.now();
      if (wait > 0) {
        retryInMs = wait;
        return;
      }
      const token = randomUUID();
      if ((await this.deps.redis.set(keys.lock, token, 'PX', this.lockMs, 'NX')) !== 'OK') {
        retryInMs = 25;
        return;
      }
      try {
        await this.buildAndEmit(campaignId, pending, keys);
      } finally {
        await this.deps.redis.eval(RELEASE_LOCK, 1, keys.lock, token);
      }
    } catch (error) {
      this.deps.logger.warn({ err: error, campaignId }, 'wallboard snapshot failed');
      retryInMs = 1_000;
    } finally {
      this.building.delete(campaignId);
      if (retryInMs !== null) this.schedule(campaignId, retryInMs);
      else if (this.pending.has(campaignId)) this.schedule(campaignId, 0);
    }
  }

  private dropIfUnchanged(campaignId: string, pending: Pending): void {
    if (this.pending.get(campaignId) === pending) this.pending.delete(campaignId);
  }

  private async buildAndEmit(campaignId: string, pending: Pending, keys: ReturnType<typeof wallboardKeys>): Promise<void> {
    const readAtMs = Date.now();
    // Events noted from here on need a later snapshot; they stay pending.
    this.dropIfUnchanged(campaignId, pending);
    const starts = await this.deps.redis.hgetall(keys.alerts);
    const built = await buildWallboardSnapshot(this.deps.db, campaignId, {
      now: new Date(readAtMs),
      cause: pending.cause,
      eventAtMs: pending.cause === 'event' ? pending.firstEventAtMs : null,
      alertStarts: new Map(Object.entries(starts).map(([id, ms]) => [id, Number(ms)])),
      ...(this.options.agentFigures ? { agentFigures: this.options.agentFigures } : {}),
    });
    const emitAtMs = Date.now();
    const latencyMs = pending.cause === 'event' && pending.firstEventAtMs !== null ? emitAtMs - pending.firstEventAtMs : null;
    const snapshot: WallboardSnapshot = { ...built.snapshot, latencyMs };
    this.emitter.of(STAFF_NAMESPACE).to(rooms.wallboard(campaignId)).emit('wallboard.updated', snapshot);
    if (latencyMs !== null) this.deps.latency.observe(latencyMs / 1000);
    const multi = this.deps.redis.multi().hset(keys.state, { readAt: readAtMs, emittedAt: emitAtMs }).pexpire(keys.state, 86_400_000).del(keys.alerts);
    if (snapshot.alerts.length > 0) multi.hset(keys.alerts, Object.fromEntries(snapshot.alerts.map((a) => [a.thresholdId, Date.parse(a.since)]))).pexpire(keys.alerts, 86_400_000);
    await multi.exec();
    this.wakeAtCrossing(campaignId, built.nextCrossingMs);
  }

  /** A longest-wait alert turns on by time alone: wake the board then rather than poll. */
  private wakeAtCrossing(campaignId: string, atMs: number | null): void {
    const previous = this.crossing.get(campaignId);
    if (previous) clearTimeout(previous);
    this.crossing.delete(campaignId);
    if (atMs === null || this.stopped) return;
    const timer = setTimeout(() => {
      this.crossing.delete(campaignId);
      this.note(campaignId, 'tick', Date.now());
    }, Math.max(0, atMs - Date.now()));
    timer.unref();
    this.crossing.set(campaignId, timer);
  }

  /** Marks campaigns as watched by sockets of this process (TTL, refreshed by the tick). */
  async markWatched(campaignIds: Iterable<string>): Promise<void> {
    const multi = this.deps.redis.multi();
    for (const id of campaignIds) multi.set(wallboardKeys(this.deps.prefix, id).watched, '1', 'PX', WATCHED_TTL_MS);
    await multi.exec();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of [...this.timers.values(), ...this.crossing.values()]) clearTimeout(timer);
    this.timers.clear();
    this.crossing.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}
