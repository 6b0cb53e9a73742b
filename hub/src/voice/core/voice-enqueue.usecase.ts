import { sql, type Kysely, type Transaction } from 'kysely';
import type { Conversation, Database } from '../../db/schema.js';
import { appendEventRows, type DomainEvent, type EventContext } from '../../domain/interaction-events.js';
import { toConversationSummary, toMessageView } from '../../conversations/conversation-views.js';
import { retryOnConflict } from '../../db/retry-transaction.js';
import { identityKeys } from '../../ingest/identity-keys.js';
import { writeOutbox, type OutboxNotification } from '../../outbox/outbox.js';
import { rooms } from '../../realtime/events.contract.js';
import { defaultQueueFor, queueTimers } from '../../router/usecases/intake.usecase.js';
import { abandonConversation, releaseHeldSeat } from '../../router/usecases/session-end.usecase.js';
import type { RouterEffects } from '../../router/usecases/router-effects.js';
import { loadRoutingQueues, seatTypeOfTier, type RoutingQueueRow } from '../../router/store/routing-settings.js';
import { contactForCaller, storeCapturedIds } from './voice-contact.js';
import { screenPopText } from './screen-pop.js';

/**
 * A call the IVR sends to an agent becomes a conversation in the router's line (issue 8 item 3:
 * calls use the same router as messaging), in one transaction: the caller's contact (by phone),
 * a captured NSS/CURP on it, a new conversation with a folio on the voice channel, already in its
 * queue (`channel_class 'voice'`: a call takes the agent's whole seat), the screen pop as a
 * system message, the events ingest and intake write (`contact.created`, `conversation.opened`,
 * `conversation.queued`; `conversation.transferred` when the IVR sent the caller from another
 * campaign) and their realtime rows. The caller runs `ctx.router.apply(effects)` after.
 *
 * The queue is set here rather than left to intake: the IVR may name a queue or a skill, which
 * intake cannot know. Queue: the IVR's `queueId` (a queue of that campaign), else the queue that
 * requires the IVR's `skill` (first level first, most urgent first), else the channel's
 * `queueId`, else the campaign's default queue.
 *
 * One open conversation per contact and channel (conversations_one_open_idx). A caller who already
 * has one on this channel:
 *  - still waiting (queued, offered, bot): that call is gone (its hang-up callback may come late,
 *    or never came) — it is abandoned ('contact_left') first and the new call gets a new folio;
 *  - held by an agent (assigned, waiting_contact): the new call continues that conversation (same
 *    folio), back in line: the agent's seat is released (`conversation.released` 'transferred')
 *    and a `conversation.transferred` (queue) says why. A person calling again is most often
 *    calling back about the same thing, and the previous call is over.
 */
export interface VoiceEnqueueRequest {
  channel: { id: string; campaignId: string; queueId?: string | undefined };
  call: { callSid: string; from: string };
  /** Where the call goes: the channel's campaign, or another one (IVR transfer_campaign). */
  campaignId: string;
  queueId?: string | undefined;
  skill?: string | undefined;
  collected: Record<string, string>;
  path: { node: string; input?: string }[];
}

export interface VoiceEnqueued {
  conversationId: string;
  folio: string;
  queueId: string;
  contactId: string;
  /** Official ids stored on the contact from what the caller keyed. */
  storedIds: string[];
  effects: RouterEffects;
}

export class NoVoiceQueueError extends Error {
  constructor(campaignId: string) {
    super(`campaign ${campaignId} has no queue for calls`);
    this.name = 'NoVoiceQueueError';
  }
}

const WAITING: ReadonlySet<string> = new Set(['queued', 'offered', 'bot']);

/** A waiting voice conversation is a gone call's; a waiting voicemail (message class) is not. */
function isLiveCallLeftover(open: Pick<Conversation, 'channel_class'>): boolean {
  return open.channel_class === 'voice';
}

export async function enqueueVoiceCall(db: Kysely<Database>, request: VoiceEnqueueRequest): Promise<VoiceEnqueued> {
  // Before the transaction (one connection at a time, for the embedded database): a still-waiting
  // conversation of this caller on the channel is a call that is gone.
  const abandoned = await abandonLeftover(db, request);
  const result = await retryOnConflict(() => db.transaction().execute((trx) => enqueueIn(trx, request)));
  return abandoned ? { ...result, effects: { ...result.effects, outbox: [...abandoned.outbox, ...result.effects.outbox], reroute: true } } : result;
}

async function abandonLeftover(db: Kysely<Database>, request: VoiceEnqueueRequest): Promise<RouterEffects | null> {
  const [key] = identityKeys({ phone: request.call.from }, request.channel.id);
  if (!key) return null;
  // Only a live call's leftover: a voicemail waiting for an agent (message class) or a call-back
  // still to be made is the citizen's request, kept — the new call continues it (enqueueIn).
  const { rows } = await sql<{ id: string; status: string }>`
    SELECT c.id, c.status FROM identity_owner(${JSON.stringify(key)}::jsonb) o
      JOIN conversations c ON c.contact_id = o.contact_id
     WHERE c.channel_id = ${request.channel.id} AND c.closed_at IS NULL
       AND c.channel_class = 'voice'
       AND NOT EXISTS (SELECT 1 FROM voice_callbacks cb WHERE cb.conversation_id = c.id AND cb.status IN ('pending','queued','dialing','connected'))`.execute(db);
  const open = rows[0];
  if (!open || !WAITING.has(open.status)) return null;
  return abandonConversation(db, open.id, 'contact_left');
}

async function enqueueIn(trx: Transaction<Database>, request: VoiceEnqueueRequest): Promise<VoiceEnqueued> {
  const { channel, campaignId } = request;
  const queue = await pickVoiceQueue(trx, request);
  const contact = await contactForCaller(trx, request.call.from, channel.id);
  const storedIds = await storeCapturedIds(trx, contact.contactId, request.collected);
  const now = Date.now();
  const seatType = seatTypeOfTier(queue.tier);
  const routing = {
    status: 'queued' as const,
    queue_id: queue.id,
    channel_class: 'voice' as const,
    priority: queue.config.priority,
    seat_type: seatType,
    enqueued_at: new Date(now),
    queue_entered_at: new Date(now),
    after_hours: false,
    last_inbound_at: new Date(now),
    last_message_at: new Date(now),
  };
  const open = await trx.selectFrom('conversations').selectAll().where('channel_id', '=', channel.id).where('contact_id', '=', contact.contactId).where('closed_at', 'is', null).forUpdate().executeTakeFirst();
  const system: EventContext = { campaignId, actorType: 'system', actorId: 'voice-bridge' };
  const events: { context: EventContext; event: DomainEvent }[] = [];
  let conversation: Conversation;
  let opened = false;
  // A call-back still to be made for that conversation: the citizen is calling us now, so it is
  // no longer needed (cancelled with the reason); one being dialled is left to finish.
  const openCallback = open
    ? await trx.selectFrom('voice_callbacks').select(['id', 'status']).where('conversation_id', '=', open.id).where('status', 'in', ['pending', 'queued', 'dialing', 'connected']).forUpdate().executeTakeFirst()
    : undefined;
  if (openCallback && (openCallback.status === 'pending' || openCallback.status === 'queued')) {
    await trx.updateTable('voice_callbacks').set({ status: 'cancelled', outcome: 'citizen_called', updated_at: sql`clock_timestamp()` }).where('id', '=', openCallback.id).execute();
  }
  if (open && (!WAITING.has(open.status) || !isLiveCallLeftover(open) || openCallback !== undefined)) {
    const released = await releaseHeldSeat(trx, open, 'transferred', { type: 'system', id: 'voice-bridge' });
    conversation = await trx
      .updateTable('conversations')
      .set({ ...routing, campaign_id: campaignId, assignee_id: null, offer_id: null, overflow_steps: 0, relaxed_levels: 0, visited_queue_ids: [], excluded_agent_ids: [], preferred_agent_id: null, updated_at: sql`clock_timestamp()` })
      .where('id', '=', open.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    events.push({
      context: system,
      event: {
        type: 'conversation.transferred',
        conversationId: open.id,
        payload: {
          kind: 'queue',
          reason: 'El ciudadano volvió a llamar / the citizen called again',
          fromAgentId: released,
          toAgentId: null,
          fromQueueId: open.queue_id,
          toQueueId: queue.id,
          fromCampaignId: open.campaign_id,
          toCampaignId: campaignId,
          seatTypeBefore: open.seat_type,
          seatTypeAfter: seatType,
        },
      },
    });
  } else {
    if (open) throw new Error(`conversation ${open.id} is still waiting for another call of this caller`);
    const inserted = await trx
      .insertInto('conversations')
      .values({ folio: sql<string>`next_folio(${campaignId}::uuid)`, campaign_id: campaignId, channel_id: channel.id, contact_id: contact.contactId, unread_count: 1, ...routing })
      .returningAll()
      .executeTakeFirstOrThrow();
    conversation = inserted;
    opened = true;
    const asContact: EventContext = { campaignId, actorType: 'contact', actorId: contact.contactId };
    if (contact.created) events.push({ context: asContact, event: { type: 'contact.created', contactId: contact.contactId, conversationId: conversation.id, payload: { channelId: channel.id } } });
    events.push({ context: asContact, event: { type: 'conversation.opened', conversationId: conversation.id, contactId: contact.contactId, payload: { folio: conversation.folio, channelId: channel.id, channelKind: 'voice' } } });
    if (campaignId !== channel.campaignId) {
      events.push({
        context: system,
        event: {
          type: 'conversation.transferred',
          conversationId: conversation.id,
          payload: {
            kind: 'campaign',
            reason: 'Menú telefónico (IVR) / phone menu',
            fromAgentId: null,
            toAgentId: null,
            fromQueueId: null,
            toQueueId: queue.id,
            fromCampaignId: channel.campaignId,
            toCampaignId: campaignId,
            seatTypeBefore: null,
            seatTypeAfter: seatType,
          },
        },
      });
    }
  }
  events.push({
    context: { campaignId, actorType: 'system', actorId: 'router' },
    event: {
      type: 'conversation.queued',
      conversationId: conversation.id,
      contactId: contact.contactId,
      payload: { queueId: queue.id, channelClass: 'voice', priority: queue.config.priority, seatType, afterHours: false, preferredAgentId: null },
    },
  });
  await appendEventRows(trx, events);

  const fromCampaign = campaignId !== channel.campaignId ? await trx.selectFrom('campaigns').select('name').where('id', '=', channel.campaignId).executeTakeFirst() : undefined;
  const message = await trx
    .insertInto('messages')
    .values({
      conversation_id: conversation.id,
      channel_id: channel.id,
      direction: 'inbound',
      sender_type: 'system',
      content_type: 'text',
      text: screenPopText({ from: request.call.from, folio: conversation.folio, path: request.path, collected: request.collected, transferredFrom: fromCampaign?.name ?? null }),
      attachments: '[]',
      raw: JSON.stringify({ voice: { callSid: request.call.callSid, from: request.call.from, path: request.path, collected: request.collected, queueId: queue.id } }),
      status: 'received',
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  const roomsOf = [rooms.campaign(campaignId), rooms.conversation(conversation.id)];
  const notifications: OutboxNotification[] = [];
  if (opened) {
    notifications.push({
      event: 'conversation.opened',
      rooms: roomsOf,
      data: { campaignId, conversation: toConversationSummary(conversation, { channelKind: 'voice', contactName: contact.name }) },
    });
  }
  notifications.push({ event: 'message.created', rooms: roomsOf, data: { campaignId, conversationId: conversation.id, folio: conversation.folio, message: toMessageView(message) } });
  notifications.push({
    event: 'conversation.routed',
    rooms: roomsOf,
    data: { campaignId, conversationId: conversation.id, folio: conversation.folio, status: conversation.status, assigneeId: null, queueId: queue.id, change: 'queued' },
  });
  const outbox = await writeOutbox(trx, notifications);
  return {
    conversationId: conversation.id,
    folio: conversation.folio,
    queueId: queue.id,
    contactId: contact.contactId,
    storedIds,
    effects: { outbox, timers: queueTimers(conversation.id, queue, now, 0), messageIds: [], reroute: true },
  };
}

/** The IVR's queue, else the queue requiring its skill, else the channel's, else the campaign's default. */
async function pickVoiceQueue(trx: Transaction<Database>, request: VoiceEnqueueRequest): Promise<RoutingQueueRow> {
  const { campaignId } = request;
  const queues = await loadRoutingQueues(trx, [campaignId]);
  const named = request.queueId !== undefined ? queues.get(request.queueId) : undefined;
  if (named && named.campaignId === campaignId) return named;
  if (request.skill !== undefined) {
    const rows = await trx
      .selectFrom('queue_skills as qs')
      .innerJoin('skills as s', 's.id', 'qs.skill_id')
      .select('qs.queue_id')
      .where('s.name', '=', request.skill)
      .where('s.campaign_id', '=', campaignId)
      .execute();
    const candidates = rows.flatMap((r) => {
      const q = queues.get(r.queue_id);
      return q ? [q] : [];
    });
    candidates.sort((a, b) => a.tier - b.tier || a.config.priority - b.config.priority || a.id.localeCompare(b.id));
    if (candidates[0]) return candidates[0];
  }
  const channelQueue = request.channel.campaignId === campaignId ? request.channel.queueId : undefined;
  const queue = defaultQueueFor(queues, campaignId, channelQueue);
  if (!queue) throw new NoVoiceQueueError(campaignId);
  return queue;
}
