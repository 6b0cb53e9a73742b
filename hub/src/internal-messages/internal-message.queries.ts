import { sql, type Kysely } from 'kysely';
import { campaignScope, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { InternalMessageView } from '../realtime/events.contract.js';
import { agentToAgentAllowed, canWrite } from './internal-message.policy.js';
import { toInternalMessageView } from './send-internal-message.usecase.js';

/** The thread between the caller and one user, newest first, paged by created_at. */
export async function readThread(
  db: Kysely<Database>,
  principal: Principal,
  query: { with: string; before?: string | undefined; limit: number },
): Promise<{ items: InternalMessageView[]; nextBefore: string | null }> {
  const me = principal.userId;
  const scope = campaignScope(principal);
  let q = db
    .selectFrom('internal_messages as m')
    .innerJoin('users as f', 'f.id', 'm.from_user_id')
    .innerJoin('users as t', 't.id', 'm.to_user_id')
    .selectAll('m')
    .select(['f.display_name as from_name', 't.display_name as to_name'])
    .where((eb) => eb.or([eb.and([eb('m.from_user_id', '=', me), eb('m.to_user_id', '=', query.with)]), eb.and([eb('m.from_user_id', '=', query.with), eb('m.to_user_id', '=', me)])]))
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(query.limit + 1);
  if (scope !== null) q = q.where('m.campaign_id', 'in', scope.length > 0 ? scope : ['00000000-0000-0000-0000-000000000000']);
  if (query.before) q = q.where('m.created_at', '<', new Date(query.before));
  const rows = await q.execute();
  const page = rows.slice(0, query.limit);
  const items = page.map((r) => toInternalMessageView(r, r.from_name, r.to_name));
  const last = page[page.length - 1];
  return { items, nextBefore: rows.length > query.limit && last ? last.created_at.toISOString() : null };
}

export interface ThreadSummary {
  userId: string;
  displayName: string;
  lastBody: string;
  lastAt: string;
  unreadCount: number;
}

/** One row per counterpart: the last message and how many of theirs the caller has not read. */
export async function listThreads(db: Kysely<Database>, principal: Principal): Promise<ThreadSummary[]> {
  const me = principal.userId;
  const result = await sql<{ user_id: string; display_name: string; last_body: string; last_at: Date; unread: string }>`
    WITH mine AS (
      SELECT CASE WHEN from_user_id = ${me}::uuid THEN to_user_id ELSE from_user_id END AS other, body, created_at, to_user_id, read_at
      FROM internal_messages WHERE from_user_id = ${me}::uuid OR to_user_id = ${me}::uuid
    )
    SELECT DISTINCT ON (m.other) m.other AS user_id, u.display_name, m.body AS last_body, m.created_at AS last_at,
      (SELECT count(*) FROM mine x WHERE x.other = m.other AND x.to_user_id = ${me}::uuid AND x.read_at IS NULL) AS unread
    FROM mine m JOIN users u ON u.id = m.other
    ORDER BY m.other, m.created_at DESC`.execute(db);
  return result.rows
    .map((r) => ({ userId: r.user_id, displayName: r.display_name, lastBody: r.last_body, lastAt: new Date(r.last_at).toISOString(), unreadCount: Number(r.unread) }))
    .sort((a, b) => b.lastAt.localeCompare(a.lastAt));
}

export interface ContactOption {
  userId: string;
  displayName: string;
  roles: string[];
  campaignId: string;
  campaignName: string;
}

/** Whom the caller may write to, per campaign (the compose list): the policy applied to each member. */
export async function listContacts(db: Kysely<Database>, principal: Principal): Promise<ContactOption[]> {
  const scope = campaignScope(principal);
  let q = db
    .selectFrom('user_campaigns as uc')
    .innerJoin('users as u', 'u.id', 'uc.user_id')
    .innerJoin('campaigns as c', 'c.id', 'uc.campaign_id')
    .select(['u.id', 'u.display_name', 'u.roles', 'c.id as campaign_id', 'c.name as campaign_name', 'c.settings'])
    .where('u.disabled', '=', false)
    .where('u.id', '!=', principal.userId)
    .orderBy('c.name')
    .orderBy('u.display_name');
  if (scope !== null) q = q.where('uc.campaign_id', 'in', scope.length > 0 ? scope : ['00000000-0000-0000-0000-000000000000']);
  const rows = await q.execute();
  const sender = { userId: principal.userId, roles: principal.roles, campaignIds: principal.campaignIds };
  return rows
    .filter((r) => canWrite(sender, { userId: r.id, roles: r.roles, campaignIds: [r.campaign_id] }, r.campaign_id, agentToAgentAllowed(r.settings)).ok)
    .map((r) => ({ userId: r.id, displayName: r.display_name, roles: r.roles, campaignId: r.campaign_id, campaignName: r.campaign_name }));
}

export interface ExportRow {
  id: string;
  createdAt: Date;
  fromEmail: string;
  fromName: string;
  toEmail: string;
  toName: string;
  body: string;
  readAt: Date | null;
}

export async function exportRows(db: Kysely<Database>, campaignId: string, from: Date, to: Date): Promise<ExportRow[]> {
  const rows = await db
    .selectFrom('internal_messages as m')
    .innerJoin('users as f', 'f.id', 'm.from_user_id')
    .innerJoin('users as t', 't.id', 'm.to_user_id')
    .select(['m.id', 'm.created_at', 'm.body', 'm.read_at', 'f.email as from_email', 'f.display_name as from_name', 't.email as to_email', 't.display_name as to_name'])
    .where('m.campaign_id', '=', campaignId)
    .where('m.created_at', '>=', from)
    .where('m.created_at', '<', to)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, fromEmail: r.from_email, fromName: r.from_name, toEmail: r.to_email, toName: r.to_name, body: r.body, readAt: r.read_at }));
}
