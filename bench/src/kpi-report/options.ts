import type { KpiReportSettings } from './run-kpi-report.js';

export interface KpiReportOptions {
  settings: KpiReportSettings;
  report: boolean;
}

const USAGE = `npm run bench:kpi-report [-- --rows N] [--agents N] [--repeats N] [--quick] [--no-report]`;

function positive(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer\n${USAGE}`);
  return n;
}

export function parseKpiReportOptions(argv: readonly string[]): KpiReportOptions {
  const settings = { rows: 1_000_000, agents: 300, queues: 8, repeats: 3 };
  let report = true;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--rows') settings.rows = positive(arg, argv[++i]);
    else if (arg === '--agents') settings.agents = positive(arg, argv[++i]);
    else if (arg === '--repeats') settings.repeats = positive(arg, argv[++i]);
    else if (arg === '--quick') settings.rows = 50_000;
    else if (arg === '--no-report') report = false;
    else if (arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return { settings, report };
}
