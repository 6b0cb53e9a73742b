import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeCallUsage } from '../../../hub/src/voice/metering/recompute-call-usage.js';
import { VoiceMeteringLoop } from '../../../hub/src/voice/metering/voice-metering.worker.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { callSid as newCallSid, createVoiceChannel, storeCall } from './metering-fixtures.js';

interface UsageBody {
  campaignId: string;
  totals: { concept: string; unit: string; seatType: string | null; quantity: number; exactSeconds: number; facts: number }[];
  calls: { callSid: string; folio: string | null; ourSeconds: number; twilioSeconds: number | null; differenceSeconds: number | null; mismatch: boolean; concepts: Record<string, number> }[];
  callCount: number;
  mismatches: number;
  truncated: boolean;
}

/**
 * Issue 8 item 9: the usage API sums the facts per concept and seat type and lists every call
 * with its cross-check against Twilio, for admins and the campaign's supervisors and auditors.
 */
describe('voice usage API', () => {
  let hub: TestHub;
  let campaignId: string;
  let channel: { id: string; secrets: Record<string, unknown>; settings: Record<string, unknown> };
  let agentPsi: string;
  let agentPsp: string;
  let supervisor: string;
  let auditor: string;
  let agentToken: string;
  let outsider: string;
  const calls: string[] = [];
  const db = () => hub.ctx.db.kysely;
  const get = (url: string, token: string) => hub.app.inject({ method: 'GET', url, headers: bearer(token) });

  beforeAll(async () => {
    hub = await createTestHub();
    campaignId = (await createCampaign(db(), { name: 'Pensiones' })).id;
    const other = (await createCampaign(db(), { name: 'Afiliación' })).id;
    channel = await createVoiceChannel(db(), campaignId, { webhookBaseUrl: 'http://hub.test' });
    agentPsi = (await createUser(db(), { roles: ['agent'], campaignIds: [campaignId] })).id;
    agentPsp = (await createUser(db(), { roles: ['agent'], campaignIds: [campaignId] })).id;
    supervisor = await tokenFor(db(), (await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId] })).id);
    auditor = await tokenFor(db(), (await createUser(db(), { roles: ['auditor'], campaignIds: [campaignId] })).id);
    agentToken = await tokenFor(db(), agentPsi);
    outsider = await tokenFor(db(), (await createUser(db(), { roles: ['supervisor'], campaignIds: [other] })).id);

    const transferred = await storeCall(db(), {
      campaignId,
      channelId: channel.id,
      events: [
        [0, 'incoming'],
        [4.5, 'enqueued', { queueName: 'q' }],
        [20, 'agent_connected', { agentId: agentPsi, seatType: 'PS-I' }],
        [50, 'hold', { agentId: agentPsi }],
        [62.4, 'unhold', { agentId: agentPsi }],
        [80, 'agent_connected', { agentId: agentPsp, seatType: 'PS-P' }],
        [81, 'agent_left', { agentId: agentPsi, reason: 'transfer' }],
        [141.7, 'agent_left', { agentId: agentPsp, reason: 'hangup' }],
        [142, 'ended', { status: 'completed', duration: '142' }],
      ],
    });
    const abandoned = await storeCall(db(), {
      campaignId,
      channelId: channel.id,
      events: [
        [0, 'incoming'],
        [6, 'enqueued', { queueName: 'q' }],
        [36.8, 'left_queue', { result: 'hangup' }],
        [37, 'ended', { status: 'completed', duration: '33' }],
      ],
    });
    calls.push(transferred.callSid, abandoned.callSid);
    for (const sid of calls) await recomputeCallUsage(db(), sid);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('sums per concept and seat type, exact seconds alongside, and lists each call against Twilio', async () => {
    const res = await get(`/api/v1/voice/usage?campaignId=${campaignId}&from=2026-03-02&to=2026-03-02`, supervisor);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<UsageBody>();
    // IVR 4.5 + 6 = 10.5 s (4 + 6 floored); queue 15.5 + 30.8 (15 + 30); PS-I talk 20 → 81 − 12.4 hold = 48.6 (48);
    // PS-I hold 12.4 (12); PS-P talk 80 → 141.7 = 61.7 (61).
    expect(body.totals.map((t) => [t.concept, t.seatType, t.quantity, t.exactSeconds, t.facts])).toEqual([
      ['hold_seconds', 'PS-I', 12, 12.4, 1],
      ['ivr_seconds', null, 10, 10.5, 2],
      ['queue_seconds', null, 45, 46.3, 2],
      ['talk_seconds', 'PS-I', 48, 48.6, 1],
      ['talk_seconds', 'PS-P', 61, 61.7, 1],
    ]);
    expect(body).toMatchObject({ campaignId, callCount: 2, mismatches: 1, truncated: false });
    // Both calls started at the same instant: listed by start, then call SID.
    const bySid = <T>(rows: [string | undefined, ...T[]][]) => [...rows].sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(body.calls.map((c) => [c.callSid, c.ourSeconds, c.twilioSeconds, c.differenceSeconds, c.mismatch])).toEqual(
      bySid([
        [calls[0], 142, 142, 0, false],
        [calls[1], 37, 33, 4, true],
      ]),
    );
    expect(body.calls.find((c) => c.callSid === calls[0])?.concepts).toEqual({ ivr_seconds: 4, queue_seconds: 15, talk_seconds: 109, hold_seconds: 12 });

    // Another day has nothing; the auditor may read too.
    const empty = await get(`/api/v1/voice/usage?campaignId=${campaignId}&from=2026-03-03`, auditor);
    expect(empty.json<UsageBody>()).toMatchObject({ totals: [], calls: [], callCount: 0 });
  });

  it('the CSV has one line per call with Spanish headers and the mismatch marked', async () => {
    const res = await get(`/api/v1/voice/usage.csv?campaignId=${campaignId}`, supervisor);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('call_sid,tipo,folio,inicio,fin,seg_ivr,seg_cola,seg_conversacion,seg_espera,seg_buzon,buzones,seg_encuesta,mensajes_blaster,seg_conceptos,seg_nuestros,seg_twilio,diferencia,discrepancia');
    expect(lines.slice(1)).toEqual(
      [
        `${calls[0]},inbound,,2026-03-02T16:00:00.000Z,2026-03-02T16:02:22.000Z,4,15,109,12,0,0,0,0,140,142,142,0,no`,
        `${calls[1]},inbound,,2026-03-02T16:00:00.000Z,2026-03-02T16:00:37.000Z,6,30,0,0,0,0,0,0,36,37,33,4,sí`,
      ].sort(),
    );
  });

  it('agents and supervisors of other campaigns get 403; a malformed date gets 400', async () => {
    expect((await get(`/api/v1/voice/usage?campaignId=${campaignId}`, agentToken)).statusCode).toBe(403);
    expect((await get(`/api/v1/voice/usage?campaignId=${campaignId}`, outsider)).statusCode).toBe(403);
    expect((await get(`/api/v1/voice/usage.csv?campaignId=${campaignId}`, outsider)).statusCode).toBe(403);
    expect((await get(`/api/v1/voice/usage?campaignId=${campaignId}&from=ayer`, supervisor)).statusCode).toBe(400);
    expect((await get(`/api/v1/voice/usage?campaignId=no-es-uuid`, supervisor)).statusCode).toBe(400);
  });

  it('a call through the hub’s webhooks is metered by the loop once Twilio says it ended', async () => {
    const sid = newCallSid();
    const post = async (path: string, params: Record<string, string>) => {
      const url = `http://hub.test/webhooks/voice/${channel.id}/${path}`;
      const full = { CallSid: sid, AccountSid: String(channel.settings['accountSid']), ...params };
      return hub.app.inject({
        method: 'POST',
        url: url.slice('http://hub.test'.length),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(String(channel.secrets['authToken']), url, full) },
        payload: new URLSearchParams(full).toString(),
      });
    };
    expect((await post('incoming', { From: '+525511112222', To: '+528001234567', CallStatus: 'ringing' })).statusCode).toBe(200);
    expect((await post('status', { CallStatus: 'completed', CallDuration: '1' })).statusCode).toBe(200);
    // Twilio repeats the final callback: still one end, one set of facts.
    expect((await post('status', { CallStatus: 'completed', CallDuration: '1' })).statusCode).toBe(200);
    const loop = new VoiceMeteringLoop(db(), { warn: () => undefined }, { intervalMs: 60_000, batchSize: 10 });
    const pass = await loop.tick();
    expect(pass.metered).toContain(sid);
    const events = await db().selectFrom('interaction_events').select(['type', 'occurred_at', 'payload']).where('type', 'in', ['call.incoming', 'call.ended']).orderBy('id').execute();
    const mine = events.filter((e) => e.payload['callSid'] === sid);
    const incomingAt = mine.find((e) => e.type === 'call.incoming')?.occurred_at.getTime() ?? NaN;
    const endedAt = mine.find((e) => e.type === 'call.ended')?.occurred_at.getTime() ?? NaN;
    const facts = await db().selectFrom('voice_usage_facts').select(['concept', 'quantity', 'duration_ms']).where('call_sid', '=', sid).execute();
    expect(facts).toEqual([{ concept: 'ivr_seconds', quantity: Math.floor((endedAt - incomingAt) / 1000), duration_ms: String(endedAt - incomingAt) }]);
    expect(await db().selectFrom('voice_call_usage').select(['twilio_seconds', 'mismatch']).where('call_sid', '=', sid).executeTakeFirst()).toEqual({ twilio_seconds: 1, mismatch: false });
    expect((await loop.tick()).metered).not.toContain(sid);
  });
});
