import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { attachmentSchema, FetchedMedia, InboundMessageEvent } from '@ventanilla/connectors/core';
import type { LoadedChannel } from '../../hub/src/channels/channel-store.js';
import { FileStore } from '../../hub/src/files/file-store.js';
import { ingestMessage } from '../../hub/src/ingest/ingest-message.usecase.js';
import { MEDIA_TOO_LARGE_CAPTION, resolveInboundMedia, type InboundMediaDeps } from '../../hub/src/ingest/resolve-inbound-media.js';
import { createApiChannel, createCampaign } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { loaded, testAdapter } from './messaging-support.js';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\u0000'), Buffer.alloc(3000, 7)]);
const MAX_BYTES = 64 * 1024;

/**
 * Issue 6 item 2: media a provider gives only by reference (a WhatsApp media id) is downloaded
 * with the adapter's fetchMedia and stored before the message, under an id stable across
 * retries; too large is kept as a marked attachment; a download error fails the job (retried).
 */
describe('inbound media by reference', () => {
  let hub: TestHub;
  let dataDir: string;
  let deps: InboundMediaDeps;
  let channel: LoadedChannel;
  const calls: string[] = [];
  const media = new Map<string, FetchedMedia | null | Error>();

  beforeAll(async () => {
    hub = await createTestHub();
    dataDir = await mkdtemp(join(tmpdir(), 'ventanilla-media-'));
    deps = { db: hub.ctx.db.kysely, store: new FileStore(dataDir), fetch, maxBytes: MAX_BYTES };
    const campaign = await createCampaign(deps.db, { prefix: 'MED' });
    const { channel: row } = await createApiChannel(deps.db, campaign.id);
    const adapter = testAdapter(
      {},
      {
        async fetchMedia(ref, _settings, _secrets, context) {
          calls.push(`${ref}@${context.maxBytes}@${context.channelId === channel.row.id}`);
          const answer = media.get(ref);
          if (answer instanceof Error) throw answer;
          return answer ?? null;
        },
      },
    );
    channel = loaded(row, adapter, {});
  });

  afterAll(async () => {
    await hub?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const imageEvent = (id: string, attachments: z.infer<typeof attachmentSchema>[]): InboundMessageEvent => ({
    type: 'message',
    providerMessageId: id,
    occurredAt: new Date().toISOString(),
    contact: { phone: '+525512340000' },
    content: { type: 'image', text: 'Mi INE', attachments },
  });

  it('downloads, stores and links the media; a retry finds the file instead of downloading again', async () => {
    media.set('wa-media-1', { content: JPEG, mimeType: 'image/jpeg' });
    const event = imageEvent('wamid.1', [{ mediaRef: 'wa-media-1', mimeType: 'image/jpeg', caption: 'Mi INE' }]);
    const resolved = await resolveInboundMedia(deps, channel, event);
    const attachment = resolved.content.type === 'image' ? resolved.content.attachments[0] : undefined;
    expect(attachment).toMatchObject({ mediaRef: 'wa-media-1', fileId: expect.any(String), filename: 'media-0.jpg', mimeType: 'image/jpeg', size: JPEG.length, caption: 'Mi INE' });
    expect(calls).toEqual([`wa-media-1@${MAX_BYTES}@true`]);

    const file = await deps.db.selectFrom('files').selectAll().where('id', '=', attachment!.fileId!).executeTakeFirstOrThrow();
    expect(file).toMatchObject({ channel_id: channel.row.id, source: 'contact', conversation_id: null, mime_type: 'image/jpeg', size: JPEG.length });
    const stream = await deps.store.open(file.storage_key);
    const chunks: Buffer[] = [];
    for await (const chunk of stream!) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).equals(JPEG)).toBe(true);

    const again = await resolveInboundMedia(deps, channel, event);
    expect(again).toEqual(resolved);
    expect(calls).toHaveLength(1);
    const count = await deps.db.selectFrom('files').select(deps.db.fn.countAll<string>().as('n')).where('channel_id', '=', channel.row.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);

    // Ingest links the stored file to the conversation the message lands in.
    const stored = await ingestMessage(deps.db, channel, resolved);
    expect(stored.outcome).toBe('stored');
    const linked = await deps.db.selectFrom('files').select('conversation_id').where('id', '=', attachment!.fileId!).executeTakeFirstOrThrow();
    expect(stored.outcome === 'stored' && linked.conversation_id).toBe(stored.outcome === 'stored' ? stored.conversationId : null);
  });

  it('keeps too-large media as a marked attachment without a file, and other attachments as they are', async () => {
    media.set('wa-huge', null);
    media.set('wa-liar', { content: Buffer.alloc(MAX_BYTES + 1, 1), mimeType: 'video/mp4' });
    const event = imageEvent('wamid.2', [{ mediaRef: 'wa-huge', mimeType: 'video/mp4' }, { url: 'https://example.mx/a.jpg' }, { mediaRef: 'wa-liar' }]);
    const resolved = await resolveInboundMedia(deps, channel, event);
    expect(resolved.content.type === 'image' && resolved.content.attachments).toEqual([
      { mediaRef: 'wa-huge', mimeType: 'video/mp4', caption: MEDIA_TOO_LARGE_CAPTION },
      { url: 'https://example.mx/a.jpg' },
      { mediaRef: 'wa-liar', caption: MEDIA_TOO_LARGE_CAPTION },
    ]);
    expect(MEDIA_TOO_LARGE_CAPTION).toBe('(archivo demasiado grande: no se descargó)');
  });

  it('a download error fails the resolution (the job retries) and stores nothing', async () => {
    media.set('wa-down', new Error('graph api 503'));
    await expect(resolveInboundMedia(deps, channel, imageEvent('wamid.3', [{ mediaRef: 'wa-down' }]))).rejects.toThrow('graph api 503');
    const count = await deps.db.selectFrom('files').select(deps.db.fn.countAll<string>().as('n')).where('channel_id', '=', channel.row.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('leaves events alone when there is nothing to fetch or the adapter cannot fetch', async () => {
    const text: InboundMessageEvent = { type: 'message', providerMessageId: 't', occurredAt: new Date().toISOString(), contact: { phone: '+525500000000' }, content: { type: 'text', text: 'hola' } };
    expect(await resolveInboundMedia(deps, channel, text)).toBe(text);
    const noFetch = { ...channel, adapter: testAdapter({}) };
    const event = imageEvent('wamid.4', [{ mediaRef: 'wa-media-1' }]);
    expect(await resolveInboundMedia(deps, noFetch, event)).toBe(event);
  });
});
