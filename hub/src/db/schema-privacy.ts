import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';

// 0030_privacy (issue 12 part 4): retention policies, purge certificates, ARCO requests
// (hub/src/privacy/). The archived_at / purged_at / anonymised_at columns 0030 adds to messages,
// files, voice recordings, voicemails, conversations and contacts are read through raw SQL there.

export type RetentionKind = 'messages' | 'attachments' | 'recordings';
export type ArcoKind = 'acceso' | 'rectificacion' | 'cancelacion' | 'oposicion';
export type ArcoStatus = 'recibida' | 'atendida' | 'rechazada';

export interface PrivacyRetentionPoliciesTable {
  campaign_id: string;
  kind: RetentionKind;
  online_days: number;
  archive_days: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface PrivacyPurgeCertificatesTable {
  id: Generated<string>;
  campaign_id: string;
  run_by_kind: 'job' | 'user';
  run_by_user_id: string | null;
  run_by_label: string;
  cutoffs: Json<Record<string, { archiveBefore: string; purgeBefore: string }>>;
  counts: Json<Record<string, { archived: number; purged: number }>>;
  purged_ids: Json<string[]>;
  purged_ids_sha256: string;
  started_at: Timestamp;
  finished_at: Timestamp;
}

export interface PrivacyArcoFoliosTable {
  day: string;
  last: number;
}

export interface PrivacyArcoRequestsTable {
  id: Generated<string>;
  folio: string;
  campaign_id: string;
  contact_id: string;
  kind: ArcoKind;
  status: ColumnType<ArcoStatus, ArcoStatus | undefined, ArcoStatus>;
  requester_name: string;
  requester_email: string | null;
  requester_phone: string | null;
  requester_relation: ColumnType<'titular' | 'representante', 'titular' | 'representante' | undefined, 'titular' | 'representante'>;
  description: string | null;
  resolution: ColumnType<unknown, string | null | undefined, string | null>;
  created_by: string;
  created_at: Timestamp;
  resolved_by: string | null;
  resolved_at: NullableTimestamp;
}

export interface PrivacyTables {
  privacy_retention_policies: PrivacyRetentionPoliciesTable;
  privacy_purge_certificates: PrivacyPurgeCertificatesTable;
  privacy_arco_folios: PrivacyArcoFoliosTable;
  privacy_arco_requests: PrivacyArcoRequestsTable;
}

export type PurgeCertificateRow = Selectable<PrivacyPurgeCertificatesTable>;
export type ArcoRequestRow = Selectable<PrivacyArcoRequestsTable>;
