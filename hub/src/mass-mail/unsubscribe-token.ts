import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The per-recipient unsubscribe link of a mass mailing (RFC 8058 one-click and the page behind
 * it): `<payload>.<mac>`, payload = base64url(campaign id's 16 bytes + the address), HMAC-SHA256 with a key derived
 * from JWT_SECRET (so it can never pass for an access or file token), 128 bits kept. It does not
 * expire: a mail read a year later must still let its reader leave the list.
 */
export interface UnsubscribeClaims {
  campaignId: string;
  email: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAC_BYTES = 16;

function key(secret: string): Buffer {
  return createHmac('sha256', secret).update('ventanilla:mass-mail-unsubscribe:v1').digest();
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', key(secret)).update(payload).digest().subarray(0, MAC_BYTES);
}

export function signUnsubscribeToken(secret: string, claims: UnsubscribeClaims): string {
  const payload = Buffer.concat([Buffer.from(claims.campaignId.replace(/-/g, ''), 'hex'), Buffer.from(claims.email.toLowerCase(), 'utf8')]).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The claims of a genuine token; null for anything else (tampered, truncated, not ours). */
export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeClaims | null {
  if (token.length > 1000) return null;
  const [payload, signature, extra] = token.split('.');
  if (extra !== undefined || !payload || !signature) return null;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const bytes = Buffer.from(payload, 'base64url');
  const hex = bytes.subarray(0, 16).toString('hex');
  const campaignId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const email = bytes.subarray(16).toString('utf8');
  if (!UUID.test(campaignId) || !/^[^@\s]+@[^@\s]+$/.test(email)) return null;
  return { campaignId, email };
}

/** The link a recipient follows (and a mail client POSTs to for one-click). */
export function unsubscribeUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/u/${token}`;
}
