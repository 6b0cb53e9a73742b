/**
 * Promises keyed by a string, settled by events that carry the key (a message text unique to
 * one sample). Registered before the action that causes the event, so nothing can arrive early;
 * events nobody waits for (queue notices, echoes) are ignored. A wait never rejects: it resolves
 * with NaN when it times out or is cancelled, so an abandoned one cannot become an unhandled
 * rejection.
 */
export class Waiters {
  private readonly pending = new Map<string, { resolve(at: number): void; timer: NodeJS.Timeout }>();

  /** `performance.now()` at the event's arrival, or NaN after `timeoutMs`. */
  wait(key: string, timeoutMs: number): Promise<number> {
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
}
