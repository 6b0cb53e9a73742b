import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimulatedCall, startCall, twilioSid } from '../harness/twilio-voice/index.js';
import { startVoiceTestApp, type VoiceTestApp } from './voice-test-app.js';

const FROM = '+525512345678';
const TO = '+528006232323';

describe('voice webhooks fail closed and never crash', () => {
  let t: VoiceTestApp;
  beforeEach(async () => {
    t = await startVoiceTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const options = () => ({ baseUrl: t.baseUrl, channelId: t.channel.id, authToken: t.channel.authToken, accountSid: t.channel.accountSid, from: FROM, to: TO });

  it('a forged signature (another auth token) → 403 with a plain body, nothing stored, no TwiML', async () => {
    const call = await startCall({ ...options(), authToken: 'f'.repeat(32) });
    expect(call.lastStatus).toBe(403);
    expect(call.last?.body).toMatch(/^Forbidden/);
    expect(call.verbs).toEqual([]);
    expect(t.store.size).toBe(0);
    expect(t.warnings.some((w) => w.msg.includes('bad X-Twilio-Signature'))).toBe(true);
  });

  it('a signature for other parameters (body tampered with) → 403, nothing stored', async () => {
    const call = new SimulatedCall(options());
    const url = `${call.base}/incoming`;
    const params = { AccountSid: t.channel.accountSid, CallSid: call.callSid, From: FROM, To: TO, CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01' };
    const signature = twilio.getExpectedTwilioSignature(t.channel.authToken, url, params);
    const exchange = await call.post(url, { ...params, From: '+525500000000' }, signature);
    expect(exchange.status).toBe(403);
    expect(t.store.size).toBe(0);
  });

  it('a missing signature → 403, nothing stored', async () => {
    const call = new SimulatedCall(options());
    const exchange = await call.post(`${call.base}/incoming`, { AccountSid: t.channel.accountSid, CallSid: call.callSid, From: FROM, To: TO, CallStatus: 'ringing' }, null);
    expect(exchange.status).toBe(403);
    expect(exchange.body).toContain('missing X-Twilio-Signature');
    expect(t.store.size).toBe(0);
  });

  it('a signed request from another Twilio account → 403', async () => {
    const call = await startCall({ ...options(), accountSid: twilioSid('AC') });
    expect(call.lastStatus).toBe(403);
    expect(t.store.size).toBe(0);
  });

  it('an unknown channel → 404', async () => {
    const call = await startCall({ ...options(), channelId: '00000000-0000-4000-8000-000000000000' });
    expect(call.lastStatus).toBe(404);
    expect(t.store.size).toBe(0);
  });

  it('a signed body without CallSid → 400; a JSON body → 415; nothing stored', async () => {
    const call = new SimulatedCall(options());
    const bad = await call.post(`${call.base}/incoming`, { AccountSid: t.channel.accountSid, From: FROM, To: TO });
    expect(bad.status).toBe(400);
    const json = await fetch(`${call.base}/incoming`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': 'x' },
      body: JSON.stringify({ CallSid: call.callSid }),
    });
    expect(json.status).toBe(415);
    expect(t.store.size).toBe(0);
  });

  it('an IVR, wait or wait-choice webhook for an unknown CallSid → a polite <Say> and <Hangup/>, logged', async () => {
    const call = new SimulatedCall(options());
    for (const path of ['ivr/menu-principal', 'wait', 'wait-choice']) {
      const exchange = await call.post(`${call.base}/${path}`, { AccountSid: t.channel.accountSid, CallSid: call.callSid, From: FROM, To: TO, CallStatus: 'in-progress', Digits: '1' });
      expect(exchange.status).toBe(200);
      expect(exchange.verbs?.map((v) => v.verb)).toEqual(['Say', 'Hangup']);
      expect(exchange.verbs?.[0]).toMatchObject({ language: 'es-MX', text: expect.stringContaining('Lo sentimos') });
    }
    expect(t.warnings.filter((w) => w.msg.includes('unknown or finished call'))).toHaveLength(3);
    expect(t.store.size).toBe(0);
  });

  it('a status callback for an unknown call → 200, nothing stored', async () => {
    const call = new SimulatedCall(options());
    const exchange = await call.hangUp(10);
    expect(exchange.status).toBe(200);
    expect(t.store.size).toBe(0);
    expect(t.warnings.some((w) => w.msg.includes('status callback for an unknown call'))).toBe(true);
  });

  it('after the call ended, a late status does not reopen it and a late IVR webhook says goodbye', async () => {
    const call = await startCall(options());
    await call.status('in-progress');
    await call.hangUp(42);
    await call.status('in-progress');
    const stored = await t.store.get(call.callSid);
    expect(stored?.status).toBe('completed');
    expect(stored?.events.filter((e) => e.type === 'ended')).toHaveLength(1);
    await call.press('1');
    expect(call.verbs.map((v) => v.verb)).toEqual(['Say', 'Hangup']);
  });

  it('Twilio asking again for the same new call starts the IVR over and keeps the history', async () => {
    const first = await startCall(options());
    await first.press('1');
    const again = await startCall({ ...options(), callSid: first.callSid });
    expect(again.gather()?.action).toContain('/ivr/menu-principal');
    const stored = await t.store.get(first.callSid);
    expect(t.store.size).toBe(1);
    expect(stored?.state?.node).toBe('menu-principal');
    expect(stored?.events.map((e) => e.type)).toEqual(['incoming', 'ivr_outcome', 'ivr_input', 'ivr_outcome', 'incoming_repeated', 'ivr_outcome']);
  });

  it('busy, no-answer, failed and canceled end the call too', async () => {
    for (const status of ['busy', 'no-answer', 'failed', 'canceled']) {
      const call = await startCall(options());
      await call.status(status);
      const stored = await t.store.get(call.callSid);
      expect(stored?.status).toBe(status);
      expect(stored?.events.at(-1)).toMatchObject({ type: 'ended', data: { status } });
    }
  });
});

describe('when the line cannot take the call', () => {
  it('an enqueue port that fails → the caller hears an apology and the call ends, not silence', async () => {
    const t = await startVoiceTestApp();
    try {
      const call = await startCall({ baseUrl: t.baseUrl, channelId: t.channel.id, authToken: t.channel.authToken, accountSid: t.channel.accountSid, from: FROM, to: TO });
      t.enqueueError = new Error('router down');
      await call.press('0');
      expect(call.has('Enqueue')).toBe(false);
      expect(call.heard().at(-1)).toContain('por el momento no podemos atenderle');
      expect(call.verbs.at(-1)).toEqual({ verb: 'Hangup' });
      const types = (await t.store.get(call.callSid))?.events.map((e) => e.type) ?? [];
      expect(types).toContain('enqueue_failed');
      expect(t.enqueued).toHaveLength(0);
      expect(t.warnings.some((w) => w.msg === 'voice: enqueue failed')).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('a store that fails mid-call → the caller hears a Spanish apology and <Hangup/>, not Twilio\'s application error', async () => {
    const t = await startVoiceTestApp();
    try {
      const call = await startCall({ baseUrl: t.baseUrl, channelId: t.channel.id, authToken: t.channel.authToken, accountSid: t.channel.accountSid, from: FROM, to: TO });
      vi.spyOn(t.store, 'save').mockRejectedValue(new Error('database down'));
      await call.press('1');
      expect(call.lastStatus).toBe(200);
      expect(call.verbs).toEqual([
        { verb: 'Say', language: 'es-MX', text: 'Lo sentimos, por el momento no podemos atenderle. Por favor, intente más tarde. Hasta luego.' },
        { verb: 'Hangup' },
      ]);
      expect(t.warnings.some((w) => w.msg === 'voice webhook failed')).toBe(true);
      const status = await call.hangUp(5);
      expect(status.status).toBe(500);
    } finally {
      await t.close();
    }
  });
});
