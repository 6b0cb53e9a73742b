import { performance } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import { startHubProcess, type ClientToServerEvents, type Config, type ServerToClientEvents, type WallboardSnapshot } from '@ventanilla/hub';
import type { BenchLog } from '../router-db/run-env.js';
import { rawEmitRoundTrip } from './baseline.js';
import { seedCampaigns } from './seed.js';

export interface WallboardSettings {
  campaigns: number;
  queues: number;
  agents: number;
  /** State-change events per second, over all campaigns. */
  rate: number;
  seconds: number;
}

export interface WallboardResult {
  settings: WallboardSettings;
  events: number;
  /** Events whose snapshot reached the supervisor's socket (the rest: none seen before the end). */
  matched: number;
  /** Request sent → first snapshot received at the socket whose row for that agent shows the new state, ms. */
  clientLatencyMs: number[];
  /** The hub's own event → emit (snapshot.latencyMs) of the event-caused snapshots received. */
  hubLatencyMs: number[];
  snapshots: number;
  snapshotsPerSecond: number;
  /** Largest number of snapshots one campaign got in any 1-s window (the coalescing caps it at 4). */
  maxPerCampaignSecond: number;
  meanSnapshotBytes: number;
  baselineMs: number[];
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Pending {
  campaignId: string;
  agentId: string;
  stateSince: string;
  sentAt: number;
}

const STATES = ['available', 'lunch', 'not_ready', 'training'] as const;

export async function runWallboard(config: Config, settings: WallboardSettings, log: BenchLog): Promise<WallboardResult> {
  const hub = await startHubProcess(config);
  const clients: Client[] = [];
  try {
    const campaigns = await seedCampaigns(hub.ctx.db.kysely, settings.campaigns, settings.queues, settings.agents);
    log(`seeded ${settings.campaigns} campaigns × ${settings.agents} agents × ${settings.queues} queues`);
    const pending: Pending[] = [];
    const clientLatencyMs: number[] = [];
    const hubLatencyMs: number[] = [];
    const perCampaignTimes = new Map<string, number[]>();
    let snapshots = 0;
    let bytes = 0;
    for (const campaign of campaigns) {
      const socket: Client = connect(`${hub.url}/staff`, { auth: { token: campaign.supervisorToken }, transports: ['websocket'] });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      socket.on('wallboard.updated', (s: WallboardSnapshot) => {
        const at = performance.now();
        snapshots += 1;
        bytes += JSON.stringify(s).length;
        perCampaignTimes.set(s.campaignId, [...(perCampaignTimes.get(s.campaignId) ?? []), at]);
        if (s.latencyMs !== null) hubLatencyMs.push(s.latencyMs);
        for (let i = pending.length - 1; i >= 0; i -= 1) {
          const p = pending[i]!;
          if (p.campaignId !== s.campaignId) continue;
          const row = s.agents.find((a) => a.agentId === p.agentId);
          // The snapshot shows this change or a later one of the same agent.
          if (row && Date.parse(row.stateSince) >= Date.parse(p.stateSince)) {
            clientLatencyMs.push(at - p.sentAt);
            pending.splice(i, 1);
          }
        }
      });
      const reply = await socket.emitWithAck('wallboard.watch', { campaignId: campaign.id });
      if (!reply.ok) throw new Error(`watch refused: ${reply.code}`);
      clients.push(socket);
    }
    const agents = campaigns.flatMap((c) => c.agents.map((a) => ({ ...a, campaignId: c.id, state: 0 })));
    const total = settings.rate * settings.seconds;
    const gapMs = 1000 / settings.rate;
    const t0 = performance.now();
    let events = 0;
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i += 1) {
      const wait = t0 + i * gapMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const agent = agents[(i * 7919) % agents.length]!;
      agent.state = (agent.state + 1) % STATES.length;
      const to = STATES[agent.state]!;
      const sentAt = performance.now();
      inFlight.push(
        fetch(`${hub.url}/api/v1/agents/me/state`, { method: 'PUT', headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ state: to }) }).then(async (res) => {
          if (res.status !== 200) throw new Error(`state change: HTTP ${res.status}`);
          const seat = (await res.json()) as { stateSince: string };
          events += 1;
          pending.push({ campaignId: agent.campaignId, agentId: agent.id, stateSince: seat.stateSince, sentAt });
        }),
      );
    }
    await Promise.all(inFlight);
    const elapsedS = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    let maxPerCampaignSecond = 0;
    for (const times of perCampaignTimes.values()) {
      for (let i = 0, j = 0; i < times.length; i += 1) {
        while (times[i]! - times[j]! >= 1000) j += 1;
        maxPerCampaignSecond = Math.max(maxPerCampaignSecond, i - j + 1);
      }
    }
    log(`events ${events}, snapshots ${snapshots}, unmatched ${pending.length}`);
    const baselineMs = await rawEmitRoundTrip(2000, snapshots > 0 ? Math.round(bytes / snapshots) : 4096);
    return {
      settings,
      events,
      matched: clientLatencyMs.length,
      clientLatencyMs,
      hubLatencyMs,
      snapshots,
      snapshotsPerSecond: snapshots / (elapsedS + 2),
      maxPerCampaignSecond,
      meanSnapshotBytes: snapshots > 0 ? bytes / snapshots : 0,
      baselineMs,
    };
  } finally {
    for (const c of clients) c.disconnect();
    await hub.stop();
  }
}
