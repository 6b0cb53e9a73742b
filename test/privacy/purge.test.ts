import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../hub/src/files/file-store.js';
import { purgeCampaign } from '../../hub/src/privacy/purge.usecase.js';
import { startPrivacyPurge } from '../../hub/src/privacy/purge.job.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createTestHub, testConfig, type TestHub } from '../support/test-context.js';
import { createChannel, createContact, createConversation } from '../contacts/contact-fixtures.js';
import { insertFile, insertMessage, insertRecording } from './privacy-fixtures.js';

describe('privacy: retention purge job and its certificate', () => {
  let hub: TestHub;
  let dataDir: string;
  let campaignId: string;
  let otherCampaignId: string;
  const tokens = { admin: '', auditorA: '', auditorB: '', agentA: '' };
  const rows = { oldMessage: '', midMessage: '', newMessage: '', otherCampaignOld: '', oldFile: '', oldFilePath: '', newFilePath: '', oldRecording: '', conversationId: '' };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'privacy-purge-'));
    hub = await createTestHub({ DATA_DIR: dataDir });
    const db = hub.ctx.db.kysely;
    const campA = await createCampaign(db);
    const campB = await createCampaign(db);
    campaignId = campA.id;
    otherCampaignId = campB.id;
    const channel = await createChannel(db, campA.id, 'whatsapp', 'WhatsApp');
    const channelB = await createChannel(db, campB.id, 'whatsapp', 'WhatsApp B');
    const contact = await createContact(db, { name: 'Lucía Pérez' });
    const conversation = await createConversation(db, { campaignId: campA.id, channelId: channel.id, contactId: contact.id, closed: true });
    await db.updateTable('conversations').set({ last_message_at: new Date(Date.now() - 300 * 86_400_000) }).where('id', '=', conversation.id).execute();
    const conversationB = await createConversation(db, { campaignId: campB.id, channelId: channelB.id, contactId: contact.id, closed: true });
    rows.conversationId = conversation.id;
    rows.oldMessage = (await insertMessage(db, { conversationId: conversation.id, channelId: channel.id, text: 'mi diagnóstico es diabetes', days: 300 })).id;
    rows.midMessage = (await insertMessage(db, { conversationId: conversation.id, channelId: channel.id, text: 'cita en la UMF 20', days: 60 })).id;
    rows.newMessage = (await insertMessage(db, { conversationId: conversation.id, channelId: channel.id, text: 'gracias', days: 1 })).id;
    rows.otherCampaignOld = (await insertMessage(db, { conversationId: conversationB.id, channelId: channelB.id, text: 'otra campaña', days: 300 })).id;
    const oldFile = await insertFile(db, dataDir, { campaignId: campA.id, conversationId: conversation.id, days: 300 });
    const newFile = await insertFile(db, dataDir, { campaignId: campA.id, conversationId: conversation.id, days: 2 });
    rows.oldFile = oldFile.id;
    rows.oldFilePath = oldFile.path;
    rows.newFilePath = newFile.path;
    rows.oldRecording = await insertRecording(db, { campaignId: campA.id, channelId: channel.id, conversationId: conversation.id, folio: conversation.folio, days: 300 });
    const users = {
      admin: await createUser(db, { roles: ['admin'] }),
      auditorA: await createUser(db, { roles: ['auditor'], campaignIds: [campA.id] }),
      auditorB: await createUser(db, { roles: ['auditor'], campaignIds: [campB.id] }),
      agentA: await createUser(db, { roles: ['agent'], campaignIds: [campA.id] }),
    };
    for (const key of Object.keys(users) as Array<keyof typeof users>) tokens[key] = await tokenFor(db, users[key].id);
  });
  afterAll(async () => {
    await hub?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const message = (id: string) => hub.ctx.db.kysely.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('purges what is past online + archive, archives what is past online, keeps the recent — once, even with two processes at once', async () => {
    const db = hub.ctx.db.kysely;
    const deps = { db, files: new FileStore(dataDir) };
    const actor = { kind: 'job' as const, userId: null, label: 'purge-job@test' };
    const [first, second] = await Promise.all([purgeCampaign(deps, campaignId, new Date(), actor), purgeCampaign(deps, campaignId, new Date(), actor)]);
    const certificates = await db.selectFrom('privacy_purge_certificates').selectAll().where('campaign_id', '=', campaignId).execute();
    expect(certificates).toHaveLength(1);
    expect([first.certificateId, second.certificateId].filter((id) => id !== null)).toEqual([certificates[0]?.id]);

    const old = await message(rows.oldMessage);
    expect(old.text).toBe('[depurado]');
    expect(old.raw).toBeNull();
    expect(old.attachments).toEqual([]);
    const mid = await message(rows.midMessage);
    expect(mid.text).toBe('cita en la UMF 20');
    const fresh = await message(rows.newMessage);
    expect(fresh.text).toBe('gracias');
    expect((await message(rows.otherCampaignOld)).text).toBe('otra campaña');

    const { rows: archived } = await sql<{ id: string; archived: boolean; purged: boolean }>`
      SELECT id, archived_at IS NOT NULL AS archived, purged_at IS NOT NULL AS purged FROM messages
      WHERE id = ANY(${[rows.oldMessage, rows.midMessage, rows.newMessage]}::uuid[])`.execute(db);
    const byId = new Map(archived.map((r) => [r.id, r]));
    expect(byId.get(rows.midMessage)).toMatchObject({ archived: true, purged: false });
    expect(byId.get(rows.newMessage)).toMatchObject({ archived: false, purged: false });
    expect(byId.get(rows.oldMessage)).toMatchObject({ purged: true });

    expect(existsSync(rows.oldFilePath)).toBe(false);
    expect(existsSync(rows.newFilePath)).toBe(true);
    const recording = await db.selectFrom('voice_recordings').selectAll().where('recording_sid', '=', rows.oldRecording).executeTakeFirstOrThrow();
    expect(recording.url).toBeNull();

    const certificate = certificates[0];
    if (!certificate) throw new Error('no certificate');
    expect(certificate.purged_ids).toEqual([`attachments:${rows.oldFile}`, `messages:${rows.oldMessage}`, `recordings:${rows.oldRecording}`].sort());
    const recomputed = createHash('sha256').update([...certificate.purged_ids].sort().join('\n')).digest('hex');
    expect(certificate.purged_ids_sha256).toBe(recomputed);
    expect(certificate.counts).toMatchObject({ messages: { purged: 1, archived: 2 }, attachments: { purged: 1 }, recordings: { purged: 1 } });
    expect(certificate.run_by_label).toBe('purge-job@test');
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'privacy.purge_completed').where('target_id', '=', certificate.id).execute();
    expect(audit).toHaveLength(1);

    const again = await purgeCampaign(deps, campaignId, new Date(), actor);
    expect(again).toMatchObject({ skipped: false, certificateId: null });
    expect(await db.selectFrom('privacy_purge_certificates').select('id').where('campaign_id', '=', campaignId).execute()).toHaveLength(1);
  });

  it('hides archived conversations from the inbox list and refuses to play a purged recording', async () => {
    const list = await hub.app.inject({ method: 'GET', url: '/api/v1/conversations', query: { campaignId }, headers: bearer(tokens.admin) });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((c: { id: string }) => c.id)).not.toContain(rows.conversationId);
    const detail = await hub.app.inject({ method: 'GET', url: `/api/v1/conversations/${rows.conversationId}`, headers: bearer(tokens.admin) });
    expect(detail.statusCode).toBe(200);
    const play = await hub.app.inject({ method: 'GET', url: `/api/v1/voice/recordings/${rows.oldRecording}`, headers: bearer(tokens.admin) });
    expect(play.statusCode).toBe(404);
  });

  it('lists certificates to admins and the campaign auditors, renders one as PDF, and refuses other campaigns', async () => {
    const list = await hub.app.inject({ method: 'GET', url: '/api/v1/privacy/purge-certificates', query: { campaignId }, headers: bearer(tokens.auditorA) });
    expect(list.statusCode).toBe(200);
    const [item] = list.json().items;
    expect(item).toMatchObject({ campaignId, runBy: { kind: 'job', label: 'purge-job@test' } });
    const pdf = await hub.app.inject({ method: 'GET', url: `/api/v1/privacy/purge-certificates/${item.id}/pdf`, headers: bearer(tokens.admin) });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    expect((await hub.app.inject({ method: 'GET', url: `/api/v1/privacy/purge-certificates/${item.id}`, headers: bearer(tokens.auditorB) })).statusCode).toBe(403);
    expect((await hub.app.inject({ method: 'GET', url: '/api/v1/privacy/purge-certificates', query: { campaignId }, headers: bearer(tokens.auditorB) })).statusCode).toBe(403);
    expect((await hub.app.inject({ method: 'GET', url: '/api/v1/privacy/purge-certificates', headers: bearer(tokens.auditorB) })).json().items).toEqual([]);
    expect((await hub.app.inject({ method: 'GET', url: '/api/v1/privacy/purge-certificates', headers: bearer(tokens.agentA) })).statusCode).toBe(403);
  });

  it('runs on demand for an admin and certifies nothing twice', async () => {
    const run = await hub.app.inject({ method: 'POST', url: '/api/v1/privacy/purge-runs', payload: { campaignId: otherCampaignId }, headers: bearer(tokens.admin) });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ skipped: false, counts: { messages: { purged: 1 } } });
    expect((await message(rows.otherCampaignOld)).text).toBe('[depurado]');
    const rerun = await hub.app.inject({ method: 'POST', url: '/api/v1/privacy/purge-runs', payload: { campaignId: otherCampaignId }, headers: bearer(tokens.admin) });
    expect(rerun.json()).toMatchObject({ certificateId: null });
    expect((await hub.app.inject({ method: 'POST', url: '/api/v1/privacy/purge-runs', payload: { campaignId }, headers: bearer(tokens.auditorA) })).statusCode).toBe(403);
  });

  it('runs in a worker every PRIVACY_PURGE_INTERVAL_MS (default 1 h); 0 keeps it out of this process; under a minute is refused', async () => {
    expect(testConfig().PRIVACY_PURGE_INTERVAL_MS).toBe(3_600_000);
    expect(() => testConfig({ PRIVACY_PURGE_INTERVAL_MS: '1000' })).toThrow(/PRIVACY_PURGE_INTERVAL_MS/);
    expect(startPrivacyPurge({ ...hub.ctx, config: testConfig({ PRIVACY_PURGE_INTERVAL_MS: '0' }) })).toBeNull();
    const job = startPrivacyPurge({ ...hub.ctx, config: { ...hub.ctx.config, PRIVACY_PURGE_INTERVAL_MS: 60_000 } });
    expect(job).not.toBeNull();
    await job?.stop();
  });
});
