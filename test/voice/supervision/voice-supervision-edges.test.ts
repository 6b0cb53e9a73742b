import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../hub/src/auth/principal.js';
import type { HubError } from '../../../hub/src/errors/error-registry.js';
import { transferConversation } from '../../../hub/src/router/usecases/transfer.usecase.js';
import type { VoiceSupervisionPort } from '../../../hub/src/supervision/voice-supervision.port.js';
import { createVoiceSupervision } from '../../../hub/src/voice/supervision/voice-supervision.usecase.js';
import type { SimulatedCall } from '../../harness/twilio-voice/index.js';
import { createVoiceAgent, startVoiceHub, waitFor, type VoiceHub } from '../core/voice-hub-harness.js';
import { agentVoiceSetup, citizenEvents, eventOf, goAway, queuedCaller, takeCall, type AgentVoiceSetup } from '../agent/agent-hub.js';

/**
 * The supervisor leg's other ways out and the refusals: a supervisor whose phone never answers,
 * who hangs up, who leaves through the API; a call on hold; a reassignment made before the
 * takeover (the connector must not dial the supervisor again); the call ending under a supervisor.
 */
describe('voice supervision: leaving, refusals, reassignment first', () => {
  let h: VoiceHub;
  let s: AgentVoiceSetup;
  let port: VoiceSupervisionPort;
  let ana: { id: string; token: string };
  let sara: { id: string; token: string };
  let beto: { id: string; token: string };
  let caller: SimulatedCall;
  let conversationId = '';
  let agentSid = '';
  const room = () => s.cloud.conferences.get(`ventanilla-${conversationId}`);
  const supervisorLegs = (supervisorId: string) =>
    h.db.selectFrom('voice_supervisor_legs').select(['state', 'end_reason', 'mode', 'call_sid']).where('supervisor_id', '=', supervisorId).orderBy('created_at').execute();

  async function refused(work: Promise<unknown>): Promise<string> {
    const error = await work.then(
      () => null,
      (e: unknown) => e as HubError,
    );
    if (!error) throw new Error('expected a refusal');
    return error.code;
  }

  beforeAll(async () => {
    h = await startVoiceHub();
    s = await agentVoiceSetup(h, { recording: false });
    const skills = { [s.c.skills.citas]: 1, [s.c.skills.general]: 1 };
    ana = await createVoiceAgent(h, s.c.campaignId, skills);
    sara = await createVoiceAgent(h, s.c.campaignId, skills, ['supervisor']);
    beto = await createVoiceAgent(h, s.c.campaignId, skills, ['agent', 'supervisor']);
    port = createVoiceSupervision(h.hub.ctx);
    ({ caller, conversationId } = await queuedCaller(h, s, '+525522223333'));
    await takeCall(h, ana, conversationId);
    agentSid = String((await eventOf(h, caller.callSid, 'agent_connected', (p) => p['agentId'] === ana.id))['agentCallSid']);
  }, 60_000);
  afterAll(async () => {
    await s?.cloud.close();
    await h?.cleanup();
  });

  it('a supervisor whose phone does not answer never joins; they may try again', async () => {
    s.cloud.behave(`client:agent-${sara.id}`, { answer: false, status: 'no-answer', afterMs: 100 });
    const { callSid } = await port.join({ conversationId, supervisorId: sara.id, mode: 'monitor' });
    await waitFor('the leg failed', async () => (await supervisorLegs(sara.id))[0]?.state === 'failed');
    expect(await supervisorLegs(sara.id)).toEqual([{ state: 'failed', end_reason: 'no-answer', mode: 'monitor', call_sid: callSid }]);
    expect((await citizenEvents(h, caller.callSid)).some((e) => e.type === 'call.supervisor_joined')).toBe(false);
    expect(await refused(port.takeOver({ conversationId, supervisorId: sara.id }))).toBe('HUB_ERR_VOICE_SUPERVISION_NOT_JOINED');
    s.cloud.behave(`client:agent-${sara.id}`, { answer: true });
  });

  it('a supervisor who hangs up has left: supervisor_left, the call goes on between caller and agent', async () => {
    const { callSid } = await port.join({ conversationId, supervisorId: sara.id, mode: 'barge' });
    await eventOf(h, caller.callSid, 'supervisor_joined', (p) => p['supervisorCallSid'] === callSid);
    expect(s.cloud.hears(caller.callSid, callSid)).toBe(true);
    await s.cloud.hangUp(callSid);
    expect(await eventOf(h, caller.callSid, 'supervisor_left', (p) => p['supervisorCallSid'] === callSid)).toMatchObject({ supervisorId: sara.id, reason: 'hangup' });
    expect((await supervisorLegs(sara.id)).at(-1)).toMatchObject({ state: 'ended', end_reason: 'hangup' });
    expect([...(room()?.participants.keys() ?? [])].sort()).toEqual([caller.callSid, agentSid].sort());
    expect(s.cloud.hears(caller.callSid, agentSid) && s.cloud.hears(agentSid, caller.callSid)).toBe(true);
    expect(await refused(port.changeMode({ conversationId, supervisorId: sara.id, mode: 'monitor' }))).toBe('HUB_ERR_VOICE_SUPERVISION_NOT_JOINED');
  });

  it('leave: the supervisor’s participant is removed, once; a whisper no longer reaches the agent', async () => {
    const { callSid } = await port.join({ conversationId, supervisorId: sara.id, mode: 'whisper' });
    await eventOf(h, caller.callSid, 'supervisor_joined', (p) => p['supervisorCallSid'] === callSid && p['mode'] === 'whisper');
    await waitFor('the whisper in the room', async () => room()?.participants.has(callSid));
    expect(s.cloud.hears(agentSid, callSid) && !s.cloud.hears(caller.callSid, callSid)).toBe(true);
    await port.leave({ conversationId, supervisorId: sara.id });
    const removal = s.cloud.requests.find((r) => r.method === 'DELETE' && r.path.endsWith(`/Participants/${callSid}.json`));
    expect(removal?.status).toBe(204);
    await s.cloud.settle();
    expect(room()?.participants.has(callSid)).toBe(false);
    const left = (await citizenEvents(h, caller.callSid)).filter((e) => e.type === 'call.supervisor_left' && e.payload['supervisorCallSid'] === callSid);
    expect(left.map((e) => e.payload['reason'])).toEqual(['left']);
    expect(s.cloud.hears(agentSid, caller.callSid)).toBe(true);
    expect(await refused(port.leave({ conversationId, supervisorId: sara.id }))).toBe('HUB_ERR_VOICE_SUPERVISION_NOT_JOINED');
  });

  it('a call on hold is not joined; unknown conversations are not found', async () => {
    expect((await h.api('POST', `/voice/calls/${conversationId}/hold`, ana.token)).status).toBe(200);
    await eventOf(h, caller.callSid, 'hold');
    const dialled = s.cloud.callsTo(`client:agent-${sara.id}`).length;
    expect(await refused(port.join({ conversationId, supervisorId: sara.id, mode: 'monitor' }))).toBe('HUB_ERR_VOICE_SUPERVISION_ON_HOLD');
    expect(s.cloud.callsTo(`client:agent-${sara.id}`)).toHaveLength(dialled);
    expect((await h.api('POST', `/voice/calls/${conversationId}/unhold`, ana.token)).status).toBe(200);
    await eventOf(h, caller.callSid, 'unhold');
    expect(await refused(port.join({ conversationId: '00000000-0000-4000-8000-000000000000', supervisorId: sara.id, mode: 'monitor' }))).toBe('HUB_ERR_CONVERSATION_NOT_FOUND');
  });

  it('reassigned before the takeover: the connector leaves the supervisor’s leg alone, the takeover gives it the assignment', async () => {
    const { callSid } = await port.join({ conversationId, supervisorId: beto.id, mode: 'monitor' });
    await eventOf(h, caller.callSid, 'supervisor_joined', (p) => p['supervisorCallSid'] === callSid);
    expect((await h.api('PUT', '/agents/me/state', beto.token, { state: 'available' })).status).toBe(200);
    const principal: Principal = { userId: beto.id, email: 'beto@test', displayName: 'Beto', roles: ['supervisor'], campaignIds: [s.c.campaignId] };
    await h.hub.ctx.router.apply(await transferConversation(h.db, principal, { conversationId, target: { kind: 'agent', agentId: beto.id }, reason: 'toma de llamada', reassign: true }));
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(s.cloud.callsTo(`client:agent-${beto.id}`)).toHaveLength(1);

    await port.takeOver({ conversationId, supervisorId: beto.id });
    await eventOf(h, caller.callSid, 'agent_left', (p) => p['agentId'] === ana.id && p['reason'] === 'takeover');
    const conversation = await h.db.selectFrom('conversations').select(['offer_id', 'assignee_id']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    const leg = await h.db.selectFrom('voice_agent_legs').select(['offer_id', 'agent_id', 'state']).where('call_sid', '=', callSid).executeTakeFirstOrThrow();
    expect(leg).toEqual({ offer_id: conversation.offer_id, agent_id: beto.id, state: 'talking' });
    expect(s.cloud.hears(caller.callSid, callSid) && s.cloud.hears(callSid, caller.callSid)).toBe(true);
    expect(s.cloud.callsTo(`client:agent-${beto.id}`)).toHaveLength(1);
  });

  it('a whisper follows the call to the next agent after a transfer: only the agent talking hears it, never the caller', async () => {
    // Beto holds the call now (the takeover above); Sara coaches him.
    const { callSid: saraSid } = await port.join({ conversationId, supervisorId: sara.id, mode: 'whisper' });
    await eventOf(h, caller.callSid, 'supervisor_joined', (p) => p['supervisorCallSid'] === saraSid);
    const betoSid = (await h.db.selectFrom('voice_agent_legs').select('call_sid').where('agent_id', '=', beto.id).where('conversation_id', '=', conversationId).where('state', '=', 'talking').executeTakeFirstOrThrow()).call_sid!;
    expect(s.cloud.hears(betoSid, saraSid) && !s.cloud.hears(caller.callSid, saraSid)).toBe(true);
    // Beto sends the caller to the queue; Ana takes the call.
    expect((await h.api('POST', `/voice/calls/${conversationId}/transfer`, beto.token, { target: 'queue', targetId: s.c.defaultQueueId, reason: 'Trámite de citas' })).status).toBe(200);
    await eventOf(h, caller.callSid, 'agent_left', (p) => p['agentId'] === beto.id && p['reason'] === 'transfer');
    await goAway(h, beto);
    await takeCall(h, ana, conversationId);
    const anaSid = String((await eventOf(h, caller.callSid, 'agent_connected', (p) => p['agentId'] === ana.id && p['agentCallSid'] !== agentSid))['agentCallSid']);
    await waitFor('the coach re-pointed to Ana', async () => s.cloud.hears(anaSid, saraSid) || null);
    expect(s.cloud.hears(caller.callSid, saraSid)).toBe(false);
    expect(s.cloud.hears(saraSid, caller.callSid) && s.cloud.hears(saraSid, anaSid)).toBe(true);
    expect(await h.db.selectFrom('voice_supervisor_legs').select(['mode', 'coached_call_sid']).where('call_sid', '=', saraSid).executeTakeFirstOrThrow()).toEqual({ mode: 'whisper', coached_call_sid: anaSid });
    await port.leave({ conversationId, supervisorId: sara.id });
    await eventOf(h, caller.callSid, 'supervisor_left', (p) => p['supervisorCallSid'] === saraSid);
  });

  it('the caller hangs up: every leg ends with the conference; the call can no longer be supervised', async () => {
    const { callSid } = await port.join({ conversationId, supervisorId: sara.id, mode: 'monitor' });
    await eventOf(h, caller.callSid, 'supervisor_joined', (p) => p['supervisorCallSid'] === callSid);
    await s.cloud.hangUp(caller.callSid);
    expect(await eventOf(h, caller.callSid, 'supervisor_left', (p) => p['supervisorCallSid'] === callSid)).toMatchObject({ reason: 'citizen_hangup' });
    await waitFor('the supervisor legs closed', async () => (await supervisorLegs(sara.id)).every((l) => l.state !== 'joined'));
    expect(await refused(port.join({ conversationId, supervisorId: sara.id, mode: 'monitor' }))).toBe('HUB_ERR_VOICE_SUPERVISION_CALL_ENDED');
    expect(s.cloud.errors).toEqual([]);
  });
});
