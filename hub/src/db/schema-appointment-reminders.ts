import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';

// 0028_appointment_reminders (issue 11): reminder and confirmation settings, reminders sent, confirmation campaigns, post-visit surveys (hub/src/appointments/reminders/).

export type AppointmentRequestKind = 'reminder' | 'confirmation' | 'survey';
export type AppointmentAnswer = 'yes' | 'no' | 'score';

export interface AppointmentReminderSettingsTable {
  campaign_id: string;
  /** reminderSettingsSchema's output (appointments/reminders/reminder-settings.schema.ts). */
  settings: Json<unknown>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface AppointmentRemindersTable {
  id: Generated<string>;
  appointment_id: string;
  campaign_id: string;
  kind: AppointmentRequestKind;
  status: 'sent' | 'failed';
  conversation_id: string | null;
  contact_id: string | null;
  channel_kind: string | null;
  message_id: string | null;
  failure: string | null;
  sent_at: Timestamp;
  answer: ColumnType<AppointmentAnswer | null, AppointmentAnswer | null | undefined, AppointmentAnswer | null>;
  answered_at: NullableTimestamp;
}
export type AppointmentReminderRow = Selectable<AppointmentRemindersTable>;

export interface AppointmentRepliesTable {
  message_id: string;
  reminder_id: string;
  appointment_id: string;
  answer: AppointmentAnswer;
  outcome: string;
  at: Timestamp;
}

export interface AppointmentSurveysTable {
  appointment_id: string;
  campaign_id: string;
  office_id: string;
  score: number;
  comment: string | null;
  message_id: string | null;
  answered_at: Timestamp;
}

export interface AppointmentReminderTables {
  appointment_reminder_settings: AppointmentReminderSettingsTable;
  appointment_reminders: AppointmentRemindersTable;
  appointment_replies: AppointmentRepliesTable;
  appointment_surveys: AppointmentSurveysTable;
}
