/**
 * Billing statement speed (issue 10): one campaign-month of 10,000,000 usage facts (written by
 * generate_series: every meter, 300 agents, 31 days, PS-I/PS-P, tiers, channels, directions; 100
 * facts without their recording; late facts of the closed month before), then
 * `buildStatement(…, { derive: false })` (best of 3) against the raw baseline
 * `SELECT sum(duration_ms), sum(quantity) FROM billing_usage_facts WHERE campaign_id = $1 AND month = $2`
 * in the same process. Target: the statement ≤ 10 s.
 *
 *   npm run bench:billing                    10,000,000 facts (seeding takes minutes)
 *   npm run bench:billing -- --rows 1000000  a quicker run
 *   npm run bench:billing -- --no-report     print only
 *
 * Runs on the running PostgreSQL (TEST_DATABASE_URL) in a schema of its own, dropped at the end.
 * Writes bench/reports/billing-latest.md.
 */
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { Config } from '@ventanilla/hub';
import { buildStatement } from '../../hub/src/billing/statement/build-statement.js';
import { closeMonth } from '../../hub/src/billing/statement/close-month.js';
import { openDatabase } from '../../hub/src/db/database.js';
import { migrate } from '../../hub/src/db/migrator.js';
import type { Database } from '../../hub/src/db/schema.js';
import { runBench } from './bench-main.js';
import { writeReportFile, type BenchReport } from './bench-report.js';
import { n0, n1, ratio } from './report-format.js';
import { runConfig, runEnvironment, type BenchLog } from './router-db/run-env.js';

const REPORT = fileURLToPath(new URL('../reports/billing-latest.md', import.meta.url));
const TARGET_MS = 10_000;
const MONTH = '2026-10';
const CLOSED = '2026-09';
const TIME_ZONE = 'America/Mexico_City';
/** The close of September and the statement of October happen "now" = after both months. */
const NOW = new Date('2026-11-26T12:00:00-06:00');

interface Settings {
  readonly rows: number;
  readonly repeats: number;
  readonly report: boolean;
}

interface Timing {
  readonly name: string;
  readonly runsMs: number[];
  readonly bestMs: number;
}

interface BillingBenchResult {
  readonly settings: Settings;
  readonly facts: number;
  readonly lateFacts: number;
  readonly excludedFacts: number;
  readonly seedMs: number;
  readonly analyzeMs: number;
  readonly baseline: Timing;
  readonly statement: Timing;
  readonly lines: number;
  readonly verified: boolean;
  readonly verification: string;
}

function parseSettings(argv: readonly string[]): Settings {
  const at = argv.indexOf('--rows');
  const rows = at >= 0 ? Number(argv[at + 1]) : 10_000_000;
  if (!Number.isInteger(rows) || rows < 1000) throw new RangeError('--rows must be an integer ≥ 1000');
  return { rows, repeats: 3, report: !argv.includes('--no-report') };
}

/**
 * `count` facts of `month` for indices [from, from + count): i mod 20 picks the meter (30 % agent
 * time, 25 % interaction time, 10 % IVR, 5 % each of e-mail, SMS out, SMS in, bot, blaster,
 * voicemail, mass sends), i mod 300 the agent, (i / 7) mod days the local day. 1 in 100,000 is an
 * IVR leg without its recording (excluded). Deterministic: a function of i only.
 */
async function insertFacts(db: Kysely<Database>, campaignId: string, month: string, firstDay: string, days: number, from: number, count: number, tag: string): Promise<void> {
  await sql`
    INSERT INTO billing_usage_facts (campaign_id, meter, source_key, month, local_day, started_at, ended_at, duration_ms, quantity, weight_pct,
      seat_type, tier, channel_class, channel_kind, direction, agent_id, conversation_id, folio, call_sid, evidence_problem)
    SELECT ${campaignId}::uuid, meter, ${tag} || ':' || i, ${month}, day,
      started, started + duration_ms * interval '1 millisecond', duration_ms,
      CASE WHEN k < 13 THEN 0 ELSE 1 END,
      CASE WHEN meter = 'email_outbound' THEN (ARRAY[50, 0, 100, 100, 100, 100, 100, 100, 100, 100])[i % 10 + 1]
           WHEN meter = 'bot_event' THEN (ARRAY[100, 30, 0, 30])[i % 4 + 1] ELSE 100 END,
      CASE WHEN k < 11 THEN (CASE WHEN ag % 7 = 0 THEN 'PS-P' ELSE 'PS-I' END) END,
      CASE WHEN k BETWEEN 6 AND 10 THEN (CASE WHEN i % 9 = 0 THEN 2 ELSE 1 END) WHEN k < 6 THEN 1 END,
      CASE WHEN k < 11 THEN (CASE WHEN ag % 5 = 0 THEN 'text' ELSE 'voice' END) WHEN k < 13 THEN 'voice' WHEN k = 13 THEN 'email' END,
      CASE WHEN k < 11 THEN (CASE WHEN ag % 5 = 0 THEN (CASE WHEN ag % 10 = 0 THEN 'whatsapp' ELSE 'webchat' END) ELSE 'voice' END) END,
      CASE WHEN k < 11 THEN (CASE WHEN i % 11 = 0 THEN 'outbound' ELSE 'inbound' END) WHEN k = 14 THEN 'outbound' WHEN k = 15 THEN 'inbound' END,
      CASE WHEN k < 11 THEN ('00000000-0000-4000-8000-' || lpad(ag::text, 12, '0'))::uuid END,
      CASE WHEN k < 13 THEN md5(${tag} || ':conv:' || (i / 3))::uuid END,
      CASE WHEN k < 13 THEN 'BF-' || (i / 3) END,
      CASE WHEN k BETWEEN 11 AND 12 THEN 'CA' || (i / 3) END,
      CASE WHEN i % 100000 = 12 THEN 'missing_recording' END
    FROM (
      SELECT i, k, ag, day,
        (CASE WHEN k < 6 THEN 'agent_time' WHEN k < 11 THEN 'interaction_time' WHEN k < 13 THEN 'ivr_time' WHEN k = 13 THEN 'email_outbound'
              WHEN k = 14 THEN 'sms_outbound' WHEN k = 15 THEN 'sms_inbound' WHEN k = 16 THEN 'bot_event' WHEN k = 17 THEN 'blaster_message'
              WHEN k = 18 THEN 'voicemail' WHEN i % 1000 = 19 THEN 'email_mass_send' ELSE 'sms_mass_send' END) AS meter,
        CASE WHEN k < 13 THEN 1000 + (i * 7919) % 600000 ELSE 0 END::bigint AS duration_ms,
        ((day + time '08:00') + (i % 36000) * interval '1 second') AT TIME ZONE ${TIME_ZONE} AS started
      FROM (
        SELECT i, (i % 20)::int AS k, (i % 300)::int AS ag, ${firstDay}::date + ((i / 7) % ${days})::int AS day
        FROM generate_series(${from}::bigint, ${from + count - 1}::bigint) AS i
      ) base
    ) f`.execute(db);
}

async function time(name: string, repeats: number, log: BenchLog, body: () => Promise<unknown>): Promise<Timing> {
  const runsMs: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    const t0 = performance.now();
    await body();
    runsMs.push(performance.now() - t0);
  }
  const timing = { name, runsMs, bestMs: Math.min(...runsMs) };
  log(`${name}: best ${n0(timing.bestMs)} ms of ${repeats} (${runsMs.map(n0).join(', ')})`);
  return timing;
}

async function runBillingBench(settings: Settings, config: Config, log: BenchLog): Promise<BillingBenchResult> {
  const database = await openDatabase(config);
  try {
    await migrate(database);
    const db = database.kysely;
    const t0 = performance.now();
    const campaign = await db.insertInto('campaigns').values({ slug: 'bench-billing', name: 'Bench billing', folio_prefix: 'BBIL', settings: '{}' }).returning('id').executeTakeFirstOrThrow();
    const campaignId = campaign.id;
    const admin = await db.insertInto('users').values({ email: 'bench-billing@example.mx', display_name: 'Bench', password_hash: 'x', roles: ['admin'] }).returning('id').executeTakeFirstOrThrow();
    // September: a small month, closed (the default card gets stored as the campaign's version).
    await insertFacts(db, campaignId, CLOSED, '2026-09-01', 30, 0, 10_000, 'sep');
    await closeMonth(db, campaignId, CLOSED, { userId: admin.id, ip: '127.0.0.1', userAgent: 'bench' }, { derive: false, now: NOW });
    // Late September usage after the close → adjustment lines of October.
    const lateFacts = 1_000;
    await insertFacts(db, campaignId, CLOSED, '2026-09-01', 30, 10_000, lateFacts, 'sep-late');
    const chunk = 1_000_000;
    for (let from = 0; from < settings.rows; from += chunk) {
      await insertFacts(db, campaignId, MONTH, '2026-10-01', 31, from, Math.min(chunk, settings.rows - from), 'oct');
      log(`seeded ${n0(Math.min(from + chunk, settings.rows))} of ${n0(settings.rows)} facts (${n1((performance.now() - t0) / 1000)} s)`);
    }
    const seedMs = performance.now() - t0;
    const a0 = performance.now();
    await sql`ANALYZE billing_usage_facts`.execute(db);
    const analyzeMs = performance.now() - a0;
    log(`seeded in ${n1(seedMs / 1000)} s, ANALYZE ${n1(analyzeMs / 1000)} s`);

    const baseline = await time('raw SQL baseline (sum(duration_ms), sum(quantity) of the month)', settings.repeats, log, async () => {
      await sql`SELECT sum(duration_ms), sum(quantity) FROM billing_usage_facts WHERE campaign_id = ${campaignId}::uuid AND month = ${MONTH}`.execute(db);
    });
    let lines = 0;
    const statement = await time('buildStatement (derive: false)', settings.repeats, log, async () => {
      lines = (await buildStatement(db, campaignId, MONTH, { derive: false, now: NOW })).lines.length;
    });

    // The figures are real: every billable fact of October and every late one is on a line or unpriced.
    const built = await buildStatement(db, campaignId, MONTH, { derive: false, now: NOW });
    const billed = built.lines.reduce((sum, l) => sum + l.factCount, 0) + built.unpriced.reduce((sum, u) => sum + u.factCount, 0);
    const excludedFacts = Math.floor((settings.rows - 1 - 12) / 100_000) + 1;
    const expected = settings.rows - excludedFacts + lateFacts;
    const adjustments = built.lines.filter((l) => l.kind === 'adjustment').length;
    const verified = billed === expected && built.excluded.length > 0 && adjustments > 0;
    const verification = `${n0(billed)} facts on lines or unpriced of ${n0(expected)} billable (${n0(settings.rows)} − ${excludedFacts} excluded + ${n0(lateFacts)} late); ${built.excluded.length} excluded interactions; ${adjustments} adjustment lines; subtotal ${n0(built.subtotalCents / 100)} MXN`;
    log(`verification: ${verification}`);
    return { settings, facts: settings.rows, lateFacts, excludedFacts, seedMs, analyzeMs, baseline, statement, lines, verified, verification };
  } finally {
    await database.close();
  }
}

function summaryLines(report: BenchReport<BillingBenchResult | null>): string[] {
  const r = report.result;
  if (!r) return ['billing: no result', ...report.errors];
  return [
    `billing: ${n0(r.facts)} usage facts in one campaign-month (+ ${n0(r.lateFacts)} late facts of the closed month), best of ${r.settings.repeats}`,
    `  ${r.baseline.name}: ${n0(r.baseline.bestMs)} ms`,
    `  ${r.statement.name}: ${n0(r.statement.bestMs)} ms (${ratio(r.statement.bestMs, r.baseline.bestMs)} baseline, ${r.lines} lines)`,
    `  target ≤ ${n0(TARGET_MS)} ms: ${r.statement.bestMs <= TARGET_MS ? 'met' : 'NOT met'}; ${r.verified ? 'verified' : 'VERIFICATION FAILED'}: ${r.verification}`,
    ...report.errors.map((e) => `  error: ${e}`),
  ];
}

function writeBillingReport(report: BenchReport<BillingBenchResult | null>): string {
  const r = report.result;
  const m = report.machine;
  const body = r
    ? [
        `## Data`,
        ``,
        `One campaign, October 2026 (${TIME_ZONE}): ${n0(r.facts)} usage facts written by generate_series (every meter, 300 agents,`,
        `31 days; ${r.excludedFacts} without their recording), plus ${n0(r.lateFacts)} late facts of the closed September (adjustments).`,
        `Seed ${n1(r.seedMs / 1000)} s, ANALYZE ${n1(r.analyzeMs / 1000)} s.`,
        ``,
        `## Timings (best of ${r.settings.repeats})`,
        ``,
        `| Query | Best | Runs (ms) | × baseline |`,
        `|---|---:|---|---:|`,
        `| ${r.baseline.name} | ${n0(r.baseline.bestMs)} ms | ${r.baseline.runsMs.map(n0).join(', ')} | 1.00× |`,
        `| ${r.statement.name} | ${n0(r.statement.bestMs)} ms | ${r.statement.runsMs.map(n0).join(', ')} | ${ratio(r.statement.bestMs, r.baseline.bestMs)} |`,
        ``,
        `Target: the statement ≤ ${n0(TARGET_MS)} ms — **${r.statement.bestMs <= TARGET_MS ? 'met' : 'not met'}**.`,
        ``,
        `Verification: ${r.verified ? 'ok' : 'FAILED'} — ${r.verification}.`,
      ]
    : ['No result.'];
  return writeReportFile(
    REPORT,
    [
      `# Billing statement benchmark (\`npm run bench:billing\`)`,
      ``,
      `- Started ${report.startedAt}, ${n1(report.durationSeconds)} s; command \`${report.command}\``,
      `- Machine: ${m.cpus} × ${m.cpuModel}; Node ${m.node}; ${m.postgres}; load ${m.loadAverageAtStart.join(' / ')} → ${m.loadAverageAtEnd.join(' / ')}`,
      ``,
      ...body,
      ...(report.errors.length > 0 ? ['', '## Errors', '', ...report.errors.map((e) => `- ${e}`)] : []),
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  await runBench({
    name: 'billing',
    budgetMs: 40 * 60_000,
    async run({ log, dropAtEnd, attempt }) {
      const config = dropAtEnd(runConfig(runEnvironment('billing', { LOG_LEVEL: 'warn' })));
      return attempt(null, () => runBillingBench(settings, config, log));
    },
    conclude: (report) => ({
      writeReport: settings.report ? () => writeBillingReport(report) : null,
      summary: summaryLines(report),
      broken: !report.result || !report.result.verified || report.result.statement.bestMs > TARGET_MS,
    }),
  });
}

await main();
