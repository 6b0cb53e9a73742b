/** The router-core benchmark's report: raw JSON for the record, Markdown for people. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { ArrivalResult, BulkResult } from './router-core-phases.js';
import type { LatencyUs } from './router-latency.js';
import type { WorldSettings } from './router-world.js';

export interface RouterCoreReport {
  benchmark: 'router-core';
  startedAt: string;
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; node: string; loadAverageAtStart: number[] };
  command: string;
  world: WorldSettings & { availableAgents: number; freeTextSlots: number; staffedQueues: number };
  bulk: {
    indexed: BulkResult;
    indexedOnSample: BulkResult;
    naiveOnSample: BulkResult;
    /** Full scan over all waiting conversations, from its measured cost per conversation. */
    naiveProjectedMs: number;
    naiveProjectedDecisionsPerSecond: number;
    sameDecisionsOnSample: boolean;
  };
  arrivals: {
    indexed: ArrivalResult;
    naiveSample: ArrivalResult;
    /** The indexed session's first decisions equal the full scan's over the naive sample. */
    sameDecisionsOnSample: boolean;
  };
}

export function machineInfo(): RouterCoreReport['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.versions.node,
    loadAverageAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

const n0 = (v: number): string => Math.round(v).toLocaleString('en-US');
const n1 = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const n2 = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const lat = (l: LatencyUs): string => `${n1(l.p50)} / ${n1(l.p99)} / ${n1(l.p999)} / ${n1(l.max)} µs (n=${n0(l.count)})`;
const verdict = (ok: boolean): string => (ok ? 'MET' : 'NOT MET');

export function renderMarkdown(r: RouterCoreReport, jsonName: string): string {
  const { bulk, arrivals: arr, world } = r;
  const rows: [string, string][] = [
    ['World', `${n0(world.agents)} agents (${n0(world.availableAgents)} available, ${n0(world.freeTextSlots)} free text slots), ${world.skills} skills, ${world.queues} queues (${world.staffedQueues} with at least one qualified available agent), ${n0(world.waiting)} waiting text conversations, seed ${world.seed}`],
    ['Bulk plan, indexed: planAssignments over all waiting', `${n0(bulk.indexed.decisions)} assignments in ${n1(bulk.indexed.medianMs)} ms (median of ${bulk.indexed.runsMs.length}: ${bulk.indexed.runsMs.map(n0).join(', ')} ms) → **${n0(bulk.indexed.decisionsPerSecond)} assignments/s**, ${n0(bulk.indexed.conversationsPerSecond)} waiting conversations/s`],
    [`Bulk plan, naive full scan: first ${n0(bulk.naiveOnSample.waiting)} waiting (sample)`, `${n0(bulk.naiveOnSample.decisions)} assignments in ${n1(bulk.naiveOnSample.medianMs)} ms → ${n0(bulk.naiveOnSample.decisionsPerSecond)} assignments/s on the sample`],
    ['Bulk plan, indexed on the same sample', `${n0(bulk.indexedOnSample.decisions)} assignments in ${n1(bulk.indexedOnSample.medianMs)} ms → ${n0(bulk.indexedOnSample.decisionsPerSecond)} assignments/s; identical decisions to the naive run: ${bulk.sameDecisionsOnSample ? 'yes' : '**NO**'}`],
    ['Bulk plan, naive projected to all waiting', `≈ ${n1(bulk.naiveProjectedMs / 1_000)} s (${n2(bulk.naiveOnSample.medianMs / bulk.naiveOnSample.waiting)} ms per waiting conversation × ${n0(world.waiting)}) → ≈ ${n0(bulk.naiveProjectedDecisionsPerSecond)} assignments/s`],
    ['Ratio bulk: indexed ÷ naive (same sample)', `${n1(bulk.naiveOnSample.medianMs / bulk.indexedOnSample.medianMs)}×`],
    ['Ratio bulk: indexed ÷ naive (full run, naive projected)', `${n1(bulk.naiveProjectedMs / bulk.indexed.medianMs)}×`],
    ['One arrival at a time, indexed: all arrivals', `${n0(arr.indexed.arrivals)} route() calls (${n0(arr.indexed.assigned)} assigned) in ${n1(arr.indexed.routingMs)} ms → **${n0(arr.indexed.decisionsPerSecond)} decisions/s**; session set-up ${n1(arr.indexed.setupMs)} ms`],
    ['  latency p50 / p99 / p99.9 / max, all', lat(arr.indexed.allUs)],
    ['  … arrivals that got an agent', lat(arr.indexed.assignedUs)],
    ['  … arrivals left waiting (no agent with room)', lat(arr.indexed.leftWaitingUs)],
    [`One arrival at a time, naive: first ${n0(arr.naiveSample.arrivals)} arrivals (sample)`, `${n0(arr.naiveSample.assigned)} assigned in ${n1(arr.naiveSample.routingMs)} ms → ${n0(arr.naiveSample.decisionsPerSecond)} decisions/s; identical decisions to the indexed session's first ${n0(arr.naiveSample.arrivals)}: ${arr.sameDecisionsOnSample ? 'yes' : '**NO**'}`],
    ['  latency p50 / p99 / p99.9 / max', lat(arr.naiveSample.allUs)],
    [`  indexed on the same first ${n0(arr.indexed.headCount)} arrivals`, lat(arr.indexed.headUs)],
    [`Ratio per decision: naive mean ÷ indexed mean (same first ${n0(arr.indexed.headCount)} arrivals)`, `${n1(arr.naiveSample.allUs.mean / arr.indexed.headUs.mean)}×`],
    ['Ratio p99: naive ÷ indexed (same arrivals)', `${n1(arr.naiveSample.allUs.p99 / arr.indexed.headUs.p99)}×`],
    ['Target: ≥ 50,000 decisions/s (bulk assignments/s)', `${n0(bulk.indexed.decisionsPerSecond)} ${verdict(bulk.indexed.decisionsPerSecond >= 50_000)}`],
    ['Target: ≥ 50,000 decisions/s (one arrival at a time)', `${n0(arr.indexed.decisionsPerSecond)} ${verdict(arr.indexed.decisionsPerSecond >= 50_000)}`],
    [
      'Target: p99 per decision ≤ 1 ms (worst of: all arrivals, those assigned, the first ones)',
      `${n1(arr.indexed.allUs.p99)} / ${n1(arr.indexed.assignedUs.p99)} / ${n1(arr.indexed.headUs.p99)} µs ${verdict(
        Math.max(arr.indexed.allUs.p99, arr.indexed.assignedUs.p99, arr.indexed.headUs.p99) <= 1_000,
      )}`,
    ],
  ];
  return [
    '# Router core benchmark',
    '',
    `Run ${r.startedAt}, ${n1(r.durationSeconds)} s, ${r.machine.cpus} cores (${r.machine.cpuModel}; load average at start ${r.machine.loadAverageAtStart.join(' / ')} — a shared machine: compare the ratios, measured in the same run, rather than absolute rates), Node ${r.machine.node}. Raw figures: \`bench/reports/${jsonName}\`.`,
    '',
    `Command: \`${r.command}\`. Pure functions only (\`hub/src/router/core\`): no database, no I/O, one process, one thread.`,
    '',
    '| Measure | Value |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '## Notes',
    '',
    '- **Decision.** In the bulk plan a decision is an assignment (conversation → agent); conversations left waiting are counted separately. One arrival at a time, every `route()` call is a decision — assign, or keep it waiting — and the latencies are split by outcome.',
    '- **Bulk plan** times `planAssignments(snapshot)` end to end: ordering 100,000 conversations by priority and wait, building the skill index and the per-queue pools, and deciding. Capacity (4 text slots × available agents) runs out long before the queue does, so most conversations end waiting — as at a shift start with a backlog.',
    '- **One arrival at a time** routes conversations in arrival order against the loads left by earlier decisions, in one session (`createRoutingSession`), timing each `route()` call with `process.hrtime`. The session is built once (its set-up time is reported apart); the first decision for each (queue, relaxation step) builds that pool, which is what the max, the p99.9 and the p99 of the first arrivals show. A use case that rebuilt the session from a fresh snapshot for every decision would pay the set-up each time.',
    '- **Naive** is `planAssignmentsNaive` / `createNaiveRoutingSession`: the same rules, scanning all agents per decision. It runs on a sample (the first conversations of the generated list, which is in random order) to keep the run short; its cost per conversation does not depend on how many are waiting (always one pass over all agents), so the full-run figure is projected linearly from the sample — an estimate, labelled as such.',
    '- Both planners are checked to make identical decisions on the part both ran; the property tests in `hub/src/router/core` check that on random worlds.',
    '',
  ].join('\n');
}

export function writeReport(report: RouterCoreReport): { markdown: string; json: string } {
  const dir = new URL('../../reports/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const jsonName = `router-core-${report.startedAt.slice(0, 10)}.json`;
  const json = new URL(jsonName, dir);
  const markdown = new URL('router-core-latest.md', dir);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(report, jsonName));
  return { markdown: markdown.pathname, json: json.pathname };
}
