/**
 * The visitor token, per channel, in the host page's localStorage: a reload or a second tab of the
 * same site resumes the same conversation. Storage can be blocked (privacy modes, a sandboxed
 * frame): the widget then works for this page's lifetime only.
 */
export class TokenStore {
  private memory: string | null = null;
  readonly key: string;

  constructor(channelId: string) {
    this.key = `ventanilla.widget.${channelId}.token`;
  }

  get(): string | null {
    try {
      return window.localStorage.getItem(this.key) ?? this.memory;
    } catch {
      return this.memory;
    }
  }

  set(token: string | null): void {
    this.memory = token;
    try {
      if (token === null) window.localStorage.removeItem(this.key);
      else window.localStorage.setItem(this.key, token);
    } catch {
      // Storage blocked: the in-memory copy is all there is.
    }
  }
}

/** Whether the panel was open, per tab (sessionStorage): a reload shows it as the visitor left it. */
export function rememberOpen(channelId: string, open: boolean | undefined): boolean {
  const key = `ventanilla.widget.${channelId}.open`;
  try {
    if (open !== undefined) window.sessionStorage.setItem(key, open ? '1' : '0');
    return window.sessionStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}
