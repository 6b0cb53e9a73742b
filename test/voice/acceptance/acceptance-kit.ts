import type { Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';
import type { ConversationOfferedPayload } from '../../../hub/src/realtime/events.contract.js';
import { connectStaff, type StaffClient } from '../../support/auth.js';
import { createUser } from '../../support/factories.js';
import { setAgentSkills } from '../../support/router-factories.js';
import { callEvents, waitFor, type VoiceHub } from '../core/voice-hub-harness.js';

/**
 * Shared steps of issue 8's acceptance tests: agents who log in through the HTTP API like the
 * inbox does, the offer accepted through the inbox's REST route, and the usage facts a call
 * should have, computed here from its stored `call.*` events (hub/src/voice/metering/README.md).
 */

export interface Agent {
  id: string;
  token: string;
  /** The inbox's staff socket (inbox-ui's own client) and the offers it received. */
  inbox: StaffClient;
  offers: ConversationOfferedPayload[];
}

/** A user with a password, logged in with POST /auth/login (the inbox's login), with skills in the campaign(s). */
export async function loginAgent(h: VoiceHub, campaignIds: string[], skills: Record<string, number>, roles: ('agent' | 'supervisor')[] = ['agent']): Promise<Agent> {
  const user = await createUser(h.db, { roles, campaignIds });
  await setAgentSkills(h.db, user.id, skills);
  const res = await fetch(`${h.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (res.status !== 200 || !body.accessToken) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  const inbox = await connectStaff(h.url, body.accessToken);
  const offers: ConversationOfferedPayload[] = [];
  inbox.on('conversation.offered', (offer) => offers.push(offer));
  return { id: user.id, token: body.accessToken, inbox, offers };
}

export async function setState(h: VoiceHub, agent: Agent, state: 'available' | 'offline' | 'not_ready'): Promise<void> {
  const res = await h.api('PUT', '/agents/me/state', agent.token, { state });
  if (res.status !== 200) throw new Error(`state ${state} refused: ${JSON.stringify(res.body)}`);
}

/** The voice offer the inbox received for the conversation (the socket's `conversation.offered`). */
export async function pendingOffer(agent: Agent, conversationId: string): Promise<ConversationOfferedPayload> {
  return waitFor(`the inbox offer of ${conversationId} to ${agent.id}`, async () =>
    agent.offers.find((o) => o.conversationId === conversationId && o.agentId === agent.id && o.channelClass === 'voice'),
  );
}

/** Accepts the offer the inbox received through the inbox's REST route. */
export async function acceptOffer(h: VoiceHub, agent: Agent, conversationId: string): Promise<void> {
  const offer = await pendingOffer(agent, conversationId);
  const accepted = await h.api('POST', `/offers/${offer.offerId}/accept`, agent.token);
  if (accepted.status !== 200) throw new Error(`offer not accepted: ${JSON.stringify(accepted.body)}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ExpectedFact {
  concept: string;
  quantity: number;
  duration_ms: string;
  agent_id: string | null;
  seat_type: string | null;
}

/** What ends a stay in line (metering README): an agent, leaving Twilio's queue, voicemail, a new line. */
const QUEUE_ENDS = new Set(['agent_connected', 'left_queue', 'voicemail_started', 'enqueued']);

interface StoredEvent {
  type: string;
  at: number;
  payload: Record<string, unknown>;
}

/**
 * The facts the metering README promises, computed from the stored events independently of the
 * hub's code: IVR incoming → first enqueued; queue each enqueued → next agent_connected /
 * left_queue / voicemail_started / enqueued; talk per
 * agent connection → that agent's agent_left minus its holds (hold → unhold); survey started →
 * completed (else the end). Quantities are the exact ms spans floored to seconds. Only what these calls use.
 */
export async function expectedFacts(db: Kysely<Database>, callSid: string): Promise<{ facts: ExpectedFact[]; events: StoredEvent[] }> {
  const rows = await callEvents(db, callSid);
  const events = rows.map((r) => ({ type: r.type.replace(/^call\./, ''), at: r.occurred_at.getTime(), payload: r.payload })).sort((a, b) => a.at - b.at);
  const first = (type: string, from = 0) => events.find((e) => e.type === type && e.at >= from);
  const fact = (concept: string, ms: number, agentId: string | null = null, seatType: string | null = null): ExpectedFact => ({
    concept,
    quantity: Math.floor(ms / 1000),
    duration_ms: String(ms),
    agent_id: agentId,
    seat_type: seatType,
  });
  const facts: ExpectedFact[] = [];
  const incoming = first('incoming');
  const enqueued = events.filter((e) => e.type === 'enqueued');
  if (incoming && enqueued[0]) facts.push(fact('ivr_seconds', enqueued[0].at - incoming.at));
  const connections = events.filter((e) => e.type === 'agent_connected');
  for (const q of enqueued) {
    const next = events.find((e) => e.at >= q.at && e !== q && QUEUE_ENDS.has(e.type));
    if (next) facts.push(fact('queue_seconds', next.at - q.at));
  }
  const holds: ExpectedFact[] = [];
  for (const c of connections) {
    const agentId = String(c.payload['agentId']);
    const seatType = c.payload['seatType'] === 'PS-P' ? 'PS-P' : 'PS-I';
    const left = events.find((e) => e.type === 'agent_left' && e.at >= c.at && e.payload['agentId'] === agentId);
    if (!left) throw new Error(`agent ${agentId} never left call ${callSid}`);
    let holdMs = 0;
    for (const hold of events.filter((e) => e.type === 'hold' && e.at >= c.at && e.at <= left.at && e.payload['agentId'] === agentId)) {
      const unhold = events.find((e) => e.type === 'unhold' && e.at >= hold.at && e.payload['agentId'] === agentId);
      const end = Math.min(unhold?.at ?? left.at, left.at);
      holdMs += end - hold.at;
      holds.push(fact('hold_seconds', end - hold.at, agentId, seatType));
    }
    facts.push(fact('talk_seconds', left.at - c.at - holdMs, agentId, seatType));
  }
  facts.push(...holds);
  const surveyStarted = first('survey_started');
  const surveyEnd = first('survey_completed') ?? first('ended');
  if (surveyStarted && surveyEnd) facts.push(fact('survey_seconds', surveyEnd.at - surveyStarted.at));
  return { facts, events };
}

/** The hub's metering loop has metered the ended call: its usage summary and facts. */
export async function meteredCall(db: Kysely<Database>, callSid: string) {
  const summary = await waitFor(`the metering of ${callSid}`, () => db.selectFrom('voice_call_usage').selectAll().where('call_sid', '=', callSid).executeTakeFirst(), 20_000);
  const facts = await db.selectFrom('voice_usage_facts').select(['concept', 'quantity', 'duration_ms', 'agent_id', 'seat_type']).where('call_sid', '=', callSid).orderBy('seq').execute();
  return { summary, facts };
}

const ORDER = ['ivr_seconds', 'queue_seconds', 'talk_seconds', 'hold_seconds', 'survey_seconds'];
/** Facts in a stable order for comparison: concept, then duration. */
export function sortFacts<T extends { concept: string; duration_ms: string }>(facts: T[]): T[] {
  return [...facts].sort((a, b) => ORDER.indexOf(a.concept) - ORDER.indexOf(b.concept) || Number(a.duration_ms) - Number(b.duration_ms));
}
