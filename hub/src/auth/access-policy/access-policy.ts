import type { Role } from '../../db/schema.js';
import type { Access, RoutePolicy } from './access-policy.types.js';
import { OPERATIONS_ROUTES } from './rest-operations.policy.js';
import { CORE_ROUTES } from './rest-core.policy.js';
import { PUBLIC_ROUTES } from './rest-public.policy.js';

export type { Access, CampaignScope, HttpMethod, RoutePolicy, SocketEventPolicy } from './access-policy.types.js';
export { SOCKET_EVENTS } from './socket.policy.js';

/**
 * The declared authorization policy (issue 12): every route the hub registers, who may call it
 * and how another campaign's user is kept out. test/authz fails on a registered route missing
 * here and on any route whose real answers differ; docs/authorization-matrix.md is generated from it.
 */
export const ACCESS_POLICY: readonly RoutePolicy[] = [...PUBLIC_ROUTES, ...CORE_ROUTES, ...OPERATIONS_ROUTES];

export function routeKey(route: { method: string; url: string }): string {
  return `${route.method} ${route.url}`;
}

export function findRoutePolicy(method: string, url: string): RoutePolicy | undefined {
  return ACCESS_POLICY.find((rule) => rule.method === method && rule.url === url);
}

/** Whether the declared access lets a signed-in user with these roles through the role gate. */
export function allowsRoles(access: Access, roles: readonly Role[]): boolean {
  if (access.kind === 'public' || access.kind === 'session') return true;
  return roles.some((role) => access.roles.includes(role));
}
