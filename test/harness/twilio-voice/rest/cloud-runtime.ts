import twilio from 'twilio';
import type { CloudWebhook } from './cloud-types.js';

/**
 * What `settle()` waits for: every piece of work the cloud started that is not waiting on the
 * outside world (a key press, a REST request, a hang-up). A wait leaves the count and re-enters
 * it synchronously when it is released, so no continuation slips between the checks.
 */
export class Activity {
  private busy = 0;
  private readonly watchers = new Set<() => void>();
  readonly errors: string[] = [];

  enter(): void {
    this.busy += 1;
  }

  leave(): void {
    this.busy -= 1;
    if (this.busy === 0) for (const watcher of [...this.watchers]) watcher();
  }

  get count(): number {
    return this.busy;
  }

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.enter();
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  /** Fire and forget, counted; a failure is kept in `errors` (and fails no test by itself). */
  spawn(what: string, work: () => Promise<void>): void {
    void this.track(work).catch((error: unknown) => {
      this.errors.push(`${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
  }

  /** Resolves when nothing is busy across two macrotasks; rejects after `timeoutMs`. */
  async idle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.busy === 0) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        if (this.busy === 0) {
          await new Promise((resolve) => setTimeout(resolve, 2));
          if (this.busy === 0) return;
        }
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`TwilioVoiceCloud.settle(): still busy after ${timeoutMs} ms (${this.busy} running)`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.watchers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, 50));
        this.watchers.add(done);
      });
    }
  }
}

/** A one-shot outcome: the first `resolve` wins; listeners run synchronously with it. */
export class Signal<T> {
  private done = false;
  private settle: (value: T) => void = () => undefined;
  private readonly listeners: Array<() => void> = [];
  readonly promise: Promise<T>;

  constructor() {
    this.promise = new Promise<T>((resolve) => {
      this.settle = resolve;
    });
  }

  get settled(): boolean {
    return this.done;
  }

  resolve(value: T): boolean {
    if (this.done) return false;
    this.done = true;
    for (const listener of this.listeners) listener();
    this.settle(value);
    return true;
  }

  onResolve(listener: () => void): void {
    if (this.done) listener();
    else this.listeners.push(listener);
  }
}

/** Waits on the outside world without counting as busy; bounded by `timeoutMs` (then `onTimeout`). */
export async function externalWait<T>(activity: Activity, signal: Signal<T>, timeoutMs: number, onTimeout: T): Promise<T> {
  let away = true;
  activity.leave();
  const back = () => {
    if (away) {
      away = false;
      activity.enter();
    }
  };
  signal.onResolve(back);
  const timer = setTimeout(() => signal.resolve(onTimeout), timeoutMs);
  try {
    return await signal.promise;
  } finally {
    clearTimeout(timer);
    back();
  }
}

const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Posts webhooks as Twilio does: form-encoded POST (or GET with the parameters in the query),
 * `X-Twilio-Signature` from the SDK's own `getExpectedTwilioSignature` with the account's auth
 * token over the full URL (and, for POST, the sorted parameters). Every exchange is logged;
 * a network failure is logged with status 0, never thrown.
 */
export class WebhookPoster {
  readonly log: CloudWebhook[] = [];
  private readonly stop = new AbortController();

  get closed(): boolean {
    return this.stop.signal.aborted;
  }

  /** No more webhooks; the ones in flight are aborted. */
  close(): void {
    this.stop.abort();
  }

  constructor(private readonly authToken: string) {}

  async post(kind: CloudWebhook['kind'], callSid: string, url: string, params: Record<string, string>, method: 'GET' | 'POST' = 'POST'): Promise<CloudWebhook> {
    const target = method === 'GET' ? withQuery(url, params) : url;
    const signature = twilio.getExpectedTwilioSignature(this.authToken, target, method === 'GET' ? {} : params);
    const exchange: CloudWebhook = { kind, callSid, url, method, params, status: 0, body: '' };
    if (this.closed) {
      exchange.error = 'cloud closed';
      return exchange;
    }
    try {
      const response = await fetch(target, {
        method,
        headers: {
          'x-twilio-signature': signature,
          'user-agent': 'TwilioProxy/1.1',
          ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } : {}),
        },
        ...(method === 'POST' ? { body: new URLSearchParams(params).toString() } : {}),
        signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]),
      });
      exchange.status = response.status;
      exchange.body = await response.text();
    } catch (error) {
      exchange.error = error instanceof Error ? error.message : String(error);
    }
    this.log.push(exchange);
    return exchange;
  }
}

function withQuery(url: string, params: Record<string, string>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) target.searchParams.append(key, value);
  return target.toString();
}
