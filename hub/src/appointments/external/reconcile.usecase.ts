/**
 * Reconciliation (issue 11 item 5): our appointments of a window against the institution's list;
 * the differences are stored in a run with their counts and fixed per mode:
 *  - mirror (the hub is the truth): what the institution lacks is pushed again, a cancellation or
 *    a status it missed is pushed; the rest is listed for a person;
 *  - source_of_truth (the institution is the truth): what it no longer has is cancelled here
 *    (actor `external`, history `appointment.reconciled`); its bookings we lack are listed for a
 *    person (we never invent citizens) — except those carrying a folio we issued but never saved
 *    (a booking whose commit failed after the remote reserve), which are released.
 * One run at a time per campaign (a partial unique index); no transaction stays open over HTTP.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/schema.js';
import type { AppointmentReconciliationRunRow } from '../../db/schema-appointment-external.js';
import { HubError } from '../../errors/error-registry.js';
import { bilingual } from '../../router/config/routing-problem.js';
import { loadExternalSettings, providerFor } from './external-settings.store.js';
import { compareCalendars, type Difference, type LocalAppointment } from './reconcile-compare.js';
import type { RemoteBooking, SchedulingProvider } from './scheduling-provider.js';

export type ReconcileTrigger = { readonly kind: 'manual'; readonly userId: string; readonly ip: string | null; readonly userAgent: string | null } | { readonly kind: 'scheduled' };

export const FIX_ACTIONS = ['pushed', 'push_refused', 'push_failed', 'cancelled_locally', 'released_orphan', 'release_failed', 'review'] as const;
export type FixAction = (typeof FIX_ACTIONS)[number];

const sideSchema = z.object({ roomId: z.string(), startsAt: z.string(), status: z.string() }).nullable();
/** One stored difference: ids, slot and statuses — no personal data. */
export const storedDifferenceSchema = z.object({
  kind: z.enum(['missing_remote', 'missing_local', 'status_differs', 'time_differs']),
  appointmentId: z.string().nullable(),
  folio: z.string().nullable(),
  externalRef: z.string().nullable(),
  local: sideSchema,
  remote: sideSchema,
  action: z.enum(FIX_ACTIONS),
});
export type StoredDifference = z.output<typeof storedDifferenceSchema>;

export interface ReconciliationRunView {
  id: string;
  campaignId: string;
  mode: 'source_of_truth' | 'mirror';
  trigger: 'manual' | 'scheduled';
  from: string;
  to: string;
  status: 'running' | 'completed' | 'failed';
  counts: Record<string, number>;
  differences: StoredDifference[];
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const STALE_RUN_MS = 3_600_000;
// The booking horizon is 90 days; the daily job asks for yesterday to 91 days ahead.
const MAX_RANGE_MS = 120 * 86_400_000;
const FOLIO = /^CITA-[0-9]{8}-[0-9]{6}$/;
const LOCAL_CANCEL_REASON = 'Ya no está en el sistema de citas de la institución / no longer in the institution’s scheduling system';

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

export async function reconcile(
  db: Kysely<Database>,
  campaignId: string,
  range: { readonly from: Date; readonly to: Date },
  trigger: ReconcileTrigger,
  options: { readonly now?: Date } = {},
): Promise<ReconciliationRunView> {
  const now = options.now ?? new Date();
  if (!(range.to.getTime() > range.from.getTime())) {
    throw new HubError('HUB_ERR_VALIDATION', bilingual('«to» debe ser posterior a «from»', '"to" must be after "from"'));
  }
  if (range.to.getTime() - range.from.getTime() > MAX_RANGE_MS) {
    throw new HubError('HUB_ERR_VALIDATION', bilingual('concilie a lo más 120 días a la vez', 'reconcile at most 120 days at a time'));
  }
  const settings = await loadExternalSettings(db, campaignId);
  if (settings.mode === 'builtin') {
    throw new HubError('HUB_ERR_CONFLICT', bilingual('la campaña usa el calendario del hub; no hay sistema externo que conciliar', 'the campaign uses the built-in calendar; there is no external system to reconcile'));
  }
  const mode = settings.mode;
  await db
    .updateTable('appointment_reconciliation_runs')
    .set({ status: 'failed', error: 'abandoned', finished_at: now })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'running')
    .where('started_at', '<', new Date(now.getTime() - STALE_RUN_MS))
    .execute();
  let runId: string;
  try {
    const run = await db
      .insertInto('appointment_reconciliation_runs')
      .values({ campaign_id: campaignId, mode, trigger: trigger.kind, actor_user_id: trigger.kind === 'manual' ? trigger.userId : null, range_from: range.from, range_to: range.to, started_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    runId = run.id;
  } catch (error) {
    if (isUniqueViolation(error)) throw new HubError('HUB_ERR_APPOINTMENT_RECONCILIATION_RUNNING');
    throw error;
  }

  const provider = providerFor(settings);
  let remotes: RemoteBooking[];
  try {
    remotes = await provider.list(range);
  } catch (error) {
    const code = error instanceof HubError ? error.code : 'HUB_ERR_INTERNAL';
    await db.updateTable('appointment_reconciliation_runs').set({ status: 'failed', error: code, finished_at: new Date() }).where('id', '=', runId).execute();
    await audit(db, campaignId, runId, trigger, 'failure', { error: code });
    throw error;
  }
  const locals = await localAppointments(db, campaignId, range, remotes);
  const differences = compareCalendars(locals, remotes);
  const stored: StoredDifference[] = [];
  for (const difference of differences) {
    const action = await fix(db, provider, mode, campaignId, difference, now);
    stored.push(storedOf(difference, action));
  }
  const counts = countsOf(stored);
  const finishedAt = new Date();
  const row = await db
    .updateTable('appointment_reconciliation_runs')
    .set({ status: 'completed', counts: JSON.stringify(counts), differences: JSON.stringify(stored), finished_at: finishedAt })
    .where('id', '=', runId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(db, campaignId, runId, trigger, 'success', { mode, from: range.from.toISOString(), to: range.to.toISOString(), counts });
  return runViewOf(row);
}

async function audit(db: Kysely<Database>, campaignId: string, runId: string, trigger: ReconcileTrigger, outcome: 'success' | 'failure', details: Record<string, unknown>): Promise<void> {
  await recordAudit(db, {
    action: 'appointment.reconciled',
    actorUserId: trigger.kind === 'manual' ? trigger.userId : null,
    actorLabel: trigger.kind === 'manual' ? null : 'conciliación programada / scheduled reconciliation',
    targetType: 'appointment_reconciliation_run',
    targetId: runId,
    campaignId,
    outcome,
    ip: trigger.kind === 'manual' ? trigger.ip : null,
    userAgent: trigger.kind === 'manual' ? trigger.userAgent : null,
    details,
  });
}

/** The window's appointments, plus any the institution lists by our ref or folio whose start moved out of it. */
async function localAppointments(db: Kysely<Database>, campaignId: string, range: { from: Date; to: Date }, remotes: readonly RemoteBooking[]): Promise<LocalAppointment[]> {
  const refs = remotes.map((r) => r.externalRef);
  const folios = remotes.flatMap((r) => (r.folio ? [r.folio] : []));
  const rows = await db
    .selectFrom('appointments')
    .select(['id', 'folio', 'room_id', 'starts_at', 'status', 'external_ref'])
    .where('campaign_id', '=', campaignId)
    .where((eb) => {
      const inWindow = eb.and([eb('starts_at', '>=', range.from), eb('starts_at', '<', range.to)]);
      const named = [...(refs.length > 0 ? [eb('external_ref', 'in', refs)] : []), ...(folios.length > 0 ? [eb('folio', 'in', folios)] : [])];
      return eb.or([inWindow, ...named]);
    })
    .orderBy('starts_at')
    .execute();
  return rows.map((r) => ({ id: r.id, folio: r.folio, roomId: r.room_id, startsAt: r.starts_at, status: r.status, externalRef: r.external_ref }));
}

async function fix(db: Kysely<Database>, provider: SchedulingProvider, mode: 'source_of_truth' | 'mirror', campaignId: string, difference: Difference, now: Date): Promise<FixAction> {
  const { kind, local, remote } = difference;
  if (mode === 'mirror') {
    if (kind === 'missing_remote' && local) return pushBooking(db, provider, campaignId, local.id);
    if (kind === 'status_differs' && local && remote) return pushStatus(db, provider, campaignId, local, remote);
    return 'review';
  }
  if (kind === 'missing_remote' && local) return cancelLocally(db, campaignId, local, now);
  if (kind === 'missing_local' && remote?.folio && FOLIO.test(remote.folio)) {
    const ours = await db.selectFrom('appointments').select('id').where('folio', '=', remote.folio).executeTakeFirst();
    if (ours) return 'review';
    try {
      await provider.release(remote.externalRef, 'Reserva sin cita en el hub / booking the hub never saved');
      return 'released_orphan';
    } catch {
      return 'release_failed';
    }
  }
  return 'review';
}

async function pushBooking(db: Kysely<Database>, provider: SchedulingProvider, campaignId: string, appointmentId: string): Promise<FixAction> {
  const a = await db.selectFrom('appointments').selectAll().where('id', '=', appointmentId).executeTakeFirstOrThrow();
  try {
    const { externalRef } = await provider.reserve({
      appointmentId: a.id,
      folio: a.folio,
      officeId: a.office_id,
      roomId: a.room_id,
      serviceId: a.service_id,
      startsAt: a.starts_at.toISOString(),
      endsAt: a.ends_at.toISOString(),
      officialIdKind: a.official_id_kind,
      officialId: a.official_id,
    });
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('appointments').set({ external_ref: externalRef }).where('id', '=', a.id).execute();
      await history(trx, campaignId, a.id, 'system', { action: 'pushed', externalRef });
    });
    return 'pushed';
  } catch (error) {
    if (error instanceof HubError && error.code === 'HUB_ERR_APPOINTMENT_SLOT_TAKEN') return 'push_refused';
    if (error instanceof HubError) return 'push_failed';
    throw error;
  }
}

async function pushStatus(db: Kysely<Database>, provider: SchedulingProvider, campaignId: string, local: LocalAppointment, remote: RemoteBooking): Promise<FixAction> {
  try {
    if (local.status === 'cancelled') {
      const row = await db.selectFrom('appointments').select('cancel_reason').where('id', '=', local.id).executeTakeFirstOrThrow();
      await provider.release(remote.externalRef, row.cancel_reason ?? 'Cancelada / cancelled');
    } else if (local.status === 'confirmed' || local.status === 'attended' || local.status === 'no_show') {
      await provider.setStatus(remote.externalRef, local.status);
    } else {
      // Ours is booked, theirs moved on (confirmed, attended): the hub does not move backwards.
      return 'review';
    }
  } catch (error) {
    if (error instanceof HubError) return 'push_failed';
    throw error;
  }
  await history(db, campaignId, local.id, 'system', { action: 'pushed', status: local.status, externalRef: remote.externalRef });
  return 'pushed';
}

async function cancelLocally(db: Kysely<Database>, campaignId: string, local: LocalAppointment, now: Date): Promise<FixAction> {
  return db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('appointments')
      .set({ status: 'cancelled', cancelled_at: now, cancel_reason: LOCAL_CANCEL_REASON })
      .where('id', '=', local.id)
      .where('status', 'in', ['booked', 'confirmed'])
      .executeTakeFirst();
    if (changed.numUpdatedRows === 0n) return 'review';
    await history(trx, campaignId, local.id, 'external', { action: 'cancelled', folio: local.folio, reason: LOCAL_CANCEL_REASON });
    return 'cancelled_locally';
  });
}

async function history(db: Kysely<Database>, campaignId: string, appointmentId: string, actor: 'system' | 'external', details: Record<string, unknown>): Promise<void> {
  await db
    .insertInto('appointment_events')
    .values({ appointment_id: appointmentId, campaign_id: campaignId, kind: 'appointment.reconciled', actor_kind: actor, actor_user_id: null, channel: 'system', details: JSON.stringify(details) })
    .execute();
}

function storedOf(difference: Difference, action: FixAction): StoredDifference {
  const { local, remote } = difference;
  return {
    kind: difference.kind,
    appointmentId: local?.id ?? null,
    folio: local?.folio ?? remote?.folio ?? null,
    externalRef: local?.externalRef ?? remote?.externalRef ?? null,
    local: local ? { roomId: local.roomId, startsAt: local.startsAt.toISOString(), status: local.status } : null,
    remote: remote ? { roomId: remote.roomId, startsAt: new Date(remote.startsAt).toISOString(), status: remote.status } : null,
    action,
  };
}

function countsOf(stored: readonly StoredDifference[]): Record<string, number> {
  const count = (predicate: (d: StoredDifference) => boolean): number => stored.filter(predicate).length;
  return {
    missing_remote: count((d) => d.kind === 'missing_remote'),
    missing_local: count((d) => d.kind === 'missing_local'),
    status_differs: count((d) => d.kind === 'status_differs'),
    time_differs: count((d) => d.kind === 'time_differs'),
    fixed: count((d) => d.action === 'pushed' || d.action === 'cancelled_locally' || d.action === 'released_orphan'),
    to_review: count((d) => d.action !== 'pushed' && d.action !== 'cancelled_locally' && d.action !== 'released_orphan'),
  };
}

export function runViewOf(row: AppointmentReconciliationRunRow): ReconciliationRunView {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    mode: row.mode,
    trigger: row.trigger,
    from: row.range_from.toISOString(),
    to: row.range_to.toISOString(),
    status: row.status,
    counts: recordOfNumbers(row.counts),
    differences: z.array(storedDifferenceSchema).catch([]).parse(row.differences),
    error: row.error,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

function recordOfNumbers(value: unknown): Record<string, number> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}
