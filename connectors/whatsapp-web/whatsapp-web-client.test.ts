import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wweb from 'whatsapp-web.js';
import { describe, expect, it } from 'vitest';
import { createWhatsAppWebClient } from './whatsapp-web-client.js';

/**
 * The production factory with the real library, short of `initialize()` (that launches Chromium
 * and opens web.whatsapp.com, which CI cannot reach): the client is built with LocalAuth under
 * the data path and the system Chromium, and files become real MessageMedia.
 */
describe('createWhatsAppWebClient (real whatsapp-web.js, not initialised)', () => {
  it('builds a Client with LocalAuth per channel and the configured Chromium, and real MessageMedia', async () => {
    const dataPath = await mkdtemp(join(tmpdir(), 'wwebjs-auth-'));
    try {
      const runtime = await createWhatsAppWebClient({ channelId: '0b6c3f0e-8a52-4c1e-9d3f-2a7e5b1c9d40', dataPath, executablePath: '/usr/bin/chromium' });
      expect(runtime.client.info).toBeUndefined();
      const media = runtime.createMedia({ mimetype: 'application/pdf', data: Buffer.from('%PDF-1.4').toString('base64'), filename: 'constancia.pdf' });
      expect(media).toBeInstanceOf(wweb.MessageMedia);
      expect(media).toMatchObject({ mimetype: 'application/pdf', filename: 'constancia.pdf' });
      // No browser was started: destroy only tears down the auth strategy.
      await runtime.client.destroy();
      await expect(stat(join(dataPath, 'session-0b6c3f0e-8a52-4c1e-9d3f-2a7e5b1c9d40'))).rejects.toThrow();
    } finally {
      await rm(dataPath, { recursive: true, force: true });
    }
  });

  it('refuses a channel id LocalAuth cannot use as a folder name', async () => {
    await expect(createWhatsAppWebClient({ channelId: '../x', dataPath: tmpdir(), executablePath: '/usr/bin/chromium' })).rejects.toThrow(/Invalid clientId/);
  });
});
