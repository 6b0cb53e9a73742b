import type { Redis } from 'ioredis';
import { z } from 'zod';

export const WHATSAPP_WEB_STATES = ['starting', 'qr', 'ready', 'disconnected', 'auth_failure'] as const;
export type WhatsAppWebState = (typeof WHATSAPP_WEB_STATES)[number];

/** What the session's process publishes for the admin console (Redis is the boundary between processes). */
export const whatsappWebStatusSchema = z.object({
  state: z.enum(WHATSAPP_WEB_STATES),
  /** The paired phone number's digits, once `ready`. */
  phone: z.string().max(32).optional(),
  since: z.iso.datetime({ offset: true }),
  /** The library's own word for a disconnect or an authentication failure. */
  reason: z.string().max(300).optional(),
});
export type WhatsAppWebStatus = z.infer<typeof whatsappWebStatusSchema>;

/**
 * The session state and the latest pairing QR of each channel in Redis, so the status route
 * answers from any API process. Both keys expire: the state when its process stops renewing it
 * (a crashed worker must not show "ready" forever), the QR after WHATSAPP_WEB_QR_TTL_S (WhatsApp
 * rotates it about every 20 s, and a stale code cannot pair).
 */
export class WhatsAppWebStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly stateTtlMs: number,
    private readonly qrTtlS: number,
  ) {}

  private key(channelId: string, what: 'state' | 'qr' | 'logout'): string {
    return `${this.prefix}:whatsapp-web:${what}:${channelId}`;
  }

  async setState(channelId: string, state: WhatsAppWebState, extra: { phone?: string; reason?: string } = {}, now = new Date()): Promise<void> {
    const status: WhatsAppWebStatus = { state, since: now.toISOString(), ...extra };
    const multi = this.redis.multi().set(this.key(channelId, 'state'), JSON.stringify(status), 'PX', this.stateTtlMs);
    // A QR belongs to the 'qr' state only: once paired (or failed) it must not be shown again.
    if (state !== 'qr') multi.del(this.key(channelId, 'qr'));
    await multi.exec();
  }

  /** Keeps the state alive while the owning process runs (called with the lock renewal). */
  async touch(channelId: string): Promise<void> {
    await this.redis.pexpire(this.key(channelId, 'state'), this.stateTtlMs);
  }

  async setQr(channelId: string, qr: string, now = new Date()): Promise<void> {
    const status: WhatsAppWebStatus = { state: 'qr', since: now.toISOString() };
    await this.redis
      .multi()
      .set(this.key(channelId, 'qr'), qr, 'EX', this.qrTtlS)
      .set(this.key(channelId, 'state'), JSON.stringify(status), 'PX', this.stateTtlMs)
      .exec();
  }

  /** An admin asked to unlink the number: the process running the session picks it up (takeLogout). */
  async requestLogout(channelId: string): Promise<void> {
    await this.redis.set(this.key(channelId, 'logout'), '1', 'PX', this.stateTtlMs);
  }

  /** True once per request: the caller logs the client out. */
  async takeLogout(channelId: string): Promise<boolean> {
    return (await this.redis.getdel(this.key(channelId, 'logout'))) !== null;
  }

  /** Null when no process runs the session (never started, or its worker stopped). */
  async get(channelId: string): Promise<{ status: WhatsAppWebStatus; qr: string | null } | null> {
    const [state, qr] = await this.redis.mget(this.key(channelId, 'state'), this.key(channelId, 'qr'));
    if (!state) return null;
    let json: unknown;
    try {
      json = JSON.parse(state);
    } catch {
      return null;
    }
    const parsed = whatsappWebStatusSchema.safeParse(json);
    return parsed.success ? { status: parsed.data, qr: qr ?? null } : null;
  }
}
