import { sql, type Kysely, type Transaction } from 'kysely';
import { campaignScope, type Principal } from '../auth/principal.js';
import type { Contact, Database, IdentityKind } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import type { ContactDetail, ContactSummary, ContactView } from './contact.schema.js';
import { normalizeEmail, normalizePhone } from './identity-normalize.js';

type Db = Kysely<Database> | Transaction<Database>;

export function toContactView(row: Contact): ContactView {
  return {
    id: row.id,
    displayName: row.display_name,
    curp: row.curp,
    rfc: row.rfc,
    nss: row.nss,
    mergedIntoId: row.merged_into_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface ContactAccess {
  contact: Contact;
  /** Campaigns where the contact has conversations (those of its merge target once merged). */
  campaignIds: string[];
}

/**
 * A contact belongs to the campaigns it has conversations in. A merged contact has handed its
 * conversations to its target, so it is reached through the target's campaigns instead.
 */
export async function loadContactAccess(db: Db, contactId: string): Promise<ContactAccess | null> {
  const contact = await db.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirst();
  if (!contact) return null;
  const owners = [contact.id, ...(contact.merged_into_id ? [contact.merged_into_id] : [])];
  const rows = await db.selectFrom('conversations').select('campaign_id').distinct().where('contact_id', 'in', owners).execute();
  return { contact, campaignIds: rows.map((r) => r.campaign_id) };
}

/** Visible when the caller shares at least one campaign with the contact (admins see all). */
export function isContactVisible(principal: Principal, access: ContactAccess): boolean {
  const scope = campaignScope(principal);
  return scope === null || access.campaignIds.some((id) => scope.includes(id));
}

export function assertContactVisible(principal: Principal, access: ContactAccess): void {
  if (!isContactVisible(principal, access)) throw new HubError('HUB_ERR_FORBIDDEN_CAMPAIGN');
}

/** For operations that touch the contact as a whole (merge, data export). */
export function assertEveryCampaign(principal: Principal, access: ContactAccess): void {
  assertContactVisible(principal, access);
  const scope = campaignScope(principal);
  const missing = scope ? access.campaignIds.filter((id) => !scope.includes(id)) : [];
  if (missing.length > 0) {
    throw new HubError(
      'HUB_ERR_FORBIDDEN_CAMPAIGN',
      'El contacto tiene conversaciones en campañas a las que usted no pertenece; pida el trámite a un administrador / the contact has conversations in campaigns you are not a member of; ask an administrator',
      { contactId: access.contact.id, inaccessibleCampaigns: missing.length },
    );
  }
}

export async function requireContact(db: Db, contactId: string): Promise<ContactAccess> {
  const access = await loadContactAccess(db, contactId);
  if (!access) throw new HubError('HUB_ERR_CONTACT_NOT_FOUND');
  return access;
}

/**
 * Contact, identities and history, limited to the caller's campaigns: a user of one campaign
 * sees that campaign's conversations only, and no channel-scoped identity of other campaigns.
 */
export async function getContactDetail(db: Db, principal: Principal, contactId: string): Promise<ContactDetail> {
  const access = await requireContact(db, contactId);
  assertContactVisible(principal, access);
  const scope = campaignScope(principal);
  const identities = await db
    .selectFrom('contact_identities as i')
    .leftJoin('channels as ch', 'ch.id', 'i.channel_id')
    .select(['i.id', 'i.kind', 'i.value', 'i.channel_id', 'i.created_at'])
    .where('i.contact_id', '=', contactId)
    .$if(scope !== null, (qb) => qb.where((eb) => eb.or([eb('i.channel_id', 'is', null), eb('ch.campaign_id', 'in', scope ?? [])])))
    .orderBy('i.created_at')
    .orderBy('i.id')
    .execute();
  const history = await db
    .selectFrom('conversations as v')
    .innerJoin('channels as ch', 'ch.id', 'v.channel_id')
    .innerJoin('campaigns as cp', 'cp.id', 'v.campaign_id')
    .select(['v.id', 'v.folio', 'v.campaign_id', 'cp.name as campaign_name', 'v.channel_id', 'ch.kind', 'ch.name as channel_name', 'v.status', 'v.opened_at', 'v.closed_at'])
    .where('v.contact_id', '=', contactId)
    .$if(scope !== null, (qb) => qb.where('v.campaign_id', 'in', scope ?? []))
    .orderBy('v.opened_at', 'desc')
    .orderBy('v.folio', 'desc')
    .execute();
  return {
    ...toContactView(access.contact),
    identities: identities.map((i) => ({ id: i.id, kind: i.kind, value: i.value, channelId: i.channel_id, createdAt: i.created_at.toISOString() })),
    history: history.map((h) => ({
      conversationId: h.id,
      folio: h.folio,
      campaignId: h.campaign_id,
      campaignName: h.campaign_name,
      channelId: h.channel_id,
      channelKind: h.kind,
      channelName: h.channel_name,
      status: h.status,
      openedAt: h.opened_at.toISOString(),
      closedAt: h.closed_at ? h.closed_at.toISOString() : null,
    })),
  };
}

const FOLIO = /^[A-Z]{2,5}-\d{8}-\d{6,}$/;

/** What a free-text query could be; every plausible reading is searched at once. */
function interpretQuery(q: string) {
  const compact = q.normalize('NFC').replace(/[\s-]+/g, '').toUpperCase();
  const upper = q.trim().toUpperCase();
  return {
    name: /\p{L}/u.test(q) && !q.includes('@') ? q.trim().toLowerCase() : null,
    phone: q.includes('@') ? null : normalizePhone(q),
    email: q.includes('@') ? normalizeEmail(q) : null,
    folio: FOLIO.test(upper) ? upper : null,
    curp: /^[A-Z0-9]{18}$/.test(compact) ? compact : null,
    rfc: /^[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}$/.test(compact) ? compact : null,
    nss: /^\d{11}$/.test(compact) ? compact : null,
  };
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** Active (not merged) contacts matching q by name, phone, email, folio, CURP, RFC or NSS. */
export async function searchContacts(db: Db, principal: Principal, q: string, limit: number): Promise<ContactSummary[]> {
  const scope = campaignScope(principal);
  if (scope?.length === 0) return [];
  const read = interpretQuery(q);
  const rows = await db
    .selectFrom('contacts as c')
    .selectAll('c')
    .select((eb) =>
      eb
        .selectFrom('conversations as v')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('v.contact_id', '=', 'c.id')
        .$if(scope !== null, (qb) => qb.where('v.campaign_id', 'in', scope ?? []))
        .as('conversation_count'),
    )
    .where('c.merged_into_id', 'is', null)
    .where((eb) => {
      const identity = (kinds: IdentityKind[], values: string[]) =>
        eb.exists(
          eb
            .selectFrom('contact_identities as i')
            .select(sql`1`.as('one'))
            .whereRef('i.contact_id', '=', 'c.id')
            .where('i.kind', 'in', kinds)
            .where('i.value', 'in', values),
        );
      const conditions = [];
      if (read.name) conditions.push(eb(sql`lower(c.display_name)`, 'like', likePattern(read.name)));
      // WhatsApp ids are the E.164 digits without '+'.
      if (read.phone) conditions.push(identity(['phone', 'whatsapp'], [read.phone, read.phone.slice(1)]));
      if (read.email) conditions.push(identity(['email'], [read.email]));
      if (read.curp) conditions.push(eb('c.curp', '=', read.curp));
      if (read.rfc) conditions.push(eb('c.rfc', '=', read.rfc));
      if (read.nss) conditions.push(eb('c.nss', '=', read.nss));
      if (read.folio) {
        const folio = read.folio;
        conditions.push(
          eb.exists(
            eb
              .selectFrom('conversations as f')
              .select(sql`1`.as('one'))
              .whereRef('f.contact_id', '=', 'c.id')
              .where('f.folio', '=', folio)
              .$if(scope !== null, (qb) => qb.where('f.campaign_id', 'in', scope ?? [])),
          ),
        );
      }
      return conditions.length > 0 ? eb.or(conditions) : sql<boolean>`false`;
    })
    .$if(scope !== null, (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('conversations as s')
            .select(sql`1`.as('one'))
            .whereRef('s.contact_id', '=', 'c.id')
            .where('s.campaign_id', 'in', scope ?? []),
        ),
      ),
    )
    .orderBy('c.updated_at', 'desc')
    .orderBy('c.id')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const identities = await db
    .selectFrom('contact_identities')
    .select(['contact_id', 'kind', 'value'])
    .where('contact_id', 'in', rows.map((r) => r.id))
    .where('channel_id', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map((row) => ({
    ...toContactView(row),
    identities: identities.filter((i) => i.contact_id === row.id).map((i) => ({ kind: i.kind, value: i.value })),
    conversationCount: Number(row.conversation_count ?? 0),
  }));
}
