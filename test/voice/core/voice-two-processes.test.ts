import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../../support/test-context.js';
import { callEvents, createVoiceCampaign } from './voice-hub-harness.js';

/**
 * Two hub processes behind one public URL (issue 8; SPEC §3 "every process can run N times"):
 * Twilio's webhooks of one call land on either. Status callbacks race the caller's key press;
 * every event is stored exactly once, in order, and the call is put in line once.
 */
describe('one call, two hub processes', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '200' });
  let a: HubProcess;
  let b: HubProcess;

  beforeAll(async () => {
    a = await startHubProcess(config);
    b = await startHubProcess(config);
  }, 90_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await dropNamespaces(config);
  });

  it('keeps every webhook’s events exactly once and in order, whichever process answers', async () => {
    const urlA = a.url ?? '';
    const urlB = b.url ?? '';
    // The channel's public URL is process A's: what Twilio signs, whichever process receives it.
    const c = await createVoiceCampaign({ db: a.ctx.db.kysely, url: urlA });
    const call = await c.dial('+525561616161');
    expect(call.gather()?.action).toContain('/ivr/menu-principal');

    const statusPath = `/webhooks/voice/${c.channelId}/status`;
    const statusCallback = async (sequence: number) => {
      const params = {
        AccountSid: c.accountSid,
        CallSid: call.callSid,
        CallStatus: 'in-progress',
        From: '+525561616161',
        To: '+528006232323',
        Direction: 'inbound',
        CallbackSource: 'call-progress-events',
        SequenceNumber: String(sequence),
      };
      const signature = twilio.getExpectedTwilioSignature(c.authToken, `${urlA}${statusPath}`, params);
      const res = await fetch(`${sequence % 2 === 0 ? urlA : urlB}${statusPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      });
      return res.status;
    };
    const sequences = Array.from({ length: 12 }, (_, i) => i + 1);
    const [statuses] = await Promise.all([Promise.all(sequences.map(statusCallback)), call.press('0')]);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(call.enqueued()).not.toBeNull();

    const events = await callEvents(a.ctx.db.kysely, call.callSid);
    const status = events.filter((e) => e.type === 'call.status').map((e) => Number(e.payload['sequence']));
    expect([...status].sort((x, y) => x - y)).toEqual(sequences);
    expect(events.filter((e) => e.type === 'call.enqueued')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'call.ivr_input')).toHaveLength(1);
    for (let i = 1; i < events.length; i += 1) expect(events[i]!.occurred_at.getTime()).toBeGreaterThanOrEqual(events[i - 1]!.occurred_at.getTime());
    const row = await a.ctx.db.kysely.selectFrom('voice_calls').select(['event_count', 'conversation_id', 'status']).where('call_sid', '=', call.callSid).executeTakeFirstOrThrow();
    expect(row.event_count).toBe(events.length);
    expect(row.status).toBe('in-progress');
    const conversations = await a.ctx.db.kysely.selectFrom('conversations').select('id').where('channel_id', '=', c.channelId).execute();
    expect(conversations.map((x) => x.id)).toEqual([row.conversation_id]);
  });
});
