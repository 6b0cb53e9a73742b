import fc from 'fast-check';
import twilio from 'twilio';
import {
  apiChannelAdapter,
  API_SIGNATURE_HEADER,
  DecodeError,
  emailChannelAdapter,
  inboundEventSchema,
  META_SIGNATURE_HEADER,
  metaChannelAdapter,
  signBody,
  smsChannelAdapter,
  TWILIO_SIGNATURE_HEADER,
  voiceChannelAdapter,
  webchatChannelAdapter,
  WHATSAPP_SIGNATURE_HEADER,
  whatsappChannelAdapter,
  whatsappWebChannelAdapter,
  xChannelAdapter,
  xSignature,
  X_SIGNATURE_HEADER,
  type ChannelAdapter,
  type ChannelSecrets,
  type RawRequest,
} from '@ventanilla/connectors';
import { fromAck, fromLibraryMessage, fromLibraryReaction, isCitizenChat, wwebjsMessageSchema, wwebjsReactionSchema } from '../../connectors/whatsapp-web/whatsapp-web-inbound.js';
import { apiFixtures } from '../../connectors/api/fixtures/api-fixtures.js';
import { META_FIXTURE_IDS, metaFixtures } from '../../connectors/meta/fixtures/meta-fixtures.js';
import { FIXTURE_ACCOUNT_SID, FIXTURE_AUTH_TOKEN, FIXTURE_URL, twilioFixtures } from '../../connectors/sms/fixtures/twilio-fixtures.js';
import { FIXTURE_PHONE_NUMBER_ID, WHATSAPP_FIXTURE_NAMES, whatsappFixture } from '../../connectors/whatsapp/fixtures/whatsapp-fixtures.js';
import { X_ACCOUNT_ID, xFixtures } from '../../connectors/x/fixtures/x-fixtures.js';
import { parseTwilioForm, twilioSignatureValid } from '../../voice-bridge/src/http/twilio-form.js';
import { anyJson, bodyArbitrary, headerValue, jsonMutation, mutateJson } from './fuzz-arbitraries.js';

/**
 * What one fuzz input did. The check throws (failing the property) on anything the connector
 * contract forbids: a throw other than DecodeError, an invalid event, an unsigned request accepted.
 */
export type Outcome = string;

export interface DecoderTarget<C = unknown> {
  name: string;
  arbitrary: fc.Arbitrary<C>;
  check(input: C): Outcome;
}

/** A webhook connector as the hub mounts it: settings, secrets and how its provider signs. */
export interface WebhookConnector {
  kind: 'api' | 'whatsapp' | 'meta' | 'x' | 'sms';
  adapter: ChannelAdapter<unknown>;
  settings: unknown;
  secrets: ChannelSecrets;
  signatureHeader: string;
  /** The settings as an administrator saves them (the channel row). */
  settingsInput: Record<string, unknown>;
  /** The path the provider posts to (Twilio signs the full URL). */
  path: string;
  sign(body: Buffer, path: string): string;
  contentType: string;
  fixtures: unknown[];
  encode(value: unknown): Buffer;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');

/** Form bodies: string values as-is, anything else as its JSON text (what a broken client would send). */
export function formEncode(value: unknown): Buffer {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return json(value);
  const params = new URLSearchParams();
  for (const [key, v] of Object.entries(value)) params.append(key, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  return Buffer.from(params.toString());
}

export function twilioSign(authToken: string, url: string, body: Buffer): string {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    const prior = Object.hasOwn(params, key) ? params[key] : undefined;
    Object.defineProperty(params, key, { value: prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value], enumerable: true, writable: true, configurable: true });
  }
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export function webhookConnectors(): WebhookConnector[] {
  const smsUrl = new URL(FIXTURE_URL);
  return [
    {
      kind: 'api',
      adapter: apiChannelAdapter,
      settingsInput: { callbackUrl: 'http://127.0.0.1:9/callback' },
      settings: apiChannelAdapter.settingsSchema.parse({ callbackUrl: 'http://127.0.0.1:9/callback' }),
      secrets: { signingSecret: 'fuzz-signing-secret-0123456789' },
      signatureHeader: API_SIGNATURE_HEADER,
      path: '/webhooks/api/fuzz',
      sign: (body) => signBody('fuzz-signing-secret-0123456789', body),
      contentType: 'application/json',
      fixtures: Object.values(apiFixtures),
      encode: json,
    },
    {
      kind: 'whatsapp',
      adapter: whatsappChannelAdapter,
      settingsInput: { phoneNumberId: FIXTURE_PHONE_NUMBER_ID },
      settings: whatsappChannelAdapter.settingsSchema.parse({ phoneNumberId: FIXTURE_PHONE_NUMBER_ID }),
      secrets: { accessToken: 'EAAG-fuzz', appSecret: 'fuzz-app-secret-0123456789', verifyToken: 'fuzz-verify' },
      signatureHeader: WHATSAPP_SIGNATURE_HEADER,
      path: '/webhooks/whatsapp/fuzz',
      sign: (body) => signBody('fuzz-app-secret-0123456789', body),
      contentType: 'application/json',
      fixtures: WHATSAPP_FIXTURE_NAMES.map((name): unknown => JSON.parse(whatsappFixture(name).toString('utf8'))),
      encode: json,
    },
    {
      kind: 'meta',
      adapter: metaChannelAdapter,
      settingsInput: { pageId: META_FIXTURE_IDS.pageId, instagramAccountId: META_FIXTURE_IDS.instagramAccountId },
      settings: metaChannelAdapter.settingsSchema.parse({ pageId: META_FIXTURE_IDS.pageId, instagramAccountId: META_FIXTURE_IDS.instagramAccountId }),
      secrets: { pageAccessToken: 'EAAG-fuzz', appSecret: 'fuzz-app-secret-0123456789', verifyToken: 'fuzz-verify' },
      signatureHeader: META_SIGNATURE_HEADER,
      path: '/webhooks/meta/fuzz',
      sign: (body) => signBody('fuzz-app-secret-0123456789', body),
      contentType: 'application/json',
      fixtures: Object.values(metaFixtures),
      encode: json,
    },
    {
      kind: 'x',
      adapter: xChannelAdapter,
      settingsInput: { accountId: X_ACCOUNT_ID, apiBaseUrl: 'http://127.0.0.1:9/x-api' },
      settings: xChannelAdapter.settingsSchema.parse({ accountId: X_ACCOUNT_ID, apiBaseUrl: 'http://127.0.0.1:9/x-api' }),
      secrets: { consumerSecret: 'fuzz-consumer-secret', userAccessToken: 'fuzz-user-token' },
      signatureHeader: X_SIGNATURE_HEADER,
      path: '/webhooks/x/fuzz',
      sign: (body) => xSignature('fuzz-consumer-secret', body),
      contentType: 'application/json; charset=utf-8',
      fixtures: Object.values(xFixtures),
      encode: json,
    },
    {
      kind: 'sms',
      adapter: smsChannelAdapter,
      settingsInput: { accountSid: FIXTURE_ACCOUNT_SID, from: '+525550001000', webhookBaseUrl: smsUrl.origin },
      settings: smsChannelAdapter.settingsSchema.parse({ accountSid: FIXTURE_ACCOUNT_SID, from: '+525550001000', webhookBaseUrl: smsUrl.origin }),
      secrets: { authToken: FIXTURE_AUTH_TOKEN },
      signatureHeader: TWILIO_SIGNATURE_HEADER,
      path: smsUrl.pathname,
      sign: (body, path) => twilioSign(FIXTURE_AUTH_TOKEN, `${smsUrl.origin}${path}`, body),
      contentType: 'application/x-www-form-urlencoded',
      fixtures: Object.values(twilioFixtures),
      encode: formEncode,
    },
  ];
}

export interface WebhookCase {
  body: Buffer;
  /** Random headers (a forged or absent signature, odd content types). */
  headers: Record<string, string | string[] | undefined>;
}

export function webhookCase(c: WebhookConnector): fc.Arbitrary<WebhookCase> {
  const names = fc.constantFrom(c.signatureHeader, 'content-type', 'host', 'x-forwarded-proto', 'x-forwarded-host', 'content-length');
  return fc.record({
    body: bodyArbitrary(c.fixtures, c.encode),
    headers: fc.dictionary(names, headerValue, { maxKeys: 4 }),
  });
}

/**
 * The contract of `verifyRequest`/`decodeInbound` on garbage: verification never throws and
 * refuses anything not signed with the secret; decoding a signed body yields valid events or a
 * DecodeError, nothing else.
 */
export function webhookTarget(c: WebhookConnector): DecoderTarget<WebhookCase> {
  return {
    name: c.kind,
    arbitrary: webhookCase(c),
    check({ body, headers }) {
      const forged: RawRequest = { method: 'POST', url: c.path, headers, body };
      if (c.adapter.verifyRequest(forged, c.settings, c.secrets).ok) throw new Error(`${c.kind}: an unsigned/forged request verified`);
      const signed: RawRequest = { method: 'POST', url: c.path, headers: { host: 'ventanilla.example.gob.mx', 'content-type': c.contentType, ...headers, [c.signatureHeader]: c.sign(body, c.path) }, body };
      const verified = c.adapter.verifyRequest(signed, c.settings, c.secrets).ok ? 'signed' : 'signed-refused';
      return `${verified}:${decodeOutcome(c.adapter, signed, c.settings)}`;
    },
  };
}

function decodeOutcome(adapter: ChannelAdapter<unknown>, request: RawRequest, settings: unknown): Outcome {
  let events;
  try {
    events = adapter.decodeInbound(request, settings);
  } catch (error) {
    if (error instanceof DecodeError) return 'decode_error';
    throw error;
  }
  for (const event of events) {
    const parsed = inboundEventSchema.safeParse(event);
    if (!parsed.success) throw new Error(`${adapter.kind}: decoded an invalid event ${JSON.stringify(event)}: ${parsed.error.message}`);
  }
  if (events.some((e) => e.type === 'message' && e.content.type === 'unsupported')) return 'unsupported';
  return events.length === 0 ? 'no_events' : 'events';
}

/** Channels without a webhook must refuse everything and decode nothing (fail closed). */
export function closedTarget(adapter: ChannelAdapter<unknown>): DecoderTarget<WebhookCase> {
  return {
    name: `${adapter.kind} (no webhook)`,
    arbitrary: fc.record({ body: bodyArbitrary([{ type: 'message' }], json), headers: fc.dictionary(fc.string({ maxLength: 20 }), headerValue, { maxKeys: 3 }) }),
    check({ body, headers }) {
      const request: RawRequest = { method: 'POST', url: '/webhooks/x/y', headers, body };
      if (adapter.verifyRequest(request, {}, { authToken: 'x', signingSecret: 'x' }).ok) throw new Error(`${adapter.kind}: verified a request`);
      if (decodeOutcome(adapter, request, {}) !== 'decode_error') throw new Error(`${adapter.kind}: decoded a request`);
      return 'refused';
    },
  };
}

const CITIZEN = '5215512345678@c.us';
const wwebMessages: unknown[] = [
  { type: 'chat', body: 'Hola, quiero una cita', hasMedia: false, _data: { notifyName: 'María López' } },
  { type: 'image', body: 'Mi INE', hasMedia: true, _data: { mimetype: 'image/jpeg', size: 2048, filename: 'ine.jpg' } },
  { type: 'location', body: '', hasMedia: false, location: { latitude: 19.43, longitude: -99.13, description: 'Zócalo' }, _data: {} },
  { type: 'vcard', body: '', hasMedia: false, vCards: ['BEGIN:VCARD\nVERSION:3.0\nFN:Ana Pérez\nTEL;type=CELL:+5215512345678\nEND:VCARD'], _data: {} },
  { type: 'buttons_response', body: 'Sí', hasMedia: false, selectedButtonId: 'si', _data: {} },
  { type: 'list_response', body: 'Martes', hasMedia: false, selectedRowId: 'martes', _data: {} },
  { type: 'reaction', body: '👍', hasMedia: false, _data: { parentMsgKey: { _serialized: 'true_5215512345678@c.us_ABC' } } },
].map((extra) => ({
  id: { fromMe: false, remote: CITIZEN, id: '3EB0C767D26A1D4C1B2F', _serialized: `false_${CITIZEN}_3EB0C767D26A1D4C1B2F` },
  timestamp: 1764150000,
  from: CITIZEN,
  fromMe: false,
  isStatus: false,
  vCards: [],
  ...extra,
}));
const wwebReaction = { id: { fromMe: false, _serialized: 'false_5215512345678@c.us_R1' }, reaction: '❤️', msgId: { _serialized: 'true_5215512345678@c.us_M1' }, senderId: CITIZEN, timestamp: 1764150000123 };

/**
 * whatsapp-web.js has no webhook: the session manager safeParses what the library emits and maps
 * it. Whatever passes the schema must map to a valid event without throwing.
 */
export function whatsappWebTarget(): DecoderTarget<{ value: unknown; reaction: unknown; ack: number }> {
  const mutated = (fixtures: unknown[]) =>
    fc.oneof({ weight: 4, arbitrary: fc.tuple(fc.constantFrom(...fixtures), fc.array(jsonMutation, { minLength: 1, maxLength: 4 })).map(([f, ms]) => mutateJson(f, ms)) }, { weight: 1, arbitrary: anyJson });
  return {
    name: 'whatsapp_web (session events)',
    arbitrary: fc.record({ value: mutated(wwebMessages), reaction: mutated([wwebReaction]), ack: fc.oneof(fc.integer({ min: -3, max: 6 }), fc.double()) }),
    check({ value, reaction, ack }) {
      const outcomes: string[] = [];
      const message = wwebjsMessageSchema.safeParse(value);
      if (message.success) {
        if (isCitizenChat(message.data, true)) {
          const event = fromLibraryMessage(message.data);
          // The session's enqueue() validates every event and logs and drops one that does not fit.
          if (!inboundEventSchema.safeParse(event).success) outcomes.push('message_not_queued');
          else outcomes.push(event.content.type === 'unsupported' ? 'unsupported' : 'message');
        } else outcomes.push('not_citizen');
        const status = fromAck({ ...message.data, fromMe: true }, ack);
        if (status) outcomes.push(inboundEventSchema.safeParse(status).success ? 'status' : 'status_not_queued');
      } else outcomes.push('ignored');
      const parsedReaction = wwebjsReactionSchema.safeParse(reaction);
      if (parsedReaction.success) outcomes.push(inboundEventSchema.safeParse(fromLibraryReaction(parsedReaction.data)).success ? 'reaction' : 'reaction_not_queued');
      return outcomes.join('+');
    },
  };
}

/** Twilio Voice webhooks (voice bridge): the form parser and signature check over any bytes. */
export function voiceFormTarget(): DecoderTarget<{ body: Buffer; signature: string | undefined }> {
  const fixtures = [
    { CallSid: 'CA0123456789abcdef0123456789abcdef', AccountSid: FIXTURE_ACCOUNT_SID, From: '+525512345678', To: '+525550001000', CallStatus: 'ringing', Direction: 'inbound' },
    { CallSid: 'CA0123456789abcdef0123456789abcdef', AccountSid: FIXTURE_ACCOUNT_SID, Digits: '1', CallStatus: 'in-progress' },
  ];
  const url = 'https://ventanilla.example.gob.mx/webhooks/voice/fuzz/incoming';
  return {
    name: 'voice (Twilio Voice form)',
    arbitrary: fc.record({ body: bodyArbitrary(fixtures, formEncode), signature: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }) }),
    check({ body, signature }) {
      const form = parseTwilioForm(body.toString('utf8'));
      if (twilioSignatureValid(FIXTURE_AUTH_TOKEN, signature, url, form)) throw new Error('voice: a forged signature verified');
      const signed = twilioSignatureValid(FIXTURE_AUTH_TOKEN, twilioSign(FIXTURE_AUTH_TOKEN, url, body), url, form);
      return signed ? 'signed' : 'signed-refused';
    },
  };
}

/** A target with its input type erased: runs its property and reports each outcome. */
export interface FuzzTarget {
  name: string;
  run(options: { numRuns: number; seed: number }, record: (outcome: Outcome) => void): void;
}

function erase<C>(target: DecoderTarget<C>): FuzzTarget {
  return {
    name: target.name,
    run({ numRuns, seed }, record) {
      fc.assert(
        fc.property(target.arbitrary, (input) => {
          record(target.check(input));
        }),
        { numRuns, seed, endOnFailure: true },
      );
    },
  };
}

/** The decoders of the connectors, the session mapper and the voice bridge's Twilio form parser (run by `npm test`). */
export function decoderTargets(): FuzzTarget[] {
  const closed: ChannelAdapter<unknown>[] = [webchatChannelAdapter, emailChannelAdapter, voiceChannelAdapter, whatsappWebChannelAdapter];
  return [
    ...webhookConnectors().map((c) => erase(webhookTarget(c))),
    erase(whatsappWebTarget()),
    ...closed.map((a) => erase(closedTarget(a))),
    // Parameters named like Object.prototype members (`constructor=…`, `__proto__=…`) once gave a 500.
    erase(voiceFormTarget()),
  ];
}
