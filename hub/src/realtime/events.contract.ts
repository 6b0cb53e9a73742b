/**
 * The realtime contract shared by the hub and inbox-ui (CONVENTIONS 8). No server imports
 * here: the browser bundle imports this file as is.
 */

export const STAFF_NAMESPACE = '/staff';

export const rooms = {
  campaign: (campaignId: string) => `campaign:${campaignId}`,
  agent: (userId: string) => `agent:${userId}`,
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  /** Live wallboard of one campaign (issue 9 item 4): its supervisors and admins only. */
  wallboard: (campaignId: string) => `wallboard:${campaignId}`,
} as const;

export type ConversationStatusView = 'bot' | 'queued' | 'offered' | 'assigned' | 'waiting_contact' | 'resolved' | 'abandoned';
export type DeliveryStatusView = 'received' | 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface ConversationSummary {
  id: string;
  folio: string;
  campaignId: string;
  channelId: string;
  channelKind: string;
  contactId: string;
  contactName: string | null;
  status: ConversationStatusView;
  priority: number;
  assigneeId: string | null;
  unreadCount: number;
  openedAt: string;
  lastMessageAt: string;
}

export interface AttachmentView {
  url?: string;
  fileId?: string;
  filename?: string;
  mimeType?: string;
  size?: number;
  caption?: string;
}

export interface MessageView {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  senderType: 'contact' | 'agent' | 'bot' | 'system';
  senderId: string | null;
  contentType: string;
  text: string | null;
  attachments: AttachmentView[];
  /** E-mail subject (null on other channels). */
  subject: string | null;
  /** What an agent's interactive or template reply carried (absent otherwise). */
  meta?: OutboundMessageMeta;
  status: DeliveryStatusView;
  errorCode: string | null;
  errorReason: string | null;
  createdAt: string;
}

export interface OutboundMessageMeta {
  interactive?: {
    text: string;
    buttons?: { id: string; title: string }[];
    list?: { button: string; sections: { title: string; rows: { id: string; title: string; description?: string }[] }[] };
  };
  template?: { name: string; language: string; variables: string[] };
}

/**
 * A row of the inbox list (REST GET /conversations only): the summary plus routing columns.
 * ConversationSummary itself stays as is: the ingest function builds it in SQL.
 */
export interface ConversationListItem extends ConversationSummary {
  queueId: string | null;
  channelClass: 'text' | 'voice' | 'email' | null;
  lastInboundAt: string | null;
  lastOutboundAt: string | null;
  assigneeName: string | null;
}

/** A private note of staff on a conversation; never sent to the citizen. */
export interface NoteView {
  id: string;
  conversationId: string;
  /** Null for the bot's handoff summary (authorType 'bot'). */
  authorId: string | null;
  authorType: 'agent' | 'bot';
  authorName: string;
  text: string;
  createdAt: string;
}

/** A file uploaded to a conversation. url needs the bearer header; previewUrl carries a 10-minute token. */
export interface FileView {
  id: string;
  conversationId: string;
  filename: string;
  mimeType: string;
  size: number;
  /** `/api/v1/files/<id>` (send the bearer token). */
  url: string;
  /** `/api/v1/files/<id>?token=…` (`&inline=1` for images and PDF): works in <img src> / <iframe> for 10 minutes. */
  previewUrl: string;
}

/** A routing or lifecycle event of the conversation (conversation.*, offer.*, bot.*). */
export interface TimelineEventView {
  id: string;
  type: string;
  actorType: string;
  actorId: string | null;
  payload: Record<string, unknown>;
}

/** GET /conversations/:id/timeline: messages, notes and events, oldest first. */
export type TimelineItem =
  | { kind: 'message'; at: string; message: MessageView }
  | { kind: 'note'; at: string; note: NoteView }
  | { kind: 'event'; at: string; event: TimelineEventView };

/** Every server event carries the id of the outbox row: delivery is at least once, dedupe on it. */
export interface Envelope {
  eventId: string;
  campaignId: string;
}

export interface ConversationOpenedPayload extends Envelope {
  conversation: ConversationSummary;
}
export interface MessageCreatedPayload extends Envelope {
  conversationId: string;
  folio: string;
  message: MessageView;
}
export interface MessageStatusChangedPayload extends Envelope {
  conversationId: string;
  messageId: string;
  status: DeliveryStatusView;
  errorCode: string | null;
  /** Already translated for the agent (es-MX). */
  errorReason: string | null;
  at: string;
}
export interface ContactMergedPayload extends Envelope {
  sourceContactId: string;
  targetContactId: string;
}

export interface NoteCreatedPayload extends Envelope {
  conversationId: string;
  note: NoteView;
}

export type AgentStateView = 'available' | 'after_contact_work' | 'lunch' | 'training' | 'coaching' | 'personal' | 'not_ready' | 'offline';

/** An offer to one agent (room agent:<id>), or an auto-accepted assignment (autoAccepted). */
export interface ConversationOfferedPayload extends Envelope {
  conversationId: string;
  folio: string;
  offerId: string;
  agentId: string;
  queueId: string;
  channelClass: 'text' | 'voice' | 'email';
  /** ISO instant after which the offer goes to the next agent (RONA). */
  expiresAt: string;
  autoAccepted: boolean;
}

/** Any routing change of a conversation: accepted, rejected, timed out, transferred, released, abandoned. */
export interface ConversationRoutedPayload extends Envelope {
  conversationId: string;
  folio: string;
  status: ConversationStatusView;
  assigneeId: string | null;
  queueId: string | null;
  /** What happened, e.g. 'accepted', 'rejected', 'rona', 'transferred', 'released', 'abandoned', 'overflowed'. */
  change: string;
}

export interface AgentStateChangedPayload extends Envelope {
  agentId: string;
  from: AgentStateView;
  to: AgentStateView;
  reason: string | null;
  at: string;
}

export interface ServerToClientEvents {
  'conversation.offered': (payload: ConversationOfferedPayload) => void;
  'conversation.routed': (payload: ConversationRoutedPayload) => void;
  'agent.state_changed': (payload: AgentStateChangedPayload) => void;
  'conversation.opened': (payload: ConversationOpenedPayload) => void;
  'message.created': (payload: MessageCreatedPayload) => void;
  'message.status_changed': (payload: MessageStatusChangedPayload) => void;
  'contact.merged': (payload: ContactMergedPayload) => void;
  'note.created': (payload: NoteCreatedPayload) => void;
  /** Agent ↔ supervisor internal message (issue 9 item 6), to the recipient's user room. */
  'internal_message.received': (payload: InternalMessageReceivedPayload) => void;
  /** Read receipt, to the sender's user room. */
  'internal_message.read': (payload: InternalMessageReadPayload) => void;
  /** The citizen is typing in the web chat widget (ephemeral: not in the outbox, no eventId). */
  'contact.typing': (payload: ContactTypingPayload) => void;
  /** Supervision (issue 9 item 5): a whisper, to the agent's and the supervising staff's user rooms only (never a conversation or widget room). */
  'supervision.whisper': (payload: SupervisionWhisperPayload) => void;
  /** Supervision: monitoring started / stopped, a call leg's mode, a takeover (to the supervisor; to the agent when the campaign shows it). */
  'supervision.changed': (payload: SupervisionChangedPayload) => void;
  /** A fresh wallboard snapshot of a campaign (room wallboard:<id>; ephemeral, no eventId): replace, do not merge. */
  'wallboard.updated': (payload: WallboardSnapshot) => void;
}

/** An internal message between staff (never reaches a citizen). */
export interface InternalMessageView {
  id: string;
  campaignId: string;
  fromUserId: string;
  fromName: string;
  toUserId: string;
  toName: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}
export interface InternalMessageReceivedPayload extends Envelope {
  message: InternalMessageView;
}
export interface InternalMessageReadPayload extends Envelope {
  messageId: string;
  readerId: string;
  readAt: string;
}

export interface ContactTypingPayload {
  conversationId: string;
  typing: boolean;
}

/** Supervision (hub/src/supervision): a whisper only the agent and supervising staff see. */
export interface SupervisionWhisperView {
  id: string;
  conversationId: string;
  supervisorId: string;
  supervisorName: string;
  agentId: string;
  text: string;
  createdAt: string;
}
export interface SupervisionWhisperPayload extends Envelope {
  conversationId: string;
  whisper: SupervisionWhisperView;
}
export type SupervisionModeView = 'monitor' | 'whisper' | 'barge';
export interface SupervisionChangedPayload extends Envelope {
  conversationId: string;
  folio: string;
  change: 'monitor_started' | 'monitor_stopped' | 'mode_changed' | 'taken_over';
  supervisorId: string;
  supervisorName: string;
  agentId: string | null;
  mode: SupervisionModeView | null;
  /** Takeover only: the reason the agent is told. */
  reason: string | null;
}

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

export type Ack = (reply: { ok: true } | { ok: false; code: string; message: string }) => void;

export interface ClientToServerEvents {
  /** Join a conversation's room (checked against the user's campaigns). */
  'conversation.watch': (request: { conversationId: string }, ack: Ack) => void;
  'conversation.unwatch': (request: { conversationId: string }, ack: Ack) => void;
  /** The agent is typing a reply: shown in the citizen's web chat widget (assignee only). */
  'conversation.typing': (request: { conversationId: string; typing: boolean }) => void;
  /** Follow a campaign's wallboard (admins and the campaign's supervisors). */
  'wallboard.watch': (request: { campaignId: string }, ack: Ack) => void;
  'wallboard.unwatch': (request: { campaignId: string }, ack: Ack) => void;
}

export interface SocketData {
  userId: string;
  roles: string[];
  campaignIds: string[];
}

// ── Wallboard (issue 9 item 4, seed-digest §7.1) ────────────────────────────────────────────
export type WallboardMetric = 'waiting' | 'longest_wait_seconds' | 'service_level_percent' | 'abandonment_percent' | 'asa_seconds' | 'agents_available';

/** A KPI as the board shows it: the formula library's value and its arithmetic (null = no traffic). */
export interface WallboardKpi {
  /** In `unit`: percent 0–100, or ms for an average duration (ASA). */
  value: number | null;
  unit: 'percent' | 'ms';
  explanation: string;
}

/** Agents who can serve the queue (or the campaign), by state; offline agents are not counted. */
export interface WallboardAgentCounts {
  available: number;
  /** Available with at least one open session. */
  busy: number;
  afterContactWork: number;
  /** Aux states (lunch, training, coaching, personal, not_ready) by state. */
  breaks: Record<string, number>;
  loggedIn: number;
}

export interface WallboardQueueView {
  /** null = the campaign totals. */
  queueId: string | null;
  name: string;
  waiting: number;
  /** When the longest-waiting contact entered the line: the UI ticks the wait from it. */
  oldestEnqueuedAt: string | null;
  longestWaitSeconds: number;
  received: number;
  attended: number;
  abandoned: number;
  serviceLevel: WallboardKpi;
  asa: WallboardKpi;
  abandonment: WallboardKpi;
  /** null until the KPI series gives agent time. */
  occupancy: WallboardKpi | null;
  agents: WallboardAgentCounts;
}

export interface WallboardAgentView {
  agentId: string;
  name: string;
  state: AgentStateView;
  reason: string | null;
  /** The UI ticks the time in state from it. */
  stateSince: string;
  load: { text: number; voice: number; email: number };
  capacity: { text: number; voice: number; email: number };
  conversations: { id: string; folio: string; channelKind: string; status: ConversationStatusView }[];
  /** null until the KPI series gives per-agent figures. */
  attendedToday: number | null;
  occupancy: WallboardKpi | null;
}

export interface WallboardAlertView {
  thresholdId: string;
  /** null = campaign totals. */
  queueId: string | null;
  metric: WallboardMetric;
  direction: 'above' | 'below';
  threshold: number;
  value: number;
  /** When this alert started (kept across snapshots). */
  since: string;
}

export interface WallboardSnapshot {
  campaignId: string;
  campaignName: string;
  /** The campaign's local day the "today" figures cover, YYYY-MM-DD. */
  date: string;
  timeZone: string;
  generatedAt: string;
  /** What made this snapshot: a routing or state event, a KPI facts pass, the periodic tick, a request. */
  cause: 'event' | 'facts' | 'tick' | 'request';
  /** When the hub published the earliest event this snapshot reflects (null unless cause = event). */
  eventAt: string | null;
  /** Hub-measured event → emit, ms (null unless cause = event). */
  latencyMs: number | null;
  /** The campaign's measuring rules the figures apply (sla_contracts, kpi/measuring-rules.ts). */
  serviceLevel: { denominator: 'received' | 'attended'; thresholdSeconds: number; shortAbandonSeconds: number };
  totals: WallboardQueueView;
  queues: WallboardQueueView[];
  agents: WallboardAgentView[];
  alerts: WallboardAlertView[];
}
