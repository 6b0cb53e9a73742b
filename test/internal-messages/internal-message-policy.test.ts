import { describe, expect, it } from 'vitest';
import { agentToAgentAllowed, canWrite, type PolicyUser } from '../../hub/src/internal-messages/internal-message.policy.js';

const user = (userId: string, roles: PolicyUser['roles'], campaignIds: string[]): PolicyUser => ({ userId, roles, campaignIds });
const agentA = user('a1', ['agent'], ['A']);
const agentA2 = user('a2', ['agent'], ['A']);
const supA = user('s1', ['supervisor'], ['A']);
const supB = user('s2', ['supervisor'], ['B']);
const admin = user('ad', ['admin'], []);
const auditor = user('au', ['auditor'], ['A']);

describe('internal message policy (seed-digest §1.10)', () => {
  it('agent → supervisor of a shared campaign only', () => {
    expect(canWrite(agentA, supA, 'A', false)).toEqual({ ok: true });
    expect(canWrite(agentA, supB, 'A', false)).toEqual({ ok: false, reason: 'recipient_campaign' });
    expect(canWrite(agentA, supB, 'B', false)).toEqual({ ok: false, reason: 'campaign' });
  });
  it('agent → agent only when the campaign allows it', () => {
    expect(canWrite(agentA, agentA2, 'A', false)).toEqual({ ok: false, reason: 'agent_to_agent' });
    expect(canWrite(agentA, agentA2, 'A', true)).toEqual({ ok: true });
    expect(canWrite(agentA, auditor, 'A', true)).toEqual({ ok: false, reason: 'agent_to_non_supervisor' });
  });
  it('supervisors and admins write to the staff of their campaigns; admins reach every campaign', () => {
    expect(canWrite(supA, agentA, 'A', false)).toEqual({ ok: true });
    expect(canWrite(supB, agentA, 'A', false)).toEqual({ ok: false, reason: 'campaign' });
    expect(canWrite(admin, agentA, 'A', false)).toEqual({ ok: true });
    expect(canWrite(agentA, admin, 'A', false)).toEqual({ ok: true });
  });
  it('refuses other roles and writing to oneself', () => {
    expect(canWrite(auditor, supA, 'A', false)).toEqual({ ok: false, reason: 'role' });
    expect(canWrite(supA, supA, 'A', false)).toEqual({ ok: false, reason: 'self' });
  });
  it('reads the campaign setting strictly', () => {
    expect(agentToAgentAllowed({ internalMessages: { agentToAgent: true } })).toBe(true);
    expect(agentToAgentAllowed({ internalMessages: { agentToAgent: 'true' } })).toBe(false);
    expect(agentToAgentAllowed({})).toBe(false);
    expect(agentToAgentAllowed(null)).toBe(false);
  });
});
