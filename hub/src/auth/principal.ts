import { HubError } from '../errors/error-registry.js';
import type { Role } from '../db/schema.js';

/** Who is calling, loaded fresh from the database for every request (roles can change). */
export interface Principal {
  userId: string;
  email: string;
  displayName: string;
  roles: Role[];
  campaignIds: string[];
}

export function hasRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.some((role) => roles.includes(role));
}

export function assertRole(principal: Principal, roles: readonly Role[]): void {
  if (!hasRole(principal, roles)) {
    throw new HubError('HUB_ERR_FORBIDDEN_ROLE', undefined, { required: roles });
  }
}

/** Admins see every campaign; everyone else only the campaigns they belong to. */
export function canAccessCampaign(principal: Principal, campaignId: string): boolean {
  return principal.roles.includes('admin') || principal.campaignIds.includes(campaignId);
}

export function assertCampaign(principal: Principal, campaignId: string): void {
  if (!canAccessCampaign(principal, campaignId)) throw new HubError('HUB_ERR_FORBIDDEN_CAMPAIGN');
}

/** Campaign filter for list queries: null = no filter (admin). */
export function campaignScope(principal: Principal): string[] | null {
  return principal.roles.includes('admin') ? null : principal.campaignIds;
}

/** Both checks in one call — the shape every route uses. */
export function authorize(principal: Principal, roles: readonly Role[], campaignId?: string): void {
  assertRole(principal, roles);
  if (campaignId !== undefined) assertCampaign(principal, campaignId);
}

export const STAFF_ROLES: readonly Role[] = ['admin', 'supervisor', 'agent', 'trainer', 'auditor'];
export const HANDLING_ROLES: readonly Role[] = ['admin', 'supervisor', 'agent'];
