import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders, messageBody } from '../support/webhook.js';
import { createCampaign, createUser } from '../support/factories.js';
import { tokenFor } from '../support/auth.js';
import { createQueue } from '../support/router-factories.js';
import { startRouterHarness, type RouterHarness } from './router-harness.js';

/** A channel can send its new conversations to a named queue of its campaign (settings.queueId). */
describe('channel → queue', () => {
  let h: RouterHarness;
  let admin: string;
  let campaignId: string;
  let specific: string;
  beforeAll(async () => {
    h = await startRouterHarness();
    campaignId = (await createCampaign(h.db, { prefix: 'CQ' })).id;
    await createQueue(h.db, campaignId, { name: 'General', isDefault: true });
    specific = await createQueue(h.db, campaignId, { name: 'Patrones' });
    admin = await tokenFor(h.db, (await createUser(h.db, { roles: ['admin'] })).id);
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('stores a queue of the campaign, rejects one of another campaign, and routes the channel’s conversations there', async () => {
    const other = await createCampaign(h.db, { prefix: 'CX' });
    const foreign = await createQueue(h.db, other.id, {});
    const bad = await h.api('POST', `/campaigns/${campaignId}/channels`, admin, { kind: 'api', name: 'Portal patronal', settings: { queueId: foreign } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('settings.queueId');

    const created = await h.api('POST', `/campaigns/${campaignId}/channels`, admin, { kind: 'api', name: 'Portal patronal', settings: { queueId: specific } });
    expect(created.status).toBe(201);
    expect((created.body['settings'] as Record<string, unknown>)['queueId']).toBe(specific);
    const channelId = created.body['id'] as string;
    const secret = (created.body['secrets'] as Record<string, string>)['signingSecret']!;

    // A later settings change without queueId keeps it.
    const patched = await h.api('PATCH', `/channels/${channelId}`, admin, { settings: {} });
    expect((patched.body['settings'] as Record<string, unknown>)['queueId']).toBe(specific);

    const body = messageBody({ id: 'cq-1', phone: '55 4444 0001', text: 'Alta patronal' });
    expect((await fetch(`${h.hub.url}/webhooks/api/${channelId}`, { method: 'POST', headers: signedHeaders(secret, body), body })).status).toBe(200);
    await expect.poll(async () => (await h.db.selectFrom('conversations').select('queue_id').where('channel_id', '=', channelId).executeTakeFirst())?.queue_id ?? null, { timeout: 5000 }).toBe(specific);
  });
});
