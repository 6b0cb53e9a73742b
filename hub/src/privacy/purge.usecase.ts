import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import type { Database } from '../db/schema.js';
import type { RetentionKind } from '../db/schema-privacy.js';
import type { FileStore } from '../files/file-store.js';
import { cutoffsOf, RETENTION_KINDS } from './retention.schema.js';
import { loadRetention } from './retention.store.js';

/** What a purged message body becomes: the row stays (folio, times, counts for KPIs and billing). */
export const PURGED_TEXT = '[depurado]';

export interface PurgeActor {
  kind: 'job' | 'user';
  userId: string | null;
  /** Who or what ran it: the user's e-mail, or `purge-job@<host>:<pid>`. */
  label: string;
}

export interface PurgeDeps {
  db: Kysely<Database>;
  files: Pick<FileStore, 'remove'>;
}

export type PurgeCounts = Record<RetentionKind, { archived: number; purged: number }>;

export interface PurgeOutcome {
  campaignId: string;
  /** Another process held this campaign's purge lock: it does the work, this run did nothing. */
  skipped: boolean;
  counts: PurgeCounts;
  certificateId: string | null;
}

/** SHA-256 over the sorted '<kind>:<id>' list joined by '\n' (what the certificate attests). */
export function purgedIdsDigest(ids: readonly string[]): string {
  return createHash('sha256').update([...ids].sort().join('\n')).digest('hex');
}

type Trx = Transaction<Database>;
const ids = (rows: { rows: { id: string }[] }): string[] => rows.rows.map((r) => r.id);

async function messagesPass(trx: Trx, campaignId: string, archiveBefore: Date, purgeBefore: Date, now: Date) {
  const archived = await sql<{ id: string }>`
    UPDATE messages m SET archived_at = ${now} FROM conversations c
    WHERE m.conversation_id = c.id AND c.campaign_id = ${campaignId} AND m.created_at < ${archiveBefore} AND m.archived_at IS NULL
    RETURNING m.id`.execute(trx);
  // A closed conversation whose last message is past the online period leaves the inbox lists.
  await sql`UPDATE conversations SET archived_at = ${now}
    WHERE campaign_id = ${campaignId} AND closed_at IS NOT NULL AND last_message_at < ${archiveBefore} AND archived_at IS NULL`.execute(trx);
  const purged = await sql<{ id: string }>`
    UPDATE messages m SET text = CASE WHEN m.text IS NULL THEN NULL ELSE ${PURGED_TEXT} END, raw = NULL, meta = NULL, purged_at = ${now}
    FROM conversations c
    WHERE m.conversation_id = c.id AND c.campaign_id = ${campaignId} AND m.created_at < ${purgeBefore} AND m.purged_at IS NULL
    RETURNING m.id`.execute(trx);
  return { archived: ids(archived), purged: ids(purged) };
}

async function attachmentsPass(trx: Trx, campaignId: string, archiveBefore: Date, purgeBefore: Date, now: Date) {
  const archived = await sql<{ id: string }>`
    UPDATE files SET archived_at = ${now} WHERE campaign_id = ${campaignId} AND created_at < ${archiveBefore} AND archived_at IS NULL RETURNING id`.execute(trx);
  const purged = await sql<{ id: string; storage_key: string }>`
    UPDATE files SET filename = ${PURGED_TEXT}, purged_at = ${now}
    WHERE campaign_id = ${campaignId} AND created_at < ${purgeBefore} AND purged_at IS NULL RETURNING id, storage_key`.execute(trx);
  // Provider media links and captions in the messages themselves go with the files.
  await sql`UPDATE messages m SET attachments = '[]'::jsonb FROM conversations c
    WHERE m.conversation_id = c.id AND c.campaign_id = ${campaignId} AND m.created_at < ${purgeBefore} AND m.attachments <> '[]'::jsonb`.execute(trx);
  return { archived: ids(archived), purged: purged.rows.map((r) => r.id), storageKeys: purged.rows.map((r) => r.storage_key) };
}

async function recordingsPass(trx: Trx, campaignId: string, archiveBefore: Date, purgeBefore: Date, now: Date) {
  const archivedCalls = await sql<{ id: string }>`
    UPDATE voice_recordings SET archived_at = ${now} WHERE campaign_id = ${campaignId} AND started_at < ${archiveBefore} AND archived_at IS NULL
    RETURNING recording_sid AS id`.execute(trx);
  const archivedVoicemails = await sql<{ id: string }>`
    UPDATE voice_voicemails SET archived_at = ${now} WHERE campaign_id = ${campaignId} AND recorded_at < ${archiveBefore} AND archived_at IS NULL
    RETURNING recording_sid AS id`.execute(trx);
  // The hub keeps only links: cleared here, and the playback route refuses a purged sid.
  const purgedCalls = await sql<{ id: string }>`
    UPDATE voice_recordings SET url = NULL, purged_at = ${now} WHERE campaign_id = ${campaignId} AND started_at < ${purgeBefore} AND purged_at IS NULL
    RETURNING recording_sid AS id`.execute(trx);
  const purgedVoicemails = await sql<{ id: string }>`
    UPDATE voice_voicemails SET recording_url = ${PURGED_TEXT}, purged_at = ${now} WHERE campaign_id = ${campaignId} AND recorded_at < ${purgeBefore} AND purged_at IS NULL
    RETURNING recording_sid AS id`.execute(trx);
  return { archived: [...ids(archivedCalls), ...ids(archivedVoicemails)], purged: [...ids(purgedCalls), ...ids(purgedVoicemails)] };
}

/**
 * One campaign's archive and purge pass, in one transaction under a transaction-scoped advisory
 * lock: a second process (or a second run) that finds the lock taken skips the campaign, and one
 * that comes after finds nothing left (every step is conditional on archived_at / purged_at), so
 * nothing is purged or certified twice. Files are removed from disk before the commit: when the
 * commit fails the rows are purged again next time and removing a missing file is a no-op.
 */
export async function purgeCampaign(deps: PurgeDeps, campaignId: string, now: Date, actor: PurgeActor): Promise<PurgeOutcome> {
  const startedAt = new Date();
  const empty = (): PurgeCounts => ({ messages: { archived: 0, purged: 0 }, attachments: { archived: 0, purged: 0 }, recordings: { archived: 0, purged: 0 } });
  return deps.db.transaction().execute(async (trx) => {
    const lock = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext(${`ventanilla:privacy-purge:${campaignId}`})) AS locked`.execute(trx);
    if (!lock.rows[0]?.locked) return { campaignId, skipped: true, counts: empty(), certificateId: null };

    const policy = await loadRetention(trx, campaignId);
    const cutoffs = { messages: cutoffsOf(policy.messages, now), attachments: cutoffsOf(policy.attachments, now), recordings: cutoffsOf(policy.recordings, now) };
    const messages = await messagesPass(trx, campaignId, cutoffs.messages.archiveBefore, cutoffs.messages.purgeBefore, now);
    const attachments = await attachmentsPass(trx, campaignId, cutoffs.attachments.archiveBefore, cutoffs.attachments.purgeBefore, now);
    const recordings = await recordingsPass(trx, campaignId, cutoffs.recordings.archiveBefore, cutoffs.recordings.purgeBefore, now);
    const counts: PurgeCounts = {
      messages: { archived: messages.archived.length, purged: messages.purged.length },
      attachments: { archived: attachments.archived.length, purged: attachments.purged.length },
      recordings: { archived: recordings.archived.length, purged: recordings.purged.length },
    };
    const total = RETENTION_KINDS.reduce((sum, kind) => sum + counts[kind].archived + counts[kind].purged, 0);
    if (total === 0) return { campaignId, skipped: false, counts, certificateId: null };

    const purgedIds = [
      ...messages.purged.map((id) => `messages:${id}`),
      ...attachments.purged.map((id) => `attachments:${id}`),
      ...recordings.purged.map((id) => `recordings:${id}`),
    ].sort();
    const certificate = await trx
      .insertInto('privacy_purge_certificates')
      .values({
        campaign_id: campaignId,
        run_by_kind: actor.kind,
        run_by_user_id: actor.userId,
        run_by_label: actor.label,
        cutoffs: JSON.stringify(
          Object.fromEntries(RETENTION_KINDS.map((kind) => [kind, { archiveBefore: cutoffs[kind].archiveBefore.toISOString(), purgeBefore: cutoffs[kind].purgeBefore.toISOString() }])),
        ),
        counts: JSON.stringify(counts),
        purged_ids: JSON.stringify(purgedIds),
        purged_ids_sha256: purgedIdsDigest(purgedIds),
        started_at: startedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'privacy.purge_completed',
      actorUserId: actor.userId,
      actorLabel: actor.label,
      targetType: 'purge_certificate',
      targetId: certificate.id,
      campaignId,
      details: { counts, purgedIdsSha256: purgedIdsDigest(purgedIds) },
    });
    for (const key of attachments.storageKeys) await deps.files.remove(key);
    return { campaignId, skipped: false, counts, certificateId: certificate.id };
  });
}

/** Every campaign, one after the other (each in its own transaction). */
export async function purgeAllCampaigns(deps: PurgeDeps, now: Date, actor: PurgeActor): Promise<PurgeOutcome[]> {
  const campaigns = await deps.db.selectFrom('campaigns').select('id').orderBy('id').execute();
  const outcomes: PurgeOutcome[] = [];
  for (const { id } of campaigns) outcomes.push(await purgeCampaign(deps, id, now, actor));
  return outcomes;
}
