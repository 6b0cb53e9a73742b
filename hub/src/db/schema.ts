import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';
import type { InternalMessagesTables } from './schema-internal-messages.js';
import type { BotModelsTable, BotOutcomesTable, BotSessionsTable, BotTurnsTable } from './schema-bots.js';
import type { MassSmsRecipientsTable, MassSmsTable, SmsOptOutsTable } from './schema-mass-sms.js';
import type { KpiTables } from './schema-kpi.js';
import type { QualityTables } from './schema-quality.js';
import type { SlaTables } from './schema-sla.js';
import type { BillingTables } from './schema-billing.js';
import type { AppointmentTables } from './schema-appointments.js';
import type { AppointmentProcedureTables } from './schema-appointment-procedures.js';
import type { AppointmentReminderTables } from './schema-appointment-reminders.js';
import type { AppointmentExternalTables } from './schema-appointment-external.js';
import type { PrivacyTables } from './schema-privacy.js';
import type { TotpTables } from './schema-totp.js';
import type { SupervisionTables } from './schema-supervision.js';
import type { WallboardTables } from './schema-wallboard.js';
import type { ReportsTables } from './schema-reports.js';
import type { VoiceCoreTables } from './schema-voice.js';
import type { VoiceAgentTables } from './schema-voice-agent.js';
import type { VoiceBlasterTables } from './schema-voice-blaster.js';
import type { VoiceMeteringTables } from './schema-voice-metering.js';
import type { VoiceSupervisionTables } from './schema-voice-supervision.js';
import type { VoiceVoicemailTables } from './schema-voice-voicemail.js';

export type * from './schema-kpi.js';
export type * from './schema-mass-sms.js';
export type * from './schema-voice.js';
export type * from './schema-voice-agent.js';
export type * from './schema-voice-blaster.js';
export type * from './schema-voice-metering.js';
export type * from './schema-voice-voicemail.js';

/** Typed view of the tables in migrations/ (keep in step with the SQL). */
type JsonObject = { [key: string]: unknown };
/** bigserial ids come back from pg as strings; keep them strings. */
type BigId = ColumnType<string, never, never>;

export type Role = 'admin' | 'supervisor' | 'agent' | 'trainer' | 'auditor' | 'quality_analyst';
export const ROLES: readonly Role[] = ['admin', 'supervisor', 'agent', 'trainer', 'auditor', 'quality_analyst'];

export type ConversationStatus = 'bot' | 'queued' | 'offered' | 'assigned' | 'waiting_contact' | 'resolved' | 'abandoned';
export type MessageStatus = 'received' | 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
export type ContentType =
  | 'text'
  | 'image'
  | 'audio'
  | 'video'
  | 'file'
  | 'location'
  | 'contacts'
  | 'interactive'
  | 'reaction'
  | 'unsupported';
export type IdentityKind = 'phone' | 'email' | 'whatsapp' | 'external' | 'messenger' | 'instagram' | 'x';
export type ActorType = 'contact' | 'agent' | 'bot' | 'system' | 'provider';

export interface Attachment {
  url?: string;
  filename?: string;
  mimeType?: string;
  size?: number;
  caption?: string;
}

export interface CampaignsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  folio_prefix: string;
  time_zone: Generated<string>;
  settings: Json<JsonObject>;
  /** router/config/campaign-routing.schema.ts; '{}' = defaults. */
  routing: Json<JsonObject>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ChannelsTable {
  id: Generated<string>;
  campaign_id: string;
  kind: string;
  name: string;
  settings: Json<JsonObject>;
  secrets: Json<JsonObject>;
  enabled: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  roles: Role[];
  locale: Generated<string>;
  disabled: Generated<boolean>;
  last_login_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserCampaignsTable {
  user_id: string;
  campaign_id: string;
  created_at: Timestamp;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  replaced_by: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
}

export interface SkillsTable {
  id: Generated<string>;
  campaign_id: string;
  name: string;
  created_at: Timestamp;
}

export interface AgentSkillsTable {
  user_id: string;
  skill_id: string;
  level: number;
}

export interface QueuesTable {
  id: Generated<string>;
  campaign_id: string;
  name: string;
  priority: Generated<number>;
  settings: Json<JsonObject>;
  strategy: ColumnType<StrategyColumn, StrategyColumn | undefined, StrategyColumn>;
  max_wait_seconds: number | null;
  channel_classes: ColumnType<ChannelClassColumn[], ChannelClassColumn[] | undefined, ChannelClassColumn[]>;
  overflow: Json<unknown[]>;
  after_hours: ColumnType<unknown, string | null | undefined, string | null>;
  tier: Generated<number>;
  is_default: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface QueueSkillsTable {
  queue_id: string;
  skill_id: string;
  min_level: Generated<number>;
}

export interface ContactsTable {
  id: Generated<string>;
  display_name: string | null;
  curp: string | null;
  rfc: string | null;
  nss: string | null;
  merged_into_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ContactIdentitiesTable {
  id: Generated<string>;
  contact_id: string;
  kind: IdentityKind;
  value: string;
  channel_id: string | null;
  created_at: Timestamp;
}

export interface ConversationsTable {
  id: Generated<string>;
  folio: string;
  campaign_id: string;
  channel_id: string;
  contact_id: string;
  status: ColumnType<ConversationStatus, ConversationStatus | undefined, ConversationStatus>;
  queue_id: string | null;
  assignee_id: string | null;
  priority: Generated<number>;
  unread_count: Generated<number>;
  opened_at: Timestamp;
  last_message_at: Timestamp;
  last_inbound_at: NullableTimestamp;
  last_outbound_at: NullableTimestamp;
  first_response_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  updated_at: Timestamp;
  channel_class: ChannelClassColumn | null;
  enqueued_at: NullableTimestamp;
  queue_entered_at: NullableTimestamp;
  overflow_steps: Generated<number>;
  relaxed_levels: Generated<number>;
  visited_queue_ids: ColumnType<string[], string[] | undefined, string[]>;
  excluded_agent_ids: ColumnType<string[], string[] | undefined, string[]>;
  preferred_agent_id: string | null;
  offer_id: string | null;
  seat_type: SeatType | null;
  after_hours: Generated<boolean>;
  treatment: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface MessagesTable {
  id: Generated<string>;
  conversation_id: string;
  channel_id: string;
  direction: 'inbound' | 'outbound';
  sender_type: 'contact' | 'agent' | 'bot' | 'system';
  sender_id: string | null;
  content_type: ContentType;
  text: string | null;
  attachments: Json<Attachment[]>;
  raw: ColumnType<unknown, string | null | undefined, string | null>;
  /** Channel metadata (e-mail: subject, headers, sanitised html); see migration 0006. */
  meta: ColumnType<MessageMeta | null, string | null | undefined, string | null>;
  provider_message_id: string | null;
  status: MessageStatus;
  error_code: string | null;
  error_reason: string | null;
  attempts: Generated<number>;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  delivered_at: NullableTimestamp;
  read_at: NullableTimestamp;
  failed_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface InteractionEventsTable {
  id: BigId;
  occurred_at: Timestamp;
  type: string;
  campaign_id: string;
  conversation_id: string | null;
  contact_id: string | null;
  message_id: string | null;
  actor_type: ActorType;
  actor_id: string | null;
  payload: Json<JsonObject>;
}

export interface OutboxTable {
  id: BigId;
  topic: string;
  payload: Json<JsonObject>;
  created_at: Timestamp;
  published_at: NullableTimestamp;
}

export interface AuditLogTable {
  id: BigId;
  occurred_at: Timestamp;
  actor_user_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  campaign_id: string | null;
  outcome: ColumnType<'success' | 'failure', 'success' | 'failure' | undefined, never>;
  ip: string | null;
  user_agent: string | null;
  details: Json<JsonObject>;
}

export type ChannelClassColumn = 'text' | 'voice' | 'email';
export type StrategyColumn = 'longest_idle' | 'least_busy' | 'round_robin';
export type SeatType = 'PS-I' | 'PS-P';
export type AgentStateColumn = 'available' | 'after_contact_work' | 'lunch' | 'training' | 'coaching' | 'personal' | 'not_ready' | 'offline';
export type OfferStatus = 'pending' | 'accepted' | 'rejected' | 'timed_out' | 'cancelled';

export interface AgentSeatsTable {
  user_id: string;
  state: ColumnType<AgentStateColumn, AgentStateColumn | undefined, AgentStateColumn>;
  state_since: Timestamp;
  state_reason: string | null;
  seat_type: ColumnType<SeatType, SeatType | undefined, SeatType>;
  last_activity_at: Timestamp;
  idle_since: Timestamp;
  assigned_day: ColumnType<Date | null, string | null | undefined, string | null>;
  assigned_today: Generated<number>;
  load_text: Generated<number>;
  load_voice: Generated<number>;
  load_email: Generated<number>;
  cap_text: Generated<number>;
  cap_voice: Generated<number>;
  cap_email: Generated<number>;
  capacity_override: Json<Partial<Record<ChannelClassColumn, number>>>;
  updated_at: Timestamp;
}

export interface OffersTable {
  id: string;
  conversation_id: string;
  agent_id: string;
  campaign_id: string;
  queue_id: string | null;
  channel_class: ChannelClassColumn;
  reason: string;
  status: ColumnType<OfferStatus, OfferStatus | undefined, OfferStatus>;
  created_at: Timestamp;
  expires_at: Timestamp;
  decided_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  reject_reason: string | null;
}

export interface RouterStateTable {
  key: string;
  value: Json<JsonObject>;
  updated_at: Timestamp;
}

/** Private notes of staff on a conversation (0004); never read by the outbound path. */
export interface ConversationNotesTable {
  id: Generated<string>;
  conversation_id: string;
  campaign_id: string;
  /** Null for a note the bot wrote (its handoff summary, author_type 'bot'). */
  author_id: string | null;
  author_type: ColumnType<'agent' | 'bot', 'agent' | 'bot' | undefined, 'agent' | 'bot'>;
  text: string;
  created_at: Timestamp;
}

/** Files uploaded to a conversation (0004); bytes under DATA_DIR at storage_key. */
export interface FilesTable {
  id: string;
  /** Null until ingest links an inbound attachment stored before its message (migration 0006). */
  conversation_id: string | null;
  channel_id: string | null;
  source: ColumnType<'agent' | 'contact' | 'system', 'agent' | 'contact' | 'system' | undefined, 'agent' | 'contact' | 'system'>;
  campaign_id: string;
  filename: string;
  mime_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string | null;
  created_at: Timestamp;
}

/** Canned responses per campaign (0005); body variables per inbox/canned-variables.ts. */
export interface CannedResponsesTable {
  id: Generated<string>;
  campaign_id: string;
  shortcut: string;
  title: string;
  body: string;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Tipification tree per campaign (0005), depth 1–3; deactivated, never deleted. */
export interface DispositionCodesTable {
  id: Generated<string>;
  campaign_id: string;
  parent_id: string | null;
  code: string;
  label: string;
  active: Generated<boolean>;
  position: Generated<number>;
  depth: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The 1–5 codes of a resolved conversation (0005). */
export interface ConversationDispositionsTable {
  conversation_id: string;
  code_id: string;
  position: number;
  agent_id: string | null;
  created_at: Timestamp;
}

/** The closing note of a resolved conversation (0005). */
export interface ConversationWrapUpsTable {
  conversation_id: string;
  agent_id: string | null;
  summary: string | null;
  created_at: Timestamp;
}

/** Knowledge-base articles per campaign (0005); `search` is generated (Spanish, accent-folded). */
export interface KbArticlesTable {
  id: Generated<string>;
  campaign_id: string;
  title: string;
  body: string;
  topic: string;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  published: Generated<boolean>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  search: ColumnType<string, never, never>;
}

/** messages.meta: what a channel adds to a message (migration 0006). */
export interface MessageMeta {
  subject?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  from?: string;
  to?: string[];
  cc?: string[];
  /** Sanitised HTML body of an e-mail (scripts, handlers and remote content removed). */
  html?: string;
  /** The original message (.eml) as received, kept as a file. */
  rawFileId?: string;
  /** Why no acknowledgement was sent: an auto-reply, a bulk or list message. */
  automated?: string;
  [key: string]: unknown;
}

export interface WebchatSessionsTable {
  visitor_id: string;
  channel_id: string;
  campaign_id: string;
  origin: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  topic: string | null;
  ip: string | null;
  user_agent: string | null;
  visit_count: Generated<number>;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface EmailMailboxStateTable {
  channel_id: string;
  mailbox: string;
  uid_validity: ColumnType<string, string | number | bigint, string | number | bigint>;
  last_uid: ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
  updated_at: Timestamp;
}

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complaint';
export interface EmailSuppressionsTable {
  campaign_id: string;
  email: string;
  reason: SuppressionReason;
  detail: string | null;
  created_at: Timestamp;
}

export type MassMailingStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'completed' | 'cancelled';
export interface MassMailingsTable {
  id: Generated<string>;
  campaign_id: string;
  channel_id: string;
  name: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  qr_text: string | null;
  status: ColumnType<MassMailingStatus, MassMailingStatus | undefined, MassMailingStatus>;
  scheduled_at: NullableTimestamp;
  rate_per_minute: ColumnType<number, number | undefined, number>;
  created_by: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  updated_at: Timestamp;
}

export type RecipientStatus = 'pending' | 'sent' | 'failed' | 'bounced' | 'suppressed' | 'invalid';
export interface MassMailingRecipientsTable {
  id: Generated<string>;
  mailing_id: string;
  email: string;
  name: string | null;
  variables: Json<Record<string, string>>;
  status: ColumnType<RecipientStatus, RecipientStatus | undefined, RecipientStatus>;
  error: string | null;
  message_id: string | null;
  attempts: Generated<number>;
  sent_at: NullableTimestamp;
  failed_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface SurveyResponsesTable {
  id: Generated<string>;
  conversation_id: string;
  campaign_id: string;
  folio: string;
  channel_id: string;
  rating: number | null;
  comment: string | null;
  answers: Json<Record<string, boolean>>;
  yes_count: Generated<number>;
  no_count: Generated<number>;
  created_at: Timestamp;
}

export interface SurveyAgentRatingsTable {
  response_id: string;
  agent_id: string;
  tier: SeatType;
  rating: number;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

/** Voice tables (issue 8) live in schema-voice*.ts, one file per part of the bridge. */
export interface Database extends InternalMessagesTables, VoiceCoreTables, VoiceAgentTables, VoiceVoicemailTables, VoiceBlasterTables, VoiceMeteringTables, VoiceSupervisionTables, KpiTables, QualityTables, SlaTables, SupervisionTables, WallboardTables, ReportsTables, BillingTables, AppointmentTables, AppointmentProcedureTables, AppointmentReminderTables, AppointmentExternalTables, PrivacyTables, TotpTables {
  campaigns: CampaignsTable;
  channels: ChannelsTable;
  users: UsersTable;
  user_campaigns: UserCampaignsTable;
  refresh_tokens: RefreshTokensTable;
  skills: SkillsTable;
  agent_skills: AgentSkillsTable;
  queues: QueuesTable;
  queue_skills: QueueSkillsTable;
  contacts: ContactsTable;
  contact_identities: ContactIdentitiesTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  interaction_events: InteractionEventsTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  schema_migrations: SchemaMigrationsTable;
  agent_seats: AgentSeatsTable;
  offers: OffersTable;
  router_state: RouterStateTable;
  canned_responses: CannedResponsesTable;
  disposition_codes: DispositionCodesTable;
  conversation_dispositions: ConversationDispositionsTable;
  conversation_wrap_ups: ConversationWrapUpsTable;
  kb_articles: KbArticlesTable;
  conversation_notes: ConversationNotesTable;
  files: FilesTable;
  webchat_sessions: WebchatSessionsTable;
  email_mailbox_state: EmailMailboxStateTable;
  email_suppressions: EmailSuppressionsTable;
  mass_mailings: MassMailingsTable;
  mass_mailing_recipients: MassMailingRecipientsTable;
  survey_responses: SurveyResponsesTable;
  survey_agent_ratings: SurveyAgentRatingsTable;
  sms_opt_outs: SmsOptOutsTable;
  mass_sms: MassSmsTable;
  mass_sms_recipients: MassSmsRecipientsTable;
  bot_models: BotModelsTable;
  bot_sessions: BotSessionsTable;
  bot_turns: BotTurnsTable;
  bot_outcomes: BotOutcomesTable;
}

export type Campaign = Selectable<CampaignsTable>;
export type Channel = Selectable<ChannelsTable>;
export type User = Selectable<UsersTable>;
export type Contact = Selectable<ContactsTable>;
export type ContactIdentity = Selectable<ContactIdentitiesTable>;
export type Conversation = Selectable<ConversationsTable>;
export type Message = Selectable<MessagesTable>;
export type NewMessage = Insertable<MessagesTable>;
export type InteractionEvent = Selectable<InteractionEventsTable>;
export type ConversationUpdate = Updateable<ConversationsTable>;
export type AgentSeat = Selectable<AgentSeatsTable>;
export type Offer = Selectable<OffersTable>;
export type Queue = Selectable<QueuesTable>;
export type ConversationNote = Selectable<ConversationNotesTable>;
export type StoredFile = Selectable<FilesTable>;
export type WebchatSession = Selectable<WebchatSessionsTable>;
export type MassMailing = Selectable<MassMailingsTable>;
export type MassMailingRecipient = Selectable<MassMailingRecipientsTable>;
export type SurveyResponse = Selectable<SurveyResponsesTable>;
