import { createAdapter } from '@socket.io/redis-adapter';
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { authenticateToken } from '../auth/load-principal.js';
import { canAccessCampaign, hasRole, STAFF_ROLES, type Principal } from '../auth/principal.js';
import { HubError } from '../errors/error-registry.js';
import type { HubContext } from '../runtime/context.js';
import { createRedis } from '../runtime/redis.js';
import { rooms, STAFF_NAMESPACE, type Ack, type ClientToServerEvents, type ServerToClientEvents, type SocketData } from './events.contract.js';
import { socketIoKey } from './realtime-publisher.js';
import { agentTypingRelay } from '../webchat/agent-typing.js';
import { attachWidgetNamespace, type WidgetNamespace } from '../webchat/widget-socket.js';
import { WidgetOriginCache } from '../webchat/widget-origins.js';
import { WIDGET_NAMESPACE } from '../webchat/widget.contract.js';
import { wallboardWatchHandler } from '../wallboard/wallboard-watch.js';

export type StaffServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type StaffSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * socket.io for staff: JWT in `auth.token`, rooms per campaign, agent and conversation, and
 * the Redis adapter so an event emitted by any process reaches sockets on every process.
 */
export function attachRealtime(ctx: HubContext, httpServer: HttpServer): { io: StaffServer; close(): Promise<void> } {
  const pub = createRedis(ctx.config.REDIS_URL);
  const sub = pub.duplicate();
  pub.on('error', (error) => ctx.logger.warn({ err: error }, 'socket.io redis pub error'));
  sub.on('error', (error) => ctx.logger.warn({ err: error }, 'socket.io redis sub error'));
  const widgetOrigins = new WidgetOriginCache(ctx.db.kysely);
  const io: StaffServer = new Server(httpServer, {
    adapter: createAdapter(pub, sub, { key: socketIoKey(ctx.config.REDIS_PREFIX) }),
    serveClient: false,
    // The inbox is same-origin and sends no CORS request; only pages embedding a web chat widget
    // connect cross-origin, and the /widget namespace then checks the origin against the channel.
    cors: {
      origin: (origin, callback) => {
        widgetOrigins.allows(origin).then((allowed) => callback(null, allowed ? origin : false), () => callback(null, false));
      },
    },
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  const staff = io.of(STAFF_NAMESPACE);

  // Redis drops a pub/sub subscriber that falls too far behind (client-output-buffer-limit
  // pubsub); the client reconnects and resubscribes, but what was published meanwhile is gone
  // (bench/reports/sockets-latest.md). Disconnecting this process's staff sockets makes every
  // inbox reconnect and refetch, so nothing is silently missed.
  let subscribed = false;
  sub.on('ready', () => {
    if (subscribed) {
      ctx.logger.warn({ sockets: staff.sockets.size }, 'socket.io redis subscriber reconnected: events published meanwhile were lost; resyncing staff sockets');
      staff.local.disconnectSockets(false);
      // Web chat visitors too: the widget reconnects and fetches GET /widget/v1/session again.
      io.of(WIDGET_NAMESPACE).local.disconnectSockets(false);
    }
    subscribed = true;
  });

  staff.use((socket, next) => {
    const token = typeof socket.handshake.auth['token'] === 'string' ? socket.handshake.auth['token'] : undefined;
    authenticateToken(ctx.db.kysely, ctx.config.JWT_SECRET, token)
      .then(async (principal) => {
        // Live traffic is for STAFF_ROLES: a quality analyst only reads sampled, finished interactions.
        if (!hasRole(principal, STAFF_ROLES)) throw new HubError('HUB_ERR_FORBIDDEN_ROLE');
        socket.data = { userId: principal.userId, roles: principal.roles, campaignIds: await visibleCampaigns(ctx, principal) };
        next();
      })
      .catch((error: unknown) => {
        const code = error instanceof HubError ? error.code : 'HUB_ERR_AUTH_TOKEN_INVALID';
        // socket.io hands `data` to the client's connect_error handler.
        next(Object.assign(new Error(code), { data: { code } }));
      });
  });

  staff.on('connection', (socket: StaffSocket) => {
    void socket.join([rooms.agent(socket.data.userId), ...socket.data.campaignIds.map((id) => rooms.campaign(id))]);
    socket.on('conversation.watch', (request, ack) => void watch(ctx, socket, request, ack, true));
    socket.on('conversation.unwatch', (request, ack) => void watch(ctx, socket, request, ack, false));
    socket.on('conversation.typing', agentTypingRelay(ctx, socket.data.userId));
    socket.on('wallboard.watch', wallboardWatchHandler(ctx, socket, true));
    socket.on('wallboard.unwatch', wallboardWatchHandler(ctx, socket, false));
  });

  // socket.io types of() with the server's own (staff) event maps; the widget namespace speaks
  // widget.contract.ts instead, and no type guard can change a library's generic parameters.
  const widget = io.of(WIDGET_NAMESPACE) as unknown as WidgetNamespace;
  attachWidgetNamespace(ctx, widget, (conversationId, typing) => staff.to(rooms.conversation(conversationId)).emit('contact.typing', { conversationId, typing }));

  return {
    io,
    async close() {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      pub.disconnect();
      sub.disconnect();
    },
  };
}

async function visibleCampaigns(ctx: HubContext, principal: Principal): Promise<string[]> {
  if (!principal.roles.includes('admin')) return principal.campaignIds;
  const all = await ctx.db.kysely.selectFrom('campaigns').select('id').execute();
  return all.map((c) => c.id);
}

async function watch(ctx: HubContext, socket: StaffSocket, request: { conversationId: string }, ack: Ack, join: boolean): Promise<void> {
  const reply: Ack = typeof ack === 'function' ? ack : () => undefined;
  try {
    const id = request?.conversationId;
    if (typeof id !== 'string' || !UUID.test(id)) return reply({ ok: false, code: 'HUB_ERR_VALIDATION', message: 'conversationId inválido / invalid conversationId' });
    if (!join) {
      await socket.leave(rooms.conversation(id));
      return reply({ ok: true });
    }
    const conversation = await ctx.db.kysely.selectFrom('conversations').select('campaign_id').where('id', '=', id).executeTakeFirst();
    if (!conversation) return reply({ ok: false, code: 'HUB_ERR_CONVERSATION_NOT_FOUND', message: 'Conversación no encontrada / conversation not found' });
    // Fresh principal: memberships may have changed since the socket connected.
    const token: unknown = socket.handshake.auth['token'];
    const principal = await authenticateToken(ctx.db.kysely, ctx.config.JWT_SECRET, typeof token === 'string' ? token : undefined);
    if (!canAccessCampaign(principal, conversation.campaign_id)) {
      return reply({ ok: false, code: 'HUB_ERR_FORBIDDEN_CAMPAIGN', message: 'No pertenece a esta campaña / not a member of this campaign' });
    }
    await socket.join(rooms.conversation(id));
    reply({ ok: true });
  } catch (error) {
    const code = error instanceof HubError ? error.code : 'HUB_ERR_INTERNAL';
    reply({ ok: false, code, message: error instanceof Error ? error.message : 'error' });
  }
}
