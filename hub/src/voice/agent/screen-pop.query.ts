import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Principal } from '../../auth/principal.js';
import { maskOfficialId, seesOfficialIds } from '../../contacts/official-id-mask.js';
import type { Database } from '../../db/schema.js';
import { conferenceOf } from './agent-leg.store.js';
import type { CallConversation } from './call-access.js';

export type LegState = 'ringing' | 'talking' | 'on_hold' | 'ended' | 'in_queue';

export const screenPopSchema = z.object({
  conversationId: z.uuid(),
  folio: z.string(),
  status: z.string(),
  assigneeId: z.uuid().nullable(),
  caller: z.object({ number: z.string(), callSid: z.string(), state: z.enum(['in_queue', 'ringing', 'talking', 'on_hold', 'ended']) }).nullable(),
  ivr: z.object({ steps: z.array(z.string()), captured: z.array(z.object({ field: z.string(), value: z.string() })) }),
  legs: z.array(
    z.object({
      callSid: z.string().nullable(),
      role: z.enum(['agent', 'third_party']),
      agentId: z.uuid(),
      agentName: z.string().nullable(),
      to: z.string(),
      state: z.enum(['in_queue', 'ringing', 'talking', 'on_hold', 'ended']),
      joinedAt: z.string().nullable(),
      endedAt: z.string().nullable(),
      endReason: z.string().nullable(),
    }),
  ),
  recordings: z.array(z.object({ recordingSid: z.string(), status: z.string(), duration: z.number().nullable(), url: z.string().nullable(), channels: z.number(), startedAt: z.string() })),
});
export type ScreenPop = z.infer<typeof screenPopSchema>;

const ivrStateSchema = z.looseObject({
  collected: z.record(z.string(), z.string()).default({}),
  path: z.array(z.looseObject({ node: z.string(), input: z.string().optional() })).default([]),
});

/** «menu-principal» → «menu principal»: node ids are written by IVR designers, readable enough once un-dashed. */
function words(node: string): string {
  return node.replace(/[-_]+/g, ' ').trim();
}

/** The IVR path the caller took, in Spanish, for the agent (seed: the screen pop shows the IVR choices). */
const HOURS_BRANCH: Record<string, string> = { open: 'en horario de atención', closed: 'fuera de horario', holiday: 'en día inhábil' };

export function ivrSteps(path: readonly { node: string; input?: string | undefined }[]): string[] {
  return path.map((step) => {
    if (step.input === undefined || step.input === '') return `Pasó por «${words(step.node)}»`;
    // The hours node records which branch the calendar took, not something the caller said.
    const branch = HOURS_BRANCH[step.input];
    if (branch) return `Llamó ${branch}`;
    return /^[0-9*#]+$/.test(step.input) ? `En «${words(step.node)}» marcó ${step.input}` : `En «${words(step.node)}» dijo «${step.input}»`;
  });
}

/** Captured data as the viewer may see it: NSS and CURP masked for agents (contacts/official-id-mask.ts). */
export function capturedFor(principal: Pick<Principal, 'roles'>, collected: Record<string, string>): { field: string; value: string }[] {
  const whole = seesOfficialIds(principal);
  return Object.entries(collected).map(([field, value]) => {
    const kind = /nss/i.test(field) ? 'nss' : /curp/i.test(field) ? 'curp' : /rfc/i.test(field) ? 'rfc' : null;
    return { field, value: whole || kind === null ? value : (maskOfficialId(kind, value) ?? '') };
  });
}

/** The call as the inbox shows it next to the conversation: caller, IVR choices, legs, recordings. */
export async function screenPop(db: Kysely<Database>, principal: Pick<Principal, 'roles'>, conversation: CallConversation): Promise<ScreenPop> {
  const citizen = await db
    .selectFrom('voice_calls')
    .select(['call_sid', 'from_number', 'ivr_state', 'ended_at', 'status'])
    .where('conversation_id', '=', conversation.id)
    .where('kind', 'in', ['inbound', 'callback'])
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
  const conference = await conferenceOf(db, conversation.id);
  const legs = await db
    .selectFrom('voice_agent_legs as l')
    .leftJoin('users as u', 'u.id', 'l.agent_id')
    .select(['l.call_sid', 'l.role', 'l.agent_id', 'u.display_name', 'l.to_address', 'l.state', 'l.joined_at', 'l.ended_at', 'l.end_reason'])
    .where('l.conversation_id', '=', conversation.id)
    .orderBy('l.created_at')
    .execute();
  const recordings = await db.selectFrom('voice_recordings').selectAll().where('conversation_id', '=', conversation.id).orderBy('started_at').execute();
  const ivr = ivrStateSchema.safeParse(citizen?.ivr_state ?? {});
  const state = ivr.success ? ivr.data : { collected: {}, path: [] };

  let callerState: LegState = 'in_queue';
  if (!citizen || citizen.ended_at !== null || conference?.caller_state === 'ended') callerState = 'ended';
  else if (conference?.caller_state === 'conference') callerState = conference.on_hold ? 'on_hold' : legs.some((l) => l.state === 'talking') ? 'talking' : 'ringing';

  return {
    conversationId: conversation.id,
    folio: conversation.folio,
    status: conversation.status,
    assigneeId: conversation.assignee_id,
    caller: citizen ? { number: citizen.from_number, callSid: citizen.call_sid, state: callerState } : null,
    ivr: { steps: ivrSteps(state.path), captured: capturedFor(principal, state.collected) },
    legs: legs.map((l) => ({
      callSid: l.call_sid,
      role: l.role,
      agentId: l.agent_id,
      agentName: l.display_name,
      to: l.to_address,
      state: l.ended_at !== null ? 'ended' : l.state === 'talking' ? 'talking' : 'ringing',
      joinedAt: l.joined_at?.toISOString() ?? null,
      endedAt: l.ended_at?.toISOString() ?? null,
      endReason: l.end_reason,
    })),
    recordings: recordings.map((r) => ({ recordingSid: r.recording_sid, status: r.status, duration: r.duration, url: r.url, channels: r.channels, startedAt: r.started_at.toISOString() })),
  };
}
