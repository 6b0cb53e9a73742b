import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SupervisorLegMode, VoiceSupervisorLeg } from '../../db/schema-voice-supervision.js';

type Db = Kysely<Database>;

/** Postgres' unique_violation: the one-live-leg-per-supervisor index said no. */
const UNIQUE_VIOLATION = '23505';

export interface NewSupervisorLeg {
  conversationId: string;
  supervisorId: string;
  channelId: string;
  citizenCallSid: string;
  to: string;
  mode: SupervisorLegMode;
  coachedCallSid: string | null;
}

/** The claim: null when this supervisor already has a live leg on the call (any process). */
export async function insertSupervisorLeg(db: Db, leg: NewSupervisorLeg): Promise<VoiceSupervisorLeg | null> {
  try {
    return await db
      .insertInto('voice_supervisor_legs')
      .values({
        conversation_id: leg.conversationId,
        supervisor_id: leg.supervisorId,
        channel_id: leg.channelId,
        citizen_call_sid: leg.citizenCallSid,
        to_address: leg.to,
        mode: leg.mode,
        coached_call_sid: leg.coachedCallSid,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === UNIQUE_VIOLATION) return null;
    throw error;
  }
}

export async function liveSupervisorLeg(db: Db, conversationId: string, supervisorId: string): Promise<VoiceSupervisorLeg | null> {
  const row = await db
    .selectFrom('voice_supervisor_legs')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('supervisor_id', '=', supervisorId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}

export async function supervisorLegById(db: Db, id: string): Promise<VoiceSupervisorLeg | null> {
  return (await db.selectFrom('voice_supervisor_legs').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function supervisorLegByCallSid(db: Db, callSid: string): Promise<VoiceSupervisorLeg | null> {
  return (await db.selectFrom('voice_supervisor_legs').selectAll().where('call_sid', '=', callSid).executeTakeFirst()) ?? null;
}

export async function setSupervisorCallSid(db: Db, legId: string, callSid: string): Promise<void> {
  await db.updateTable('voice_supervisor_legs').set({ call_sid: callSid }).where('id', '=', legId).where('call_sid', 'is', null).execute();
}

export async function setSupervisorRinging(db: Db, legId: string): Promise<void> {
  await db.updateTable('voice_supervisor_legs').set({ state: 'ringing' }).where('id', '=', legId).where('state', '=', 'dialing').execute();
}

/** In the conference: once (the conference's join and the leg's answered callback race). */
export async function markSupervisorJoined(db: Db, legId: string): Promise<VoiceSupervisorLeg | null> {
  const row = await db
    .updateTable('voice_supervisor_legs')
    .set({ state: 'joined', joined_at: sql<Date>`clock_timestamp()` })
    .where('id', '=', legId)
    .where('state', 'in', ['dialing', 'ringing'])
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** Only from the mode the caller saw (two clicks at once): null when it changed meanwhile or the leg ended. */
export async function setSupervisorMode(db: Db, leg: VoiceSupervisorLeg, mode: SupervisorLegMode, coachedCallSid: string | null): Promise<VoiceSupervisorLeg | null> {
  const row = await db
    .updateTable('voice_supervisor_legs')
    .set({ mode, coached_call_sid: coachedCallSid })
    .where('id', '=', leg.id)
    .where('mode', '=', leg.mode)
    .where('ended_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** Why the leg is about to leave (a `leave`), read when its leave callback arrives. */
export async function markSupervisorLeaving(db: Db, legId: string, reason: string): Promise<void> {
  await db.updateTable('voice_supervisor_legs').set({ end_reason: reason }).where('id', '=', legId).where('ended_at', 'is', null).execute();
}

/**
 * Ends the leg once — `ended` when it had been in the call, else `failed` — and returns it; null
 * when it had already ended (the leave callback and the status callback race).
 */
export async function endSupervisorLeg(db: Db, legId: string, reason: string): Promise<VoiceSupervisorLeg | null> {
  const row = await db
    .updateTable('voice_supervisor_legs')
    .set({ state: sql<'ended' | 'failed'>`CASE WHEN joined_at IS NULL THEN 'failed' ELSE 'ended' END`, end_reason: sql`coalesce(end_reason, ${reason})`, ended_at: sql<Date>`clock_timestamp()` })
    .where('id', '=', legId)
    .where('ended_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/**
 * The takeover in the database, in one transaction: the supervisor's leg becomes the call's agent
 * leg (voice_agent_legs, role agent, talking — what the controls, recording access, the survey and
 * the connector read) and its voice_calls row an agent leg of the supervisor. Null when the leg
 * is no longer joined (it left or was taken over meanwhile).
 */
export async function convertToAgentLeg(db: Db, leg: VoiceSupervisorLeg & { call_sid: string }): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    // Already reassigned to the supervisor (the router's offer): the leg is that assignment's; else
    // it has none yet and the connector adopts it when the reassignment comes (claimAgentLeg).
    const conversation = await trx.selectFrom('conversations').select(['assignee_id', 'offer_id']).where('id', '=', leg.conversation_id).executeTakeFirst();
    const offerId = conversation?.assignee_id === leg.supervisor_id ? conversation.offer_id : null;
    const agentLeg = await trx
      .insertInto('voice_agent_legs')
      .values({
        conversation_id: leg.conversation_id,
        offer_id: offerId,
        role: 'agent',
        agent_id: leg.supervisor_id,
        channel_id: leg.channel_id,
        citizen_call_sid: leg.citizen_call_sid,
        call_sid: leg.call_sid,
        to_address: leg.to_address,
        state: 'talking',
        joined_at: sql<Date>`clock_timestamp()`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const taken = await trx
      .updateTable('voice_supervisor_legs')
      .set({ state: 'taken_over', mode: 'barge', coached_call_sid: null, end_reason: 'taken_over', agent_leg_id: agentLeg.id, ended_at: sql<Date>`clock_timestamp()` })
      .where('id', '=', leg.id)
      .where('state', '=', 'joined')
      .returning('id')
      .executeTakeFirst();
    if (!taken) {
      // Rolls the insert back with it: the leg left or was taken over by another request.
      throw new LegMovedOn();
    }
    await trx
      .updateTable('voice_calls')
      .set({ kind: 'agent_leg', agent_id: leg.supervisor_id, updated_at: sql<Date>`clock_timestamp()` })
      .where('call_sid', '=', leg.call_sid)
      .execute();
    return agentLeg.id;
  }).catch((error: unknown) => {
    if (error instanceof LegMovedOn) return null;
    throw error;
  });
}

class LegMovedOn extends Error {
  constructor() {
    super('the supervisor leg is no longer joined');
  }
}
