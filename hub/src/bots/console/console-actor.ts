import { requestMeta } from '../../audit/audit.js';
import type { Principal } from '../../auth/principal.js';

/** Who made a change, for audit_log. */
export interface ConsoleActor {
  userId: string;
  ip: string | null;
  userAgent: string | null;
}

export function actorOf(principal: Principal, request: Parameters<typeof requestMeta>[0]): ConsoleActor {
  const meta = requestMeta(request);
  return { userId: principal.userId, ip: meta.ip, userAgent: meta.userAgent };
}

export function auditActor(actor: ConsoleActor): { actorUserId: string; ip: string | null; userAgent: string | null } {
  return { actorUserId: actor.userId, ip: actor.ip, userAgent: actor.userAgent };
}
