import { performance } from 'node:perf_hooks';
import { summarize, type LatencySummary } from '../ingest/stats.js';

export const CHANNELS = ['webchat', 'whatsapp', 'sms', 'email', 'voice'] as const;
export type LoadChannel = (typeof CHANNELS)[number];

/** Marker ending each citizen message: `[sl <conversation key> <n>]`, ` fin]` on the last one. */
export function citizenMarker(key: string, n: number, last: boolean): string {
  return `[sl ${key} ${n}${last ? ' fin' : ''}]`;
}
/** Marker ending each agent reply, naming the message it answers. */
export function replyMarker(key: string, n: number): string {
  return `[re ${key} ${n}]`;
}
const CITIZEN = /\[sl (\S+) (\d+)( fin)?\]/;
const REPLY = /\[re (\S+) (\d+)\]/;

export function parseCitizenMarker(text: string): { key: string; n: number; last: boolean } | null {
  const m = CITIZEN.exec(text);
  return m?.[1] && m[2] ? { key: m[1], n: Number(m[2]), last: m[3] !== undefined } : null;
}
export function parseReplyMarker(text: string): { key: string; n: number } | null {
  const m = REPLY.exec(text);
  return m?.[1] && m[2] ? { key: m[1], n: Number(m[2]) } : null;
}

/** The channel is the first part of every conversation key (`<channel>-<citizen>`). */
export function channelOfKey(key: string): LoadChannel | null {
  const name = key.split('-')[0];
  return CHANNELS.find((c) => c === name) ?? null;
}

interface ChannelSamples {
  /** Citizen messages (or voice webhooks) sent, and those acknowledged 2xx. */
  sent: number;
  acked: number;
  ackMs: number[];
  /** Webhook (or widget POST, or mail handed to ingest) → message.created on an agent's /staff socket. */
  e2eMs: number[];
  delivered: number;
  /** conversation.offered on the agent's socket → POST /offers/:id/accept answered. */
  offerToAcceptMs: number[];
  /** Agent reply POST → 202. */
  replyAckMs: number[];
  /** Agent reply POST → the provider's API called (WhatsApp, SMS) or the visitor's socket (web chat). */
  replyToSendMs: number[];
  replies: number;
  providerSends: number;
  conversationsClosed: number;
}

export interface ChannelFigures {
  sent: number;
  acked: number;
  delivered: number;
  replies: number;
  providerSends: number;
  conversationsClosed: number;
  ackMs: LatencySummary;
  e2eMs: LatencySummary;
  offerToAcceptMs: LatencySummary;
  replyAckMs: LatencySummary;
  replyToSendMs: LatencySummary;
}

/**
 * Every figure of the run, on the bench's monotonic clock (performance.now()): citizens,
 * agents and the provider double live in this one process, so a latency between two of them
 * needs no clock agreement. Counting starts at `startMeasuring()` (after the warm-up).
 */
export class LoadMetrics {
  private readonly samples = new Map<LoadChannel, ChannelSamples>(CHANNELS.map((c) => [c, emptySamples()]));
  private readonly sentAt = new Map<string, number>();
  private readonly replySentAt = new Map<string, number>();
  readonly errors: Record<string, number> = {};
  measuring = false;
  measureStartedAt = NaN;
  measureEndedAt = NaN;

  startMeasuring(): void {
    this.measuring = true;
    this.measureStartedAt = performance.now();
  }

  stopMeasuring(): void {
    this.measuring = false;
    this.measureEndedAt = performance.now();
  }

  private of(channel: LoadChannel): ChannelSamples | null {
    return this.measuring ? (this.samples.get(channel) ?? null) : null;
  }

  error(kind: string): void {
    if (!this.measuring) return;
    this.errors[kind] = (this.errors[kind] ?? 0) + 1;
  }

  /** A citizen message (marker) leaves now. */
  citizenSent(channel: LoadChannel, marker: string | null, at: number): void {
    const s = this.of(channel);
    if (!s) return;
    s.sent++;
    if (marker !== null) this.sentAt.set(marker, at);
  }

  acked(channel: LoadChannel, ms: number): void {
    const s = this.of(channel);
    if (!s) return;
    s.acked++;
    s.ackMs.push(ms);
  }

  /** message.created of an inbound message, first seen on any agent's socket. */
  delivered(channel: LoadChannel, marker: string, at: number): void {
    const sent = this.sentAt.get(marker);
    if (sent === undefined) return;
    this.sentAt.delete(marker);
    const s = this.of(channel);
    if (!s) return;
    s.delivered++;
    s.e2eMs.push(at - sent);
  }

  accepted(channel: LoadChannel, ms: number): void {
    this.of(channel)?.offerToAcceptMs.push(ms);
  }

  replySent(channel: LoadChannel, marker: string, at: number, ackMs: number): void {
    const s = this.of(channel);
    if (!s) return;
    s.replies++;
    s.replyAckMs.push(ackMs);
    this.replySentAt.set(marker, at);
  }

  /** The reply reached the provider (or the visitor's socket). */
  replyDelivered(channel: LoadChannel, marker: string, at: number): void {
    const s = this.of(channel);
    if (!s) return;
    s.providerSends++;
    const sent = this.replySentAt.get(marker);
    if (sent === undefined) return;
    this.replySentAt.delete(marker);
    s.replyToSendMs.push(at - sent);
  }

  closed(channel: LoadChannel): void {
    const s = this.of(channel);
    if (s) s.conversationsClosed++;
  }

  figures(): Record<LoadChannel, ChannelFigures> {
    const f = (channel: LoadChannel) => figuresOf(this.samples.get(channel) ?? emptySamples());
    return { webchat: f('webchat'), whatsapp: f('whatsapp'), sms: f('sms'), email: f('email'), voice: f('voice') };
  }

  /** Every webhook-style acknowledgement of the window (all channels), for SPEC §8's ack row. */
  allAcks(): LatencySummary {
    return summarize([...this.samples.values()].flatMap((s) => s.ackMs));
  }

  allE2e(): LatencySummary {
    return summarize([...this.samples.values()].flatMap((s) => s.e2eMs));
  }
}

function figuresOf(s: ChannelSamples): ChannelFigures {
  return {
    sent: s.sent,
    acked: s.acked,
    delivered: s.delivered,
    replies: s.replies,
    providerSends: s.providerSends,
    conversationsClosed: s.conversationsClosed,
    ackMs: summarize(s.ackMs),
    e2eMs: summarize(s.e2eMs),
    offerToAcceptMs: summarize(s.offerToAcceptMs),
    replyAckMs: summarize(s.replyAckMs),
    replyToSendMs: summarize(s.replyToSendMs),
  };
}

function emptySamples(): ChannelSamples {
  return { sent: 0, acked: 0, ackMs: [], e2eMs: [], delivered: 0, offerToAcceptMs: [], replyAckMs: [], replyToSendMs: [], replies: 0, providerSends: 0, conversationsClosed: 0 };
}
