import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeCallUsage } from '../../../hub/src/voice/metering/recompute-call-usage.js';
import { VoiceMeteringLoop } from '../../../hub/src/voice/metering/voice-metering.worker.js';
import { createClosedConversation } from '../../surveys/survey-fixtures.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { addCallEvent, createVoiceChannel, storeCall } from './metering-fixtures.js';

/**
 * Issue 8 item 9 against the real PostgreSQL: usage facts are recomputable (the same rows every
 * time) and the metering loop meters each ended leg once, however many processes run it.
 */
describe('voice metering in PostgreSQL', () => {
  let hub: TestHub;
  let campaignId: string;
  let channelId: string;
  let agentId: string;
  const db = () => hub.ctx.db.kysely;
  const quietLog = { warn: () => undefined };

  beforeAll(async () => {
    hub = await createTestHub();
    campaignId = (await createCampaign(db(), { name: 'Citas médicas' })).id;
    channelId = (await createVoiceChannel(db(), campaignId)).id;
    agentId = (await createUser(db(), { roles: ['agent'], campaignIds: [campaignId] })).id;
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  const facts = (sid: string) => db().selectFrom('voice_usage_facts').selectAll().where('call_sid', '=', sid).orderBy('seq').execute();
  const summaryOf = (sid: string) => db().selectFrom('voice_call_usage').selectAll().where('call_sid', '=', sid).executeTakeFirst();

  it('recompute stores the facts with the folio and gives identical rows when run again', async () => {
    const conversation = await createClosedConversation(db(), campaignId, channelId);
    // Stored out of time order, as racing webhooks leave them.
    const call = await storeCall(db(), {
      campaignId,
      channelId,
      conversationId: conversation.id,
      events: [
        [0, 'incoming', { from: '+525511112222', to: '+528001234567', status: 'ringing' }],
        [10.25, 'enqueued', { queueName: 'citas' }],
        [30, 'agent_connected', { agentId, seatType: 'PS-I', agentCallSid: 'CAagent' }],
        [75.5, 'unhold', { agentId }],
        [60, 'hold', { agentId }],
        [120.9, 'agent_left', { agentId, reason: 'hangup' }],
        [121.5, 'survey_started'],
        [150.2, 'survey_completed', { answers: '3' }],
        [151, 'status', { status: 'completed', duration: '151' }],
        [151, 'ended', { status: 'completed', duration: '151' }],
      ],
    });
    const first = await recomputeCallUsage(db(), call.callSid);
    expect(first?.changed).toBe(true);
    const rows = await facts(call.callSid);
    expect(rows.map((r) => [r.seq, r.concept, r.unit, r.quantity, Number(r.duration_ms), r.agent_id, r.seat_type])).toEqual([
      [1, 'ivr_seconds', 'second', 10, 10_250, null, null],
      [2, 'queue_seconds', 'second', 19, 19_750, null, null],
      // 30 → 120.9 = 90.9 s − 15.5 s hold = 75.4 s
      [3, 'talk_seconds', 'second', 75, 75_400, agentId, 'PS-I'],
      [4, 'hold_seconds', 'second', 15, 15_500, agentId, 'PS-I'],
      [5, 'survey_seconds', 'second', 28, 28_700, null, null],
    ]);
    expect(new Set(rows.map((r) => r.folio))).toEqual(new Set([conversation.folio]));
    expect(new Set(rows.map((r) => r.conversation_id))).toEqual(new Set([conversation.id]));
    expect(await summaryOf(call.callSid)).toMatchObject({ our_seconds: 151, twilio_seconds: 151, difference_seconds: 0, mismatch: false, concept_seconds: 147, folio: conversation.folio, event_count: 10 });

    const summaryBefore = await summaryOf(call.callSid);
    const again = await recomputeCallUsage(db(), call.callSid);
    expect(again?.changed).toBe(false);
    expect(await facts(call.callSid)).toEqual(rows);
    expect(await summaryOf(call.callSid)).toEqual(summaryBefore);
  });

  it('a difference with Twilio over 2 s is flagged in the summary and logged once, however often it is recomputed', async () => {
    const call = await storeCall(db(), {
      campaignId,
      channelId,
      events: [
        [0, 'incoming'],
        [9, 'ivr_outcome', { node: 'fin', outcome: 'hangup' }],
        [40.6, 'ended', { status: 'completed', duration: '36' }],
      ],
    });
    await recomputeCallUsage(db(), call.callSid);
    await recomputeCallUsage(db(), call.callSid);
    expect(await summaryOf(call.callSid)).toMatchObject({ our_seconds: 40, twilio_seconds: 36, difference_seconds: 4, mismatch: true });
    const logged = await db().selectFrom('interaction_events').select('payload').where('type', '=', 'voice_usage.mismatch').execute();
    expect(logged.filter((e) => e.payload['callSid'] === call.callSid).map((e) => e.payload)).toEqual([{ callSid: call.callSid, ourSeconds: 40, twilioSeconds: 36, differenceSeconds: 4 }]);
  });

  it('an unknown leg gives null and writes nothing', async () => {
    expect(await recomputeCallUsage(db(), 'CA00000000000000000000000000000000')).toBeNull();
  });

  it('two loop instances meter each ended leg once, skip live legs, and meter again only when the events grew', async () => {
    const ended = [];
    for (let i = 0; i < 6; i++) {
      ended.push(
        await storeCall(db(), {
          campaignId,
          channelId,
          events: [
            [0, 'incoming'],
            [5 + i, 'enqueued', { queueName: 'citas' }],
            [40, 'left_queue', { result: 'hangup' }],
            [40.5, 'ended', { status: 'completed', duration: '40' }],
          ],
        }),
      );
    }
    const live = await storeCall(db(), { campaignId, channelId, ended: false, events: [[0, 'incoming'], [3, 'enqueued', { queueName: 'citas' }]] });
    const a = new VoiceMeteringLoop(db(), quietLog, { intervalMs: 60_000, batchSize: 50 });
    const b = new VoiceMeteringLoop(db(), quietLog, { intervalMs: 60_000, batchSize: 50 });
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    const mine = new Set(ended.map((c) => c.callSid));
    const changed = [...ra.changed, ...rb.changed].filter((sid) => mine.has(sid) || sid === live.callSid);
    expect(changed.sort()).toEqual([...mine].sort());
    expect(ra.metered.filter((sid) => rb.metered.includes(sid))).toEqual([]);
    expect(await summaryOf(live.callSid)).toBeUndefined();
    expect(await facts(live.callSid)).toEqual([]);

    // Nothing left: a second pass of either loop meters nothing.
    expect(await a.tick()).toEqual({ metered: [], changed: [] });
    expect(await b.tick()).toEqual({ metered: [], changed: [] });

    // A voicemail recording callback after the end: the store appends it and bumps event_count.
    const late = ended[0];
    if (!late) throw new Error('no call');
    await addCallEvent(db(), late, 41, 'voicemail_recorded', { recordingSid: 'RE0123', duration: '12', url: 'https://x/RE0123', outsideHours: 'true' });
    await db().updateTable('voice_calls').set({ event_count: 5 }).where('call_sid', '=', late.callSid).execute();
    const [la, lb] = await Promise.all([a.tick(), b.tick()]);
    expect([...la.changed, ...lb.changed]).toEqual([late.callSid]);
    const concepts = (await facts(late.callSid)).map((r) => [r.concept, r.quantity, r.detail]);
    expect(concepts).toContainEqual(['voicemail_seconds', 12, { recordingSid: 'RE0123', outsideHours: true }]);
    expect(concepts).toContainEqual(['voicemail', 1, { recordingSid: 'RE0123', outsideHours: true }]);
  });

  it('the loop started and stopped like a worker meters a leg that ended meanwhile', async () => {
    const call = await storeCall(db(), { campaignId, channelId, events: [[0, 'incoming'], [2.5, 'ended', { status: 'completed', duration: '3' }]] });
    const loop = new VoiceMeteringLoop(db(), quietLog, { intervalMs: 50, batchSize: 10 });
    loop.start();
    try {
      await expect.poll(async () => (await summaryOf(call.callSid))?.our_seconds, { timeout: 5000 }).toBe(2);
    } finally {
      await loop.stop();
    }
  });
});
