import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';

// 0029_appointment_external (issue 11): external scheduling systems: settings, the mirror outbox, reconciliation runs (hub/src/appointments/external/).

export type ExternalSchedulingMode = 'builtin' | 'source_of_truth' | 'mirror';
type BigIdColumn = ColumnType<string, number | string | undefined, number | string>;
type NullableBigId = ColumnType<string | null, number | string | null | undefined, number | string | null>;

export interface AppointmentExternalSettingsTable {
  campaign_id: string;
  mode: ColumnType<ExternalSchedulingMode, ExternalSchedulingMode | undefined, ExternalSchedulingMode>;
  base_url: string | null;
  /** HMAC key; never returned by the API. */
  secret: string | null;
  timeout_ms: ColumnType<number, number | undefined, number>;
  updated_by: string | null;
  updated_at: Timestamp;
}
export type AppointmentExternalSettingsRow = Selectable<AppointmentExternalSettingsTable>;

export interface AppointmentMirrorCursorsTable {
  campaign_id: string;
  last_event_id: BigIdColumn;
  gap_event_id: NullableBigId;
  gap_seen_at: NullableTimestamp;
  failing_event_id: NullableBigId;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: NullableTimestamp;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  updated_at: Timestamp;
}
export type AppointmentMirrorCursorRow = Selectable<AppointmentMirrorCursorsTable>;

export type ReconciliationRunStatus = 'running' | 'completed' | 'failed';

export interface AppointmentReconciliationRunsTable {
  id: Generated<string>;
  campaign_id: string;
  mode: Exclude<ExternalSchedulingMode, 'builtin'>;
  trigger: 'manual' | 'scheduled';
  actor_user_id: string | null;
  range_from: ColumnType<Date, Date | string, Date | string>;
  range_to: ColumnType<Date, Date | string, Date | string>;
  status: ColumnType<ReconciliationRunStatus, ReconciliationRunStatus | undefined, ReconciliationRunStatus>;
  counts: Json<unknown>;
  differences: Json<unknown>;
  error: string | null;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
}
export type AppointmentReconciliationRunRow = Selectable<AppointmentReconciliationRunsTable>;

export interface AppointmentExternalTables {
  appointment_external_settings: AppointmentExternalSettingsTable;
  appointment_mirror_cursors: AppointmentMirrorCursorsTable;
  appointment_reconciliation_runs: AppointmentReconciliationRunsTable;
}
