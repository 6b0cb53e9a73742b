import type { ColumnType, Generated, Selectable } from 'kysely';
import type { WallboardMetric } from '../realtime/events.contract.js';
import type { Timestamp } from './column-types.js';

// 0019_wallboard (issue 9 item 4): alert thresholds of the live wallboard (its measuring rules are
// sla_contracts', kpi/measuring-rules.ts).

export type { WallboardMetric };

export interface WallboardThresholdsTable {
  id: Generated<string>;
  campaign_id: string;
  queue_id: string | null;
  metric: WallboardMetric;
  /** numeric: pg returns it as a string. */
  value: ColumnType<string, number | string, number | string>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export type WallboardThreshold = Selectable<WallboardThresholdsTable>;

export interface WallboardTables {
  wallboard_thresholds: WallboardThresholdsTable;
}
