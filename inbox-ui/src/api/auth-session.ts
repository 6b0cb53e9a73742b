import { ApiError, apiErrorFrom } from './api-error.js';
import type { SessionUser, TokenPair } from './api-types.js';

/** What /auth/login answers when tokens wait for the TOTP second factor. */
interface LoginChallenge {
  challenge: string;
  totpRequired?: true;
  totpEnrolmentRequired?: true;
}

export type LoginOutcome = { kind: 'signedIn'; user: SessionUser } | { kind: 'totp' | 'enrol'; challenge: string };

export interface TotpSetup {
  secret: string;
  otpauthUri: string;
  qrDataUrl: string;
}

/** What survives a reload of the tab (sessionStorage: per tab, gone when the tab closes). */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  accessExpiresAt: number;
  refreshExpiresAt: number;
  user: SessionUser;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface AuthSessionOptions {
  baseUrl: string;
  fetch: typeof fetch;
  storage: KeyValueStore | null;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Refresh this long before the access token expires. */
  refreshLeadMs?: number;
}

const STORAGE_KEY = 'ventanilla.session';
/** Why the session ended, for the login screen. */
export type EndReason = 'logout' | 'expired';

/**
 * Tokens in memory (and sessionStorage, for a reload), silent refresh before expiry.
 * Refresh tokens are one-time: a second use revokes the whole family, so every caller that needs
 * a refresh shares one request in flight (single flight), and a failed refresh ends the session.
 */
export class AuthSession {
  private session: StoredSession | null = null;
  private inflight: Promise<StoredSession> | null = null;
  private timer: unknown = null;
  private readonly listeners = new Set<(user: SessionUser | null, reason: EndReason | null) => void>();
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly lead: number;

  constructor(private readonly options: AuthSessionOptions) {
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.lead = options.refreshLeadMs ?? 60_000;
    this.session = this.restore();
    if (this.session) this.schedule();
  }

  get user(): SessionUser | null {
    return this.session?.user ?? null;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** The current access token, as is (the socket's auth callback reads it on every connect). */
  currentToken(): string {
    return this.session?.accessToken ?? '';
  }

  subscribe(listener: (user: SessionUser | null, reason: EndReason | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Step 1. With TOTP enabled (or required for the role) the password only earns a challenge:
   * the login screen then asks for the code (`totp`) or walks through enrolment (`enrol`).
   */
  async login(email: string, password: string): Promise<LoginOutcome> {
    const body = await this.postJson<TokenPair | LoginChallenge>('/api/v1/auth/login', { email, password });
    if ('challenge' in body) return { kind: 'totpRequired' in body ? 'totp' : 'enrol', challenge: body.challenge };
    this.accept(body);
    return { kind: 'signedIn', user: body.user };
  }

  /** Step 2: the 6-digit code, or one recovery code, for the challenge of step 1. */
  async completeTotp(challenge: string, proof: { code: string } | { recoveryCode: string }): Promise<SessionUser> {
    const pair = await this.postJson<TokenPair>('/api/v1/auth/login/totp', { challenge, ...proof });
    this.accept(pair);
    return pair.user;
  }

  /** Enrolment during login (a role that must use TOTP): a new secret and its QR, with the challenge. */
  enrolSetup(challenge: string): Promise<TotpSetup> {
    return this.postJson<TotpSetup>('/api/v1/auth/totp/setup', { challenge });
  }

  /** Confirms the enrolment; the session is returned but not started, so the recovery codes can be shown first. */
  enrolEnable(challenge: string, code: string): Promise<{ recoveryCodes: string[]; session: TokenPair }> {
    return this.postJson('/api/v1/auth/totp/enable', { challenge, code });
  }

  /** Starts a session from a token pair obtained elsewhere (enrolEnable). */
  adopt(pair: TokenPair): SessionUser {
    return this.accept(pair).user;
  }

  private async postJson<T>(path: string, payload: object): Promise<T> {
    const response = await this.options.fetch(`${this.options.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    if (!response.ok) throw await apiErrorFrom(response);
    return (await response.json()) as T;
  }

  async logout(): Promise<void> {
    const token = this.session?.accessToken;
    const refreshToken = this.session?.refreshToken;
    this.end('logout');
    if (!token) return;
    try {
      await this.options.fetch(`${this.options.baseUrl}/api/v1/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
    } catch {
      // Gone from this tab already; the server expires the family on its own.
    }
  }

  /** Exchanges the refresh token once, however many callers ask at the same time. */
  refresh(): Promise<StoredSession> {
    if (this.inflight) return this.inflight;
    const current = this.session;
    if (!current) return Promise.reject(new ApiError(401, 'HUB_ERR_AUTH_REQUIRED', 'Se requiere autenticación / authentication required'));
    const run = async (): Promise<StoredSession> => {
      let response: Response;
      try {
        response = await this.options.fetch(`${this.options.baseUrl}/api/v1/auth/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken: current.refreshToken }),
        });
      } catch (error) {
        // Network down: keep the session and try again soon; the access token may still be valid.
        this.schedule(15_000);
        throw error;
      }
      if (!response.ok) {
        const error = await apiErrorFrom(response);
        if (response.status === 401 || response.status === 403) this.end('expired');
        else this.schedule(15_000);
        throw error;
      }
      return this.accept((await response.json()) as TokenPair);
    };
    this.inflight = run().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** A valid access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    const s = this.session;
    if (!s) throw new ApiError(401, 'HUB_ERR_AUTH_REQUIRED', 'Se requiere autenticación / authentication required');
    if (this.inflight || s.accessExpiresAt - this.now() < 10_000) return (await this.refresh()).accessToken;
    return s.accessToken;
  }

  /** fetch with the bearer token; one refresh and one retry when the token was refused. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const send = async (token: string) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return this.options.fetch(`${this.options.baseUrl}${path}`, { ...init, headers });
    };
    const token = await this.accessToken();
    const response = await send(token);
    if (response.status !== 401 || !this.session) return response;
    const error = await apiErrorFrom(response.clone());
    if (error.code !== 'HUB_ERR_AUTH_TOKEN_INVALID') {
      if (error.code === 'HUB_ERR_AUTH_SESSION_REVOKED') this.end('expired');
      return response;
    }
    // Another caller may have refreshed meanwhile: only refresh if the token is still the one refused.
    const fresh = this.session.accessToken !== token ? this.session.accessToken : (await this.refresh()).accessToken;
    return send(fresh);
  }

  dispose(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private accept(pair: TokenPair): StoredSession {
    const now = this.now();
    const wasSignedIn = this.session !== null;
    this.session = {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      accessExpiresAt: now + pair.expiresIn * 1000,
      refreshExpiresAt: Date.parse(pair.refreshExpiresAt),
      user: pair.user,
    };
    this.options.storage?.setItem(STORAGE_KEY, JSON.stringify(this.session));
    this.schedule();
    if (!wasSignedIn) this.emit(null);
    return this.session;
  }

  private end(reason: EndReason): void {
    this.dispose();
    if (!this.session) return;
    this.session = null;
    this.options.storage?.removeItem(STORAGE_KEY);
    this.emit(reason);
  }

  private emit(reason: EndReason | null): void {
    for (const listener of this.listeners) listener(this.user, reason);
  }

  private schedule(inMs?: number): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    const s = this.session;
    if (!s) return;
    const delay = inMs ?? Math.max(1_000, s.accessExpiresAt - this.now() - this.lead);
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.refresh().catch(() => undefined);
    }, delay);
  }

  private restore(): StoredSession | null {
    const raw = this.options.storage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as StoredSession;
      if (typeof parsed.refreshToken !== 'string' || parsed.refreshExpiresAt <= this.now()) return null;
      return parsed;
    } catch {
      return null;
    }
  }
}
