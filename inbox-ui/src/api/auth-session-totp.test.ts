import { describe, expect, it } from 'vitest';
import type { TokenPair } from './api-types.js';
import { AuthSession } from './auth-session.js';

const user = { id: 'u1', email: 'a@b.mx', displayName: 'Ana', roles: ['supervisor' as const], campaignIds: [], locale: 'es-MX' };
const pair: TokenPair = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900, refreshExpiresAt: new Date(Date.now() + 86_400_000).toISOString(), tokenType: 'Bearer', user };
const noTimers = { setTimer: () => null, clearTimer: () => undefined };

/** A fake hub that answers /auth/login with a TOTP challenge (`totpRequired` or `totpEnrolmentRequired`). */
function fakeHub(kind: 'totpRequired' | 'totpEnrolmentRequired') {
  const calls: { path: string; body: unknown }[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const path = String(input).replace('http://hub', '');
    const body: unknown = init?.body ? JSON.parse(String(init.body)) : null;
    calls.push({ path, body });
    if (path === '/api/v1/auth/login') return Response.json({ [kind]: true, challenge: 'reto-123', expiresIn: 300 });
    if (path === '/api/v1/auth/login/totp') {
      const ok = (body as { code?: string }).code === '123456';
      return ok ? Response.json(pair) : Response.json({ error: { code: 'HUB_ERR_AUTH_TOTP_INVALID', message: 'Código de verificación incorrecto o ya usado / wrong or already used verification code' } }, { status: 401 });
    }
    if (path === '/api/v1/auth/totp/setup') return Response.json({ secret: 'ABC', otpauthUri: 'otpauth://totp/x', qrDataUrl: 'data:image/png;base64,' });
    if (path === '/api/v1/auth/totp/enable') return Response.json({ recoveryCodes: ['AAAAA-BBBBB'], session: pair });
    return Response.json({ error: { code: 'HUB_ERR_NOT_FOUND', message: 'x' } }, { status: 404 });
  };
  return { fetcher, calls };
}

describe('AuthSession with a TOTP second factor', () => {
  it('does not sign in on the password alone: it returns the challenge, and the right code starts the session', async () => {
    const hub = fakeHub('totpRequired');
    const session = new AuthSession({ baseUrl: 'http://hub', fetch: hub.fetcher, storage: null, ...noTimers });
    const signedIn: unknown[] = [];
    session.subscribe((next) => signedIn.push(next));
    expect(await session.login('a@b.mx', 'x')).toEqual({ kind: 'totp', challenge: 'reto-123' });
    expect(session.user).toBeNull();
    await expect(session.completeTotp('reto-123', { code: '000000' })).rejects.toMatchObject({ code: 'HUB_ERR_AUTH_TOTP_INVALID' });
    expect(session.user).toBeNull();
    expect((await session.completeTotp('reto-123', { code: '123456' })).id).toBe('u1');
    expect(session.currentToken()).toBe('access-1');
    expect(signedIn).toHaveLength(1);
    expect(hub.calls.at(-1)).toEqual({ path: '/api/v1/auth/login/totp', body: { challenge: 'reto-123', code: '123456' } });
  });

  it('walks an enrolment with the challenge and starts the session only when the recovery codes were seen', async () => {
    const hub = fakeHub('totpEnrolmentRequired');
    const session = new AuthSession({ baseUrl: 'http://hub', fetch: hub.fetcher, storage: null, ...noTimers });
    expect(await session.login('a@b.mx', 'x')).toEqual({ kind: 'enrol', challenge: 'reto-123' });
    expect((await session.enrolSetup('reto-123')).secret).toBe('ABC');
    const enabled = await session.enrolEnable('reto-123', '123456');
    expect(enabled.recoveryCodes).toEqual(['AAAAA-BBBBB']);
    expect(session.user).toBeNull();
    session.adopt(enabled.session);
    expect(session.user?.id).toBe('u1');
    expect(hub.calls.map((c) => c.path)).toEqual(['/api/v1/auth/login', '/api/v1/auth/totp/setup', '/api/v1/auth/totp/enable']);
  });
});
