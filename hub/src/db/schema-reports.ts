import type { Generated, Selectable } from 'kysely';
import type { NullableTimestamp, Timestamp } from './column-types.js';

// 0021_report_tokens (issue 9 item 7): bearer tokens for BI tools, one campaign each.
export interface ReportTokensTable {
  id: Generated<string>;
  campaign_id: string;
  name: string;
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  token_hash: string;
  token_prefix: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  revoked_by: string | null;
  last_used_at: NullableTimestamp;
  last_used_ip: string | null;
}
export type ReportToken = Selectable<ReportTokensTable>;

export interface ReportsTables {
  report_tokens: ReportTokensTable;
}
