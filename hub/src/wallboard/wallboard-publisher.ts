import { randomUUID } from 'node:crypto';
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Histogram } from 'prom-client';
import type { Database } from '../db/schema.js';
import { localDateOf } from '../kpi/formulas/intervals.js';
import { loadMeasuringRules, type MeasuringRules } from '../kpi/measuring-rules.js';
import type { Logger } from '../observability/logger.js';
import type { OutboxRow } from '../outbox/outbox.js';
import { rooms, STAFF_NAMESPACE, type ServerToClientEvents, type WallboardSnapshot } from '../realtime/events.contract.js';
import { socketIoKey } from '../realtime/realtime-publisher.js';
import { computeDayFigures, dayFiguresFit, parseDayFigures, type DayFigures, type DayFiguresSource } from './wallboard-day-figures.js';
import { wallboardKeys, WATCHED_TTL_MS } from './wallboard-keys.js';
import { composeSnapshot, loadBoardLive } from './wallboard-snapshot.js';

/** Outbox events that change what a board shows (state, line, sessions). Messages do not. */
const RELEVANT = new Set(['agent.state_changed', 'conversation.routed', 'conversation.offered', 'conversation.opened']);

export interface WallboardPublisherOptions {
  /** At most one snapshot per campaign per this many ms, across all processes (default 250). */
  readonly minIntervalMs?: number;
  readonly lockMs?: number;
  /** How the day figures are read (default `computeDayFigures`, agents included). */
  readonly dayFigures?: DayFiguresSource;
  /** The day figures are read from the facts at most once per campaign per this many ms (default 1 s, the facts loop's pace). */
  readonly dayMinIntervalMs?: number;
  /** Shared day figures older than this are read again before any snapshot shows them (default 15 s; the tick keeps them under 5 s). */
  readonly dayMaxAgeMs?: number;
}

type Cause = 'event' | 'facts' | 'tick';
type Parts = { readonly live: boolean; readonly day: boolean };

/** A routing/state event changes the live part; the facts moving, the day figures; the tick asks for both. */
const PARTS: Record<Cause, Parts> = { event: { live: true, day: false }, facts: { live: false, day: true }, tick: { live: true, day: true } };

interface Pending {
  /** A snapshot whose live part was read at or after this instant answers it (null: not asked). */
  liveAfterMs: number | null;
  /** Day figures read from the facts at or after this instant answer it (null: not asked). */
  dayAfterMs: number | null;
  /** Earliest routing/state event pending (for the latency), null if only facts or ticks. */
  firstEventAtMs: number | null;
  cause: WallboardSnapshot['cause'];
}

/** Where a snapshot goes: the campaign's wallboard room (default: the socket.io Redis emitter, reaching every process's sockets). */
export type SnapshotSink = (campaignId: string, snapshot: WallboardSnapshot) => void;

const DAY_TTL_MS = 600_000;

const RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Builds and emits a campaign's snapshot after the events that change it. Coalesces bursts (one
 * snapshot per `minIntervalMs`), and with several hub processes a Redis lock and the shared
 * "read at" instants make one process do the work: a process whose pending events are older than
 * the last snapshot's read drops them, because that snapshot already reflects them.
 *
 * A snapshot is two reads: the live part (line, seats, sessions; a few indexed queries), read for
 * every snapshot, and the day figures (wallboard-day-figures.ts; the day's KPIs and the agent
 * series), read from the facts only when they moved for the campaign (`facts`, from kpi_cursor),
 * on the tick, on a new local day or other measuring rules, at most once per `dayMinIntervalMs`.
 * The day figures live in Redis, so an event's snapshot in any process pairs a fresh live part
 * with the same figures; `readAt` and `dayReadAt` tell which pending asks are already answered.
 */
export class WallboardPublisher {
  private readonly pending = new Map<string, Pending>();
  private readonly timers = new Map<string, { readonly timer: NodeJS.Timeout; readonly dueAtMs: number }>();
  private readonly crossing = new Map<string, NodeJS.Timeout>();
  private readonly building = new Set<string>();
  /** The last shared day figures parsed per campaign (the same text is not parsed twice). */
  private readonly parsed = new Map<string, { raw: string; figures: DayFigures | null }>();
  private readonly sink: SnapshotSink;
  private readonly minIntervalMs: number;
  private readonly lockMs: number;
  private readonly dayMinIntervalMs: number;
  private readonly dayMaxAgeMs: number;
  private stopped = false;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: { db: Kysely<Database>; redis: Redis; prefix: string; logger: Pick<Logger, 'warn'>; latency: Histogram; sink?: SnapshotSink },
    private readonly options: WallboardPublisherOptions = {},
  ) {
    if (deps.sink) this.sink = deps.sink;
    else {
      const emitter = new Emitter<ServerToClientEvents>(deps.redis, { key: socketIoKey(deps.prefix) });
      this.sink = (campaignId, snapshot) => emitter.of(STAFF_NAMESPACE).to(rooms.wallboard(campaignId)).emit('wallboard.updated', snapshot);
    }
    this.minIntervalMs = options.minIntervalMs ?? 250;
    this.lockMs = options.lockMs ?? 5_000;
    this.dayMinIntervalMs = options.dayMinIntervalMs ?? 1_000;
    this.dayMaxAgeMs = options.dayMaxAgeMs ?? 15_000;
  }

  /** Hooked to RealtimePublisher.onPublished: the row is committed and announced now. */
  noteOutbox(row: OutboxRow): void {
    if (!RELEVANT.has(row.notification.event)) return;
    const data: object = row.notification.data;
    if ('campaignId' in data && typeof data.campaignId === 'string') this.note(data.campaignId, 'event', Date.now());
  }

  /** Something changed at `atMs`: a routing/state event (event), the KPI facts (facts), or the board is due a refresh (tick). */
  note(campaignId: string, cause: Cause, atMs: number, parts: Parts = PARTS[cause]): void {
    if (this.stopped) return;
    const before = this.pending.get(campaignId);
    const after = (previous: number | null | undefined, asked: boolean): number | null => (asked ? Math.max(previous ?? atMs, atMs) : (previous ?? null));
    const eventAt = cause === 'event' ? atMs : null;
    this.pending.set(campaignId, {
      liveAfterMs: after(before?.liveAfterMs, parts.live),
      dayAfterMs: after(before?.dayAfterMs, parts.day),
      firstEventAtMs: before?.firstEventAtMs != null && eventAt !== null ? Math.min(before.firstEventAtMs, eventAt) : (before?.firstEventAtMs ?? eventAt),
      cause: before?.cause === 'event' || cause === 'event' ? 'event' : cause === 'facts' || before?.cause === 'facts' ? 'facts' : cause,
    });
    this.schedule(campaignId, 0);
  }

  /**
   * Runs a flush after `delayMs`. A flush already due sooner stands; one due later (a snapshot asked
   * only for the day figures waits up to dayMinIntervalMs) is brought forward, so an event arriving
   * meanwhile never waits for the day figures' pace.
   */
  private schedule(campaignId: string, delayMs: number): void {
    if (this.building.has(campaignId) || this.stopped) return;
    const dueAtMs = Date.now() + Math.max(0, delayMs);
    const existing = this.timers.get(campaignId);
    if (existing) {
      if (existing.dueAtMs <= dueAtMs) return;
      clearTimeout(existing.timer);
    }
    const timer = setTimeout(() => {
      this.timers.delete(campaignId);
      const run = this.flush(campaignId);
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
    }, Math.max(0, delayMs));
    timer.unref();
    this.timers.set(campaignId, { timer, dueAtMs });
  }

  private async flush(campaignId: string): Promise<void> {
    const pending = this.pending.get(campaignId);
    if (!pending) return;
    this.building.add(campaignId);
    const keys = wallboardKeys(this.deps.prefix, campaignId);
    let retryInMs: number | null = null;
    try {
      const [watched, state] = await Promise.all([this.deps.redis.exists(keys.watched), this.deps.redis.hmget(keys.state, 'readAt', 'emittedAt', 'dayReadAt')]);
      const readAt = Number(state[0] ?? 0);
      const emittedAt = Number(state[1] ?? 0);
      const dayReadAt = Number(state[2] ?? 0);
      const liveDue = pending.liveAfterMs !== null && readAt < pending.liveAfterMs;
      const dayDue = pending.dayAfterMs !== null && dayReadAt < pending.dayAfterMs;
      // Nobody watching, or snapshots read after everything pending already went out.
      if (watched === 0 || (!liveDue && !dayDue)) {
        this.dropIfUnchanged(campaignId, pending);
        return;
      }
      // One snapshot per minIntervalMs; one asked only for the day figures also waits until they may be read again.
      const now = Date.now();
      const wait = Math.max(emittedAt + this.minIntervalMs - now, liveDue ? 0 : dayReadAt + this.dayMinIntervalMs - now);
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
    const [starts, shared, rules] = await Promise.all([this.deps.redis.hgetall(keys.alerts), this.deps.redis.get(keys.day), loadMeasuringRules(this.deps.db, campaignId)]);
    const date = localDateOf(readAtMs, rules.timeZone);
    const cached = this.parseShared(campaignId, shared);
    // Figures of another day, other rules or too old are never shown; fitting ones are read again when asked, at most once per dayMinIntervalMs.
    const usable = cached !== null && dayFiguresFit(cached, date, rules) && readAtMs - cached.readAtMs < this.dayMaxAgeMs ? cached : null;
    const dayAsked = pending.dayAfterMs !== null && (usable === null || usable.readAtMs < pending.dayAfterMs);
    const reuse = usable !== null && !(dayAsked && readAtMs - usable.readAtMs >= this.dayMinIntervalMs);
    const [board, day] = await Promise.all([
      loadBoardLive(this.deps.db, campaignId, rules),
      reuse ? Promise.resolve({ figures: usable, fresh: false }) : this.readDay(campaignId, date, rules, readAtMs, usable),
    ]);
    const built = composeSnapshot(board, day.figures, {
      now: new Date(readAtMs),
      cause: pending.cause,
      eventAtMs: pending.cause === 'event' ? pending.firstEventAtMs : null,
      alertStarts: new Map(Object.entries(starts).map(([id, ms]) => [id, Number(ms)])),
    });
    const emitAtMs = Date.now();
    const latencyMs = pending.cause === 'event' && pending.firstEventAtMs !== null ? emitAtMs - pending.firstEventAtMs : null;
    const snapshot: WallboardSnapshot = { ...built.snapshot, latencyMs };
    this.sink(campaignId, snapshot);
    if (latencyMs !== null) this.deps.latency.observe(latencyMs / 1000);
    const multi = this.deps.redis
      .multi()
      .hset(keys.state, { readAt: readAtMs, emittedAt: emitAtMs, ...(day.fresh ? { dayReadAt: day.figures.readAtMs } : {}) })
      .pexpire(keys.state, 86_400_000)
      .del(keys.alerts);
    if (day.fresh) {
      const raw = JSON.stringify(day.figures);
      multi.set(keys.day, raw, 'PX', DAY_TTL_MS);
      this.parsed.set(campaignId, { raw, figures: day.figures });
    }
    if (snapshot.alerts.length > 0) multi.hset(keys.alerts, Object.fromEntries(snapshot.alerts.map((a) => [a.thresholdId, Date.parse(a.since)]))).pexpire(keys.alerts, 86_400_000);
    await multi.exec();
    // Day figures asked for but not read yet (read less than dayMinIntervalMs ago): a later snapshot reads them.
    if (pending.dayAfterMs !== null && day.figures.readAtMs < pending.dayAfterMs) this.note(campaignId, 'facts', pending.dayAfterMs);
    this.wakeAtCrossing(campaignId, built.nextCrossingMs);
  }

  private parseShared(campaignId: string, raw: string | null): DayFigures | null {
    if (raw === null) return null;
    const memo = this.parsed.get(campaignId);
    if (memo?.raw === raw) return memo.figures;
    const figures = parseDayFigures(raw);
    this.parsed.set(campaignId, { raw, figures });
    return figures;
  }

  /** The day figures read now; if that fails, still-fitting older ones keep the live part on the board. */
  private async readDay(campaignId: string, date: string, rules: MeasuringRules, readAtMs: number, fallback: DayFigures | null): Promise<{ figures: DayFigures; fresh: boolean }> {
    try {
      return { figures: await (this.options.dayFigures ?? computeDayFigures)(this.deps.db, campaignId, date, rules, new Date(readAtMs)), fresh: true };
    } catch (error) {
      if (fallback === null) throw error;
      this.deps.logger.warn({ err: error, campaignId }, 'wallboard day figures failed; the board keeps the previous ones');
      return { figures: fallback, fresh: false };
    }
  }

  /** A longest-wait alert turns on by time alone: wake the board then rather than poll. */
  private wakeAtCrossing(campaignId: string, atMs: number | null): void {
    const previous = this.crossing.get(campaignId);
    if (previous) clearTimeout(previous);
    this.crossing.delete(campaignId);
    if (atMs === null || this.stopped) return;
    const timer = setTimeout(() => {
      this.crossing.delete(campaignId);
      this.note(campaignId, 'tick', Date.now(), { live: true, day: false });
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
    for (const timer of [...[...this.timers.values()].map((t) => t.timer), ...this.crossing.values()]) clearTimeout(timer);
    this.timers.clear();
    this.crossing.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}
