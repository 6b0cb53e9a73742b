import type { Role } from '../../db/schema.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/**
 * Where the campaign a request acts on comes from, and so how a user of another campaign is
 * turned away. Admins belong to every campaign (principal.ts canAccessCampaign).
 */
export type CampaignScope =
  /** The campaign id is in the URL: another campaign's user gets 403. */
  | 'path'
  /** The row in the URL belongs to a campaign: another campaign's user gets 403 (or 404, see `foreignDenial`). */
  | 'resource'
  /** The campaign id is in the body or the query string: 403 for another campaign. */
  | 'input'
  /** A list filtered to the caller's campaigns: allowed, but another campaign's rows never appear. */
  | 'filtered'
  /** Only the caller's own things (their seat, their messages, their session). */
  | 'own'
  /** Not campaign data (users, campaigns themselves, global settings): only admins manage it. */
  | 'global';

/** Who may call a staff route: a valid session of an enabled user with one of `roles`. */
export interface StaffAccess {
  kind: 'roles';
  roles: readonly Role[];
}

/** Any signed-in user, whatever their roles (their own session and profile). */
export interface SessionAccess {
  kind: 'session';
}

/** No staff session: something else proves the caller (or nothing needs proving), with why. */
export interface PublicAccess {
  kind: 'public';
  guard: 'none' | 'origin' | 'signature' | 'visitor-token' | 'folio-secret' | 'signed-link' | 'credentials';
  reason: string;
}

export type Access = StaffAccess | SessionAccess | PublicAccess;

export interface RoutePolicy {
  method: HttpMethod;
  /** The URL exactly as Fastify registers it (`:param`, `*`). */
  url: string;
  access: Access;
  campaign: CampaignScope;
  /**
   * The status another campaign's user gets when it is not 403: 404 where the lookup is already
   * scoped to the caller's campaigns, so a foreign id is indistinguishable from a missing one.
   */
  foreignDenial?: 404;
  /** A rule finer than role × campaign (assignee only, recipient only…), in es-MX / en. */
  note?: string;
}

/** A staff socket event (namespace /staff) or the widget namespace. */
export interface SocketEventPolicy {
  namespace: '/staff' | '/widget';
  event: string;
  access: Access;
  campaign: CampaignScope;
  /** How the outcome is observable: an ack with ok/code, or nothing (fire-and-forget). */
  outcome: 'ack' | 'silent' | 'connect';
  note?: string;
}
