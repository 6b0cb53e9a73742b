import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DecodeError } from '../core/channel-adapter.js';
import type { ContactRef, InboundContent, InboundEvent } from '../core/inbound-event.js';
import { xMarkReadEventSchema, xMessageCreateEventSchema, xWebhookEnvelopeSchema, type XMessageCreateEvent, type XWebhookEnvelope } from './x-channel.schema.js';

/**
 * Account activities that are not direct messages. The webhook subscription delivers all of
 * them; this channel is for DMs, and a like or a follow must not open a conversation.
 */
const IGNORED_ACTIVITIES: ReadonlySet<string> = new Set([
  'direct_message_indicate_typing_events',
  'tweet_create_events',
  'tweet_delete_events',
  'favorite_events',
  'follow_events',
  'unfollow_events',
  'block_events',
  'unblock_events',
  'mute_events',
  'unmute_events',
  'user_event',
]);
const HANDLED_ACTIVITIES: ReadonlySet<string> = new Set(['direct_message_events', 'direct_message_mark_read_events']);

/**
 * Turns one Account Activity POST into events for the business account `accountId`:
 * - `message_create` from anyone but the account → a message (our own sends come back as
 *   echoes and are skipped);
 * - `direct_message_mark_read_events` by a citizen → `read` for `last_read_event_id` (X means
 *   "everything up to here"; the hub marks that one message);
 * - typing indicators and public activity (IGNORED_ACTIVITIES) → nothing;
 * - any other DM event type or `*_events` array → an `unsupported` message with the raw event
 *   when a citizen caused it (a `sender_id`, `user.id_str` or `source.id` that is not ours),
 *   nothing otherwise;
 * - a payload for another subscribed account (`for_user_id` ≠ `accountId`) → nothing.
 */
export function decodeXWebhook(json: unknown, accountId: string): InboundEvent[] {
  const parsed = xWebhookEnvelopeSchema.safeParse(json);
  if (!parsed.success) throw new DecodeError('body is not an X Account Activity payload', issuesOf(parsed.error.issues));
  const envelope = parsed.data;
  if (envelope.for_user_id !== undefined && envelope.for_user_id !== accountId) return [];

  const events: InboundEvent[] = [];
  for (const [index, event] of (envelope.direct_message_events ?? []).entries()) {
    if (event.type !== 'message_create') {
      events.push(...unknownActivity(`direct_message_events.${event.type}`, event, accountId));
      continue;
    }
    const dm = xMessageCreateEventSchema.safeParse(event);
    if (!dm.success) throw new DecodeError('malformed direct message event', issuesOf(dm.error.issues, `direct_message_events.${index}`));
    if (dm.data.message_create.sender_id === accountId) continue;
    events.push(messageEvent(dm.data, envelope));
  }
  for (const [index, event] of (envelope.direct_message_mark_read_events ?? []).entries()) {
    const read = xMarkReadEventSchema.safeParse(event);
    if (!read.success) throw new DecodeError('malformed mark-read event', issuesOf(read.error.issues, `direct_message_mark_read_events.${index}`));
    // We reading a citizen's message is not news to anybody.
    if (read.data.sender_id === accountId) continue;
    events.push({ type: 'status', providerMessageId: read.data.last_read_event_id, occurredAt: isoFrom(read.data.created_timestamp), status: 'read' });
  }
  for (const [key, value] of Object.entries(envelope)) {
    if (!key.endsWith('_events') || HANDLED_ACTIVITIES.has(key) || IGNORED_ACTIVITIES.has(key) || !Array.isArray(value)) continue;
    for (const event of value) events.push(...unknownActivity(key, event, accountId));
  }
  return events;
}

function messageEvent(event: XMessageCreateEvent, envelope: XWebhookEnvelope): InboundEvent {
  const senderId = event.message_create.sender_id;
  const name = envelope.users?.[senderId]?.name?.trim().slice(0, 200);
  const contact: ContactRef = { externalId: senderId, ...(name ? { name } : {}) };
  return { type: 'message', providerMessageId: event.id, occurredAt: isoFrom(event.created_timestamp), contact, content: contentOf(event) };
}

function contentOf(event: XMessageCreateEvent): InboundContent {
  const data = event.message_create.message_data;
  const text = data.text.slice(0, 20_000);
  // Media in DMs is served from ton.twitter.com to OAuth 1.0a user-context requests only; the
  // channel holds an OAuth 2 token, so the media is kept by reference for a later connector.
  if (data.attachment) {
    return { type: 'unsupported', providerType: `attachment_${data.attachment.media?.type ?? data.attachment.type}`.slice(0, 100), raw: data };
  }
  const replyId = data.quick_reply_response?.metadata;
  if (replyId && replyId.length <= 256 && text) return { type: 'interactive', replyId, text: text.slice(0, 4096) };
  if (!text) return { type: 'unsupported', providerType: 'empty_message', raw: data };
  return { type: 'text', text };
}

function unknownActivity(providerType: string, event: unknown, accountId: string): InboundEvent[] {
  const authorId = authorOf(event);
  if (!authorId || authorId === accountId) return [];
  const explicitId = idOf(event);
  const providerMessageId = explicitId ?? `${providerType}:${createHash('sha256').update(JSON.stringify(event)).digest('hex').slice(0, 32)}`;
  const created = field(event, 'created_timestamp');
  return [
    {
      type: 'message',
      providerMessageId: providerMessageId.slice(0, 255),
      occurredAt: typeof created === 'string' && /^\d{1,15}$/.test(created) ? isoFrom(created) : new Date().toISOString(),
      contact: { externalId: authorId },
      content: { type: 'unsupported', providerType: providerType.slice(0, 100), raw: event },
    },
  ];
}

/** Who caused an activity, in the places X's documented payloads put it. */
function authorOf(event: unknown): string | undefined {
  const type = field(event, 'type');
  // DM events nest the sender under their type (`message_create.sender_id`, …).
  const nested = typeof type === 'string' ? field(field(event, type), 'sender_id') : undefined;
  const candidates = [field(event, 'sender_id'), nested, field(field(event, 'user'), 'id_str'), field(field(event, 'source'), 'id')];
  return candidates.find((c): c is string => typeof c === 'string' && /^\d{1,20}$/.test(c));
}

function idOf(event: unknown): string | undefined {
  const id = field(event, 'id_str') ?? field(event, 'id');
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

const objectSchema = z.record(z.string(), z.unknown());

function field(value: unknown, key: string): unknown {
  const object = objectSchema.safeParse(value);
  return object.success ? object.data[key] : undefined;
}

function isoFrom(epochMs: string): string {
  return new Date(Number(epochMs)).toISOString();
}

function issuesOf(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix = ''): string[] {
  return issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)'}: ${i.message}`);
}
