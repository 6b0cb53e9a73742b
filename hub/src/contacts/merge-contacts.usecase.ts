import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import { authorize, type Principal } from '../auth/principal.js';
import type { Contact, Database, Role } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { appendEvents } from '../domain/interaction-events.js';
import { writeOutbox, type OutboxRow } from '../outbox/outbox.js';
import { rooms } from '../realtime/events.contract.js';
import { assertEveryCampaign, loadContactAccess } from './contact-queries.js';

export const MERGE_ROLES: readonly Role[] = ['admin', 'supervisor'];

export interface MergeContactsInput {
  sourceContactId: string;
  targetContactId: string;
}

export interface MergeContactsResult {
  sourceContactId: string;
  targetContactId: string;
  movedConversations: Array<{ id: string; folio: string; campaignId: string }>;
  movedIdentities: number;
  filledFields: Array<'displayName' | 'curp' | 'rfc' | 'nss'>;
}

export interface MergeContactsDeps {
  db: Kysely<Database>;
  relay: { publishCommitted(rows: OutboxRow[]): void };
}

const OFFICIAL_IDS = [
  ['curp', 'CURP'],
  ['rfc', 'RFC'],
  ['nss', 'NSS'],
] as const;

const conflict = (message: string, details?: unknown) => new HubError('HUB_ERR_CONFLICT', message, details);

/**
 * Merges source into target in one transaction: identities and conversations (with their folios
 * and events) move to the target, so both histories survive; the source stays as a tombstone
 * pointing at the target (merged_into_id) for clients and for the ingest worker to follow.
 *
 * Open conversations on the same channel on both sides make the merge refuse (409) rather than
 * auto-resolve one: an agent may be working on it, and a fabricated 'resolved' would enter the
 * append-only event log that KPIs and billing are derived from. A supervisor resolves one first.
 */
export async function mergeContacts(
  deps: MergeContactsDeps,
  principal: Principal,
  input: MergeContactsInput,
  meta: { ip: string | null; userAgent: string | null },
): Promise<MergeContactsResult> {
  authorize(principal, MERGE_ROLES);
  const { sourceContactId: sourceId, targetContactId: targetId } = input;
  if (sourceId === targetId) {
    throw conflict('No se puede fusionar un contacto consigo mismo / a contact cannot be merged into itself');
  }

  const { result, outboxRows } = await deps.db.transaction().execute(async (trx) => {
    // Lock in id order so two merges over the same pair cannot deadlock.
    const locked = new Map<string, Contact>();
    for (const id of [sourceId, targetId].sort()) {
      const row = await trx.selectFrom('contacts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw new HubError('HUB_ERR_CONTACT_NOT_FOUND', undefined, { contactId: id });
      locked.set(id, row);
    }
    const source = locked.get(sourceId);
    const target = locked.get(targetId);
    if (!source || !target) throw new HubError('HUB_ERR_CONTACT_NOT_FOUND');

    for (const id of [sourceId, targetId]) {
      const access = await loadContactAccess(trx, id);
      if (!access) throw new HubError('HUB_ERR_CONTACT_NOT_FOUND', undefined, { contactId: id });
      assertEveryCampaign(principal, access);
    }
    if (source.merged_into_id) {
      throw conflict('El contacto origen ya fue fusionado / the source contact was already merged', { mergedIntoId: source.merged_into_id });
    }
    if (target.merged_into_id) {
      throw conflict('El contacto destino ya fue fusionado en otro; use ese como destino / the target contact was merged into another one; merge into that one', {
        mergedIntoId: target.merged_into_id,
      });
    }

    const clashing = OFFICIAL_IDS.filter(([field]) => source[field] !== null && target[field] !== null && source[field] !== target[field]);
    if (clashing.length > 0) {
      const names = clashing.map(([, label]) => label).join(', ');
      throw conflict(`Los contactos tienen distinto ${names}; corrija uno antes de fusionar / the contacts have a different ${names}; correct one before merging`, {
        fields: clashing.map(([field]) => field),
      });
    }

    await assertNoOpenClash(trx, sourceId, targetId);

    const identities = await trx.updateTable('contact_identities').set({ contact_id: targetId }).where('contact_id', '=', sourceId).returning('id').execute();
    const conversations = await trx
      .updateTable('conversations')
      .set({ contact_id: targetId, updated_at: new Date() })
      .where('contact_id', '=', sourceId)
      .returning(['id', 'folio', 'campaign_id'])
      .execute()
      .catch((error: unknown) => {
        // The ingest worker opened a clashing conversation after our check: same answer as above.
        if (isUniqueViolation(error, 'conversations_one_open_idx')) throw openClash([]);
        throw error;
      });

    const filledFields: MergeContactsResult['filledFields'] = [];
    if (target.display_name === null && source.display_name !== null) filledFields.push('displayName');
    for (const [field] of OFFICIAL_IDS) if (target[field] === null && source[field] !== null) filledFields.push(field);
    await trx
      .updateTable('contacts')
      .set({
        display_name: target.display_name ?? source.display_name,
        curp: target.curp ?? source.curp,
        rfc: target.rfc ?? source.rfc,
        nss: target.nss ?? source.nss,
        updated_at: new Date(),
      })
      .where('id', '=', targetId)
      .execute();
    await trx.updateTable('contacts').set({ merged_into_id: targetId, updated_at: new Date() }).where('id', '=', sourceId).execute();
    // Contacts merged into the source earlier now point straight at the target: one hop to follow.
    await trx.updateTable('contacts').set({ merged_into_id: targetId, updated_at: new Date() }).where('merged_into_id', '=', sourceId).execute();

    const campaignIds = (await loadContactAccess(trx, targetId))?.campaignIds ?? [];
    const movedConversations = conversations.map((c) => ({ id: c.id, folio: c.folio, campaignId: c.campaign_id }));
    for (const campaignId of campaignIds) {
      await appendEvents(trx, { campaignId, actorType: 'agent', actorId: principal.userId }, [
        {
          type: 'contact.merged',
          contactId: targetId,
          payload: {
            sourceContactId: sourceId,
            targetContactId: targetId,
            movedConversationIds: movedConversations.filter((c) => c.campaignId === campaignId).map((c) => c.id),
          },
        },
      ]);
    }
    const outboxRows = await writeOutbox(
      trx,
      campaignIds.map((campaignId) => ({
        event: 'contact.merged' as const,
        rooms: [rooms.campaign(campaignId)],
        data: { campaignId, sourceContactId: sourceId, targetContactId: targetId },
      })),
    );
    const result: MergeContactsResult = { sourceContactId: sourceId, targetContactId: targetId, movedConversations, movedIdentities: identities.length, filledFields };
    await recordAudit(trx, {
      action: 'contact.merged',
      actorUserId: principal.userId,
      actorLabel: principal.email,
      targetType: 'contact',
      targetId,
      ip: meta.ip,
      userAgent: meta.userAgent,
      details: { ...result, campaignIds },
    });
    return { result, outboxRows };
  });

  deps.relay.publishCommitted(outboxRows);
  return result;
}

async function assertNoOpenClash(trx: Transaction<Database>, sourceId: string, targetId: string): Promise<void> {
  const clashes = await trx
    .selectFrom('conversations as s')
    .innerJoin('conversations as t', (join) => join.onRef('t.channel_id', '=', 's.channel_id').on('t.contact_id', '=', targetId).on('t.closed_at', 'is', null))
    .select(['s.folio as sourceFolio', 't.folio as targetFolio'])
    .where('s.contact_id', '=', sourceId)
    .where('s.closed_at', 'is', null)
    .forUpdate()
    .execute();
  if (clashes.length > 0) throw openClash(clashes.flatMap((c) => [c.sourceFolio, c.targetFolio]));
}

function openClash(folios: string[]): HubError {
  const list = folios.length > 0 ? ` (${folios.join(', ')})` : '';
  return conflict(
    `Ambos contactos tienen una conversación abierta en el mismo canal${list}; resuelva una antes de fusionar / both contacts have an open conversation on the same channel${list}; resolve one before merging`,
    { folios },
  );
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  return error instanceof Error && 'code' in error && error.code === '23505' && 'constraint' in error && error.constraint === constraint;
}
