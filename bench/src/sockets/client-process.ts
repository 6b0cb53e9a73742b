/**
 * A fleet of staff sockets for the socket benchmark (bench/src/sockets.bench.ts): a child process
 * holding a share of the 10,000 socket.io clients (websocket transport only, one connection each:
 * forceNew, since socket.io-client would otherwise multiplex every socket of a URL over one), and
 * timestamping each targeted conversation.offered as it arrives.
 */
import type { Socket } from 'socket.io-client';
import { STAFF_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '@ventanilla/hub';
import { epochMs, type BenchOfferPayload, type ClientApi, type ClientEntry, type ConnectRequest, type PhaseDeliveries } from './protocol.js';
import { SocketFleet } from './socket-fleet.js';

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

const phases = new Map<string, PhaseTracker>();
let strays = 0;

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

const fleet = new SocketFleet(
  (request: ConnectRequest, entry: ClientEntry) => ({ url: `${request.url}${STAFF_NAMESPACE}`, auth: entry.auth }),
  (socket: StaffClient, entry) => {
    socket.on('conversation.offered', (payload) => onOffer(entry.userId, payload as BenchOfferPayload));
  },
);

fleet.serve<ClientApi>('socket fleet', {
  ...fleet.handlers(),
  track({ phase, count }) {
    phases.set(phase, new PhaseTracker(count));
    return null;
  },
  progress({ phase }) {
    const t = phases.get(phase);
    return { received: t?.received ?? 0, duplicates: t?.duplicates ?? 0, misdelivered: t?.misdelivered ?? 0, lastAt: t?.lastAt ?? NaN };
  },
  deliveries: ({ phase }) => deliveries(phase),
});
