import type { AgentStateView, ConversationListItem, FileView, MessageView, TimelineItem } from '@ventanilla/hub/realtime-contract';

/** Wire shapes of the hub's REST API the inbox reads (hub/src/**.routes.ts are the source). */

export type Role = 'admin' | 'supervisor' | 'agent' | 'trainer' | 'auditor' | 'quality_analyst';

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  campaignIds: string[];
  locale: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshExpiresAt: string;
  tokenType: 'Bearer';
  user: SessionUser;
}

export interface ChannelCounts {
  text: number;
  voice: number;
  email: number;
}

export interface Seat {
  agentId: string;
  state: AgentStateView;
  stateSince: string;
  stateReason: string | null;
  seatType: string;
  lastActivityAt: string;
  load: ChannelCounts;
  capacity: ChannelCounts;
  capacityOverride: Record<string, number>;
  /** When after-contact work ends by itself; null outside ACW. */
  acwEndsAt: string | null;
}

export interface Campaign {
  id: string;
  slug: string;
  name: string;
  folioPrefix: string;
  timeZone: string;
}

export interface QueueView {
  id: string;
  campaignId: string;
  name: string;
  tier: 1 | 2;
  isDefault: boolean;
}

export interface Colleague {
  agentId: string;
  displayName: string;
  state: string;
  seatType: string;
  load: ChannelCounts;
  capacity: ChannelCounts;
}

export interface CampaignAgent {
  agentId: string;
  displayName: string;
  email: string;
  state: string;
  seatType: string;
  load: ChannelCounts;
  capacity: ChannelCounts;
}

export interface CannedResponse {
  id: string;
  campaignId: string;
  shortcut: string;
  title: string;
  body: string;
  updatedAt: string;
}

export interface DispositionCode {
  id: string;
  campaignId: string;
  parentId: string | null;
  code: string;
  label: string;
  active: boolean;
  position: number;
}

export interface KbArticleSummary {
  id: string;
  title: string;
  topic: string | null;
  tags: string[];
  snippet: string;
  updatedAt: string;
}

export interface KbArticle {
  id: string;
  campaignId: string;
  title: string;
  body: string;
  topic: string | null;
  tags: string[];
  published: boolean;
  updatedAt: string;
}

export interface ContactIdentity {
  id?: string;
  kind: string;
  value: string;
  channelId: string | null;
}

export interface ContactHistoryEntry {
  conversationId: string;
  folio: string;
  campaignId: string;
  campaignName: string;
  channelId: string;
  channelKind: string;
  channelName: string;
  status: string;
  openedAt: string;
  closedAt: string | null;
}

export interface ContactDetail {
  id: string;
  displayName: string | null;
  curp: string | null;
  rfc: string | null;
  nss: string | null;
  mergedIntoId: string | null;
  identities: ContactIdentity[];
  history: ContactHistoryEntry[];
}

export interface ConversationDetail {
  conversation: ConversationListItem;
  contact: { id: string; displayName: string | null; identities: ContactIdentity[] };
  messages: MessageView[];
  events: { id: string; type: string; occurredAt: string; actorType: string; actorId: string | null; messageId: string | null; payload: Record<string, unknown> }[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type ListFilter = 'mine' | 'queues' | 'all';

export type TransferTarget =
  | { kind: 'agent'; agentId: string }
  | { kind: 'queue'; queueId: string }
  | { kind: 'tier2'; queueId?: string }
  | { kind: 'campaign'; campaignId: string; queueId?: string };

export type { ConversationListItem, FileView, MessageView, TimelineItem };

/** An approved template of the channel's catalogue, as GET /conversations/:id/reply-options lists it. */
export interface ReplyTemplate {
  name: string;
  language: string;
  category?: string;
  /** With numbered placeholders: 'Hola {{1}}, su folio {{2}}…'. */
  body: string;
  /** How many `{{n}}` values the template takes. */
  variables: number;
}

/**
 * GET /conversations/:id/reply-options — what the agent may send now. `windowHours` is null for
 * channels without a customer-service window (web chat, e-mail); outside the window only a
 * template may go out (the hub refuses free text with 409 HUB_ERR_WINDOW_CLOSED).
 */
export interface ReplyOptions {
  windowHours: number | null;
  windowOpen: boolean;
  windowClosesAt: string | null;
  canSendMedia: boolean;
  canSendInteractive: boolean;
  templates: ReplyTemplate[];
}

/** Reply buttons (1–3) or one list behind a button, with the message text (POST /conversations/:id/messages). */
export interface InteractiveReply {
  text: string;
  buttons?: { id: string; title: string }[];
  list?: { button: string; sections: { title: string; rows: { id: string; title: string; description?: string }[] }[] };
}

export interface TemplateReply {
  name: string;
  language: string;
  variables: string[];
}

/** GET /conversations/:id/webchat — pre-chat data as typed by the visitor (unverified). */
export interface WebchatVisitor {
  name: string | null;
  email: string | null;
  phone: string | null;
  topic: string | null;
  origin: string;
  ip: string | null;
  userAgent: string | null;
  visitCount: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** GET /conversations/:id/survey — the citizen's exit survey, with a rating per agent and tier. */
export interface SurveyResponse {
  id: string;
  folio: string;
  rating: number | null;
  comment: string | null;
  answers: { id: string; text: string | null; answer: boolean }[];
  yes: number;
  no: number;
  createdAt: string;
  agentRatings: { agentId: string; displayName: string; tier: 'PS-I' | 'PS-P'; rating: number }[];
}
