import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedCall } from '../../harness/twilio-voice/index.js';
import { createSkill, createQueue } from '../../support/router-factories.js';
import { createVoiceCampaign, startVoiceHub, waitFor, type VoiceCampaign, type VoiceHub } from '../core/voice-hub-harness.js';
import { agentVoiceSetup, eventOf, queuedCaller, type AgentVoiceSetup } from '../agent/agent-hub.js';
import { acceptOffer, expectedFacts, loginAgent, meteredCall, setState, sleep, sortFacts, type Agent } from './acceptance-kit.js';

/**
 * Issue 8 item 4's transfers through the call-control API with the TwilioVoiceCloud, on one call:
 * Ana → Beto (agent) → Tere (tier 2, PS-P) → Carlos (another campaign). Each hand-over takes the
 * agent's leg out of the conference (`agent_left` reason transfer + `transferred`), the router
 * hands the conversation on, and the connector dials the next agent in (`agent_connected` with the
 * seat type of the new assignment). The metering splits talk per agent and seat type.
 */
describe('acceptance: transfers of a call to an agent, to tier 2 and to another campaign', () => {
  let h: VoiceHub;
  let s: AgentVoiceSetup;
  let other: VoiceCampaign;
  let tier2QueueId = '';
  let ana: Agent;
  let beto: Agent;
  let tere: Agent;
  let carlos: Agent;
  let caller: SimulatedCall;
  let conversationId = '';
  const room = () => s.cloud.conferences.get(`ventanilla-${conversationId}`);
  const transfer = (agent: Agent, body: Record<string, unknown>) => h.api('POST', `/voice/calls/${conversationId}/transfer`, agent.token, body);

  beforeAll(async () => {
    h = await startVoiceHub();
    s = await agentVoiceSetup(h, { recording: false });
    other = await createVoiceCampaign(h);
    const dictamen = await createSkill(h.db, s.c.campaignId, 'dictamen');
    tier2QueueId = await createQueue(h.db, s.c.campaignId, { name: 'Segundo nivel', tier: 2, priority: 30, skills: { [dictamen]: 1 } });
    const firstLine = { [s.c.skills.citas]: 1, [s.c.skills.general]: 1 };
    ana = await loginAgent(h, [s.c.campaignId], firstLine);
    beto = await loginAgent(h, [s.c.campaignId], firstLine);
    tere = await loginAgent(h, [s.c.campaignId, other.campaignId], { [dictamen]: 1 });
    carlos = await loginAgent(h, [other.campaignId], { [other.skills.general]: 1, [other.skills.citas]: 1 });
  }, 60_000);
  afterAll(async () => {
    for (const agent of [ana, beto, tere, carlos]) agent?.inbox.disconnect();
    await s?.cloud.close();
    await h?.cleanup();
  });

  /** The agent's leg joined the conference and the call record says so, with the seat type. */
  async function connected(agent: Agent, seatType: 'PS-I' | 'PS-P') {
    const event = await eventOf(h, caller.callSid, 'agent_connected', (p) => p['agentId'] === agent.id);
    expect(event['seatType']).toBe(seatType);
    await waitFor('the caller off hold', async () => room()?.participants.get(caller.callSid)?.hold === false);
    const dialed = s.cloud.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/Conferences/ventanilla-${conversationId}/Participants.json`));
    expect(dialed.at(-1)?.form['To']).toBe(`client:agent-${agent.id}`);
    expect(room()?.participants.size).toBe(2);
  }

  /** The agent's leg left for the transfer; the caller stays in the conference, on hold. */
  async function handedOver(agent: Agent, target: string, targetId: string) {
    await eventOf(h, caller.callSid, 'agent_left', (p) => p['agentId'] === agent.id && p['reason'] === 'transfer');
    await eventOf(h, caller.callSid, 'transferred', (p) => p['agentId'] === agent.id && p['target'] === target && p['targetId'] === targetId);
    await waitFor('only the caller in the conference', async () => room()?.participants.size === 1);
    expect(room()?.participants.get(caller.callSid)?.hold).toBe(true);
    expect(s.cloud.call(caller.callSid).status).toBe('in-progress');
  }

  it('Ana takes the call, then transfers it to Beto; Beto accepts and is dialed in (PS-I)', async () => {
    ({ caller, conversationId } = await queuedCaller(h, s, '+525511112222'));
    await setState(h, ana, 'available');
    await acceptOffer(h, ana, conversationId);
    await connected(ana, 'PS-I');
    await sleep(1100);

    await setState(h, beto, 'available');
    expect((await transfer(ana, { target: 'agent', targetId: beto.id })).status).toBe(200);
    await handedOver(ana, 'agent', beto.id);
    await acceptOffer(h, beto, conversationId);
    await connected(beto, 'PS-I');
    await setState(h, ana, 'offline');
    await sleep(1100);
  });

  it('tier 2 needs a reason (400, nothing changes); with one the call goes to the tier-2 agent as PS-P', async () => {
    const refused = await transfer(beto, { target: 'tier2' });
    expect(refused.status).toBe(400);
    expect(room()?.participants.size).toBe(2);
    expect((await h.db.selectFrom('conversations').select('assignee_id').where('id', '=', conversationId).executeTakeFirstOrThrow()).assignee_id).toBe(beto.id);

    await setState(h, tere, 'available');
    expect((await transfer(beto, { target: 'tier2', reason: 'Requiere dictamen de invalidez' })).status).toBe(200);
    await handedOver(beto, 'tier2', '');
    const conversation = await h.db.selectFrom('conversations').select(['queue_id', 'seat_type']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(conversation.queue_id).toBe(tier2QueueId);
    await acceptOffer(h, tere, conversationId);
    await connected(tere, 'PS-P');
    await setState(h, beto, 'offline');
    await sleep(1100);
  });

  it('transfer to another campaign: a member of both hands it on; an agent of that campaign takes it (PS-I); a non-member is refused', async () => {
    // Beto is not in the other campaign (and no longer holds the call): refused.
    expect((await h.api('POST', `/voice/calls/${conversationId}/transfer`, beto.token, { target: 'campaign', targetId: other.campaignId })).status).toBe(403);
    await setState(h, carlos, 'available');
    expect((await transfer(tere, { target: 'campaign', targetId: other.campaignId })).status).toBe(200);
    await handedOver(tere, 'campaign', other.campaignId);
    const conversation = await h.db.selectFrom('conversations').select(['campaign_id', 'queue_id']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(conversation).toEqual({ campaign_id: other.campaignId, queue_id: other.defaultQueueId });
    await acceptOffer(h, carlos, conversationId);
    await connected(carlos, 'PS-I');
    await sleep(1100);

    expect((await h.api('POST', `/voice/calls/${conversationId}/hangup`, carlos.token)).status).toBe(200);
    await waitFor('the caller’s survey', async () => s.cloud.webhooks.find((w) => w.callSid === caller.callSid && w.kind === 'action' && w.url.endsWith('/survey/start')));
    await s.cloud.settle();
    await s.cloud.hangUp(caller.callSid);
    expect(s.cloud.errors).toEqual([]);
  });

  it('talk is metered per agent and seat type, to the second, from the call’s events', async () => {
    const { summary, facts } = await meteredCall(h.db, caller.callSid);
    const { facts: expected } = await expectedFacts(h.db, caller.callSid);
    expect(sortFacts(facts)).toEqual(sortFacts(expected));
    const talk = facts.filter((f) => f.concept === 'talk_seconds').map((f) => [f.agent_id, f.seat_type]);
    expect(talk).toEqual([
      [ana.id, 'PS-I'],
      [beto.id, 'PS-I'],
      [tere.id, 'PS-P'],
      [carlos.id, 'PS-I'],
    ]);
    for (const f of facts.filter((fact) => fact.concept === 'talk_seconds')) expect(f.quantity).toBeGreaterThanOrEqual(1);
    expect(summary).toMatchObject({ twilio_seconds: s.cloud.call(caller.callSid).duration, mismatch: false });
    expect(Math.abs(summary.difference_seconds ?? 99)).toBeLessThanOrEqual(2);
  });
});
