import { describe, expect, it } from 'vitest';
import { signFileToken, verifyFileToken } from './file-token.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const FILE = '6f1c1f8e-7a51-4a8e-9d0a-2d9d1f0c1a11';
const OTHER = '0b3f7a52-1c7e-4f0e-8a4e-5b7f3f2d9e22';
const USER = '2a0e4c9d-5b1f-4c3e-9f7a-8d6b5c4e3f21';

describe('file tokens', () => {
  it('a preview token opens its file for 10 minutes, for the user it names', () => {
    const now = Date.UTC(2026, 10, 26, 16, 0, 0);
    const token = signFileToken(SECRET, { fileId: FILE, purpose: 'preview', userId: USER, now });
    expect(verifyFileToken(SECRET, FILE, token, now + 9 * 60_000)).toEqual({ purpose: 'preview', userId: USER, expiresAt: now + 600_000 });
    expect(verifyFileToken(SECRET, FILE, token, now + 10 * 60_000)).toBeNull();
    expect(verifyFileToken(SECRET, OTHER, token, now)).toBeNull();
    expect(verifyFileToken(`${SECRET}x`, FILE, token, now)).toBeNull();
  });

  it('a channel token lasts 7 days and names no user', () => {
    const now = Date.now();
    const token = signFileToken(SECRET, { fileId: FILE, purpose: 'channel', now });
    expect(verifyFileToken(SECRET, FILE, token, now + 6 * 86_400_000)?.purpose).toBe('channel');
    expect(verifyFileToken(SECRET, FILE, token, now + 7 * 86_400_000 + 1000)).toBeNull();
  });

  it('rejects edited tokens: another expiry, another user, another purpose, garbage', () => {
    const now = Date.now();
    const token = signFileToken(SECRET, { fileId: FILE, purpose: 'preview', userId: USER, now });
    const [, exp, user, sig] = token.split('.');
    expect(verifyFileToken(SECRET, FILE, `p.${Number(exp) + 86_400}.${user}.${sig}`, now)).toBeNull();
    expect(verifyFileToken(SECRET, FILE, `p.${exp}.${OTHER}.${sig}`, now)).toBeNull();
    expect(verifyFileToken(SECRET, FILE, `c.${exp}.-.${sig}`, now)).toBeNull();
    for (const bad of ['', 'x', 'p.1.2.3', `${token}.extra`, 'p.99999999999.not-a-uuid.AAAA']) expect(verifyFileToken(SECRET, FILE, bad, now)).toBeNull();
  });
});
