import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AgentLegState, CallerState, LegTransfer, VoiceAgentLeg, VoiceConference } from '../../db/schema-voice-agent.js';
import { conferenceNameOf } from '../call-events.contract.js';

type Db = Kysely<Database>;

/** A voice conversation assigned to an agent whose leg for that assignment (offer) was never dialed. */
export interface ConnectWork {
  conversationId: string;
  offerId: string;
  agentId: string;
  channelId: string;
  campaignId: string;
  folio: string;
  citizenCallSid: string;
  citizenKind: 'inbound' | 'callback';
}

/**
 * The connector's to-do list, read from PostgreSQL only (durable: a restarted worker carries on).
 * One dial per offer: a rejected, unanswered or hung-up agent leg is never redialed for the same
 * assignment — the router's next offer is a new assignment. Citizens being redirected are skipped.
 */
export async function findConnectWork(db: Db, limit = 25): Promise<ConnectWork[]> {
  const rows = await db
    .selectFrom('conversations as c')
    .innerJoin('voice_calls as v', (join) => join.onRef('v.conversation_id', '=', 'c.id').on('v.kind', 'in', ['inbound', 'callback']).on('v.ended_at', 'is', null))
    .leftJoin('voice_conferences as f', 'f.conversation_id', 'c.id')
    .select(['c.id', 'c.offer_id', 'c.assignee_id', 'c.channel_id', 'c.campaign_id', 'c.folio', 'v.call_sid', 'v.kind'])
    .where('c.status', '=', 'assigned')
    .where('c.assignee_id', 'is not', null)
    .where('c.offer_id', 'is not', null)
    .where('c.closed_at', 'is', null)
    // A call-back's citizen is connected once they answered (their TwiML then joins the conference).
    .where((eb) => eb.or([eb('v.kind', '=', 'inbound'), eb('v.status', '=', 'in-progress')]))
    .where((eb) => eb.or([eb('f.caller_state', 'is', null), eb('f.caller_state', 'in', ['queue', 'conference'])]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('voice_agent_legs as l')
            .select(sql`1`.as('one'))
            .whereRef('l.conversation_id', '=', 'c.id')
            .whereRef('l.offer_id', '=', 'c.offer_id')
            .where('l.role', '=', 'agent'),
        ),
      ),
    )
    // Reassigned to a supervisor already on the call (voice/supervision/): their takeover makes that leg the agent's.
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('voice_supervisor_legs as sl')
            .select(sql`1`.as('one'))
            .whereRef('sl.conversation_id', '=', 'c.id')
            .whereRef('sl.supervisor_id', '=', 'c.assignee_id')
            .where('sl.ended_at', 'is', null),
        ),
      ),
    )
    .orderBy('c.updated_at')
    .limit(limit)
    .execute();
  const work: ConnectWork[] = [];
  for (const r of rows) {
    if (r.offer_id === null || r.assignee_id === null || (r.kind !== 'inbound' && r.kind !== 'callback')) continue;
    work.push({
      conversationId: r.id,
      offerId: r.offer_id,
      agentId: r.assignee_id,
      channelId: r.channel_id,
      campaignId: r.campaign_id,
      folio: r.folio,
      citizenCallSid: r.call_sid,
      citizenKind: r.kind,
    });
  }
  return work;
}

/** The claim: exactly one process dials an agent for one offer (a unique index decides). */
export async function claimAgentLeg(db: Db, work: ConnectWork, toAddress: string): Promise<string | null> {
  // A supervisor who took the call over is already in it (an agent leg without an offer): the
  // reassignment to them adopts that leg instead of dialing them a second time.
  const adopted = await db
    .updateTable('voice_agent_legs')
    .set({ offer_id: work.offerId })
    .where('conversation_id', '=', work.conversationId)
    .where('agent_id', '=', work.agentId)
    .where('role', '=', 'agent')
    .where('offer_id', 'is', null)
    .where('ended_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (adopted) return null;
  const row = await db
    .insertInto('voice_agent_legs')
    .values({
      conversation_id: work.conversationId,
      offer_id: work.offerId,
      role: 'agent',
      agent_id: work.agentId,
      channel_id: work.channelId,
      citizen_call_sid: work.citizenCallSid,
      to_address: toAddress,
    })
    .onConflict((oc) => oc.columns(['conversation_id', 'offer_id']).where('role', '=', 'agent').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function insertThirdPartyLeg(db: Db, input: { conversationId: string; agentId: string; channelId: string; citizenCallSid: string; to: string }): Promise<string> {
  const row = await db
    .insertInto('voice_agent_legs')
    .values({ conversation_id: input.conversationId, role: 'third_party', agent_id: input.agentId, channel_id: input.channelId, citizen_call_sid: input.citizenCallSid, to_address: input.to })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The conference row of a conversation; an inbound citizen starts in Twilio's queue, a call-back's TwiML joins it directly. */
export async function ensureConference(db: Db, work: Pick<ConnectWork, 'conversationId' | 'channelId' | 'campaignId' | 'citizenCallSid' | 'citizenKind'>): Promise<VoiceConference> {
  await db
    .insertInto('voice_conferences')
    .values({
      conversation_id: work.conversationId,
      channel_id: work.channelId,
      campaign_id: work.campaignId,
      name: conferenceNameOf(work.conversationId),
      citizen_call_sid: work.citizenCallSid,
      caller_state: work.citizenKind === 'callback' ? 'conference' : 'queue',
    })
    .onConflict((oc) => oc.column('conversation_id').doNothing())
    .execute();
  // A new citizen leg of the same conversation (a call-back after a dropped call) replaces the old one.
  const row = await db.selectFrom('voice_conferences').selectAll().where('conversation_id', '=', work.conversationId).executeTakeFirstOrThrow();
  if (row.citizen_call_sid === work.citizenCallSid) return row;
  return db
    .updateTable('voice_conferences')
    .set({ citizen_call_sid: work.citizenCallSid, caller_state: work.citizenKind === 'callback' ? 'conference' : 'queue', on_hold: false, recording_sid: null, conference_sid: null, updated_at: sql`clock_timestamp()` })
    .where('conversation_id', '=', work.conversationId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Moves the citizen's state only from the expected one (several processes, late callbacks). */
export async function moveCaller(db: Db, conversationId: string, from: readonly CallerState[], to: CallerState): Promise<boolean> {
  const row = await db
    .updateTable('voice_conferences')
    .set({ caller_state: to, updated_at: sql`clock_timestamp()` })
    .where('conversation_id', '=', conversationId)
    .where('caller_state', 'in', [...from])
    .returning('conversation_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function conferenceByName(db: Db, name: string): Promise<VoiceConference | null> {
  return (await db.selectFrom('voice_conferences').selectAll().where('name', '=', name).executeTakeFirst()) ?? null;
}

export async function conferenceOf(db: Db, conversationId: string): Promise<VoiceConference | null> {
  return (await db.selectFrom('voice_conferences').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst()) ?? null;
}

export async function conferenceByCitizen(db: Db, citizenCallSid: string): Promise<VoiceConference | null> {
  return (await db.selectFrom('voice_conferences').selectAll().where('citizen_call_sid', '=', citizenCallSid).executeTakeFirst()) ?? null;
}

export async function setConferenceSid(db: Db, conversationId: string, conferenceSid: string): Promise<void> {
  await db
    .updateTable('voice_conferences')
    .set({ conference_sid: conferenceSid, updated_at: sql`clock_timestamp()` })
    .where('conversation_id', '=', conversationId)
    .where((eb) => eb.or([eb('conference_sid', 'is', null), eb('conference_sid', '<>', conferenceSid)]))
    .execute();
}

export async function setOnHold(db: Db, conversationId: string, onHold: boolean): Promise<boolean> {
  const row = await db
    .updateTable('voice_conferences')
    .set({ on_hold: onHold, updated_at: sql`clock_timestamp()` })
    .where('conversation_id', '=', conversationId)
    .where('on_hold', '=', !onHold)
    .returning('conversation_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The recording is started once per citizen call (the first agent to join); the claim makes it once. */
export async function claimRecording(db: Db, conversationId: string, citizenCallSid: string): Promise<boolean> {
  const row = await db
    .updateTable('voice_conferences')
    .set({ recording_sid: 'pending' })
    .where('conversation_id', '=', conversationId)
    .where('citizen_call_sid', '=', citizenCallSid)
    .where('recording_sid', 'is', null)
    .returning('conversation_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function setRecordingSid(db: Db, conversationId: string, recordingSid: string | null): Promise<void> {
  await db.updateTable('voice_conferences').set({ recording_sid: recordingSid }).where('conversation_id', '=', conversationId).execute();
}

export async function legById(db: Db, id: string): Promise<VoiceAgentLeg | null> {
  return (await db.selectFrom('voice_agent_legs').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function legByCallSid(db: Db, callSid: string): Promise<VoiceAgentLeg | null> {
  return (await db.selectFrom('voice_agent_legs').selectAll().where('call_sid', '=', callSid).executeTakeFirst()) ?? null;
}

export async function liveLegs(db: Db, conversationId: string): Promise<VoiceAgentLeg[]> {
  return db.selectFrom('voice_agent_legs').selectAll().where('conversation_id', '=', conversationId).where('ended_at', 'is', null).orderBy('created_at').execute();
}

export async function setLegCallSid(db: Db, legId: string, callSid: string): Promise<void> {
  await db.updateTable('voice_agent_legs').set({ call_sid: callSid }).where('id', '=', legId).where('call_sid', 'is', null).execute();
}

export async function setLegState(db: Db, legId: string, state: Extract<AgentLegState, 'ringing' | 'talking'>): Promise<VoiceAgentLeg | null> {
  const row = await db
    .updateTable('voice_agent_legs')
    .set({ state, ...(state === 'talking' ? { joined_at: sql<Date>`coalesce(joined_at, clock_timestamp())` } : {}) })
    .where('id', '=', legId)
    .where('ended_at', 'is', null)
    // Callbacks race: a late `ringing` status must not undo the conference's join.
    .where('state', 'in', state === 'talking' ? ['dialing', 'ringing'] : ['dialing'])
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** Ends a leg once; null when it had already ended (callbacks repeat and race). */
export async function endLeg(db: Db, legId: string, state: 'ended' | 'failed', reason: string): Promise<VoiceAgentLeg | null> {
  const row = await db
    .updateTable('voice_agent_legs')
    .set({ state, end_reason: sql`coalesce(end_reason, ${reason})`, ended_at: sql`clock_timestamp()` })
    .where('id', '=', legId)
    .where('ended_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** Why a live leg is about to leave (a control), read when its leave callback arrives. */
export async function markLegLeaving(db: Db, legId: string, reason: string, transfer: LegTransfer | null): Promise<void> {
  await db
    .updateTable('voice_agent_legs')
    .set({ end_reason: reason, transfer: transfer === null ? null : JSON.stringify(transfer) })
    .where('id', '=', legId)
    .where('ended_at', 'is', null)
    .execute();
}

/** Every agent who talked on this conversation's call (the recording's `agents`). */
export async function agentsWhoJoined(db: Db, conversationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('voice_agent_legs')
    .select('agent_id')
    .distinct()
    .where('conversation_id', '=', conversationId)
    .where('role', '=', 'agent')
    .where('joined_at', 'is not', null)
    .execute();
  return rows.map((r) => r.agent_id);
}
