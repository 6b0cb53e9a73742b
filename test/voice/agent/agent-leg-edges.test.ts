import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, createUser } from '../../support/factories.js';
import { tokenFor } from '../../support/auth.js';
import { createVoiceAgent, startVoiceHub, waitFor, type VoiceHub } from '../core/voice-hub-harness.js';
import { AgentVoiceChannels } from '../../../hub/src/voice/agent/agent-channel.js';
import { VoiceAgentConnector } from '../../../hub/src/voice/agent/connector.js';
import { agentVoiceSetup, citizenEvents, eventOf, goAway, LINE, queuedCaller, takeCall, type AgentVoiceSetup } from './agent-hub.js';

/**
 * The agent leg when things go wrong or are set up: an agent who does not answer (the call is
 * offered again, the caller never dropped), the agent's own phone number, the citizen hanging up
 * mid-call, and the softphone token.
 */
describe('voice agent leg: no answer, agent phone, citizen hang-up, softphone token', () => {
  let h: VoiceHub;
  let s: AgentVoiceSetup;
  let carla: { id: string; token: string };
  let dario: { id: string; token: string };

  beforeAll(async () => {
    h = await startVoiceHub();
    s = await agentVoiceSetup(h, { softphone: true, recording: false });
    const skills = { [s.c.skills.citas]: 1, [s.c.skills.general]: 1 };
    carla = await createVoiceAgent(h, s.c.campaignId, skills);
    dario = await createVoiceAgent(h, s.c.campaignId, skills);
  }, 60_000);
  afterAll(async () => {
    await s?.cloud.close();
    await h?.cleanup();
  });

  it('an agent who does not answer: the conversation is offered again, the agent goes not_ready, the caller waits in the conference', async () => {
    s.cloud.behave(`client:agent-${carla.id}`, { answer: false, status: 'no-answer' });
    const { caller, conversationId } = await queuedCaller(h, s, '+525522220001');
    await takeCall(h, carla, conversationId);

    const failed = await waitFor('the unanswered leg', () =>
      h.db.selectFrom('voice_agent_legs').selectAll().where('conversation_id', '=', conversationId).where('agent_id', '=', carla.id).where('state', '=', 'failed').executeTakeFirst(),
    );
    expect(failed.end_reason).toBe('no-answer');
    const back = await waitFor('the conversation back in line', async () => {
      const row = await h.db.selectFrom('conversations').select(['status', 'assignee_id', 'excluded_agent_ids']).where('id', '=', conversationId).executeTakeFirstOrThrow();
      return row.status === 'queued' || row.status === 'offered' ? row : null;
    });
    expect(back.excluded_agent_ids).toContain(carla.id);
    const seat = await h.db.selectFrom('agent_seats').select(['state', 'state_reason']).where('user_id', '=', carla.id).executeTakeFirstOrThrow();
    expect(seat).toEqual({ state: 'not_ready', state_reason: 'rona' });
    const transferred = await h.db.selectFrom('interaction_events').select('payload').where('conversation_id', '=', conversationId).where('type', '=', 'conversation.transferred').execute();
    expect(transferred.map((t) => t.payload)).toEqual([expect.objectContaining({ kind: 'queue', fromAgentId: carla.id, reason: expect.stringContaining('no contestó') })]);
    // The caller is still on the line, in the conference, hearing our music while nobody else is there.
    expect(s.cloud.call(caller.callSid).status).toBe('in-progress');
    expect(s.cloud.call(caller.callSid).conference).toBe(`ventanilla-${conversationId}`);
    const join = s.cloud.call(caller.callSid).twimlLog.find((doc) => doc.url.endsWith('/agent/caller-join'));
    const dial = join?.verbs.find((verb) => verb.name === 'Dial');
    expect(dial?.attrs['action']).toBe(`${h.url}/webhooks/voice/${s.c.channelId}/survey/start`);
    expect(dial?.children?.[0]?.attrs).toMatchObject({ startConferenceOnEnter: 'false', endConferenceOnExit: 'true', waitUrl: `${h.url}/webhooks/voice/${s.c.channelId}/agent/hold-music` });
    expect((await citizenEvents(h, caller.callSid)).some((e) => e.type === 'call.agent_connected')).toBe(false);

    // Darío takes it from his own phone: the connector dials that number.
    expect((await h.api('PUT', '/voice/agents/me/endpoint', dario.token, { kind: 'phone', address: '5512345678' })).status).toBe(400);
    const set = await h.api('PUT', '/voice/agents/me/endpoint', dario.token, { kind: 'phone', address: '+525587654321' });
    expect(set).toMatchObject({ status: 200, body: { kind: 'phone', address: '+525587654321', source: 'agent' } });
    await takeCall(h, dario, conversationId);
    const connected = await eventOf(h, caller.callSid, 'agent_connected', (p) => p['agentId'] === dario.id);
    expect(s.cloud.call(String(connected['agentCallSid']))).toMatchObject({ to: '+525587654321', from: LINE });

    // Item 7: the citizen hangs up mid-call → the conference ends and the agent's leg with it;
    // the conversation stays with Darío for wrap-up.
    await s.cloud.hangUp(caller.callSid);
    await eventOf(h, caller.callSid, 'agent_left', (p) => p['agentId'] === dario.id && p['reason'] === 'citizen_hangup');
    await waitFor('the agent leg ended', async () => s.cloud.call(String(connected['agentCallSid'])).status === 'completed');
    const after = await h.db.selectFrom('conversations').select(['status', 'assignee_id']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'assigned', assignee_id: dario.id });
    expect((await h.api('POST', `/voice/calls/${conversationId}/hangup`, dario.token)).status).toBe(409);
    await goAway(h, dario);
  });

  it('several connectors (worker processes) racing on one accepted call dial the agent exactly once', async () => {
    const ctx = h.hub.ctx;
    const connectors = [1, 2, 3].map(
      () => new VoiceAgentConnector({ db: ctx.db.kysely, channels: new AgentVoiceChannels(ctx.channels, ctx.config), logger: ctx.logger, applyEffects: (effects) => ctx.router.apply(effects) }),
    );
    await h.api('PUT', '/agents/me/state', carla.token, { state: 'available' });
    s.cloud.behave(`client:agent-${carla.id}`, { answer: true });
    const { caller, conversationId } = await queuedCaller(h, s, '+525522220002');
    await takeCall(h, carla, conversationId);
    const dialed = await Promise.all(connectors.map((c) => c.tick()));
    await eventOf(h, caller.callSid, 'agent_connected', (p) => p['agentId'] === carla.id);
    // The hub's own worker raced them too: one leg, one Participants request, one redirect.
    expect(dialed.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
    const legs = await h.db.selectFrom('voice_agent_legs').select('id').where('conversation_id', '=', conversationId).execute();
    expect(legs).toHaveLength(1);
    expect(s.cloud.requests.filter((r) => r.path.endsWith(`/Conferences/ventanilla-${conversationId}/Participants.json`))).toHaveLength(1);
    expect(s.cloud.requests.filter((r) => r.path.endsWith(`/Calls/${caller.callSid}.json`) && r.form['Url'])).toHaveLength(1);
    await s.cloud.hangUp(caller.callSid);
    await goAway(h, carla);
  });

  it('the citizen hangs up while the agent’s phone still rings: the leg is called off, no RONA, nothing put back in line', async () => {
    // A fresh agent: Darío's seat still holds the first call for wrap-up.
    const eva = await createVoiceAgent(h, s.c.campaignId, { [s.c.skills.citas]: 1, [s.c.skills.general]: 1 });
    expect((await h.api('PUT', '/voice/agents/me/endpoint', eva.token, { kind: 'phone', address: '+525587650000' })).status).toBe(200);
    s.cloud.behave('+525587650000', { answer: true, afterMs: 4_000 });
    const { caller, conversationId } = await queuedCaller(h, s, '+525522220003');
    await takeCall(h, eva, conversationId);
    const leg = await waitFor('the ringing leg', () =>
      h.db.selectFrom('voice_agent_legs').selectAll().where('conversation_id', '=', conversationId).where('call_sid', 'is not', null).executeTakeFirst(),
    );
    await waitFor('the citizen in the conference', async () => s.cloud.call(caller.callSid).conference !== null);
    await s.cloud.hangUp(caller.callSid);
    const ended = await waitFor('the leg called off', () =>
      h.db.selectFrom('voice_agent_legs').selectAll().where('id', '=', leg.id).where('ended_at', 'is not', null).executeTakeFirst(),
    );
    expect(ended.joined_at).toBeNull();
    expect(s.cloud.call(leg.call_sid ?? '').status).not.toBe('in-progress');
    const after = await h.db.selectFrom('conversations').select(['status', 'assignee_id']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'assigned', assignee_id: eva.id });
    const seat = await h.db.selectFrom('agent_seats').select('state').where('user_id', '=', eva.id).executeTakeFirstOrThrow();
    expect(seat.state).not.toBe('not_ready');
    await goAway(h, eva);
  });

  it('softphone token: a Twilio access token with a Voice grant for agent-<id>; 409 when the channel lacks the API key', async () => {
    const res = await h.api('POST', '/voice/token', carla.token, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ identity: `agent-${carla.id}`, channelId: s.c.channelId });
    const [headerPart, payloadPart] = String(res.body['token']).split('.');
    const header = JSON.parse(Buffer.from(headerPart ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const payload = JSON.parse(Buffer.from(payloadPart ?? '', 'base64url').toString('utf8')) as { iss: string; sub: string; exp: number; nbf: number; grants: { identity: string; voice: { incoming: { allow: boolean }; outgoing: { application_sid: string } } } };
    expect(header).toMatchObject({ cty: 'twilio-fpa;v=1', alg: 'HS256' });
    expect(payload.iss).toBe(s.apiKeySid);
    expect(payload.sub).toBe(s.c.accountSid);
    expect(payload.exp - payload.nbf).toBe(3600);
    expect(payload.grants).toEqual({ identity: `agent-${carla.id}`, voice: { incoming: { allow: true }, outgoing: { application_sid: s.twimlAppSid } } });
    // Signed with the API key secret (HS256), not the auth token.
    const { createHmac } = await import('node:crypto');
    const [h64, p64, sig] = String(res.body['token']).split('.');
    expect(createHmac('sha256', s.apiKeySecret).update(`${h64}.${p64}`).digest('base64url')).toBe(sig);

    // A user of another campaign asking for this channel: 403; a campaign without voice: 404.
    const other = await createCampaign(h.db);
    const stranger = await tokenFor(h.db, (await createUser(h.db, { roles: ['agent'], campaignIds: [other.id] })).id);
    expect((await h.api('POST', '/voice/token', stranger, { channelId: s.c.channelId })).status).toBe(403);
    expect((await h.api('POST', '/voice/token', stranger, {})).status).toBe(404);

    // Without the softphone settings: 409 with the reason in Spanish.
    const bare = await agentVoiceSetup(h, { softphone: false });
    const agent = await createVoiceAgent(h, bare.c.campaignId, {});
    const conflict = await h.api('POST', '/voice/token', agent.token, { channelId: bare.c.channelId });
    await bare.cloud.close();
    expect(conflict.status).toBe(409);
    expect(JSON.stringify(conflict.body)).toContain('El canal de voz no tiene configurado el teléfono web');
  });
});
