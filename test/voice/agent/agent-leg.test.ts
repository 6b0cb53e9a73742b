import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedCall } from '../../harness/twilio-voice/index.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { tokenFor } from '../../support/auth.js';
import { createVoiceAgent, startVoiceHub, waitFor, type VoiceHub } from '../core/voice-hub-harness.js';
import { agentVoiceSetup, citizenEvents, eventOf, goAway, LINE, NSS, queuedCaller, takeCall, type AgentVoiceSetup } from './agent-hub.js';

/**
 * The agent leg (issue 8 item 4) end to end: a real hub (API + workers, PostgreSQL, Redis), the
 * voice channel's REST pointed at the TwilioVoiceCloud, a caller walking the demo IVR into line.
 * Accepting the offer moves the caller into the conversation's conference and dials the agent in;
 * hold, conference, transfer, recording, hang-up and an unanswered agent leg follow.
 */
describe('voice agent leg: conference connector, call controls, recording, screen pop', () => {
  let h: VoiceHub;
  let s: AgentVoiceSetup;
  let ana: { id: string; token: string };
  let beto: { id: string; token: string };
  let caller: SimulatedCall;
  let conversationId = '';
  let folio = '';
  const conferenceName = () => `ventanilla-${conversationId}`;
  const api = (method: string, path: string, token: string, body?: unknown) => h.api(method, path, token, body);

  beforeAll(async () => {
    h = await startVoiceHub();
    s = await agentVoiceSetup(h);
    const skills = { [s.c.skills.citas]: 1, [s.c.skills.general]: 1 };
    ana = await createVoiceAgent(h, s.c.campaignId, skills);
    beto = await createVoiceAgent(h, s.c.campaignId, skills);
  }, 60_000);
  afterAll(async () => {
    await s?.cloud.close();
    await h?.cleanup();
  });

  it('accepting the offer moves the caller into the conference and dials the agent in (To/From/label), then agent_connected', async () => {
    ({ caller, conversationId, folio } = await queuedCaller(h, s, '+525511110001'));
    expect({ queue: s.cloud.call(caller.callSid).queue, errors: s.cloud.errors }).toEqual({ queue: folio, errors: [] });
    expect(s.cloud.queue(folio)).toEqual([caller.callSid]);
    await takeCall(h, ana, conversationId);

    const conference = await waitFor('both parties in the conference', async () => {
      const room = s.cloud.conferences.get(conferenceName());
      return room && room.participants.size === 2 ? room : null;
    });
    const participantRequest = s.cloud.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/Conferences/${conferenceName()}/Participants.json`));
    expect(participantRequest?.form).toMatchObject({ To: `client:agent-${ana.id}`, From: LINE, Label: 'agent', Timeout: '20', EndConferenceOnExit: 'false', StartConferenceOnEnter: 'true' });
    // The caller left Twilio's queue for the conference (a REST redirect to our caller-join TwiML).
    const redirect = s.cloud.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${caller.callSid}.json`));
    expect(redirect?.form['Url']).toBe(`${h.url}/webhooks/voice/${s.c.channelId}/agent/caller-join`);
    expect(s.cloud.queue(folio)).toEqual([]);
    expect(s.cloud.call(caller.callSid).conference).toBe(conferenceName());
    const agentLeg = [...conference.participants.values()].find((p) => p.label === 'agent');
    expect(agentLeg).toBeDefined();

    const connected = await eventOf(h, caller.callSid, 'agent_connected');
    expect(connected).toMatchObject({ agentId: ana.id, seatType: 'PS-I', agentCallSid: agentLeg?.callSid });
    const leg = await h.db.selectFrom('voice_calls').selectAll().where('call_sid', '=', agentLeg?.callSid ?? '').executeTakeFirstOrThrow();
    expect(leg).toMatchObject({ kind: 'agent_leg', agent_id: ana.id, parent_call_sid: caller.callSid, conference_name: conferenceName(), conversation_id: conversationId, direction: 'outbound' });

    // Dual-channel recording of the citizen's call, linked to the folio.
    const started = await eventOf(h, caller.callSid, 'recording_started');
    expect(started['channels']).toBe('dual');
    const recordingRequest = s.cloud.requests.find((r) => r.path.endsWith(`/Calls/${caller.callSid}/Recordings.json`));
    expect(recordingRequest?.form).toMatchObject({ RecordingChannels: 'dual', RecordingStatusCallback: `${h.url}/webhooks/voice/${s.c.channelId}/agent/recording-status` });
    const recording = await h.db.selectFrom('voice_recordings').selectAll().where('recording_sid', '=', String(started['recordingSid'])).executeTakeFirstOrThrow();
    expect(recording).toMatchObject({ conversation_id: conversationId, folio, campaign_id: s.c.campaignId, call_sid: caller.callSid, channels: 2, status: 'in-progress' });
    expect(s.cloud.errors).toEqual([]);
  });

  it('screen pop: caller, IVR choices and captured data (NSS masked for the agent, whole for the supervisor); others are refused', async () => {
    const pop = await api('GET', `/voice/calls/${conversationId}`, ana.token);
    expect(pop.status).toBe(200);
    expect(pop.body).toMatchObject({ conversationId, folio, status: 'assigned', assigneeId: ana.id, caller: { number: '+525511110001', callSid: caller.callSid, state: 'talking' } });
    const ivr = pop.body['ivr'] as { steps: string[]; captured: { field: string; value: string }[] };
    expect(ivr.steps.some((step) => step.includes('marcó 1'))).toBe(true);
    const nss = ivr.captured.find((f) => /nss/i.test(f.field));
    expect(nss?.value).toBe(`•••••••${NSS.slice(-4)}`);
    expect((pop.body['legs'] as { agentId: string; state: string }[]).map((l) => [l.agentId, l.state])).toEqual([[ana.id, 'talking']]);

    const supervisor = await createVoiceAgent(h, s.c.campaignId, {}, ['supervisor']);
    const whole = await api('GET', `/voice/calls/${conversationId}`, supervisor.token);
    expect((whole.body['ivr'] as { captured: { field: string; value: string }[] }).captured.find((f) => /nss/i.test(f.field))?.value).toBe(NSS);

    // Another agent of the campaign (not holding the call) and a supervisor of another campaign: 403.
    expect((await api('GET', `/voice/calls/${conversationId}`, beto.token)).status).toBe(403);
    expect((await api('POST', `/voice/calls/${conversationId}/hold`, beto.token)).status).toBe(403);
    const other = await createCampaign(h.db);
    const foreign = await tokenFor(h.db, (await createUser(h.db, { roles: ['supervisor'], campaignIds: [other.id] })).id);
    expect((await api('POST', `/voice/calls/${conversationId}/hold`, foreign)).status).toBe(403);
    expect((await api('GET', `/voice/calls/${conversationId}`, foreign)).status).toBe(403);
  });

  it('hold and resume: the caller hears our hold music; hold / unhold events carry the agent', async () => {
    expect((await api('POST', `/voice/calls/${conversationId}/hold`, ana.token)).status).toBe(200);
    await eventOf(h, caller.callSid, 'hold', (p) => p['agentId'] === ana.id);
    expect(s.cloud.conferences.get(conferenceName())?.participants.get(caller.callSid)?.hold).toBe(true);
    expect((await api('POST', `/voice/calls/${conversationId}/hold`, ana.token)).status).toBe(409);
    expect((await api('GET', `/voice/calls/${conversationId}`, ana.token)).body['caller']).toMatchObject({ state: 'on_hold' });
    expect((await api('POST', `/voice/calls/${conversationId}/unhold`, ana.token)).status).toBe(200);
    await eventOf(h, caller.callSid, 'unhold', (p) => p['agentId'] === ana.id);
    expect(s.cloud.conferences.get(conferenceName())?.participants.get(caller.callSid)?.hold).toBe(false);
    const holdRequest = s.cloud.requests.find((r) => r.path.endsWith(`/Participants/${caller.callSid}.json`) && r.form['Hold'] === 'true');
    expect(holdRequest?.form['HoldUrl']).toBe(`${h.url}/webhooks/voice/${s.c.channelId}/agent/hold-music`);
    const audits = await h.db.selectFrom('audit_log').select('action').where('target_id', '=', conversationId).execute();
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['voice_call.held', 'voice_call.resumed']));
  });

  it('conference: a third party is dialed into the call; participant_joined / participant_left', async () => {
    const bad = await api('POST', `/voice/calls/${conversationId}/conference`, ana.token, { to: '5512345678' });
    expect(bad.status).toBe(400);
    const res = await api('POST', `/voice/calls/${conversationId}/conference`, ana.token, { to: '+525599990000' });
    expect(res.status).toBe(200);
    const thirdSid = String(res.body['callSid']);
    // Stored on the citizen's call; the other leg's sid is kept as legCallSid (core's call store).
    await eventOf(h, caller.callSid, 'participant_joined', (p) => p['legCallSid'] === thirdSid && p['role'] === 'third_party');
    const participants = s.cloud.requests.filter((r) => r.path.endsWith(`/Conferences/${conferenceName()}/Participants.json`));
    expect(participants.at(-1)?.form).toMatchObject({ To: '+525599990000', From: LINE, Label: 'third_party' });
    expect(s.cloud.conferences.get(conferenceName())?.participants.size).toBe(3);
    await s.cloud.hangUp(thirdSid);
    await eventOf(h, caller.callSid, 'participant_left', (p) => p['legCallSid'] === thirdSid);
    // The call goes on between the citizen and the agent.
    expect(s.cloud.conferences.get(conferenceName())?.participants.size).toBe(2);
  });

  it('transfer to a queue: caller on hold, agent leg removed, the next agent is dialed in; transferred + agent_left', async () => {
    // Tier 2 needs a reason: 400 and nothing happens.
    expect((await api('POST', `/voice/calls/${conversationId}/transfer`, ana.token, { target: 'tier2' })).status).toBe(400);
    const res = await api('POST', `/voice/calls/${conversationId}/transfer`, ana.token, { target: 'queue', targetId: s.c.defaultQueueId, reason: 'Trámite de orientación' });
    expect(res.status).toBe(200);
    await eventOf(h, caller.callSid, 'transferred', (p) => p['agentId'] === ana.id && p['target'] === 'queue' && p['targetId'] === s.c.defaultQueueId);
    await eventOf(h, caller.callSid, 'agent_left', (p) => p['agentId'] === ana.id && p['reason'] === 'transfer');
    const room = s.cloud.conferences.get(conferenceName());
    expect([...(room?.participants.keys() ?? [])]).toEqual([caller.callSid]);
    expect(room?.participants.get(caller.callSid)?.hold).toBe(true);
    expect(s.cloud.call(caller.callSid).status).toBe('in-progress');

    await goAway(h, ana);
    await takeCall(h, beto, conversationId);
    await eventOf(h, caller.callSid, 'agent_connected', (p) => p['agentId'] === beto.id);
    await waitFor('the caller off hold', async () => s.cloud.conferences.get(conferenceName())?.participants.get(caller.callSid)?.hold === false);
    expect(s.cloud.requests.filter((r) => r.path.endsWith(`/Calls/${caller.callSid}/Recordings.json`))).toHaveLength(1);
  });

  it('hang up: the conference ends, the caller goes on to the survey; the recording is stored with both agents; the conversation stays for wrap-up', async () => {
    expect((await api('POST', `/voice/calls/${conversationId}/hangup`, ana.token)).status).toBe(403);
    expect((await api('POST', `/voice/calls/${conversationId}/hangup`, beto.token)).status).toBe(200);
    await eventOf(h, caller.callSid, 'agent_left', (p) => p['agentId'] === beto.id && p['reason'] === 'hangup');
    const action = await waitFor('the caller’s Dial action', async () => s.cloud.webhooks.find((w) => w.callSid === caller.callSid && w.kind === 'action' && w.url.endsWith('/survey/start')));
    expect(action.params['DialCallStatus']).toBe('completed');
    await s.cloud.hangUp(caller.callSid).catch(() => undefined);
    const ready = await eventOf(h, caller.callSid, 'recording_ready');
    const recording = await h.db.selectFrom('voice_recordings').selectAll().where('recording_sid', '=', String(ready['recordingSid'])).executeTakeFirstOrThrow();
    expect(recording.status).toBe('completed');
    expect(recording.url).toMatch(/^http/);
    expect([...recording.agent_ids].sort()).toEqual([ana.id, beto.id].sort());
    const conversation = await h.db.selectFrom('conversations').select(['status', 'assignee_id']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(conversation).toEqual({ status: 'assigned', assignee_id: beto.id });
    // The call is over: controls say so.
    expect((await api('POST', `/voice/calls/${conversationId}/hold`, beto.token)).status).toBe(409);
    const pop = await api('GET', `/voice/calls/${conversationId}`, beto.token);
    expect((pop.body['recordings'] as unknown[]).length).toBe(1);
    const types = (await citizenEvents(h, caller.callSid)).map((e) => e.type);
    expect(types.filter((t) => t === 'call.agent_connected')).toHaveLength(2);
    expect(types.filter((t) => t === 'call.agent_left')).toHaveLength(2);
  });
});
