import type { DeliveryStatus } from '../core/inbound-event.js';

/**
 * Every status word Twilio documents for a Message (Message resource "status" values). Only
 * what the citizen's handset saw matters to the agent: the queueing steps are ignored, and
 * `undelivered` (the carrier could not deliver) and `canceled` (a scheduled send cancelled)
 * are failures of the message.
 */
export const TWILIO_STATUSES = {
  accepted: 'ignored',
  scheduled: 'ignored',
  queued: 'ignored',
  sending: 'ignored',
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
  receiving: 'ignored',
  received: 'ignored',
  read: 'read',
} as const satisfies Record<string, DeliveryStatus | 'ignored'>;

export type TwilioStatus = keyof typeof TWILIO_STATUSES;

export function isTwilioStatus(word: string): word is TwilioStatus {
  return Object.hasOwn(TWILIO_STATUSES, word);
}

/** Twilio error codes (twilio.com/docs/api/errors) → our normalised delivery-error codes. */
const NORMALISED: Record<string, string> = {
  '21211': 'invalid_phone',
  '21614': 'invalid_phone',
  '21612': 'invalid_phone',
  '21610': 'recipient_opted_out',
  '30003': 'recipient_unreachable',
  '30005': 'recipient_unreachable',
  '30006': 'recipient_unreachable',
  '30004': 'recipient_blocked',
  '30007': 'message_filtered',
  '20429': 'rate_limited',
  '20003': 'provider_auth_failed',
};

export function normaliseTwilioError(code: string): string {
  return NORMALISED[code] ?? `twilio_${code}`;
}

/**
 * Non-delivery a later attempt can cure (mass SMS retries, issue 6 item 4): a handset switched
 * off or out of coverage (30003), a carrier queue overflow (30001), a lost segment (30009), an
 * unknown carrier error (30008). A landline (30006), an unknown number (30005), a block (30004),
 * carrier filtering (30007) or an opt-out (21610) will fail again.
 */
const RETRYABLE_NON_DELIVERY = new Set(['30001', '30003', '30008', '30009', '30017']);

export function isRetryableNonDelivery(twilioCode: string | null | undefined): boolean {
  return twilioCode !== null && twilioCode !== undefined && RETRYABLE_NON_DELIVERY.has(twilioCode);
}

/**
 * Status events carry our normalised code and a reason that starts with Twilio's own code
 * (`30003: Unreachable destination handset`): the agent reads both, and mass SMS needs the raw
 * code to decide a retry.
 */
export function twilioReason(code: string, message: string | undefined): string {
  const text = message ?? DESCRIPTIONS[code];
  return text ? `${code}: ${text}` : code;
}

/** Status callbacks carry only ErrorCode; the words of the common ones, from Twilio's error list. */
const DESCRIPTIONS: Record<string, string> = {
  '30001': 'Queue overflow',
  '30002': 'Account suspended',
  '30003': 'Unreachable destination handset',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered',
  '30008': 'Unknown error',
  '30009': 'Missing segment',
  '21211': "Invalid 'To' phone number",
  '21610': 'Attempt to send to unsubscribed recipient',
};

export function twilioCodeOfReason(reason: string | null | undefined): string | null {
  const match = /^(\d{5})\b/.exec(reason ?? '');
  return match?.[1] ?? null;
}
