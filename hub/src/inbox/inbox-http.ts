import type { FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { recordAudit, requestMeta, type AuditAction } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import type { Database, Role } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { formatProblems, parseWith } from '../router/config/routing-problem.js';

/** What the three agent-desktop resources (canned responses, tipification, KB) share. */

export type Db = Kysely<Database> | Transaction<Database>;

export const ADMIN_OR_SUPERVISOR: readonly Role[] = ['admin', 'supervisor'];
/** Who writes the knowledge base: the bot trainer too (seed-digest §4.4). */
export const KB_EDITORS: readonly Role[] = ['admin', 'supervisor', 'trainer'];

export const idParams = z.object({ id: z.uuid() });
export const noContent = z.null().describe('Sin contenido / no content');

/**
 * Bodies are parsed in the handler so every message is bilingual and names the field (Fastify's
 * validator answers with zod's English texts); the union with `unknown` keeps the real shape in
 * the OpenAPI document, as in router/http/routing-admin.routes.ts.
 */
export const documented = <S extends z.ZodType>(schema: S) => z.union([schema, z.unknown()]);

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = parseWith(schema, body);
  if (!parsed.ok) throw new HubError('HUB_ERR_VALIDATION', formatProblems(parsed.problems), { problems: parsed.problems });
  return parsed.value;
}

export async function assertCampaignExists(db: Db, campaignId: string): Promise<void> {
  if (!(await db.selectFrom('campaigns').select('id').where('id', '=', campaignId).executeTakeFirst())) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
}

/** A unique-constraint violation by name, from node-postgres or the embedded PGlite alike. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505' && 'constraint' in error && error.constraint === constraint;
}

/** `%text%` for LIKE, with the user's own wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface InboxAuditInput {
  action: Extract<AuditAction, `canned_response.${string}` | `disposition_code.${string}` | `kb_article.${string}`>;
  campaignId: string;
  targetType: 'canned_response' | 'disposition_code' | 'kb_article';
  targetId: string;
  details: Record<string, unknown>;
}

export async function auditChange(trx: Transaction<Database>, request: FastifyRequest, principal: Principal, entry: InboxAuditInput): Promise<void> {
  await recordAudit(trx, { actorUserId: principal.userId, ...requestMeta(request), ...entry });
}
