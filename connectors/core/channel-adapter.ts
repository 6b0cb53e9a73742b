import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { DeliveryStatus, InboundEvent } from './inbound-event.js';
import type { OutboundMessage } from './outbound-message.js';

/** The channel kinds the hub knows. Adding a channel = one folder + one key in the registry. */
export type ChannelKind = 'api' | 'webchat' | 'email' | 'x' | 'whatsapp' | 'whatsapp_web' | 'meta' | 'sms' | 'voice';

/**
 * How a channel's inbound traffic reaches the hub: signed provider webhooks (the hub mounts
 * /webhooks/<kind>/:channelId), the hub's own web chat widget endpoints, or a mailbox the hub
 * reads over IMAP, or a session the hub's worker keeps open itself (whatsapp-web.js: no webhook),
 * or Twilio Voice webhooks answered by the voice bridge (/webhooks/voice/:channelId/…).
 */
export type ChannelIngress = 'webhook' | 'widget' | 'imap' | 'session' | 'voice';

/** What a channel can carry; the hub checks it before encoding an outbound message. */
export interface ChannelCapabilities {
  text: boolean;
  media: boolean;
  location: boolean;
  interactive: boolean;
  templates: boolean;
  deliveryReceipts: boolean;
  readReceipts: boolean;
  /** Longest text one message may carry (characters). */
  maxTextLength: number;
  /** Replies carry a subject and threading headers (OutboundMessage.thread). */
  threading?: boolean;
  /**
   * Hours after the citizen's last message during which free-form replies are allowed (WhatsApp
   * 24, Messenger/Instagram 24 — 7 days with the human-agent tag); outside it only a template may
   * be sent. Absent: no window.
   */
  customerServiceWindowHours?: number;
  /** Sends per second one channel (one number, one page) may make; the outbound worker paces to it. */
  maxSendsPerSecond?: number;
}

/** The request exactly as it arrived: signatures are computed over these bytes. */
export interface RawRequest {
  method: string;
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** A provider request the adapter wants answered in a specific way (handshakes, challenges). */
export interface HandshakeReply {
  status: number;
  contentType: string;
  body: string;
}

export interface EncodedOutbound {
  /** What will be sent, fully built: a pure function of the message and the settings. */
  body: unknown;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  | { ok: false; retryable: boolean; code: string; reason: string };

/** A stored file's bytes, for channels that carry attachments inline (e-mail). */
export interface OpenedFile {
  filename: string;
  mimeType: string;
  content: Readable;
}

/** Delivery to the hub's own widget sockets (web chat): room of one visitor. */
export interface WidgetDelivery {
  deliver(visitorId: string, event: string, payload: unknown): void;
}

/** Media fetched from the provider for an inbound message (`attachment.mediaRef`). */
export interface FetchedMedia {
  content: Buffer;
  mimeType: string;
  filename?: string;
}

export interface SendContext {
  fetch: typeof fetch;
  signal?: AbortSignal;
  /** Opens a file the hub stored (OutboundMessage attachments carry its fileId). */
  openFile?: (fileId: string) => Promise<OpenedFile | null>;
  /** Present in processes that can reach widget sockets (every hub process, through Redis). */
  widget?: WidgetDelivery;
  /** The channel being served: adapters whose connection lives in the hub (sessions) are keyed by it. */
  channelId?: string;
  /**
   * The hub's live provider sessions (ingress 'session', e.g. whatsapp-web.js): present only in
   * worker processes that run the session manager. Absent → the adapter answers a retryable
   * `session_unavailable`, so another attempt may land on the process that holds the session.
   */
  sessions?: SessionDelivery;
}

/** Sends and media downloads through a session the hub keeps open (one per channel). */
export interface SessionDelivery {
  send(channelId: string, body: unknown): Promise<SendResult>;
  /** Null when the media is gone or larger than `maxBytes`; throws when no session is live here. */
  fetchMedia(channelId: string, mediaRef: string, maxBytes: number): Promise<FetchedMedia | null>;
}

export interface ChannelSecrets {
  [key: string]: string;
}

/**
 * The contract of every connector (CONVENTIONS 1): stateless, with `send` its only I/O.
 * `verifyRequest` runs on the raw bytes before anything is parsed and fails closed.
 */
export interface ChannelAdapter<S = unknown> {
  readonly kind: ChannelKind;
  readonly displayName: string;
  readonly ingress: ChannelIngress;
  readonly capabilities: ChannelCapabilities;
  readonly settingsSchema: z.ZodType<S>;
  /** Names of the secrets the channel needs (stored apart from settings, never returned by the API). */
  readonly secretNames: readonly string[];
  /**
   * Who produces those secrets. 'generated': the hub draws random values and shows them once
   * (a signing key the provider must copy). 'provided': the admin types them in (passwords of
   * someone else's server); the hub stores them and never shows them back.
   */
  readonly secretSource: 'generated' | 'provided';
  handshake?(request: RawRequest, settings: S, secrets: ChannelSecrets): HandshakeReply | null;
  verifyRequest(request: RawRequest, settings: S, secrets: ChannelSecrets): VerifyResult;
  /** Throws DecodeError when the body is malformed; unknown content becomes `unsupported`. */
  decodeInbound(request: RawRequest, settings: S): InboundEvent[];
  encodeOutbound(message: OutboundMessage, settings: S): EncodedOutbound;
  send(encoded: EncodedOutbound, settings: S, secrets: ChannelSecrets, context: SendContext): Promise<SendResult>;
  /**
   * Downloads inbound media the provider only gives by reference (`attachment.mediaRef`), at
   * most `maxBytes` (larger → null with nothing kept). The other I/O an adapter may do.
   */
  fetchMedia?(mediaRef: string, settings: S, secrets: ChannelSecrets, context: SendContext & { maxBytes: number }): Promise<FetchedMedia | null>;
  /**
   * Every delivery status word the provider documents, mapped (exhaustively) to ours or to
   * 'ignored' (e.g. Twilio `accepted`/`queued`); the conformance suite checks it is complete.
   */
  readonly providerStatuses?: Readonly<Record<string, DeliveryStatus | 'ignored'>>;
  /**
   * The customer-service window when it depends on the channel's settings or on who answers
   * (Meta: 7 days for a human agent with the HUMAN_AGENT tag, 24 h otherwise); absent, the hub
   * uses `capabilities.customerServiceWindowHours`.
   */
  windowHours?(settings: S, sender: 'agent' | 'bot' | 'system'): number;
}

export class DecodeError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}
