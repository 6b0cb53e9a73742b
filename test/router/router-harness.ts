import { expect } from 'vitest';
import { startHubProcess, type ConversationOfferedPayload, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, connectStaff, tokenFor, type StaffClient } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';
import { setAgentSkills } from '../support/router-factories.js';

/** A live hub (API + workers) for router scenarios, with citizens and agents as real clients. */
export interface RouterHarness {
  hub: HubProcess;
  db: HubProcess['ctx']['db']['kysely'];
  cleanup(): Promise<void>;
  api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
}

export interface TestAgent {
  id: string;
  token: string;
  socket: StaffClient;
  /** Offers made to this agent (the socket also hears the campaign's offers to others). */
  offers: ConversationOfferedPayload[];
}

export async function startRouterHarness(overrides: Record<string, string> = {}): Promise<RouterHarness> {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '200', ...overrides });
  const hub = await startHubProcess(config);
  return {
    hub,
    db: hub.ctx.db.kysely,
    async cleanup() {
      await hub.stop();
      await dropNamespaces(config);
    },
    async api(method, path, token, body) {
      const res = await fetch(`${hub.url}/api/v1${path}`, {
        method,
        headers: { ...bearer(token), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
  };
}

export async function createTestCampaign(h: RouterHarness, prefix: string) {
  const campaign = await createCampaign(h.db, { prefix });
  const { channel, secret } = await createApiChannel(h.db, campaign.id);
  let seq = 0;
  return {
    id: campaign.id,
    channelId: channel.id,
    /** A citizen writes through the signed API channel webhook. */
    async citizenWrites(phone: string, text = 'Hola, necesito ayuda'): Promise<void> {
      seq += 1;
      const body = messageBody({ id: `m-${prefix}-${seq}-${Date.now()}`, phone, name: `Ciudadano ${phone}`, text });
      const res = await fetch(`${h.hub.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(secret, body), body });
      expect(res.status).toBe(200);
    },
  };
}

export async function createTestAgent(h: RouterHarness, campaignIds: string[], skills: Record<string, number>, roles: ('agent' | 'supervisor')[] = ['agent']): Promise<TestAgent> {
  const user = await createUser(h.db, { roles, campaignIds });
  await setAgentSkills(h.db, user.id, skills);
  const token = await tokenFor(h.db, user.id);
  const socket = await connectStaff(h.hub.url!, token);
  const offers: ConversationOfferedPayload[] = [];
  socket.on('conversation.offered', (p) => {
    if (p.agentId === user.id) offers.push(p);
  });
  return { id: user.id, token, socket, offers };
}

export async function conversationOf(h: RouterHarness, phoneDigits: string) {
  return h.db
    .selectFrom('conversations as c')
    .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
    .selectAll('c')
    .where('i.value', 'like', `%${phoneDigits}`)
    .orderBy('c.opened_at', 'desc')
    .executeTakeFirst();
}

export async function eventsOf(h: RouterHarness, conversationId: string) {
  return h.db.selectFrom('interaction_events').selectAll().where('conversation_id', '=', conversationId).orderBy('id').execute();
}

export function seatOf(h: RouterHarness, agentId: string) {
  return h.db.selectFrom('agent_seats').selectAll().where('user_id', '=', agentId).executeTakeFirstOrThrow();
}
