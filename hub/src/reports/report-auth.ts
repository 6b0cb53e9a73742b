import type { FastifyRequest } from 'fastify';
import { authorize, type Principal } from '../auth/principal.js';
import { authenticateHook, bearerToken } from '../http/authenticate.js';
import { HubError } from '../errors/error-registry.js';
import type { HubContext } from '../runtime/context.js';
import { REPORT_TOKEN_PREFIX, type ReportTokenCaller, verifyReportToken } from './report-tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request came with a report token (BI tools) instead of a staff session. */
    reportToken: ReportTokenCaller | null;
  }
}

/** Roles that read reports (seed-digest §7.1: reports by role; auditors read, never change). */
export const REPORT_ROLES = ['admin', 'supervisor', 'auditor'] as const;

export type ReportCaller = { readonly kind: 'user'; readonly principal: Principal } | { readonly kind: 'token'; readonly token: ReportTokenCaller };

/**
 * The report routes' onRequest hook: a `vrt_…` bearer is a report token (checked here, nowhere
 * else accepts it: every other /api/v1 route runs the staff hook, which rejects it as a JWT);
 * anything else goes through the staff authentication unchanged.
 */
export function reportAuthHook(ctx: HubContext) {
  const staff = authenticateHook(ctx);
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request);
    if (token?.startsWith(REPORT_TOKEN_PREFIX)) {
      request.reportToken = await verifyReportToken(ctx.db.kysely, token, request.ip);
      return;
    }
    await staff(request);
  };
}

/** Who may read this campaign's reports: a token of that campaign, or staff with a report role in it. */
export function reportCaller(request: FastifyRequest, campaignId: string): ReportCaller {
  if (request.reportToken) {
    if (request.reportToken.campaignId !== campaignId) {
      throw new HubError('HUB_ERR_FORBIDDEN_CAMPAIGN', 'El token de reportes es de otra campaña / the report token belongs to another campaign');
    }
    return { kind: 'token', token: request.reportToken };
  }
  if (!request.principal) throw new HubError('HUB_ERR_AUTH_REQUIRED');
  authorize(request.principal, REPORT_ROLES, campaignId);
  return { kind: 'user', principal: request.principal };
}
