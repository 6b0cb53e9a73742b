import { fileURLToPath } from 'node:url';
import { writeReportFile, type BenchReport } from '../bench-report.js';
import type { LatencySummary } from '../ingest/stats.js';
import { n0, n1, n2, ratio } from '../report-format.js';
import type { StoredOnceCheck } from './stored-once.js';
import type { SendRateResult } from './send-rate-phase.js';
import type { WhatsAppBenchResult } from './run-whatsapp.js';
import { ACK_P99_TARGET_MS, webhookReportSection } from './webhook-report-section.js';

/** The Markdown report of `npm run bench:whatsapp` (bench/reports/whatsapp-latest.md) and its console summary. */
export type WhatsAppReport = BenchReport<WhatsAppBenchResult | null>;

const REPORT = fileURLToPath(new URL('../../reports/whatsapp-latest.md', import.meta.url));

const lat = (l: LatencySummary) => `${n1(l.p50)} / ${n1(l.p95)} / ${n1(l.p99)} / ${n1(l.max)}`;
const paceName = (s: SendRateResult) => (s.paceSetting === null ? `${n0(s.limitPerSecond)}/s (adapter default)` : `${n0(s.paceSetting)}/s (channel setting)`);
const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
const storedOnce = (s: StoredOnceCheck) => s.complete && s.duplicates === 0;
const cpuLine = (cores: Record<string, number>) => Object.entries(cores).map(([k, v]) => `${k} ${n2(v)}`).join(', ');

/**
 * The most sends a 1-s window may show before the pace is at fault. The hub paces 5 % under the
 * limit (ChannelSendPace's headroom); on a loaded machine network and event-loop jitter can still
 * land a send or two more in some window as the double times them. Meta answers such a send with
 * 130429, which the adapter retries, so it costs a retry, not a message. More than the limit
 * plus that 5 % is more than jitter.
 */
export function jitterCeiling(limitPerSecond: number): number {
  return limitPerSecond + Math.max(1, Math.ceil(limitPerSecond * 0.05));
}

/** A send phase kept to its per-number limit (see jitterCeiling) and sent every stored reply exactly once. */
export function sendPhaseSound(s: SendRateResult): boolean {
  return s.maxInAnySecond <= jitterCeiling(s.limitPerSecond) && s.duplicates === 0 && s.missing === 0 && s.stored === s.replies;
}

/** Figures that must not be trusted or a requirement missed: the run exits with 1. */
export function whatsappRunBroken(report: WhatsAppReport): boolean {
  const r = report.result;
  if (!r || !r.apiAlone || !r.webhook) return true;
  const stored = [r.apiAlone.stored, r.apiAlone.warmupStored, r.webhook.stored];
  return stored.some((s) => !storedOnce(s)) || r.sends.some((s) => s === null || !sendPhaseSound(s));
}

export function whatsappSummaryLines(report: WhatsAppReport): string[] {
  const r = report.result;
  if (!r) return ['whatsapp bench: no result', ...report.errors];
  const lines = ['whatsapp bench:'];
  const a = r.apiAlone;
  const w = r.webhook;
  const h = r.helloAtRate;
  const meets = (x: { latencyMs: LatencySummary; errors: number }) => verdict(x.latencyMs.p99 <= ACK_P99_TARGET_MS && x.errors === 0);
  if (a) {
    lines.push(
      `  webhook, API alone (no worker) at ${n0(a.rate)}/s for ${n0(a.seconds)} s: ${n0(a.ackedPerSecond)} acks/s, p50/p95/p99/max ${lat(a.latencyMs)} ms, ${a.errors} errors (target p99 ≤ ${ACK_P99_TARGET_MS} ms: ${meets(a)})`,
      `  then the worker stored ${n0(a.stored.rows)} for ${n0(a.stored.acked)} acked: lost ${a.stored.lostAfterAck}, duplicates ${a.stored.duplicates} (warm-up: lost ${a.warmupStored.lostAfterAck}, duplicates ${a.warmupStored.duplicates}), drained in ${n1(a.stored.drainSeconds)} s at ${n0(a.drainedPerSecond)}/s`,
    );
  }
  if (w) {
    lines.push(
      `  webhook, with storage (API + worker) at ${n0(w.rate)}/s for ${n0(w.seconds)} s: ${n0(w.ackedPerSecond)} acks/s, p50/p95/p99/max ${lat(w.latencyMs)} ms, ${w.errors} errors (target p99 ≤ ${ACK_P99_TARGET_MS} ms: ${meets(w)})`,
      `  stored ${n0(w.stored.rows)} for ${n0(w.stored.acked)} acked: lost ${w.stored.lostAfterAck}, duplicates ${w.stored.duplicates}, drained ${n1(w.stored.drainSeconds)} s after the load`,
    );
  }
  if (h) {
    const vsHello = (x: { latencyMs: LatencySummary } | null) => (x ? ratio(x.latencyMs.p99, h.latencyMs.p99) : '—');
    lines.push(`  Fastify hello-world at the same rate: ${n0(h.ackedPerSecond)} acks/s, p99 ${n1(h.latencyMs.p99)} ms (p99 ÷ hello: API alone ${vsHello(a)}, with storage ${vsHello(w)})`);
  }
  for (const s of r.sends) {
    if (!s) continue;
    lines.push(`  sends at ${paceName(s)}: ${n1(s.achievedPerSecond)}/s achieved, max ${s.maxInAnySecond} in any 1 s, e2e p50/p99 ${n0(s.endToEndMs.p50)}/${n0(s.endToEndMs.p99)} ms, duplicates ${s.duplicates}, missing ${s.missing}`);
  }
  return [...lines, ...report.errors.map((e) => `  error: ${e.split('\n')[0] ?? ''}`)];
}

export function renderWhatsAppReport(report: WhatsAppReport): string {
  const r = report.result;
  const m = report.machine;
  const lines = [
    '# WhatsApp Cloud API: webhook acknowledgement and paced sends (issue 6 "Benchmark")',
    '',
    `Run ${report.startedAt}, ${n0(report.durationSeconds)} s. Command: \`${report.command}\`. Code: \`bench/src/whatsapp.bench.ts\`, \`bench/src/whatsapp/\`.`,
    '',
    `Machine: ${m.cpus} cores — ${m.cpuModel}; Node ${m.node}; ${m.postgres}; load average at start ${m.loadAverageAtStart.join(' / ')}, at end ${m.loadAverageAtEnd.join(' / ')} (a shared machine: read the ratios against the baseline of the same run).`,
    '',
  ];
  if (!r) return [...lines, '**No result.**', '', '```', ...report.errors, '```', ''].join('\n');
  lines.push(...webhookReportSection(r, m.cpus));

  lines.push(
    '## 2. Outbound send rate under the per-number pace',
    '',
    '| Pace | Replies stored (agent API) | Achieved sends/s | Max sends in any 1 s | ≤ limit | First → last send (ideal at the pace) | Reply stored → Graph call p50 / p95 / p99 / max (ms) | Duplicates / missing |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const [i, s] of r.sends.entries()) {
    if (!s) {
      lines.push(`| phase ${i + 1} | failed (see the errors) | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${paceName(s)} | ${n0(s.stored)} of ${n0(s.replies)} at ${n0(s.storedPerSecond)}/s | **${n1(s.achievedPerSecond)}** (${n0((s.achievedPerSecond / s.limitPerSecond) * 100)} % of the limit) | **${s.maxInAnySecond}** (bench loop stalled ≤ ${n0(s.benchStallMs)} ms) | ${s.maxInAnySecond <= s.limitPerSecond ? 'yes' : s.maxInAnySecond <= jitterCeiling(s.limitPerSecond) ? 'jitter (≤ limit + 5 %)' : '**NO**'} | ${n1(s.drainSeconds)} s (${n1(s.idealDrainSeconds)} s) | ${lat(s.endToEndMs)} | ${s.duplicates} / ${s.missing} |`,
    );
  }
  for (const s of r.sends) if (s) lines.push('', `CPU while sending at ${paceName(s)} (cores of ${m.cpus}): ${cpuLine(s.cpuCores)}.`);
  lines.push(
    '',
    '## Setup',
    '',
    `- Hub: an API process (HTTP, webhooks, agent API) and a worker process (ingest, outbound, started after the "API alone" phase), \`bench/src/bench-hub-process.ts\` children, on PostgreSQL and Redis over loopback in a schema and Redis prefix of the run (dropped at the end); the load generator, the Graph API double and the hello-world client run in the bench process (${m.cpus} cores shared by all of them and by the servers).`,
    `- Webhooks: Cloud API \`messages\` payloads built by the provider harness's \`messageWebhook\` (test/harness/whatsapp), one text message each, every request from a different citizen (a new contact and conversation each), signed with the app secret (\`X-Hub-Signature-256: sha256=<hex>\` over the exact bytes); keep-alive client with ${r.settings.connections} connections, open loop (latency from each request's due time, so queueing is not hidden).`,
    `- Webhook phases, in this order, each with citizens of its own: **API alone** — only the API process runs (as the ingest bench measures SPEC §8's acknowledgement), a 1 s warm-up at the same rate, not measured, then the measured load; the acknowledged webhooks wait as ingest jobs in Redis until the worker process starts, and it must then store each exactly once (warm-up included). **With storage** — API and worker, a 2 s warm-up at the same rate, not measured, and the measured load starts once the worker has stored it; the worker ingests during the load on the same cores.`,
    `- Sends: per phase a channel of its own (its own number, so its own pace), ${n0(r.settings.replies)} citizens write first (not measured), then one agent reply per conversation through \`POST /api/v1/conversations/:id/messages\` (16 in flight); the worker sends through the Graph API double, which records the time of each \`POST /{version}/{phone-number-id}/messages\` on the bench's clock. "Reply stored" is the agent API's 202 (the reply is committed and enqueued before it answers).`,
    '',
    '## Reading it',
    '',
    ...readings(r, m.cpus),
    '- The webhook route does what the hello-world does plus the raw-body HMAC check, zod decoding and one Redis round trip to enqueue the job: that is the "API alone" figure. In the "with storage" phase the worker and PostgreSQL, storing each message on the same cores at the same time, take CPU from the API: the route does the same work in both phases, so the difference between the two p99s is that contention.',
    '- The sends are queued all at once, so each reply waits for its turn at the pace: reply stored → Graph call is mostly that wait (about n ÷ (2 × limit) on average, n ÷ limit for the last one), not the pipeline\'s own latency. The figures to judge are the achieved rate against the limit and the busiest second, which must never exceed it (Meta answers error 130429 above 80 messages/s per number).',
    '',
  );
  if (report.errors.length > 0) lines.push('## Errors', '', '```', ...report.errors, '```', '');
  return lines.join('\n');
}

/** What this run's own figures say, before the general notes. */
function readings(r: WhatsAppBenchResult, cores: number): string[] {
  const out: string[] = [];
  const a = r.apiAlone;
  const w = r.webhook;
  if (a && w) {
    out.push(
      `- With the worker storing at the same time the p99 was ${ratio(w.latencyMs.p99, a.latencyMs.p99)} that of the API alone (${n1(w.latencyMs.p99)} against ${n1(a.latencyMs.p99)} ms), with an API CPU per acknowledgement of ${n2(w.apiCpuMsPerAck)} against ${n2(a.apiCpuMsPerAck)} ms; CPU during the load, API alone: ${cpuLine(a.cpuCores)}; with storage: ${cpuLine(w.cpuCores)}.`,
    );
  }
  if (a && a.ackedPerSecond < a.rate * 0.95) {
    out.push(`- The API alone acknowledged ${n0(a.ackedPerSecond)} of the ${n0(a.rate)} requests offered per second (event loop ${n0(a.apiEventLoop * 100)} % busy): the API process itself is saturated at this rate on this machine.`);
  }
  const others = w?.cpuCores['others'] ?? NaN;
  if (w && others > cores / 4) {
    out.push(
      `- **The machine was busy with other work**: during the webhook load other users kept ${n2(others)} of ${cores} cores busy (the whole machine ${n2(w.cpuCores['machine'] ?? NaN)}), the hub's API and worker got ${n2((w.cpuCores['api'] ?? 0) + (w.cpuCores['worker'] ?? 0))} between them; the hello-world at the same rate, run before the hub started, had a p99 of ${r.helloAtRate ? n1(r.helloAtRate.latencyMs.p99) : '—'} ms. Such a run measures the contention more than the hub: rerun on a quiet machine before reading the absolute figures.`,
    );
  }
  if (w && Number.isFinite(others)) {
    const ours = (w.cpuCores['machine'] ?? NaN) - others;
    out.push(
      `- CPU the hub's stack (API, worker, PostgreSQL, Redis, load generator) needs per acknowledged and stored webhook: ${n2((ours * 1000) / w.ackedPerSecond)} ms, i.e. ${n2((ours * w.rate) / w.ackedPerSecond)} of ${cores} cores at ${n0(w.rate)}/s — the share of the machine the SPEC §8 rate needs when the worker ingests on the same machine.`,
    );
  }
  if (w && w.ackedPerSecond < w.rate * 0.95) {
    out.push(`- The hub acknowledged ${n0(w.ackedPerSecond)} of the ${n0(w.rate)} requests offered per second: below the offered rate the requests queue, so the open-loop latency grows with the length of the run (${n1(w.latencyMs.p50)} ms at the median) — a saturated server, not a slow route.`);
  }
  for (const s of r.sends) {
    if (s && s.achievedPerSecond < s.limitPerSecond * 0.9) {
      out.push(
        `- At ${paceName(s)} the sends reached ${n0((s.achievedPerSecond / s.limitPerSecond) * 100)} % of the limit (worker ${n2(s.cpuCores['worker'] ?? NaN)} cores, other users ${n2(s.cpuCores['others'] ?? NaN)}): the pace was not what limited the rate. Candidates, which this run cannot tell apart: a worker short of CPU, the \`OUTBOUND_CONCURRENCY\` lanes each holding a send's transaction, and refused jobs making a round trip through BullMQ's delayed set before they ask again.`,
      );
    }
  }
  return out;
}

export function writeWhatsAppReport(report: WhatsAppReport): string {
  return writeReportFile(REPORT, renderWhatsAppReport(report));
}
