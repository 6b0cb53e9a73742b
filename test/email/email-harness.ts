import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { closeSmtpTransports } from '@ventanilla/connectors';
import { syncAgentSeats, type Database } from '@ventanilla/hub';
import { readMailboxOnce } from '../../hub/src/email/imap-reader.js';
import { startWorkers, type RunningWorkers } from '../../hub/src/workers/start-workers.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { appendMail, createEmailChannel, startDovecot, startSmtpCapture, type DovecotServer, type SmtpCapture } from '../support/mail-servers.js';
import { createTestHub, type TestHub } from '../support/test-context.js';

export interface EmailCampaign {
  campaignId: string;
  channelId: string;
  /** The channel's public address (what citizens write to). */
  address: string;
  mailbox: { user: string; password: string };
  folioPrefix: string;
}

export interface EmailHarness {
  hub: TestHub;
  db: Kysely<Database>;
  dovecot: DovecotServer;
  smtp: SmtpCapture;
  dataDir: string;
  workers: RunningWorkers | null;
  /** An agent of the first campaign, with an access token. */
  agent: { id: string; token: string };
  campaign: EmailCampaign;
  addCampaign(options?: { autoAck?: boolean; maxAttachmentBytes?: number; prefix?: string }): Promise<EmailCampaign>;
  /** Delivers a message into the campaign's mailbox (IMAP APPEND, as an MTA would). */
  deliver(raw: string | Buffer, to?: EmailCampaign): Promise<void>;
  /** One read of the mailbox by the hub (readMailboxOnce). */
  read(to?: EmailCampaign): ReturnType<typeof readMailboxOnce>;
  /** The stored message with this Message-ID, once ingest wrote it. */
  waitForMessage(messageId: string, timeoutMs?: number): Promise<StoredMail>;
  api(method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<{ status: number; body: unknown; raw: Buffer; headers: Record<string, unknown> }>;
  cleanup(): Promise<void>;
}

export interface StoredMail {
  id: string;
  conversationId: string;
  folio: string;
  text: string | null;
  contentType: string;
  attachments: { fileId?: string; filename?: string; mimeType?: string; size?: number }[];
  meta: Record<string, unknown> | null;
}

/** Polls until `check` holds. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A hub on a fresh schema with its files in a temporary DATA_DIR, a private Dovecot holding the
 * campaign's mailbox, and an SMTP server capturing what the hub sends. `workers`: ingest,
 * outbound and router workers (without the long-running IMAP readers unless `emailReaders`).
 */
export async function startEmailHarness(
  options: { workers?: boolean; emailReaders?: boolean; autoAck?: boolean; maxAttachmentBytes?: number; config?: Record<string, string> } = {},
): Promise<EmailHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ventanilla-email-'));
  const dovecot = await startDovecot();
  const smtp = await startSmtpCapture();
  const hub = await createTestHub({ DATA_DIR: dataDir, OUTBOUND_BACKOFF_MS: '20', ROUTER_SWEEP_INTERVAL_MS: '500', ...options.config });
  const db = hub.ctx.db.kysely;

  const addCampaign: EmailHarness['addCampaign'] = async (input = {}) => {
    const campaign = await createCampaign(db, input.prefix ? { prefix: input.prefix } : {});
    const suffix = randomBytes(3).toString('hex');
    const address = `atencion-${suffix}@ventanilla.test`;
    const mailbox = { user: address, password: `clave-${suffix}` };
    await dovecot.addUser(mailbox.user, mailbox.password);
    const channel = await createEmailChannel(db, campaign.id, {
      imap: { port: dovecot.port, user: mailbox.user, password: mailbox.password },
      smtp: { port: smtp.port },
      address,
      displayName: 'Atención Ciudadana',
      autoAck: { enabled: input.autoAck ?? options.autoAck ?? false },
      ...(input.maxAttachmentBytes ?? options.maxAttachmentBytes ? { maxAttachmentBytes: input.maxAttachmentBytes ?? options.maxAttachmentBytes } : {}),
    });
    return { campaignId: campaign.id, channelId: channel.id, address, mailbox, folioPrefix: campaign.folio_prefix };
  };

  const campaign = await addCampaign();
  const agentUser = await createUser(db, { roles: ['agent'], campaignIds: [campaign.campaignId], name: 'Laura Méndez' });
  // An agent seat, as an administrator's "add agent" creates: agents resolve conversations.
  await syncAgentSeats(db, [agentUser.id]);
  const agent = { id: agentUser.id, token: await tokenFor(db, agentUser.id) };
  const workers = options.workers === false ? null : startWorkers(hub.ctx, { emailReaders: options.emailReaders ?? false });

  return {
    hub,
    db,
    dovecot,
    smtp,
    dataDir,
    workers,
    agent,
    campaign,
    addCampaign,
    async deliver(raw, to = campaign) {
      try {
        await appendMail(dovecot, to.mailbox.user, to.mailbox.password, raw);
      } catch (error) {
        const log = await readFile(join(dovecot.dir, 'dovecot.log'), 'utf8').catch(() => '');
        const reason = error instanceof Error ? `${error.message} ${JSON.stringify(error)}` : String(error);
        throw new Error(`IMAP APPEND for ${to.mailbox.user} failed: ${reason}\n--- dovecot.log ---\n${log.slice(-2000)}`);
      }
    },
    read: (to = campaign) => readMailboxOnce(hub.ctx, to.channelId),
    async waitForMessage(messageId, timeoutMs = 10_000) {
      let found: StoredMail | undefined;
      await waitFor(
        async () => {
          const row = await db
            .selectFrom('messages')
            .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
            .select(['messages.id', 'messages.conversation_id', 'conversations.folio', 'messages.text', 'messages.content_type', 'messages.attachments', 'messages.meta'])
            .where('messages.provider_message_id', '=', messageId)
            .executeTakeFirst();
          if (row) {
            found = {
              id: row.id,
              conversationId: row.conversation_id,
              folio: row.folio,
              text: row.text,
              contentType: row.content_type,
              attachments: row.attachments,
              meta: row.meta,
            };
          }
          return found !== undefined;
        },
        `message ${messageId}`,
        timeoutMs,
      );
      return found!;
    },
    async api(method, path, body, token = agent.token) {
      const res = await hub.app.inject({
        method,
        url: `/api/v1${path}`,
        headers: { ...bearer(token), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      const type = String(res.headers['content-type'] ?? '');
      return { status: res.statusCode, body: type.includes('json') ? (res.json() as unknown) : res.body, raw: res.rawPayload, headers: res.headers };
    },
    async cleanup() {
      // Every server stops even when an earlier step fails (a failed test must not leave a Dovecot).
      try {
        await workers?.stop();
        await hub.cleanup();
      } finally {
        closeSmtpTransports();
        await smtp.stop();
        await dovecot.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export interface MailInput {
  from: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachments?: { filename: string; contentType: string; content: Buffer }[];
  date?: Date;
}

function base64Lines(content: Buffer): string {
  return (content.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

function encodeWord(value: string): string {
  // eslint-disable-next-line no-control-regex -- plain ASCII needs no encoded-word
  return /^[\x00-\x7f]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** A MIME message as a citizen's mail client would write it (RFC 5322 + MIME, base64 parts). */
export function rawMail(m: MailInput): string {
  const boundary = `b-${randomBytes(8).toString('hex')}`;
  const alt = `a-${randomBytes(8).toString('hex')}`;
  const head = [
    `From: ${m.from}`,
    `To: ${m.to}`,
    `Subject: ${encodeWord(m.subject)}`,
    `Date: ${(m.date ?? new Date()).toUTCString()}`,
    `Message-ID: ${m.messageId}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`] : []),
    ...(m.references?.length ? [`References: ${m.references.join(' ')}`] : []),
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
  ];
  const textPart = (type: 'plain' | 'html', body: string) => [`Content-Type: text/${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', base64Lines(Buffer.from(body, 'utf8'))].join('\r\n');
  const bodyParts: string[] = [];
  if (m.text !== undefined && m.html !== undefined) {
    bodyParts.push([`Content-Type: multipart/alternative; boundary="${alt}"`, '', `--${alt}`, textPart('plain', m.text), `--${alt}`, textPart('html', m.html), `--${alt}--`, ''].join('\r\n'));
  } else if (m.html !== undefined) {
    bodyParts.push(textPart('html', m.html));
  } else {
    bodyParts.push(textPart('plain', m.text ?? ''));
  }
  for (const a of m.attachments ?? []) {
    bodyParts.push(
      [`Content-Type: ${a.contentType}; name="${a.filename}"`, `Content-Disposition: attachment; filename="${a.filename}"`, 'Content-Transfer-Encoding: base64', '', base64Lines(a.content)].join('\r\n'),
    );
  }
  if (bodyParts.length === 1 && !m.attachments?.length) return [...head, bodyParts[0]].join('\r\n') + '\r\n';
  return [...head, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', ...bodyParts.map((p) => `--${boundary}\r\n${p}`), `--${boundary}--`, ''].join('\r\n');
}

/** A fresh Message-ID in the citizen's domain. */
export function citizenMessageId(): string {
  return `<${randomBytes(8).toString('hex')}@correo.ciudadano.test>`;
}

/** A Postfix-style delivery status notification (RFC 3464) about a message we sent. */
export function dsnMail(m: { to: string; originalMessageId: string; recipient: string; action: 'failed' | 'delayed'; status: string; diagnostic: string; messageId?: string }): string {
  const boundary = `dsn-${randomBytes(6).toString('hex')}`;
  return [
    'From: MAILER-DAEMON@mx.correo.ciudadano.test (Mail Delivery System)',
    `To: ${m.to}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${m.messageId ?? citizenMessageId()}`,
    'Auto-Submitted: auto-replied',
    'Return-Path: <>',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `This is the mail system at host mx.correo.ciudadano.test.`,
    '',
    `<${m.recipient}>: ${m.diagnostic}`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.correo.ciudadano.test',
    '',
    `Final-Recipient: rfc822; ${m.recipient}`,
    `Action: ${m.action}`,
    `Status: ${m.status}`,
    `Diagnostic-Code: smtp; ${m.diagnostic}`,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    `From: ${m.to}`,
    `To: ${m.recipient}`,
    `Message-ID: ${m.originalMessageId}`,
    'Subject: Re: Su tramite',
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
