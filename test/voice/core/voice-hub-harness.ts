import { randomBytes } from 'node:crypto';
import { startHubProcess, type Database, type HubProcess } from '@ventanilla/hub';
import { demoIvrTree, type IvrTreeInput } from '@ventanilla/voice-bridge';
import { sql, type Kysely } from 'kysely';
import { startCall, twilioSid, type SimulatedCall } from '../../harness/twilio-voice/index.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createQueue, createSkill, setAgentSkills } from '../../support/router-factories.js';
import { dropNamespaces, testConfig } from '../../support/test-context.js';

/**
 * A live hub (API + workers, real PostgreSQL and Redis) with the voice bridge mounted, for whole
 * calls driven by the Twilio Voice harness: signed webhooks to `/webhooks/voice/:channelId/…`.
 */
export interface VoiceHub {
  hub: HubProcess;
  db: Kysely<Database>;
  url: string;
  api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  cleanup(): Promise<void>;
}

export async function startVoiceHub(): Promise<VoiceHub> {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '200' });
  const hub = await startHubProcess(config);
  const url = hub.url;
  if (!url) throw new Error('the hub is not listening');
  return {
    hub,
    db: hub.ctx.db.kysely,
    url,
    async api(method, path, token, body) {
      const res = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: { ...bearer(token), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async cleanup() {
      await hub.stop();
      await dropNamespaces(config);
    },
  };
}

export interface VoiceCampaign {
  campaignId: string;
  prefix: string;
  channelId: string;
  accountSid: string;
  authToken: string;
  defaultQueueId: string;
  citasQueueId: string;
  skills: { citas: string; general: string };
  dial(from: string, to?: string): Promise<SimulatedCall>;
}

/** A campaign with a default queue and a «citas_medicas» queue, a voice channel and an IVR in production. */
export async function createVoiceCampaign(h: Pick<VoiceHub, 'db' | 'url'>, options: { tree?: IvrTreeInput; prefix?: string } = {}): Promise<VoiceCampaign> {
  const prefix = options.prefix ?? `V${Array.from(randomBytes(4), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[b % 26]).join('')}`;
  const campaign = await createCampaign(h.db, { prefix });
  const citas = await createSkill(h.db, campaign.id, 'citas_medicas');
  const general = await createSkill(h.db, campaign.id, 'orientacion');
  const defaultQueueId = await createQueue(h.db, campaign.id, { name: 'Orientación', priority: 50, isDefault: true, skills: { [general]: 1 } });
  const citasQueueId = await createQueue(h.db, campaign.id, { name: 'Citas', priority: 40, skills: { [citas]: 1 } });
  const accountSid = twilioSid('AC');
  const authToken = randomBytes(16).toString('hex');
  const channel = await h.db
    .insertInto('channels')
    .values({
      campaign_id: campaign.id,
      kind: 'voice',
      name: 'Teléfono',
      // Twilio signs the URL it is given: the hub's own listening address in tests.
      settings: JSON.stringify({ accountSid, callerId: '+528006232323', webhookBaseUrl: h.url }),
      secrets: JSON.stringify({ authToken }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await h.db
    .insertInto('ivr_models')
    .values({ campaign_id: campaign.id, version: 1, status: 'production', tree: JSON.stringify(options.tree ?? demoIvrTree), promoted_at: new Date() })
    .execute();
  return {
    campaignId: campaign.id,
    prefix,
    channelId: channel.id,
    accountSid,
    authToken,
    defaultQueueId,
    citasQueueId,
    skills: { citas, general },
    dial: (from, to = '+528006232323') => startCall({ baseUrl: h.url, channelId: channel.id, authToken, accountSid, from, to }),
  };
}

export async function createVoiceAgent(h: VoiceHub, campaignId: string, skills: Record<string, number>, roles: ('agent' | 'supervisor')[] = ['agent']) {
  const user = await createUser(h.db, { roles, campaignIds: [campaignId] });
  await setAgentSkills(h.db, user.id, skills);
  const token = await tokenFor(h.db, user.id);
  return { id: user.id, token };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function callEvents(db: Kysely<Database>, callSid: string) {
  const { rows } = await sql<{ type: string; occurred_at: Date; payload: Record<string, unknown>; actor_type: string; conversation_id: string | null }>`
    SELECT type, occurred_at, payload, actor_type, conversation_id FROM interaction_events
     WHERE type LIKE 'call.%' AND payload->>'callSid' = ${callSid} ORDER BY id`.execute(db);
  return rows;
}
