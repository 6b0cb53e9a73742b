import { sql, type Kysely } from 'kysely';
import type { ContactRef, OutboundMessage, SendContext, SendResult } from '@ventanilla/connectors/core';
import { assertEncodable, templatesOf, translateDeliveryError } from '@ventanilla/connectors/core';
import type { ChannelStore, LoadedChannel } from '../channels/channel-store.js';
import type { Database, Message } from '../db/schema.js';
import { appendEvents } from '../domain/interaction-events.js';
import { writeOutbox, type OutboxRow } from '../outbox/outbox.js';
import { rooms } from '../realtime/events.contract.js';
import { optOutOf, optOutReason } from './opt-outs.js';
import { outboundContentOf } from './outbound-content.js';

/** `folio` and `sendSeconds` (the provider call) feed the outbound log line and metrics (observability/connector-metrics.ts). */
export type DeliveryOutcome = DeliveryResult & { channelKind?: string; folio?: string; sendSeconds?: number };

type DeliveryResult =
  | { outcome: 'sent'; outbox: OutboxRow[] }
  | { outcome: 'retry'; code: string; reason: string }
  | { outcome: 'failed'; outbox: OutboxRow[] }
  | { outcome: 'skipped'; reason: string }
  /** The channel's send pace has no slot now: try again after `waitMs` (no attempt used). */
  | { outcome: 'paced'; waitMs: number };

export interface DeliverOptions {
  attempt: number;
  finalAttempt: boolean;
  fetch: typeof fetch;
  /** Passed to the adapter's send (SendContext): stored files, widget sockets. */
  openFile?: SendContext['openFile'];
  widget?: SendContext['widget'];
  /** Live provider sessions of this process (whatsapp-web.js): only where the session manager runs. */
  sessions?: SendContext['sessions'];
  /** The channel's send pace (ChannelSendPace.take): 0 to send now, else ms to wait. */
  pace?: (channel: LoadedChannel) => Promise<number>;
}

/** Sends one pending message through its channel's adapter and records what happened. */
export async function deliverMessage(db: Kysely<Database>, channels: Pick<ChannelStore, 'get'>, messageId: string, options: DeliverOptions): Promise<DeliveryOutcome> {
  const message = await db.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst();
  if (!message) return { outcome: 'skipped', reason: 'message not found' };
  if (message.status !== 'pending') return { outcome: 'skipped', reason: `already ${message.status}` };
  const conversation = await db.selectFrom('conversations').selectAll().where('id', '=', message.conversation_id).executeTakeFirstOrThrow();
  const channel = await channels.get(message.channel_id);
  if (!channel) return record(db, message, conversation.campaign_id, { ok: false, retryable: false, code: 'channel_missing', reason: 'channel deleted' }, options);

  const content = outboundContentOf(message);
  // Adapters encode only what their capabilities allow; anything else fails for good, translated.
  const encodable = assertEncodable(channel.adapter.capabilities, content);
  if (!encodable.ok) {
    return record(db, message, conversation.campaign_id, { ok: false, retryable: false, code: encodable.code, reason: `${channel.kind}: ${encodable.reason}` }, options);
  }
  // The catalogue may have lost the template since the agent chose it (withdrawn by the provider).
  if (content.type === 'template' && !templatesOf(channel.settings).some((t) => t.name === content.template.name && t.language === content.template.language)) {
    return record(db, message, conversation.campaign_id, { ok: false, retryable: false, code: 'template_unknown', reason: `${content.template.name} (${content.template.language})` }, options);
  }
  const [to, senderName, thread] = await Promise.all([
    contactAddress(db, conversation.contact_id, channel.row.id),
    message.sender_type === 'agent' && message.sender_id ? agentName(db, message.sender_id) : Promise.resolve(undefined),
    channel.adapter.capabilities.threading ? threadOf(db, conversation.id, conversation.folio, message.meta?.subject) : Promise.resolve(undefined),
  ]);
  const outbound: OutboundMessage = {
    id: message.id,
    conversationId: conversation.id,
    folio: conversation.folio,
    to,
    content,
    sender: { type: message.sender_type === 'contact' ? 'system' : message.sender_type, ...(senderName ? { name: senderName } : {}) },
    ...(thread ? { thread } : {}),
    // Channels whose rules depend on the citizen's last message (Meta's HUMAN_AGENT tag).
    ...(conversation.last_inbound_at ? { lastInboundAt: conversation.last_inbound_at.toISOString() } : {}),
  };
  // A citizen who texted ALTO/STOP is not written to again on this channel (issue 6 item 4).
  const optOut = await optOutOf(db, channel.row.id, to);
  if (optOut) {
    return { ...(await record(db, message, conversation.campaign_id, { ok: false, retryable: false, code: 'recipient_opted_out', reason: optOutReason(optOut) }, options)), channelKind: channel.kind };
  }
  const encoded = channel.adapter.encodeOutbound(outbound, channel.settings);
  const context: SendContext = {
    fetch: options.fetch,
    channelId: channel.row.id,
    ...(options.openFile ? { openFile: options.openFile } : {}),
    ...(options.widget ? { widget: options.widget } : {}),
    ...(options.sessions ? { sessions: options.sessions } : {}),
  };
  // The slot is taken last, right before the provider call: time spent loading the message
  // after it would let sends bunch up beyond the pace.
  const waitMs = options.pace ? await options.pace(channel) : 0;
  if (waitMs > 0) return { outcome: 'paced', waitMs, channelKind: channel.kind };
  const sendStarted = performance.now();
  const result = await channel.adapter.send(encoded, channel.settings, channel.secrets, context);
  const sendSeconds = (performance.now() - sendStarted) / 1000;
  return { ...(await record(db, message, conversation.campaign_id, result, options)), channelKind: channel.kind, folio: conversation.folio, sendSeconds };
}

async function record(db: Kysely<Database>, message: Message, campaignId: string, result: SendResult, options: DeliverOptions): Promise<DeliveryResult> {
  const base = { conversationId: message.conversation_id, messageId: message.id };
  const eventContext = { campaignId, actorType: 'system' as const, actorId: 'outbound-worker' };
  const targetRooms = [rooms.campaign(campaignId), rooms.conversation(message.conversation_id)];

  if (!result.ok && result.retryable && !options.finalAttempt) {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('messages').set({ attempts: sql`attempts + 1`, updated_at: sql`now()` }).where('id', '=', message.id).execute();
      await appendEvents(trx, eventContext, [{ type: 'message.send_retried', ...base, payload: { code: result.code, reason: result.reason, attempt: options.attempt } }]);
    });
    return { outcome: 'retry', code: result.code, reason: result.reason };
  }

  return db.transaction().execute(async (trx) => {
    const now = new Date();
    if (result.ok) {
      // The provider accepted it, so it is sent. An id the provider already gave another
      // message on this channel would break the unique key, throw, and have every retry send
      // it again while it stays pending for ever; keep the message, leave the id unset.
      const taken = await trx
        .selectFrom('messages')
        .select('id')
        .where('channel_id', '=', message.channel_id)
        .where('provider_message_id', '=', result.providerMessageId)
        .where('id', '!=', message.id)
        .executeTakeFirst();
      const updated = await trx
        .updateTable('messages')
        .set({ status: 'sent', provider_message_id: taken ? null : result.providerMessageId, sent_at: now, attempts: sql`attempts + 1`, updated_at: sql`now()` })
        .where('id', '=', message.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return { outcome: 'skipped' as const, reason: 'no longer pending' };
      await appendEvents(trx, eventContext, [{ type: 'message.sent', ...base, payload: { providerMessageId: result.providerMessageId, attempt: options.attempt } }]);
      const outbox = await writeOutbox(trx, [
        {
          event: 'message.status_changed',
          rooms: targetRooms,
          data: { campaignId, ...base, status: 'sent', errorCode: null, errorReason: null, at: now.toISOString() },
        },
      ]);
      return { outcome: 'sent' as const, outbox };
    }
    const reason = translateDeliveryError(result.code, result.reason);
    await trx
      .updateTable('messages')
      .set({ status: 'failed', error_code: result.code, error_reason: reason, failed_at: now, attempts: sql`attempts + 1`, updated_at: sql`now()` })
      .where('id', '=', message.id)
      .where('status', '=', 'pending')
      .execute();
    await appendEvents(trx, eventContext, [
      { type: 'message.failed', ...base, payload: { code: result.code, reason: result.reason, retryable: result.retryable, attempt: options.attempt } },
    ]);
    const outbox = await writeOutbox(trx, [
      {
        event: 'message.status_changed',
        rooms: targetRooms,
        data: { campaignId, ...base, status: 'failed', errorCode: result.code, errorReason: reason, at: now.toISOString() },
      },
    ]);
    return { outcome: 'failed' as const, outbox };
  });
}

async function agentName(db: Kysely<Database>, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
  return row?.display_name;
}

/** Subject tag that threads a citizen's reply by folio even when a mail client drops the headers. */
export function folioTag(folio: string): string {
  return `[${folio}]`;
}

/**
 * The thread a reply continues (e-mail): the citizen's first subject ("Re: …", with the folio tag
 * once), In-Reply-To their latest message, and References up to it (RFC 5322 §3.6.4, capped).
 */
async function threadOf(db: Kysely<Database>, conversationId: string, folio: string, ownSubject: string | undefined): Promise<NonNullable<OutboundMessage['thread']>> {
  const rows = await db
    .selectFrom('messages')
    .select(['meta', 'direction', 'provider_message_id', 'created_at'])
    .where('conversation_id', '=', conversationId)
    .where('meta', 'is not', null)
    .orderBy('created_at', 'asc')
    .execute();
  const first = rows.find((r) => r.meta?.subject);
  const latest = [...rows].reverse().find((r) => r.direction === 'inbound' && r.meta?.messageId);
  const base = (first?.meta?.subject ?? '').replace(/^\s*((re|rv|fw|fwd)\s*:\s*)+/i, '').trim();
  const tag = folioTag(folio);
  // A message may bring its own subject (the acknowledgement's template); the headers below
  // still thread it.
  const subject = ownSubject ?? `Re: ${base.includes(tag) ? base : `${base} ${tag}`.trim()}`;
  if (!latest?.meta?.messageId) return { subject, references: [] };
  const references = [...(latest.meta.references ?? []), latest.meta.messageId].slice(-20);
  return { subject, inReplyTo: latest.meta.messageId, references };
}

/** Where to reach the contact on this channel: global phone/email plus the channel's own id. */
async function contactAddress(db: Kysely<Database>, contactId: string, channelId: string): Promise<ContactRef> {
  const [contact, identities] = await Promise.all([
    db.selectFrom('contacts').select('display_name').where('id', '=', contactId).executeTakeFirst(),
    db
      .selectFrom('contact_identities')
      .select(['kind', 'value', 'channel_id'])
      .where('contact_id', '=', contactId)
      .where((eb) => eb.or([eb('channel_id', 'is', null), eb('channel_id', '=', channelId)]))
      .orderBy('created_at')
      .execute(),
  ]);
  const ref: ContactRef = {};
  for (const identity of identities) {
    if (identity.kind === 'phone') ref.phone ??= identity.value;
    else if (identity.kind === 'email') ref.email ??= identity.value;
    else if (identity.kind === 'external' && identity.channel_id === channelId && !/^(phone|email):/.test(identity.value)) ref.externalId ??= identity.value;
  }
  if (contact?.display_name) ref.name = contact.display_name;
  return ref;
}
