import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessageEvent } from '@ventanilla/connectors/core';
import type { LoadedChannel } from '../../hub/src/channels/channel-store.js';
import { handleFetchedEmail } from '../../hub/src/email/handle-fetched-email.usecase.js';
import { loadEmailChannel } from '../../hub/src/email/email-channel.js';
import { FileStore } from '../../hub/src/files/file-store.js';
import { MEDIA_TOO_LARGE_CAPTION, resolveInboundMedia } from '../../hub/src/ingest/resolve-inbound-media.js';
import { createProcedure, freshIp, officeStaff, openPortalCase, PDF_BYTES, PNG_BYTES, upload as portalUpload, type Staff } from '../appointments/procedures/procedure-fixtures.js';
import { rawMail } from '../email/email-harness.js';
import { startWhatsAppHarness, type WhatsAppHarness } from '../harness/whatsapp/index.js';
import { citizenWrites, loaded, testAdapter } from '../messaging/messaging-support.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createApiChannel, createUser } from '../support/factories.js';
import { createEmailChannel } from '../support/mail-servers.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createWebchatChannel, ORIGIN, startVisitor } from '../webchat/widget-harness.js';

/**
 * Issue 12: every way bytes enter DATA_DIR enforces a size limit and a content-checked type list,
 * and every way they leave is an authorised download a browser will neither render as a page of
 * ours nor run: attachment, nosniff, a safe type, a sandboxing policy.
 */
const LIMIT = 4096;
const HTML = Buffer.from('<!doctype html><html><body><script>fetch("/api/v1/me")</script></body></html>');
const SVG = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>');
/** Valid PNG signature and chunks, then a page: a PNG to a magic-number check, HTML to a sniffer. */
const PNG_POLYGLOT = Buffer.concat([PNG_BYTES, Buffer.from('<html><script>alert(1)</script></html>')]);
const GIF_POLYGLOT = Buffer.from('GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;<script>alert(1)</script>', 'latin1');
const PDF_POLYGLOT = Buffer.concat([Buffer.from('%PDF-1.4\n%<html><body><iframe src="javascript:alert(1)"></iframe>\n'), PDF_BYTES]);
const OVERSIZED_PNG = Buffer.concat([PNG_BYTES, Buffer.alloc(LIMIT * 2, 1)]);
const FILE_CSP = "default-src 'none'; sandbox";

let h: TestHub;
let dataDir: string;
let campaignId: string;
let agentToken: string;
let conversationId: string;
const portal: { staff?: Staff } = {};

function multipart(parts: { name: string; value?: string; file?: { filename: string; type: string; bytes: Buffer } }[]): { payload: Buffer; contentType: string } {
  const boundary = `----hygiene${randomUUID().replaceAll('-', '')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.file ? `form-data; name="${part.name}"; filename="${part.file.filename}"` : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.file ? `Content-Type: ${part.file.type}\r\n` : ''}\r\n`));
    chunks.push(part.file ? part.file.bytes : Buffer.from(part.value ?? ''), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function filesOnDisk(): Promise<string[]> {
  const entries = await readdir(join(dataDir, 'files'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

function download(fileId: string, query = '') {
  return h.app.inject({ method: 'GET', url: `/api/v1/files/${fileId}${query}`, headers: bearer(agentToken) });
}

/** What every file response must carry, whatever the bytes. */
function expectSafeDownload(res: { statusCode: number; headers: Record<string, unknown> }, type: string, disposition: 'attachment' | 'inline' = 'attachment') {
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe(type);
  expect(String(res.headers['content-disposition'])).toMatch(new RegExp(`^${disposition}; filename=`));
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['content-security-policy']).toBe(FILE_CSP);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ventanilla-hygiene-'));
  h = await createTestHub({ DATA_DIR: dataDir, FILE_MAX_BYTES: String(LIMIT), INBOUND_MEDIA_MAX_BYTES: String(LIMIT) });
  const staff: Staff = await officeStaff(h.ctx.db.kysely);
  campaignId = staff.campaignId;
  const db = h.ctx.db.kysely;
  const agent = await createUser(db, { roles: ['agent'], campaignIds: [campaignId] });
  agentToken = await tokenFor(db, agent.id);
  const { channel } = await createApiChannel(db, campaignId);
  conversationId = (await citizenWrites(db, loaded(channel, testAdapter({}), {}), `hyg-${randomUUID()}`, '+525571000001')).conversationId;
  portal.staff = staff;
});

afterAll(async () => {
  await h?.cleanup();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('agent upload (POST /api/v1/conversations/:id/files)', () => {
  const send = (file: { filename: string; type: string; bytes: Buffer }) => {
    const { payload, contentType } = multipart([{ name: 'file', file }]);
    return h.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/files`, headers: { ...bearer(agentToken), 'content-type': contentType }, payload });
  };

  it('refuses HTML named .png, SVG with a script (as SVG and as .txt), polyglots (415) and an oversized file (413); keeps nothing', async () => {
    const before = await filesOnDisk();
    const refused = [
      { filename: 'foto.png', type: 'image/png', bytes: HTML },
      { filename: 'foto.png', type: 'application/octet-stream', bytes: HTML },
      { filename: 'logo.svg', type: 'image/svg+xml', bytes: SVG },
      { filename: 'logo.txt', type: 'text/plain', bytes: SVG },
      { filename: 'nota.txt', type: 'text/plain', bytes: HTML },
      { filename: 'foto.png', type: 'image/png', bytes: PNG_POLYGLOT },
      { filename: 'anim.gif', type: 'image/gif', bytes: GIF_POLYGLOT },
      { filename: 'acta.pdf', type: 'application/pdf', bytes: PDF_POLYGLOT },
    ];
    for (const file of refused) {
      const res = await send(file);
      expect(res.statusCode, `${file.filename} as ${file.type}`).toBe(415);
      expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_FILE_TYPE_NOT_ALLOWED' } });
    }
    const big = await send({ filename: 'grande.png', type: 'image/png', bytes: OVERSIZED_PNG });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: { code: 'HUB_ERR_FILE_TOO_LARGE' } });
    expect(await filesOnDisk()).toEqual(before);
  });

  it('keeps a real PNG and serves it as a download with nosniff and the sandbox policy; inline only when asked', async () => {
    const res = await send({ filename: 'captura.png', type: 'image/png', bytes: PNG_BYTES });
    expect(res.statusCode, res.body).toBe(201);
    const { file } = res.json<{ file: { id: string; previewUrl: string } }>();
    const attachment = await download(file.id);
    expectSafeDownload(attachment, 'image/png');
    expect(attachment.rawPayload.equals(PNG_BYTES)).toBe(true);
    expectSafeDownload(await download(file.id, '?inline=1'), 'image/png', 'inline');
    // Without a credential the bytes are not served, and no static mount exposes DATA_DIR.
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/files/${file.id}` })).statusCode).toBe(401);
    const key = (await h.ctx.db.kysely.selectFrom('files').select('storage_key').where('id', '=', file.id).executeTakeFirstOrThrow()).storage_key;
    for (const url of [`/${key}`, `/assets/${key}`, `/assets/../${key}`, `/data/${key}`, `/files/${file.id}`]) {
      const probe = await h.app.inject({ method: 'GET', url });
      expect(probe.rawPayload.equals(PNG_BYTES), url).toBe(false);
    }
  });
});

describe('widget upload (POST /widget/v1/files)', () => {
  it('refuses HTML named .png, SVG as .txt, a PNG polyglot (415) and a file over the channel limit (413)', async () => {
    const channel = await createWebchatChannel(h.ctx.db.kysely, campaignId, { attachments: { enabled: true, maxBytes: 2048, accept: ['image/png', 'application/pdf', 'text/plain'] } });
    const visitor = await startVisitor(h.app, channel.id);
    const send = (file: { filename: string; type: string; bytes: Buffer }) => {
      const { payload, contentType } = multipart([{ name: 'file', file }, { name: 'clientMessageId', value: randomUUID() }]);
      return h.app.inject({ method: 'POST', url: '/widget/v1/files', headers: { origin: ORIGIN, authorization: `Bearer ${visitor.visitorToken}`, 'content-type': contentType }, payload });
    };
    const before = await filesOnDisk();
    for (const file of [
      { filename: 'foto.png', type: 'image/png', bytes: HTML },
      { filename: 'dibujo.txt', type: 'text/plain', bytes: SVG },
      { filename: 'foto.png', type: 'image/png', bytes: PNG_POLYGLOT },
      { filename: 'acta.pdf', type: 'application/pdf', bytes: PDF_POLYGLOT },
    ]) {
      const res = await send(file);
      expect(res.statusCode, `${file.filename} as ${file.type}`).toBe(415);
    }
    const big = await send({ filename: 'grande.png', type: 'image/png', bytes: OVERSIZED_PNG });
    expect(big.statusCode).toBe(413);
    expect(await filesOnDisk()).toEqual(before);
    expect((await send({ filename: 'ok.png', type: 'image/png', bytes: PNG_BYTES })).statusCode).toBe(202);
  });
});

describe('e-mail attachments (handleFetchedEmail)', () => {
  it('stores what it cannot vouch for as application/octet-stream, drops oversized parts, and only ever serves them as downloads', async () => {
    const row = await createEmailChannel(h.ctx.db.kysely, campaignId, {
      address: 'tramites@example.gob.mx',
      imap: { port: 1, user: 'x', password: 'x' },
      smtp: { port: 1 },
      maxAttachmentBytes: LIMIT,
    });
    const email = await loadEmailChannel(h.ctx, row.id);
    if (!email) throw new Error('the e-mail channel did not load');
    const mail = rawMail({
      from: 'Ana <ana@example.mx>',
      to: 'tramites@example.gob.mx',
      subject: 'Documentos',
      text: 'Adjunto mis documentos',
      messageId: `<${randomUUID()}@example.mx>`,
      attachments: [
        { filename: 'foto.png', contentType: 'image/png', content: HTML },
        { filename: 'logo.svg', contentType: 'image/svg+xml', content: SVG },
        { filename: 'foto2.png', contentType: 'image/png', content: PNG_POLYGLOT },
        { filename: 'ine.jpg', contentType: 'image/jpeg', content: PNG_BYTES },
        { filename: 'grande.pdf', contentType: 'application/pdf', content: Buffer.concat([PDF_BYTES, Buffer.alloc(LIMIT, 0x20)]) },
      ],
    });
    const outcome = await handleFetchedEmail(h.ctx, email, { uid: 7, uidValidity: 1n, source: Buffer.from(mail) });
    expect(outcome).toBe('message');

    const files = await h.ctx.db.kysely.selectFrom('files').select(['id', 'filename', 'mime_type', 'source']).where('channel_id', '=', row.id).execute();
    const byName = new Map(files.map((f) => [f.filename, f]));
    expect(byName.get('foto.png')?.mime_type).toBe('application/octet-stream');
    expect(byName.get('logo.svg')?.mime_type).toBe('application/octet-stream');
    expect(byName.get('foto2.png')?.mime_type).toBe('application/octet-stream');
    // Mislabelled by the mail client: the content decides.
    expect(byName.get('ine.jpg')?.mime_type).toBe('image/png');
    expect(byName.has('grande.pdf')).toBe(false);
    const raw = files.find((f) => f.source === 'system');
    expect(raw?.mime_type).toBe('message/rfc822');

    for (const name of ['foto.png', 'logo.svg', 'foto2.png']) {
      // Even asked for inline, an unvouched file is a download of opaque bytes.
      expectSafeDownload(await download(byName.get(name)!.id, '?inline=1'), 'application/octet-stream');
    }
    // The original mail keeps its type for the agent's mail program, but only ever as a download (never inline, sandboxed).
    expectSafeDownload(await download(raw!.id, '?inline=1'), 'message/rfc822');
  });
});

describe('portal documents (POST /portal/v1/cases/:folio/documents/:requirement)', () => {
  it('refuses HTML named .pdf, a PDF polyglot (415) and a document over its requirement limit (413); staff download carries the headers', async () => {
    const staff = portal.staff!;
    await createProcedure(h, staff, 'alta-vehiculo');
    const { folio, officialId } = await openPortalCase(h, 'alta-vehiculo');
    const before = await filesOnDisk();
    const html = await portalUpload(h, folio, officialId, 'ine', { filename: 'ine.pdf', type: 'application/pdf', bytes: HTML });
    expect(html.statusCode).toBe(415);
    const polyglot = await portalUpload(h, folio, officialId, 'ine', { filename: 'ine.pdf', type: 'application/pdf', bytes: PDF_POLYGLOT });
    expect(polyglot.statusCode).toBe(415);
    const svg = await portalUpload(h, folio, officialId, 'foto', { filename: 'foto.png', type: 'image/png', bytes: SVG });
    expect(svg.statusCode).toBe(415);
    // The INE requirement takes 2 KiB at most.
    const big = await portalUpload(h, folio, officialId, 'ine', { filename: 'ine.pdf', type: 'application/pdf', bytes: Buffer.concat([PDF_BYTES, Buffer.alloc(4096, 0x20)]) });
    expect(big.statusCode).toBe(413);
    expect(await filesOnDisk()).toEqual(before);

    const ok = await portalUpload(h, folio, officialId, 'ine', { filename: 'ine.pdf', type: 'application/pdf', bytes: PDF_BYTES });
    expect(ok.statusCode, ok.body).toBeLessThan(300);
    const doc = await h.ctx.db.kysely
      .selectFrom('appointment_case_documents as d')
      .innerJoin('appointment_cases as c', 'c.id', 'd.case_id')
      .select(['d.id', 'd.case_id', 'd.reviewer_id'])
      .where('c.folio', '=', folio)
      .executeTakeFirstOrThrow();
    const res = await h.app.inject({
      method: 'GET',
      url: `/api/v1/appointments/campaigns/${staff.campaignId}/cases/${doc.case_id}/documents/${doc.id}/file`,
      headers: { ...staff.supervisor.auth, 'x-forwarded-for': freshIp() },
    });
    expectSafeDownload(res, 'application/pdf');
    expect(res.rawPayload.equals(PDF_BYTES)).toBe(true);
  });
});

describe('connector media (WhatsApp Graph API double → resolveInboundMedia)', () => {
  let meta: WhatsAppHarness;
  let channel: LoadedChannel;
  beforeAll(async () => {
    meta = await startWhatsAppHarness();
    const admin = await tokenFor(h.ctx.db.kysely, (await createUser(h.ctx.db.kysely, { roles: ['admin'] })).id);
    const created = await h.app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${campaignId}/channels`,
      headers: bearer(admin),
      payload: { kind: 'whatsapp', name: 'WhatsApp', settings: { phoneNumberId: meta.phoneNumberId, graphBaseUrl: meta.baseUrl }, secrets: { accessToken: meta.accessToken, appSecret: 'app-secret-hygiene', verifyToken: 'verify-hygiene' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const got = await h.ctx.channels.get(created.json<{ id: string }>().id);
    if (!got) throw new Error('the WhatsApp channel did not load');
    channel = got;
  });
  afterAll(async () => {
    await meta?.stop();
  });

  const event = (mediaRef: string, mimeType: string): InboundMessageEvent => ({
    type: 'message',
    providerMessageId: `wamid.${randomUUID()}`,
    occurredAt: new Date().toISOString(),
    contact: { phone: '+525512340099' },
    content: { type: 'image', attachments: [{ mediaRef, mimeType }] },
  });
  const resolve = (e: InboundMessageEvent) => resolveInboundMedia({ db: h.ctx.db.kysely, store: new FileStore(dataDir), fetch, maxBytes: LIMIT }, channel, e);
  const first = (e: InboundMessageEvent) => (e.content.type === 'image' ? e.content.attachments[0] : undefined);

  it('stores HTML, SVG and polyglots sent as images as opaque downloads; keeps a real PNG as image/png', async () => {
    for (const bytes of [HTML, SVG, PNG_POLYGLOT, GIF_POLYGLOT]) {
      const attachment = first(await resolve(event(meta.addMedia(bytes, 'image/png'), 'image/png')));
      expect(attachment?.fileId).toBeDefined();
      expect(attachment?.mimeType).toBe('application/octet-stream');
      expectSafeDownload(await download(attachment!.fileId!, '?inline=1'), 'application/octet-stream');
    }
    const png = first(await resolve(event(meta.addMedia(PNG_BYTES, 'image/jpeg'), 'image/jpeg')));
    expect(png?.mimeType).toBe('image/png');
    expectSafeDownload(await download(png!.fileId!), 'image/png');
  });

  it('does not store media over INBOUND_MEDIA_MAX_BYTES, declared or understated', async () => {
    for (const declaredSize of [OVERSIZED_PNG.length, 100]) {
      const mediaRef = meta.addMedia(OVERSIZED_PNG, 'image/png', { declaredSize });
      const attachment = first(await resolve(event(mediaRef, 'image/png')));
      expect(attachment?.fileId).toBeUndefined();
      expect(attachment?.caption).toBe(MEDIA_TOO_LARGE_CAPTION);
    }
  });
});
