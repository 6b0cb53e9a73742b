import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import { authorize, type Principal } from '../auth/principal.js';
import type { Database, Role } from '../db/schema.js';
import { assertEveryCampaign, requireContact, toContactView } from './contact-queries.js';
import type { ContactExport } from './contact.schema.js';

export const EXPORT_ROLES: readonly Role[] = ['admin', 'supervisor', 'auditor'];

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * Everything the hub holds about a person (data-protection access request, LFPDPPP ARCO).
 * It must be complete to be truthful, so the caller needs every campaign the contact is in;
 * a partial export would look complete to the citizen.
 */
export async function exportContact(
  db: Kysely<Database>,
  principal: Principal,
  contactId: string,
  meta: { ip: string | null; userAgent: string | null },
): Promise<ContactExport> {
  authorize(principal, EXPORT_ROLES);
  const access = await requireContact(db, contactId);
  assertEveryCampaign(principal, access);

  const identities = await db.selectFrom('contact_identities').selectAll().where('contact_id', '=', contactId).orderBy('created_at').execute();
  const merged = await db.selectFrom('contacts').selectAll().where('merged_into_id', '=', contactId).orderBy('created_at').execute();
  const conversations = await db.selectFrom('conversations').selectAll().where('contact_id', '=', contactId).orderBy('opened_at').execute();
  const conversationIds = conversations.map((c) => c.id);
  const messages =
    conversationIds.length === 0
      ? []
      : await db.selectFrom('messages').selectAll().where('conversation_id', 'in', conversationIds).orderBy('created_at').orderBy('id').execute();
  // Node 20 has no Map.groupBy.
  const messagesByConversation = new Map<string, typeof messages>();
  for (const m of messages) {
    const list = messagesByConversation.get(m.conversation_id);
    if (list) list.push(m);
    else messagesByConversation.set(m.conversation_id, [m]);
  }
  const contactIds = [contactId, ...merged.map((m) => m.id)];
  const events = await db
    .selectFrom('interaction_events')
    .selectAll()
    .where((eb) => eb.or([eb('contact_id', 'in', contactIds), ...(conversationIds.length > 0 ? [eb('conversation_id', 'in', conversationIds)] : [])]))
    .orderBy('id')
    .execute();

  const result: ContactExport = {
    exportedAt: new Date().toISOString(),
    exportedBy: principal.userId,
    contact: toContactView(access.contact),
    identities: identities.map((i) => ({ id: i.id, kind: i.kind, value: i.value, channelId: i.channel_id, createdAt: i.created_at.toISOString() })),
    mergedContacts: merged.map(toContactView),
    conversations: conversations.map((c) => ({
      id: c.id,
      folio: c.folio,
      campaignId: c.campaign_id,
      channelId: c.channel_id,
      status: c.status,
      openedAt: c.opened_at.toISOString(),
      closedAt: iso(c.closed_at),
      messages: (messagesByConversation.get(c.id) ?? []).map((m) => ({
        id: m.id,
        direction: m.direction,
        senderType: m.sender_type,
        contentType: m.content_type,
        text: m.text,
        attachments: m.attachments,
        status: m.status,
        createdAt: m.created_at.toISOString(),
        raw: m.raw ?? null,
      })),
    })),
    events: events.map((e) => ({
      id: e.id,
      occurredAt: e.occurred_at.toISOString(),
      type: e.type,
      campaignId: e.campaign_id,
      conversationId: e.conversation_id,
      actorType: e.actor_type,
      payload: e.payload,
    })),
  };

  // Audited after the read: the log records that the data left the hub, with what it contained.
  await recordAudit(db, {
    action: 'data.exported',
    actorUserId: principal.userId,
    actorLabel: principal.email,
    targetType: 'contact',
    targetId: contactId,
    ip: meta.ip,
    userAgent: meta.userAgent,
    details: { conversations: conversations.length, messages: messages.length, events: events.length, identities: identities.length },
  });
  return result;
}
