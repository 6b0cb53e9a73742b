import type { ConversationStatus, Db, IdentityKind } from '@ventanilla/hub';

// kysely is a dependency of the hub package, not of test/: reach its types through the hub.
type Kysely = Db['kysely'];

/** Rows the ingest worker would have written, inserted directly so tests control every field. */
export async function createChannel(db: Kysely, campaignId: string, kind: string, name: string) {
  return db
    .insertInto('channels')
    .values({ campaign_id: campaignId, kind, name, settings: '{}', secrets: '{}' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function createContact(
  db: Kysely,
  input: { name?: string | null; curp?: string; rfc?: string; nss?: string; identities?: Array<{ kind: IdentityKind; value: string; channelId?: string }> } = {},
) {
  const contact = await db
    .insertInto('contacts')
    .values({ display_name: input.name ?? null, curp: input.curp ?? null, rfc: input.rfc ?? null, nss: input.nss ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const identity of input.identities ?? []) {
    await db
      .insertInto('contact_identities')
      .values({ contact_id: contact.id, kind: identity.kind, value: identity.value, channel_id: identity.channelId ?? null })
      .execute();
  }
  return contact;
}

export async function createConversation(
  db: Kysely,
  input: { campaignId: string; channelId: string; contactId: string; status?: ConversationStatus; closed?: boolean },
) {
  const { folio } = await db
    .selectNoFrom((eb) => eb.fn<string>('next_folio', [eb.val(input.campaignId)]).as('folio'))
    .executeTakeFirstOrThrow();
  const closed = input.closed ?? false;
  return db
    .insertInto('conversations')
    .values({
      folio,
      campaign_id: input.campaignId,
      channel_id: input.channelId,
      contact_id: input.contactId,
      status: input.status ?? (closed ? 'resolved' : 'queued'),
      closed_at: closed ? new Date() : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function auditEntries(db: Kysely, action: string, targetId: string) {
  return db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target_id', '=', targetId).execute();
}
