import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { localDateOf } from '../kpi/formulas/intervals.js';
import { consolidateOccupancy } from '../kpi/formulas/occupancy.js';
import { loadMeasuringRules, type MeasuringRules } from '../kpi/measuring-rules.js';
import type { WallboardAgentCounts, WallboardAgentView, WallboardKpi, WallboardQueueView, WallboardSnapshot } from '../realtime/events.contract.js';
import { evaluateAlerts, nextCrossingMs, type ThresholdRule } from './wallboard-alerts.js';
import { computeDayFigures, kpiView, NO_TRAFFIC, type AgentDayFigures, type DayFigures, type DayGroupFigures } from './wallboard-day-figures.js';
import { loadLiveCampaign, servesQueue, type LiveAgent, type LiveCampaign, type LiveQueue } from './wallboard-live-state.js';
import { loadThresholdRules } from './wallboard-thresholds.store.js';

export interface ComposeOptions {
  readonly now?: Date;
  readonly cause?: WallboardSnapshot['cause'];
  /** Hub time of the earliest event the snapshot answers (cause = event). */
  readonly eventAtMs?: number | null;
  /** When each alert already on started (previous snapshots). */
  readonly alertStarts?: ReadonlyMap<string, number>;
}

export interface BuildOptions extends ComposeOptions {
  /** Per-agent day figures (attended, occupancy); default true, false = none (cells "—"). */
  readonly agents?: boolean;
}

export interface BuiltSnapshot {
  readonly snapshot: WallboardSnapshot;
  readonly rules: readonly ThresholdRule[];
  /** When a longest-wait alert will turn on with no further event (wake the board then). */
  readonly nextCrossingMs: number | null;
}

/** What changes with every routing event: the router's live state and the board's rules. */
export interface BoardLive {
  readonly live: LiveCampaign;
  readonly rules: MeasuringRules;
  readonly thresholds: readonly ThresholdRule[];
}

export async function loadBoardLive(db: Kysely<Database>, campaignId: string, rules?: MeasuringRules): Promise<BoardLive> {
  const [live, measuring, thresholds] = await Promise.all([loadLiveCampaign(db, campaignId), rules ?? loadMeasuringRules(db, campaignId), loadThresholdRules(db, campaignId)]);
  if (!live) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  return { live, rules: measuring, thresholds };
}

function agentCounts(agents: readonly LiveAgent[]): WallboardAgentCounts {
  const counts: WallboardAgentCounts = { available: 0, busy: 0, afterContactWork: 0, breaks: {}, loggedIn: 0 };
  for (const agent of agents) {
    if (agent.state === 'offline') continue;
    counts.loggedIn += 1;
    if (agent.state === 'available') {
      if (agent.load.text + agent.load.voice + agent.load.email > 0) counts.busy += 1;
      else counts.available += 1;
    } else if (agent.state === 'after_contact_work') counts.afterContactWork += 1;
    else counts.breaks[agent.state] = (counts.breaks[agent.state] ?? 0) + 1;
  }
  return counts;
}

type AgentFigures = Readonly<Record<string, AgentDayFigures>> | null;

/** The agents' figures pooled (consolidateOccupancy 'pooled'), in the formula most of them have. */
function pooledOccupancy(agents: readonly LiveAgent[], figures: AgentFigures): WallboardKpi | null {
  if (figures === null) return null;
  const days = agents.flatMap((a) => {
    const occupancy = figures[a.id]?.occupancy;
    return occupancy ? [occupancy] : [];
  });
  const phone = days.filter((d) => d.kpi === 'occupancy_phone');
  const chat = days.filter((d) => d.kpi === 'occupancy_chat');
  const same = phone.length >= chat.length ? phone : chat;
  return same.length === 0 ? NO_TRAFFIC : kpiView(consolidateOccupancy(same, 'pooled'));
}

function queueView(
  queue: LiveQueue | null,
  name: string,
  group: DayGroupFigures | undefined,
  agents: readonly LiveAgent[],
  figures: AgentFigures,
  nowMs: number,
  line: { waiting: number; oldestMs: number | null },
): WallboardQueueView {
  return {
    queueId: queue?.id ?? null,
    name,
    waiting: line.waiting,
    oldestEnqueuedAt: line.oldestMs === null ? null : new Date(line.oldestMs).toISOString(),
    longestWaitSeconds: line.oldestMs === null ? 0 : Math.max(0, Math.floor((nowMs - line.oldestMs) / 1000)),
    received: group?.received ?? 0,
    attended: group?.attended ?? 0,
    abandoned: group?.abandoned ?? 0,
    serviceLevel: group?.serviceLevel ?? NO_TRAFFIC,
    asa: group?.asa ?? { ...NO_TRAFFIC, unit: 'ms' },
    abandonment: group?.abandonment ?? NO_TRAFFIC,
    occupancy: pooledOccupancy(agents, figures),
    agents: agentCounts(agents),
  };
}

function agentView(agent: LiveAgent, figures: AgentFigures): WallboardAgentView {
  const own = figures?.[agent.id];
  return {
    agentId: agent.id,
    name: agent.name,
    state: agent.state,
    reason: agent.reason,
    stateSince: new Date(agent.stateSinceMs).toISOString(),
    load: agent.load,
    capacity: agent.capacity,
    conversations: agent.sessions,
    attendedToday: figures === null ? null : (own?.attended ?? 0),
    occupancy: figures === null ? null : own?.occupancy ? kpiView(own.occupancy) : NO_TRAFFIC,
  };
}

/**
 * One campaign's wallboard: the router's live state (line, seats, sessions) joined with the day's
 * figures from the facts (wallboard-day-figures.ts: the KPI series by the campaign's measuring
 * rules, campaign, queues and agents). Pure; computes no KPI of its own.
 */
export function composeSnapshot(board: BoardLive, day: DayFigures, options: ComposeOptions = {}): BuiltSnapshot {
  const { live, rules, thresholds } = board;
  const nowMs = (options.now ?? new Date()).getTime();
  const queues = live.queues.map((q) =>
    queueView(
      q,
      q.name,
      day.byQueue[q.id],
      live.agents.filter((a) => servesQueue(a, q)),
      day.agents,
      nowMs,
      { waiting: q.waiting, oldestMs: q.oldestEnqueuedAtMs },
    ),
  );
  const oldest = live.queues.flatMap((q) => (q.oldestEnqueuedAtMs === null ? [] : [q.oldestEnqueuedAtMs]));
  const totals = queueView(null, live.name, day.total, live.agents, day.agents, nowMs, {
    waiting: live.queues.reduce((sum, q) => sum + q.waiting, 0),
    oldestMs: oldest.length === 0 ? null : Math.min(...oldest),
  });
  const eventAtMs = options.eventAtMs ?? null;
  return {
    snapshot: {
      campaignId: live.id,
      campaignName: live.name,
      date: day.date,
      timeZone: live.timeZone,
      generatedAt: new Date(nowMs).toISOString(),
      cause: options.cause ?? 'request',
      eventAt: eventAtMs === null ? null : new Date(eventAtMs).toISOString(),
      latencyMs: null,
      serviceLevel: {
        denominator: rules.serviceLevelDenominator,
        thresholdSeconds: rules.serviceLevelThresholdMs / 1000,
        shortAbandonSeconds: rules.shortAbandonThresholdMs / 1000,
      },
      totals,
      queues,
      agents: live.agents.filter((a) => a.state !== 'offline').map((a) => agentView(a, day.agents)),
      alerts: evaluateAlerts(thresholds, totals, queues, nowMs, options.alertStarts ?? new Map()),
    },
    rules: thresholds,
    nextCrossingMs: nextCrossingMs(thresholds, totals, queues, nowMs),
  };
}

/** A snapshot read whole now: the live state and the day's figures (the REST snapshot, the tests). */
export async function buildWallboardSnapshot(db: Kysely<Database>, campaignId: string, options: BuildOptions = {}): Promise<BuiltSnapshot> {
  const now = options.now ?? new Date();
  const board = await loadBoardLive(db, campaignId);
  const date = localDateOf(now.getTime(), board.live.timeZone);
  const day = await computeDayFigures(db, campaignId, date, board.rules, now, options.agents ?? true);
  return composeSnapshot(board, day, { ...options, now });
}
