import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign } from '../support/factories.js';
import { messageBody, signedHeaders } from '../support/webhook.js';

/** Logs carry the request id from the webhook to the worker, and the folio once it is known. */
describe('structured logs', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', LOG_LEVEL: 'debug' });
  const lines: Record<string, unknown>[] = [];
  let hub: HubProcess;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    hub = await startHubProcess(config, { logger: pino({ level: 'debug' }, sink) });
  });
  afterAll(async () => {
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('ties the webhook request id to the folio in the worker log, and never logs the signature', async () => {
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db, { prefix: 'LG' });
    const { channel, secret } = await createApiChannel(db, campaign.id);
    const body = messageBody({ id: 'log-1', phone: '+52 55 7777 8888' });
    const signed = signedHeaders(secret, body);
    const headers = { ...signed, 'x-request-id': 'req-log-0001' };
    const res = await fetch(`${hub.url}/webhooks/api/${channel.id}`, { method: 'POST', headers, body });
    expect(res.headers.get('x-request-id')).toBe('req-log-0001');
    await expect.poll(() => lines.find((l) => l['msg'] === 'message stored'), { timeout: 5000 }).toBeDefined();
    const stored = lines.find((l) => l['msg'] === 'message stored')!;
    expect(stored['requestId']).toBe('req-log-0001');
    expect(String(stored['folio'])).toMatch(/^LG-\d{8}-\d{6}$/);
    expect(lines.some((l) => l['reqId'] === 'req-log-0001')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(signed['x-ventanilla-signature']);
  });
});
