/**
 * Promises keyed by a string, settled by events that carry the key (a message text unique to
 * one sample). Registered before the action that causes the event, so nothing can arrive early;
 * events nobody waits for (queue notices, echoes) are ignored. A wait never rejects: it resolves
 * with NaN when it times out or is cancelled, so an abandoned one cannot become an unhandled
 * rejection. `cancelAll()` ends a run: every wait still open resolves NaN at once (instead of
 * its timer holding the process open), and later waits resolve NaN immediately.
 */
export class Waiters {
  private readonly pending = new Map<string, { resolve(at: number): void; timer: NodeJS.Timeout }>();
  private closed = false;

  /** `performance.now()` at the event's arrival, or NaN after `timeoutMs`. */
  wait(key: string, timeoutMs: number): Promise<number> {
    if (this.closed) return Promise.resolve(NaN);
    return new Promise<number>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        resolve(NaN);
      }, timeoutMs);
      this.pending.set(key, { resolve, timer });
    });
  }

  settle(key: string, at: number): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    clearTimeout(p.timer);
    p.resolve(at);
  }

  cancel(key: string): void {
    this.settle(key, NaN);
  }

  cancelAll(): void {
    this.closed = true;
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }
}
