import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Principal } from '../auth/principal.js';
import { campaignScope } from '../auth/principal.js';
import type { Conversation, Database } from '../db/schema.js';
import type { ConversationListItem, ConversationSummary } from '../realtime/events.contract.js';
import { myQueuesCondition, searchCondition } from './conversation-search.js';
import { toConversationListItem, toConversationSummary } from './conversation-views.js';

export interface ConversationFilter {
  campaignId?: string;
  channelId?: string;
  status?: Conversation['status'][];
  folio?: string;
  assignedToMe?: boolean;
  open?: boolean;
  /** Folio prefix, phone digits, e-mail or part of the contact's name (conversation-search.ts). */
  q?: string;
  queueIds?: string[];
  /** Only queues whose required skills the caller holds (conversation-search.ts). */
  myQueues?: boolean;
  limit: number;
  /** Opaque cursor: `<last_message_at ISO>|<id>` of the last row of the previous page. */
  cursor?: string;
}

type ConversationRow = Conversation & { channel_kind: string; contact_name: string | null; assignee_name: string | null };

function baseQuery(
  db: Kysely<Database>,
): SelectQueryBuilder<Database & { assignee: Database['users'] }, 'conversations' | 'channels' | 'contacts' | 'assignee', ConversationRow> {
  return db
    .selectFrom('conversations')
    .innerJoin('channels', 'channels.id', 'conversations.channel_id')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .leftJoin('users as assignee', 'assignee.id', 'conversations.assignee_id')
    .selectAll('conversations')
    .select(['channels.kind as channel_kind', 'contacts.display_name as contact_name', 'assignee.display_name as assignee_name']);
}

function summary(row: ConversationRow): ConversationSummary {
  return toConversationSummary(row, { channelKind: row.channel_kind, contactName: row.contact_name });
}

/** Lists conversations the caller may see, newest activity first, keyset-paginated. */
export async function listConversations(
  db: Kysely<Database>,
  principal: Principal,
  filter: ConversationFilter,
): Promise<{ items: ConversationListItem[]; nextCursor: string | null }> {
  const scope = campaignScope(principal);
  if (scope !== null && scope.length === 0) return { items: [], nextCursor: null };
  let query = baseQuery(db);
  if (scope !== null) query = query.where('conversations.campaign_id', 'in', scope);
  if (filter.campaignId) query = query.where('conversations.campaign_id', '=', filter.campaignId);
  if (filter.channelId) query = query.where('conversations.channel_id', '=', filter.channelId);
  if (filter.status?.length) query = query.where('conversations.status', 'in', filter.status);
  if (filter.folio) query = query.where('conversations.folio', '=', filter.folio.toUpperCase());
  // Past the campaign's online retention (privacy/purge.usecase.ts): out of the lists; admins and supervisors still find it by folio.
  if (!(filter.folio && principal.roles.some((role) => role === 'admin' || role === 'supervisor'))) query = query.where(sql<boolean>`conversations.archived_at IS NULL`);
  if (filter.assignedToMe) query = query.where('conversations.assignee_id', '=', principal.userId);
  if (filter.open !== undefined) query = query.where('conversations.closed_at', filter.open ? 'is' : 'is not', null);
  if (filter.q?.trim()) query = query.where(searchCondition(filter.q));
  if (filter.queueIds?.length) query = query.where('conversations.queue_id', 'in', filter.queueIds);
  if (filter.myQueues) query = query.where(myQueuesCondition(principal.userId, principal.campaignIds));
  const cursor = parseCursor(filter.cursor);
  if (cursor) {
    query = query.where(sql<boolean>`(conversations.last_message_at, conversations.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`);
  }
  const rows = await query
    .orderBy('conversations.last_message_at', 'desc')
    .orderBy('conversations.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => toConversationListItem(row, { channelKind: row.channel_kind, contactName: row.contact_name, assigneeName: row.assignee_name })),
    nextCursor: rows.length > filter.limit && last ? `${last.last_message_at.toISOString()}|${last.id}` : null,
  };
}

function parseCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  const [at, id] = cursor.split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) return null;
  return { at, id };
}

export async function findConversation(db: Kysely<Database>, by: { id: string } | { folio: string }): Promise<ConversationRow | undefined> {
  const query = baseQuery(db);
  return 'id' in by ? query.where('conversations.id', '=', by.id).executeTakeFirst() : query.where('conversations.folio', '=', by.folio.toUpperCase()).executeTakeFirst();
}

export async function conversationDetail(db: Kysely<Database>, row: ConversationRow) {
  const [identities, messages, events] = await Promise.all([
    db.selectFrom('contact_identities').select(['kind', 'value', 'channel_id']).where('contact_id', '=', row.contact_id).orderBy('created_at').execute(),
    db.selectFrom('messages').selectAll().where('conversation_id', '=', row.id).orderBy('created_at').orderBy('id').limit(500).execute(),
    db.selectFrom('interaction_events').selectAll().where('conversation_id', '=', row.id).orderBy('id').limit(1000).execute(),
  ]);
  return { summary: summary(row), identities, messages, events };
}
