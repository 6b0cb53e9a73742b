import twilio from 'twilio';

/**
 * Twilio posts voice webhooks form-encoded. We parse them ourselves (no @fastify/formbody) and
 * keep the raw text: the signature covers the parameters exactly as sent.
 */
export interface TwilioForm {
  raw: string;
  /** Every parameter with all its values: what the signature is computed over. */
  all: Record<string, string[]>;
  /** First value of each parameter: what the handlers read. */
  fields: Record<string, string>;
}

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export function parseTwilioForm(raw: string): TwilioForm {
  // No prototype: a parameter named `constructor`, `valueOf` or `__proto__` is just a parameter (found by fuzzing).
  const all: Record<string, string[]> = Object.create(null);
  const fields: Record<string, string> = Object.create(null);
  for (const [key, value] of new URLSearchParams(raw)) {
    (all[key] ??= []).push(value);
    if (!(key in fields)) fields[key] = value;
  }
  return { raw, all, fields };
}

export function isTwilioForm(body: unknown): body is TwilioForm {
  return typeof body === 'object' && body !== null && 'raw' in body && 'all' in body && 'fields' in body;
}

/**
 * X-Twilio-Signature check with the SDK (HMAC-SHA1 of the full URL plus the sorted parameters).
 * A parameter sent once is passed as a string, as Twilio signs it; repeated ones as arrays.
 */
export function twilioSignatureValid(authToken: string, signature: string | undefined, url: string, form: TwilioForm): boolean {
  if (!signature || !authToken) return false;
  const params: Record<string, string | string[]> = Object.create(null);
  for (const [key, values] of Object.entries(form.all)) params[key] = values.length === 1 ? (values[0] ?? '') : values;
  return twilio.validateRequest(authToken, signature, url, params);
}
