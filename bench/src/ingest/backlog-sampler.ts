import type { Redis } from 'ioredis';

/** Peak depth of the inbound queue (waiting + active jobs), sampled from Redis. */
export class BacklogSampler {
  peak = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}
  async depth(): Promise<number> {
    const base = `${this.prefix}:bull:inbound`;
    const [wait, active, prioritized, delayed] = await Promise.all([
      this.redis.llen(`${base}:wait`),
      this.redis.llen(`${base}:active`),
      this.redis.zcard(`${base}:prioritized`),
      this.redis.zcard(`${base}:delayed`),
    ]);
    return wait + active + prioritized + delayed;
  }
  start(): void {
    this.peak = 0;
    this.timer = setInterval(() => {
      this.depth()
        .then((d) => {
          this.peak = Math.max(this.peak, d);
        })
        .catch(() => undefined);
    }, 250);
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
  async waitEmpty(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if ((await this.depth()) === 0) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }
}
