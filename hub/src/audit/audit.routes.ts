import { sql, type Kysely, type Transaction } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { campaignScope, authorize, type Principal } from '../auth/principal.js';
import type { Database, Role } from '../db/schema.js';
import { principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { recordAudit, requestMeta } from './audit.js';

const AUDIT_READERS: readonly Role[] = ['admin', 'auditor'];
const EXPORT_MAX_ROWS = 10_000;

const filters = {
  action: z
    .string()
    .regex(/^[a-z_]+\.([a-z_]+|\*)$/, 'p. ej. / e.g. auth.login_failed or auth.*')
    .optional()
    .describe('Exact action, or `noun.*` for every action of a noun'),
  actorUserId: z.uuid().optional(),
  campaignId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('Inclusive lower bound of occurredAt (ISO-8601)'),
  to: z.iso.datetime({ offset: true }).optional().describe('Exclusive upper bound of occurredAt (ISO-8601)'),
};
const listQuery = z.object({
  ...filters,
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().regex(/^[1-9][0-9]{0,17}$/).optional().describe('nextCursor of the previous page'),
});
const exportQuery = z.object({ ...filters, limit: z.coerce.number().int().min(1).max(EXPORT_MAX_ROWS).default(EXPORT_MAX_ROWS) });
type Filters = z.infer<typeof exportQuery> & { cursor?: string };

const entrySchema = z.object({
  id: z.string(),
  occurredAt: z.string(),
  action: z.string(),
  outcome: z.enum(['success', 'failure']),
  actorUserId: z.uuid().nullable(),
  actorLabel: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  campaignId: z.uuid().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
type Entry = z.infer<typeof entrySchema>;

/**
 * Newest first, id as the cursor (bigserial is monotonic per insert, occurred_at can tie).
 * Non-admins (auditors) see entries of their campaigns, plus campaign-less entries about themselves
 * (their own logins, changes to their own account) — never other people's account activity.
 */
async function findEntries(db: Kysely<Database> | Transaction<Database>, principal: Principal, query: Filters): Promise<{ items: Entry[]; more: boolean }> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(query.limit + 1);
  const { action } = query;
  if (action?.endsWith('.*')) q = q.where(sql<boolean>`starts_with(action, ${action.slice(0, -1)})`);
  else if (action) q = q.where('action', '=', action);
  if (query.actorUserId) q = q.where('actor_user_id', '=', query.actorUserId);
  if (query.campaignId) q = q.where('campaign_id', '=', query.campaignId);
  if (query.from) q = q.where('occurred_at', '>=', new Date(query.from));
  if (query.to) q = q.where('occurred_at', '<', new Date(query.to));
  if (query.cursor) q = q.where(sql<boolean>`id < ${query.cursor}::bigint`);
  const scope = campaignScope(principal);
  if (scope) {
    q = q.where((eb) =>
      eb.or([
        ...(scope.length > 0 ? [eb('campaign_id', 'in', scope)] : []),
        eb.and([
          eb('campaign_id', 'is', null),
          eb.or([eb('actor_user_id', '=', principal.userId), eb.and([eb('target_type', '=', 'user'), eb('target_id', '=', principal.userId)])]),
        ]),
      ]),
    );
  }
  const rows = await q.execute();
  const items = rows.slice(0, query.limit).map((row) => ({
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    action: row.action,
    outcome: row.outcome,
    actorUserId: row.actor_user_id,
    actorLabel: row.actor_label,
    targetType: row.target_type,
    targetId: row.target_id,
    campaignId: row.campaign_id,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
  }));
  return { items, more: rows.length > query.limit };
}

const CSV_COLUMNS = ['id', 'occurredAt', 'action', 'outcome', 'actorUserId', 'actorLabel', 'targetType', 'targetId', 'campaignId', 'ip', 'userAgent', 'details'] as const;

function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A cell starting like a formula would run in a spreadsheet (CSV injection): keep it as text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(items: Entry[]): string {
  const lines = [CSV_COLUMNS.join(','), ...items.map((item) => CSV_COLUMNS.map((column) => csvCell(item[column])).join(','))];
  // BOM: Excel (common in the offices that receive these) otherwise misreads UTF-8 accents.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** GET /audit and its CSV export: admins and auditors only; read-only by construction. */
export function auditRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;

    app.get(
      '/audit',
      {
        schema: {
          tags: ['audit'],
          summary: 'Bitácora de auditoría / audit log, newest first (admin, auditor)',
          querystring: listQuery,
          response: { 200: z.object({ items: z.array(entrySchema), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, AUDIT_READERS, request.query.campaignId);
        const { items, more } = await findEntries(db, principal, request.query);
        return { items, nextCursor: more ? (items.at(-1)?.id ?? null) : null };
      },
    );

    app.get(
      '/audit/export',
      {
        schema: {
          tags: ['audit'],
          summary: 'Exportar bitácora en CSV / export the filtered audit log as CSV (itself audited)',
          querystring: exportQuery,
          response: { 200: { description: 'CSV (UTF-8 with BOM)', content: { 'text/csv': { schema: z.string() } } } },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, AUDIT_READERS, request.query.campaignId);
        // Read and audit together: an export that happened is always on record.
        const { items, more } = await db.transaction().execute(async (trx) => {
          const found = await findEntries(trx, principal, request.query);
          await recordAudit(trx, {
            action: 'data.exported',
            actorUserId: principal.userId,
            actorLabel: principal.email,
            targetType: 'audit_log',
            campaignId: request.query.campaignId ?? null,
            ...requestMeta(request),
            details: { resource: 'audit_log', format: 'csv', filters: request.query, rows: found.items.length, truncated: found.more },
          });
          return found;
        });
        const stamp = new Date().toISOString().slice(0, 10).replaceAll('-', '');
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="auditoria-${stamp}.csv"`)
          .header('x-export-truncated', String(more))
          .send(toCsv(items));
      },
    );
  };
}
