/**
 * The signed JSON API of README.md over `fetch`. Every request carries `x-ventanilla-timestamp`
 * (Unix seconds) and `x-ventanilla-signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." +
 * method + " " + path + "." + body)>` — the method and path are signed too, so a captured body cannot
 * be replayed against another booking — and an `idempotency-key`. Nothing here writes to our database:
 * the callers decide what a failure means (roll back, retry later).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { HubError } from '../../errors/error-registry.js';
import { remoteBookingSchema, type ExternalBooking, type ProviderHealth, type RemoteBooking, type RemoteStatus, type SchedulingProvider } from './scheduling-provider.js';

export const SIGNATURE_HEADER = 'x-ventanilla-signature';
export const TIMESTAMP_HEADER = 'x-ventanilla-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export interface RestProviderSettings {
  readonly baseUrl: string;
  readonly secret: string;
  readonly timeoutMs: number;
}

/** The value of the signature header; the harness and the institution compute the same. */
export function signRequest(secret: string, timestamp: string, method: string, path: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${method} ${path}.${body}`).digest('hex')}`;
}

const reservedSchema = z.object({ externalRef: z.string().min(1).max(200) });
const listSchema = z.object({ bookings: z.array(remoteBookingSchema) });

type Outcome = { readonly status: number; readonly json: unknown };

function unavailable(detail: string): HubError {
  return new HubError('HUB_ERR_APPOINTMENT_EXTERNAL_UNAVAILABLE', undefined, { reason: detail });
}

function rejected(status: number, detail: string): HubError {
  return new HubError('HUB_ERR_APPOINTMENT_EXTERNAL_REJECTED', undefined, { status, reason: detail });
}

export class RestSchedulingProvider implements SchedulingProvider {
  readonly kind = 'rest' as const;
  private readonly base: URL;

  constructor(
    private readonly settings: RestProviderSettings,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.base = new URL(settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`);
  }

  async reserve(booking: ExternalBooking): Promise<{ externalRef: string }> {
    const { status, json } = await this.call('POST', 'bookings', booking.appointmentId, booking);
    if (status === 409) {
      throw new HubError('HUB_ERR_APPOINTMENT_SLOT_TAKEN', undefined, { remote: true });
    }
    if (status !== 200 && status !== 201) throw this.unexpected(status);
    const parsed = reservedSchema.safeParse(json);
    if (!parsed.success) throw rejected(status, 'answer without externalRef');
    return parsed.data;
  }

  async release(externalRef: string, reason: string): Promise<void> {
    const { status } = await this.call('POST', `bookings/${encodeURIComponent(externalRef)}/cancel`, `${externalRef}:cancel`, { reason });
    // 404: the institution no longer has it, which is what a release wants.
    if (status !== 200 && status !== 204 && status !== 404) throw this.unexpected(status);
  }

  async setStatus(externalRef: string, to: Exclude<RemoteStatus, 'booked' | 'cancelled'>): Promise<void> {
    const { status } = await this.call('POST', `bookings/${encodeURIComponent(externalRef)}/status`, `${externalRef}:${to}`, { status: to });
    if (status !== 200 && status !== 204) throw this.unexpected(status);
  }

  async list(range: { from: Date; to: Date }): Promise<RemoteBooking[]> {
    const query = new URLSearchParams({ from: range.from.toISOString(), to: range.to.toISOString() });
    const { status, json } = await this.call('GET', `bookings?${query.toString()}`, null, null);
    if (status !== 200) throw this.unexpected(status);
    const parsed = listSchema.safeParse(json);
    if (!parsed.success) throw rejected(status, 'list answer not valid');
    return parsed.data.bookings;
  }

  async health(): Promise<ProviderHealth> {
    try {
      const { status } = await this.call('GET', 'health', null, null);
      return status === 200 ? { ok: true, detail: 'ok' } : { ok: false, detail: `HTTP ${status}` };
    } catch (error) {
      return { ok: false, detail: error instanceof HubError ? error.message : 'error' };
    }
  }

  private unexpected(status: number): HubError {
    // 5xx and 429: the institution is down or busy (retry helps); any other answer is a refusal of our request.
    return status >= 500 || status === 429 ? unavailable(`HTTP ${status}`) : rejected(status, `HTTP ${status}`);
  }

  private async call(method: 'GET' | 'POST', relative: string, idempotencyKey: string | null, payload: unknown): Promise<Outcome> {
    const url = new URL(relative, this.base);
    const body = payload === null ? '' : JSON.stringify(payload);
    const timestamp = String(Math.floor(this.clock().getTime() / 1000));
    const headers: Record<string, string> = {
      accept: 'application/json',
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signRequest(this.settings.secret, timestamp, method, `${url.pathname}${url.search}`, body),
    };
    if (payload !== null) headers['content-type'] = 'application/json';
    if (idempotencyKey !== null) headers[IDEMPOTENCY_HEADER] = idempotencyKey;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        ...(payload === null ? {} : { body }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw unavailable(timedOut ? `no answer within ${this.settings.timeoutMs} ms` : 'connection failed');
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw unavailable('answer interrupted');
    }
    let json: unknown = null;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    return { status: response.status, json };
  }
}
