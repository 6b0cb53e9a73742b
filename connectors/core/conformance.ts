import { afterEach, describe, expect, it, vi } from 'vitest';
import { assertEncodable } from './assert-encodable.js';
import type { ChannelAdapter, ChannelSecrets, RawRequest } from './channel-adapter.js';
import { DecodeError } from './channel-adapter.js';
import { deliveryStatusSchema, inboundEventSchema, type ContactRef, type InboundEvent, type InboundEventType } from './inbound-event.js';
import type { OutboundContent, OutboundMessage } from './outbound-message.js';

export interface ConformanceFixture {
  name: string;
  /** The request exactly as the provider sends it, signed with `secrets`. */
  request: RawRequest;
  expectedEvents: number;
  /** The normalised event types, in order, when the fixture is about one (e.g. `contact_left`). */
  expectedTypes?: InboundEventType[];
  /**
   * The provider's status words this fixture carries, in order (e.g. WhatsApp `['sent','read']`),
   * ignored ones included: its status events must be exactly their mapping through
   * `adapter.providerStatuses`.
   */
  providerStatusWords?: string[];
}

export interface ConformanceInput<S> {
  adapter: ChannelAdapter<S>;
  settings: S;
  secrets: ChannelSecrets;
  fixtures: ConformanceFixture[];
  /** A correctly signed request whose content type the adapter does not know. */
  unsupported: RawRequest;
  /** Signs a body the way the provider does (to build tampered variants). */
  sign(body: Buffer): Record<string, string>;
  /**
   * Builds a correctly signed status callback carrying one provider status word (required when
   * the adapter declares `providerStatuses`): the suite sends every word of the table and one
   * the provider never documented through it.
   */
  statusRequest?(word: string): RawRequest;
  /** Who outbound samples go to (default: a phone, an e-mail and an external id). */
  outboundRecipient?: ContactRef;
  /** A template of the channel's catalogue in `settings`, for channels with templates. */
  outboundTemplate?: { name: string; language: string; variables: string[] };
}

/** A provider status word no provider documents: it must never turn into a status. */
export const UNKNOWN_STATUS_WORD = 'zz_undocumented_status';

const DEFAULT_RECIPIENT: ContactRef = { phone: '+525512345678', email: 'ciudadana@example.mx', externalId: 'conformance-1', name: 'Ana Pérez' };

/** The outbound samples per capability; the suite encodes each only where the channel has it. */
function samples(template: ConformanceInput<unknown>['outboundTemplate']): Record<'text' | 'media' | 'interactive' | 'template', OutboundContent> {
  return {
    text: { type: 'text', text: 'Su trámite con folio DH-20261126-000001 está en revisión.' },
    media: {
      type: 'image',
      text: 'Comprobante',
      attachments: [{ url: 'https://files.example.mx/f/comprobante.jpg', fileId: '0b6c3f0e-8a52-4c1e-9d3f-2a7e5b1c9d40', filename: 'comprobante.jpg', mimeType: 'image/jpeg', size: 2048 }],
    },
    interactive: {
      type: 'interactive',
      text: '¿Desea agendar una cita?',
      buttons: [
        { id: 'si', title: 'Sí' },
        { id: 'no', title: 'No' },
      ],
    },
    template: { type: 'template', template: template ?? { name: 'recordatorio_cita', language: 'es_MX', variables: ['Ana', '27 de noviembre'] } },
  };
}

function outbound(content: OutboundContent, to: ContactRef): OutboundMessage {
  return { id: '6f1c2b7e-3d4a-4b5c-8d9e-0f1a2b3c4d5e', conversationId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', folio: 'DH-20261126-000001', to, content, sender: { type: 'agent', name: 'Agente' } };
}

/** The ids a replayed request must reproduce (the hub's job ids are built from them). */
function eventIds(events: InboundEvent[]): string[] {
  return events.map((e) => `${e.type}:${e.type === 'contact_left' ? e.providerEventId : e.providerMessageId}${e.type === 'status' ? `:${e.status}` : ''}`);
}

/**
 * The suite every connector passes (CONVENTIONS 13, issue 6 item 1): signatures fail closed,
 * every documented fixture decodes into valid events (the same ones when replayed), unknown
 * input becomes `unsupported`, provider status words map through the adapter's table and
 * nothing else, and outbound content encodes purely where the capabilities allow it and is
 * refused by `assertEncodable` where they do not.
 */
export function runAdapterConformance<S>(input: ConformanceInput<S>): void {
  const { adapter, settings, secrets } = input;
  describe(`${adapter.kind} adapter conformance`, () => {
    it('declares a settings schema that accepts its own settings', () => {
      expect(adapter.settingsSchema.safeParse(settings).success).toBe(true);
    });

    for (const fixture of input.fixtures) {
      it(`verifies and decodes fixture: ${fixture.name}`, () => {
        expect(adapter.verifyRequest(fixture.request, settings, secrets)).toEqual({ ok: true });
        const events = adapter.decodeInbound(fixture.request, settings);
        expect(events).toHaveLength(fixture.expectedEvents);
        for (const event of events) expect(inboundEventSchema.safeParse(event).success).toBe(true);
        if (fixture.expectedTypes) expect(events.map((e) => e.type)).toEqual(fixture.expectedTypes);
      });

      it(`decodes a replay of fixture "${fixture.name}" to the same provider ids`, () => {
        const replay: RawRequest = { ...fixture.request, headers: { ...fixture.request.headers }, body: Buffer.from(fixture.request.body) };
        expect(adapter.verifyRequest(replay, settings, secrets)).toEqual({ ok: true });
        expect(eventIds(adapter.decodeInbound(replay, settings))).toEqual(eventIds(adapter.decodeInbound(fixture.request, settings)));
      });

      if (fixture.providerStatusWords) {
        const words = fixture.providerStatusWords;
        it(`maps the status words of fixture "${fixture.name}" through the provider table`, () => {
          const table = adapter.providerStatuses ?? {};
          for (const word of words) expect(Object.hasOwn(table, word), `"${word}" is not in providerStatuses`).toBe(true);
          const expected = words.map((w) => table[w]).filter((s) => s !== 'ignored');
          const statuses = adapter.decodeInbound(fixture.request, settings).flatMap((e) => (e.type === 'status' ? [e.status] : []));
          expect(statuses).toEqual(expected);
        });
      }
    }

    it('rejects a request without a signature', () => {
      const fixture = input.fixtures[0]!.request;
      const headers = Object.fromEntries(Object.entries(fixture.headers).filter(([k]) => !Object.keys(input.sign(fixture.body)).includes(k)));
      expect(adapter.verifyRequest({ ...fixture, headers }, settings, secrets).ok).toBe(false);
    });

    it('rejects a tampered body and a signature made with another secret', () => {
      const fixture = input.fixtures[0]!.request;
      const tampered = Buffer.concat([fixture.body, Buffer.from(' ')]);
      expect(adapter.verifyRequest({ ...fixture, body: tampered }, settings, secrets).ok).toBe(false);
      const wrongSecrets = Object.fromEntries(Object.keys(secrets).map((k) => [k, 'not-the-secret']));
      expect(adapter.verifyRequest(fixture, settings, wrongSecrets).ok).toBe(false);
    });

    it('rejects a body signed for another body (a valid signature moved onto different bytes)', () => {
      const fixture = input.fixtures[0]!.request;
      const other = Buffer.from(`${fixture.body.toString('utf8')}\n`);
      const foreign = { ...fixture.headers, ...input.sign(other) };
      expect(adapter.verifyRequest({ ...fixture, headers: foreign }, settings, secrets).ok).toBe(false);
    });

    it('fails closed when the channel has no secret', () => {
      expect(adapter.verifyRequest(input.fixtures[0]!.request, settings, {}).ok).toBe(false);
    });

    it('turns unknown content into an unsupported message with the raw payload', () => {
      const events = adapter.decodeInbound(input.unsupported, settings);
      expect(events.length).toBeGreaterThan(0);
      const message = events.find((e) => e.type === 'message');
      expect(message?.type === 'message' && message.content.type).toBe('unsupported');
      expect(message?.type === 'message' && message.content.type === 'unsupported' && message.content.raw).toBeTruthy();
    });

    it('rejects a malformed body with a DecodeError, never a crash', () => {
      const bad = { ...input.fixtures[0]!.request, body: Buffer.from('{not json') };
      expect(() => adapter.decodeInbound(bad, settings)).toThrow(DecodeError);
    });

    describeStatuses(input);
    describeOutbound(input);
  });
}

/**
 * The rule for provider status words: every word the provider documents is in
 * `providerStatuses`, mapped to a DeliveryStatus or 'ignored'; decoding a callback yields exactly
 * that (nothing for 'ignored'); a word not in the table yields no status event and no error —
 * the hub can only log it — so an undocumented status never moves a message backwards or to a
 * wrong state.
 */
function describeStatuses<S>(input: ConformanceInput<S>): void {
  const { adapter, settings } = input;
  const table = adapter.providerStatuses;
  if (!table) return;
  describe('provider status words', () => {
    it('maps every documented word to a delivery status or ignored', () => {
      expect(Object.keys(table).length).toBeGreaterThan(0);
      for (const [word, status] of Object.entries(table)) {
        expect(status === 'ignored' || deliveryStatusSchema.safeParse(status).success, `${word} → ${status}`).toBe(true);
      }
    });

    it('is given a status callback builder to check the table against the decoder', () => {
      expect(input.statusRequest, 'pass statusRequest(word) to runAdapterConformance').toBeTypeOf('function');
    });

    const build = input.statusRequest;
    if (!build) return;
    for (const [word, status] of Object.entries(table)) {
      it(`decodes provider status "${word}" as ${status}`, () => {
        const request = build(word);
        expect(adapter.verifyRequest(request, settings, input.secrets)).toEqual({ ok: true });
        const statuses = adapter.decodeInbound(request, settings).flatMap((e) => (e.type === 'status' ? [e.status] : []));
        expect(statuses).toEqual(status === 'ignored' ? [] : [status]);
      });
    }

    it('turns an undocumented status word into no status event, without throwing', () => {
      expect(Object.hasOwn(table, UNKNOWN_STATUS_WORD)).toBe(false);
      const events = adapter.decodeInbound(build(UNKNOWN_STATUS_WORD), settings);
      expect(events.filter((e) => e.type === 'status')).toEqual([]);
      for (const event of events) expect(event.type === 'message' && event.content.type).toBe('unsupported');
    });
  });
}

function describeOutbound<S>(input: ConformanceInput<S>): void {
  const { adapter, settings } = input;
  const caps = adapter.capabilities;
  const to = input.outboundRecipient ?? DEFAULT_RECIPIENT;
  const all = samples(input.outboundTemplate);
  const cases: Array<{ capability: string; can: boolean; content: OutboundContent }> = [
    { capability: 'text', can: caps.text, content: all.text },
    { capability: 'media', can: caps.media, content: all.media },
    { capability: 'interactive', can: caps.interactive, content: all.interactive },
    { capability: 'template', can: caps.templates, content: all.template },
  ];

  describe('outbound encoding per capability', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    for (const { capability, can, content } of cases) {
      if (can) {
        it(`encodes ${capability} purely: deterministic and without network`, () => {
          expect(assertEncodable(caps, content)).toEqual({ ok: true });
          vi.stubGlobal('fetch', () => {
            throw new Error('encodeOutbound must not do I/O');
          });
          const first = adapter.encodeOutbound(outbound(content, to), settings);
          const second = adapter.encodeOutbound(outbound(content, to), settings);
          expect(second).toEqual(first);
          expect(first.body).toBeDefined();
        });
      } else {
        it(`refuses ${capability} before encoding: the channel cannot carry it`, () => {
          expect(assertEncodable(caps, content)).toMatchObject({ ok: false, code: 'capability_missing' });
        });
      }
    }

    it('refuses text longer than maxTextLength', () => {
      const long: OutboundContent = { type: 'text', text: 'a'.repeat(caps.maxTextLength + 1) };
      expect(assertEncodable(caps, long)).toMatchObject({ ok: false, code: 'text_too_long' });
      expect(assertEncodable(caps, { type: 'text', text: 'a'.repeat(caps.maxTextLength) })).toEqual({ ok: true });
    });
  });
}
