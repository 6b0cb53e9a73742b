import { createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<hex>` HMAC over the raw bytes — the shape Meta and our API channel both use. */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Timing-safe comparison; any malformed, missing or empty input is a mismatch (fail closed). */
export function verifyBodySignature(secret: string, body: Buffer, header: string | string[] | undefined): boolean {
  if (!secret || typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
