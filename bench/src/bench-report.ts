import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MachineInfo } from './router-db/run-env.js';

/**
 * What every benchmark report holds besides its figures: when and how it ran, on what machine
 * (the load average at both ends: the machine is shared), its result and the errors of the run.
 */
export interface BenchReport<R> {
  startedAt: string;
  durationSeconds: number;
  command: string;
  machine: MachineInfo & { loadAverageAtEnd: number[] };
  result: R;
  errors: string[];
}

/** Writes a rendered report (creating bench/reports/ if need be) and returns its path. */
export function writeReportFile(file: string, markdown: string): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, markdown);
  return file;
}
