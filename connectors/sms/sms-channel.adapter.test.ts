import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRequest } from '../core/channel-adapter.js';
import { runAdapterConformance } from '../core/conformance.js';
import { translateDeliveryError } from '../core/delivery-errors.js';
import { FIXTURE_ACCOUNT_SID, FIXTURE_AUTH_TOKEN, FIXTURE_URL, twilioFixtures } from './fixtures/twilio-fixtures.js';
import { classifySendError, smsChannelAdapter, TWILIO_SIGNATURE_HEADER } from './sms-channel.adapter.js';
import { smsKeywordOf } from './sms-keywords.js';
import { isRetryableNonDelivery, twilioCodeOfReason } from './twilio-errors.js';

const secrets = { authToken: FIXTURE_AUTH_TOKEN };
const settings = smsChannelAdapter.settingsSchema.parse({ accountSid: FIXTURE_ACCOUNT_SID, from: '+525550001000', webhookBaseUrl: 'https://ventanilla.example.gob.mx' });
const path = new URL(FIXTURE_URL).pathname;

const sign = (body: Buffer) => ({
  [TWILIO_SIGNATURE_HEADER]: twilio.getExpectedTwilioSignature(FIXTURE_AUTH_TOKEN, FIXTURE_URL, Object.fromEntries(new URLSearchParams(body.toString('utf8')))),
});
const request = (params: Record<string, string>): RawRequest => {
  const body = Buffer.from(new URLSearchParams(params).toString());
  return { method: 'POST', url: path, headers: { ...sign(body), 'content-type': 'application/x-www-form-urlencoded', host: '10.0.0.5:3000' }, body };
};
const statusRequest = (word: string) => request({ ...twilioFixtures.statusDelivered, MessageStatus: word, SmsStatus: word });

runAdapterConformance({
  adapter: smsChannelAdapter,
  settings,
  secrets,
  sign,
  statusRequest,
  fixtures: [
    { name: 'incoming SMS', request: request(twilioFixtures.incomingSms), expectedEvents: 1, expectedTypes: ['message'] },
    { name: 'incoming MMS with two media', request: request(twilioFixtures.incomingMms), expectedEvents: 1, expectedTypes: ['message'] },
    { name: 'a SÍ answer', request: request(twilioFixtures.incomingYes), expectedEvents: 1, expectedTypes: ['message'] },
    { name: 'status delivered', request: request(twilioFixtures.statusDelivered), expectedEvents: 1, expectedTypes: ['status'], providerStatusWords: ['delivered'] },
    { name: 'status undelivered 30003', request: request(twilioFixtures.statusUndelivered), expectedEvents: 1, expectedTypes: ['status'], providerStatusWords: ['undelivered'] },
    { name: 'status queued (ignored)', request: request(twilioFixtures.statusQueued), expectedEvents: 0, providerStatusWords: ['queued'] },
  ],
  unsupported: request(twilioFixtures.unsupportedLocation),
});

describe('SMS adapter: signatures', () => {
  it('checks the documented example of Twilio\'s security page (HMAC-SHA1 of URL + sorted params, base64)', () => {
    // Twilio's request-validation guide: token 12345, this URL and these params are signed
    // RSOYDt4T1cUTdK1PDd93/VVr8B8=.
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
    expect(twilio.getExpectedTwilioSignature('12345', url, params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    const body = Buffer.from(new URLSearchParams(params).toString());
    const s = smsChannelAdapter.settingsSchema.parse({ accountSid: FIXTURE_ACCOUNT_SID, from: '+525550001000', webhookBaseUrl: 'https://mycompany.com' });
    const verify = (signature: string) => smsChannelAdapter.verifyRequest({ method: 'POST', url: '/myapp.php?foo=1&bar=2', headers: { [TWILIO_SIGNATURE_HEADER]: signature }, body }, s, { authToken: '12345' });
    expect(verify('RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toEqual({ ok: true });
    expect(verify('RSOYDt4T1cUTdK1PDd93/VVr8B8').ok).toBe(false);
  });

  it('takes scheme and host from webhookBaseUrl, else from the forwarded headers', () => {
    const signed = request(twilioFixtures.incomingSms);
    // The hub sees http://10.0.0.5:3000 behind the proxy; Twilio signed the public https URL.
    const bare = smsChannelAdapter.settingsSchema.parse({ accountSid: FIXTURE_ACCOUNT_SID, from: '+525550001000' });
    expect(smsChannelAdapter.verifyRequest(signed, bare, secrets).ok).toBe(false);
    const forwarded = { ...signed, headers: { ...signed.headers, 'x-forwarded-proto': 'https', host: 'ventanilla.example.gob.mx' } };
    expect(smsChannelAdapter.verifyRequest(forwarded, bare, secrets)).toEqual({ ok: true });
    expect(smsChannelAdapter.verifyRequest(signed, settings, secrets)).toEqual({ ok: true });
  });

  it('a signature for another channel path does not verify', () => {
    const signed = request(twilioFixtures.incomingSms);
    expect(smsChannelAdapter.verifyRequest({ ...signed, url: '/webhooks/sms/other-channel' }, settings, secrets).ok).toBe(false);
  });
});

describe('SMS adapter: decoding', () => {
  it('an SMS is a text message from the sender phone, with the MessageSid', () => {
    expect(smsChannelAdapter.decodeInbound(request(twilioFixtures.incomingSms), settings)).toEqual([
      { type: 'message', providerMessageId: 'SM1f0e2d3c4b5a69788796a5b4c3d2e1f0', occurredAt: expect.any(String), contact: { phone: '+525512345678' }, content: { type: 'text', text: 'Hola, quiero saber el estado de mi trámite' } },
    ]);
  });

  it('an MMS carries every MediaUrlN as a media reference with its type, and the caption', () => {
    const [event] = smsChannelAdapter.decodeInbound(request(twilioFixtures.incomingMms), settings);
    expect(event).toMatchObject({
      type: 'message',
      content: {
        type: 'image',
        text: 'Mi comprobante',
        attachments: [
          { mediaRef: twilioFixtures.incomingMms.MediaUrl0, mimeType: 'image/jpeg' },
          { mediaRef: twilioFixtures.incomingMms.MediaUrl1, mimeType: 'application/pdf' },
        ],
      },
    });
  });

  it('SÍ / si / NO are choices (replyId yes / no) a later flow can act on', () => {
    const decode = (Body: string) => smsChannelAdapter.decodeInbound(request({ ...twilioFixtures.incomingYes, Body }), settings)[0];
    expect(decode('Sí')).toMatchObject({ content: { type: 'interactive', replyId: 'yes', text: 'Sí' } });
    expect(decode(' si. ')).toMatchObject({ content: { type: 'interactive', replyId: 'yes' } });
    expect(decode('NO')).toMatchObject({ content: { type: 'interactive', replyId: 'no' } });
    expect(decode('no puedo ir')).toMatchObject({ content: { type: 'text', text: 'no puedo ir' } });
  });

  it('undelivered carries the normalised code and Twilio\'s code and words in the reason', () => {
    const [event] = smsChannelAdapter.decodeInbound(request(twilioFixtures.statusUndelivered), settings);
    expect(event).toMatchObject({ type: 'status', status: 'failed', error: { code: 'recipient_unreachable', reason: '30003: Unreachable destination handset' } });
    expect(event?.type === 'status' && twilioCodeOfReason(event.error?.reason)).toBe('30003');
  });

  it('NumMedia without its MediaUrl, or a body without MessageSid, is a DecodeError naming the field', () => {
    expect(() => smsChannelAdapter.decodeInbound(request({ ...twilioFixtures.incomingSms, NumMedia: '1' }), settings)).toThrow(/MediaUrl0/);
    const { MessageSid: _drop, ...noSid } = twilioFixtures.incomingSms;
    expect(() => smsChannelAdapter.decodeInbound(request(noSid), settings)).toThrow(/Twilio messaging webhook/);
  });
});

describe('SMS keywords', () => {
  it('recognises opt-out, opt-in and yes/no whatever the case, accents or punctuation', () => {
    for (const word of ['ALTO', 'stop', 'Baja', '¡Cancelar!', 'unsubscribe']) expect(smsKeywordOf(word)).toBe('opt_out');
    for (const word of ['START', 'alta', 'Reanudar']) expect(smsKeywordOf(word)).toBe('opt_in');
    expect(smsKeywordOf('SÍ')).toBe('yes');
    expect(smsKeywordOf('Alto ahí, necesito ayuda')).toBeNull();
    expect(smsKeywordOf('')).toBeNull();
  });
});

describe('SMS adapter: sending through the REST API', () => {
  interface Seen {
    path: string;
    auth: string | undefined;
    form: URLSearchParams;
  }
  const seen: Seen[] = [];
  let answer: { status: number; body: unknown } = { status: 201, body: { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' } };
  let server: Server;
  let apiBaseUrl = '';

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', auth: req.headers.authorization, form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const message = (text: string, attachments: Array<{ url: string }> = []) =>
    ({
      id: 'b1e2c3d4-0000-4000-8000-000000000001',
      conversationId: 'c1',
      folio: 'DH-1',
      to: { phone: '+525512345678' },
      content: attachments.length ? { type: 'image' as const, text, attachments } : { type: 'text' as const, text },
      sender: { type: 'agent' as const },
    }) satisfies Parameters<typeof smsChannelAdapter.encodeOutbound>[0];

  it('posts Messages.json with basic auth, To, From, Body, MediaUrl and the StatusCallback of the channel', async () => {
    const s = smsChannelAdapter.settingsSchema.parse({ accountSid: FIXTURE_ACCOUNT_SID, from: '+525550001000', apiBaseUrl, webhookBaseUrl: 'https://ventanilla.example.gob.mx/' });
    const encoded = smsChannelAdapter.encodeOutbound(message('Su cita es mañana', [{ url: 'https://files.example.mx/a.jpg' }, { url: 'https://files.example.mx/b.jpg' }]), s);
    const result = await smsChannelAdapter.send(encoded, s, secrets, { fetch, channelId: 'chan-1' });
    expect(result).toEqual({ ok: true, providerMessageId: 'SM0123456789abcdef0123456789abcdef' });
    const call = seen.at(-1)!;
    expect(call.path).toBe(`/2010-04-01/Accounts/${FIXTURE_ACCOUNT_SID}/Messages.json`);
    expect(call.auth).toBe(`Basic ${Buffer.from(`${FIXTURE_ACCOUNT_SID}:${FIXTURE_AUTH_TOKEN}`).toString('base64')}`);
    expect(call.form.get('To')).toBe('+525512345678');
    expect(call.form.get('From')).toBe('+525550001000');
    expect(call.form.get('Body')).toBe('Su cita es mañana');
    expect(call.form.getAll('MediaUrl')).toEqual(['https://files.example.mx/a.jpg', 'https://files.example.mx/b.jpg']);
    expect(call.form.get('StatusCallback')).toBe('https://ventanilla.example.gob.mx/webhooks/sms/chan-1');
  });

  it('a Messaging Service sends instead of a number; no StatusCallback when turned off', async () => {
    const s = smsChannelAdapter.settingsSchema.parse({ accountSid: FIXTURE_ACCOUNT_SID, messagingServiceSid: 'MG00000000000000000000000000000002', apiBaseUrl, webhookBaseUrl: 'https://x.example.mx', statusCallback: false });
    await smsChannelAdapter.send(smsChannelAdapter.encodeOutbound(message('Hola'), s), s, secrets, { fetch, channelId: 'chan-1' });
    const call = seen.at(-1)!;
    expect(call.form.get('MessagingServiceSid')).toBe('MG00000000000000000000000000000002');
    expect(call.form.has('From')).toBe(false);
    expect(call.form.has('StatusCallback')).toBe(false);
  });

  it('classifies Twilio errors: invalid number and opt-out are final, 429 and 5xx are retried', async () => {
    const s = smsChannelAdapter.settingsSchema.parse({ accountSid: FIXTURE_ACCOUNT_SID, from: '+525550001000', apiBaseUrl });
    const attempt = async (status: number, body: unknown) => {
      answer = { status, body };
      return smsChannelAdapter.send(smsChannelAdapter.encodeOutbound(message('Hola'), s), s, secrets, { fetch });
    };
    expect(await attempt(400, { code: 21211, message: "The 'To' number 123 is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 })).toMatchObject({
      ok: false,
      retryable: false,
      code: 'invalid_phone',
      reason: "21211: The 'To' number 123 is not a valid phone number.",
    });
    expect(await attempt(400, { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 })).toMatchObject({ ok: false, retryable: false, code: 'recipient_opted_out' });
    expect(await attempt(429, { code: 20429, message: 'Too Many Requests', status: 429 })).toMatchObject({ ok: false, retryable: true, code: 'rate_limited' });
    expect(await attempt(503, { message: 'Service unavailable', status: 503 })).toMatchObject({ ok: false, retryable: true, code: 'http_503' });
    expect(await attempt(401, { code: 20003, message: 'Authenticate', status: 401 })).toMatchObject({ ok: false, retryable: false, code: 'provider_auth_failed' });
    answer = { status: 201, body: { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' } };
    expect(classifySendError(new TypeError('fetch failed'))).toMatchObject({ retryable: true, code: 'network_error' });
  });

  it('without a phone or an auth token nothing is sent', async () => {
    const s = smsChannelAdapter.settingsSchema.parse({ accountSid: FIXTURE_ACCOUNT_SID, from: '+525550001000', apiBaseUrl });
    const before = seen.length;
    const noPhone = smsChannelAdapter.encodeOutbound({ ...message('Hola'), to: { email: 'a@example.mx' } }, s);
    expect(await smsChannelAdapter.send(noPhone, s, secrets, { fetch })).toMatchObject({ ok: false, retryable: false, code: 'invalid_phone' });
    expect(await smsChannelAdapter.send(smsChannelAdapter.encodeOutbound(message('Hola'), s), s, {}, { fetch })).toMatchObject({ ok: false, code: 'no_secret' });
    expect(seen.length).toBe(before);
  });

  it('the agent reads the reasons in Spanish first', () => {
    expect(translateDeliveryError('invalid_phone', '21211: bad')).toMatch(/^El número telefónico del destinatario no es válido/);
    expect(translateDeliveryError('recipient_opted_out', '')).toMatch(/^El ciudadano pidió no recibir más mensajes/);
    expect(isRetryableNonDelivery('30003')).toBe(true);
    expect(isRetryableNonDelivery('30006')).toBe(false);
  });
});

describe('SMS adapter: inbound media', () => {
  let server: Server;
  let base = '';
  const auths: Array<string | undefined> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      auths.push(req.headers.authorization);
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(Buffer.alloc(5000));
        return;
      }
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(Buffer.from('JPEGDATA'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('downloads MediaUrl with the account basic auth, and gives up on media over the limit', async () => {
    const media = await smsChannelAdapter.fetchMedia!(`${base}/m0`, settings, secrets, { fetch, maxBytes: 1000 });
    expect(media).toEqual({ content: Buffer.from('JPEGDATA'), mimeType: 'image/jpeg' });
    expect(auths[0]).toBe(`Basic ${Buffer.from(`${FIXTURE_ACCOUNT_SID}:${FIXTURE_AUTH_TOKEN}`).toString('base64')}`);
    expect(await smsChannelAdapter.fetchMedia!(`${base}/big`, settings, secrets, { fetch, maxBytes: 1000 })).toBeNull();
  });
});
