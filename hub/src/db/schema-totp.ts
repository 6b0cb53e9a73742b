import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './column-types.js';

// 0031_totp (issue 12 part 3): the staff TOTP second factor (hub/src/auth/totp/).

export interface UserTotpTable {
  user_id: string;
  /** `v1.<iv>.<tag>.<ciphertext>`, AES-256-GCM with the user id as associated data. */
  secret_encrypted: string;
  /** NULL while enrolment awaits its first code. */
  enabled_at: NullableTimestamp;
  /** bigint: pg returns it as a string. */
  last_used_step: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserTotpRecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface TotpTables {
  user_totp: UserTotpTable;
  user_totp_recovery_codes: UserTotpRecoveryCodesTable;
}
