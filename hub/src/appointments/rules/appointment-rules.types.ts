/**
 * The appointment domain as plain data (issue 11 item 1): what the pure rule engine in `slots.ts`
 * and `validate.ts` reads. No database, no clock: the caller loads a snapshot and passes `now`.
 *
 * Times of day are local wall times `HH:MM` in the calendar's IANA zone; instants (blocked
 * periods, appointments) are ISO-8601 strings. Defaults come from seed-digest §9.2 (IMSS CMT).
 */
import type { Weekday } from '../../router/calendar/local-time.js';

export type { Weekday };

export const DEFAULT_APPOINTMENT_TIME_ZONE = 'America/Mexico_City';

/** A local time of day `HH:MM` (24 h), e.g. `08:45`. */
export type LocalTime = string;

/** A local calendar date `YYYY-MM-DD`. */
export type LocalDate = string;

/** A clinic or tax office. */
export interface Office {
  readonly id: string;
  readonly name: string;
}

/** A consulting room (consultorio) or a desk (ventanilla) inside an office. */
export interface Room {
  readonly id: string;
  readonly officeId: string;
  readonly name: string;
  /** Services this room offers. */
  readonly serviceIds: readonly string[];
}

/** A local window `[from, to)` inside which no slot may fall, e.g. 08:00–08:45. */
export interface LocalWindow {
  readonly from: LocalTime;
  readonly to: LocalTime;
}

export interface Service {
  readonly id: string;
  /** What the citizen reads, e.g. «Medicina familiar». */
  readonly name: string;
  readonly slotMinutes: number;
  /** Local windows never offered for this service (seed §9.2: 08:00–08:45 and 14:00–14:45 family medicine). */
  readonly excludedTimes: readonly LocalWindow[];
}

/** A room's shift on some weekdays, e.g. matutino 08:00–14:00 Monday to Friday. */
export interface Shift {
  readonly id: string;
  readonly roomId: string;
  /** e.g. «Matutino». */
  readonly name: string;
  readonly weekdays: readonly Weekday[];
  readonly start: LocalTime;
  readonly end: LocalTime;
  /** Appointments per room per shift per local day; when absent, `BookingRules.capacityPerShift`. */
  readonly capacity?: number;
}

/** A closed period in absolute instants, for one room, a whole office, or (neither) everything. */
export interface BlockedPeriod {
  readonly officeId?: string;
  readonly roomId?: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly reason: string;
}

/** A local date with no appointments, for the whole campaign or (with `officeId`) one office. */
export interface Holiday {
  readonly date: LocalDate;
  readonly name: string;
  readonly officeId?: string;
}

export interface AppointmentCalendar {
  /** IANA zone of every wall time above; default America/Mexico_City. */
  readonly timeZone: string;
  readonly offices: readonly Office[];
  /** Order matters: slots starting at the same instant are listed in this room order. */
  readonly rooms: readonly Room[];
  readonly services: readonly Service[];
  readonly shifts: readonly Shift[];
  readonly blocked: readonly BlockedPeriod[];
  readonly holidays: readonly Holiday[];
}

/** Every booking rule of seed §9.2, configurable per campaign. */
export interface BookingRules {
  /** Earliest booking: now + this many hours (12). */
  readonly minLeadHours: number;
  /** Latest booking: now + this many natural days of 24 h (90). */
  readonly maxLeadDays: number;
  /** Active (booked or confirmed) future appointments a family group may hold (3). */
  readonly maxActivePerFamily: number;
  /** A citizen may cancel up to this many hours before the start (12). */
  readonly minCancelHours: number;
  /** How many nearest free slots to offer (10). */
  readonly nearestSlots: number;
  /** Days in the agent's panoramic calendar (30). */
  readonly calendarDays: number;
  /** Appointments per room per shift per local day when the shift does not say (3). */
  readonly capacityPerShift: number;
}

export const DEFAULT_BOOKING_RULES: BookingRules = {
  minLeadHours: 12,
  maxLeadDays: 90,
  maxActivePerFamily: 3,
  minCancelHours: 12,
  nearestSlots: 10,
  calendarDays: 30,
  capacityPerShift: 3,
};

export type AppointmentStatus = 'booked' | 'confirmed' | 'cancelled' | 'attended' | 'no_show';

/** Statuses that hold a slot and count towards shift capacity and the family limit. */
export const ACTIVE_STATUSES: readonly AppointmentStatus[] = ['booked', 'confirmed'];

export interface ExistingAppointment {
  readonly id: string;
  readonly roomId: string;
  readonly serviceId: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly status: AppointmentStatus;
  readonly familyGroupId: string;
  readonly citizenId: string;
}

/** One free slot offered to a citizen or an agent. */
export interface FreeSlot {
  readonly roomId: string;
  readonly officeId: string;
  readonly serviceId: string;
  readonly shiftId: string;
  readonly startsAt: string;
  readonly endsAt: string;
}

/** What a citizen (or an agent for them) asks to book. */
export interface BookingRequest {
  readonly serviceId: string;
  readonly roomId: string;
  readonly startsAt: string;
  readonly familyGroupId: string;
  readonly citizenId: string;
}

export type BookingProblemCode =
  | 'unknown_room'
  | 'unknown_service'
  | 'service_not_in_room'
  | 'too_soon'
  | 'too_far'
  | 'holiday'
  | 'blocked'
  | 'excluded_time'
  | 'outside_shift'
  | 'not_a_slot'
  | 'shift_full'
  | 'slot_taken'
  | 'family_limit';

export type CancellationProblemCode = 'too_late_to_cancel' | 'already_cancelled';

export interface RuleProblem<C extends string> {
  readonly code: C;
  /** `es / en`, as the hub's other bilingual messages. */
  readonly message: string;
  /** Spanish alone, for a citizen's chat or SMS. */
  readonly es: string;
  readonly en: string;
}

export type RuleResult<C extends string> = { readonly ok: true } | { readonly ok: false; readonly problems: readonly RuleProblem<C>[] };
