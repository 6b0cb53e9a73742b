import { rooms } from '@ventanilla/hub';
import { epochMs, targetIndex, type BenchOfferPayload, type PushPlan, type SendStats } from './protocol.js';

/**
 * The open-loop sender shared by both servers: event `seq` is due at start + seq / rate and goes
 * to one agent's room. The hub's events leave from the bench process through RealtimePublisher
 * (Redis emitter → adapter); the raw baseline's from its own server process (`to(room).emit`).
 */

const HEX = '0123456789abcdef';

/** A stable fake uuid for ids in the payload (conversation, offer, queue): right shape and size. */
export function benchUuid(kind: number, n: number): string {
  const tail = n.toString(16).padStart(12, '0').slice(-12);
  return `b0c0${HEX[kind & 15]}000-0000-4000-8000-${tail}`;
}

/** A conversation.offered as the router sends it (without eventId: the publisher adds the outbox id). */
export function offerPayload(plan: PushPlan, seq: number, dueAt: number, sentAt: number): Omit<BenchOfferPayload, 'eventId'> {
  const agent = plan.agents[targetIndex(seq, plan.agents.length)];
  if (!agent) throw new Error('push plan without agents');
  return {
    campaignId: agent.campaignId,
    conversationId: benchUuid(1, seq),
    folio: `SOC-2026-${String(seq).padStart(6, '0')}`,
    offerId: benchUuid(2, seq),
    agentId: agent.userId,
    queueId: benchUuid(3, 0),
    channelClass: 'text',
    expiresAt: new Date(sentAt + 30_000).toISOString(),
    autoAccepted: false,
    bench: { phase: plan.phase, seq, dueAt, sentAt },
  };
}

export function roomOf(plan: PushPlan, seq: number): string {
  const agent = plan.agents[targetIndex(seq, plan.agents.length)];
  return rooms.agent(agent?.userId ?? '');
}

/**
 * Sends plan.count events at plan.rate per second. Every timer tick sends all events due by
 * then (so a late tick catches up in a burst, as an open loop must); yields between ticks.
 */
export async function runPushLoop(plan: PushPlan, emit: (seq: number, room: string, payload: Omit<BenchOfferPayload, 'eventId'>) => void): Promise<SendStats> {
  const intervalMs = 1000 / plan.rate;
  const start = epochMs() + 5;
  let seq = 0;
  let maxLagMs = 0;
  let lastSentAt = start;
  while (seq < plan.count) {
    const now = epochMs();
    const due = start + seq * intervalMs;
    if (due > now) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(due - now, 4))));
      continue;
    }
    // At most ~10 ms of events per turn, so the process's other work (replies, sockets) goes on.
    const until = Math.min(plan.count, seq + Math.max(1, Math.ceil(plan.rate / 100)));
    for (; seq < until; seq++) {
      const dueAt = start + seq * intervalMs;
      const sentAt = epochMs();
      if (dueAt > sentAt) break;
      maxLagMs = Math.max(maxLagMs, sentAt - dueAt);
      emit(seq, roomOf(plan, seq), offerPayload(plan, seq, dueAt, sentAt));
      lastSentAt = sentAt;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { sent: seq, firstDueAt: start, lastSentAt, maxLagMs };
}
