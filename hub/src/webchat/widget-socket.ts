import type { Namespace, Socket } from 'socket.io';
import type { Kysely } from 'kysely';
import { HubError } from '../errors/error-registry.js';
import type { Database } from '../db/schema.js';
import type { InboundJob } from '../queues/queues.js';
import { inboundJobId } from '../queues/queues.js';
import type { HubContext } from '../runtime/context.js';
import { TypingThrottle } from './typing-throttle.js';
import { resolveVisitor } from './visitor-auth.js';
import { latestVisitorConversation, visitorContactId } from './visitor-conversation.js';
import { messagesReadSchema } from './widget-requests.schema.js';
import { widgetRooms, type WidgetAck, type WidgetClientToServerEvents, type WidgetServerToClientEvents } from './widget.contract.js';

/** A read receipt for a reply whose send is not committed yet waits this long before it is applied. */
const PENDING_READ_DELAY_MS = 500;

export interface WidgetSocketData {
  visitorId: string;
  channelId: string;
  campaignId: string;
  /** The conversation whose room this socket is in (routing and typing signals). */
  conversationId: string | null;
}

export type WidgetNamespace = Namespace<WidgetClientToServerEvents, WidgetServerToClientEvents, Record<string, never>, WidgetSocketData>;
type WidgetSocket = Socket<WidgetClientToServerEvents, WidgetServerToClientEvents, Record<string, never>, WidgetSocketData>;

/** Where the visitor's typing goes: the staff room of the conversation (contact.typing). */
export type ContactTypingSink = (conversationId: string, typing: boolean) => void;

/**
 * The web chat widget's socket.io namespace (issue 5 items 3, 5). A visitor token in `auth.token`
 * from the Origin it was issued to; rooms for every tab of the visitor and for their current
 * conversation; typing relayed to staff; read receipts turned into inbound `read` statuses, so
 * the agent's ticks go through the same status pipeline as every provider's.
 */
export function attachWidgetNamespace(ctx: HubContext, widget: WidgetNamespace, contactTyping: ContactTypingSink): void {
  widget.use((socket, next) => {
    const token: unknown = socket.handshake.auth['token'];
    const origin = socket.handshake.headers.origin;
    resolveVisitor(ctx, typeof token === 'string' ? token : undefined, origin)
      .then((visitor) => {
        socket.data = { visitorId: visitor.visitorId, channelId: visitor.channel.row.id, campaignId: visitor.channel.row.campaign_id, conversationId: null };
        next();
      })
      .catch((error: unknown) => {
        const code = error instanceof HubError ? error.code : 'HUB_ERR_INTERNAL';
        // socket.io hands `data` to the client's connect_error handler.
        next(Object.assign(new Error(code), { data: { code } }));
      });
  });

  widget.on('connection', (socket: WidgetSocket) => {
    void socket.join(widgetRooms.visitor(socket.data.visitorId));
    void joinCurrentConversation(ctx.db.kysely, socket).catch((error: unknown) => ctx.logger.warn({ err: error }, 'widget socket: conversation lookup failed'));
    const throttle = new TypingThrottle();
    let lookedUpAt = 0;

    socket.on('session.join', (_request, ack) => {
      const reply = ackOf(ack);
      joinCurrentConversation(ctx.db.kysely, socket)
        .then(() => reply({ ok: true }))
        .catch((error: unknown) => reply(failure(error)));
    });

    socket.on('visitor.typing', (signal) => {
      const typing: unknown = signal?.typing;
      if (typeof typing !== 'boolean' || !throttle.shouldSend(typing)) return;
      const conversationId = socket.data.conversationId;
      if (conversationId) return contactTyping(conversationId, typing);
      // Typing before the first message was stored: nobody to tell; look again now and then.
      if (Date.now() - lookedUpAt < 5000) return;
      lookedUpAt = Date.now();
      void joinCurrentConversation(ctx.db.kysely, socket)
        .then(() => {
          if (socket.data.conversationId) contactTyping(socket.data.conversationId, typing);
        })
        .catch(() => undefined);
    });

    socket.on('messages.read', (request, ack) => {
      const reply = ackOf(ack);
      markRead(ctx, socket.data, request)
        .then(() => reply({ ok: true }))
        .catch((error: unknown) => reply(failure(error)));
    });
  });
}

function ackOf(ack: unknown): WidgetAck {
  return typeof ack === 'function' ? (reply) => void ack(reply) : () => undefined;
}

function failure(error: unknown): { ok: false; code: string; message: string } {
  if (error instanceof HubError) return { ok: false, code: error.code, message: error.message };
  return { ok: false, code: 'HUB_ERR_INTERNAL', message: 'Error interno / internal error' };
}

/** The visitor's latest conversation becomes this socket's conversation room. */
async function joinCurrentConversation(db: Kysely<Database>, socket: WidgetSocket): Promise<void> {
  const conversation = await latestVisitorConversation(db, socket.data.channelId, socket.data.visitorId);
  const previous = socket.data.conversationId;
  if (!conversation || conversation.id === previous) return;
  if (previous) await socket.leave(widgetRooms.conversation(previous));
  await socket.join(widgetRooms.conversation(conversation.id));
  socket.data.conversationId = conversation.id;
}

/**
 * Messages shown to the visitor become `read`: only replies in this visitor's own conversations
 * on this channel, each as an inbound status event keyed like a provider's (idempotent job ids).
 * The widget may show a reply before the outbound worker has recorded it as sent (the socket is
 * faster than that commit): the provider id is then still unset, but it will be the message id
 * (the adapter returns it), and the status job retries until the message is known.
 */
async function markRead(ctx: HubContext, data: WidgetSocketData, request: unknown): Promise<void> {
  const parsed = messagesReadSchema.safeParse(request);
  if (!parsed.success) throw new HubError('HUB_ERR_VALIDATION', 'messageIds: 1 a 200 UUID / 1 to 200 UUIDs');
  const db = ctx.db.kysely;
  const contactId = await visitorContactId(db, data.channelId, data.visitorId);
  if (!contactId) return;
  const rows = await db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['m.id', 'm.provider_message_id', 'm.status'])
    .where('m.id', 'in', parsed.data.messageIds)
    .where('m.direction', '=', 'outbound')
    .where('m.status', 'in', ['pending', 'sent', 'delivered'])
    .where('c.channel_id', '=', data.channelId)
    .where('c.contact_id', '=', contactId)
    .execute();
  const occurredAt = new Date().toISOString();
  if (rows.length === 0) return;
  await ctx.queues.inbound.addBulk(
    rows.map((r) => {
      const job: InboundJob = { channelId: data.channelId, event: { type: 'status', providerMessageId: r.provider_message_id ?? r.id, occurredAt, status: 'read' }, receivedAt: Date.now() };
      // Still pending: give the send's commit a head start rather than fail the first attempt.
      return { name: job.event.type, data: job, opts: { jobId: inboundJobId(job), ...(r.status === 'pending' ? { delay: PENDING_READ_DELAY_MS } : {}) } };
    }),
  );
}
