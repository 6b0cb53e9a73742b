import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nssCheckDigit, validateNss } from '../../hub/src/contacts/official-ids.js';
import { startCall, type TwimlVerb } from '../harness/twilio-voice/index.js';
import { startVoiceTestApp, type VoiceTestApp } from './voice-test-app.js';

const FROM = '+525512345678';
const TO = '+528006232323';

function nss(first10: string): string {
  return `${first10}${nssCheckDigit(first10)}`;
}

function says(verbs: TwimlVerb[]): string {
  return verbs.map((v) => (v.verb === 'Say' ? v.text : v.verb === 'Gather' ? says(v.children) : '')).join(' ');
}

describe('a whole call through the demo IVR (Twilio Voice webhooks)', () => {
  let t: VoiceTestApp;
  beforeEach(async () => {
    t = await startVoiceTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const dial = () => startCall({ baseUrl: t.baseUrl, channelId: t.channel.id, authToken: t.channel.authToken, accountSid: t.channel.accountSid, from: FROM, to: TO });

  it('welcome and privacy → menu → NSS (invalid, then valid) → birth date → in line, wait announcement, hang-up', async () => {
    const call = await dial();
    expect(call.lastStatus).toBe(200);
    expect(call.heard().join(' ')).toContain('Bienvenido a la línea de atención del IMSS');
    expect(call.heard().join(' ')).toContain('Aviso de privacidad');
    const say = call.verbs.find((v) => v.verb === 'Say');
    expect(say).toMatchObject({ language: 'es-MX', voice: 'Polly.Mia' });
    expect(call.gather()?.action).toBe(`${t.baseUrl}/webhooks/voice/${t.channel.id}/ivr/menu-principal`);

    await call.press('1');
    expect(call.gather()).toMatchObject({ numDigits: 11, input: ['dtmf'] });
    expect(call.heard().at(-1)).toBe('Marque los 11 dígitos de su número de seguridad social.');

    const valid = nss('1234567890');
    const wrongDigit = `${valid.slice(0, 10)}${(Number(valid.slice(10)) + 1) % 10}`;
    expect(validateNss(wrongDigit).ok).toBe(false);
    await call.press(wrongDigit);
    expect(call.heard()).toContain('El número de seguridad social no es válido.');
    expect(call.gather()?.action).toContain('/ivr/captura-nss');

    await call.press(valid);
    expect(call.gather()?.action).toContain('/ivr/captura-nacimiento');
    await call.press('15031985');

    const enqueue = call.verbs.find((v) => v.verb === 'Enqueue');
    expect(enqueue).toMatchObject({ verb: 'Enqueue', queue: `citas-${t.channel.id.slice(0, 8)}`, waitUrl: `${t.baseUrl}/webhooks/voice/${t.channel.id}/wait`, waitUrlMethod: 'POST' });
    expect(call.heard().at(-1)).toBe('Gracias. En un momento un asesor le ayudará con su cita.');
    expect(t.enqueued).toHaveLength(1);
    expect(t.enqueued[0]?.outcome).toMatchObject({ type: 'queue', skill: 'citas_medicas', collected: { nss: valid, fecha_nacimiento: '1985-03-15' } });
    expect(t.enqueued[0]?.call.callSid).toBe(call.callSid);

    await call.waitInQueue({ position: 3, queueTime: 20, avgQueueTime: 90 });
    expect(t.waitRequests.at(-1)).toEqual({ queuePosition: 3, queueTime: 20, avgQueueTime: 90 });
    expect(call.heard()).toContain('Usted es la persona número 3 en la fila. El tiempo estimado de espera es de 5 minutos.');
    expect(call.heard()).toContain('Para dejar un mensaje de voz, marque 1; para que le devolvamos la llamada, marque 2.');
    const waitGather = call.gather();
    expect(waitGather).toMatchObject({ numDigits: 1, action: `${t.baseUrl}/webhooks/voice/${t.channel.id}/wait-choice` });
    expect(waitGather?.children.some((v) => v.verb === 'Play' && v.url.startsWith('http'))).toBe(true);

    await call.waitInQueue({ position: 1, queueTime: 200, avgQueueTime: 0 });
    expect(call.heard()).toContain('Usted es la siguiente persona en ser atendida. El tiempo estimado de espera es de 1 minuto.');

    const hangUp = await call.hangUp(312);
    expect(hangUp.status).toBe(200);

    const stored = await t.store.get(call.callSid);
    expect(stored).toMatchObject({ channelId: t.channel.id, from: FROM, to: TO, status: 'completed', outcome: { type: 'queue' } });
    expect(stored?.state?.collected).toEqual({ nss: valid, fecha_nacimiento: '1985-03-15' });
    const types = stored?.events.map((e) => e.type) ?? [];
    expect(types[0]).toBe('incoming');
    expect(types.filter((type) => type === 'ivr_input')).toHaveLength(4);
    expect(types).toContain('enqueued');
    expect(types.filter((type) => type === 'wait_announced')).toHaveLength(2);
    expect(types.slice(-2)).toEqual(['status', 'ended']);
    expect(stored?.events.find((e) => e.type === 'ivr_input' && e.data['node'] === 'menu-principal')?.data['digits']).toBe('1');
    expect(stored?.events.at(-1)?.data).toEqual({ status: 'completed', duration: '312' });
  });

  it('speech works where the menu accepts it', async () => {
    const call = await dial();
    expect(call.gather()?.input).toEqual(['dtmf', 'speech']);
    await call.speak('quiero una cita');
    expect(call.gather()?.action).toContain('/ivr/captura-nss');
  });

  it('silence re-asks the menu through the <Redirect>', async () => {
    const call = await dial();
    await call.silence();
    expect(call.gather()?.action).toContain('/ivr/menu-principal');
    expect(says(call.verbs)).toContain('Para citas médicas, marque 1');
    const stored = await t.store.get(call.callSid);
    expect(stored?.state).toMatchObject({ node: 'menu-principal', attempts: 1 });
  });

  it('a caller who asks for the same information a third time is disconnected (seed L1531)', async () => {
    const call = await dial();
    const info = 'Puede obtener su constancia de semanas cotizadas';
    await call.press('3');
    await call.press('3');
    expect(call.heard().filter((text) => text.startsWith(info))).toHaveLength(2);
    expect(call.has('Hangup')).toBe(false);

    await call.press('3');
    expect(call.heard().filter((text) => text.startsWith(info))).toHaveLength(2);
    expect(call.heard().at(-1)).toBe('Ya le compartimos esta información dos veces. Gracias por llamar al IMSS; hasta luego.');
    expect(call.verbs.at(-1)).toEqual({ verb: 'Hangup' });
    expect((await t.store.get(call.callSid))?.outcome).toEqual({ type: 'hangup', reason: 'repeated_information' });
    expect(t.enqueued).toHaveLength(0);
  });

  it('wait choice 1 asks for a voicemail: <Leave/> and an event (the recording comes with the hub)', async () => {
    const call = await dial();
    await call.press('0');
    expect(call.enqueued()?.waitUrl).toContain('/wait');
    await call.waitInQueue({ position: 2, queueTime: 5, avgQueueTime: 60 });
    await call.press('1');
    expect(call.verbs).toEqual([{ verb: 'Leave' }]);
    const stored = await t.store.get(call.callSid);
    const types = stored?.events.map((e) => e.type) ?? [];
    expect(types.slice(-2)).toEqual(['wait_choice', 'voicemail_requested']);
    expect(stored?.events.at(-2)?.data).toEqual({ digits: '1' });
  });

  it('wait choice 2 asks for a call-back; any other key goes back to the announcement', async () => {
    const call = await dial();
    await call.press('0');
    await call.waitInQueue({ position: 4, queueTime: 5, avgQueueTime: 30 });
    await call.press('7');
    expect(call.verbs).toEqual([{ verb: 'Redirect', url: `${t.baseUrl}/webhooks/voice/${t.channel.id}/wait`, method: 'POST' }]);
    await call.waitInQueue({ position: 4, queueTime: 35, avgQueueTime: 30 });
    await call.press('2');
    expect(call.verbs).toEqual([{ verb: 'Leave' }]);
    const types = (await t.store.get(call.callSid))?.events.map((e) => e.type) ?? [];
    expect(types).toContain('callback_requested');
    expect(types).not.toContain('voicemail_requested');
  });
});

describe('outside business hours', () => {
  it('the demo tree says the hours, offers a voicemail or a call-back, and hangs up on «terminar»; nobody is put in line', async () => {
    const t = await startVoiceTestApp({ open: false });
    try {
      const call = await startCall({ baseUrl: t.baseUrl, channelId: t.channel.id, authToken: t.channel.authToken, accountSid: t.channel.accountSid, from: FROM, to: TO });
      expect(call.heard().join(' ')).toContain('Nuestro horario de atención es de lunes a viernes');
      expect(call.heard().join(' ')).toContain('Para dejarnos un mensaje de voz, marque 1');
      await call.press('3');
      expect(call.verbs.at(-1)).toEqual({ verb: 'Hangup' });
      expect((await t.store.get(call.callSid))?.outcome).toEqual({ type: 'hangup', reason: 'completed' });
      expect(t.enqueued).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});
