import { createRequire } from 'node:module';
import wweb from 'whatsapp-web.js';
import { describe, expect, it } from 'vitest';
import { inboundEventSchema } from '../core/inbound-event.js';
import { fromAck, fromLibraryMessage, fromLibraryReaction, isCitizenChat, MESSAGE_ACK, WWEBJS_ACK_STATUSES, type WwebjsMessageLike, type WwebjsReactionLike } from './whatsapp-web-inbound.js';

// The library's own structures, built from raw WhatsApp Web models the way Client.js builds
// them (`new Message(this, msg)`). Its typings declare Message as an interface only, and
// Reaction is not re-exported by the package index: both are loaded from their source files.
const require = createRequire(import.meta.url);
const MessageStructure: new (client: unknown, data: unknown) => WwebjsMessageLike = require('whatsapp-web.js/src/structures/Message.js');
const ReactionStructure: new (client: unknown, data: unknown) => WwebjsReactionLike = require('whatsapp-web.js/src/structures/Reaction.js');
const client = new wweb.Client({});

// Our structural type must stay a subset of the library's declared Message.
type DeclaredMessageFits = Omit<wweb.Message, '_data'> & { _data: unknown } extends WwebjsMessageLike ? true : false;
const declaredMessageFits: DeclaredMessageFits = true;

const CITIZEN = '5215512345678@c.us';
const US = '5215599990000@c.us';
const T = 1764150000;

function raw(type: string, extra: Record<string, unknown>, id = '3EB0C767D26A1D4C1B2F'): Record<string, unknown> {
  return {
    id: { fromMe: false, remote: CITIZEN, id, _serialized: `false_${CITIZEN}_${id}` },
    type,
    t: T,
    from: CITIZEN,
    to: US,
    notifyName: 'María López',
    self: 'in',
    ack: 1,
    isNewMsg: true,
    star: false,
    body: '',
    ...extra,
  };
}

function message(data: Record<string, unknown>): WwebjsMessageLike {
  return new MessageStructure(client, data);
}

function mapped(data: Record<string, unknown>) {
  const event = fromLibraryMessage(message(data));
  expect(inboundEventSchema.safeParse(event).success).toBe(true);
  return event;
}

const mediaRaw = { directPath: '/v/t62.7118-24/24507474_1234_n.enc?ccb=11-4&oh=01_Q5AaI&oe=6790', mediaKey: 'pK3x9E1m0Yk6Qf0vK1tE4w8H2s3bq7l0Zc5dV9nR2uA=', filehash: 'n9Vx3f0pQ0q2D1aG4yW6w5I7sC9kL3tM0bH8eR1uX2o=' };

describe('whatsapp-web.js messages → inbound events', () => {
  it('reads the same properties the library declares on Message', () => {
    expect(declaredMessageFits).toBe(true);
  });

  it('maps a text chat with the sender phone, WhatsApp id and push name', () => {
    const event = mapped(raw('chat', { body: 'Hola, quiero consultar mi trámite' }));
    expect(event).toEqual({
      type: 'message',
      providerMessageId: `false_${CITIZEN}_3EB0C767D26A1D4C1B2F`,
      occurredAt: new Date(T * 1000).toISOString(),
      contact: { phone: '+5215512345678', externalId: CITIZEN, name: 'María López' },
      content: { type: 'text', text: 'Hola, quiero consultar mi trámite' },
    });
  });

  it('turns image, video, audio, voice note, document and sticker into media fetched by message id', () => {
    const cases = [
      { type: 'image', extra: { caption: 'Mi INE', mimetype: 'image/jpeg', size: 84512 }, ours: 'image' },
      { type: 'video', extra: { caption: '', mimetype: 'video/mp4', size: 1_204_000 }, ours: 'video' },
      { type: 'audio', extra: { mimetype: 'audio/mpeg', size: 350_000 }, ours: 'audio' },
      { type: 'ptt', extra: { mimetype: 'audio/ogg; codecs=opus', duration: '7', size: 12_345 }, ours: 'audio' },
      { type: 'document', extra: { filename: 'comprobante.pdf', mimetype: 'application/pdf', size: 220_000, caption: 'Comprobante' }, ours: 'file' },
      { type: 'sticker', extra: { mimetype: 'image/webp', size: 20_000 }, ours: 'image' },
    ];
    for (const c of cases) {
      const event = mapped(raw(c.type, { ...mediaRaw, body: '/9j/4AAQSkZJRgABAQAAAQABAAD', ...c.extra }, `ID${c.type.toUpperCase()}`));
      expect(event.content.type).toBe(c.ours);
      if (event.content.type !== c.ours || !('attachments' in event.content)) throw new Error('not media');
      const [attachment] = event.content.attachments;
      expect(attachment?.mediaRef).toBe(`false_${CITIZEN}_ID${c.type.toUpperCase()}`);
      expect(attachment?.mimeType).toBe(c.extra.mimetype);
      expect(attachment?.size).toBe(c.extra.size);
    }
    const doc = mapped(raw('document', { ...mediaRaw, filename: 'comprobante.pdf', mimetype: 'application/pdf', caption: 'Comprobante' }));
    // The caption, not the thumbnail the library keeps in `body` of raw media models.
    expect(doc.content).toMatchObject({ type: 'file', text: 'Comprobante', attachments: [{ filename: 'comprobante.pdf', caption: 'Comprobante' }] });
  });

  it('keeps media without a download path (view once, expired) whole as unsupported', () => {
    const event = mapped(raw('image', { mimetype: 'image/jpeg', isViewOnce: true }));
    expect(event.content).toMatchObject({ type: 'unsupported', providerType: 'image' });
  });

  it('maps a shared location with its name and address', () => {
    const event = mapped(raw('location', { lat: 19.4326, lng: -99.1332, loc: 'Palacio Nacional\nPlaza de la Constitución s/n, Centro', body: '/9j/thumb' }));
    expect(event.content).toEqual({ type: 'location', latitude: 19.4326, longitude: -99.1332, name: 'Palacio Nacional\nPlaza de la Constitución s/n, Centro' });
  });

  it('parses vcard and multi_vcard contact cards', () => {
    const card = 'BEGIN:VCARD\nVERSION:3.0\nN:López;María;;;\nFN:María López\nTEL;type=CELL;type=VOICE;waid=5215511112222:+52 1 55 1111 2222\nEMAIL;type=INTERNET:maria@example.mx\nEND:VCARD';
    const one = mapped(raw('vcard', { body: card, vcardFormattedName: 'María López' }));
    expect(one.content).toEqual({ type: 'contacts', contacts: [{ name: 'María López', phones: ['+52 1 55 1111 2222'], emails: ['maria@example.mx'] }] });
    const second = 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Pérez;Juan;;;\r\nitem1.TEL;waid=5215533334444:+52 1 55 3333\r\n 4444\r\nEND:VCARD';
    const many = mapped(raw('multi_vcard', { vcardList: [{ displayName: 'María López', vcard: card }, { displayName: 'Juan Pérez', vcard: second }] }));
    expect(many.content).toEqual({
      type: 'contacts',
      contacts: [
        { name: 'María López', phones: ['+52 1 55 1111 2222'], emails: ['maria@example.mx'] },
        { name: 'Juan Pérez', phones: ['+52 1 55 33334444'], emails: [] },
      ],
    });
  });

  it('maps a chosen button and a chosen list row to interactive replies', () => {
    const button = mapped(raw('buttons_response', { body: 'Sí, confirmo', selectedButtonId: 'confirm-yes' }));
    expect(button.content).toEqual({ type: 'interactive', replyId: 'confirm-yes', text: 'Sí, confirmo' });
    const row = mapped(raw('list_response', { body: 'Licencia de conducir', listResponse: { singleSelectReply: { selectedRowId: 'tramite-licencia' } } }));
    expect(row.content).toEqual({ type: 'interactive', replyId: 'tramite-licencia', text: 'Licencia de conducir' });
  });

  it('maps reactions, as a reaction message and as the message_reaction event', () => {
    const target = `true_${CITIZEN}_3EB0AAAABBBBCCCC`;
    expect(mapped(raw('reaction', { body: '👍', parentMsgKey: target })).content).toEqual({ type: 'reaction', emoji: '👍', targetProviderMessageId: target });
    const reaction = new ReactionStructure(client, {
      msgKey: { fromMe: false, remote: CITIZEN, id: '3EB0REACT01', _serialized: `false_${CITIZEN}_3EB0REACT01` },
      parentMsgKey: { fromMe: true, remote: CITIZEN, id: '3EB0AAAABBBBCCCC', _serialized: target },
      reactionText: '❤️',
      senderUserJid: CITIZEN,
      timestamp: T * 1000,
      orphan: 0,
      read: false,
      ack: 1,
    });
    const event = fromLibraryReaction(reaction);
    expect(inboundEventSchema.safeParse(event).success).toBe(true);
    expect(event).toMatchObject({ providerMessageId: `false_${CITIZEN}_3EB0REACT01`, occurredAt: new Date(T * 1000).toISOString(), content: { type: 'reaction', emoji: '❤️', targetProviderMessageId: target } });
  });

  it('keeps an unknown type (a poll) whole as unsupported with the raw model', () => {
    const event = mapped(raw('poll_creation', { pollName: '¿Horario preferido?', pollOptions: [{ name: 'Mañana', localId: 0 }] }));
    expect(event.content).toMatchObject({ type: 'unsupported', providerType: 'poll_creation', raw: { data: { pollName: '¿Horario preferido?' } } });
  });

  it('identifies a linked-id (@lid) sender by its channel-scoped id only', () => {
    const lid = '123456789012345@lid';
    const event = mapped({ ...raw('chat', { body: 'Hola' }), from: lid, id: { fromMe: false, remote: lid, id: 'X1', _serialized: `false_${lid}_X1` } });
    expect(event.contact).toEqual({ externalId: lid, name: 'María López' });
  });

  it('accepts only private chats from others (no status updates, no groups unless enabled, not our own)', () => {
    expect(isCitizenChat(message(raw('chat', { body: 'x' })))).toBe(true);
    expect(isCitizenChat(message({ ...raw('chat', { body: 'x' }), id: { fromMe: false, remote: 'status@broadcast', id: 'S', _serialized: 'false_status@broadcast_S' }, from: 'status@broadcast' }))).toBe(false);
    const group = message({ ...raw('chat', { body: 'x' }), from: '120363025555555555@g.us', author: CITIZEN });
    expect(isCitizenChat(group)).toBe(false);
    expect(isCitizenChat(group, true)).toBe(true);
    expect(isCitizenChat(message({ ...raw('chat', { body: 'x' }), id: { fromMe: true, remote: CITIZEN, id: 'M', _serialized: `true_${CITIZEN}_M` } }))).toBe(false);
  });
});

describe('whatsapp-web.js acks → delivery statuses', () => {
  const sent = message({ ...raw('chat', { body: 'Su folio es DH-1' }), id: { fromMe: true, remote: CITIZEN, id: '3EB0OURS', _serialized: `true_${CITIZEN}_3EB0OURS` }, from: US, to: CITIZEN });
  const now = new Date('2026-11-26T10:00:00Z');

  it('has a status for every MessageAck the library defines', () => {
    expect(Object.keys(WWEBJS_ACK_STATUSES).sort()).toEqual(Object.keys(wweb.MessageAck).sort());
    expect(MESSAGE_ACK).toEqual(wweb.MessageAck);
  });

  it('maps ERROR/PENDING/SERVER/DEVICE/READ/PLAYED to failed/ignored/sent/delivered/read/read', () => {
    const status = (ack: number) => fromAck(sent, ack, now)?.status ?? 'ignored';
    expect([-1, 0, 1, 2, 3, 4].map(status)).toEqual(['failed', 'ignored', 'sent', 'delivered', 'read', 'read']);
    expect(fromAck(sent, wweb.MessageAck.ACK_DEVICE, now)).toEqual({ type: 'status', providerMessageId: `true_${CITIZEN}_3EB0OURS`, occurredAt: now.toISOString(), status: 'delivered' });
    expect(fromAck(sent, -1, now)?.error?.code).toBe('ack_error');
  });

  it('ignores acks of the citizen’s own messages and unknown ack numbers', () => {
    expect(fromAck(message(raw('chat', { body: 'hola' })), 3, now)).toBeNull();
    expect(fromAck(sent, 9, now)).toBeNull();
  });
});
