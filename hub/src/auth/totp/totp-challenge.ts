import { createHash } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { HubError } from '../../errors/error-registry.js';

const ISSUER = 'ventanilla-hub';
/** Not the access-token audience: a challenge can never be used as a bearer token, nor the reverse. */
const AUDIENCE = 'ventanilla-totp-challenge';
export const CHALLENGE_TTL_SECONDS = 300;

/** `login`: password checked, the TOTP code is next. `enrol`: password checked, the role must enrol first. */
export type ChallengePurpose = 'login' | 'enrol';

export interface ChallengeClaims {
  userId: string;
  purpose: ChallengePurpose;
}

/**
 * Binds the challenge to the password it proved: after a password change or reset a challenge
 * obtained with the old one is refused. A digest of the digest: the token carries nothing usable.
 */
export function passwordFingerprint(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 22);
}

export async function signChallenge(secret: string, claims: ChallengeClaims, passwordHash: string): Promise<string> {
  return new SignJWT({ purpose: claims.purpose, pwf: passwordFingerprint(passwordHash) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${CHALLENGE_TTL_SECONDS}s`)
    .sign(new TextEncoder().encode(secret));
}

/** Claims of a valid, unexpired challenge for `purpose`; the caller compares `pwf` with the stored hash. */
export async function verifyChallenge(secret: string, token: string, purpose: ChallengePurpose): Promise<ChallengeClaims & { pwf: string }> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || payload['purpose'] !== purpose || typeof payload['pwf'] !== 'string') throw new Error('claims');
    return { userId: payload.sub, purpose, pwf: payload['pwf'] };
  } catch {
    throw new HubError('HUB_ERR_AUTH_TOTP_CHALLENGE_INVALID');
  }
}
