import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { dailyKpis, type KpiGroup } from '../kpi/facts/daily-kpis.js';
import { localDateOf } from '../kpi/formulas/intervals.js';
import type { KpiResult } from '../kpi/formulas/kpi-result.js';
import { consolidateOccupancy } from '../kpi/formulas/occupancy.js';
import type { WallboardAgentCounts, WallboardAgentView, WallboardKpi, WallboardQueueView, WallboardSnapshot } from '../realtime/events.contract.js';
import { kpiSeriesAgentFigures, type AgentDayFigures, type AgentFiguresSource } from './wallboard-agent-figures.js';
import { evaluateAlerts, nextCrossingMs, type ThresholdRule } from './wallboard-alerts.js';
import { loadLiveCampaign, servesQueue, type LiveAgent, type LiveQueue } from './wallboard-live-state.js';
import { loadSettings, loadThresholdRules, type WallboardSettings } from './wallboard-thresholds.store.js';

export interface BuildOptions {
  readonly now?: Date;
  readonly cause?: WallboardSnapshot['cause'];
  /** Hub time of the earliest event the snapshot answers (cause = event). */
  readonly eventAtMs?: number | null;
  /** When each alert already on started (previous snapshots). */
  readonly alertStarts?: ReadonlyMap<string, number>;
  /** Per-agent day figures; default the KPI series (wallboard-agent-figures.ts), null = none. */
  readonly agentFigures?: AgentFiguresSource | null;
}

export interface BuiltSnapshot {
  readonly snapshot: WallboardSnapshot;
  readonly rules: readonly ThresholdRule[];
  /** When a longest-wait alert will turn on with no further event (wake the board then). */
  readonly nextCrossingMs: number | null;
}

const kpiView = (result: KpiResult): WallboardKpi => ({ value: result.value, unit: result.unit, explanation: `${result.formula}: ${result.explanation}` });

const NO_TRAFFIC: WallboardKpi = { value: null, unit: 'percent', explanation: 'sin tráfico' };

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

/** The agents' figures pooled (consolidateOccupancy 'pooled'), in the formula most of them have. */
function pooledOccupancy(agents: readonly LiveAgent[], figures: ReadonlyMap<string, AgentDayFigures> | null): WallboardKpi | null {
  if (figures === null) return null;
  const days = agents.flatMap((a) => {
    const occupancy = figures.get(a.id)?.occupancy;
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
  group: KpiGroup | undefined,
  agents: readonly LiveAgent[],
  settings: WallboardSettings,
  figures: ReadonlyMap<string, AgentDayFigures> | null,
  nowMs: number,
  line: { waiting: number; oldestMs: number | null },
): WallboardQueueView {
  const sl = group ? (settings.serviceLevelDenominator === 'received' ? group.serviceLevelByReceived : group.serviceLevelByAttended) : null;
  return {
    queueId: queue?.id ?? null,
    name,
    waiting: line.waiting,
    oldestEnqueuedAt: line.oldestMs === null ? null : new Date(line.oldestMs).toISOString(),
    longestWaitSeconds: line.oldestMs === null ? 0 : Math.max(0, Math.floor((nowMs - line.oldestMs) / 1000)),
    // Contacts still in line count as received today; the formulas only take the finished ones.
    received: group ? group.tally.receivedGross + group.pendingInQueue : 0,
    attended: group?.tally.attended ?? 0,
    abandoned: group?.tally.abandoned ?? 0,
    serviceLevel: sl ? kpiView(sl) : NO_TRAFFIC,
    asa: group ? kpiView(group.asa) : { ...NO_TRAFFIC, unit: 'ms' },
    abandonment: group ? kpiView(group.abandonment) : NO_TRAFFIC,
    occupancy: pooledOccupancy(agents, figures),
    agents: agentCounts(agents),
  };
}

function agentView(agent: LiveAgent, figures: ReadonlyMap<string, AgentDayFigures> | null): WallboardAgentView {
  const own = figures?.get(agent.id);
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
 * KPIs from the facts (`dailyKpis`: the formula library, by the campaign's service-level
 * denominator). Computes no KPI of its own.
 */
export async function buildWallboardSnapshot(db: Kysely<Database>, campaignId: string, options: BuildOptions = {}): Promise<BuiltSnapshot> {
  const now = options.now ?? new Date();
  const nowMs = now.getTime();
  const live = await loadLiveCampaign(db, campaignId);
  if (!live) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  const date = localDateOf(nowMs, live.timeZone);
  const [settings, rules] = await Promise.all([loadSettings(db, campaignId), loadThresholdRules(db, campaignId)]);
  const [kpis, figures] = await Promise.all([
    dailyKpis(db, campaignId, date, {
      timeZone: live.timeZone,
      serviceLevelThresholdMs: settings.serviceLevelThresholdSeconds * 1000,
      shortAbandonThresholdMs: settings.shortAbandonSeconds * 1000,
      asOf: now,
    }),
    options.agentFigures === null
      ? Promise.resolve(null)
      : // The live part of the board must not go dark when the day's series cannot be read: those cells show "—".
        (options.agentFigures ?? kpiSeriesAgentFigures)(db, campaignId, date, settings, now).catch(() => null),
  ]);
  const queues = live.queues.map((q) =>
    queueView(
      q,
      q.name,
      kpis.byQueue.find((g) => g.queueId === q.id),
      live.agents.filter((a) => servesQueue(a, q)),
      settings,
      figures,
      nowMs,
      { waiting: q.waiting, oldestMs: q.oldestEnqueuedAtMs },
    ),
  );
  const oldest = live.queues.flatMap((q) => (q.oldestEnqueuedAtMs === null ? [] : [q.oldestEnqueuedAtMs]));
  const totals = queueView(null, live.name, kpis.total, live.agents, settings, figures, nowMs, {
    waiting: live.queues.reduce((sum, q) => sum + q.waiting, 0),
    oldestMs: oldest.length === 0 ? null : Math.min(...oldest),
  });
  const eventAtMs = options.eventAtMs ?? null;
  return {
    snapshot: {
      campaignId,
      campaignName: live.name,
      date,
      timeZone: live.timeZone,
      generatedAt: now.toISOString(),
      cause: options.cause ?? 'request',
      eventAt: eventAtMs === null ? null : new Date(eventAtMs).toISOString(),
      latencyMs: null,
      serviceLevel: { denominator: settings.serviceLevelDenominator, thresholdSeconds: settings.serviceLevelThresholdSeconds },
      totals,
      queues,
      agents: live.agents.filter((a) => a.state !== 'offline').map((a) => agentView(a, figures)),
      alerts: evaluateAlerts(rules, totals, queues, nowMs, options.alertStarts ?? new Map()),
    },
    rules,
    nextCrossingMs: nextCrossingMs(rules, totals, queues, nowMs),
  };
}
