import type { LoopResult } from '../ingest/http-load.js';
import { perSecond, summarize, type LatencySummary } from '../ingest/stats.js';

/** What both webhook phases (API alone, API + worker) measure of one open-loop load. */
export interface AckFigures {
  rate: number;
  seconds: number;
  messages: number;
  connections: number;
  /** Requests actually sent per second by the schedule (the generator kept up when ≈ rate). */
  sentPerSecond: number;
  /** 200s per second, first send → last ack. */
  ackedPerSecond: number;
  ok: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** From each request's due time to its 200 (open loop: queueing is not hidden). */
  latencyMs: LatencySummary;
  schedulerMaxLagMs: number;
}

/** The figures of `loop`, which offered `messages` requests at `rate` over `connections`. */
export function ackFigures(loop: LoopResult & { maxLagMs: number }, input: { rate: number; messages: number; connections: number }): AckFigures {
  const lastScheduled = loop.sentAt[input.messages - 1] ?? loop.finished;
  return {
    rate: input.rate,
    seconds: input.messages / input.rate,
    messages: input.messages,
    connections: input.connections,
    sentPerSecond: perSecond(input.messages - 1, lastScheduled - loop.started),
    ackedPerSecond: perSecond(loop.completed, loop.finished - loop.started),
    ok: loop.completed,
    errors: loop.errors,
    errorKinds: loop.errorKinds,
    latencyMs: summarize(loop.latencies),
    schedulerMaxLagMs: loop.maxLagMs,
  };
}
