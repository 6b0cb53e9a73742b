import { describe, expect, it } from 'vitest';
import { leadingZeroBits, powDigest, solvePow } from './pow-captcha.js';

describe('proof-of-work CAPTCHA', () => {
  it('counts leading zero bits across bytes', () => {
    expect(leadingZeroBits(Buffer.from([0x80, 0]))).toBe(0);
    expect(leadingZeroBits(Buffer.from([0x01, 0xff]))).toBe(7);
    expect(leadingZeroBits(Buffer.from([0x00, 0x20]))).toBe(10);
    expect(leadingZeroBits(Buffer.from([0, 0, 0]))).toBe(24);
  });

  it('hashes `${challenge}:${nonce}` with SHA-256, as the widget documents', () => {
    // printf '%s' 'abc:1' | sha256sum
    expect(powDigest('abc', '1').toString('hex')).toBe('bfcf0b9cbe9d8208b2cddd9a01c31a9a60698a106a0e4fc1664233a15f16acec');
  });

  it('finds a nonce with the required zero bits', () => {
    const challenge = '0123456789abcdef0123456789abcdef';
    const nonce = solvePow(challenge, 12);
    expect(leadingZeroBits(powDigest(challenge, nonce))).toBeGreaterThanOrEqual(12);
  });
});
