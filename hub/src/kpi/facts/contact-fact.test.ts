import { describe, expect, it } from 'vitest';
import { buildContactFact, type FactEvent } from './contact-fact.js';

let nextId = 1;
const at = (s: number): number => Date.UTC(2026, 10, 25, 15, 0, s);
const ev = (type: string, s: number, payload: Record<string, unknown> = {}, actorType = 'system'): FactEvent => ({ id: nextId++, type, occurredAtMs: at(s), actorType, payload });

describe('buildContactFact', () => {
  it('a call: ASA to the agent leg, talk per leg, hold closed by the end of the call, tier-2 from call.transferred', () => {
    const fact = buildContactFact('c1', 'k', [
      ev('call.enqueued', 0, { folio: 'F-1', queueId: 'q1' }),
      ev('conversation.assigned', 8, { agentId: 'a1', channelClass: 'voice' }),
      ev('call.agent_connected', 10, { agentId: 'a1' }),
      ev('call.hold', 40, { agentId: 'a1' }),
      ev('call.transferred', 50, { agentId: 'a1', target: 'tier2', targetId: 'a2' }),
      ev('call.ended', 70, { status: 'completed' }),
    ]);
    // wait 10 s (not the 8 s of the assignment); talk 10 → 70 = 60 s; hold 40 → 70 = 30 s.
    expect(fact).toMatchObject({ folio: 'F-1', queueId: 'q1', channelKind: 'voice', answerWaitMs: 10_000, talkMs: 60_000, holdMs: 30_000, transfers: 1, tier2Transferred: true, agentIds: ['a1'] });
    expect(fact.abandonedAtMs).toBeNull();
  });

  it('a chat: first agent message is the first response; bot messages do not count; an abandon after the answer is not an abandon', () => {
    const fact = buildContactFact('c2', 'k', [
      ev('conversation.opened', 0, { folio: 'F-2', channelId: 'ch', channelKind: 'webchat' }),
      ev('message.queued', 1, { contentType: 'text' }, 'bot'),
      ev('conversation.queued', 2, { queueId: 'q', channelClass: 'text' }),
      ev('conversation.assigned', 7, { agentId: 'a1' }),
      ev('message.queued', 30, { contentType: 'text' }, 'agent'),
      ev('conversation.abandoned', 40, { waitedMs: 38_000 }),
    ]);
    expect(fact).toMatchObject({ answerWaitMs: 5_000, firstResponseAtMs: at(30), abandonedAtMs: null, talkMs: 33_000, channelClass: 'text' });
  });

  it('an abandon in queue keeps its waitedMs; no events of a human → no answer, no talk', () => {
    const fact = buildContactFact('c3', 'k', [ev('conversation.queued', 0, { queueId: 'q', channelClass: 'text' }), ev('conversation.abandoned', 25, { waitedMs: 24_500 })]);
    expect(fact).toMatchObject({ answeredAtMs: null, abandonedAtMs: at(25), abandonWaitMs: 24_500, talkMs: 0, transfers: 0, firstAgentId: null });
  });

  it('does not depend on the order the events are given in', () => {
    const events = [ev('conversation.queued', 0, { queueId: 'q' }), ev('conversation.assigned', 3, { agentId: 'a' }), ev('conversation.resolved', 9, { agentId: 'a' })];
    expect(buildContactFact('c4', 'k', [...events].reverse())).toEqual(buildContactFact('c4', 'k', events));
  });
});
