import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '../../hub/src/workers/start-workers.js';
import type { WidgetSessionState } from '../../hub/src/webchat/widget.contract.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createWebchatChannel, ORIGIN, startVisitor, waitFor, widgetCall } from './widget-harness.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-fake-but-well-started')]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n', 'latin1'), Buffer.alloc(600, 0x20), Buffer.from('\n%%EOF\n')]);
const GIF = Buffer.from('GIF89a-----------');
const HTML = Buffer.from('<html><script>alert(1)</script></html>');

interface Part {
  name: string;
  value?: string;
  file?: { filename: string; type: string; bytes: Buffer };
}

/** A multipart/form-data body as a browser's FormData sends it. */
function multipart(parts: Part[]): { payload: Buffer; contentType: string } {
  const boundary = `----widget${randomUUID().replaceAll('-', '')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.file ? `form-data; name="${part.name}"; filename="${part.file.filename}"` : `form-data; name="${part.name}"`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.file ? `Content-Type: ${part.file.type}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head, 'utf8'), part.file ? part.file.bytes : Buffer.from(part.value ?? '', 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Visitors' attachments (issue 5 item 3): the channel's types and size, checked by content like
 * an agent's upload, stored before their message and linked to the conversation by ingest; a
 * visitor downloads files of their own conversations only.
 */
describe('web chat attachments', () => {
  let h: TestHub;
  let workers: RunningWorkers;
  let dataDir: string;
  let campaignId: string;
  let channelId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ventanilla-widget-'));
    h = await createTestHub({ DATA_DIR: dataDir, OUTBOUND_BACKOFF_MS: '20' });
    workers = startWorkers(h.ctx, { emailReaders: false });
    campaignId = (await createCampaign(h.ctx.db.kysely)).id;
    channelId = (await createWebchatChannel(h.ctx.db.kysely, campaignId, { attachments: { maxBytes: 2048 } })).id;
  });
  afterAll(async () => {
    await workers?.stop();
    await h?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const upload = (token: string, file: Part['file'] | null, clientMessageId: string | null = randomUUID(), fieldFirst = true) => {
    const field: Part[] = clientMessageId === null ? [] : [{ name: 'clientMessageId', value: clientMessageId }];
    const filePart: Part[] = file ? [{ name: 'file', file }] : [];
    const { payload, contentType } = multipart(fieldFirst ? [...field, ...filePart] : [...filePart, ...field]);
    return h.app.inject({
      method: 'POST',
      url: '/widget/v1/files',
      headers: { origin: ORIGIN, authorization: `Bearer ${token}`, 'content-type': contentType },
      payload,
    });
  };
  const fileRows = () => h.ctx.db.kysely.selectFrom('files').select(['id', 'conversation_id']).where('channel_id', '=', channelId).execute();

  it('stores an allowed file, links it to the conversation and lets its visitor — only — download it', async () => {
    const owner = await startVisitor(h.app, channelId);
    const clientMessageId = randomUUID();
    const res = await upload(owner.visitorToken, { filename: 'Acta — José.pdf', type: 'application/pdf', bytes: PDF }, clientMessageId, false);
    expect(res.statusCode).toBe(202);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);

    const state = await waitFor(async () => {
      const s = (await widgetCall(h.app, { url: '/session', token: owner.visitorToken })).json<WidgetSessionState>();
      return s.messages.length > 0 ? s : null;
    }, 'the file message');
    const [message] = state.messages;
    expect(message).toMatchObject({ sender: 'citizen', clientMessageId, attachments: [{ filename: 'Acta — José.pdf', mimeType: 'application/pdf', size: PDF.length }] });
    const fileId = message?.attachments[0]?.fileId ?? '';
    expect(message?.attachments[0]?.url).toBe(`/widget/v1/files/${fileId}`);
    const row = await h.ctx.db.kysely.selectFrom('files').selectAll().where('id', '=', fileId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source: 'contact', channel_id: channelId, uploaded_by: null });
    expect(row.conversation_id).not.toBeNull();

    const download = await widgetCall(h.app, { url: `/files/${fileId}`, token: owner.visitorToken });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="Acta _ Jose.pdf"; filename*=UTF-8''Acta%20%E2%80%94%20Jos%C3%A9.pdf`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');

    const stranger = await startVisitor(h.app, channelId);
    const denied = await widgetCall(h.app, { url: `/files/${fileId}`, token: stranger.visitorToken });
    expect(denied.statusCode).toBe(404);
    expect(denied.json()).toMatchObject({ error: { code: 'HUB_ERR_FILE_NOT_FOUND' } });

    // The agent sees the same file in the inbox, and a file the agent attaches comes back to the visitor.
    const agent = await createUser(h.ctx.db.kysely, { roles: ['agent'], campaignIds: [campaignId] });
    const token = await tokenFor(h.ctx.db.kysely, agent.id);
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/files/${fileId}`, headers: bearer(token) })).statusCode).toBe(200);
    const body = multipart([{ name: 'file', file: { filename: 'constancia.png', type: 'image/png', bytes: PNG } }]);
    const agentUpload = await h.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${row.conversation_id}/files`,
      headers: { ...bearer(token), 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(agentUpload.statusCode).toBe(201);
    const agentFileId = agentUpload.json<{ file: { id: string } }>().file.id;
    const back = await widgetCall(h.app, { url: `/files/${agentFileId}`, token: owner.visitorToken });
    expect(back.statusCode).toBe(200);
    expect(back.rawPayload.equals(PNG)).toBe(true);
    expect((await widgetCall(h.app, { url: `/files/${agentFileId}`, token: stranger.visitorToken })).statusCode).toBe(404);
  });

  it('refuses a file over the channel limit with 413 and keeps nothing', async () => {
    const visitor = await startVisitor(h.app, channelId);
    const before = (await fileRows()).length;
    const res = await upload(visitor.visitorToken, { filename: 'foto.png', type: 'image/png', bytes: Buffer.concat([PNG, Buffer.alloc(4096, 1)]) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_FILE_TOO_LARGE', message: expect.stringContaining('MiB') } });
    expect((await fileRows()).length).toBe(before);
  });

  it('refuses types the channel does not accept and content that lies about its type (415)', async () => {
    const visitor = await startVisitor(h.app, channelId);
    const before = (await fileRows()).length;
    const cases = [
      { filename: 'pagina.html', type: 'text/html', bytes: HTML },
      { filename: 'falso.png', type: 'image/png', bytes: HTML },
      // GIF is a type the hub knows, but not one this channel accepts.
      { filename: 'animacion.gif', type: 'image/gif', bytes: GIF },
    ];
    for (const file of cases) {
      const res = await upload(visitor.visitorToken, file);
      expect(res.statusCode, file.filename).toBe(415);
      expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_FILE_TYPE_NOT_ALLOWED' } });
    }
    expect((await upload(visitor.visitorToken, { filename: 'ok.png', type: 'image/png', bytes: PNG })).statusCode).toBe(202);
    expect((await fileRows()).length).toBe(before + 1);
  });

  it('asks for the file and its client id, and refuses files where the channel takes none', async () => {
    const visitor = await startVisitor(h.app, channelId);
    const before = (await fileRows()).length;
    expect((await upload(visitor.visitorToken, null)).json()).toMatchObject({ error: { code: 'HUB_ERR_FILE_MISSING' } });
    const noId = await upload(visitor.visitorToken, { filename: 'ok.png', type: 'image/png', bytes: PNG }, null);
    expect(noId.statusCode).toBe(400);
    expect((await fileRows()).length).toBe(before);

    const closedChannel = await createWebchatChannel(h.ctx.db.kysely, campaignId, { attachments: { enabled: false } });
    const other = await startVisitor(h.app, closedChannel.id);
    const res = await upload(other.visitorToken, { filename: 'ok.png', type: 'image/png', bytes: PNG });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_WIDGET_ATTACHMENTS_DISABLED' } });
  });
});
