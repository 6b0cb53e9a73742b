import type { SendResult } from '../core/channel-adapter.js';
import type { MetaGraphError } from './meta-channel.schema.js';

type Failure = Extract<SendResult, { ok: false }>;

/** Rate limits: app (4), user (17), page (32), API (613), Messenger business use case (80006). */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80006]);
/** "An unknown error occurred" (1), "unexpected, retry later" (2), "temporary send message failure" (1200). */
const TRANSIENT_CODES = new Set([1, 2, 1200]);
/** Code 10 "outside of allowed window": Messenger (2018278) and Instagram (2534022). */
const WINDOW_SUBCODES = new Set([2018278, 2534022]);

/**
 * The Graph API error object (Messenger Platform "Common Error Codes") → our normalised codes
 * and whether a retry can help; unknown codes keep Meta's numbers and words.
 */
export function classifyMetaError(error: MetaGraphError, httpStatus: number): Failure {
  const reason = `${error.message} (code ${error.code}${error.error_subcode ? `, subcode ${error.error_subcode}` : ''})`.slice(0, 1000);
  const fail = (code: string, retryable: boolean): Failure => ({ ok: false, retryable, code, reason });
  if (RATE_LIMIT_CODES.has(error.code)) return fail('rate_limited', true);
  if (error.code === 10 && (WINDOW_SUBCODES.has(error.error_subcode ?? 0) || /outside of allowed window/i.test(error.message))) return fail('window_closed', false);
  // 551 "This person isn't available right now"; 200/1545041 the same for Instagram.
  if (error.code === 551 || error.error_subcode === 1545041) return fail('recipient_unreachable', false);
  if (error.code === 100 && error.error_subcode === 2018001) return fail('invalid_recipient', false);
  if (error.code === 100 && error.error_subcode === 2018047) return fail('media_rejected', false);
  if (error.code === 190) return fail('provider_auth_failed', false);
  if (TRANSIENT_CODES.has(error.code) || httpStatus >= 500) return { ...fail('provider_error', true), reason: `${reason} [meta_${error.code}]` };
  return fail(error.error_subcode ? `meta_${error.code}_${error.error_subcode}` : `meta_${error.code}`, false);
}
