import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed file links, for clients that cannot send a bearer header: an <img src> in the inbox
 * (`preview`, 10 minutes, bound to the user it was issued to, whose membership is re-checked on
 * use) and the channel provider fetching an agent's attachment (`channel`, 7 days). HMAC-SHA256
 * with a key derived from JWT_SECRET, so a file token can never pass for an access token.
 */
export type FileTokenPurpose = 'preview' | 'channel';

export const PREVIEW_TOKEN_TTL_SECONDS = 10 * 60;
export const CHANNEL_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PREFIX: Record<FileTokenPurpose, string> = { preview: 'p', channel: 'c' };

export interface FileTokenClaims {
  purpose: FileTokenPurpose;
  /** The user a preview token was issued to; null for channel tokens. */
  userId: string | null;
  expiresAt: number;
}

function key(secret: string): Buffer {
  return createHmac('sha256', secret).update('ventanilla:file-token:v1').digest();
}

function mac(secret: string, fileId: string, purpose: FileTokenPurpose, exp: number, subject: string): Buffer {
  return createHmac('sha256', key(secret)).update(`${fileId}|${purpose}|${exp}|${subject}`).digest();
}

export function signFileToken(
  secret: string,
  input: { fileId: string; purpose: FileTokenPurpose; userId?: string; now?: number; ttlSeconds?: number },
): string {
  const now = input.now ?? Date.now();
  const ttl = input.ttlSeconds ?? (input.purpose === 'preview' ? PREVIEW_TOKEN_TTL_SECONDS : CHANNEL_TOKEN_TTL_SECONDS);
  const exp = Math.floor(now / 1000) + ttl;
  const subject = input.purpose === 'preview' ? (input.userId ?? '') : '-';
  if (input.purpose === 'preview' && !UUID.test(subject)) throw new Error('a preview token needs the user id');
  return `${PREFIX[input.purpose]}.${exp}.${subject}.${mac(secret, input.fileId, input.purpose, exp, subject).toString('base64url')}`;
}

/** The claims of a valid, unexpired token for this file; null for anything else. */
export function verifyFileToken(secret: string, fileId: string, token: string, now = Date.now()): FileTokenClaims | null {
  const [prefix, expText, subject, signature, extra] = token.split('.');
  if (extra !== undefined || !expText || !subject || !signature || !/^\d{1,12}$/.test(expText)) return null;
  const purpose: FileTokenPurpose | null = prefix === 'p' ? 'preview' : prefix === 'c' ? 'channel' : null;
  if (!purpose) return null;
  if (purpose === 'preview' ? !UUID.test(subject) : subject !== '-') return null;
  const exp = Number(expText);
  const expected = mac(secret, fileId, purpose, exp, subject);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (exp * 1000 <= now) return null;
  return { purpose, userId: purpose === 'preview' ? subject : null, expiresAt: exp * 1000 };
}
