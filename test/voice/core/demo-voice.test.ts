import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { seedDemo } from '../../../hub/src/seed/demo-seed.js';
import { seedDemoVoice } from '../../../hub/src/seed/demo-voice.js';
import { startCall } from '../../harness/twilio-voice/index.js';
import { dropNamespaces, testConfig } from '../../support/test-context.js';

/** A port nobody uses now: the demo's channels carry no webhookBaseUrl, so the hub's own http://HOST:PORT is what Twilio signs. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `npm run demo` answers calls: a voice channel per demo campaign with the demo IVR in production (issue 8). */
describe('demo voice channels', () => {
  let hub: HubProcess;
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  beforeAll(async () => {
    hub = await startHubProcess({ ...config, PORT: await freePort() });
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('seeds one voice channel per campaign with the demo IVR promoted — once — and a call keyed to an agent reaches the campaign’s default line', async () => {
    const db = hub.ctx.db.kysely;
    await seedDemo(db);
    const first = await seedDemoVoice(db);
    const again = await seedDemoVoice(db);
    expect(first.map((c) => c.campaign).sort()).toEqual(['Contribuyentes', 'Derechohabientes']);
    expect(again).toEqual(first);
    expect(first.every((c) => /^AC[0-9a-f]{32}$/.test(c.accountSid) && c.authToken.length >= 32)).toBe(true);
    const production = await db.selectFrom('ivr_models').select(['campaign_id', 'status', 'version']).where('status', '=', 'production').execute();
    expect(production).toHaveLength(2);

    const dh = first.find((c) => c.campaign === 'Derechohabientes');
    if (!dh) throw new Error('no Derechohabientes voice channel');
    const call = await startCall({ baseUrl: hub.url ?? '', channelId: dh.id, authToken: dh.authToken, accountSid: dh.accountSid, from: '+525598765432', to: '+528006232323' });
    expect(call.heard().join(' ')).toContain('Bienvenido a la línea de atención del IMSS');
    await call.press('0');
    expect(call.enqueued()?.queue).toMatch(/^DH-\d{8}-\d{6}$/);
    const row = await db
      .selectFrom('voice_calls as v')
      .innerJoin('conversations as c', 'c.id', 'v.conversation_id')
      .innerJoin('queues as q', 'q.id', 'c.queue_id')
      .select(['c.folio', 'c.status', 'q.name'])
      .where('v.call_sid', '=', call.callSid)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ folio: call.enqueued()?.queue, name: 'Orientación general' });
    expect(['queued', 'offered']).toContain(row.status);
  });
});
