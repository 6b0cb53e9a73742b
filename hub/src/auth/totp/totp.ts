import { createHmac, timingSafeEqual } from 'node:crypto';

/** RFC 6238 defaults every authenticator app uses: HMAC-SHA-1, 30-second steps, 6 digits. */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** ±1 step: tolerates a phone clock up to ~30 s off and a code typed just as it rolled over. */
export const TOTP_WINDOW = 1;

/** RFC 4226 HOTP: dynamic truncation of HMAC-SHA-1(secret, 8-byte big-endian counter). */
export function hotp(secret: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step (RFC 6238 T) that holds `unixMs`. */
export function totpStep(unixMs: number, stepSeconds = TOTP_STEP_SECONDS): number {
  return Math.floor(unixMs / 1000 / stepSeconds);
}

export function totpCode(secret: Uint8Array, unixMs: number, digits = TOTP_DIGITS): string {
  return hotp(secret, totpStep(unixMs), digits);
}

/**
 * The step a code belongs to, within ±TOTP_WINDOW of now and strictly after `lastUsedStep`
 * (a code, or an older one, already spent is refused: no replay inside its 90-second life);
 * null when it matches none.
 */
export function matchTotp(secret: Uint8Array, code: string, unixMs: number, lastUsedStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const now = totpStep(unixMs);
  const given = Buffer.from(code);
  let matched: number | null = null;
  // Every candidate is compared (no early exit) so timing does not tell which step matched.
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step++) {
    const equal = timingSafeEqual(Buffer.from(hotp(secret, step)), given);
    if (equal && (lastUsedStep === null || step > lastUsedStep) && matched === null) matched = step;
  }
  return matched;
}
