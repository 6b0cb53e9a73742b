import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One fault as it happened: when (seconds into the load), what, and how long until it was back. */
export interface FaultRecord {
  atSeconds: number;
  fault: string;
  recoveredAfterMs: number;
}

export interface FaultCheck {
  check: string;
  expected: string;
  found: string;
  ok: boolean;
}

/**
 * bench/reports/fault-injection-latest.md (issue 12 part 2): what was injected at which second,
 * what was checked afterwards, and the counts — written by test/fault-injection on every run.
 */
export function writeFaultReport(file: string, input: { target: string; achieved: string; faults: FaultRecord[]; checks: FaultCheck[]; summary: Record<string, unknown> }): void {
  const lines = [
    '# Fault injection under load (3 API + 2 worker processes behind the load balancer)',
    '',
    `Run: ${new Date().toISOString()}; command: \`npx vitest run --config vitest.stress.config.ts test/fault-injection\` (writes this file).`,
    'Private PostgreSQL and Redis (loopback, own ports and data directories); Redis with the append-only file as documented',
    'for production (README, «Despliegue en producción / Production deployment»).',
    '',
    `Load asked: ${input.target}. Achieved: ${input.achieved}.`,
    '',
    '## Faults injected',
    '',
    '| Second | Fault | Back after |',
    '|---:|---|---:|',
    ...input.faults.map((f) => `| ${f.atSeconds.toFixed(1)} | ${f.fault} | ${(f.recoveredAfterMs / 1000).toFixed(1)} s |`),
    '',
    '## Checked after recovery and drain',
    '',
    '| Check | Expected | Found | |',
    '|---|---|---|---|',
    ...input.checks.map((c) => `| ${c.check} | ${c.expected} | ${c.found} | ${c.ok ? 'ok' : '**FAILED**'} |`),
    '',
    '## Counts',
    '',
    '```json',
    JSON.stringify(input.summary, null, 2),
    '```',
    '',
  ];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, lines.join('\n'));
}
