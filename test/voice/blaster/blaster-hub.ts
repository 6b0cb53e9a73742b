import { randomBytes } from 'node:crypto';
import { startHubProcess, type Database, type HubProcess } from '@ventanilla/hub';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { TwilioVoiceCloud } from '../../harness/twilio-voice/index.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createQueue } from '../../support/router-factories.js';
import { dropNamespaces, testConfig } from '../../support/test-context.js';

/**
 * A live hub (API + workers with the blaster's dialer, real PostgreSQL and Redis, the voice
 * plugin mounted) and the Twilio Voice cloud its voice channel's REST client points at: the
 * dialer's `Calls.json` land in the cloud, which rings, answers per `behave()`, presses keys and
 * posts signed webhooks back to the hub.
 */
export const CALLER_ID = '+528006232323';

export const recipientView = z.object({
  id: z.uuid(),
  line: z.number(),
  phone: z.string(),
  name: z.string().nullable(),
  status: z.string(),
  digits: z.string().nullable(),
  attempts: z.number(),
  callSid: z.string().nullable(),
  lastError: z.string().nullable(),
});
export const blastView = z.looseObject({
  id: z.uuid(),
  status: z.string(),
  summary: z.object({ total: z.number(), byStatus: z.record(z.string(), z.number()), attempts: z.number(), inCall: z.number(), retrying: z.number() }),
});

export interface BlasterHub {
  hub: HubProcess;
  db: Kysely<Database>;
  url: string;
  cloud: TwilioVoiceCloud;
  campaignId: string;
  channelId: string;
  queueId: string;
  supervisor: string;
  admin: string;
  agent: string;
  foreignSupervisor: string;
  foreignCampaignId: string;
  api(method: string, path: string, token: string, body?: unknown, type?: string): Promise<Response>;
  /** Creates a draft with a list and schedules it now; returns its id. */
  launch(body: Record<string, unknown>, list: string): Promise<string>;
  view(blastId: string): Promise<z.infer<typeof blastView>>;
  recipients(blastId: string): Promise<z.infer<typeof recipientView>[]>;
  cleanup(): Promise<void>;
}

export async function startBlasterHub(): Promise<BlasterHub> {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', VOICE_BLASTER_INTERVAL_MS: '100', ROUTER_SWEEP_INTERVAL_MS: '200' });
  // A <Gather> nobody answers (no scripted digits) times out after 300 ms instead of 20 s.
  const cloud = await new TwilioVoiceCloud({ gatherWaitMs: 300 }).start();
  const hub = await startHubProcess(config);
  const url = hub.url;
  if (!url) throw new Error('the hub is not listening');
  const db = hub.ctx.db.kysely;
  const campaign = await createCampaign(db, { prefix: `B${randomBytes(2).toString('hex').toUpperCase().replace(/[0-9]/g, 'X')}` });
  const foreign = await createCampaign(db);
  const queueId = await createQueue(db, campaign.id, { name: 'Confirmaciones', isDefault: true });
  const channel = await db
    .insertInto('channels')
    .values({
      campaign_id: campaign.id,
      kind: 'voice',
      name: 'Teléfono',
      settings: JSON.stringify({ accountSid: cloud.accountSid, callerId: CALLER_ID, webhookBaseUrl: url, apiBaseUrl: cloud.url }),
      secrets: JSON.stringify({ authToken: cloud.authToken }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = async (roles: ('admin' | 'supervisor' | 'agent')[], campaignIds: string[]) => tokenFor(db, (await createUser(db, { roles, campaignIds })).id);
  const api = (method: string, path: string, tokenValue: string, body?: unknown, type?: string) =>
    fetch(`${url}/api/v1${path}`, {
      method,
      headers: { ...bearer(tokenValue), ...(body !== undefined ? { 'content-type': type ?? 'application/json' } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  const supervisor = await token(['supervisor'], [campaign.id]);
  const h: BlasterHub = {
    hub,
    db,
    url,
    cloud,
    campaignId: campaign.id,
    channelId: channel.id,
    queueId,
    supervisor,
    admin: await token(['admin'], []),
    agent: await token(['agent'], [campaign.id]),
    foreignSupervisor: await token(['supervisor'], [foreign.id]),
    foreignCampaignId: foreign.id,
    api,
    async launch(body, list) {
      const created = await api('POST', '/voice/blasts', supervisor, { campaignId: campaign.id, channelId: channel.id, name: 'Confirmación de citas', window: null, ...body, list });
      if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
      const id = z.object({ blast: z.object({ id: z.uuid() }) }).parse(await created.json()).blast.id;
      const scheduled = await api('POST', `/voice/blasts/${id}/schedule`, supervisor, {});
      if (scheduled.status !== 200) throw new Error(`schedule: ${scheduled.status} ${await scheduled.text()}`);
      return id;
    },
    async view(blastId) {
      return blastView.parse(await (await api('GET', `/voice/blasts/${blastId}`, supervisor)).json());
    },
    async recipients(blastId) {
      return z.object({ items: z.array(recipientView) }).parse(await (await api('GET', `/voice/blasts/${blastId}/recipients?limit=500`, supervisor)).json()).items;
    },
    async cleanup() {
      await hub.stop();
      await cloud.close();
      await dropNamespaces(config);
    },
  };
  return h;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function callEventTypes(db: Kysely<Database>, callSid: string): Promise<{ type: string; payload: Record<string, unknown> }[]> {
  const { rows } = await sql<{ type: string; payload: Record<string, unknown> }>`
    SELECT type, payload FROM interaction_events WHERE type LIKE 'call.%' AND payload->>'callSid' = ${callSid} ORDER BY id`.execute(db);
  return rows;
}

/** Unique test numbers per call so tests in one file do not see each other's calls. */
let counter = 0;
export function phone(): string {
  counter += 1;
  return `+5255${String(Date.now() % 10_000).padStart(4, '0')}${String(counter).padStart(4, '0')}`;
}
