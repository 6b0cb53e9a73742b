import { setTimeout as sleep } from 'node:timers/promises';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { channelRegistry } from '@ventanilla/connectors/core';
import type { BenchChild } from '../ingest/bench-children.js';
import { cpuDelta, cpuSnapshot } from '../ingest/cpu-sampler.js';
import { closedLoop, LoopbackClient, type PreparedPost } from '../ingest/http-load.js';
import { summarize, type LatencySummary } from '../ingest/stats.js';
import type { GraphDouble } from './graph-double.js';
import { machineShare } from './machine-share.js';
import { achievedRate, maxInWindow } from './send-windows.js';
import type { BenchWhatsAppChannel } from './whatsapp-fixtures.js';

export interface SendRateResult {
  /** The channel's setting, null for the adapter's default. */
  paceSetting: number | null;
  /** The limit the sends must respect. */
  limitPerSecond: number;
  replies: number;
  /** 202s from the agent API (replies stored). */
  stored: number;
  /** The agent API's refusals by kind (`http 429`…). */
  replyErrors: Record<string, number>;
  /** Graph calls seen for the channel's number. */
  graphCalls: number;
  /** Replies whose marker reached the Graph API more than once. */
  duplicates: number;
  /** Replies stored but never sent before the wait ended. */
  missing: number;
  /** Agent API: replies stored per second while they were posted. */
  storedPerSecond: number;
  achievedPerSecond: number;
  /** Most sends in any sliding 1-s window, as the double timed their arrival. */
  maxInAnySecond: number;
  /**
   * The bench process's longest event-loop stall while the sends arrived (ms): the double
   * timestamps a request only when its loop runs, so a stall squeezes the sends that waited
   * into fewer milliseconds than they were sent in.
   */
  benchStallMs: number;
  /** First send → last send, and what the pace alone would take ((n − 1) ÷ limit). */
  drainSeconds: number;
  idealDrainSeconds: number;
  /** Reply stored (the agent API's 202 received) → Graph call received, per reply. */
  endToEndMs: LatencySummary;
  /** Cores kept busy from the first reply to the last send (see machineShare). */
  cpuCores: Record<string, number>;
}

const MARKER = /\[r(\d+) (\d+)\]$/;

/**
 * `replies` agent replies (one per conversation, through the agent API) on a channel with a
 * per-number pace, sent by the worker to the Graph double: the achieved rate, the busiest
 * second and the latency from stored to sent. Replies are posted as fast as the API takes
 * them, so the pace — not the agents — sets the rate.
 */
export async function runSendRatePhase(input: {
  phase: number;
  apiUrl: string;
  agentToken: string;
  channel: BenchWhatsAppChannel;
  conversationIds: string[];
  graph: GraphDouble;
  worker: BenchChild;
}): Promise<SendRateResult> {
  const { channel, conversationIds, graph, phase } = input;
  const limitPerSecond = channel.pace ?? channelRegistry.whatsapp.capabilities.maxSendsPerSecond ?? Infinity;
  const replies: PreparedPost[] = conversationIds.map((id, i) => ({
    path: `/api/v1/conversations/${id}/messages`,
    body: Buffer.from(JSON.stringify({ text: `Su trámite sigue en proceso; le avisaremos por este medio. [r${phase} ${i}]` })),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${input.agentToken}` },
  }));
  const client = new LoopbackClient(input.apiUrl, 16);
  const callsBefore = graph.calls.length;
  const workerBefore = await input.worker.request({ type: 'usage' }, 'usage');
  const machineBefore = cpuSnapshot();
  const benchBefore = process.cpuUsage();
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  let loop;
  try {
    loop = await closedLoop({
      concurrency: 16,
      count: replies.length,
      run: async (i) => {
        const { status } = await client.post(replies[i]!);
        return status === 202 ? 200 : status;
      },
    });
  } finally {
    client.close();
  }
  const stored = loop.completed;
  // The pace alone needs stored ÷ limit seconds; the rest is slack for a slow machine.
  await graph.waitFor(channel.phoneNumberId, stored, (stored / limitPerSecond) * 3000 + 30_000).catch(() => undefined);
  stalls.disable();
  const machine = cpuDelta(machineBefore, cpuSnapshot(), cpus().length);
  const benchUsage = process.cpuUsage(benchBefore);
  const workerAfter = await input.worker.request({ type: 'usage' }, 'usage');
  const wallMs = machine.wallSeconds * 1000;
  await sleep(200);
  const calls = graph.calls.slice(callsBefore).filter((c) => c.phoneNumberId === channel.phoneNumberId);
  const sentAt = new Map<number, number>();
  let duplicates = 0;
  for (const call of calls) {
    const marker = MARKER.exec(call.text);
    if (!marker || Number(marker[1]) !== phase) continue;
    const index = Number(marker[2]);
    if (sentAt.has(index)) duplicates++;
    else sentAt.set(index, call.at);
  }
  const endToEnd: number[] = [];
  for (const [index, at] of sentAt) endToEnd.push(at - (loop.ackAt[index] ?? NaN));
  const times = calls.map((c) => c.at);
  const drainMs = times.length > 1 ? Math.max(...times) - Math.min(...times) : NaN;
  return {
    paceSetting: channel.pace,
    limitPerSecond,
    replies: replies.length,
    stored,
    replyErrors: loop.errorKinds,
    graphCalls: calls.length,
    duplicates,
    missing: stored - sentAt.size,
    storedPerSecond: (stored * 1000) / (loop.finished - loop.started),
    achievedPerSecond: achievedRate(times),
    maxInAnySecond: maxInWindow(times, 1000),
    benchStallMs: stalls.max / 1e6,
    drainSeconds: drainMs / 1000,
    idealDrainSeconds: (calls.length - 1) / limitPerSecond,
    endToEndMs: summarize(endToEnd),
    cpuCores: machineShare(machine, {
      worker: (workerAfter.userUs + workerAfter.systemUs - workerBefore.userUs - workerBefore.systemUs) / 1000 / wallMs,
      bench: (benchUsage.user + benchUsage.system) / 1000 / wallMs,
    }),
  };
}
