import { createHmac } from 'node:crypto';
import { SignJWT, decodeJwt, jwtVerify } from 'jose';
import { HubError } from '../errors/error-registry.js';

const ISSUER = 'ventanilla-hub';
/** Not the staff audience: a visitor token never passes for an access token, nor the reverse. */
const AUDIENCE = 'ventanilla-widget';
export const VISITOR_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

export interface VisitorClaims {
  visitorId: string;
  channelId: string;
  /** The page origin the token was issued to: a copy pasted into another site is refused. */
  origin: string;
  expiresAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One key per channel, derived from JWT_SECRET: a token signed for one channel fails on every other. */
function channelKey(secret: string, channelId: string): Uint8Array {
  return createHmac('sha256', secret).update(`ventanilla:widget-visitor:v1:${channelId}`).digest();
}

export async function signVisitorToken(secret: string, claims: { visitorId: string; channelId: string; origin: string }, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ chn: claims.channelId, org: claims.origin })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.visitorId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + VISITOR_TOKEN_TTL_SECONDS)
    .sign(channelKey(secret, claims.channelId));
}

/**
 * The claims of a valid, unexpired visitor token. The channel named inside picks the key, so
 * a token whose channel claim was edited fails its signature. Anything else: 401.
 */
export async function verifyVisitorToken(secret: string, token: string | undefined): Promise<VisitorClaims> {
  if (!token) throw new HubError('HUB_ERR_WIDGET_TOKEN_INVALID');
  try {
    const claimed = decodeJwt(token)['chn'];
    if (typeof claimed !== 'string' || !UUID.test(claimed)) throw new Error('channel claim');
    const { payload } = await jwtVerify(token, channelKey(secret, claimed), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    const { sub, org, exp } = payload;
    if (typeof sub !== 'string' || !UUID.test(sub) || typeof org !== 'string' || typeof exp !== 'number') throw new Error('claims');
    return { visitorId: sub.toLowerCase(), channelId: claimed.toLowerCase(), origin: org, expiresAt: exp * 1000 };
  } catch {
    throw new HubError('HUB_ERR_WIDGET_TOKEN_INVALID');
  }
}
