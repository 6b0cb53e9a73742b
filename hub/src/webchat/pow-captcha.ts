import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CaptchaVerifier } from './captcha-verifier.js';

/** How long a challenge may be solved in; one use only. */
export const POW_CHALLENGE_TTL_SECONDS = 5 * 60;

const CHALLENGE = /^[0-9a-f]{32}$/;
const NONCE = /^\d{1,20}$/;

/** Leading zero bits of a digest, counted up to `needed` (enough to decide). */
export function leadingZeroBits(digest: Buffer, needed = digest.length * 8): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      if (bits >= needed) return bits;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export function powDigest(challenge: string, nonce: string): Buffer {
  return createHash('sha256').update(`${challenge}:${nonce}`).digest();
}

/** What the widget does in a Web Worker; here for tests and the benchmark. */
export function solvePow(challenge: string, difficulty: number): string {
  for (let nonce = 0; ; nonce += 1) {
    if (leadingZeroBits(powDigest(challenge, String(nonce)), difficulty) >= difficulty) return String(nonce);
  }
}

/**
 * Self-hosted proof of work (no third party sees the citizen): the browser spends ~2^difficulty
 * hashes per form, which costs a person nothing and a bot flooding the queue a lot. The challenge
 * lives in Redis for 5 minutes with the channel and difficulty it was issued with; verifying
 * deletes it (GETDEL), so a solution works once, on one hub process or another.
 */
export function powCaptcha(redis: Redis, redisPrefix: string): CaptchaVerifier {
  const keyOf = (challenge: string) => `${redisPrefix}:widget:pow:${challenge}`;
  return {
    kind: 'pow',
    async issue(channelId, settings) {
      const challenge = randomBytes(16).toString('hex');
      await redis.set(keyOf(challenge), `${channelId}|${settings.difficulty}`, 'EX', POW_CHALLENGE_TTL_SECONDS);
      return { challenge, difficulty: settings.difficulty, expiresAt: new Date(Date.now() + POW_CHALLENGE_TTL_SECONDS * 1000).toISOString() };
    },
    async verify(solution, channelId) {
      if (!solution || !CHALLENGE.test(solution.challenge) || !NONCE.test(solution.nonce)) return false;
      const stored = await redis.getdel(keyOf(solution.challenge));
      if (!stored) return false;
      const [issuedTo, difficultyText] = stored.split('|');
      const difficulty = Number(difficultyText);
      if (issuedTo !== channelId || !Number.isInteger(difficulty)) return false;
      return leadingZeroBits(powDigest(solution.challenge, solution.nonce), difficulty) >= difficulty;
    },
  };
}
