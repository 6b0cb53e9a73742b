import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateRefreshToken, hashRefreshToken } from '../../hub/src/auth/refresh-tokens.js';

describe('refresh token generation and hashing', () => {
  it('generates 256-bit base64url tokens that do not repeat', () => {
    const tokens = Array.from({ length: 200 }, generateRefreshToken);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('stores a SHA-256 hex digest, stable for the same token and different from the token', () => {
    const token = generateRefreshToken();
    const digest = hashRefreshToken(token);
    expect(digest).toBe(createHash('sha256').update(token).digest('hex'));
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRefreshToken(token)).toBe(digest);
    expect(hashRefreshToken(`${token}x`)).not.toBe(digest);
    expect(digest).not.toContain(token);
  });
});
