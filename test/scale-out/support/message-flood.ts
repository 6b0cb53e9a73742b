import { messageBody, signedHeaders } from '../../support/webhook.js';

/**
 * Citizens' messages at a fixed rate through signed API-channel webhooks, acting like a provider:
 * a message counts as acknowledged once a webhook for it got a 2xx; any other answer (5xx, a
 * connection reset by a killed hub, a timeout) is retried with the same provider id, after
 * `retryMs` doubling up to 8 s (providers back off: retrying at once only deepens an overload),
 * until acknowledged or `settle()`'s deadline passes. The citizens come from
 * a bounded set of phones, so most messages join an open conversation (a burst of new
 * conversations would measure the router, not delivery). Requests in flight are capped: when the
 * machine cannot keep the rate, what was not sent is counted (`behind`), not queued without end.
 */

export interface FloodChannel {
  channelId: string;
  secret: string;
}

export interface FloodStats {
  /** Distinct messages started. */
  messages: number;
  /** Webhook requests, retries included. */
  requests: number;
  retries: number;
  /** HTTP status (0 = no answer) → count, over every request. */
  statuses: Record<string, number>;
  /** Sends skipped because `maxInFlight` requests were already open. */
  behind: number;
  /** ms from start() to stopSending(). */
  sendingMs: number;
}

interface Pending {
  id: string;
  body: string;
  channel: FloodChannel;
  attempts: number;
}

export class MessageFlood {
  readonly stats: FloodStats = { messages: 0, requests: 0, retries: 0, statuses: {}, behind: 0, sendingMs: 0 };
  /** Provider ids acknowledged with a 2xx. */
  readonly acked = new Set<string>();
  /** Provider ids started and not (yet) acknowledged. */
  readonly unacked = new Map<string, Pending>();
  /** Per second since start: messages acknowledged (first 2xx) in that second. */
  readonly ackedPerSecond: number[] = [];
  private inFlight = 0;
  private sending = false;
  private retrying = true;
  private startedAt = 0;
  private loop: Promise<void> | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<Promise<void>>();

  constructor(
    private readonly url: () => string,
    private readonly channels: readonly FloodChannel[],
    private readonly options: { ratePerSecond: number; phones?: number; idPrefix?: string; maxInFlight?: number; retryMs?: number; timeoutMs?: number },
  ) {}

  start(): void {
    this.sending = true;
    this.startedAt = Date.now();
    this.loop = this.run();
  }

  /** Stops new messages; retries of unacknowledged ones go on. */
  async stopSending(): Promise<void> {
    this.sending = false;
    this.stats.sendingMs = Date.now() - this.startedAt;
    await this.loop;
  }

  /** Waits until every message is acknowledged or `deadline`; then stops retrying. */
  async settle(deadline: number): Promise<void> {
    while (this.unacked.size > 0 && Date.now() < deadline) await sleep(200);
    this.retrying = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    while (this.requests.size > 0) await Promise.allSettled([...this.requests]);
  }

  /** Messages started a second (retries not counted). */
  achievedRate(): number {
    return this.stats.sendingMs > 0 ? (this.stats.messages * 1000) / this.stats.sendingMs : 0;
  }

  private async run(): Promise<void> {
    const slotMs = 20;
    let due = 0;
    while (this.sending) {
      const started = Date.now();
      // Owed from the clock, not per tick: a lagging event loop sends a burst, not fewer messages.
      const owed = Math.floor((this.options.ratePerSecond * (started - this.startedAt)) / 1000) - due;
      const max = this.options.maxInFlight ?? 600;
      for (let i = 0; i < owed; i += 1) {
        due += 1;
        if (this.inFlight >= max) {
          this.stats.behind += 1;
          continue;
        }
        this.send(this.next());
      }
      await sleep(Math.max(1, slotMs - (Date.now() - started)));
    }
  }

  private next(): Pending {
    const n = this.stats.messages;
    this.stats.messages += 1;
    const phones = this.options.phones ?? 300;
    const id = `${this.options.idPrefix ?? 'flood'}-${n}`;
    const phone = `55 4${String(n % phones).padStart(7, '0')}`;
    const channel = this.channels[n % this.channels.length] as FloodChannel;
    const body = messageBody({ id, phone, name: `Ciudadana ${phone.slice(-4)}`, text: `Mensaje ${n}: ¿cómo va mi trámite?` });
    const pending = { id, body, channel, attempts: 0 };
    this.unacked.set(id, pending);
    return pending;
  }

  private send(p: Pending): void {
    p.attempts += 1;
    this.inFlight += 1;
    this.stats.requests += 1;
    const request = fetch(`${this.url()}/webhooks/api/${p.channel.channelId}`, {
      method: 'POST',
      headers: signedHeaders(p.channel.secret, p.body),
      body: p.body,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    })
      .then(async (res) => {
        await res.arrayBuffer();
        return res.status;
      })
      .catch(() => 0)
      .then((status) => {
        this.inFlight -= 1;
        this.stats.statuses[String(status)] = (this.stats.statuses[String(status)] ?? 0) + 1;
        if (status >= 200 && status < 300) {
          if (!this.acked.has(p.id)) {
            const second = Math.floor((Date.now() - this.startedAt) / 1000);
            this.ackedPerSecond[second] = (this.ackedPerSecond[second] ?? 0) + 1;
          }
          this.acked.add(p.id);
          this.unacked.delete(p.id);
          return;
        }
        if (!this.retrying) return;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!this.retrying) return;
          this.stats.retries += 1;
          this.send(p);
        }, Math.min(8000, (this.options.retryMs ?? 500) * 2 ** Math.min(4, p.attempts - 1)));
        this.timers.add(timer);
      });
    this.requests.add(request);
    void request.finally(() => this.requests.delete(request));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
