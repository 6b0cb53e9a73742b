import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ActorType, Database } from '../../hub/src/db/schema.js';

/**
 * A simulated day of traffic for one campaign: contacts with known ground truth (what really
 * happened) and the interaction events the hub would have written for them. The tests compute
 * the expected KPI figures from the ground truth alone, never from the facts under test.
 */
export interface TruthContact {
  conversationId: string;
  folio: string;
  queueId: string;
  channelKind: 'voice' | 'webchat' | 'email';
  channelClass: 'voice' | 'text' | 'email';
  queuedAtMs: number;
  answeredAtMs: number | null;
  abandonedAtMs: number | null;
  abandonWaitMs: number | null;
  firstResponseAtMs: number | null;
  talkMs: number;
  holdMs: number;
  acwMs: number;
  transfers: number;
  tier2Reason: string | null;
  surveyAnswered: boolean;
  agentIds: string[];
}

export interface SimEvent {
  type: string;
  atMs: number;
  conversationId: string | null;
  actorType: ActorType;
  payload: Record<string, unknown>;
  /** interaction_events.contact_id (the citizen); absent = null. */
  contactId?: string;
}

export interface SimulatedDay {
  contacts: TruthContact[];
  events: SimEvent[];
  agents: string[];
  queues: [string, string];
}

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const S = 1000;

interface ContactPlan {
  kind: TruthContact['channelKind'];
  queueId: string;
  queuedAtMs: number;
  waitMs: number;
  answered: boolean;
  agentId: string;
  talkMs: number;
  tier2: boolean;
  survey: boolean;
  hold: boolean;
  /** Voice abandon written only as call.left_queue (no conversation.abandoned). */
  leftQueueOnly?: boolean;
  responseDelayMs?: number;
}

export function planContact(plan: ContactPlan, index: number, tier2AgentId: string): { truth: TruthContact; events: SimEvent[] } {
  const conversationId = randomUUID();
  const folio = `SIM-${String(index).padStart(5, '0')}`;
  const channelClass = plan.kind === 'voice' ? 'voice' : plan.kind === 'email' ? 'email' : 'text';
  const events: SimEvent[] = [];
  const ev = (type: string, atMs: number, payload: Record<string, unknown>, actorType: ActorType = 'system'): void => {
    events.push({ type, atMs, conversationId, actorType, payload });
  };
  const q = plan.queuedAtMs;
  ev('conversation.opened', q - 30 * S, { folio, channelId: randomUUID(), channelKind: plan.kind });
  if (plan.kind === 'voice') ev('call.enqueued', q, { callSid: `CA${index}`, queueName: 'q', conversationId, folio, queueId: plan.queueId });
  ev('conversation.queued', q, { queueId: plan.queueId, channelClass, priority: 0, seatType: 'PS-I', afterHours: false, preferredAgentId: null });
  const truth: TruthContact = {
    conversationId,
    folio,
    queueId: plan.queueId,
    channelKind: plan.kind,
    channelClass,
    queuedAtMs: q,
    answeredAtMs: null,
    abandonedAtMs: null,
    abandonWaitMs: null,
    firstResponseAtMs: null,
    talkMs: 0,
    holdMs: 0,
    acwMs: 0,
    transfers: 0,
    tier2Reason: null,
    surveyAnswered: false,
    agentIds: [],
  };
  if (!plan.answered) {
    const at = q + plan.waitMs;
    truth.abandonedAtMs = at;
    truth.abandonWaitMs = plan.waitMs;
    if (plan.kind === 'voice') ev('call.left_queue', at, { callSid: `CA${index}`, result: 'hangup', queueTime: String(plan.waitMs / S) });
    if (!plan.leftQueueOnly) ev('conversation.abandoned', at, { cause: 'contact_left', queueId: plan.queueId, waitedMs: plan.waitMs, statusBefore: 'queued' }, 'contact');
    return { truth, events };
  }
  const answeredAt = q + plan.waitMs;
  truth.answeredAtMs = answeredAt;
  truth.agentIds = [plan.agentId];
  const assign = (agentId: string, at: number, via: string): void =>
    ev('conversation.assigned', at, { offerId: null, agentId, queueId: plan.queueId, channelClass, seatType: 'PS-I', via });
  let endAt = answeredAt + plan.talkMs;
  if (plan.kind === 'voice') {
    // The router assigns first; the answer (and ASA) is when the agent's leg joins the caller.
    assign(plan.agentId, answeredAt - 1500, 'accept');
    ev('call.left_queue', answeredAt, { callSid: `CA${index}`, result: 'bridged', queueTime: String(plan.waitMs / S) });
    ev('call.agent_connected', answeredAt, { callSid: `CA${index}`, agentId: plan.agentId, seatType: 'PS-I', agentCallSid: `CA${index}a` });
    if (plan.hold) {
      ev('call.hold', answeredAt + 30 * S, { callSid: `CA${index}`, agentId: plan.agentId });
      ev('call.unhold', answeredAt + 42 * S, { callSid: `CA${index}`, agentId: plan.agentId });
      truth.holdMs = 12 * S;
    }
  } else {
    assign(plan.agentId, answeredAt, 'accept');
    const delay = plan.responseDelayMs ?? 20 * S;
    truth.firstResponseAtMs = answeredAt + delay;
    ev('message.queued', answeredAt + delay, { contentType: 'text' }, 'agent');
    endAt = Math.max(endAt, answeredAt + delay + 30 * S);
  }
  truth.talkMs = endAt - answeredAt;
  let releasingAgent = plan.agentId;
  if (plan.tier2) {
    const mid = answeredAt + Math.floor((endAt - answeredAt) / 2);
    truth.transfers = 1;
    truth.tier2Reason = 'consulta especializada';
    truth.agentIds = [plan.agentId, tier2AgentId];
    ev('conversation.transferred', mid, {
      kind: 'tier2', reason: 'consulta especializada', fromAgentId: plan.agentId, toAgentId: tier2AgentId,
      fromQueueId: plan.queueId, toQueueId: plan.queueId, fromCampaignId: 'c', toCampaignId: 'c', seatTypeBefore: 'PS-I', seatTypeAfter: 'PS-P',
    }, 'agent');
    ev('conversation.released', mid, { agentId: plan.agentId, channelClass, seatType: 'PS-I', cause: 'transferred' });
    assign(tier2AgentId, mid, 'transfer');
    if (plan.kind === 'voice') {
      ev('call.transferred', mid, { callSid: `CA${index}`, agentId: plan.agentId, target: 'tier2', targetId: tier2AgentId });
      ev('call.agent_left', mid, { callSid: `CA${index}`, agentId: plan.agentId, reason: 'transfer' });
      ev('call.agent_connected', mid, { callSid: `CA${index}`, agentId: tier2AgentId, seatType: 'PS-P', agentCallSid: `CA${index}b` });
    }
    releasingAgent = tier2AgentId;
  }
  if (plan.kind === 'voice') {
    ev('call.agent_left', endAt, { callSid: `CA${index}`, agentId: releasingAgent, reason: 'hangup' });
    ev('call.ended', endAt, { callSid: `CA${index}`, status: 'completed', duration: '100' }, 'provider');
  }
  ev('conversation.released', endAt, { agentId: releasingAgent, channelClass, seatType: 'PS-I', cause: 'resolved' });
  ev('conversation.resolved', endAt, { agentId: releasingAgent, reason: 'agent' }, 'agent');
  if (plan.survey) {
    truth.surveyAnswered = true;
    if (plan.kind === 'voice') {
      ev('call.survey_started', endAt + 1 * S, { callSid: `CA${index}` });
      ev('call.survey_completed', endAt + 20 * S, { callSid: `CA${index}`, answers: '3' });
    } else {
      ev('survey.answered', endAt + 20 * S, { responseId: randomUUID(), rating: 5, yes: 10, no: 2, agentRatings: [] }, 'contact');
    }
  }
  return { truth, events };
}

function stateEvent(agentId: string, atMs: number, from: string, to: string, reason: string | null): SimEvent {
  return { type: 'agent.state_changed', atMs, conversationId: null, actorType: 'system', payload: { agentId, from, to, reason, seatType: 'PS-I', load: { text: 0, voice: 0, email: 0 } } };
}

/**
 * `count` contacts spread through the local day starting at `dayStartMs` (08:00 onwards, 7 min
 * apart so one agent never holds two at once), a third voice, some e-mail, the rest web chat.
 */
export function simulateDay(dayStartMs: number, count: number, seed: number): SimulatedDay {
  const rand = prng(seed);
  const agents = ['agent-a', 'agent-b', 'agent-c'];
  const tier2 = 'agent-tier2';
  const queues: [string, string] = [randomUUID(), randomUUID()];
  const contacts: TruthContact[] = [];
  const events: SimEvent[] = [];
  for (const agent of [...agents, tier2]) events.push(stateEvent(agent, dayStartMs + 7.5 * 3_600_000, 'offline', 'available', null));
  for (let i = 0; i < count; i++) {
    const kind: TruthContact['channelKind'] = i % 3 === 0 ? 'voice' : i % 5 === 1 ? 'email' : 'webchat';
    const answered = kind === 'email' || rand() < 0.7;
    const plan: ContactPlan = {
      kind,
      queueId: queues[i % 2] as string,
      queuedAtMs: dayStartMs + 8 * 3_600_000 + i * 7 * 60 * S + Math.floor(rand() * 20 * S),
      waitMs: Math.floor(rand() * 45 * S),
      answered,
      agentId: agents[i % 3] as string,
      talkMs: 60 * S + Math.floor(rand() * 240 * S),
      tier2: answered && kind !== 'email' && i % 7 === 2,
      survey: answered && i % 4 === 0,
      hold: kind === 'voice' && i % 2 === 0,
      leftQueueOnly: kind === 'voice' && i % 2 === 0,
      ...(kind === 'email' ? { responseDelayMs: i % 10 === 1 ? 14 * 3_600_000 : 2 * 3_600_000 } : {}),
    };
    if (i === 3) plan.waitMs = 20 * S; // exactly Y: within the service level
    const built = planContact(plan, i, tier2);
    contacts.push(built.truth);
    events.push(...built.events);
    // After-contact work (voice and chat): the releasing agent, reason = folio, 15 s.
    if (built.truth.answeredAtMs !== null && kind !== 'email') {
      const endAt = built.truth.answeredAtMs + built.truth.talkMs;
      const releasing = built.truth.agentIds.at(-1) as string;
      events.push(stateEvent(releasing, endAt, 'available', 'after_contact_work', built.truth.folio));
      events.push(stateEvent(releasing, endAt + 15 * S, 'after_contact_work', 'available', null));
      built.truth.acwMs = 15 * S;
    }
  }
  return { contacts, events, agents: [...agents, tier2], queues };
}

/** Writes the events in time order (ties keep their order), as the hub would have appended them. */
export async function insertEvents(db: Kysely<Database>, campaignId: string, events: readonly SimEvent[]): Promise<void> {
  const ordered = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.atMs - b.e.atMs || a.i - b.i);
  for (let i = 0; i < ordered.length; i += 500) {
    await db
      .insertInto('interaction_events')
      .values(
        ordered.slice(i, i + 500).map(({ e }) => ({
          type: e.type,
          occurred_at: new Date(e.atMs),
          campaign_id: campaignId,
          conversation_id: e.conversationId,
          contact_id: e.contactId ?? null,
          actor_type: e.actorType,
          actor_id: e.actorType === 'agent' ? 'agent' : null,
          payload: JSON.stringify(e.payload),
        })),
      )
      .execute();
  }
}
