/**
 * Builders of the Cloud API `messages` webhook exactly as Meta documents it
 * (`{object:'whatsapp_business_account', entry[{id, changes[{field:'messages', value}]}]}`),
 * for the provider harness and benchmarks.
 */

export const HARNESS_WABA_ID = '102290129340398';
export const HARNESS_DISPLAY_NUMBER = '525550001234';

/** What a citizen sends; `from` is their wa_id (a Mexican mobile: 521 + 10 digits). */
export type CitizenMessage = {
  from: string;
  name?: string;
  /** The wamid; a fresh one when absent. */
  id?: string;
  at?: Date;
} & (
  | { type: 'text'; text: string }
  | { type: 'image' | 'video' | 'audio' | 'document' | 'sticker'; mediaId: string; mimeType: string; caption?: string; filename?: string }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { type: 'button_reply' | 'list_reply'; replyId: string; title: string; contextId: string }
  | { type: 'reaction'; messageId: string; emoji: string }
  /** Any other message object (e.g. `{type:'unsupported', errors:[…]}`). */
  | { type: 'raw'; message: Record<string, unknown> }
);

export type MetaStatusWord = 'sent' | 'delivered' | 'read' | 'failed' | 'deleted' | 'warning';

export interface StatusUpdate {
  wamid: string;
  status: MetaStatusWord;
  recipientId: string;
  at?: Date;
  /** For `failed`: Meta's error code and title (e.g. 131026 "Message undeliverable"). */
  error?: { code: number; title: string; details?: string };
}

let sequence = 0;

/** A wamid shaped like Meta's (base64 of an opaque id). */
export function newWamid(): string {
  sequence += 1;
  const opaque = `HARNESS${process.pid}${Date.now()}${sequence}`.padEnd(24, '0');
  return `wamid.${Buffer.from(opaque).toString('base64')}`;
}

const unix = (at: Date | undefined) => String(Math.floor((at ?? new Date()).getTime() / 1000));

function envelope(phoneNumberId: string, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: HARNESS_WABA_ID,
        changes: [{ value: { messaging_product: 'whatsapp', metadata: { display_phone_number: HARNESS_DISPLAY_NUMBER, phone_number_id: phoneNumberId }, ...value }, field: 'messages' }],
      },
    ],
  };
}

export function messageWebhook(phoneNumberId: string, message: CitizenMessage): { wamid: string; body: Record<string, unknown> } {
  const wamid = message.id ?? newWamid();
  const common = { from: message.from, id: wamid, timestamp: unix(message.at) };
  const contacts = [{ profile: { name: message.name ?? 'Ciudadana de prueba' }, wa_id: message.from }];
  return { wamid, body: envelope(phoneNumberId, { contacts, messages: [{ ...common, ...messagePart(message) }] }) };
}

function messagePart(message: CitizenMessage): Record<string, unknown> {
  switch (message.type) {
    case 'text':
      return { type: 'text', text: { body: message.text } };
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return {
        type: message.type,
        [message.type]: {
          id: message.mediaId,
          mime_type: message.mimeType,
          sha256: 'aGFybmVzcy1tZWRpYS1oYXNo',
          ...(message.caption ? { caption: message.caption } : {}),
          ...(message.filename ? { filename: message.filename } : {}),
        },
      };
    case 'location':
      return { type: 'location', location: { latitude: message.latitude, longitude: message.longitude, ...(message.name ? { name: message.name } : {}), ...(message.address ? { address: message.address } : {}) } };
    case 'button_reply':
    case 'list_reply':
      return {
        type: 'interactive',
        context: { from: HARNESS_DISPLAY_NUMBER, id: message.contextId },
        interactive: { type: message.type, [message.type]: { id: message.replyId, title: message.title } },
      };
    case 'reaction':
      return { type: 'reaction', reaction: { message_id: message.messageId, emoji: message.emoji } };
    case 'raw':
      return message.message;
    default: {
      const exhaustive: never = message;
      throw new Error(`unknown harness message ${JSON.stringify(exhaustive)}`);
    }
  }
}

export function statusWebhook(phoneNumberId: string, updates: StatusUpdate[]): Record<string, unknown> {
  return envelope(phoneNumberId, {
    statuses: updates.map((u) => ({
      id: u.wamid,
      status: u.status,
      timestamp: unix(u.at),
      recipient_id: u.recipientId,
      ...(u.status === 'sent' || u.status === 'delivered'
        ? { conversation: { id: 'harness-conversation', origin: { type: 'service' } }, pricing: { billable: true, pricing_model: 'CBP', category: 'service' } }
        : {}),
      ...(u.error ? { errors: [{ code: u.error.code, title: u.error.title, message: u.error.title, error_data: { details: u.error.details ?? u.error.title } }] } : {}),
    })),
  });
}
