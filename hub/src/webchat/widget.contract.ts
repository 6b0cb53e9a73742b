/**
 * The web chat widget's contract with the hub (issue 5 items 1–6), shared by the hub and the
 * widget bundle (inbox-ui/src/widget) like events.contract.ts: types only, no server imports.
 *
 * REST under /widget/v1 (JSON; errors are the hub's `{ code, message }` with a HUB_ERR_* code).
 * Calls after the pre-chat form send `Authorization: Bearer <visitorToken>`; every call sends the
 * page's Origin, which must be one of the channel's allowed origins and, with a token, the origin
 * the token was issued to (a token copied to another site is refused: HUB_ERR_WIDGET_ORIGIN).
 *
 *   GET  /widget/v1/channels/:channelId/config            → WidgetConfig
 *   POST /widget/v1/channels/:channelId/captcha            → CaptchaChallenge
 *   POST /widget/v1/channels/:channelId/sessions           PrechatRequest → WidgetSessionCreated
 *   POST /widget/v1/channels/:channelId/leave-message      LeaveMessageRequest → { folio: null, accepted: true } (202)
 *   GET  /widget/v1/session                                → WidgetSessionState
 *   POST /widget/v1/messages                               SendTextRequest → { accepted: true } (202)
 *   POST /widget/v1/files                                  multipart (one part `file`, field `clientMessageId`) → { accepted: true } (202)
 *   GET  /widget/v1/files/:fileId                          the file (download) — visitor's own conversation only
 *   POST /widget/v1/end                                    → { ended: true }
 *   GET  /widget/v1/transcript?format=txt|html             the transcript as a download
 *   POST /widget/v1/transcript/email                       { email?: string } → { queued: true } (202)
 *   GET  /widget/v1/survey                                 → WidgetSurvey
 *   POST /widget/v1/survey                                 SurveyAnswers → { recorded: true }
 *
 * socket.io namespace WIDGET_NAMESPACE, `auth: { token: visitorToken }`.
 */

export const WIDGET_NAMESPACE = '/widget';

export const widgetRooms = {
  /** Every tab of one visitor. */
  visitor: (visitorId: string) => `visitor:${visitorId}`,
  /** The visitor's current conversation (routing and typing signals). */
  conversation: (conversationId: string) => `conversation:${conversationId}`,
} as const;

export type WidgetLocale = 'es-MX' | 'en';
export type PrechatFieldName = 'name' | 'email' | 'phone' | 'topic';

export interface WidgetConfig {
  channelId: string;
  title: string;
  locale: WidgetLocale;
  colors: { primary: string; onPrimary: string };
  position: 'bottom-right' | 'bottom-left';
  /** Inside the campaign's service window right now (business hours and holidays). */
  open: boolean;
  /** Shown instead of the pre-chat form when closed. */
  closedMessage: string;
  /** Closed: a form whose message becomes an e-mail conversation of the campaign. */
  leaveMessage: boolean;
  prechat: { fields: { name: PrechatFieldName; required: boolean }[]; topics: { id: string; label: string }[] };
  captcha: { kind: 'pow'; difficulty: number } | { kind: 'none' };
  attachments: { enabled: boolean; maxBytes: number; accept: string[] };
  survey: boolean;
  /** The widget may offer the transcript by e-mail (the campaign has an e-mail channel). */
  transcriptByEmail: boolean;
}

/** Proof of work: find `nonce` (decimal string) with sha256(`${challenge}:${nonce}`) starting with `difficulty` zero bits. */
export interface CaptchaChallenge {
  challenge: string;
  difficulty: number;
  expiresAt: string;
}

export interface CaptchaSolution {
  challenge: string;
  nonce: string;
}

export interface PrechatRequest {
  name?: string;
  email?: string;
  phone?: string;
  topic?: string;
  captcha?: CaptchaSolution;
  /** A token from an earlier visit of this browser: the same visitor, with a new visit counted. */
  visitorToken?: string;
}

export interface WidgetSessionCreated {
  visitorId: string;
  visitorToken: string;
}

export interface LeaveMessageRequest {
  name: string;
  email: string;
  phone?: string;
  text: string;
  captcha?: CaptchaSolution;
}

export type WidgetSender = 'citizen' | 'agent' | 'bot' | 'system';

export interface WidgetAttachment {
  fileId?: string;
  filename: string;
  mimeType: string;
  size: number;
  /** Relative URL the visitor downloads it from (needs the bearer token, or carries its own). */
  url: string;
}

export interface WidgetMessage {
  id: string;
  /** The client's id for messages the visitor sent (dedupes the echo of an optimistic message). */
  clientMessageId: string | null;
  sender: WidgetSender;
  /** The agent's display name for agent messages. */
  senderName: string | null;
  text: string | null;
  attachments: WidgetAttachment[];
  createdAt: string;
}

export type WidgetConversationStatus = 'waiting' | 'with_agent' | 'ended';

export interface WidgetSessionState {
  visitorId: string;
  name: string | null;
  conversation: null | {
    folio: string;
    status: WidgetConversationStatus;
    /** While waiting: place in line (1 = next) and estimated wait, null when unknown. */
    queue: { position: number | null; estimatedWaitSeconds: number | null } | null;
    agent: { displayName: string } | null;
    closedAt: string | null;
    survey: { due: boolean; done: boolean };
  };
  messages: WidgetMessage[];
}

export interface SendTextRequest {
  clientMessageId: string;
  text: string;
}

export interface WidgetSurveyQuestion {
  id: string;
  text: string;
}

export interface WidgetSurvey {
  folio: string;
  rating: boolean;
  comment: boolean;
  questions: WidgetSurveyQuestion[];
  /** Agents to rate one by one (tier 1 = PS-I, tier 2 = PS-P). */
  agents: { agentId: string; displayName: string; tier: 'PS-I' | 'PS-P' }[];
  done: boolean;
}

export interface SurveyAnswers {
  rating?: number;
  comment?: string;
  answers: Record<string, boolean>;
  agentRatings: { agentId: string; rating: number }[];
}

export interface WidgetServerToClientEvents {
  'message.created': (message: WidgetMessage) => void;
  /** Routing changed (queued, place, agent joined, ended): fetch GET /widget/v1/session again. */
  'session.updated': (signal: { at: string }) => void;
  'agent.typing': (signal: { typing: boolean; displayName: string | null }) => void;
}

export type WidgetAck = (reply: { ok: true } | { ok: false; code: string; message: string }) => void;

export interface WidgetClientToServerEvents {
  'visitor.typing': (signal: { typing: boolean }) => void;
  /** Messages shown to the visitor: their delivery status becomes `read` for the agent. */
  'messages.read': (request: { messageIds: string[] }, ack: WidgetAck) => void;
  /** After GET /session names a (new) conversation: join its room for routing and typing signals. */
  'session.join': (request: Record<string, never>, ack: WidgetAck) => void;
}
