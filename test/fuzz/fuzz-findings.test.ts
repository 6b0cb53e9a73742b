import { describe, expect, it } from 'vitest';
import { DecodeError, inboundEventSchema, metaChannelAdapter, smsChannelAdapter, type RawRequest } from '@ventanilla/connectors';
import { fromLibraryReaction } from '../../connectors/whatsapp-web/whatsapp-web-inbound.js';
import { metaFixtures } from '../../connectors/meta/fixtures/meta-fixtures.js';
import { twilioFixtures } from '../../connectors/sms/fixtures/twilio-fixtures.js';
import { formEncode, webhookConnectors } from './decoder-targets.js';

/**
 * The crashes the fuzzers found (issue 12 item 5), pinned as plain examples so they stay fixed
 * whatever the fuzzers' generators become.
 */
const request = (body: Buffer, path = '/webhooks/x/y'): RawRequest => ({ method: 'POST', url: path, headers: {}, body });
const metaSettings = metaChannelAdapter.settingsSchema.parse(webhookConnectors().find((c) => c.kind === 'meta')?.settingsInput);
const smsSettings = smsChannelAdapter.settingsSchema.parse(webhookConnectors().find((c) => c.kind === 'sms')?.settingsInput);

describe('decoder inputs the fuzzers found', () => {
  it('Meta: a messaging timestamp past the Date range is taken as absent, not a RangeError (was a 500)', () => {
    // The fixture's citizen timestamp, as sent, replaced by a number Date cannot hold.
    const text = JSON.stringify(metaFixtures.messengerText).replace(/"timestamp":\d+/, `"timestamp":${Number.MAX_SAFE_INTEGER}`);
    expect(text).toContain(String(Number.MAX_SAFE_INTEGER));
    const events = metaChannelAdapter.decodeInbound(request(Buffer.from(text)), metaSettings);
    expect(events).toHaveLength(1);
    for (const event of events) expect(inboundEventSchema.safeParse(event).success).toBe(true);
  });

  it('SMS: a From longer than a contact phone is refused (400) instead of acked and then dropped by the ingest job', () => {
    const body = formEncode({ ...twilioFixtures.incomingSms, From: `+52${'5'.repeat(40)}` });
    expect(() => smsChannelAdapter.decodeInbound(request(body), smsSettings)).toThrow(DecodeError);
  });

  it('SMS: an unknown MessageType of any length becomes an unsupported message that fits the job schema', () => {
    const body = formEncode({ ...twilioFixtures.unsupportedLocation, MessageType: 'x'.repeat(500) });
    const events = smsChannelAdapter.decodeInbound(request(body), smsSettings);
    expect(events).toHaveLength(1);
    expect(inboundEventSchema.safeParse(events[0]).success).toBe(true);
  });

  it('Meta: a quick reply longer than an interactive reply carries is cut to fit, not acked and then dropped by the ingest job', () => {
    const text = JSON.stringify(metaFixtures.messengerQuickReply).replace('"text":"Sí, confirmo"', `"text":"${'a'.repeat(5000)}"`);
    expect(text).toContain('a'.repeat(5000));
    const events = metaChannelAdapter.decodeInbound(request(Buffer.from(text)), metaSettings);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ content: { type: 'interactive', replyId: 'CONFIRMAR_CITA' } });
    expect(inboundEventSchema.safeParse(events[0]).success).toBe(true);
  });

  it('SMS: a MediaUrl longer than an attachment reference is refused (400)', () => {
    const body = formEncode({ ...twilioFixtures.incomingMms, MediaUrl1: `https://api.twilio.com/${'a'.repeat(2100)}` });
    expect(() => smsChannelAdapter.decodeInbound(request(body), smsSettings)).toThrow(DecodeError);
  });

  it('WhatsApp Web: a reaction time past the Date range maps to a valid event, not a RangeError', () => {
    const event = fromLibraryReaction({ id: { fromMe: false, _serialized: 'false_5215512345678@c.us_R1' }, reaction: '👍', msgId: { _serialized: 'true_5215512345678@c.us_M1' }, senderId: '5215512345678@c.us', timestamp: Number.MAX_SAFE_INTEGER });
    expect(inboundEventSchema.safeParse(event).success).toBe(true);
  });
});
