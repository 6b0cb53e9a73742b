import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '@ventanilla/hub';
import type { CallRecord } from '@ventanilla/voice-bridge';
import { PgCallStore } from '../../../hub/src/voice/core/pg-call-store.js';
import { enqueueVoiceCall } from '../../../hub/src/voice/core/voice-enqueue.usecase.js';
import { voiceWaitInfo } from '../../../hub/src/voice/core/voice-wait-info.js';
import { folioStatusText } from '../../../hub/src/voice/core/folio-status.js';
import { twilioSid } from '../../harness/twilio-voice/index.js';
import { createCampaign } from '../../support/factories.js';
import { createQueue } from '../../support/router-factories.js';

/**
 * `npm run demo` runs on the embedded PGlite: one connection, so a query through the pool while
 * our own transaction is open would wait for ever. The call store, the enqueue and the wait
 * estimate must run there as on PostgreSQL (a hang fails the test by its timeout).
 */
describe('voice core on the embedded database (PGlite)', () => {
  let dataDir: string;
  let db: Db;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ventanilla-voice-embedded-'));
    db = await openDatabase({ DATABASE_URL: undefined, DATABASE_SCHEMA: 'public', DATABASE_POOL_SIZE: 1, DATA_DIR: dataDir });
    expect(await migrate(db)).toContain('0009_voice');
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores a call, puts it in line with a folio, reads its place and the folio back', async () => {
    const campaign = await createCampaign(db.kysely, { prefix: 'EMB' });
    const queueId = await createQueue(db.kysely, campaign.id, { isDefault: true });
    const channel = await db.kysely
      .insertInto('channels')
      .values({ campaign_id: campaign.id, kind: 'voice', name: 'Teléfono', settings: JSON.stringify({ accountSid: twilioSid('AC'), callerId: '+528006232323' }), secrets: JSON.stringify({ authToken: 'x' }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const store = new PgCallStore(db.kysely);
    const call: CallRecord = {
      callSid: twilioSid('CA'),
      channelId: channel.id,
      from: '+525512340000',
      to: '+528006232323',
      state: null,
      status: 'ringing',
      outcome: null,
      events: [{ at: new Date().toISOString(), type: 'incoming', data: { from: '+525512340000' } }],
    };
    await store.save(call);
    const enqueued = await enqueueVoiceCall(db.kysely, {
      channel: { id: channel.id, campaignId: campaign.id },
      call,
      campaignId: campaign.id,
      collected: {},
      path: [{ node: 'menu', input: '0' }],
    });
    expect(enqueued.queueId).toBe(queueId);
    expect(enqueued.folio).toMatch(/^EMB-\d{8}-\d{6}$/);
    const read = await store.get(call.callSid);
    if (!read) throw new Error('call not stored');
    read.conversationId = enqueued.conversationId;
    read.events.push({ at: new Date().toISOString(), type: 'enqueued', data: { queueName: enqueued.folio } });
    await store.save(read);
    expect((await store.get(call.callSid))?.events.map((e) => e.type)).toEqual(['incoming', 'enqueued']);
    expect(await voiceWaitInfo(db.kysely, enqueued.conversationId, {})).toEqual({ position: 1, estimatedWaitSeconds: null, source: 'router' });
    const status = await folioStatusText(db.kysely, { id: campaign.id, folioPrefix: 'EMB', timeZone: 'America/Mexico_City' }, enqueued.folio.replace(/\D/g, ''));
    expect(status).toBe('en espera de ser atendido');
  }, 60_000);
});
