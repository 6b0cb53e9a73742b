import type { DeliveryStatus } from '../core/inbound-event.js';

/**
 * Every `statuses[].status` word Meta documents for the messages webhook. `deleted` (the citizen
 * deleted their own message) and `warning` (a catalogue item in our message is unavailable) say
 * nothing about delivery.
 */
export const WHATSAPP_PROVIDER_STATUSES = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  deleted: 'ignored',
  warning: 'ignored',
} as const satisfies Record<string, DeliveryStatus | 'ignored'>;

export interface MappedGraphError {
  code: string;
  retryable: boolean;
}

/**
 * Cloud API error codes (Graph `error.code`, and `statuses[].errors[].code` of a failed
 * message) to our normalised codes. Codes not listed keep Meta's number (`whatsapp_<code>`),
 * so the agent still sees the provider's own words.
 */
const GRAPH_ERRORS: Record<number, MappedGraphError> = {
  // More than 24 h since the citizen last wrote: only a template may go (re-engagement).
  131047: { code: 'window_closed', retryable: false },
  // Throughput (130429), pair rate (131056: too many messages to one citizen), app/business
  // rate limits (4, 80007): waiting helps.
  130429: { code: 'rate_limited', retryable: true },
  131056: { code: 'rate_limited', retryable: true },
  80007: { code: 'rate_limited', retryable: true },
  4: { code: 'rate_limited', retryable: true },
  131026: { code: 'recipient_unreachable', retryable: false },
  131021: { code: 'invalid_recipient', retryable: false },
  131030: { code: 'invalid_recipient', retryable: false },
  132000: { code: 'template_rejected', retryable: false },
  132001: { code: 'template_rejected', retryable: false },
  132005: { code: 'template_rejected', retryable: false },
  132007: { code: 'template_rejected', retryable: false },
  132012: { code: 'template_rejected', retryable: false },
  131051: { code: 'unsupported_message_type', retryable: false },
  131052: { code: 'media_rejected', retryable: false },
  131053: { code: 'media_rejected', retryable: false },
  100: { code: 'invalid_parameter', retryable: false },
  131008: { code: 'invalid_parameter', retryable: false },
  131009: { code: 'invalid_parameter', retryable: false },
  190: { code: 'provider_auth_failed', retryable: false },
  // Meta's own transient failures: "something went wrong", "service unavailable".
  1: { code: 'provider_error', retryable: true },
  2: { code: 'provider_error', retryable: true },
  131000: { code: 'provider_error', retryable: true },
  131016: { code: 'provider_error', retryable: true },
};

export function mapGraphError(code: number | undefined, httpStatus?: number): MappedGraphError {
  const known = code === undefined ? undefined : GRAPH_ERRORS[code];
  if (known) return known;
  if (httpStatus === 429) return { code: 'rate_limited', retryable: true };
  if (httpStatus !== undefined && httpStatus >= 500) return { code: `http_${httpStatus}`, retryable: true };
  return { code: code === undefined ? `http_${httpStatus ?? 0}` : `whatsapp_${code}`, retryable: false };
}
