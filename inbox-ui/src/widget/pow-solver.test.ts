import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leadingZeroBits, solveProofOfWork } from './pow-solver.js';

describe('proof-of-work CAPTCHA solver', () => {
  it('counts leading zero bits across bytes', () => {
    expect(leadingZeroBits(Uint8Array.from([0xff]))).toBe(0);
    expect(leadingZeroBits(Uint8Array.from([0x01, 0xff]))).toBe(7);
    expect(leadingZeroBits(Uint8Array.from([0x00, 0x10]))).toBe(11);
    expect(leadingZeroBits(Uint8Array.from([0x00, 0x00]))).toBe(16);
  });

  it('finds a nonce the hub will accept: sha256(challenge:nonce) has the required zero bits', async () => {
    const challenge = 'c2VydmVyLWNoYWxsZW5nZQ.1764100000';
    const nonce = await solveProofOfWork(challenge, 12);
    expect(nonce).toMatch(/^\d+$/);
    const digest = createHash('sha256').update(`${challenge}:${nonce}`).digest();
    expect(leadingZeroBits(digest)).toBeGreaterThanOrEqual(12);
    // The smallest such nonce: nothing below it qualifies (the search is exhaustive, in order).
    for (let n = 0; n < Number(nonce); n += 1) expect(leadingZeroBits(createHash('sha256').update(`${challenge}:${n}`).digest())).toBeLessThan(12);
  });

  it('stops when the visitor leaves (aborted)', async () => {
    const controller = new AbortController();
    const solving = solveProofOfWork('unsolvable', 256, { signal: controller.signal, batchSize: 8 });
    controller.abort();
    await expect(solving).rejects.toThrow();
  });
});
