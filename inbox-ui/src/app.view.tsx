import { useEffect, useMemo, useState } from 'react';
import type { SessionUser } from './api/api-types.js';
import { AuthSession, type EndReason } from './api/auth-session.js';
import { HubApi } from './api/hub-api.js';
import { I18nProvider } from './i18n/i18n.js';
import { LoginScreen } from './ui/login.screen.js';
import { WorkspaceScreen } from './ui/workspace.screen.js';
import { QualityScreen } from './quality/quality.screen.js';

function browserStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** The inbox: served by the hub on the same origin, so the API and socket.io are at location.origin. */
export function App() {
  const session = useMemo(() => new AuthSession({ baseUrl: window.location.origin, fetch: window.fetch.bind(window), storage: browserStorage() }), []);
  const api = useMemo(() => new HubApi(session), [session]);
  const [user, setUser] = useState<SessionUser | null>(session.user);
  const [ended, setEnded] = useState<EndReason | null>(null);

  useEffect(
    () =>
      session.subscribe((next, reason) => {
        setUser(next);
        setEnded(reason);
      }),
    [session],
  );

  return (
    <I18nProvider>
      {/* A quality analyst and nothing else: no seat, no live traffic — only «Calidad». */}
      {user ? user.roles.every((r) => r === 'quality_analyst') ? <QualityScreen key={user.id} session={session} user={user} /> : <WorkspaceScreen key={user.id} api={api} session={session} user={user} /> : <LoginScreen session={session} ended={ended} />}
    </I18nProvider>
  );
}
