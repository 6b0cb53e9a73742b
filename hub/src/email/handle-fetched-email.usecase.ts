import { parseEmail, type InboundMessageEvent, type ParsedEmail } from '@ventanilla/connectors';
import { FileStore } from '../files/file-store.js';
import { inboundJobId, inboundJobSchema, type InboundJob } from '../queues/queues.js';
import type { HubContext } from '../runtime/context.js';
import type { EmailChannel } from './email-channel.js';
import { recordUnsubscribe, resolveUnsubscribe, unsubscribeTokenInSubject } from '../mass-mail/unsubscribe.usecase.js';
import { handleBounce, type BounceOutcome } from './handle-bounce.usecase.js';
import { storeEmailFiles, type StoredEmailFile } from './store-email-files.js';

export interface FetchedEmail {
  uid: number;
  uidValidity: bigint;
  source: Buffer;
}

export type FetchedEmailOutcome = 'message' | Exclude<BounceOutcome, 'unmatched'> | 'unreadable' | 'empty' | 'unsubscribed';

/** InboundContent allows 20 attachments per message; the rest stay reachable in the .eml. */
const MAX_ATTACHMENTS = 20;

/**
 * One mail read from the mailbox: its original bytes and attachments stored as files, then a
 * bounce applied, or an inbound message job enqueued (ingest threads and deduplicates it by
 * Message-ID). Returns only once the job is in the queue: the caller then saves the position.
 */
export async function handleFetchedEmail(ctx: HubContext, email: EmailChannel, fetched: FetchedEmail): Promise<FetchedEmailOutcome> {
  const { channel, settings } = email;
  const log = ctx.logger.child({ channelId: channel.row.id, uid: fetched.uid });
  if (fetched.source.length === 0) {
    log.warn('empty message in the mailbox; skipped');
    return 'empty';
  }
  const store = new FileStore(ctx.config.DATA_DIR);
  const deps = { db: ctx.db.kysely, store };
  const rawPart = { part: 'raw', source: 'system' as const, typed: true, file: { filename: `${fetched.uid}.eml`, mimeType: 'message/rfc822', content: fetched.source } };

  let parsed: ParsedEmail;
  try {
    parsed = await parseEmail(fetched.source, { maxAttachmentBytes: settings.maxAttachmentBytes, receivedAt: new Date() });
  } catch (error) {
    // parseEmail only gives up on input with nothing in it; the bytes are still kept.
    const mailKey = `uid:${fetched.uidValidity}:${fetched.uid}`;
    const [raw] = await storeEmailFiles(deps, channel.row, mailKey, [rawPart]);
    log.error({ err: error, rawFileId: raw?.fileId }, 'unreadable e-mail kept as a file only');
    return 'unreadable';
  }

  const mailKey = parsed.event.providerMessageId;
  const files = await storeEmailFiles(deps, channel.row, mailKey, [
    rawPart,
    ...parsed.attachments.map((a, i) => ({ part: `attachment:${i}`, source: 'contact' as const, file: a })),
  ]);
  const [raw, ...attachments] = files;
  const requestId = `imap:${fetched.uidValidity}:${fetched.uid}`;

  if (parsed.bounce) {
    const outcome = await handleBounce(ctx, email, parsed.bounce, parsed.event.occurredAt, requestId);
    if (outcome !== 'unmatched') {
      log.info({ outcome, rawFileId: raw?.fileId, originalMessageId: parsed.bounce.originalMessageId }, 'delivery status notification');
      return outcome;
    }
  }

  // A List-Unsubscribe mailto of a mass mailing (RFC 2369: `subject=unsubscribe <token>`): the
  // address leaves the campaign's list; it is not a citizen's case, so no conversation opens.
  const unsubscribeToken = unsubscribeTokenInSubject(parsed.event.email?.subject ?? '');
  if (unsubscribeToken) {
    const target = await resolveUnsubscribe(ctx.db.kysely, ctx.config.JWT_SECRET, unsubscribeToken);
    if (target && target.campaignId === channel.row.campaign_id) {
      await recordUnsubscribe(ctx.db.kysely, target, `mailto from ${parsed.event.contact.email ?? 'unknown'}`);
      log.info({ rawFileId: raw?.fileId }, 'mass-mail unsubscribe by e-mail recorded');
      return 'unsubscribed';
    }
  }

  const event = withFiles(parsed, raw, attachments);
  const job = validJob({ channelId: channel.row.id, event, receivedAt: Date.now(), requestId }, log);
  if (!job) {
    // Never block the mailbox behind one mail: it stays readable as its .eml file.
    log.error({ rawFileId: raw?.fileId }, 'e-mail could not become a message; kept as a file only');
    return 'unreadable';
  }
  await ctx.queues.inbound.add(job.event.type, job, { jobId: inboundJobId(job) });
  return 'message';
}

function withFiles(parsed: ParsedEmail, raw: StoredEmailFile | undefined, attachments: StoredEmailFile[]): InboundMessageEvent {
  const event = parsed.event;
  // An unmatched delivery report is shown to agents like any mail, and never acknowledged.
  const email = event.email ? { ...event.email, ...(raw ? { rawFileId: raw.fileId } : {}), ...(parsed.bounce ? { automated: 'bounce' as const } : {}) } : undefined;
  const listed = attachments.slice(0, MAX_ATTACHMENTS).map((a) => ({ fileId: a.fileId, filename: a.filename, mimeType: a.mimeType, size: a.size }));
  const text = event.content.type === 'text' || event.content.type === 'file' ? event.content.text : undefined;
  const content: InboundMessageEvent['content'] =
    listed.length > 0
      ? { type: 'file', attachments: listed, ...(text ? { text } : {}) }
      : event.content.type === 'file'
        ? { type: 'text', text: text || '(sin contenido)' }
        : event.content;
  return { ...event, content, ...(email ? { email } : {}) };
}

/**
 * The job must pass the schema the ingest worker applies, or the mail would be lost there as
 * a failed job. Whatever does not fit (an overlong header) is dropped from the metadata; the
 * original .eml keeps it.
 */
function validJob(job: InboundJob, log: HubContext['logger']): InboundJob | null {
  const checked = inboundJobSchema.safeParse(job);
  if (checked.success) return checked.data;
  log.warn({ issues: checked.error.issues.slice(0, 5) }, 'e-mail metadata out of bounds; stored without it');
  const event = job.event;
  if (event.type !== 'message') return null;
  const { email, ...rest } = event;
  const slim: InboundJob = {
    ...job,
    event: {
      ...rest,
      ...(email
        ? {
            email: {
              subject: email.subject.slice(0, 998),
              messageId: email.messageId.slice(0, 998),
              references: [],
              from: email.from.slice(0, 320),
              to: [],
              cc: [],
              ...(email.folio ? { folio: email.folio } : {}),
              ...(email.rawFileId ? { rawFileId: email.rawFileId } : {}),
              ...(email.automated ? { automated: email.automated } : {}),
            },
          }
        : {}),
    },
  };
  const retried = inboundJobSchema.safeParse(slim);
  return retried.success ? retried.data : null;
}
