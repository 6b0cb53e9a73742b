import { describe, expect, it } from 'vitest';
import type { ChannelAdapter, ChannelSecrets, RawRequest } from './channel-adapter.js';
import { DecodeError } from './channel-adapter.js';
import { inboundEventSchema, type InboundEventType } from './inbound-event.js';

export interface ConformanceFixture {
  name: string;
  /** The request exactly as the provider sends it, signed with `secrets`. */
  request: RawRequest;
  expectedEvents: number;
  /** The normalised event types, in order, when the fixture is about one (e.g. `contact_left`). */
  expectedTypes?: InboundEventType[];
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
}

/**
 * The suite every connector passes (CONVENTIONS 13): signatures fail closed, every
 * documented fixture decodes into valid events, unknown input becomes `unsupported`.
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

    it('fails closed when the channel has no secret', () => {
      expect(adapter.verifyRequest(input.fixtures[0]!.request, settings, {}).ok).toBe(false);
    });

    it('turns unknown content into an unsupported message with the raw payload', () => {
      const events = adapter.decodeInbound(input.unsupported, settings);
      expect(events.length).toBeGreaterThan(0);
      const message = events.find((e) => e.type === 'message');
      expect(message?.type === 'message' && message.content.type).toBe('unsupported');
    });

    it('rejects a malformed body with a DecodeError, never a crash', () => {
      const bad = { ...input.fixtures[0]!.request, body: Buffer.from('{not json') };
      expect(() => adapter.decodeInbound(bad, settings)).toThrow(DecodeError);
    });
  });
}
