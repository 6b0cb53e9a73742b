import { createHmac, timingSafeEqual } from 'node:crypto';

export const X_SIGNATURE_HEADER = 'x-twitter-webhooks-signature';

/**
 * X signs with `sha256=` + BASE64 of HMAC-SHA256 keyed with the app's consumer secret — base64,
 * not the hex Meta uses, so `core/signature.ts` does not fit. The CRC answer is the same
 * function over the `crc_token` instead of the body.
 */
export function xSignature(consumerSecret: string, message: Buffer | string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(message).digest('base64')}`;
}

/** Timing-safe; a missing secret, header or prefix, or malformed base64, is a mismatch (fail closed). */
export function verifyXSignature(consumerSecret: string, body: Buffer, header: string | string[] | undefined): boolean {
  if (!consumerSecret || typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const encoded = header.slice('sha256='.length);
  // Buffer.from(…, 'base64') silently skips bad characters: insist on canonical base64 first.
  if (!/^[A-Za-z0-9+/]{43}=$/.test(encoded)) return false;
  const given = Buffer.from(encoded, 'base64');
  const expected = createHmac('sha256', consumerSecret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
