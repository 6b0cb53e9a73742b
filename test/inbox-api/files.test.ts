import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileView, MessageView, TimelineItem } from '@ventanilla/hub';
import { signFileToken } from '../../hub/src/files/file-token.js';
import { createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { TEST_JWT_SECRET } from '../support/test-context.js';
import { createInboxCampaign, startInboxHub, type InboxCampaign, type InboxHub } from './inbox-harness.js';

const MAX_BYTES = 64 * 1024;
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-fake-but-well-started')]);
const PDF_NAME = 'Acta de nacimiento — José.pdf';

/**
 * Issue 4: agents attach files to a conversation (stored under DATA_DIR, limited in size and
 * type), download them with their original name, preview images and PDF through a short-lived
 * signed link, and send them to the citizen: the channel's callback gets a URL that downloads
 * the same bytes.
 */
describe('conversation files', () => {
  let h: InboxHub;
  let campaign: InboxCampaign;
  let conversation: { id: string; folio: string };
  let otherConversation: { id: string; folio: string };
  let agentToken: string;
  let agentId: string;
  let auditorToken: string;
  let otherAgentToken: string;
  let otherAgentId: string;
  let pdf: FileView;
  let png: FileView;

  beforeAll(async () => {
    h = await startInboxHub({ FILE_MAX_BYTES: String(MAX_BYTES) });
    campaign = await createInboxCampaign(h, 'FIL');
    const other = await createInboxCampaign(h, 'FIX');
    const agent = await createUser(h.db, { roles: ['agent'], campaignIds: [campaign.id], name: 'Laura Méndez' });
    agentId = agent.id;
    agentToken = await tokenFor(h.db, agent.id);
    auditorToken = await tokenFor(h.db, (await createUser(h.db, { roles: ['auditor'], campaignIds: [campaign.id] })).id);
    const otherAgent = await createUser(h.db, { roles: ['agent'], campaignIds: [other.id] });
    otherAgentId = otherAgent.id;
    otherAgentToken = await tokenFor(h.db, otherAgent.id);
    conversation = await campaign.citizenWrites('+52 55 7100 0001');
    otherConversation = await campaign.citizenWrites('+52 55 7100 0002');
  });

  afterAll(async () => {
    await h?.cleanup();
  });

  async function upload(conversationId: string, file: { name: string; type: string; bytes: Buffer } | null, token = agentToken, field = 'file') {
    const form = new FormData();
    if (file) form.append(field, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    else form.append('comment', 'sin archivo');
    const res = await fetch(`${h.url}/api/v1/conversations/${conversationId}/files`, { method: 'POST', headers: bearer(token), body: form });
    return { status: res.status, body: (await res.json()) as { file: FileView; error?: { code: string; message: string } } };
  }

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${h.url}${path}`, { headers });

  async function storedFiles(): Promise<string[]> {
    try {
      const entries = await readdir(join(h.dataDir, 'files'), { recursive: true, withFileTypes: true });
      return entries.filter((e) => e.isFile()).map((e) => e.name);
    } catch {
      return [];
    }
  }

  it('uploads a PDF with a non-ASCII name: 201 with the file, its bytes on disk under DATA_DIR/files/yyyy/mm', async () => {
    const res = await upload(conversation.id, { name: PDF_NAME, type: 'application/pdf', bytes: PDF });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    pdf = res.body.file;
    expect(pdf).toMatchObject({ conversationId: conversation.id, filename: PDF_NAME, mimeType: 'application/pdf', size: PDF.length, url: `/api/v1/files/${pdf.id}` });
    expect(pdf.previewUrl).toMatch(new RegExp(`^/api/v1/files/${pdf.id}\\?inline=1&token=`));
    const row = await h.db.selectFrom('files').selectAll().where('id', '=', pdf.id).executeTakeFirstOrThrow();
    const now = new Date();
    expect(row).toMatchObject({
      campaign_id: campaign.id,
      uploaded_by: agentId,
      sha256: createHash('sha256').update(PDF).digest('hex'),
      storage_key: `files/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${pdf.id}`,
    });
    expect(await storedFiles()).toEqual([pdf.id]);
    const event = await h.db.selectFrom('interaction_events').selectAll().where('type', '=', 'file.uploaded').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ conversation_id: conversation.id, actor_id: agentId, payload: { fileId: pdf.id, mimeType: 'application/pdf', size: PDF.length } });

    // A browser that sends a generic type: the extension decides, the bytes confirm.
    const image = await upload(conversation.id, { name: 'captura.png', type: 'application/octet-stream', bytes: PNG });
    expect(image.status).toBe(201);
    png = image.body.file;
    expect(png.mimeType).toBe('image/png');
  });

  it('downloads with the bearer header: the bytes, the type and the original name', async () => {
    const res = await get(pdf.url, bearer(agentToken));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Acta de nacimiento _ Jose.pdf"; filename*=UTF-8''Acta%20de%20nacimiento%20%E2%80%94%20Jos%C3%A9.pdf`,
    );
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    // An auditor of the campaign reads files too.
    expect((await get(pdf.url, bearer(auditorToken))).status).toBe(200);
  });

  it('previews inline through the signed link, without any header', async () => {
    const res = await get(pdf.previewUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^inline; filename=/);
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    const image = await get(png.previewUrl);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline; /);
  });

  it('refuses expired, forged or borrowed links (401), other campaigns (403), and no credentials (401)', async () => {
    const token = new URL(pdf.previewUrl, h.url).searchParams.get('token')!;
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const expired = signFileToken(TEST_JWT_SECRET, { fileId: pdf.id, purpose: 'preview', userId: agentId, now: Date.now() - 11 * 60_000 });
    const wrongSecret = signFileToken(`${TEST_JWT_SECRET}-not-ours`, { fileId: pdf.id, purpose: 'preview', userId: agentId });
    for (const bad of [forged, expired, wrongSecret, 'garbage']) {
      const res = await get(`${pdf.url}?inline=1&token=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('HUB_ERR_AUTH_TOKEN_INVALID');
    }
    // A link is bound to its file.
    expect((await get(`${png.url}?token=${encodeURIComponent(token)}`)).status).toBe(401);
    // Another campaign: with the bearer header, and with a link issued to that user.
    const other = await get(pdf.url, bearer(otherAgentToken));
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    const borrowed = signFileToken(TEST_JWT_SECRET, { fileId: pdf.id, purpose: 'preview', userId: otherAgentId });
    expect((await get(`${pdf.url}?token=${borrowed}`)).status).toBe(403);
    expect((await get(pdf.url)).status).toBe(401);
    expect((await get(pdf.url, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await get('/api/v1/files/00000000-0000-4000-8000-000000000000', bearer(agentToken))).status).toBe(404);
  });

  it('refuses a file over FILE_MAX_BYTES with 413 and keeps nothing', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_BYTES, 7)]);
    const res = await upload(conversation.id, { name: 'enorme.png', type: 'image/png', bytes: big });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'HUB_ERR_FILE_TOO_LARGE', message: expect.stringContaining('0.1 MiB') });
    expect((await storedFiles()).sort()).toEqual([pdf.id, png.id].sort());
    expect(await h.db.selectFrom('files').select('id').where('filename', '=', 'enorme.png').execute()).toEqual([]);
  });

  it('refuses other types with 415 and a bilingual message, and content that lies about its type', async () => {
    const html = await upload(conversation.id, { name: 'pagina.html', type: 'text/html', bytes: Buffer.from('<script>alert(1)</script>') });
    expect(html.status).toBe(415);
    expect(html.body.error).toMatchObject({ code: 'HUB_ERR_FILE_TYPE_NOT_ALLOWED', message: expect.stringMatching(/no permitido.*\/ file type not allowed/) });
    const exe = await upload(conversation.id, { name: 'programa.exe', type: 'application/x-msdownload', bytes: Buffer.from('MZ\x90\x00', 'latin1') });
    expect(exe.status).toBe(415);
    const fake = await upload(conversation.id, { name: 'foto.png', type: 'image/png', bytes: Buffer.from('<html><body>not a png</body></html>') });
    expect(fake.status).toBe(415);
    expect(fake.body.error?.message).toMatch(/no corresponde a su tipo \(image\/png\) \/ the file content does not match/);
    expect((await storedFiles()).sort()).toEqual([pdf.id, png.id].sort());
  });

  it('checks role and campaign before storing, and wants a multipart part named file', async () => {
    // Big enough not to fit in socket buffers: a refused upload must still be answered promptly.
    const file = { name: 'a.txt', type: 'text/plain', bytes: Buffer.alloc(MAX_BYTES - 1024, 0x61) };
    expect((await upload(conversation.id, file, auditorToken)).body.error?.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    expect((await upload(conversation.id, { ...file, bytes: Buffer.alloc(MAX_BYTES * 8, 0x61) }, otherAgentToken)).body.error?.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    expect((await upload(conversation.id, file, otherAgentToken)).body.error?.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    expect((await upload('00000000-0000-4000-8000-000000000000', file)).body.error?.code).toBe('HUB_ERR_CONVERSATION_NOT_FOUND');
    expect((await upload(conversation.id, null)).body.error?.code).toBe('HUB_ERR_FILE_MISSING');
    expect((await upload(conversation.id, file, agentToken, 'documento')).body.error?.code).toBe('HUB_ERR_FILE_MISSING');
    const json = await h.api('POST', `/conversations/${conversation.id}/files`, agentToken, { file: 'x' });
    expect(json.status).toBe(415);
    expect((await storedFiles()).sort()).toEqual([pdf.id, png.id].sort());
  });

  it('a reply with files reaches the channel callback with URL and name, and that URL downloads the bytes', async () => {
    const reply = await h.api('POST', `/conversations/${conversation.id}/messages`, agentToken, { text: 'Le comparto su acta', fileIds: [pdf.id, png.id] });
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    const message = reply.body['message'] as MessageView;
    expect(message).toMatchObject({ contentType: 'file', text: 'Le comparto su acta', status: 'pending' });
    expect(message.attachments).toHaveLength(2);
    expect(message.attachments[0]).toMatchObject({ filename: PDF_NAME, mimeType: 'application/pdf', size: PDF.length });
    expect(message.attachments[0]!.url).toMatch(new RegExp(`^${h.url}/api/v1/files/${pdf.id}\\?token=c\\.`));

    await expect.poll(() => h.calls.filter((c) => c.body.conversationId === conversation.id).length, { timeout: 10_000 }).toBe(1);
    const call = h.calls.find((c) => c.body.conversationId === conversation.id)!;
    expect(call.signatureOk).toBe(true);
    expect(call.body.content).toMatchObject({ type: 'file', text: 'Le comparto su acta' });
    expect(call.body.content.attachments?.map((a) => [a.filename, a.mimeType, a.size])).toEqual([
      [PDF_NAME, 'application/pdf', PDF.length],
      ['captura.png', 'image/png', PNG.length],
    ]);
    // The provider fetches the file with no header at all, days later if need be.
    const download = await fetch(call.body.content.attachments![0]!.url!);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain("filename*=UTF-8''Acta%20de%20nacimiento%20%E2%80%94%20Jos%C3%A9.pdf");
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    await expect
      .poll(async () => (await h.db.selectFrom('messages').select('status').where('id', '=', message.id).executeTakeFirstOrThrow()).status, { timeout: 10_000 })
      .toBe('sent');

    // An image first makes it an image message; files only, no text, is fine.
    const imageOnly = await h.api('POST', `/conversations/${conversation.id}/messages`, agentToken, { fileIds: [png.id] });
    expect(imageOnly.status).toBe(202);
    expect(imageOnly.body['message']).toMatchObject({ contentType: 'image', text: null });
    await expect.poll(() => h.calls.filter((c) => c.body.conversationId === conversation.id).length, { timeout: 10_000 }).toBe(2);
    expect(h.calls.filter((c) => c.body.conversationId === conversation.id)[1]!.body.content).toMatchObject({ type: 'image', attachments: [{ filename: 'captura.png' }] });
  });

  it('a reply may only carry files of its own conversation, and needs text or a file', async () => {
    const foreign = await h.api('POST', `/conversations/${otherConversation.id}/messages`, agentToken, { text: 'hola', fileIds: [pdf.id] });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ error: { code: 'HUB_ERR_FILE_NOT_IN_CONVERSATION', details: { fileIds: [pdf.id] } } });
    const unknown = await h.api('POST', `/conversations/${conversation.id}/messages`, agentToken, { fileIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknown.body).toMatchObject({ error: { code: 'HUB_ERR_FILE_NOT_IN_CONVERSATION' } });
    expect((await h.api('POST', `/conversations/${conversation.id}/messages`, agentToken, {})).status).toBe(400);
    expect((await h.api('POST', `/conversations/${conversation.id}/messages`, agentToken, { fileIds: [] })).status).toBe(400);
    const tooMany = Array.from({ length: 11 }, () => pdf.id);
    expect((await h.api('POST', `/conversations/${conversation.id}/messages`, agentToken, { fileIds: tooMany })).status).toBe(400);
    expect(await h.db.selectFrom('messages').select('id').where('conversation_id', '=', otherConversation.id).where('direction', '=', 'outbound').execute()).toEqual([]);
  });

  it('the timeline shows files both ways: the agent’s attachments and a citizen’s file sent by URL', async () => {
    await campaign.citizenWrites('+52 55 7100 0001', {
      type: 'image',
      text: 'Aquí está mi INE',
      attachments: [{ url: 'https://portal.example.mx/media/ine-frente.jpg', filename: 'INE frente.jpg', mimeType: 'image/jpeg', size: 48_213 }],
    });
    const res = await h.api('GET', `/conversations/${conversation.id}/timeline`, agentToken);
    const messages = (res.body['items'] as TimelineItem[]).flatMap((i) => (i.kind === 'message' ? [i.message] : []));
    const withFiles = messages.filter((m) => m.attachments.length > 0);
    expect(withFiles.map((m) => [m.direction, m.contentType, m.attachments.map((a) => a.filename)])).toEqual([
      ['outbound', 'file', [PDF_NAME, 'captura.png']],
      ['outbound', 'image', ['captura.png']],
      ['inbound', 'image', ['INE frente.jpg']],
    ]);
    expect(withFiles[2]!.attachments[0]).toMatchObject({ url: 'https://portal.example.mx/media/ine-frente.jpg', mimeType: 'image/jpeg', size: 48_213 });
  });
});
