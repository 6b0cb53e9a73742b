import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';
import type { AppointmentChannel, OfficialIdKind } from './schema-appointments.js';

// 0027_appointment_procedures (issue 11): procedures (trámites), cases, documents and their review (hub/src/appointments/procedures/).

type BigId = ColumnType<string, never, never>;

export type CaseStatusColumn = 'documents_pending' | 'in_review' | 'changes_requested' | 'approved' | 'booked' | 'closed';
export type CaseDocumentStatusColumn = 'pending_review' | 'approved' | 'rejected';
export type CaseDocumentMime = 'application/pdf' | 'image/jpeg' | 'image/png';

export interface AppointmentProceduresTable {
  id: string;
  campaign_id: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  service_id: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  reviewer_skill: ColumnType<string, string | undefined, string>;
  /** procedureRequirementsSchema's output (appointments/procedures/procedure.schema.ts). */
  requirements: Json<unknown>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export type AppointmentProcedureRow = Selectable<AppointmentProceduresTable>;

export interface AppointmentCasesTable {
  id: Generated<string>;
  folio: string;
  campaign_id: string;
  procedure_id: string;
  full_name: string;
  official_id_kind: OfficialIdKind;
  official_id: string;
  /** Written as 'YYYY-MM-DD'; select `birth_date::text` to read it. */
  birth_date: ColumnType<Date, string, string>;
  email: string | null;
  phone: string | null;
  channel: AppointmentChannel;
  conversation_id: string | null;
  status: ColumnType<CaseStatusColumn, CaseStatusColumn | undefined, CaseStatusColumn>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export type AppointmentCaseRow = Selectable<AppointmentCasesTable>;

export interface AppointmentCaseDocumentsTable {
  id: Generated<string>;
  case_id: string;
  campaign_id: string;
  requirement_id: string;
  version: number;
  storage_key: string;
  file_name: string;
  mime_type: CaseDocumentMime;
  size: number;
  sha256: string;
  status: ColumnType<CaseDocumentStatusColumn, CaseDocumentStatusColumn | undefined, CaseDocumentStatusColumn>;
  reviewer_id: string | null;
  assigned_at: NullableTimestamp;
  reason: string | null;
  uploaded_at: Timestamp;
  reviewed_at: NullableTimestamp;
}
export type AppointmentCaseDocumentRow = Selectable<AppointmentCaseDocumentsTable>;

export interface AppointmentCaseNoticesTable {
  id: BigId;
  case_id: string;
  text: string;
  at: Timestamp;
}

export interface AppointmentProcedureTables {
  appointment_procedures: AppointmentProceduresTable;
  appointment_cases: AppointmentCasesTable;
  appointment_case_documents: AppointmentCaseDocumentsTable;
  appointment_case_notices: AppointmentCaseNoticesTable;
}
