import { randomBytes } from 'node:crypto';
import type { SupervisionChangedPayload, SupervisionWhisperView } from '@ventanilla/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedCall } from '../../harness/twilio-voice/index.js';
import { connectStaff, type StaffClient } from '../../support/auth.js';
import { createCampaign } from '../../support/factories.js';
import { callEvents, createVoiceAgent, startVoiceHub, waitFor, type VoiceHub } from '../core/voice-hub-harness.js';
import { agentVoiceSetup, citizenEvents, eventOf, queuedCaller, takeCall, type AgentVoiceSetup } from '../agent/agent-hub.js';

/**
 * Supervision of a live call through the REST API (issue 9 item 5): the hub's supervision routes
 * (`hub/src/supervision/`) driving the real voice port (`hub/src/voice/supervision/`) over the
 * call's conference in the TwilioVoiceCloud (signed webhooks, PostgreSQL, Redis, API + workers).
 * A caller in line, an agent connected, then the campaign's supervisor: monitor → stop → monitor →
 * whisper → barge → takeover → the supervisor ends the call, the caller answers the survey.
 */
describe('supervision of a call through the REST API', () => {
  let h: VoiceHub;
  let s: AgentVoiceSetup;
  let ana: { id: string; token: string };
  let sup: { id: string; token: string };
  let foreignSup: { id: string; token: string };
  let anaSocket: StaffClient;
  const whispers: SupervisionWhisperView[] = [];
  const changes: SupervisionChangedPayload[] = [];
  let caller: SimulatedCall;
  let conversationId = '';
  let agentSid = '';
  let supSid = '';
  const conferenceName = () => `ventanilla-${conversationId}`;
  const room = () => s.cloud.conferences.get(conferenceName());
  const hearing = () => Object.fromEntries(Object.entries(s.cloud.audibility(conferenceName())).map(([listener, speakers]) => [listener, [...speakers].sort()]));
  const sorted = (...sids: string[]) => [...sids].sort();
  const path = (tail: string) => `/conversations/${conversationId}/supervision/${tail}`;
  const supDials = () => s.cloud.callsTo(`client:agent-${sup.id}`).length;
  const audits = async (action: string) =>
    h.db.selectFrom('audit_log').select(['actor_user_id', 'campaign_id', 'details']).where('action', '=', action).where('target_id', '=', conversationId).orderBy('id').execute();
  const seatLoad = async (userId: string) => (await h.db.selectFrom('agent_seats').select('load_voice').where('user_id', '=', userId).executeTakeFirst())?.load_voice ?? null;
  /** The supervisor's open leg for this call, once answered and in the conference. */
  const openLegSid = () =>
    waitFor('the supervisor leg in the conference', async () => {
      const session = await h.db.selectFrom('supervision_sessions').select('call_sid').where('conversation_id', '=', conversationId).where('supervisor_id', '=', sup.id).where('ended_at', 'is', null).executeTakeFirst();
      return session?.call_sid && room()?.participants.has(session.call_sid) ? session.call_sid : null;
    });

  beforeAll(async () => {
    h = await startVoiceHub();
    s = await agentVoiceSetup(h);
    const skills = { [s.c.skills.citas]: 1, [s.c.skills.general]: 1 };
    ana = await createVoiceAgent(h, s.c.campaignId, skills);
    // A supervisor only: no agent seat, never available for the line.
    sup = await createVoiceAgent(h, s.c.campaignId, {}, ['supervisor']);
    const other = await createCampaign(h.db, { prefix: `VX${Array.from(randomBytes(3), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[b % 26]).join('')}` });
    foreignSup = await createVoiceAgent(h, other.id, {}, ['supervisor']);
    anaSocket = await connectStaff(h.url, ana.token);
    anaSocket.on('supervision.whisper', (w) => whispers.push(w.whisper));
    anaSocket.on('supervision.changed', (c) => changes.push(c));
  }, 60_000);
  afterAll(async () => {
    anaSocket?.disconnect();
    await s?.cloud.close();
    await h?.cleanup();
  });

  it('an agent and a supervisor of another campaign are refused (403) and nobody is dialled', async () => {
    ({ caller, conversationId } = await queuedCaller(h, s, '+525533334444'));
    await takeCall(h, ana, conversationId);
    agentSid = String((await eventOf(h, caller.callSid, 'agent_connected', (p) => p['agentId'] === ana.id))['agentCallSid']);
    const before = s.cloud.requests.filter((r) => r.path.includes('/Participants')).length;

    const byAgent = await h.api('POST', path('monitor'), ana.token);
    expect(byAgent.status).toBe(403);
    expect(byAgent.body['error']).toMatchObject({ code: 'HUB_ERR_FORBIDDEN_ROLE' });
    const byForeign = await h.api('POST', path('monitor'), foreignSup.token);
    expect(byForeign.status).toBe(403);
    expect(byForeign.body['error']).toMatchObject({ code: 'HUB_ERR_FORBIDDEN_CAMPAIGN' });
    expect((await h.api('POST', path('takeover'), foreignSup.token, { reasonCode: 'quality' })).status).toBe(403);
    expect((await h.api('POST', path('barge'), ana.token, {})).status).toBe(403);
    expect(s.cloud.requests.filter((r) => r.path.includes('/Participants'))).toHaveLength(before);
    expect(await h.db.selectFrom('supervision_sessions').select('id').where('conversation_id', '=', conversationId).execute()).toEqual([]);
  });

  it('monitor: the supervisor hears both, nobody hears the supervisor; audited', async () => {
    const res = await h.api('POST', path('monitor'), sup.token);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ mode: 'monitor', voice: true });
    supSid = await openLegSid();
    expect(hearing()).toEqual({ [caller.callSid]: [agentSid], [agentSid]: [caller.callSid], [supSid]: sorted(caller.callSid, agentSid) });
    expect(await audits('supervision.monitor_started')).toEqual([expect.objectContaining({ actor_user_id: sup.id, campaign_id: s.c.campaignId })]);
    expect(await eventOf(h, caller.callSid, 'supervisor_joined')).toMatchObject({ supervisorId: sup.id, supervisorCallSid: supSid, mode: 'monitor' });
  });

  it('stop monitoring hangs up the supervisor leg; the call goes on', async () => {
    const res = await h.api('DELETE', path('monitor'), sup.token);
    expect(res.status).toBe(200);
    await waitFor('the supervisor leg hung up', async () => s.cloud.call(supSid).status === 'completed');
    expect([...(room()?.participants.keys() ?? [])].sort()).toEqual(sorted(caller.callSid, agentSid));
    expect(s.cloud.hears(caller.callSid, agentSid) && s.cloud.hears(agentSid, caller.callSid)).toBe(true);
    await eventOf(h, caller.callSid, 'supervisor_left', (p) => p['supervisorCallSid'] === supSid);
    expect(await audits('supervision.monitor_stopped')).toHaveLength(1);
    // Monitoring again dials a new leg.
    expect((await h.api('POST', path('monitor'), sup.token)).status).toBe(201);
    const again = await openLegSid();
    expect(again).not.toBe(supSid);
    supSid = again;
    expect(supDials()).toBe(2);
    expect(hearing()[caller.callSid]).toEqual([agentSid]);
  });

  it('whisper: the same leg coaches; only the agent hears it, and the text reaches the agent’s socket', async () => {
    const res = await h.api('POST', path('whisper'), sup.token, { text: 'Pídele su NSS completo' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mode: 'whisper', whisper: { text: 'Pídele su NSS completo', agentId: ana.id, supervisorId: sup.id } });
    expect(hearing()).toEqual({ [caller.callSid]: [agentSid], [agentSid]: sorted(caller.callSid, supSid), [supSid]: sorted(caller.callSid, agentSid) });
    await waitFor('the whisper on the agent’s socket', async () => whispers.find((w) => w.text === 'Pídele su NSS completo'));
    expect(supDials()).toBe(2);
    expect(await audits('supervision.whispered')).toHaveLength(1);
    expect(await audits('supervision.mode_changed')).toEqual([expect.objectContaining({ actor_user_id: sup.id })]);
  });

  it('barge: everyone hears everyone; text is refused on a call', async () => {
    const refused = await h.api('POST', path('barge'), sup.token, { text: 'hola' });
    expect(refused.status).toBe(400);
    expect(String((refused.body['error'] as { message: string }).message)).toMatch(/^En una llamada/);
    const res = await h.api('POST', path('barge'), sup.token, {});
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: null, mode: 'barge' });
    expect(hearing()).toEqual({ [caller.callSid]: sorted(agentSid, supSid), [agentSid]: sorted(caller.callSid, supSid), [supSid]: sorted(caller.callSid, agentSid) });
    expect(supDials()).toBe(2);
    // A while in the call before taking over: that time is listening, not the supervisor's talk time.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
  });

  it('takeover with a reason: the agent leaves, caller ↔ supervisor, the supervisor is the assignee and is not dialled again', async () => {
    expect(await seatLoad(ana.id)).toBe(1);
    const bad = await h.api('POST', path('takeover'), sup.token, { reasonCode: 'other' });
    expect(bad.status).toBe(400);
    const res = await h.api('POST', path('takeover'), sup.token, { reasonCode: 'complaint', reasonText: 'el ciudadano pidió al supervisor' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ conversationId, assigneeId: sup.id, fromAgentId: ana.id });

    await eventOf(h, caller.callSid, 'agent_left', (p) => p['agentId'] === ana.id && p['reason'] === 'takeover');
    expect(room()?.status).toBe('in-progress');
    expect([...(room()?.participants.keys() ?? [])].sort()).toEqual(sorted(caller.callSid, supSid));
    expect(s.cloud.hears(caller.callSid, supSid) && s.cloud.hears(supSid, caller.callSid)).toBe(true);
    expect(s.cloud.call(caller.callSid).status).toBe('in-progress');

    const conversation = await h.db.selectFrom('conversations').select(['status', 'assignee_id', 'offer_id']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ status: 'assigned', assignee_id: sup.id });
    expect(await seatLoad(ana.id)).toBe(0);
    expect(await seatLoad(sup.id)).toBe(1);
    // The supervisor's leg is this assignment's agent leg: the connector has nothing to dial.
    await waitFor('the leg holds the assignment', async () => (await h.db.selectFrom('voice_agent_legs').select('offer_id').where('call_sid', '=', supSid).executeTakeFirst())?.offer_id === conversation.offer_id);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(supDials()).toBe(2);
    const legs = await h.db.selectFrom('voice_agent_legs').select(['agent_id', 'call_sid', 'state', 'end_reason']).where('conversation_id', '=', conversationId).orderBy('created_at').execute();
    expect(legs).toEqual([
      { agent_id: ana.id, call_sid: agentSid, state: 'ended', end_reason: 'takeover' },
      { agent_id: sup.id, call_sid: supSid, state: 'talking', end_reason: null },
    ]);

    const [audit] = await audits('supervision.taken_over');
    expect(audit).toMatchObject({ actor_user_id: sup.id, details: { fromAgentId: ana.id, reasonCode: 'complaint', reasonText: 'el ciudadano pidió al supervisor', channelClass: 'voice' } });
    const told = await waitFor('the agent told', async () => changes.find((c) => c.change === 'taken_over'));
    expect(told).toMatchObject({ conversationId, supervisorId: sup.id, agentId: ana.id, reason: 'complaint: el ciudadano pidió al supervisor' });
    const fact = await waitFor('KPI facts see the transfer', async () => {
      const row = await h.db.selectFrom('kpi_contact_facts').select(['transfers', 'agent_ids']).where('conversation_id', '=', conversationId).executeTakeFirst();
      return row && row.transfers >= 1 && row.agent_ids.includes(sup.id) ? row : null;
    });
    expect(fact.transfers).toBe(1);
    // Monitoring is over for the supervisor: they work the call now.
    const state = await h.api('GET', `/conversations/${conversationId}/supervision`, sup.token);
    expect(state.status).toBe(200);
    expect((await h.api('DELETE', path('monitor'), sup.token)).status).toBe(409);
    expect(s.cloud.call(supSid).status).toBe('in-progress');
  });

  it('the supervisor ends the call, the caller answers the survey and hangs up: survey, metering and recording count the supervisor', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const hangup = await h.api('POST', `/voice/calls/${conversationId}/hangup`, sup.token);
    expect(hangup.status).toBe(200);
    await eventOf(h, caller.callSid, 'agent_left', (p) => p['agentId'] === sup.id);
    await waitFor('the survey', async () => s.cloud.webhooks.find((w) => w.callSid === caller.callSid && w.kind === 'action' && w.url.endsWith('/survey/start')));
    for (const key of ['1', '5', '1', '4']) await s.cloud.press(caller.callSid, key);
    await eventOf(h, caller.callSid, 'survey_completed');
    if (s.cloud.call(caller.callSid).status !== 'completed') await s.cloud.hangUp(caller.callSid);
    await waitFor('the caller gone', async () => s.cloud.call(caller.callSid).status === 'completed');

    const response = await h.db.selectFrom('survey_responses').select('id').where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
    const ratings = await h.db.selectFrom('survey_agent_ratings').select('agent_id').where('response_id', '=', response.id).execute();
    expect(ratings.map((r) => r.agent_id).sort()).toEqual(sorted(ana.id, sup.id));

    const talk = await waitFor('talk facts of the call', async () => {
      const rows = await h.db.selectFrom('voice_usage_facts').select(['agent_id', 'duration_ms']).where('call_sid', '=', caller.callSid).where('concept', '=', 'talk_seconds').execute();
      return rows.length === 2 ? rows : null;
    }, 15_000);
    const supTalk = Number(talk.find((r) => r.agent_id === sup.id)?.duration_ms ?? 0);
    // The supervisor's talk time runs from the takeover (as the hub stamped it), not from when they started listening.
    const events = await callEvents(h.db, caller.callSid);
    const at = (type: string, match: (p: Record<string, unknown>) => boolean = () => true) => events.findLast((e) => e.type === `call.${type}` && match(e.payload))?.occurred_at.getTime() ?? NaN;
    const takenOver = at('taken_over');
    const supLeft = at('agent_left', (p) => p['agentId'] === sup.id);
    const listening = takenOver - at('supervisor_joined', (p) => p['supervisorId'] === sup.id);
    expect(listening).toBeGreaterThan(1_000);
    expect(supTalk).toBeGreaterThan(0);
    expect(Math.abs(supTalk - (supLeft - takenOver))).toBeLessThan(1_000);
    expect(Number(talk.find((r) => r.agent_id === ana.id)?.duration_ms ?? 0)).toBeGreaterThan(0);
    const connected = (await citizenEvents(h, caller.callSid)).filter((e) => e.type === 'call.agent_connected').map((e) => e.payload['agentId']);
    expect(connected).toEqual([ana.id, sup.id]);

    const ready = await eventOf(h, caller.callSid, 'recording_ready');
    const recording = await h.db.selectFrom('voice_recordings').select('agent_ids').where('recording_sid', '=', String(ready['recordingSid'])).executeTakeFirstOrThrow();
    expect([...recording.agent_ids].sort()).toEqual(sorted(ana.id, sup.id));
    expect(supDials()).toBe(2);
    expect(s.cloud.errors).toEqual([]);
    // A closed call cannot be supervised any more.
    expect((await h.api('POST', path('monitor'), sup.token)).status).toBe(409);
    // The wrap-up is the supervisor's too: resolving frees the seat the takeover took.
    expect((await h.api('POST', `/conversations/${conversationId}/resolve`, sup.token, { reason: 'atendida por supervisión' })).status).toBeLessThan(300);
    expect(await seatLoad(sup.id)).toBe(0);
  });

  it('a takeover while the supervisor’s phone still rings is refused and changes nothing; once answered it goes through', async () => {
    let second: SimulatedCall;
    ({ caller: second, conversationId } = await queuedCaller(h, s, '+525533335555'));
    await takeCall(h, ana, conversationId);
    await eventOf(h, second.callSid, 'agent_connected', (p) => p['agentId'] === ana.id);
    s.cloud.behave(`client:agent-${sup.id}`, { answer: true, afterMs: 2_000 });
    const supLoad = await seatLoad(sup.id);
    expect((await h.api('POST', path('monitor'), sup.token)).status).toBe(201);
    const ringing = await h.api('POST', path('takeover'), sup.token, { reasonCode: 'escalation' });
    expect(ringing.status).toBe(409);
    expect(ringing.body['error']).toMatchObject({ code: 'HUB_ERR_VOICE_SUPERVISION_NOT_ANSWERED' });
    expect(await h.db.selectFrom('conversations').select('assignee_id').where('id', '=', conversationId).executeTakeFirstOrThrow()).toEqual({ assignee_id: ana.id });
    expect(await seatLoad(ana.id)).toBe(1);
    expect(await seatLoad(sup.id)).toBe(supLoad);
    expect(await h.db.selectFrom('supervision_takeovers').select('id').where('conversation_id', '=', conversationId).execute()).toEqual([]);
    expect(await audits('supervision.taken_over')).toEqual([]);

    const legSid = await openLegSid();
    // Answered as the hub knows it (the leg's callback), not as the harness's room shows it first.
    await eventOf(h, second.callSid, 'supervisor_joined', (p) => p['supervisorCallSid'] === legSid);
    const res = await h.api('POST', path('takeover'), sup.token, { reasonCode: 'escalation' });
    expect(res.status).toBe(200);
    await eventOf(h, second.callSid, 'agent_left', (p) => p['agentId'] === ana.id && p['reason'] === 'takeover');
    expect(s.cloud.hears(second.callSid, legSid) && s.cloud.hears(legSid, second.callSid)).toBe(true);
    expect(await seatLoad(ana.id)).toBe(0);
    await s.cloud.hangUp(second.callSid);
    await waitFor('the caller gone', async () => s.cloud.call(second.callSid).status === 'completed');
    expect((await h.api('POST', `/conversations/${conversationId}/resolve`, sup.token, { reason: 'atendida por supervisión' })).status).toBeLessThan(300);
    expect(s.cloud.errors).toEqual([]);
  }, 30_000);
});
