/**
 * The mirror outbox (issue 11 item 5): `appointment_events` is the outbox, read after a cursor per
 * campaign and pushed to the institution in id order — bookings, cancellations and status changes
 * in `mirror` mode; only status changes in `source_of_truth` mode (bookings and cancellations went
 * there synchronously).
 *
 * Safe across processes: a pass claims the campaign's cursor row with FOR UPDATE SKIP LOCKED and
 * writes a lease (owner, until), then commits, so no transaction stays open over HTTP (PGlite has
 * one connection); each result is written only while the lease is still ours. Event ids come from
 * one sequence for every campaign, so contiguity is judged on all of them (a missing id is a
 * transaction in flight, waited for, or rolled back, skipped after a grace — kpi/facts does the same).
 *
 * A push that fails stops the campaign's pass at that event (order matters: a cancellation must
 * not overtake its booking), writes `appointment.mirror_failed` (ids, folio, error code; no personal
 * data) and retries after a growing wait. Success writes `appointment.mirrored` and, for a booking,
 * stores the institution's id in `appointments.external_ref`. A reservation the institution refuses
 * (slot taken there) is not retried: it is recorded and left to a person (the reconciliation lists it).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppointmentEventKind } from '../../db/schema-appointments.js';
import { HubError } from '../../errors/error-registry.js';
import { advanceCursor } from '../../kpi/facts/derive-facts.js';
import { loadExternalSettings, providerFor, type ExternalSettings } from './external-settings.store.js';
import type { SchedulingProvider } from './scheduling-provider.js';

export interface MirrorOptions {
  readonly now?: Date;
  /** Events read per pass (every campaign's ids, for contiguity); default 500. */
  readonly batchSize?: number;
  /** Pushes per pass (bounds the lease); default 20. */
  readonly maxPushes?: number;
  /** How long the cursor waits at a missing event id; default 10 s. */
  readonly gapGraceMs?: number;
}

export interface MirrorPassResult {
  readonly campaignId: string;
  /** Another process holds the cursor, or the campaign waits for its next retry. */
  readonly skipped: boolean;
  /** Stopped at maxPushes: more is due now. */
  readonly more: boolean;
  readonly pushed: number;
  readonly failed: number;
}

const PUSHED_IN_MIRROR: readonly AppointmentEventKind[] = ['appointment.booked', 'appointment.cancelled', 'appointment.confirmed', 'appointment.attended', 'appointment.no_show'];
const PUSHED_IN_SOURCE_OF_TRUTH: readonly AppointmentEventKind[] = ['appointment.confirmed', 'appointment.attended', 'appointment.no_show'];
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 15 * 60_000;
const GAP_GRACE_MS = 10_000;
const MAX_ROUNDS = 10;

export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

interface Claim {
  readonly token: string;
  readonly lastEventId: number;
  readonly cursor: { last_event_id: string; gap_event_id: string | null; gap_seen_at: Date | null };
  readonly attempts: number;
  readonly failingEventId: number | null;
}

interface OutboxEvent {
  readonly id: number;
  readonly campaignId: string;
  readonly appointmentId: string;
  readonly kind: AppointmentEventKind;
}

type PushOutcome = { readonly ok: true; readonly externalRef: string | null; readonly note?: string } | { readonly ok: false; readonly error: HubError; readonly final: boolean };

/** One pass for every campaign whose settings push (mirror, source_of_truth). */
export async function mirrorAll(db: Kysely<Database>, options: MirrorOptions = {}): Promise<MirrorPassResult[]> {
  const campaigns = await db.selectFrom('appointment_external_settings').select('campaign_id').where('mode', 'in', ['mirror', 'source_of_truth']).orderBy('campaign_id').execute();
  const results: MirrorPassResult[] = [];
  for (const { campaign_id } of campaigns) {
    // A busy campaign gets a few passes in a row (bounded, so one campaign cannot starve the others).
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const result = await mirrorCampaign(db, campaign_id, options);
      results.push(result);
      if (!result.more) break;
    }
  }
  return results;
}

export async function mirrorCampaign(db: Kysely<Database>, campaignId: string, options: MirrorOptions = {}): Promise<MirrorPassResult> {
  const now = options.now ?? new Date();
  const settings = await loadExternalSettings(db, campaignId);
  const kinds = settings.mode === 'mirror' ? PUSHED_IN_MIRROR : settings.mode === 'source_of_truth' ? PUSHED_IN_SOURCE_OF_TRUTH : [];
  const idle = { campaignId, skipped: true, more: false, pushed: 0, failed: 0 };
  if (kinds.length === 0) return idle;
  const batchSize = options.batchSize ?? 500;
  // Few pushes per pass keep the lease short: a process that dies mid-pass blocks its campaign at most that long.
  const maxPushes = options.maxPushes ?? 20;
  const claim = await claimCursor(db, campaignId, now, leaseMsOf(settings, maxPushes));
  if (!claim) return idle;

  const events = await db
    .selectFrom('appointment_events')
    .select(['id', 'campaign_id', 'appointment_id', 'kind'])
    .where('id', '>', String(claim.lastEventId))
    .orderBy('id')
    .limit(batchSize)
    .execute();
  const advance = advanceCursor(claim.lastEventId, events.map((e) => Number(e.id)), claim.cursor, now.getTime(), options.gapGraceMs ?? GAP_GRACE_MS);
  const due: OutboxEvent[] = events
    .map((e) => ({ id: Number(e.id), campaignId: e.campaign_id, appointmentId: e.appointment_id, kind: e.kind }))
    .filter((e) => e.id <= advance.to && e.campaignId === campaignId && kinds.includes(e.kind));

  const provider = providerFor(settings);
  let pushed = 0;
  let attemptsMade = 0;
  let stoppedAt: number | null = null;
  for (const event of due) {
    if (attemptsMade === maxPushes) {
      stoppedAt = event.id - 1;
      break;
    }
    attemptsMade += 1;
    const outcome = await push(db, provider, event);
    if (outcome.ok) {
      if (!(await recordSuccess(db, claim, event, outcome))) return { campaignId, skipped: false, more: false, pushed, failed: 0 };
      pushed += 1;
      continue;
    }
    const attempts = claim.failingEventId === event.id ? claim.attempts + 1 : 1;
    await recordFailure(db, claim, event, outcome, attempts, now);
    if (!outcome.final) return { campaignId, skipped: false, more: false, pushed, failed: 1 };
  }
  await db
    .updateTable('appointment_mirror_cursors')
    .set({
      last_event_id: String(stoppedAt ?? advance.to),
      gap_event_id: stoppedAt === null && advance.gap !== null ? String(advance.gap.id) : null,
      gap_seen_at: stoppedAt === null ? (advance.gap?.seenAt ?? null) : null,
      lease_owner: null,
      lease_until: null,
      updated_at: now,
    })
    .where('campaign_id', '=', campaignId)
    .where('lease_owner', '=', claim.token)
    .execute();
  return { campaignId, skipped: false, more: stoppedAt !== null || events.length === batchSize, pushed, failed: 0 };
}

/** Long enough for a whole pass of pushes at the timeout, so two processes never push one event. */
function leaseMsOf(settings: ExternalSettings, maxPushes: number): number {
  return settings.timeoutMs * (maxPushes + 1) + 30_000;
}

async function claimCursor(db: Kysely<Database>, campaignId: string, now: Date, leaseMs: number): Promise<Claim | null> {
  return db.transaction().execute(async (trx) => {
    // source_of_truth campaigns get their cursor on the first pass, at the newest event.
    const newest = await trx.selectFrom('appointment_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    await trx
      .insertInto('appointment_mirror_cursors')
      .values({ campaign_id: campaignId, last_event_id: newest?.id ?? '0' })
      .onConflict((oc) => oc.column('campaign_id').doNothing())
      .execute();
    const row = await trx.selectFrom('appointment_mirror_cursors').selectAll().where('campaign_id', '=', campaignId).forUpdate().skipLocked().executeTakeFirst();
    if (!row) return null;
    if (row.lease_until !== null && row.lease_until.getTime() > now.getTime()) return null;
    if (row.next_attempt_at !== null && row.next_attempt_at.getTime() > now.getTime()) return null;
    const token = randomUUID();
    await trx
      .updateTable('appointment_mirror_cursors')
      .set({ lease_owner: token, lease_until: new Date(now.getTime() + leaseMs) })
      .where('campaign_id', '=', campaignId)
      .execute();
    return {
      token,
      lastEventId: Number(row.last_event_id),
      cursor: { last_event_id: row.last_event_id, gap_event_id: row.gap_event_id, gap_seen_at: row.gap_seen_at },
      attempts: row.attempts,
      failingEventId: row.failing_event_id === null ? null : Number(row.failing_event_id),
    };
  });
}

async function push(db: Kysely<Database>, provider: SchedulingProvider, event: OutboxEvent): Promise<PushOutcome> {
  const appointment = await db
    .selectFrom('appointments')
    .select(['id', 'folio', 'office_id', 'room_id', 'service_id', 'starts_at', 'ends_at', 'official_id_kind', 'official_id', 'external_ref', 'cancel_reason'])
    .where('id', '=', event.appointmentId)
    .executeTakeFirstOrThrow();
  try {
    if (event.kind === 'appointment.booked') {
      // Already there (a reconciliation pushed it): the institution must not see it twice.
      if (appointment.external_ref !== null) return { ok: true, externalRef: appointment.external_ref, note: 'already_mirrored' };
      const { externalRef } = await provider.reserve({
        appointmentId: appointment.id,
        folio: appointment.folio,
        officeId: appointment.office_id,
        roomId: appointment.room_id,
        serviceId: appointment.service_id,
        startsAt: appointment.starts_at.toISOString(),
        endsAt: appointment.ends_at.toISOString(),
        officialIdKind: appointment.official_id_kind,
        officialId: appointment.official_id,
      });
      return { ok: true, externalRef };
    }
    if (appointment.external_ref === null) return { ok: true, externalRef: null, note: 'not_on_remote' };
    if (event.kind === 'appointment.cancelled') {
      await provider.release(appointment.external_ref, appointment.cancel_reason ?? 'Cancelada / cancelled');
    } else if (event.kind === 'appointment.confirmed' || event.kind === 'appointment.attended' || event.kind === 'appointment.no_show') {
      await provider.setStatus(appointment.external_ref, event.kind === 'appointment.confirmed' ? 'confirmed' : event.kind === 'appointment.attended' ? 'attended' : 'no_show');
    }
    return { ok: true, externalRef: appointment.external_ref };
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    return { ok: false, error, final: error.code === 'HUB_ERR_APPOINTMENT_SLOT_TAKEN' };
  }
}

/** False when the lease was lost (another process took over): the pass stops without writing. */
async function recordSuccess(db: Kysely<Database>, claim: Claim, event: OutboxEvent, outcome: Extract<PushOutcome, { ok: true }>): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('appointment_mirror_cursors')
      .set({ last_event_id: String(event.id), failing_event_id: null, attempts: 0, next_attempt_at: null, last_error: null })
      .where('campaign_id', '=', event.campaignId)
      .where('lease_owner', '=', claim.token)
      .executeTakeFirst();
    if (moved.numUpdatedRows === 0n) return false;
    if (event.kind === 'appointment.booked' && outcome.externalRef !== null) {
      await trx.updateTable('appointments').set({ external_ref: outcome.externalRef }).where('id', '=', event.appointmentId).execute();
    }
    await trx
      .insertInto('appointment_events')
      .values({
        appointment_id: event.appointmentId,
        campaign_id: event.campaignId,
        kind: 'appointment.mirrored',
        actor_kind: 'system',
        actor_user_id: null,
        channel: 'system',
        details: JSON.stringify({ eventId: event.id, kind: event.kind, externalRef: outcome.externalRef, ...(outcome.note === undefined ? {} : { note: outcome.note }) }),
      })
      .execute();
    return true;
  });
}

async function recordFailure(db: Kysely<Database>, claim: Claim, event: OutboxEvent, outcome: Extract<PushOutcome, { ok: false }>, attempts: number, now: Date): Promise<void> {
  const retryAt = outcome.final ? null : new Date(now.getTime() + retryDelayMs(attempts));
  await db.transaction().execute(async (trx) => {
    const cursor = outcome.final
      ? { last_event_id: String(event.id), failing_event_id: null, attempts: 0, next_attempt_at: null, last_error: outcome.error.code }
      : { failing_event_id: String(event.id), attempts, next_attempt_at: retryAt, last_error: outcome.error.code, lease_owner: null, lease_until: null };
    const moved = await trx
      .updateTable('appointment_mirror_cursors')
      .set({ ...cursor, updated_at: now })
      .where('campaign_id', '=', event.campaignId)
      .where('lease_owner', '=', claim.token)
      .executeTakeFirst();
    if (moved.numUpdatedRows === 0n) return;
    await trx
      .insertInto('appointment_events')
      .values({
        appointment_id: event.appointmentId,
        campaign_id: event.campaignId,
        kind: 'appointment.mirror_failed',
        actor_kind: 'system',
        actor_user_id: null,
        channel: 'system',
        details: JSON.stringify({ eventId: event.id, kind: event.kind, attempt: attempts, error: outcome.error.code, final: outcome.final, retryAt: retryAt?.toISOString() ?? null }),
      })
      .execute();
  });
}
