/**
 * Mass e-mail rate (issue 5 item 11, seed-digest §1.4 / §10: ≥ 60,000 e-mails a day): the hub's
 * dispatcher against a local SMTP server, with a raw nodemailer loop as the baseline in the same run.
 *
 *   npm run bench:mass-mail                       5,000 recipients, 5 SMTP connections (≈ 1 min)
 *   npm run bench:mass-mail -- --recipients 20000
 *   npm run bench:mass-mail -- --concurrency 10
 *   npm run bench:mass-mail -- --quick            1,000 recipients
 *   npm run bench:mass-mail -- --no-report        print only
 *
 * The SMTP server (smtp-server, accepts everything) runs in a child process; the dispatcher runs
 * in this process on a hub context of its own schema and Redis prefix (TEST_DATABASE_URL,
 * TEST_REDIS_URL), dropped at the end. Writes bench/reports/mass-mail-latest.md.
 */
import { runBench } from './bench-main.js';
import { parseMassMailOptions } from './mass-mail/options.js';
import { summaryLines, writeMassMailReport } from './mass-mail/report.js';
import { runMassMailBench } from './mass-mail/run-mass-mail.js';
import { runConfig, runEnvironment } from './router-db/run-env.js';

async function main(): Promise<void> {
  const options = parseMassMailOptions(process.argv.slice(2));
  await runBench({
    name: 'mass-mail',
    budgetMs: 15 * 60_000,
    // This bench never cleaned up on SIGINT/SIGTERM (an interrupted run leaves its schema behind);
    // kept so that moving it onto the shared scaffolding changes no behaviour.
    cleanupOnSignal: false,
    async run({ log, dropAtEnd, attempt }) {
      const config = dropAtEnd(runConfig(runEnvironment('massmail', { LOG_LEVEL: 'warn', DATABASE_POOL_SIZE: String(options.settings.concurrency + 5) })));
      return attempt(null, () => runMassMailBench({ settings: options.settings, config, log }));
    },
    conclude: (report) => ({
      writeReport: options.report ? () => writeMassMailReport(report) : null,
      summary: summaryLines(report),
      broken: !report.result || report.result.hub.duplicates !== 0 || report.result.hub.notSent !== 0,
    }),
  });
}

await main();
