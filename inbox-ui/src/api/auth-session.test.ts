import { describe, expect, it } from 'vitest';
import type { TokenPair } from './api-types.js';
import { AuthSession, type KeyValueStore } from './auth-session.js';

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

const user = { id: 'u1', email: 'a@b.mx', displayName: 'Ana', roles: ['agent' as const], campaignIds: ['c1'], locale: 'es-MX' };
function pair(n: number, expiresIn = 900): TokenPair {
  return { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn, refreshExpiresAt: new Date(Date.now() + 86_400_000).toISOString(), tokenType: 'Bearer', user };
}

/** A fake hub: login and refresh with one-time refresh tokens (a reused one fails, like the real one). */
function fakeHub() {
  let issued = 0;
  const used = new Set<string>();
  const calls: { path: string; auth: string | null; body: unknown }[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const path = String(input).replace('http://hub', '');
    const body: unknown = init?.body ? JSON.parse(String(init.body)) : null;
    const auth = new Headers(init?.headers).get('authorization');
    calls.push({ path, auth, body });
    await new Promise((r) => setTimeout(r, 5));
    if (path === '/api/v1/auth/login') return Response.json(pair(++issued));
    if (path === '/api/v1/auth/refresh') {
      const token = (body as { refreshToken: string }).refreshToken;
      if (used.has(token)) return Response.json({ error: { code: 'HUB_ERR_AUTH_REFRESH_INVALID', message: 'Sesión vencida o revocada / refresh token invalid or revoked' } }, { status: 401 });
      used.add(token);
      return Response.json(pair(++issued));
    }
    if (path === '/api/v1/agents/me/seat') {
      return auth === `Bearer access-${issued}` ? Response.json({ ok: true }) : Response.json({ error: { code: 'HUB_ERR_AUTH_TOKEN_INVALID', message: 'Token inválido o vencido / invalid or expired token' } }, { status: 401 });
    }
    return Response.json({ error: { code: 'HUB_ERR_NOT_FOUND', message: 'x' } }, { status: 404 });
  };
  return { fetcher, calls, issued: () => issued };
}

const noTimers = { setTimer: () => null, clearTimer: () => undefined };

describe('AuthSession', () => {
  it('refreshes once for many concurrent callers (one-time refresh tokens are never reused)', async () => {
    const hub = fakeHub();
    const session = new AuthSession({ baseUrl: 'http://hub', fetch: hub.fetcher, storage: memoryStore(), ...noTimers });
    await session.login('a@b.mx', 'x');
    const results = await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(new Set(results.map((r) => r.accessToken))).toEqual(new Set(['access-2']));
    expect(hub.calls.filter((c) => c.path === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(session.user?.id).toBe('u1');
  });

  it('refreshes before use when the access token is about to expire, and retries a refused token once', async () => {
    const hub = fakeHub();
    let now = Date.now();
    const session = new AuthSession({ baseUrl: 'http://hub', fetch: hub.fetcher, storage: memoryStore(), now: () => now, ...noTimers });
    await session.login('a@b.mx', 'x');
    now += 895_000; // 5 s left
    const [a, b] = await Promise.all([session.request('/api/v1/agents/me/seat'), session.request('/api/v1/agents/me/seat')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(hub.calls.filter((c) => c.path === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(hub.calls.filter((c) => c.path === '/api/v1/agents/me/seat').map((c) => c.auth)).toEqual(['Bearer access-2', 'Bearer access-2']);
  });

  it('schedules the silent refresh a minute before expiry', async () => {
    const hub = fakeHub();
    const timers: number[] = [];
    const session = new AuthSession({ baseUrl: 'http://hub', fetch: hub.fetcher, storage: memoryStore(), setTimer: (_fn, ms) => timers.push(ms), clearTimer: () => undefined });
    await session.login('a@b.mx', 'x');
    expect(timers.at(-1)).toBeGreaterThan(838_000);
    expect(timers.at(-1)).toBeLessThanOrEqual(840_000);
  });

  it('keeps tokens in the given (session) storage, restores them, and forgets them on a refused refresh', async () => {
    const hub = fakeHub();
    const storage = memoryStore();
    const first = new AuthSession({ baseUrl: 'http://hub', fetch: hub.fetcher, storage, ...noTimers });
    await first.login('a@b.mx', 'x');
    expect(JSON.parse(storage.data.get('ventanilla.session') ?? '{}')).toMatchObject({ refreshToken: 'refresh-1', user: { id: 'u1' } });

    const reloaded = new AuthSession({ baseUrl: 'http://hub', fetch: hub.fetcher, storage, ...noTimers });
    expect(reloaded.user?.displayName).toBe('Ana');
    const ended: (string | null)[] = [];
    reloaded.subscribe((u, reason) => ended.push(u ? 'in' : reason));
    await first.refresh(); // the other copy rotates refresh-1 first…
    await expect(reloaded.refresh()).rejects.toMatchObject({ code: 'HUB_ERR_AUTH_REFRESH_INVALID' }); // …so this one is refused
    expect(reloaded.user).toBeNull();
    expect(ended).toEqual(['expired']);
    expect(storage.data.has('ventanilla.session')).toBe(false);
  });
});
