import type { Role } from '../../db/schema.js';
import type { Access, PublicAccess, SessionAccess, StaffAccess } from './access-policy.types.js';

/*
 * Literal role lists, deliberately not imported from the routes: the policy is a declaration the
 * authorization matrix test holds the code to, so a route that starts letting a new role in fails it.
 */
export const ADMIN: readonly Role[] = ['admin'];
export const AGENT: readonly Role[] = ['agent'];
export const MANAGERS: readonly Role[] = ['admin', 'supervisor'];
export const AUDIT: readonly Role[] = ['admin', 'auditor'];
export const OVERSIGHT: readonly Role[] = ['admin', 'supervisor', 'auditor'];
export const HANDLING: readonly Role[] = ['admin', 'supervisor', 'agent'];
export const STAFF: readonly Role[] = ['admin', 'supervisor', 'agent', 'trainer', 'auditor'];
export const BOT_EDITORS: readonly Role[] = ['admin', 'trainer'];
/** The intent console's readers and the knowledge base's editors happen to be the same three. */
export const BOT_READERS_KB_EDITORS: readonly Role[] = ['admin', 'supervisor', 'trainer'];
export const QUALITY_READERS: readonly Role[] = ['admin', 'supervisor', 'auditor', 'quality_analyst'];
export const QUALITY_EVALUATORS: readonly Role[] = ['quality_analyst'];
export const RECORDING_LISTENERS: readonly Role[] = ['admin', 'supervisor', 'agent', 'auditor', 'quality_analyst'];
export const EVERY_ROLE: readonly Role[] = ['admin', 'supervisor', 'agent', 'trainer', 'auditor', 'quality_analyst'];

export function staff(roles: readonly Role[]): StaffAccess {
  return { kind: 'roles', roles };
}

export const SESSION: SessionAccess = { kind: 'session' };

export function open(guard: PublicAccess['guard'], reason: string): Access {
  return { kind: 'public', guard, reason };
}
