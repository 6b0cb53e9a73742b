/**
 * Citizens waiting for their answers, keyed by the reply's marker: like widget/waiters.ts (a
 * wait resolves with the bench time of the answer, NaN on timeout, never rejects) plus
 * `cancelAll()`, so the end of a run releases every citizen still waiting at once instead of
 * leaving their patience timers to hold the process open.
 */
export class ReplyWaiters {
  private readonly pending = new Map<string, { resolve(at: number): void; timer: NodeJS.Timeout }>();
  private closed = false;

  wait(key: string, timeoutMs: number): Promise<number> {
    // After the end of the run nobody answers: a citizen who writes again gives up at once.
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
