import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioVoiceRest, type VoiceRest } from '../../../connectors/voice/voice-rest.js';
import { startCall, TwilioVoiceCloud } from '../../harness/twilio-voice/index.js';
import { startTwimlTestApp, type TwimlTestApp } from './twiml-test-app.js';

const LINE = '+528006232323';
const CITIZEN = '+525512345678';
const AGENT = 'client:agente-7';
const CHANNEL = 'canal-voz';

describe('TwilioVoiceCloud: conferences, redirects of inbound callers, recordings', () => {
  let cloud: TwilioVoiceCloud;
  let hub: TwimlTestApp;
  let rest: VoiceRest;
  const base = () => `${hub.baseUrl}/webhooks/voice/${CHANNEL}`;
  const path = (p: string) => `/webhooks/voice/${CHANNEL}${p}`;

  beforeEach(async () => {
    cloud = await new TwilioVoiceCloud().start();
    hub = await startTwimlTestApp(cloud.authToken);
    rest = createTwilioVoiceRest({ accountSid: cloud.accountSid, authToken: cloud.authToken, apiBaseUrl: cloud.url });
  });
  afterEach(async () => {
    await cloud.close();
    await hub.close();
  });

  const conferenceEvents = () => hub.hitsTo('/conf-events').map((h) => `${h.params['StatusCallbackEvent']}${h.params['CallSid'] ? `:${h.params['CallSid']}` : ''}`);

  it('a queued inbound caller is redirected into a conference with the agent; the agent hangs up → the caller’s <Dial action> goes on to the survey', async () => {
    hub.on(path('/incoming'), `<Say language="es-MX">Bienvenido.</Say><Enqueue action="${base()}/queue-exit" waitUrl="${base()}/wait">citas</Enqueue>`);
    hub.on(path('/wait'), (p) => `<Say>Su lugar en la fila es ${p['QueuePosition']}.</Say><Play>https://musica.example/espera.mp3</Play>`);
    hub.on(path('/queue-exit'), '<Say>Esto no debe escucharse.</Say>');
    hub.on(path('/connect'), `<Dial action="${base()}/after-agent"><Conference statusCallback="/conf-events" statusCallbackEvent="start end join leave hold" endConferenceOnExit="false">ventanilla-c1</Conference></Dial>`);
    hub.on(path('/after-agent'), (p) => `<Gather numDigits="1" action="${base()}/survey"><Say>Califique la atención: ${p['DialCallStatus']}.</Say></Gather>`);
    hub.on(path('/survey'), '<Say>Gracias.</Say><Hangup/>');

    const caller = await startCall({ baseUrl: hub.baseUrl, channelId: CHANNEL, authToken: cloud.authToken, accountSid: cloud.accountSid, from: CITIZEN, to: LINE });
    await caller.waitInQueue({ position: 1, queueTime: 3, avgQueueTime: 30 });
    const adopted = cloud.inbound(caller);
    expect(adopted).toMatchObject({ sid: caller.callSid, direction: 'inbound', status: 'in-progress' });
    await cloud.settle();
    expect(cloud.queue('citas')).toEqual([caller.callSid]);

    // The hub dials the agent into the conference first (as the voice bridge does), then moves the caller.
    const agent = await rest.addParticipant('ventanilla-c1', { from: LINE, to: AGENT, statusCallback: `${hub.baseUrl}/agent-status`, label: 'agent', endConferenceOnExit: true, conferenceStatusCallback: `${hub.baseUrl}/conf-events` });
    expect(agent.callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(agent.conferenceSid).toMatch(/^CF[0-9a-f]{32}$/);
    await cloud.settle();
    await rest.redirectCall(caller.callSid, `${base()}/connect`);
    await cloud.settle();

    const exit = hub.hitsTo(path('/queue-exit'));
    expect(exit).toHaveLength(1);
    expect(exit[0]?.params).toMatchObject({ QueueResult: 'redirected', CallSid: caller.callSid, QueueTime: expect.stringMatching(/^\d+$/) });
    expect(cloud.queue('citas')).toEqual([]);
    const conference = cloud.conferences.get('ventanilla-c1');
    expect(conference?.sid).toBe(agent.conferenceSid);
    expect(conference?.status).toBe('in-progress');
    expect([...(conference?.participants.keys() ?? [])].sort()).toEqual([agent.callSid, caller.callSid].sort());
    expect(cloud.call(caller.callSid).conference).toBe('ventanilla-c1');
    expect(conferenceEvents()).toEqual([`participant-join:${agent.callSid}`, 'conference-start', `participant-join:${caller.callSid}`]);
    expect(hub.hitsTo('/conf-events')[0]?.params).toMatchObject({ FriendlyName: 'ventanilla-c1', ConferenceSid: agent.conferenceSid, ParticipantLabel: 'agent', EndConferenceOnExit: 'true', SequenceNumber: '1' });

    // Hold the caller with music, then take them off hold.
    hub.on(path('/hold-music'), '<Play>https://musica.example/espera.mp3</Play>');
    await rest.updateParticipant(agent.conferenceSid ?? '', caller.callSid, { hold: true, holdUrl: `${base()}/hold-music` });
    await cloud.settle();
    expect(conference?.participants.get(caller.callSid)?.hold).toBe(true);
    await rest.updateParticipant(agent.conferenceSid ?? '', caller.callSid, { hold: false });
    await cloud.settle();
    expect(conferenceEvents().slice(3)).toEqual([`participant-hold:${caller.callSid}`, `participant-unhold:${caller.callSid}`]);
    expect(hub.hitsTo(path('/hold-music'))).toHaveLength(1);

    await cloud.hangUp(agent.callSid);
    expect(conferenceEvents().slice(5)).toEqual([`participant-leave:${agent.callSid}`, `participant-leave:${caller.callSid}`, 'conference-end']);
    expect(hub.hitsTo('/conf-events').at(-1)?.params).toMatchObject({ ReasonConferenceEnded: 'participant-with-end-conference-on-exit-left', CallSidEndingConference: agent.callSid });
    expect(hub.hitsTo('/agent-status').map((h) => h.params['CallStatus'])).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    const after = hub.hitsTo(path('/after-agent'));
    expect(after[0]?.params).toMatchObject({ DialCallStatus: 'completed', CallSid: caller.callSid, DialCallDuration: expect.stringMatching(/^\d+$/) });
    expect(cloud.call(caller.callSid).conference).toBeNull();

    await cloud.press(caller.callSid, '5');
    expect(hub.hitsTo(path('/survey'))[0]?.params['Digits']).toBe('5');
    const heard = cloud.call(caller.callSid).heard;
    expect(heard).toEqual(['Bienvenido.', 'Su lugar en la fila es 1.', 'https://musica.example/espera.mp3', 'Califique la atención: completed.', 'Gracias.']);
    expect(heard).not.toContain('Esto no debe escucharse.');
    // The number's status callback (the SimulatedCall's default /status) gets the completed call.
    const status = hub.hitsTo(path('/status'));
    expect(status.map((h) => h.params['CallStatus'])).toEqual(['completed']);
    expect(hub.hits.every((h) => h.signatureValid)).toBe(true);
    expect(cloud.errors).toEqual([]);
  });

  it('dual-channel recording through the REST API: the status callback arrives when the call ends', async () => {
    hub.on('/answer', `<Dial><Conference statusCallback="/conf-events">sala-2</Conference></Dial>`);
    const { callSid } = await rest.createCall({ to: CITIZEN, from: LINE, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` });
    await cloud.settle();
    const { recordingSid } = await rest.startRecording(callSid, { channels: 'dual', statusCallback: `${hub.baseUrl}/recording` });
    expect(recordingSid).toMatch(/^RE[0-9a-f]{32}$/);
    expect(cloud.requests.at(-1)?.form).toMatchObject({ RecordingChannels: 'dual' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await cloud.hangUp(callSid);
    const callback = hub.hitsTo('/recording');
    expect(callback).toHaveLength(1);
    expect(callback[0]?.params).toMatchObject({ RecordingSid: recordingSid, CallSid: callSid, RecordingStatus: 'completed', RecordingChannels: '2', RecordingSource: 'StartCallRecordingAPI', AccountSid: cloud.accountSid });
    expect(Number(callback[0]?.params['RecordingDuration'])).toBeGreaterThanOrEqual(1);
    // The last one out ends the conference.
    expect(conferenceEvents()).toEqual([`participant-join:${callSid}`, 'conference-start', `participant-leave:${callSid}`, 'conference-end']);
    // The recording is fetchable behind the account's basic auth, as Twilio's media URL.
    const url = callback[0]?.params['RecordingUrl'] ?? '';
    expect((await fetch(`${url}.wav`)).status).toBe(401);
    const media = await fetch(`${url}.wav`, { headers: { authorization: `Basic ${Buffer.from(`${cloud.accountSid}:${cloud.authToken}`).toString('base64')}` } });
    expect(media.status).toBe(200);
    expect(media.headers.get('content-type')).toBe('audio/x-wav');
  });

  it('<Record> (voicemail): the action gets RecordingUrl/Duration/Digits and the recording callback follows', async () => {
    cloud.behave(CITIZEN, { answer: true, recordSeconds: 7 });
    hub.on('/answer', '<Say>Deje su mensaje.</Say><Record maxLength="60" finishOnKey="#" action="/voicemail-done" recordingStatusCallback="/voicemail-ready"/>');
    hub.on('/voicemail-done', '<Say>Mensaje guardado.</Say><Hangup/>');
    const { callSid } = await rest.createCall({ to: CITIZEN, from: LINE, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` });
    await cloud.settle();
    const done = hub.hitsTo('/voicemail-done')[0]?.params;
    expect(done).toMatchObject({ RecordingDuration: '7', Digits: '#', CallSid: callSid, RecordingSid: expect.stringMatching(/^RE/) });
    expect(done?.['RecordingUrl']).toBe(`${cloud.url}/2010-04-01/Accounts/${cloud.accountSid}/Recordings/${done?.['RecordingSid']}`);
    expect(hub.hitsTo('/voicemail-ready')[0]?.params).toMatchObject({ RecordingStatus: 'completed', RecordingDuration: '7', RecordingChannels: '1', RecordingSource: 'RecordVerb' });
    expect(cloud.call(callSid).heard).toEqual(['Deje su mensaje.', 'Mensaje guardado.']);

    cloud.behave('+525599999999', { answer: true, recordSeconds: 90, recordEndsWith: 'hangup' });
    const second = await rest.createCall({ to: '+525599999999', from: LINE, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status2` });
    await cloud.settle();
    const hungUp = hub.hitsTo('/voicemail-done')[1]?.params;
    expect(hungUp).toMatchObject({ Digits: 'hangup', RecordingDuration: '60', CallSid: second.callSid });
    expect(cloud.call(second.callSid).heard).toEqual(['Deje su mensaje.']);
    expect(hub.hitsTo('/status2').at(-1)?.params['CallStatus']).toBe('completed');
  });

  it('<Dial><Number>: a bridged leg; its hang-up posts DialCallStatus=completed, a busy number DialCallStatus=busy', async () => {
    cloud.behave('+525500000002', { answer: false, status: 'busy' });
    hub.on('/answer', '<Dial action="/dialed" callerId="+528006232323"><Number statusCallback="/leg-status" statusCallbackEvent="initiated answered completed">+525500000001</Number></Dial>');
    hub.on('/dialed', (p) => (p['DialCallStatus'] === 'completed' ? '<Dial action="/dialed"><Number>+525500000002</Number></Dial>' : '<Say>Ocupado.</Say>'));
    const { callSid } = await rest.createCall({ to: CITIZEN, from: LINE, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` });
    await cloud.settle();
    const [leg] = cloud.callsTo('+525500000001');
    expect(leg).toMatchObject({ direction: 'outbound-dial', parentCallSid: callSid, from: '+528006232323', status: 'in-progress' });
    await cloud.hangUp(leg?.sid ?? '');
    const dialed = hub.hitsTo('/dialed');
    expect(dialed[0]?.params).toMatchObject({ DialCallStatus: 'completed', DialCallSid: leg?.sid, CallSid: callSid });
    expect(dialed[1]?.params).toMatchObject({ DialCallStatus: 'busy' });
    expect(hub.hitsTo('/leg-status').map((h) => h.params['CallStatus'])).toEqual(['initiated', 'in-progress', 'completed']);
    expect(hub.hitsTo('/leg-status')[0]?.params['ParentCallSid']).toBe(callSid);
    expect(cloud.call(callSid).heard).toEqual(['Ocupado.']);
    expect(cloud.call(callSid).status).toBe('completed');
  });

  it('removeParticipant kicks an API leg (it hangs up); the waitUrl can take the caller out with <Leave/>', async () => {
    const first = await rest.addParticipant('sala-3', { from: LINE, to: AGENT, statusCallback: `${hub.baseUrl}/a`, conferenceStatusCallback: `${hub.baseUrl}/conf-events` });
    const second = await rest.addParticipant('sala-3', { from: LINE, to: '+525500000009', statusCallback: `${hub.baseUrl}/b`, muted: true });
    await cloud.settle();
    await rest.removeParticipant(first.conferenceSid ?? '', second.callSid);
    await cloud.settle();
    expect(cloud.call(second.callSid).status).toBe('completed');
    expect(hub.hitsTo('/conf-events').at(-1)?.params).toMatchObject({ StatusCallbackEvent: 'participant-leave', CallSid: second.callSid, ReasonParticipantLeft: 'participant_kicked', Muted: 'true' });
    expect(cloud.conferences.get('sala-3')?.status).toBe('in-progress');
    await expect(rest.removeParticipant(first.conferenceSid ?? '', second.callSid)).resolves.toBeUndefined();

    hub.on('/answer', '<Enqueue waitUrl="/wait" action="/left">cola</Enqueue>');
    hub.on('/wait', '<Say>Cerramos.</Say><Leave/>');
    hub.on('/left', (p) => `<Say>Resultado ${p['QueueResult']}.</Say>`);
    const { callSid } = await rest.createCall({ to: CITIZEN, from: LINE, url: `${hub.baseUrl}/answer`, statusCallback: `${hub.baseUrl}/status` });
    await cloud.settle();
    expect(hub.hitsTo('/wait')[0]?.params).toMatchObject({ QueuePosition: '1', CurrentQueueSize: '1', QueueSid: expect.stringMatching(/^QU/) });
    expect(cloud.call(callSid).heard).toEqual(['Cerramos.', 'Resultado leave.']);
    expect(cloud.call(callSid).status).toBe('completed');
  });
});
