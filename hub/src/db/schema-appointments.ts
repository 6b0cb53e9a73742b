import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';

// 0025_appointments (issue 11): the campaign's appointment calendar as versioned JSON, the
// appointments and their append-only history (hub/src/appointments/booking/).

type Instant = ColumnType<Date, Date | string, Date | string>;
/** Written as 'YYYY-MM-DD'; node-pg reads `date` as a Date at the process's local midnight, so select `local_date::text` to read it. */
type LocalDateColumn = ColumnType<Date, string, string>;
type BigId = ColumnType<string, never, never>;

export type AppointmentStatusColumn = 'booked' | 'confirmed' | 'cancelled' | 'attended' | 'no_show';
export type OfficialIdKind = 'nss' | 'curp';
export type AppointmentChannel = 'whatsapp' | 'webchat' | 'sms' | 'api' | 'voice' | 'email' | 'portal' | 'agent';
/** Who booked (appointments.booked_by_kind). */
export type AppointmentActorKind = 'user' | 'bot' | 'portal';
/** Who acted on an appointment (appointment_events.actor_kind, 0026): also the citizen replying SÍ/NO, the hub itself, an external calendar. */
export type AppointmentEventActorKind = AppointmentActorKind | 'citizen' | 'system' | 'external';
export type AppointmentEventKind =
  | 'appointment.booked'
  | 'appointment.cancelled'
  | 'appointment.confirmed'
  | 'appointment.attended'
  | 'appointment.no_show'
  | 'appointment.reminder_sent'
  | 'appointment.confirmation_requested'
  | 'appointment.survey_sent'
  | 'appointment.mirrored'
  | 'appointment.mirror_failed'
  | 'appointment.reconciled';

export interface AppointmentCalendarsTable {
  id: Generated<string>;
  campaign_id: string;
  version: number;
  /** calendarDefinitionSchema's output (appointments/booking/calendar.schema.ts). */
  definition: Json<unknown>;
  /** bookingRulesOverridesSchema's output. */
  rules: Json<unknown>;
  created_by: string | null;
  created_at: Timestamp;
}
export type AppointmentCalendarRow = Selectable<AppointmentCalendarsTable>;

export interface AppointmentsTable {
  id: Generated<string>;
  campaign_id: string;
  folio: string;
  calendar_version: number;
  office_id: string;
  room_id: string;
  service_id: string;
  shift_id: string;
  local_date: LocalDateColumn;
  starts_at: Instant;
  ends_at: Instant;
  status: ColumnType<AppointmentStatusColumn, AppointmentStatusColumn | undefined, AppointmentStatusColumn>;
  contact_id: string | null;
  official_id_kind: OfficialIdKind;
  official_id: string;
  family_group_id: string;
  channel: AppointmentChannel;
  booked_by_kind: AppointmentActorKind;
  booked_by_user_id: string | null;
  created_at: Timestamp;
  cancelled_at: NullableTimestamp;
  cancel_reason: string | null;
  /** 0026: written as 'YYYY-MM-DD'; select `birth_date::text` to read it. */
  birth_date: ColumnType<Date | null, string | null | undefined, string | null>;
  conversation_id: ColumnType<string | null, string | null | undefined, string | null>;
  case_id: ColumnType<string | null, string | null | undefined, string | null>;
  external_ref: ColumnType<string | null, string | null | undefined, string | null>;
  confirmed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  attended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
export type AppointmentRow = Selectable<AppointmentsTable>;

export interface AppointmentEventsTable {
  id: BigId;
  appointment_id: string;
  campaign_id: string;
  kind: AppointmentEventKind;
  actor_kind: AppointmentEventActorKind;
  actor_user_id: string | null;
  channel: string;
  details: Json<unknown>;
  occurred_at: Timestamp;
}

export interface AppointmentTables {
  appointment_calendars: AppointmentCalendarsTable;
  appointments: AppointmentsTable;
  appointment_events: AppointmentEventsTable;
}
