import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { InboundContent, InboundMessageEvent } from '@ventanilla/connectors/core';
import type { LoadedChannel } from '../channels/channel-store.js';
import type { Attachment, ContentType, Database } from '../db/schema.js';
import type { OutboxNotification, OutboxRow } from '../outbox/outbox.js';
import { identityKeys } from './identity-keys.js';

export type IngestResult =
  | { outcome: 'stored'; conversationId: string; folio: string; messageId: string; newConversation: boolean; reopened: boolean; outbox: OutboxRow[] }
  | { outcome: 'duplicate'; messageId: string };

export interface IngestItem {
  channel: LoadedChannel;
  event: InboundMessageEvent;
}

const resultSchema = z.array(
  z.discriminatedUnion('outcome', [
    z.object({
      outcome: z.literal('stored'),
      conversationId: z.string(),
      folio: z.string(),
      messageId: z.string(),
      newConversation: z.boolean(),
      reopened: z.boolean(),
      outbox: z.array(z.object({ id: z.string(), notification: z.custom<OutboxNotification>((v) => typeof v === 'object' && v !== null) })).nullable(),
    }),
    z.object({ outcome: z.literal('duplicate'), messageId: z.string() }),
  ]),
);

/**
 * Inbound messages, one transaction (issue 2, item 7): for each, contact + identities, the
 * open conversation or a new one with a folio, the message (deduplicated on the provider id),
 * interaction events and the outbox — all or nothing. The work runs in the database function
 * `ingest_inbound_messages` (migration 0002): one round trip for the whole batch.
 */
export async function ingestMessages(db: Kysely<Database>, items: IngestItem[]): Promise<IngestResult[]> {
  if (items.length === 0) return [];
  const payload = items.map(({ channel, event }) => {
    const content = toStoredContent(event.content);
    return {
      channelId: channel.row.id,
      campaignId: channel.row.campaign_id,
      channelKind: channel.kind,
      providerMessageId: event.providerMessageId,
      occurredAt: event.occurredAt,
      keys: identityKeys(event.contact, channel.row.id),
      name: event.contact.name ?? null,
      contentType: content.contentType,
      text: content.text,
      attachments: content.attachments,
      raw: content.raw ?? null,
      ...threading(event),
    };
  });
  // Concurrent batches must take row locks in one order, or two of them can deadlock on a
  // shared citizen: sort by identity (then provider id), and map the results back.
  const order = payload.map((_, i) => i).sort((a, b) => compareKeys(payload[a]!, payload[b]!));
  const sorted = order.map((i) => payload[i]!);
  const result = await sql<{ r: unknown }>`SELECT ingest_inbound_messages(${JSON.stringify(sorted)}::jsonb) AS r`.execute(db);
  const parsed = resultSchema.parse(result.rows[0]?.r);
  const byInput: IngestResult[] = new Array(items.length);
  order.forEach((inputIndex, sortedIndex) => {
    const r = parsed[sortedIndex];
    if (!r) throw new Error('ingest function returned fewer results than messages');
    byInput[inputIndex] = r.outcome === 'stored' ? { ...r, outbox: r.outbox ?? [] } : r;
  });
  return byInput;
}

export async function ingestMessage(db: Kysely<Database>, channel: LoadedChannel, event: InboundMessageEvent): Promise<IngestResult> {
  const [result] = await ingestMessages(db, [{ channel, event }]);
  if (!result) throw new Error('ingest returned no result');
  return result;
}

/**
 * E-mail threading and metadata for the ingest function (migration 0006): the message's own
 * headers and sanitised body in messages.meta, the ids it answers, a folio its subject names,
 * and the files stored for it beforehand.
 */
function threading(event: InboundMessageEvent): { meta?: unknown; threadRefs?: string[]; threadFolio?: string; fileIds?: string[] } {
  const fileIds = 'attachments' in event.content ? event.content.attachments.flatMap((a) => (a.fileId ? [a.fileId] : [])) : [];
  const email = event.email;
  const rawFile = email?.rawFileId ? [email.rawFileId] : [];
  const linked = [...fileIds, ...rawFile];
  if (!email) return linked.length > 0 ? { fileIds: linked } : {};
  const refs = [...new Set([...(email.inReplyTo ? [email.inReplyTo] : []), ...email.references])];
  return {
    meta: email,
    ...(refs.length > 0 ? { threadRefs: refs } : {}),
    ...(email.folio ? { threadFolio: email.folio } : {}),
    ...(linked.length > 0 ? { fileIds: linked } : {}),
  };
}

function compareKeys(a: { keys: unknown; providerMessageId: string; channelId: string }, b: typeof a): number {
  const ka = JSON.stringify(a.keys);
  const kb = JSON.stringify(b.keys);
  if (ka !== kb) return ka < kb ? -1 : 1;
  const pa = `${a.channelId}/${a.providerMessageId}`;
  const pb = `${b.channelId}/${b.providerMessageId}`;
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

interface StoredContent {
  contentType: ContentType;
  text: string | null;
  attachments: Attachment[];
  raw?: unknown;
}

function toStoredContent(content: InboundContent): StoredContent {
  switch (content.type) {
    case 'text':
      return { contentType: 'text', text: content.text, attachments: [] };
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
      return { contentType: content.type, text: content.text ?? null, attachments: content.attachments };
    case 'location':
      return {
        contentType: 'location',
        text: content.name ?? `${content.latitude},${content.longitude}`,
        attachments: [],
        raw: { latitude: content.latitude, longitude: content.longitude, name: content.name },
      };
    case 'contacts':
      return {
        contentType: 'contacts',
        text: content.contacts.map((c) => [c.name, ...c.phones, ...c.emails].filter(Boolean).join(' · ')).join('\n'),
        attachments: [],
        raw: { contacts: content.contacts },
      };
    case 'interactive':
      return { contentType: 'interactive', text: content.text, attachments: [], raw: { replyId: content.replyId, inReplyTo: content.inReplyTo ?? null } };
    case 'reaction':
      return { contentType: 'reaction', text: content.emoji, attachments: [], raw: { targetProviderMessageId: content.targetProviderMessageId } };
    case 'unsupported':
      return { contentType: 'unsupported', text: null, attachments: [], raw: { providerType: content.providerType, payload: content.raw } };
    default: {
      const exhaustive: never = content;
      throw new Error(`unhandled content ${JSON.stringify(exhaustive)}`);
    }
  }
}
