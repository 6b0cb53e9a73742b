/**
 * A fleet of staff sockets for the socket benchmark (bench/src/sockets.bench.ts): a child process
 * holding a share of the 10,000 socket.io clients (websocket transport only, one connection each:
 * forceNew, since socket.io-client would otherwise multiplex every socket of a URL over one), and
 * timestamping each targeted conversation.offered as it arrives.
 */
import { performance } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import { STAFF_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '@ventanilla/hub';
import { failChild, serveParent, type Handlers } from './ipc.js';
import { epochMs, type BenchOfferPayload, type ClientApi, type ClientEntry, type ConnectRequest, type ConnectStats, type PhaseDeliveries } from './protocol.js';

type StaffClient = Socket<ServerToClientEvents, ClientToServerEvents>;

class PhaseTracker {
  readonly hits: Uint8Array;
  readonly fromDue: Float64Array;
  readonly fromSent: Float64Array;
  received = 0;
  duplicates = 0;
  misdelivered = 0;
  firstAt = NaN;
  lastAt = NaN;
  constructor(readonly count: number) {
    this.hits = new Uint8Array(count);
    this.fromDue = new Float64Array(count).fill(NaN);
    this.fromSent = new Float64Array(count).fill(NaN);
  }
}

const sockets: StaffClient[] = [];
const phases = new Map<string, PhaseTracker>();
let strays = 0;
let closing = false;
let disconnects = 0;
const reasons: Record<string, number> = {};

function onOffer(userId: string, payload: BenchOfferPayload): void {
  const at = epochMs();
  const stamp = payload.bench;
  const tracker = stamp ? phases.get(stamp.phase) : undefined;
  if (!stamp || !tracker || stamp.seq < 0 || stamp.seq >= tracker.count) {
    strays++;
    return;
  }
  if (payload.agentId !== userId) tracker.misdelivered++;
  const hits = tracker.hits[stamp.seq] ?? 0;
  tracker.hits[stamp.seq] = Math.min(255, hits + 1);
  if (hits > 0) {
    tracker.duplicates++;
    return;
  }
  tracker.fromDue[stamp.seq] = at - stamp.dueAt;
  tracker.fromSent[stamp.seq] = at - stamp.sentAt;
  tracker.received++;
  if (!(tracker.firstAt <= at)) tracker.firstAt = at;
  tracker.lastAt = at;
}

function open(url: string, entry: ClientEntry): Promise<StaffClient> {
  return new Promise((resolve, reject) => {
    const socket: StaffClient = connect(`${url}${STAFF_NAMESPACE}`, {
      auth: entry.auth,
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: 30_000,
    });
    const fail = (error: Error): void => {
      socket.removeAllListeners();
      socket.close();
      reject(error);
    };
    socket.once('connect_error', fail);
    socket.once('connect', () => {
      socket.off('connect_error', fail);
      socket.on('conversation.offered', (payload) => onOffer(entry.userId, payload as BenchOfferPayload));
      socket.on('disconnect', (reason) => {
        if (closing) return;
        disconnects++;
        reasons[reason] = (reasons[reason] ?? 0) + 1;
      });
      resolve(socket);
    });
  });
}

async function connectAll(request: ConnectRequest): Promise<ConnectStats> {
  closing = false;
  disconnects = 0;
  for (const key of Object.keys(reasons)) delete reasons[key];
  const t0 = performance.now();
  const connectMs = new Float64Array(request.entries.length).fill(NaN);
  const errorKinds: Record<string, number> = {};
  let connected = 0;
  let failed = 0;
  let retries = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      const entry = request.entries[index];
      if (!entry) return;
      const started = performance.now();
      for (let attempt = 1; ; attempt++) {
        try {
          sockets.push(await open(request.url, entry));
          connectMs[index] = performance.now() - started;
          connected++;
          break;
        } catch (error) {
          const kind = error instanceof Error ? error.message.slice(0, 80) : String(error);
          errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
          if (attempt >= request.attempts) {
            failed++;
            break;
          }
          retries++;
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, request.concurrency) }, () => worker()));
  return { connected, failed, retries, errorKinds, connectMs: connectMs.filter((v) => Number.isFinite(v)), durationMs: performance.now() - t0 };
}

function deliveries(phase: string): PhaseDeliveries {
  const tracker = phases.get(phase);
  if (!tracker) throw new Error(`phase ${phase} is not tracked`);
  const seqs = new Int32Array(tracker.received);
  const fromDueMs = new Float64Array(tracker.received);
  const fromSentMs = new Float64Array(tracker.received);
  let k = 0;
  for (let seq = 0; seq < tracker.count; seq++) {
    if (tracker.hits[seq] === 0) continue;
    seqs[k] = seq;
    fromDueMs[k] = tracker.fromDue[seq] ?? NaN;
    fromSentMs[k] = tracker.fromSent[seq] ?? NaN;
    k++;
  }
  phases.delete(phase);
  return {
    received: tracker.received,
    duplicates: tracker.duplicates,
    misdelivered: tracker.misdelivered,
    lastAt: tracker.lastAt,
    firstAt: tracker.firstAt,
    seqs,
    fromDueMs,
    fromSentMs,
    strays,
  };
}

async function closeAll(): Promise<{ closed: number }> {
  closing = true;
  const n = sockets.length;
  for (const socket of sockets.splice(0)) {
    socket.removeAllListeners();
    socket.disconnect();
  }
  // Let the close frames leave before the parent goes on.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { closed: n };
}

const handlers: Handlers<ClientApi> = {
  connect: connectAll,
  track({ phase, count }) {
    phases.set(phase, new PhaseTracker(count));
    return null;
  },
  progress({ phase }) {
    const t = phases.get(phase);
    return { received: t?.received ?? 0, duplicates: t?.duplicates ?? 0, misdelivered: t?.misdelivered ?? 0, lastAt: t?.lastAt ?? NaN };
  },
  deliveries: ({ phase }) => deliveries(phase),
  status() {
    let openSockets = 0;
    for (const s of sockets) if (s.connected) openSockets++;
    return { open: openSockets, disconnects, reasons: { ...reasons } };
  },
  close: closeAll,
  usage() {
    const cpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization();
    return { cpuUs: cpu.user + cpu.system, eluActiveMs: elu.active, eluIdleMs: elu.idle };
  },
  stop: () => null,
};

try {
  serveParent<ClientApi>(handlers, { url: null }, async () => {
    await closeAll();
  });
} catch (error) {
  failChild('socket fleet', error);
}
