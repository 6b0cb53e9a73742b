import { emailChannelSettingsSchema } from '@ventanilla/connectors';
import type { Kysely } from 'kysely';
import { createTransport, type Transporter } from 'nodemailer';
import type { Database } from '../db/schema.js';

/** What a mass mail is sent with: the channel's no-reply From and a pooled SMTP transport. */
export interface MassMailSender {
  channelId: string;
  fromAddress: string;
  fromName: string | null;
  /** Right-hand side of our Message-IDs (the bounce reader matches `<mm.<recipientId>@domain>`). */
  messageIdDomain: string;
  transport: Transporter;
}

interface Entry {
  at: number;
  fingerprint: string;
  sender: MassMailSender | null;
}

/**
 * One pooled SMTP transport per e-mail channel and process (nodemailer `pool: true`): a handful of
 * long-lived connections, each carrying many messages, instead of a TCP + TLS + AUTH handshake per
 * mail. The channel row is re-read every few seconds so a changed host or password takes effect
 * (the old pool is closed) and a disabled channel stops sending.
 */
export class SenderPool {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<MassMailSender | null>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxConnections: number,
    private readonly ttlMs = 5000,
  ) {}

  /** The channel's sender, or null when it is not an enabled, well-configured e-mail channel. */
  async senderFor(channelId: string): Promise<MassMailSender | null> {
    const hit = this.entries.get(channelId);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.sender;
    // One load at a time per channel: lanes asking together must share one pool, not each build
    // their own (and close the others' under them).
    let loading = this.loading.get(channelId);
    if (!loading) {
      loading = this.load(channelId, hit).finally(() => this.loading.delete(channelId));
      this.loading.set(channelId, loading);
    }
    return loading;
  }

  private async load(channelId: string, hit: Entry | undefined): Promise<MassMailSender | null> {
    const row = await this.db.selectFrom('channels').select(['id', 'kind', 'enabled', 'settings', 'secrets']).where('id', '=', channelId).executeTakeFirst();
    const parsed = row && row.kind === 'email' && row.enabled ? emailChannelSettingsSchema.safeParse(row.settings) : null;
    if (!row || !parsed?.success) {
      this.replace(channelId, { at: Date.now(), fingerprint: '', sender: null });
      return null;
    }
    const settings = parsed.data;
    const password = typeof row.secrets['smtpPassword'] === 'string' ? row.secrets['smtpPassword'] : '';
    const fingerprint = JSON.stringify([settings.smtp, password]);
    if (hit?.sender && hit.fingerprint === fingerprint) {
      hit.at = Date.now();
      return hit.sender;
    }
    const { smtp } = settings;
    const transport = createTransport({
      pool: true,
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user ? { auth: { user: smtp.user, pass: password } } : {}),
      tls: { rejectUnauthorized: smtp.rejectUnauthorized },
      maxConnections: this.maxConnections,
      // Reconnecting costs a handshake (and AUTH) per connection: keep each one for many mails.
      maxMessages: 10_000,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      // A send holds a database row lock until the server answers: never wait 10 minutes (the default).
      socketTimeout: 60_000,
    });
    const at = settings.address.lastIndexOf('@');
    const sender: MassMailSender = {
      channelId,
      fromAddress: settings.address,
      fromName: settings.displayName ?? null,
      messageIdDomain: settings.messageIdDomain ?? settings.address.slice(at + 1).toLowerCase(),
      transport,
    };
    this.replace(channelId, { at: Date.now(), fingerprint, sender });
    return sender;
  }

  private replace(channelId: string, entry: Entry): void {
    const previous = this.entries.get(channelId);
    if (previous?.sender && previous.sender !== entry.sender) previous.sender.transport.close();
    this.entries.set(channelId, entry);
  }

  close(): void {
    for (const entry of this.entries.values()) entry.sender?.transport.close();
    this.entries.clear();
  }
}
