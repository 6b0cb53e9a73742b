import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { TwilioBaseUrlClient } from '../../../connectors/sms/twilio-base-url-client.js';
import { createTwilioVoiceRest, type VoiceRest } from '../../../connectors/voice/voice-rest.js';
import { TwilioVoiceCloud } from '../../harness/twilio-voice/index.js';
import { startTwimlTestApp, type TwimlTestApp } from './twiml-test-app.js';

const LINE = '+528006232323';

describe('TwilioVoiceCloud: the queue’s wait document, speech, and the read side of the REST API', () => {
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

  it('two callers in line hear their positions; rewait() re-fetches the waitUrl; a key in the wait document’s <Gather> reaches its action', async () => {
    hub.on('/answer', '<Enqueue waitUrl="/wait" waitUrlMethod="POST" action="/left">citas</Enqueue><Say>Sin action no se llega aquí.</Say>');
    hub.on('/wait', (p) => `<Gather numDigits="1" action="/wait-choice"><Say>Posición ${p['QueuePosition']} de ${p['CurrentQueueSize']}. Oprima 1 para buzón.</Say></Gather><Redirect>/wait</Redirect>`);
    hub.on('/wait-choice', (p) => (p['Digits'] === '1' ? '<Say>Le pasamos al buzón.</Say><Leave/>' : '<Say>Siga en la línea.</Say>'));
    hub.on('/left', (p) => `<Say>Salió: ${p['QueueResult']}.</Say><Hangup/>`);
    const first = await rest.createCall({ to: '+525500000001', from: LINE, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` });
    const second = await rest.createCall({ to: '+525500000002', from: LINE, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` });
    await cloud.settle();
    expect(cloud.queue('citas')).toHaveLength(2);
    const positions = hub.hitsTo('/wait').map((h) => h.params['QueuePosition']).sort();
    expect(positions).toEqual(['1', '2']);

    // The first caller's wait <Gather> times out with nothing pressed only after gatherWaitMs; press 9 instead.
    await cloud.press(first.callSid, '9');
    expect(cloud.call(first.callSid).heard.at(-1)).toBe('Siga en la línea.');
    expect(cloud.call(first.callSid).queue).toBe('citas');

    await cloud.rewait(second.callSid);
    expect(cloud.call(second.callSid).heard.filter((t) => t.startsWith('Posición'))).toHaveLength(2);
    await cloud.press(second.callSid, '1');
    expect(cloud.call(second.callSid).heard.slice(-2)).toEqual(['Le pasamos al buzón.', 'Salió: leave.']);
    expect(hub.hitsTo('/left')[0]?.params).toMatchObject({ QueueResult: 'leave', CallSid: second.callSid, QueueSid: expect.stringMatching(/^QU/) });
    expect(cloud.call(second.callSid).status).toBe('completed');
    expect(cloud.queue('citas')).toEqual([first.callSid]);

    // The remaining caller hangs up in line: the action is still requested (QueueResult=hangup).
    await cloud.hangUp(first.callSid);
    expect(hub.hitsTo('/left').map((h) => h.params['QueueResult'])).toEqual(['leave', 'hangup']);
    expect(cloud.call(first.callSid).heard).not.toContain('Salió: hangup.');
    expect(cloud.queue('citas')).toEqual([]);
    expect(cloud.errors).toEqual([]);
  });

  it('speech in a <Gather input="speech">, an action fetched with GET (signed over the query string)', async () => {
    hub.on('/answer', '<Gather input="speech" language="es-MX" action="/heard" method="GET"><Say>Diga el trámite.</Say></Gather>');
    hub.on('/heard', (p) => `<Say>Entendí ${p['SpeechResult']}.</Say>`);
    const { callSid } = await rest.createCall({ to: '+525500000003', from: LINE, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` });
    await cloud.settle();
    await cloud.speak(callSid, 'cita médica');
    const heard = hub.hitsTo('/heard')[0];
    expect(heard).toMatchObject({ method: 'GET', signatureValid: true, params: { SpeechResult: 'cita médica', Language: 'es-MX', CallSid: callSid } });
    expect(cloud.call(callSid).heard).toEqual(['Diga el trámite.', 'Entendí cita médica.']);
  });

  it('the SDK reads back calls, conferences (filtered by name) and participants by label', async () => {
    // The SDK's own request client, rebased onto the cloud (as connectors/voice does).
    const client = twilio(cloud.accountSid, cloud.authToken, { httpClient: new TwilioBaseUrlClient(cloud.url, 5_000), autoRetry: false });
    const agent = await rest.addParticipant('ventanilla-x', { from: LINE, to: 'client:ana', statusCallback: `${hub.baseUrl}/s`, label: 'agent' });
    await cloud.settle();
    const call = await client.calls(agent.callSid).fetch();
    expect(call).toMatchObject({ sid: agent.callSid, status: 'in-progress', direction: 'outbound-api', to: 'client:ana', accountSid: cloud.accountSid });
    expect(call.dateCreated).toBeInstanceOf(Date);
    const conferences = await client.conferences.list({ friendlyName: 'ventanilla-x', status: 'in-progress' });
    expect(conferences.map((c) => c.sid)).toEqual([agent.conferenceSid]);
    expect(await client.conferences.list({ friendlyName: 'otra' })).toEqual([]);
    const participant = await client.conferences(agent.conferenceSid ?? '').participants('agent').fetch();
    expect(participant).toMatchObject({ callSid: agent.callSid, label: 'agent', hold: false, muted: false, status: 'connected' });
    await client.conferences(agent.conferenceSid ?? '').update({ status: 'completed' });
    await cloud.settle();
    expect(cloud.conferences.get('ventanilla-x')?.status).toBe('completed');
    expect(cloud.call(agent.callSid).status).toBe('completed');
  });
});
