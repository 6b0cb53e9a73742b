import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdown, textTable, type IngestReport } from './ingest-report.js';
import type { Options } from './options.js';

const REPORTS_DIR = fileURLToPath(new URL('../../reports/', import.meta.url));

/** Prints the table; unless --no-report, writes bench/reports/ingest-<day>[-quick].json and ingest-latest[-quick].md. */
export function publishReport(report: IngestReport, options: Options, startedAt: Date): void {
  process.stdout.write(`\n${textTable(report)}\n`);
  if (!options.report) return;
  mkdirSync(REPORTS_DIR, { recursive: true });
  const day = startedAt.toISOString().slice(0, 10);
  const suffix = options.quick ? '-quick' : '';
  const jsonName = `ingest-${day}${suffix}.json`;
  writeFileSync(join(REPORTS_DIR, jsonName), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(REPORTS_DIR, `ingest-latest${suffix}.md`), markdown(report, `bench/reports/${jsonName}`));
  process.stdout.write(`\nReports: bench/reports/${jsonName}, bench/reports/ingest-latest${suffix}.md\n`);
}

/** Keeps the work directory only when it holds something to look at: CPU profiles or child warnings. */
export function finishWorkDir(input: { profileDir: string | undefined; logFile: string; workDir: string }): void {
  if (input.profileDir) process.stdout.write(`CPU profiles: ${input.profileDir} (summarise: node --import tsx bench/src/cpu-profile-summary.ts <dir>/<child>/CPU.*.0.001.cpuprofile)\n`);
  else if (childLogEmpty(input.logFile)) rmSync(input.workDir, { recursive: true, force: true });
  else process.stdout.write(`Hub child logs (warnings/errors): ${input.logFile}\n`);
}

function childLogEmpty(file: string): boolean {
  try {
    return statSync(file).size === 0;
  } catch {
    return true;
  }
}
