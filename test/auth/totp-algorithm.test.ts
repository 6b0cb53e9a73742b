import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../../hub/src/auth/totp/base32.js';
import { hotp, matchTotp, totpCode, totpStep } from '../../hub/src/auth/totp/totp.js';
import { decryptSecret, deriveTotpKeys, encryptSecret, generateRecoveryCodes, generateTotpSecret, hashRecoveryCode } from '../../hub/src/auth/totp/totp-crypto.js';

// RFC 6238 Appendix B, SHA-1 rows: the seed is the ASCII string "12345678901234567890".
const RFC_SEED = Buffer.from('12345678901234567890', 'ascii');
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238) and its base32 and storage helpers', () => {
  it('matches every SHA-1 test vector of RFC 6238 Appendix B with 8 digits', () => {
    for (const [seconds, expected] of RFC_VECTORS) expect({ seconds, code: totpCode(RFC_SEED, seconds * 1000, 8) }).toEqual({ seconds, code: expected });
  });

  it('truncates to 6 digits as the last six of the same number (what authenticator apps show)', () => {
    for (const [seconds, expected] of RFC_VECTORS) expect(totpCode(RFC_SEED, seconds * 1000)).toBe(expected.slice(-6));
    // RFC 4226 Appendix D: HOTP of the same seed, counters 0 and 1, keeps its leading zeros.
    expect(hotp(RFC_SEED, 0)).toBe('755224');
    expect(hotp(RFC_SEED, 1)).toBe('287082');
    expect(totpStep(59_000)).toBe(1);
  });

  it('encodes and decodes base32 like RFC 4648 §10, without padding and forgiving case and spaces', () => {
    const cases: Array<[string, string]> = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of cases) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded)?.toString()).toBe(plain);
    }
    expect(base32Decode('mzxw 6ytb-oi======')?.toString()).toBe('foobar');
    expect(base32Decode('MZXW1')).toBeNull();
    const secret = generateTotpSecret();
    expect(secret).toHaveLength(20);
    expect(base32Decode(base32Encode(secret))?.equals(secret)).toBe(true);
  });

  it('accepts the code of the current step and of one step either side, nothing further, and never a spent step again', () => {
    const now = 1_700_000_000_000;
    const step = totpStep(now);
    for (const delta of [-1, 0, 1]) expect(matchTotp(RFC_SEED, hotp(RFC_SEED, step + delta), now, null)).toBe(step + delta);
    for (const delta of [-2, 2]) expect(matchTotp(RFC_SEED, hotp(RFC_SEED, step + delta), now, null)).toBeNull();
    // Replay: the step already used, and any earlier one, are refused; a later one passes.
    expect(matchTotp(RFC_SEED, hotp(RFC_SEED, step), now, step)).toBeNull();
    expect(matchTotp(RFC_SEED, hotp(RFC_SEED, step - 1), now, step)).toBeNull();
    expect(matchTotp(RFC_SEED, hotp(RFC_SEED, step + 1), now, step)).toBe(step + 1);
    for (const junk of ['', '12345', '1234567', 'abcdef', ' 12345']) expect(matchTotp(RFC_SEED, junk, now, null)).toBeNull();
  });

  it('encrypts secrets with AES-256-GCM bound to the user, and refuses tampering, another user or another key', () => {
    const keys = deriveTotpKeys({ JWT_SECRET: 'a'.repeat(40), TOTP_ENCRYPTION_KEY: undefined });
    const secret = generateTotpSecret();
    const stored = encryptSecret(keys, 'user-a', secret);
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain(secret.toString('base64url'));
    expect(stored).not.toContain(base32Encode(secret));
    expect(encryptSecret(keys, 'user-a', secret)).not.toBe(stored);
    expect(decryptSecret(keys, 'user-a', stored)?.equals(secret)).toBe(true);
    expect(decryptSecret(keys, 'user-b', stored)).toBeNull();
    const parts = stored.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(decryptSecret(keys, 'user-a', [parts[0], parts[1], parts[2], body.toString('base64url')].join('.'))).toBeNull();
    const otherKey = deriveTotpKeys({ JWT_SECRET: 'a'.repeat(40), TOTP_ENCRYPTION_KEY: 'b'.repeat(40) });
    expect(decryptSecret(otherKey, 'user-a', stored)).toBeNull();
  });

  it('makes 10 distinct recovery codes and stores only a keyed digest that ignores case and dashes', () => {
    const keys = deriveTotpKeys({ JWT_SECRET: 'a'.repeat(40), TOTP_ENCRYPTION_KEY: undefined });
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    const [first = ''] = codes;
    const digest = hashRecoveryCode(keys, first);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(keys, first.toLowerCase().replace('-', ''))).toBe(digest);
    expect(hashRecoveryCode(deriveTotpKeys({ JWT_SECRET: 'c'.repeat(40), TOTP_ENCRYPTION_KEY: undefined }), first)).not.toBe(digest);
  });
});
