import type { Logger } from '../observability/logger.js';

/**
 * Runs `work` every `intervalMs` (and once `firstAfterMs` after start, so a process started late
 * does not wait a whole interval), never two runs at once; `stop()` waits for a run in progress.
 * For scheduled housekeeping that any number of processes may run (the work itself is idempotent
 * or takes its own locks). A failed run is logged and retried at the next interval.
 */
export class PeriodicJob {
  private timer: NodeJS.Timeout | null = null;
  private first: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly name: string,
    private readonly work: () => Promise<void>,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly intervalMs: number,
    private readonly firstAfterMs = 5_000,
  ) {}

  start(): this {
    const run = (): void => {
      if (this.busy) return;
      this.busy = true;
      this.running = this.work()
        .catch((error: unknown) => this.logger.warn({ err: error, job: this.name }, `${this.name} failed; retried at the next interval`))
        .finally(() => {
          this.busy = false;
        });
    };
    this.timer = setInterval(run, this.intervalMs);
    this.timer.unref();
    this.first = setTimeout(run, this.firstAfterMs);
    this.first.unref();
    return this;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.first) clearTimeout(this.first);
    this.timer = null;
    this.first = null;
    await this.running;
  }
}
