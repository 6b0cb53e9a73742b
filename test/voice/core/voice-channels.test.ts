import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { voicePublicUrl, voiceRestFor, voiceUrlsFor } from '../../../hub/src/voice/core/voice-channels.js';
import { twilioSid } from '../../harness/twilio-voice/index.js';
import { createCampaign } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';

/**
 * What the other parts of the bridge call to reach Twilio for a channel (issue 8): the REST port
 * with the channel's account and auth token at its apiBaseUrl, and the channel's public URLs.
 */
describe('voice channel helpers', () => {
  let hub: TestHub;
  let server: Server;
  let apiBaseUrl = '';
  const requests: { method: string; url: string; auth: string; body: string }[] = [];

  beforeAll(async () => {
    hub = await createTestHub({ PUBLIC_URL: 'https://ventanilla.example.gob.mx' });
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization ?? '', body });
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sid: 'CA0123456789abcdef0123456789abcdef', status: 'queued' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    apiBaseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await hub?.cleanup();
  });

  it('voiceRestFor calls Twilio’s REST API with the channel’s account at its apiBaseUrl; voiceUrlsFor uses its public URL', async () => {
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db);
    const accountSid = twilioSid('AC');
    const settings = { accountSid, callerId: '+528006232323', apiBaseUrl };
    const row = await db
      .insertInto('channels')
      .values({ campaign_id: campaign.id, kind: 'voice', name: 'Teléfono', settings: JSON.stringify(settings), secrets: JSON.stringify({ authToken: 'token-secreto' }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const loaded = await hub.ctx.channels.get(row.id);
    if (!loaded) throw new Error('channel not loaded');

    const urls = voiceUrlsFor(hub.ctx, loaded);
    expect(urls.incoming).toBe(`https://ventanilla.example.gob.mx/webhooks/voice/${row.id}/incoming`);
    expect(urls.path('agent/caller-join')).toBe(`https://ventanilla.example.gob.mx/webhooks/voice/${row.id}/agent/caller-join`);
    expect(voicePublicUrl(hub.config, { webhookBaseUrl: 'https://edge.example.mx/' })).toBe('https://edge.example.mx');
    expect(voicePublicUrl({ ...hub.config, PUBLIC_URL: undefined, HOST: '::1', PORT: 3001 }, null)).toBe('http://[::1]:3001');

    const created = await voiceRestFor(loaded).createCall({ to: '+525512345678', from: '+528006232323', url: urls.path('agent/caller-join'), statusCallback: urls.status });
    expect(created.callSid).toBe('CA0123456789abcdef0123456789abcdef');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.url).toBe(`/2010-04-01/Accounts/${accountSid}/Calls.json`);
    expect(requests[0]?.auth).toBe(`Basic ${Buffer.from(`${accountSid}:token-secreto`).toString('base64')}`);
    expect(new URLSearchParams(requests[0]?.body).get('Url')).toBe(urls.path('agent/caller-join'));

    await db.updateTable('channels').set({ enabled: false }).where('id', '=', row.id).execute();
    hub.ctx.channels.invalidate(row.id);
    const disabled = await hub.ctx.channels.get(row.id);
    if (!disabled) throw new Error('channel not loaded');
    expect(() => voiceRestFor(disabled)).toThrow(/not an enabled voice channel/);
  });
});
