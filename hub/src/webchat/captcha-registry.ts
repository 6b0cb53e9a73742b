import type { Redis } from 'ioredis';
import type { CaptchaKind, CaptchaVerifier } from './captcha-verifier.js';
import { powCaptcha } from './pow-captcha.js';

/** A channel that chose no CAPTCHA (an intranet kiosk, a test page). */
const noCaptcha: CaptchaVerifier = {
  kind: 'none',
  issue: () => Promise.resolve(null),
  verify: () => Promise.resolve(true),
};

/** Typed registry (CONVENTIONS 7): one verifier per `captcha.kind` a channel may choose. */
export function createCaptchaRegistry(redis: Redis, redisPrefix: string) {
  return {
    pow: powCaptcha(redis, redisPrefix),
    none: noCaptcha,
  } satisfies Record<CaptchaKind, CaptchaVerifier>;
}

export type CaptchaRegistry = ReturnType<typeof createCaptchaRegistry>;
