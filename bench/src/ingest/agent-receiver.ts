import { performance } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, MessageCreatedPayload, ServerToClientEvents } from '@ventanilla/hub';

/** The marker the bench appends to every message text: `[bench <phase> <index>]`. */
export function marker(phase: string, index: number): string {
  return `[bench ${phase} ${index}]`;
}
const MARKER = /\[bench (p\d+) (\d+)\]$/;

/** What one phase expects on the agent socket: one delivery per message index. */
export class PhaseTracker {
  readonly receivedAt: Float64Array;
  readonly hits: Uint16Array;
  distinct = 0;
  duplicates = 0;
  firstAt = NaN;
  lastAt = NaN;
  lastProgressAt = performance.now();
  readonly eventIds = new Set<string>();
  duplicateEventIds = 0;

  constructor(
    readonly phase: string,
    readonly count: number,
  ) {
    this.receivedAt = new Float64Array(count).fill(NaN);
    this.hits = new Uint16Array(count);
  }

  record(index: number, eventId: string, at: number): void {
    if (index >= this.count) return;
    if (this.eventIds.has(eventId)) this.duplicateEventIds++;
    else this.eventIds.add(eventId);
    const hits = this.hits[index] ?? 0;
    this.hits[index] = hits + 1;
    if (hits > 0) {
      this.duplicates++;
      return;
    }
    this.receivedAt[index] = at;
    this.distinct++;
    if (!(this.firstAt <= at)) this.firstAt = at;
    this.lastAt = at;
    this.lastProgressAt = at;
  }

  get missing(): number {
    return this.count - this.distinct;
  }

  /** Resolves when every message arrived, nothing arrived for idleMs, or the deadline passed. */
  async waitForAll(options: { idleMs: number; deadline: number }): Promise<'complete' | 'idle' | 'deadline'> {
    for (;;) {
      if (this.distinct >= this.count) return 'complete';
      const now = performance.now();
      if (now >= options.deadline) return 'deadline';
      if (now - this.lastProgressAt >= options.idleMs) return 'idle';
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** One agent's socket.io connection to /staff, timestamping every message.created it gets. */
export class AgentReceiver {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private readonly phases = new Map<string, PhaseTracker>();
  conversationsOpened = 0;
  unmatched = 0;

  async connect(baseUrl: string, token: string): Promise<void> {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(`${baseUrl}/staff`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: true,
    });
    this.socket = socket;
    socket.on('message.created', (payload: MessageCreatedPayload) => {
      const at = performance.now();
      const match = MARKER.exec(payload.message.text ?? '');
      const tracker = match?.[1] ? this.phases.get(match[1]) : undefined;
      if (!match || !tracker) {
        this.unmatched++;
        return;
      }
      tracker.record(Number(match[2]), payload.eventId, at);
    });
    socket.on('conversation.opened', () => {
      this.conversationsOpened++;
    });
    await socketConnected(socket, 'agent socket');
  }

  track(phase: string, count: number): PhaseTracker {
    const tracker = new PhaseTracker(phase, count);
    this.phases.set(phase, tracker);
    return tracker;
  }

  close(): void {
    this.socket?.disconnect();
  }
}

/** Resolves once the socket connects; rejects on a connection error or after 10 s. */
export function socketConnected(socket: { once(event: 'connect', listener: () => void): unknown; once(event: 'connect_error', listener: (error: Error) => void): unknown }, label: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label}: no connection after 10 s`)), 10_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
