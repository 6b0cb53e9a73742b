import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Config } from '@ventanilla/hub';
import { openDatabase } from '../../../hub/src/db/database.js';
import { migrate } from '../../../hub/src/db/migrator.js';
import { kpiSeries } from '../../../hub/src/kpi/aggregates/kpi-series.js';
import { localDay } from '../../../hub/src/kpi/aggregates/local-day.js';
import { dailyKpis } from '../../../hub/src/kpi/facts/daily-kpis.js';
import type { BenchLog } from '../router-db/run-env.js';
import { seedKpiDay, type KpiSeed, type KpiSeedSettings } from './seed.js';

export interface KpiReportSettings extends KpiSeedSettings {
  readonly repeats: number;
}

export interface Timing {
  readonly name: string;
  /** Every repeat, ms. */
  readonly runsMs: number[];
  readonly medianMs: number;
  readonly rows: number;
}

export interface KpiReportResult {
  readonly settings: KpiReportSettings;
  readonly seed: KpiSeed;
  readonly baseline: Timing;
  readonly timings: Timing[];
  /** dailyKpis' total equals the raw count (the figures are real, not only fast). */
  readonly verified: boolean;
  readonly verification: string;
}

export const DATE = '2026-11-25';
export const DAILY_TARGET_MS = 2000;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function time(name: string, repeats: number, log: BenchLog, body: () => Promise<number>): Promise<Timing> {
  const runsMs: number[] = [];
  let rows = 0;
  for (let i = 0; i < repeats; i += 1) {
    const t0 = performance.now();
    rows = await body();
    runsMs.push(performance.now() - t0);
  }
  const timing = { name, runsMs, medianMs: median(runsMs), rows };
  log(`${name}: median ${timing.medianMs.toFixed(0)} ms over ${repeats} (${runsMs.map((r) => r.toFixed(0)).join(', ')})`);
  return timing;
}

export async function runKpiReportBench(input: { settings: KpiReportSettings; config: Config; log: BenchLog }): Promise<KpiReportResult> {
  const { settings, log } = input;
  const database = await openDatabase(input.config);
  try {
    await migrate(database);
    const db = database.kysely;
    const day = localDay(DATE);
    log(`seeding ${settings.rows.toLocaleString('en-US')} contacts, ${settings.agents} agents, ${settings.queues} queues (generate_series)`);
    const seed = await seedKpiDay(db, settings, day);
    log(`seeded: ${seed.facts} facts, ${seed.segments} segments, ${seed.intervals} intervals in ${(seed.seedMs / 1000).toFixed(1)} s (+ analyze ${(seed.analyzeMs / 1000).toFixed(1)} s)`);
    const { campaignId } = seed;
    const asOf = new Date(day.endMs + 86_400_000);
    const from = new Date(day.startMs).toISOString();
    const to = new Date(day.endMs).toISOString();
    // The floor: one pass over the same rows with plain counts and sums per queue.
    const baseline = await time('raw SQL baseline (count/sum … GROUP BY queue_id)', settings.repeats, log, async () => {
      const result = await sql<{ queue_id: string }>`
        SELECT queue_id, count(*) AS received, count(*) FILTER (WHERE answered_at IS NOT NULL) AS attended,
          sum(talk_ms) AS talk_ms, sum(extract(epoch FROM answered_at - received_at)) AS wait_s
        FROM kpi_contact_facts
        WHERE campaign_id = ${campaignId}::uuid AND received_at >= ${from}::timestamptz AND received_at < ${to}::timestamptz
        GROUP BY queue_id`.execute(db);
      return result.rows.length;
    });
    const timings: Timing[] = [];
    const daily = await time('dailyKpis (total, per queue, per channel, queue × channel)', settings.repeats, log, async () => {
      const kpis = await dailyKpis(db, campaignId, DATE, { asOf });
      return 1 + kpis.byQueue.length + kpis.byChannel.length + kpis.byQueueAndChannel.length;
    });
    timings.push(daily);
    for (const groupBy of [['queue'], ['channel'], ['agent']] as const) {
      timings.push(
        await time(`kpiSeries half_hour by ${groupBy.join('+')}`, settings.repeats, log, async () => {
          const series = await kpiSeries(db, { campaignId, from: DATE, to: DATE, interval: 'half_hour', groupBy, asOf });
          return series.rows.length;
        }),
      );
    }
    timings.push(
      await time('kpiSeries day, whole campaign (FCR, pooled occupancy)', settings.repeats, log, async () => {
        const series = await kpiSeries(db, { campaignId, from: DATE, to: DATE, interval: 'day', asOf });
        return series.rows.length;
      }),
    );
    const kpis = await dailyKpis(db, campaignId, DATE, { asOf });
    const verified = kpis.total.tally.receivedGross === seed.facts && kpis.byQueue.length === settings.queues;
    const verification = `dailyKpis total received ${kpis.total.tally.receivedGross} of ${seed.facts} facts; ${kpis.byQueue.length} queues; abandonment ${kpis.total.abandonment.explanation}`;
    log(`verification: ${verification}`);
    return { settings, seed, baseline, timings, verified, verification };
  } finally {
    await database.close();
  }
}
