import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Config } from '../../config/config.schema.js';
import { base32Encode } from './base32.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type TotpKeyConfig = Pick<Config, 'JWT_SECRET' | 'TOTP_ENCRYPTION_KEY'>;

export interface TotpKeys {
  /** AES-256-GCM key for the stored secrets. */
  encryption: Buffer;
  /** HMAC key for recovery codes: a copy of the table alone cannot be brute-forced offline. */
  recovery: Buffer;
}

/**
 * HKDF-SHA-256 from TOTP_ENCRYPTION_KEY, or from JWT_SECRET when unset, with a distinct `info`
 * per use so the JWT signing key itself never encrypts anything. Changing the source key makes
 * stored secrets unreadable: enrolled users then need an admin reset.
 */
export function deriveTotpKeys(config: TotpKeyConfig): TotpKeys {
  const source = config.TOTP_ENCRYPTION_KEY ?? config.JWT_SECRET;
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', source, 'ventanilla-totp', info, 32));
  return { encryption: derive('secret-encryption'), recovery: derive('recovery-codes') };
}

/** 20 random bytes (160 bits, RFC 4226's recommended length). */
export function generateTotpSecret(): Buffer {
  return randomBytes(20);
}

/**
 * `v1.<iv>.<tag>.<ciphertext>` (base64url). The user id is the associated data: a ciphertext
 * copied onto another user's row does not decrypt.
 */
export function encryptSecret(keys: TotpKeys, userId: string, secret: Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(userId));
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** The plain secret, or null when the ciphertext was tampered with or the key changed. */
export function decryptSecret(keys: TotpKeys, userId: string, stored: string): Buffer | null {
  const [version, iv, tag, body] = stored.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.encryption, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(userId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  } catch {
    return null;
  }
}

export const RECOVERY_CODE_COUNT = 10;

/** `XXXXX-XXXXX`: 10 base32 characters = 50 bits, readable aloud and typed on a phone. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const text = base32Encode(randomBytes(7)).slice(0, 10);
    return `${text.slice(0, 5)}-${text.slice(5)}`;
  });
}

/** Case, spaces and dashes do not matter when typing a recovery code back. */
export function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export function hashRecoveryCode(keys: TotpKeys, code: string): string {
  return createHmac('sha256', keys.recovery).update(normalizeRecoveryCode(code)).digest('hex');
}
