/**
 * The pure half of a reconciliation: our appointments of a window against the institution's list →
 * the differences. No I/O, so every kind is unit-checkable by hand.
 *
 * Matching: by our stored `external_ref`, else by folio (the institution got it with the booking).
 * Active = booked or confirmed, on both sides.
 *  - missing_remote: ours is active, theirs is absent or cancelled;
 *  - missing_local: theirs is active, we have no appointment matching it;
 *  - status_differs: both exist, neither absent-by-cancellation, statuses differ (also: ours
 *    cancelled, theirs still active);
 *  - time_differs: both exist, the start or the room differ.
 */
import type { AppointmentStatusColumn } from '../../db/schema-appointments.js';
import type { RemoteBooking, RemoteStatus } from './scheduling-provider.js';

export type DifferenceKind = 'missing_remote' | 'missing_local' | 'status_differs' | 'time_differs';

export interface LocalAppointment {
  readonly id: string;
  readonly folio: string;
  readonly roomId: string;
  readonly startsAt: Date;
  readonly status: AppointmentStatusColumn;
  readonly externalRef: string | null;
}

export interface Difference {
  readonly kind: DifferenceKind;
  readonly local: LocalAppointment | null;
  readonly remote: RemoteBooking | null;
}

const ACTIVE: ReadonlySet<string> = new Set<RemoteStatus>(['booked', 'confirmed']);

export function compareCalendars(locals: readonly LocalAppointment[], remotes: readonly RemoteBooking[]): Difference[] {
  const byRef = new Map(remotes.map((r) => [r.externalRef, r]));
  const byFolio = new Map(remotes.flatMap((r) => (r.folio ? [[r.folio, r] as const] : [])));
  const matched = new Set<RemoteBooking>();
  const differences: Difference[] = [];
  for (const local of locals) {
    const remote = (local.externalRef === null ? undefined : byRef.get(local.externalRef)) ?? byFolio.get(local.folio);
    if (remote) matched.add(remote);
    const localActive = ACTIVE.has(local.status);
    if (!remote || remote.status === 'cancelled') {
      if (localActive) differences.push({ kind: 'missing_remote', local, remote: remote ?? null });
      continue;
    }
    if (local.status !== remote.status) differences.push({ kind: 'status_differs', local, remote });
    if (local.roomId !== remote.roomId || local.startsAt.getTime() !== Date.parse(remote.startsAt)) {
      differences.push({ kind: 'time_differs', local, remote });
    }
  }
  for (const remote of remotes) {
    if (!matched.has(remote) && ACTIVE.has(remote.status)) differences.push({ kind: 'missing_local', local: null, remote });
  }
  return differences;
}
