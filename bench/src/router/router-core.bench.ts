/**
 * Router-core benchmark (issue 3, SPEC §8): the pure router on 10,000 agents × 4 text slots,
 * 200 skills, 100,000 waiting conversations — indexed planner and naive full scan in the same run.
 *
 *   npm run bench:router                              ≈ 30–60 s
 *   npm run bench:router -- --naive-sample 2000 --repeats 3 --seed 7
 *
 * Writes bench/reports/router-core-latest.md and bench/reports/router-core-<date>.json.
 */
import {
  createNaiveRoutingSession,
  createRoutingSession,
  meetsSkills,
  planAssignments,
  planAssignmentsNaive,
} from '../../../hub/src/router/core/router-core.js';
import { measureArrivals, measureBulk, sameDecisions } from './router-core-phases.js';
import { machineInfo, writeReport, type RouterCoreReport } from './router-core-report.js';
import { arrivals, FULL_WORLD, generateWorld, type WorldSettings } from './router-world.js';

interface Options {
  naiveSample: number;
  repeats: number;
  seed: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { naiveSample: 5_000, repeats: 5, seed: FULL_WORLD.seed };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${argv[i]} needs a positive integer`);
    if (argv[i] === '--naive-sample') options.naiveSample = value;
    else if (argv[i] === '--repeats') options.repeats = value;
    else if (argv[i] === '--seed') options.seed = value;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return options;
}

function describeWorld(settings: WorldSettings, world: ReturnType<typeof generateWorld>): RouterCoreReport['world'] {
  const available = world.agents.filter((agent) => agent.state === 'available');
  const staffedQueues = [...world.queues.values()].filter((queue) =>
    available.some((agent) => meetsSkills(agent.skills, queue.requiredSkills, 0)),
  ).length;
  return { ...settings, availableAgents: available.length, freeTextSlots: available.length * 4, staffedQueues };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = new Date();
  const machine = machineInfo();
  const settings: WorldSettings = { ...FULL_WORLD, seed: options.seed };
  const world = generateWorld(settings);
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  log(`world: ${settings.agents} agents, ${settings.skills} skills, ${settings.queues} queues, ${settings.waiting} waiting`);

  // Warm the JIT on a smaller world so the first measured run is not the compile.
  planAssignments(generateWorld({ ...settings, seed: settings.seed + 1, waiting: 20_000 }));

  const indexed = measureBulk(world, planAssignments, options.repeats);
  log(`bulk indexed: ${indexed.decisions} assignments, median ${indexed.medianMs.toFixed(1)} ms`);
  const sample = { ...world, waiting: world.waiting.slice(0, options.naiveSample) };
  const indexedOnSample = measureBulk(sample, planAssignments, options.repeats);
  const naiveOnSample = measureBulk(sample, planAssignmentsNaive, 1);
  log(`bulk naive on ${sample.waiting.length}: ${naiveOnSample.medianMs.toFixed(1)} ms`);
  const naiveProjectedMs = (naiveOnSample.medianMs / sample.waiting.length) * world.waiting.length;

  const inArrivalOrder = arrivals(world);
  const indexedArrivals = measureArrivals(world, createRoutingSession, inArrivalOrder, options.naiveSample);
  log(`arrivals indexed: p99 ${indexedArrivals.allUs.p99.toFixed(1)} µs`);
  const naiveArrivals = measureArrivals(world, createNaiveRoutingSession, inArrivalOrder.slice(0, options.naiveSample), options.naiveSample);
  log(`arrivals naive on ${naiveArrivals.arrivals}: p99 ${naiveArrivals.allUs.p99.toFixed(1)} µs`);

  const { plan: _indexedPlan, ...indexedBulk } = indexed;
  const { plan: indexedSamplePlan, ...indexedSampleBulk } = indexedOnSample;
  const { plan: naiveSamplePlan, ...naiveSampleBulk } = naiveOnSample;
  const { decisions: indexedDecisions, ...indexedArrivalResult } = indexedArrivals;
  const { decisions: naiveDecisions, ...naiveArrivalResult } = naiveArrivals;
  const report: RouterCoreReport = {
    benchmark: 'router-core',
    startedAt: started.toISOString(),
    durationSeconds: (Date.now() - started.getTime()) / 1_000,
    machine,
    command: ['npm run bench:router', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    world: describeWorld(settings, world),
    bulk: {
      indexed: indexedBulk,
      indexedOnSample: indexedSampleBulk,
      naiveOnSample: naiveSampleBulk,
      naiveProjectedMs,
      naiveProjectedDecisionsPerSecond: indexed.decisions / (naiveProjectedMs / 1_000),
      sameDecisionsOnSample: sameDecisions(indexedSamplePlan.decisions, naiveSamplePlan.decisions),
    },
    arrivals: {
      indexed: indexedArrivalResult,
      naiveSample: naiveArrivalResult,
      sameDecisionsOnSample: sameDecisions(indexedDecisions.slice(0, naiveDecisions.length), naiveDecisions),
    },
  };
  const written = writeReport(report);
  log(`report: ${written.markdown}\n        ${written.json}`);
  if (!report.bulk.sameDecisionsOnSample || !report.arrivals.sameDecisionsOnSample) {
    throw new Error('the indexed and naive planners disagreed — see the report');
  }
}

await main();
