import type { Generated, Selectable } from 'kysely';
import type { NullableTimestamp, Timestamp } from './column-types.js';

// 0015_internal_messages (issue 9 item 6): agent ↔ supervisor messages.
export interface InternalMessagesTable {
  id: Generated<string>;
  campaign_id: string;
  from_user_id: string;
  to_user_id: string;
  body: string;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}
export type InternalMessage = Selectable<InternalMessagesTable>;

export interface InternalMessagesTables {
  internal_messages: InternalMessagesTable;
}
