import { Histogram } from 'prom-client';
import { STAFF_NAMESPACE } from '../realtime/events.contract.js';
import type { StaffServer } from '../realtime/realtime.server.js';
import type { HubContext } from '../runtime/context.js';
import { WallboardPublisher, type WallboardPublisherOptions } from './wallboard-publisher.js';

export interface WallboardLoopOptions extends WallboardPublisherOptions {
  /** Periodic refresh of watched boards (the "today" figures move without events too); default 5 s. */
  readonly tickMs?: number;
  /** How often a process with watchers looks whether the KPI facts moved; default 300 ms. */
  readonly factsPollMs?: number;
}

export interface RunningWallboard {
  readonly publisher: WallboardPublisher;
  stop(): Promise<void>;
}

const ROOM_PREFIX = 'wallboard:';
const LATENCY_METRIC = 'hub_wallboard_update_latency_seconds';

function latencyHistogram(ctx: HubContext): Histogram {
  const existing = ctx.metrics.registry.getSingleMetric(LATENCY_METRIC);
  if (existing instanceof Histogram) return existing;
  return new Histogram({
    name: LATENCY_METRIC,
    help: 'From a routing or agent-state event announced by the hub to the wallboard snapshot that reflects it, emitted',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5],
    registers: [ctx.metrics.registry],
  });
}

/**
 * The live wallboard of one hub process (issue 9 item 4). Every process hears the events it
 * publishes (RealtimePublisher.onPublished); a process holding sockets also refreshes the boards
 * they watch when the KPI facts move (kpi_cursor) and every `tickMs`.
 */
export function startWallboard(ctx: HubContext, io: StaffServer | null, options: WallboardLoopOptions = {}): RunningWallboard {
  const publisher = new WallboardPublisher({ db: ctx.db.kysely, redis: ctx.redis, prefix: ctx.config.REDIS_PREFIX, logger: ctx.logger, latency: latencyHistogram(ctx) }, options);
  ctx.publisher.onPublished((row) => publisher.noteOutbox(row));
  const tickMs = options.tickMs ?? 5_000;
  let factsCursor: number | null = null;
  let lastTickMs = 0;
  let polling = false;
  let stopped = false;

  const localWatched = (): string[] => {
    if (!io) return [];
    const ids: string[] = [];
    for (const [room, sockets] of io.of(STAFF_NAMESPACE).adapter.rooms) if (room.startsWith(ROOM_PREFIX) && sockets.size > 0) ids.push(room.slice(ROOM_PREFIX.length));
    return ids;
  };

  const poll = async (): Promise<void> => {
    const watched = localWatched();
    if (watched.length === 0) return;
    const now = Date.now();
    if (now - lastTickMs >= tickMs) {
      lastTickMs = now;
      await publisher.markWatched(watched);
      for (const id of watched) publisher.note(id, 'tick', now - tickMs);
    }
    // The facts loop commits the cursor with the facts: a moved cursor means new figures to show.
    const cursor = await ctx.db.kysely.selectFrom('kpi_cursor').select('last_event_id').where('name', '=', 'all').executeTakeFirst();
    const last = Number(cursor?.last_event_id ?? 0);
    if (factsCursor !== null && last > factsCursor) {
      const moved = await ctx.db.kysely
        .selectFrom('interaction_events')
        .select('campaign_id')
        .distinct()
        .where('id', '>', String(factsCursor))
        .where('id', '<=', String(last))
        .where('campaign_id', 'in', watched)
        .execute();
      for (const row of moved) publisher.note(row.campaign_id, 'facts', Date.now());
    }
    factsCursor = last;
  };

  const timer = setInterval(() => {
    if (polling || stopped) return;
    polling = true;
    poll()
      .catch((error: unknown) => ctx.logger.warn({ err: error }, 'wallboard poll failed'))
      .finally(() => {
        polling = false;
      });
  }, options.factsPollMs ?? 300);
  timer.unref();

  return {
    publisher,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await publisher.stop();
    },
  };
}
