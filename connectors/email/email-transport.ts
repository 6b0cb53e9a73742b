import { createHash } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { EmailChannelSettings } from './email-channel.schema.js';

export type SmtpTransport = Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

const MAX_TRANSPORTS = 32;
const transports = new Map<string, SmtpTransport>();

/**
 * One pooled SMTP transport per distinct server + credentials, reused across sends (a fresh
 * TCP + TLS + AUTH handshake per message would cap mass mailing far below issue 5's 60,000 a
 * day). The key is a hash, so passwords are not kept as map keys; least recently used pools
 * beyond 32 are closed.
 */
export function smtpTransportFor(smtp: EmailChannelSettings['smtp'], password: string | undefined): SmtpTransport {
  const key = createHash('sha256').update(JSON.stringify([smtp.host, smtp.port, smtp.secure, smtp.rejectUnauthorized, smtp.user ?? null, password ?? null])).digest('hex');
  const cached = transports.get(key);
  if (cached) {
    transports.delete(key);
    transports.set(key, cached);
    return cached;
  }
  const transport = createTransport({
    pool: true,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: password ?? '' } } : {}),
    tls: { rejectUnauthorized: smtp.rejectUnauthorized },
    maxConnections: 5,
    maxMessages: 100,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
  transports.set(key, transport);
  for (const [oldKey, old] of transports) {
    if (transports.size <= MAX_TRANSPORTS) break;
    transports.delete(oldKey);
    old.close();
  }
  return transport;
}

/** Closes every pooled connection (process shutdown, tests). */
export function closeSmtpTransports(): void {
  for (const transport of transports.values()) transport.close();
  transports.clear();
}
