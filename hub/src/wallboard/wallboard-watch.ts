import type { Socket } from 'socket.io';
import { authenticateToken } from '../auth/load-principal.js';
import { authorize } from '../auth/principal.js';
import { HubError } from '../errors/error-registry.js';
import { rooms, type Ack, type ClientToServerEvents, type ServerToClientEvents, type SocketData } from '../realtime/events.contract.js';
import type { HubContext } from '../runtime/context.js';
import { wallboardKeys, WATCHED_TTL_MS } from './wallboard-keys.js';
import { WALLBOARD_ROLES } from './wallboard-thresholds.store.js';

type StaffSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `wallboard.watch` / `wallboard.unwatch` of the staff socket: admins and the campaign's
 * supervisors join `wallboard:<campaignId>`; agents and other campaigns are refused. The
 * principal is loaded fresh (roles and memberships may have changed since the socket connected).
 */
export function wallboardWatchHandler(ctx: HubContext, socket: StaffSocket, join: boolean) {
  return (request: { campaignId: string }, ack: Ack): void => {
    const reply: Ack = typeof ack === 'function' ? ack : () => undefined;
    void (async () => {
      const id = request?.campaignId;
      if (typeof id !== 'string' || !UUID.test(id)) return reply({ ok: false, code: 'HUB_ERR_VALIDATION', message: 'campaignId inválido / invalid campaignId' });
      if (!join) {
        await socket.leave(rooms.wallboard(id));
        return reply({ ok: true });
      }
      const token: unknown = socket.handshake.auth['token'];
      const principal = await authenticateToken(ctx.db.kysely, ctx.config.JWT_SECRET, typeof token === 'string' ? token : undefined);
      authorize(principal, WALLBOARD_ROLES, id);
      await socket.join(rooms.wallboard(id));
      // Events handled by any process now build snapshots for this campaign.
      await ctx.redis.set(wallboardKeys(ctx.config.REDIS_PREFIX, id).watched, '1', 'PX', WATCHED_TTL_MS);
      reply({ ok: true });
    })().catch((error: unknown) => {
      const code = error instanceof HubError ? error.code : 'HUB_ERR_INTERNAL';
      reply({ ok: false, code, message: error instanceof HubError ? error.message : 'Error interno / internal error' });
    });
  };
}
