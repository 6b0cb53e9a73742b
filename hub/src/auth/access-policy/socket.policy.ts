import type { SocketEventPolicy } from './access-policy.types.js';
import { MANAGERS, open, STAFF, staff } from './role-sets.js';

const VISITOR = 'Token del visitante del widget + Origin permitido; solo su propia conversación / the widget visitor token + an allowed Origin; only their own conversation';

/**
 * socket.io events (hub/src/realtime/realtime.server.ts, events.contract.ts). The /staff
 * handshake refuses any caller without STAFF_ROLES (quality analysts never see live traffic);
 * each event then checks its own campaign against a freshly loaded principal.
 */
export const SOCKET_EVENTS: readonly SocketEventPolicy[] = [
  { namespace: '/staff', event: 'connect', access: staff(STAFF), campaign: 'own', outcome: 'connect', note: 'Se une a las salas de sus campañas / joins the rooms of their campaigns' },
  { namespace: '/staff', event: 'conversation.watch', access: staff(STAFF), campaign: 'resource', outcome: 'ack' },
  { namespace: '/staff', event: 'conversation.unwatch', access: staff(STAFF), campaign: 'own', outcome: 'ack', note: 'Salir de una sala no necesita permiso / leaving a room needs no permission' },
  { namespace: '/staff', event: 'conversation.typing', access: staff(STAFF), campaign: 'resource', outcome: 'silent', note: 'Solo se retransmite la del agente asignado / only the assignee’s typing is relayed' },
  { namespace: '/staff', event: 'wallboard.watch', access: staff(MANAGERS), campaign: 'input', outcome: 'ack' },
  { namespace: '/staff', event: 'wallboard.unwatch', access: staff(STAFF), campaign: 'own', outcome: 'ack', note: 'Salir de una sala no necesita permiso / leaving a room needs no permission' },
  { namespace: '/widget', event: 'connect', access: open('visitor-token', VISITOR), campaign: 'own', outcome: 'connect' },
  { namespace: '/widget', event: 'session.join', access: open('visitor-token', VISITOR), campaign: 'own', outcome: 'ack' },
  { namespace: '/widget', event: 'visitor.typing', access: open('visitor-token', VISITOR), campaign: 'own', outcome: 'silent' },
  { namespace: '/widget', event: 'messages.read', access: open('visitor-token', VISITOR), campaign: 'own', outcome: 'ack' },
];
