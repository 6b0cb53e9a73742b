/**
 * Call usage facts (issue 8 item 9), computed from one call leg's events alone — a pure function,
 * so a recompute gives the same rows (CONVENTIONS 6). The events are the vocabulary of
 * `../call-events.contract.ts`; billing (issue 10) sums these facts.
 *
 * Rounding: every segment keeps its exact span in milliseconds (`durationMs`); its `quantity` is
 * the whole seconds of that span, floored (a 4.999 s hold is 4 s). Talk is the connected span
 * minus that agent's holds, in ms, floored once. Billing must sum `durationMs` and floor the sum
 * to minutes (seed-digest §5.3: fractions of a second are summed, never rounded per event).
 */
import { CALL_EVENT_TYPES as T } from '../call-events.contract.js';
import { FINAL_STATUSES, finalDuration, secondsOf, sortedEvents, type MeteringEvent } from './call-usage.events.js';

export type { MeteringEvent } from './call-usage.events.js';

export type UsageConcept =
  | 'ivr_seconds'
  | 'queue_seconds'
  | 'talk_seconds'
  | 'hold_seconds'
  | 'voicemail_seconds'
  | 'voicemail'
  | 'survey_seconds'
  | 'blaster_message';
export type UsageUnit = 'second' | 'message';
export type SeatType = 'PS-I' | 'PS-P';
export type MeteredCallKind = 'inbound' | 'agent_leg' | 'callback' | 'blaster' | 'supervisor_leg' | 'third_party';

export interface UsageSegment {
  seq: number;
  concept: UsageConcept;
  unit: UsageUnit;
  quantity: number;
  durationMs: number;
  agentId: string | null;
  seatType: SeatType | null;
  startedAt: Date;
  endedAt: Date;
  detail: Record<string, string | number | boolean>;
}

export interface CallUsageSummary {
  startedAt: Date;
  endedAt: Date;
  /** Our own span of the leg, start → end. */
  ourMs: number;
  ourSeconds: number;
  /** Twilio's CallDuration from the final status callback; null when Twilio sent none. */
  twilioSeconds: number | null;
  /** ours − Twilio's, in whole seconds; null without Twilio's. */
  differenceSeconds: number | null;
  /** |difference| > MISMATCH_TOLERANCE_SECONDS. */
  mismatch: boolean;
}

export interface MeteringInput {
  callSid: string;
  kind: MeteredCallKind;
  /** voice_calls.started_at, when no event says when the call began. */
  startedAt: Date;
  /** voice_calls.ended_at, when no `ended` event says when it ended. */
  endedAt: Date | null;
  events: readonly MeteringEvent[];
}

export interface CallUsage {
  segments: UsageSegment[];
  summary: CallUsageSummary;
}

export const MISMATCH_TOLERANCE_SECONDS = 2;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONCEPT_ORDER: readonly UsageConcept[] = ['ivr_seconds', 'queue_seconds', 'talk_seconds', 'hold_seconds', 'voicemail_seconds', 'voicemail', 'survey_seconds', 'blaster_message'];

type Draft = Omit<UsageSegment, 'seq' | 'quantity' | 'unit'> & { unit?: UsageUnit; quantity?: number };

function span(concept: UsageConcept, start: number, end: number, extra: Partial<Draft> = {}): Draft {
  const from = Math.min(start, end);
  return { concept, durationMs: end - from, agentId: null, seatType: null, startedAt: new Date(from), endedAt: new Date(end), detail: {}, ...extra };
}

/** When the leg began: the incoming webhook; an outbound leg when it was answered. */
function startOf(input: MeteringInput, events: readonly MeteringEvent[]): number {
  const incoming = events.find((e) => e.type === T.incoming);
  if (incoming) return incoming.at;
  const answered = events.find((e) => e.type === T.status && (e.data['status'] === 'in-progress' || e.data['status'] === 'answered'));
  if (answered) return answered.at;
  return input.startedAt.getTime();
}

/** When the leg ended: the first `ended` (a final status callback), else voice_calls.ended_at, else the last event. */
function endOf(input: MeteringInput, events: readonly MeteringEvent[], start: number): number {
  const ended = events.find((e) => e.type === T.ended) ?? events.find((e) => e.type === T.status && FINAL_STATUSES.has(String(e.data['status'] ?? '')));
  const end = ended?.at ?? input.endedAt?.getTime() ?? events.at(-1)?.at ?? start;
  return Math.max(end, start);
}

function ivrSegments(kind: MeteredCallKind, events: readonly MeteringEvent[], start: number, end: number): Draft[] {
  if (kind !== 'inbound') return [];
  // IVR time ends where the caller leaves the menus: the line, voicemail, or straight to an agent.
  const leaves = events.find((e) => e.at >= start && (e.type === T.enqueued || e.type === T.voicemail_started || e.type === T.agent_connected));
  return [span('ivr_seconds', start, Math.min(leaves?.at ?? end, end))];
}

function queueSegments(events: readonly MeteringEvent[], end: number): Draft[] {
  const drafts: Draft[] = [];
  events.forEach((e, index) => {
    if (e.type !== T.enqueued || e.at > end) return;
    const closes = events.slice(index + 1).find((n) => n.type === T.agent_connected || n.type === T.left_queue || n.type === T.voicemail_started || n.type === T.enqueued);
    drafts.push(span('queue_seconds', e.at, Math.min(closes?.at ?? end, end), { detail: { queueName: String(e.data['queueName'] ?? '') } }));
  });
  return drafts;
}

interface OpenAgent {
  agentId: string | null;
  seatType: SeatType;
  connectedAt: number;
  holdMs: number;
  holdFrom: number | null;
}

/** Talk and hold per agent connection; a hold without an agent id belongs to the agent who connected last. */
function agentSegments(events: readonly MeteringEvent[], end: number): Draft[] {
  const drafts: Draft[] = [];
  const open = new Map<string, OpenAgent>();
  const keyOf = (e: MeteringEvent): string | null => {
    const id = e.data['agentId'];
    if (typeof id === 'string' && id !== '') return open.has(id) ? id : null;
    return [...open.keys()].at(-1) ?? null;
  };
  const closeHold = (agent: OpenAgent, at: number) => {
    if (agent.holdFrom === null) return;
    const to = Math.max(at, agent.holdFrom);
    agent.holdMs += to - agent.holdFrom;
    drafts.push(span('hold_seconds', agent.holdFrom, to, { agentId: agent.agentId, seatType: agent.seatType }));
    agent.holdFrom = null;
  };
  const closeTalk = (key: string, agent: OpenAgent, at: number) => {
    closeHold(agent, at);
    const to = Math.max(at, agent.connectedAt);
    const talk = span('talk_seconds', agent.connectedAt, to, { agentId: agent.agentId, seatType: agent.seatType, detail: { holdMs: agent.holdMs } });
    drafts.push({ ...talk, durationMs: to - agent.connectedAt - agent.holdMs });
    open.delete(key);
  };
  for (const e of events) {
    if (e.at > end) break;
    if (e.type === T.agent_connected) {
      const rawId = String(e.data['agentId'] ?? '');
      const key = rawId !== '' ? rawId : `agent-leg:${String(e.data['agentCallSid'] ?? e.at)}`;
      if (open.has(key)) continue; // a repeated connect of an agent already talking
      open.set(key, { agentId: UUID.test(rawId) ? rawId : null, seatType: e.data['seatType'] === 'PS-P' ? 'PS-P' : 'PS-I', connectedAt: e.at, holdMs: 0, holdFrom: null });
    } else if (e.type === T.hold || e.type === T.unhold) {
      const key = keyOf(e);
      const agent = key === null ? undefined : open.get(key);
      if (!agent) continue;
      if (e.type === T.hold && agent.holdFrom === null) agent.holdFrom = e.at;
      if (e.type === T.unhold) closeHold(agent, e.at);
    } else if (e.type === T.agent_left) {
      const key = keyOf(e);
      const agent = key === null ? undefined : open.get(key);
      if (key !== null && agent) closeTalk(key, agent, e.at);
    }
  }
  for (const [key, agent] of [...open]) closeTalk(key, agent, end);
  return drafts;
}

function voicemailSegments(events: readonly MeteringEvent[]): Draft[] {
  const drafts: Draft[] = [];
  const seen = new Set<string>();
  events.forEach((e, index) => {
    if (e.type !== T.voicemail_recorded) return;
    const recordingSid = String(e.data['recordingSid'] ?? '');
    if (recordingSid !== '' && seen.has(recordingSid)) return; // the recording callback twice
    seen.add(recordingSid);
    const seconds = secondsOf(e.data['duration']) ?? 0;
    const started = events.slice(0, index).reverse().find((s) => s.type === T.voicemail_started);
    const from = started?.at ?? e.at - seconds * 1000;
    const detail = { recordingSid, outsideHours: String(e.data['outsideHours'] ?? started?.data['outsideHours'] ?? '') === 'true' };
    // Twilio reports a recording's length in whole seconds: that is the quantity, not our span.
    drafts.push({ ...span('voicemail_seconds', from, from + seconds * 1000, { detail }), quantity: seconds });
    drafts.push({ ...span('voicemail', from, from + seconds * 1000, { detail }), unit: 'message', quantity: 1, durationMs: 0 });
  });
  return drafts;
}

function surveySegments(events: readonly MeteringEvent[], end: number): Draft[] {
  const started = events.find((e) => e.type === T.survey_started && e.at <= end);
  if (!started) return [];
  const completed = events.find((e) => e.type === T.survey_completed && e.at >= started.at);
  return [span('survey_seconds', started.at, Math.min(completed?.at ?? end, end), { detail: { completed: completed !== undefined } })];
}

function blasterSegments(events: readonly MeteringEvent[]): Draft[] {
  const seen = new Set<string>();
  const drafts: Draft[] = [];
  for (const e of events) {
    if (e.type !== T.blaster_played) continue;
    const blastId = String(e.data['blastId'] ?? '');
    const recipientId = String(e.data['recipientId'] ?? '');
    const key = `${blastId}/${recipientId}`;
    if (recipientId !== '' && seen.has(key)) continue; // one message per recipient of a blast
    seen.add(key);
    drafts.push({ ...span('blaster_message', e.at, e.at, { detail: { blastId, recipientId } }), unit: 'message', quantity: 1, durationMs: 0 });
  }
  return drafts;
}

function finish(drafts: readonly Draft[]): UsageSegment[] {
  const sorted = [...drafts].sort(
    (a, b) =>
      a.startedAt.getTime() - b.startedAt.getTime() ||
      CONCEPT_ORDER.indexOf(a.concept) - CONCEPT_ORDER.indexOf(b.concept) ||
      (a.agentId ?? '').localeCompare(b.agentId ?? '') ||
      a.endedAt.getTime() - b.endedAt.getTime(),
  );
  return sorted.map((d, index) => {
    const durationMs = Math.max(0, d.durationMs);
    return {
      seq: index + 1,
      concept: d.concept,
      unit: d.unit ?? 'second',
      quantity: d.quantity ?? Math.floor(durationMs / 1000),
      durationMs,
      agentId: d.agentId,
      seatType: d.seatType,
      startedAt: d.startedAt,
      endedAt: d.endedAt,
      detail: d.detail,
    };
  });
}

/** The usage facts and the cross-check with Twilio of one ended call leg. */
export function computeCallUsage(input: MeteringInput): CallUsage {
  const events = sortedEvents(input.events);
  const start = startOf(input, events);
  const end = endOf(input, events, start);
  const segments = finish([
    ...ivrSegments(input.kind, events, start, end),
    ...queueSegments(events, end),
    ...agentSegments(events, end),
    ...voicemailSegments(events),
    ...surveySegments(events, end),
    ...blasterSegments(events),
  ]);
  const ourMs = end - start;
  const ourSeconds = Math.floor(ourMs / 1000);
  const twilioSeconds = finalDuration(events);
  const differenceSeconds = twilioSeconds === null ? null : ourSeconds - twilioSeconds;
  return {
    segments,
    summary: {
      startedAt: new Date(start),
      endedAt: new Date(end),
      ourMs,
      ourSeconds,
      twilioSeconds,
      differenceSeconds,
      mismatch: differenceSeconds !== null && Math.abs(differenceSeconds) > MISMATCH_TOLERANCE_SECONDS,
    },
  };
}
