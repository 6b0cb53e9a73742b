import { performance } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ConversationOfferedPayload, MessageCreatedPayload, ServerToClientEvents } from '@ventanilla/hub';
import { MARKER } from './live-posts.js';
import { socketConnected } from '../ingest/agent-receiver.js';

/**
 * A supervisor's staff socket in the campaign room, timestamping (performance.now(), the clock
 * the load generator uses) each message.created — the ingest's end: message stored and published
 * — and each conversation.offered — the router's end: offer committed and published.
 */
export class LiveObserver {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  /** phase → index → when its message.created arrived. */
  private readonly created = new Map<string, Float64Array>();
  /** conversationId → [phase, index]. */
  private readonly conversationOf = new Map<string, [string, number]>();
  /** conversationId → first conversation.offered arrival. */
  private readonly offeredAt = new Map<string, number>();
  offersSeen = 0;
  reoffers = 0;
  lastEventAt = performance.now();

  async connect(baseUrl: string, token: string): Promise<void> {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(`${baseUrl}/staff`, { auth: { token }, transports: ['websocket'], reconnection: true });
    this.socket = socket;
    socket.on('message.created', (payload: MessageCreatedPayload) => {
      const at = performance.now();
      this.lastEventAt = at;
      const match = MARKER.exec(payload.message.text ?? '');
      if (!match?.[1]) return;
      const times = this.created.get(match[1]);
      const index = Number(match[2]);
      if (!times || index >= times.length) return;
      if (Number.isNaN(times[index])) times[index] = at;
      this.conversationOf.set(payload.conversationId, [match[1], index]);
    });
    socket.on('conversation.offered', (payload: ConversationOfferedPayload) => {
      const at = performance.now();
      this.lastEventAt = at;
      this.offersSeen++;
      if (this.offeredAt.has(payload.conversationId)) this.reoffers++;
      else this.offeredAt.set(payload.conversationId, at);
    });
    await socketConnected(socket, 'observer socket');
  }

  track(phase: string, count: number): void {
    this.created.set(phase, new Float64Array(count).fill(NaN));
  }

  /** Per index of `phase`: message.created and first conversation.offered arrival (NaN if not seen). */
  timesOf(phase: string): { createdAt: Float64Array; offeredAt: Float64Array; conversationIds: (string | undefined)[] } {
    const createdAt = this.created.get(phase) ?? new Float64Array(0);
    const offeredAt = new Float64Array(createdAt.length).fill(NaN);
    const conversationIds: (string | undefined)[] = new Array<string | undefined>(createdAt.length);
    for (const [conversationId, [p, index]] of this.conversationOf) {
      if (p !== phase) continue;
      conversationIds[index] = conversationId;
      offeredAt[index] = this.offeredAt.get(conversationId) ?? NaN;
    }
    return { createdAt, offeredAt, conversationIds };
  }

  /** Offers seen for the conversations of `phase`. */
  offeredCount(phase: string): number {
    let n = 0;
    for (const [conversationId, [p]] of this.conversationOf) if (p === phase && this.offeredAt.has(conversationId)) n++;
    return n;
  }

  /** Resolves when `phase` has `count` offers, nothing arrived for idleMs, or the deadline passed. */
  async waitForOffers(phase: string, count: number, options: { idleMs: number; deadline: number }): Promise<'complete' | 'idle' | 'deadline'> {
    for (;;) {
      if (this.offeredCount(phase) >= count) return 'complete';
      const now = performance.now();
      if (now >= options.deadline) return 'deadline';
      if (now - this.lastEventAt >= options.idleMs) return 'idle';
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    this.socket?.disconnect();
  }
}
