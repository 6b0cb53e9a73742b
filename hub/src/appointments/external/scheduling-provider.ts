/**
 * The port to an institution's own scheduling system (issue 11 item 5). The hub's calendar is the
 * default (`BuiltinProvider`, no I/O); `RestSchedulingProvider` speaks the signed JSON API of this
 * folder's README. Providers throw `HubError`: `HUB_ERR_APPOINTMENT_SLOT_TAKEN` when the remote
 * refuses a reservation, `HUB_ERR_APPOINTMENT_EXTERNAL_UNAVAILABLE` when it does not answer (a
 * retry can help), `HUB_ERR_APPOINTMENT_EXTERNAL_REJECTED` when it refuses our request itself.
 */
import { z } from 'zod';

export const REMOTE_STATUSES = ['booked', 'confirmed', 'cancelled', 'attended', 'no_show'] as const;
export type RemoteStatus = (typeof REMOTE_STATUSES)[number];

/** What the institution receives for a booking: the slot and who comes, nothing more (no birth date, phone or conversation). */
export interface ExternalBooking {
  /** Our appointment id: the idempotency key (a retried reserve returns the same externalRef). */
  readonly appointmentId: string;
  readonly folio: string;
  readonly officeId: string;
  readonly roomId: string;
  readonly serviceId: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly officialIdKind: 'nss' | 'curp';
  readonly officialId: string;
}

export const remoteBookingSchema = z.object({
  externalRef: z.string().min(1).max(200),
  roomId: z.string().min(1).max(100),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  status: z.enum(REMOTE_STATUSES),
  folio: z.string().max(40).nullish(),
});
export type RemoteBooking = z.output<typeof remoteBookingSchema>;

export interface ProviderHealth {
  readonly ok: boolean;
  readonly detail: string;
}

export interface SchedulingProvider {
  readonly kind: 'builtin' | 'rest';
  /** Claims the slot remotely; a refusal (slot taken there) throws HUB_ERR_APPOINTMENT_SLOT_TAKEN. */
  reserve(booking: ExternalBooking): Promise<{ externalRef: string }>;
  /** Frees it; an externalRef the remote no longer knows counts as released. */
  release(externalRef: string, reason: string): Promise<void>;
  /** Reports a confirmation, a visit or a no-show. */
  setStatus(externalRef: string, status: Exclude<RemoteStatus, 'booked' | 'cancelled'>): Promise<void>;
  list(range: { from: Date; to: Date }): Promise<RemoteBooking[]>;
  health(): Promise<ProviderHealth>;
}

/** The hub's own calendar is the truth: nothing to tell anyone. */
export const builtinProvider: SchedulingProvider = {
  kind: 'builtin',
  reserve: (booking) => Promise.resolve({ externalRef: booking.appointmentId }),
  release: () => Promise.resolve(),
  setStatus: () => Promise.resolve(),
  list: () => Promise.resolve([]),
  health: () => Promise.resolve({ ok: true, detail: 'builtin' }),
};
