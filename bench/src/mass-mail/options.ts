import type { MassMailBenchSettings } from './run-mass-mail.js';

export interface MassMailOptions {
  settings: MassMailBenchSettings;
  report: boolean;
}

const USAGE = `npm run bench:mass-mail [-- --recipients N] [--concurrency C] [--quick] [--no-report]`;

function positive(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer\n${USAGE}`);
  return n;
}

export function parseMassMailOptions(argv: readonly string[]): MassMailOptions {
  const settings: MassMailBenchSettings = { recipients: 5000, concurrency: 5, ratePerMinute: 100_000 };
  let report = true;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--recipients') settings.recipients = positive(arg, argv[++i]);
    else if (arg === '--concurrency') settings.concurrency = positive(arg, argv[++i]);
    else if (arg === '--quick') settings.recipients = 1000;
    else if (arg === '--no-report') report = false;
    else if (arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return { settings, report };
}
