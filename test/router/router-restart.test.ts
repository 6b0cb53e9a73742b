import { afterAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';
import { createQueue, setCampaignRouting } from '../support/router-factories.js';

/** Issue 3 item 10: an offer timeout scheduled by one process fires after that process is gone. */
describe('router timers across a restart', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '60000' });
  let first: HubProcess | null = null;
  let second: HubProcess | null = null;
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await dropNamespaces(config);
  });

  it('the RONA delayed job survives the process that scheduled it', async () => {
    first = await startHubProcess(config);
    const db = first.ctx.db.kysely;
    const campaign = await createCampaign(db, { prefix: 'RS' });
    await setCampaignRouting(db, campaign.id, { offerTimeoutSeconds: 5 });
    const { channel, secret } = await createApiChannel(db, campaign.id);
    await createQueue(db, campaign.id, { isDefault: true });
    const agent = await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] });
    const token = await tokenFor(db, agent.id);
    const res = await fetch(`${first.url}/api/v1/agents/me/state`, { method: 'PUT', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify({ state: 'available' }) });
    expect(res.status).toBe(200);
    const body = messageBody({ id: 'restart-1', phone: '55 5000 0001', text: 'Hola' });
    await fetch(`${first.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(secret, body), body });
    await expect.poll(async () => (await db.selectFrom('offers').select(['id', 'status']).execute()).length, { timeout: 3000 }).toBe(1);
    const offer = await db.selectFrom('offers').selectAll().executeTakeFirstOrThrow();
    expect(offer.status).toBe('pending');
    const job = await first.ctx.routerTimers.getJob(`offer_timeout-${offer.id}-1`);
    expect(await job?.getState()).toBe('delayed');
    await first.stop();
    first = null;

    // The sweep is slowed to a minute: only the delayed job can time the offer out in time.
    second = await startHubProcess(config);
    const db2 = second.ctx.db.kysely;
    await expect.poll(async () => (await db2.selectFrom('offers').select('status').where('id', '=', offer.id).executeTakeFirstOrThrow()).status, { timeout: 10_000, interval: 200 }).toBe(
      'timed_out',
    );
    const seat = await db2.selectFrom('agent_seats').selectAll().where('user_id', '=', agent.id).executeTakeFirstOrThrow();
    expect(seat.state).toBe('not_ready');
    expect(seat.load_text).toBe(0);
    const conversation = await db2.selectFrom('conversations').select(['status', 'excluded_agent_ids']).executeTakeFirstOrThrow();
    expect(conversation).toEqual({ status: 'queued', excluded_agent_ids: [agent.id] });
  }, 30_000);
});
