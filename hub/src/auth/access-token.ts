import { SignJWT, jwtVerify } from 'jose';
import { HubError } from '../errors/error-registry.js';

const ISSUER = 'ventanilla-hub';
const AUDIENCE = 'ventanilla-staff';

export interface AccessClaims {
  userId: string;
  /** Refresh-token family: lets logout end the session the token belongs to. */
  sessionId: string;
}

export async function signAccessToken(secret: string, ttlSeconds: number, claims: AccessClaims): Promise<string> {
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

export async function verifyAccessToken(secret: string, token: string): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    if (typeof payload.sub !== 'string' || typeof payload['sid'] !== 'string') throw new Error('claims');
    return { userId: payload.sub, sessionId: payload['sid'] };
  } catch {
    throw new HubError('HUB_ERR_AUTH_TOKEN_INVALID');
  }
}
