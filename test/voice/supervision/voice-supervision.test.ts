import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../hub/src/auth/principal.js';
import type { HubError } from '../../../hub/src/errors/error-registry.js';
import { transferConversation } from '../../../hub/src/router/usecases/transfer.usecase.js';
import type { VoiceSupervisionPort } from '../../../hub/src/supervision/voice-supervision.port.js';
import { createVoiceSupervision } from '../../../hub/src/voice/supervision/voice-supervision.usecase.js';
import type { SimulatedCall } from '../../harness/twilio-voice/index.js';
import { createVoiceAgent, startVoiceHub, waitFor, type VoiceHub } from '../core/voice-hub-harness.js';
import { agentVoiceSetup, citizenEvents, eventOf, LINE, queuedCaller, takeCall, type AgentVoiceSetup } from '../agent/agent-hub.js';

/**
 * Voice supervision end to end (issue 9 item 5): a real hub (API + workers, PostgreSQL, Redis), the
 * channel's REST pointed at the TwilioVoiceCloud, which says who hears whom in the conference
 * (muted, coaching, full participant). A caller in line, an agent connected, then a supervisor:
 * monitor → whisper → barge → takeover → the supervisor hangs up; survey, metering and recording
 * attribute the end of the call to the supervisor.
 */
describe('voice supervision over the call conference', () => {
  let h: VoiceHub;
  let s: AgentVoiceSetup;
  let port: VoiceSupervisionPort;
  let ana: { id: string; token: string };
  let sup: { id: string; token: string };
  let caller: SimulatedCall;
  let conversationId = '';
  let agentSid = '';
  let supSid = '';
  const room = () => s.cloud.conferences.get(`ventanilla-${conversationId}`);
  /** Who hears whom now (listener → speakers), order-free. */
  const hearing = () => Object.fromEntries(Object.entries(s.cloud.audibility(`ventanilla-${conversationId}`)).map(([listener, speakers]) => [listener, [...speakers].sort()]));
  const sorted = (...sids: string[]) => [...sids].sort();

  beforeAll(async () => {
    h = await startVoiceHub();
    s = await agentVoiceSetup(h);
    const skills = { [s.c.skills.citas]: 1, [s.c.skills.general]: 1 };
    ana = await createVoiceAgent(h, s.c.campaignId, skills);
    sup = await createVoiceAgent(h, s.c.campaignId, skills, ['agent', 'supervisor']);
    port = createVoiceSupervision(h.hub.ctx);
  }, 60_000);
  afterAll(async () => {
    await s?.cloud.close();
    await h?.cleanup();
  });

  async function refused(work: Promise<unknown>): Promise<{ code: string; message: string }> {
    const error = await work.then(
      () => null,
      (e: unknown) => e as HubError,
    );
    if (!error) throw new Error('expected a refusal');
    return { code: error.code, message: error.message };
  }

  it('a call still in line has no agent leg to supervise: refused in Spanish, nothing dialled', async () => {
    ({ caller, conversationId } = await queuedCaller(h, s, '+525511112222'));
    const before = s.cloud.requests.length;
    const error = await refused(port.join({ conversationId, supervisorId: sup.id, mode: 'monitor' }));
    expect(error.code).toBe('HUB_ERR_VOICE_SUPERVISION_NO_AGENT');
    expect(error.message).toMatch(/^La llamada no tiene un agente conectado/);
    expect(s.cloud.requests.slice(before).filter((r) => r.path.includes('/Participants'))).toEqual([]);
    expect(await refused(port.changeMode({ conversationId, supervisorId: sup.id, mode: 'barge' }))).toMatchObject({ code: 'HUB_ERR_VOICE_SUPERVISION_NOT_JOINED' });
  });

  it('monitor: a muted, silent leg; the caller and the agent do not hear the supervisor, who hears both', async () => {
    await takeCall(h, ana, conversationId);
    const connected = await eventOf(h, caller.callSid, 'agent_connected', (p) => p['agentId'] === ana.id);
    agentSid = String(connected['agentCallSid']);

    ({ callSid: supSid } = await port.join({ conversationId, supervisorId: sup.id, mode: 'monitor' }));
    const request = s.cloud.requests.find((r) => r.method === 'POST' && r.path.endsWith('/Participants.json') && r.form['To'] === `client:agent-${sup.id}`);
    expect(request?.form).toMatchObject({ From: LINE, Muted: 'true', Beep: 'false', StartConferenceOnEnter: 'false', EndConferenceOnExit: 'false' });
    expect(request?.form['Coaching']).toBe('false');
    expect(request?.form['StatusCallback']).toMatch(/\/supervision\/leg-status\?leg=[0-9a-f-]{36}$/);
    await waitFor('the supervisor in the conference', async () => room()?.participants.has(supSid));
    const joined = await eventOf(h, caller.callSid, 'supervisor_joined');
    expect(joined).toMatchObject({ supervisorId: sup.id, supervisorCallSid: supSid, mode: 'monitor' });

    expect(hearing()).toEqual({ [caller.callSid]: [agentSid], [agentSid]: [caller.callSid], [supSid]: sorted(caller.callSid, agentSid) });
    // The supervisor's leg makes no beep. (The agent's own entry may beep to the caller: Twilio's
    // default, heard or not depending on whether the caller reached the room first.)
    expect(room()?.beeps.filter((b) => b.callSid === supSid)).toEqual([]);
    const leg = await h.db.selectFrom('voice_calls').selectAll().where('call_sid', '=', supSid).executeTakeFirstOrThrow();
    expect(leg).toMatchObject({ kind: 'supervisor_leg', agent_id: sup.id, parent_call_sid: caller.callSid, conversation_id: conversationId });
    // The agent keeps the call: no talk time starts for the supervisor.
    expect((await citizenEvents(h, caller.callSid)).filter((e) => e.type === 'call.agent_connected')).toHaveLength(1);
  });

  it('one leg per supervisor per call: a second join is refused and dials nobody', async () => {
    const dialled = s.cloud.callsTo(`client:agent-${sup.id}`).length;
    const error = await refused(port.join({ conversationId, supervisorId: sup.id, mode: 'barge' }));
    expect(error.code).toBe('HUB_ERR_VOICE_SUPERVISION_ALREADY_JOINED');
    expect(error.message).toMatch(/^Ya está en esta llamada/);
    expect(s.cloud.callsTo(`client:agent-${sup.id}`)).toHaveLength(dialled);
    // The agent serving the call cannot supervise it.
    expect(await refused(port.join({ conversationId, supervisorId: ana.id, mode: 'monitor' }))).toMatchObject({ code: 'HUB_ERR_VOICE_SUPERVISION_OWN_CALL' });
  });

  it('whisper: the same leg coaches the agent (no redial); only the agent hears the supervisor', async () => {
    await port.changeMode({ conversationId, supervisorId: sup.id, mode: 'whisper' });
    const update = s.cloud.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/Participants/${supSid}.json`)).at(-1);
    expect(update?.form).toMatchObject({ Muted: 'false', Coaching: 'true', CallSidToCoach: agentSid });
    expect(hearing()).toEqual({ [caller.callSid]: [agentSid], [agentSid]: sorted(caller.callSid, supSid), [supSid]: sorted(caller.callSid, agentSid) });
    expect(s.cloud.callsTo(`client:agent-${sup.id}`)).toHaveLength(1);
    expect(await eventOf(h, caller.callSid, 'supervisor_mode_changed', (p) => p['mode'] === 'whisper')).toMatchObject({ supervisorId: sup.id, from: 'monitor', supervisorCallSid: supSid });
  });

  it('barge: a three-way call, everyone hears everyone', async () => {
    await port.changeMode({ conversationId, supervisorId: sup.id, mode: 'barge' });
    const update = s.cloud.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/Participants/${supSid}.json`)).at(-1);
    expect(update?.form).toMatchObject({ Muted: 'false', Coaching: 'false' });
    expect(hearing()).toEqual({
      [caller.callSid]: sorted(agentSid, supSid),
      [agentSid]: sorted(caller.callSid, supSid),
      [supSid]: sorted(caller.callSid, agentSid),
    });
    await eventOf(h, caller.callSid, 'supervisor_mode_changed', (p) => p['mode'] === 'barge' && p['from'] === 'whisper');
  });

  it('takeover: the agent leg leaves, the conference goes on with the caller and the supervisor, who is now the call’s agent', async () => {
    // A supervisor monitoring again first: takeover makes the leg a full participant before the agent leaves.
    await port.changeMode({ conversationId, supervisorId: sup.id, mode: 'monitor' });
    await port.takeOver({ conversationId, supervisorId: sup.id });
    await eventOf(h, caller.callSid, 'agent_left', (p) => p['agentId'] === ana.id && p['reason'] === 'takeover');
    const conference = room();
    expect(conference?.status).toBe('in-progress');
    expect([...(conference?.participants.keys() ?? [])].sort()).toEqual([caller.callSid, supSid].sort());
    expect(s.cloud.hears(caller.callSid, supSid) && s.cloud.hears(supSid, caller.callSid)).toBe(true);
    expect(s.cloud.call(agentSid).status).toBe('completed');
    expect(s.cloud.call(caller.callSid).status).toBe('in-progress');
    // Monitor → takeover: no instant without anyone talking to the caller: the supervisor was heard before the agent left.
    const audio = conference?.audio ?? [];
    const agentOut = audio.findIndex((a) => a.event === 'participant-leave' && a.callSid === agentSid);
    expect([...(audio[agentOut - 1]?.hears[caller.callSid] ?? [])].sort()).toEqual(sorted(agentSid, supSid));

    const types = (await citizenEvents(h, caller.callSid)).map((e) => e.type);
    expect(types.slice(types.indexOf('call.taken_over'))).toEqual(expect.arrayContaining(['call.taken_over', 'call.agent_connected', 'call.agent_left']));
    const connected = await eventOf(h, caller.callSid, 'agent_connected', (p) => p['agentId'] === sup.id);
    expect(connected).toMatchObject({ agentCallSid: supSid, seatType: 'PS-I' });
    expect(await eventOf(h, caller.callSid, 'taken_over')).toMatchObject({ supervisorId: sup.id, agentId: ana.id, supervisorCallSid: supSid, agentCallSid: agentSid });
    const legs = await h.db.selectFrom('voice_agent_legs').select(['agent_id', 'call_sid', 'state', 'end_reason']).where('conversation_id', '=', conversationId).orderBy('created_at').execute();
    expect(legs).toEqual([
      { agent_id: ana.id, call_sid: agentSid, state: 'ended', end_reason: 'takeover' },
      { agent_id: sup.id, call_sid: supSid, state: 'talking', end_reason: null },
    ]);
    expect(await h.db.selectFrom('voice_calls').select(['kind', 'agent_id']).where('call_sid', '=', supSid).executeTakeFirstOrThrow()).toEqual({ kind: 'agent_leg', agent_id: sup.id });
    // The supervisor's leg is no longer a supervision leg: nothing left to change or leave.
    expect(await refused(port.leave({ conversationId, supervisorId: sup.id }))).toMatchObject({ code: 'HUB_ERR_VOICE_SUPERVISION_NOT_JOINED' });
  });

  it('the REST layer reassigns the conversation to the supervisor: the connector does not dial them again', async () => {
    expect((await h.api('PUT', '/agents/me/state', sup.token, { state: 'available' })).status).toBe(200);
    const principal: Principal = { userId: sup.id, email: 'sup@test', displayName: 'Sup', roles: ['supervisor'], campaignIds: [s.c.campaignId] };
    await h.hub.ctx.router.apply(await transferConversation(h.db, principal, { conversationId, target: { kind: 'agent', agentId: sup.id }, reason: 'toma de llamada', reassign: true }));
    const conversation = await h.db.selectFrom('conversations').select(['status', 'assignee_id']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(conversation).toEqual({ status: 'assigned', assignee_id: sup.id });
    // The connector adopts the supervisor's leg for the new assignment instead of dialing them again.
    const offer = await h.db.selectFrom('conversations').select('offer_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
    await waitFor('the leg adopted', async () => (await h.db.selectFrom('voice_agent_legs').select('offer_id').where('call_sid', '=', supSid).executeTakeFirst())?.offer_id === offer.offer_id);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(s.cloud.callsTo(`client:agent-${sup.id}`)).toHaveLength(1);
    // The supervisor holds the call with the agent controls now: hold is theirs.
    expect((await h.api('POST', `/voice/calls/${conversationId}/hold`, sup.token)).status).toBe(200);
    await eventOf(h, caller.callSid, 'hold', (p) => p['agentId'] === sup.id);
    expect(s.cloud.hears(caller.callSid, supSid)).toBe(false);
    expect((await h.api('POST', `/voice/calls/${conversationId}/unhold`, sup.token)).status).toBe(200);
    await eventOf(h, caller.callSid, 'unhold', (p) => p['agentId'] === sup.id);
  });

  it('the supervisor hangs up: the caller goes to the survey; survey, metering and recording count the supervisor', async () => {
    await s.cloud.hangUp(supSid);
    await eventOf(h, caller.callSid, 'agent_left', (p) => p['agentId'] === sup.id && p['reason'] === 'hangup');
    await waitFor('the survey', async () => s.cloud.webhooks.find((w) => w.callSid === caller.callSid && w.kind === 'action' && w.url.endsWith('/survey/start')));
    for (const key of ['1', '5', '1', '4']) await s.cloud.press(caller.callSid, key);
    await eventOf(h, caller.callSid, 'survey_completed');
    await waitFor('the caller hung up', async () => s.cloud.call(caller.callSid).status === 'completed');

    const response = await h.db.selectFrom('survey_responses').select('id').where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
    const ratings = await h.db.selectFrom('survey_agent_ratings').select(['agent_id', 'rating']).where('response_id', '=', response.id).execute();
    expect(ratings.map((r) => r.agent_id).sort()).toEqual([ana.id, sup.id].sort());

    const talk = await waitFor('talk facts of the call', async () => {
      const rows = await h.db.selectFrom('voice_usage_facts').select(['agent_id', 'duration_ms']).where('call_sid', '=', caller.callSid).where('concept', '=', 'talk_seconds').execute();
      return rows.length === 2 ? rows : null;
    }, 15_000);
    expect(talk.map((r) => r.agent_id).sort()).toEqual([ana.id, sup.id].sort());
    expect(talk.every((r) => Number(r.duration_ms) > 0)).toBe(true);
    // Once each: the supervisor was never dialled again after hanging up (the citizen was still on the line).
    const types = (await citizenEvents(h, caller.callSid)).map((e) => `${e.type}:${String(e.payload['agentId'] ?? '')}`);
    expect(types.filter((t) => t === `call.agent_connected:${sup.id}`)).toHaveLength(1);
    expect(s.cloud.callsTo(`client:agent-${sup.id}`)).toHaveLength(1);

    const ready = await eventOf(h, caller.callSid, 'recording_ready');
    const recording = await h.db.selectFrom('voice_recordings').select('agent_ids').where('recording_sid', '=', String(ready['recordingSid'])).executeTakeFirstOrThrow();
    expect([...recording.agent_ids].sort()).toEqual([ana.id, sup.id].sort());
    expect(await refused(port.join({ conversationId, supervisorId: sup.id, mode: 'monitor' }))).toMatchObject({ code: 'HUB_ERR_VOICE_SUPERVISION_CALL_ENDED' });
    expect(s.cloud.errors).toEqual([]);
  });
});
