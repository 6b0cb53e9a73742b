import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioVoiceRest, VoiceRestError, type VoiceRest } from '../../../connectors/voice/voice-rest.js';
import { TwilioVoiceCloud } from '../../harness/twilio-voice/index.js';
import { startTwimlTestApp, type TwimlTestApp } from './twiml-test-app.js';

const FROM = '+528006232323';
const CITIZEN = '+525512345678';

describe('TwilioVoiceCloud: calls placed through the REST API (real twilio SDK)', () => {
  let cloud: TwilioVoiceCloud;
  let hub: TwimlTestApp;
  let rest: VoiceRest;

  beforeEach(async () => {
    cloud = await new TwilioVoiceCloud().start();
    hub = await startTwimlTestApp(cloud.authToken);
    rest = createTwilioVoiceRest({ accountSid: cloud.accountSid, authToken: cloud.authToken, apiBaseUrl: cloud.url });
  });
  afterEach(async () => {
    await cloud.close();
    await hub.close();
  });

  it('answers, fetches the TwiML with a signed POST, follows Say and Gather (scripted digits), and posts every status in order', async () => {
    cloud.behave(CITIZEN, { answer: true, digits: ['2'] });
    hub.on('/answer', '<Say language="es-MX">Hola, le llamamos del IMSS.</Say><Gather numDigits="1" action="/menu"><Say>Marque 1 o 2.</Say></Gather><Say>No recibimos respuesta.</Say>');
    hub.on('/menu', (p) => `<Say>Eligió ${p['Digits']}.</Say><Hangup/>`);
    const { callSid } = await rest.createCall({ to: CITIZEN, from: FROM, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` });
    expect(callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(cloud.requests.at(-1)).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${cloud.accountSid}/Calls.json`, status: 201 });
    expect(cloud.requests.at(-1)?.formAll['StatusCallbackEvent']).toEqual(['initiated', 'ringing', 'answered', 'completed']);
    await cloud.settle();

    const call = cloud.call(callSid);
    expect(call.heard).toEqual(['Hola, le llamamos del IMSS.', 'Marque 1 o 2.', 'Eligió 2.']);
    expect(call.status).toBe('completed');
    const answer = hub.hitsTo('/answer');
    expect(answer).toHaveLength(1);
    expect(answer[0]).toMatchObject({ method: 'POST', signatureValid: true, params: { CallSid: callSid, CallStatus: 'in-progress', Direction: 'outbound-api', To: CITIZEN, From: FROM, AccountSid: cloud.accountSid } });
    expect(hub.hitsTo('/menu')[0]?.params).toMatchObject({ Digits: '2', CallSid: callSid });
    const statuses = hub.hitsTo('/status');
    expect(statuses.map((h) => h.params['CallStatus'])).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    expect(statuses.map((h) => h.params['SequenceNumber'])).toEqual(['0', '1', '2', '3']);
    expect(statuses.every((h) => h.signatureValid && h.params['CallbackSource'] === 'call-progress-events')).toBe(true);
    expect(statuses.at(-1)?.params).toMatchObject({ CallDuration: expect.stringMatching(/^\d+$/), Duration: expect.stringMatching(/^\d+$/) });
    expect(hub.hits.every((h) => h.signatureValid)).toBe(true);
    expect(cloud.errors).toEqual([]);
  });

  it('a Gather without scripted digits waits for press(); silence after the timeout goes on with the next verbs', async () => {
    hub.on('/answer', '<Gather numDigits="4" action="/pin"><Say>Su folio.</Say></Gather><Say>Adiós.</Say>');
    hub.on('/pin', (p) => `<Say>Folio ${p['Digits']}.</Say>`);
    const { callSid } = await rest.createCall({ to: CITIZEN, from: FROM, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` });
    await cloud.settle();
    expect(cloud.call(callSid).status).toBe('in-progress');
    await cloud.press(callSid, '1234');
    expect(cloud.call(callSid).heard).toEqual(['Su folio.', 'Folio 1234.']);
    expect(cloud.call(callSid).status).toBe('completed');

    const quiet = await new TwilioVoiceCloud({ accountSid: cloud.accountSid, authToken: cloud.authToken, gatherWaitMs: 50 }).start();
    try {
      const quietRest = createTwilioVoiceRest({ accountSid: cloud.accountSid, authToken: cloud.authToken, apiBaseUrl: quiet.url });
      const second = await quietRest.createCall({ to: CITIZEN, from: FROM, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` });
      await new Promise((resolve) => setTimeout(resolve, 150));
      await quiet.settle();
      expect(quiet.call(second.callSid).heard).toEqual(['Su folio.', 'Adiós.']);
    } finally {
      await quiet.close();
    }
  });

  it('no-answer and busy numbers: no TwiML fetched, the final status says why', async () => {
    cloud.behave(/^\+52551111/, { answer: false, status: 'no-answer' });
    cloud.behave('+525511112222', { answer: false, status: 'busy' });
    const noAnswer = await rest.createCall({ to: '+525511110000', from: FROM, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/na` });
    const busy = await rest.createCall({ to: '+525511112222', from: FROM, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/busy` });
    await cloud.settle();
    expect(hub.hitsTo('/answer')).toHaveLength(0);
    expect(hub.hitsTo('/na').map((h) => h.params['CallStatus'])).toEqual(['initiated', 'ringing', 'no-answer']);
    expect(hub.hitsTo('/busy').map((h) => h.params['CallStatus'])).toEqual(['initiated', 'busy']);
    expect(hub.hitsTo('/busy').at(-1)?.params['CallDuration']).toBe('0');
    expect(cloud.call(noAnswer.callSid).status).toBe('no-answer');
    expect(cloud.call(busy.callSid).status).toBe('busy');
  });

  it('answering-machine detection: AnsweredBy comes with the TwiML request', async () => {
    cloud.behave(CITIZEN, { answer: true, answeredBy: 'machine_start' });
    hub.on('/blast', '<Say>Mensaje del IMSS.</Say>');
    await rest.createCall({ to: CITIZEN, from: FROM, url: `${hub.baseUrl}/blast`, statusCallback: `${hub.baseUrl}/status`, machineDetection: true });
    await cloud.settle();
    expect(cloud.requests[0]?.form['MachineDetection']).toBe('Enable');
    expect(hub.hitsTo('/blast')[0]?.params['AnsweredBy']).toBe('machine_start');
  });

  it('rejects bad credentials with 401 and unknown sids with 404 (code 20404); hanging up an ended call is 21220', async () => {
    const wrong = createTwilioVoiceRest({ accountSid: cloud.accountSid, authToken: 'not-the-token', apiBaseUrl: cloud.url });
    const denied = await wrong.createCall({ to: CITIZEN, from: FROM, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(VoiceRestError);
    expect(denied).toMatchObject({ status: 401, code: 20003, retryable: false });
    expect(cloud.calls.size).toBe(0);

    const unknown = await rest.redirectCall(`CA${'0'.repeat(32)}`, `${hub.baseUrl}/x`).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ status: 404, code: 20404 });
    await expect(rest.hangupCall(`CA${'0'.repeat(32)}`)).resolves.toBeUndefined();

    const invalid = await rest.createCall({ to: '5512345678', from: FROM, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: 21211 });

    hub.on('/answer', '<Say>Hola.</Say>');
    const { callSid } = await rest.createCall({ to: CITIZEN, from: FROM, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` });
    await cloud.settle();
    expect(cloud.call(callSid).status).toBe('completed');
    const late = await rest.redirectCall(callSid, `${hub.baseUrl}/x`).catch((e: unknown) => e);
    expect(late).toMatchObject({ status: 400, code: 21220 });
    await expect(rest.hangupCall(callSid)).resolves.toBeUndefined();
  });

  it('hangupCall ends a live call: status completed with its duration', async () => {
    hub.on('/answer', '<Gather action="/x"><Say>Espere.</Say></Gather>');
    const { callSid } = await rest.createCall({ to: CITIZEN, from: FROM, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` });
    await cloud.settle();
    await rest.hangupCall(callSid);
    await cloud.settle();
    expect(cloud.call(callSid).status).toBe('completed');
    expect(hub.hitsTo('/status').map((h) => h.params['CallStatus'])).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    expect(hub.hitsTo('/x')).toHaveLength(0);
  });
  it('a hub that answers a webhook with an error: the call ends (Twilio’s application error) and `errors` says why', async () => {
    hub.on('/broken', () => {
      throw new Error('boom');
    });
    const { callSid } = await rest.createCall({ to: CITIZEN, from: FROM, url: `${hub.baseUrl}/broken`, statusCallback: `${hub.baseUrl}/status` });
    await cloud.settle();
    expect(cloud.call(callSid).status).toBe('completed');
    expect(cloud.errors.some((e) => e.includes('/broken') && e.includes('HTTP 500'))).toBe(true);
    expect(hub.hitsTo('/status').at(-1)?.params['CallStatus']).toBe('completed');
  });
});
