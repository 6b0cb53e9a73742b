import { useEffect, useRef } from 'react';
import type { ConversationListItem } from '../api/api-types.js';
import { formatElapsed } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n.js';
import { beep } from '../workspace/beep.js';
import { alertLevel, sinceCitizenMs, type AlertLevel, type AlertSettings } from '../workspace/session-alerts.js';
import { ChannelIcon } from './channel-icon.view.js';
import { useNow } from './use-now.js';

/**
 * The agent's open sessions (up to their text capacity, 4 by default): timer since the citizen's
 * last message, unread badge, and the alert colour of the configured thresholds.
 */
export function SessionTabs({
  sessions,
  capacity,
  activeId,
  unread,
  settings,
  onOpen,
}: {
  sessions: ConversationListItem[];
  capacity: number;
  activeId: string | null;
  unread: Record<string, number>;
  settings: AlertSettings;
  onOpen(id: string): void;
}) {
  const { t } = useI18n();
  const now = useNow();
  const levels = useRef(new Map<string, AlertLevel>());

  const computed = sessions.map((s) => ({ session: s, level: alertLevel(s, now, settings), since: sinceCitizenMs(s, now) }));
  // A session turning red rings once (if sound is on); the colour alone is the visual alert.
  useEffect(() => {
    let ring = false;
    for (const { session, level } of computed) {
      if (level === 'alert' && levels.current.get(session.id) !== 'alert') ring = true;
      levels.current.set(session.id, level);
    }
    if (ring && settings.sound) beep('alert');
  });

  return (
    <nav className="sessions" aria-labelledby="sessions-title">
      <div className="section-head">
        <h2 id="sessions-title">{t('sessions.title')}</h2>
        <span className="count-pill">{t('sessions.count', { n: sessions.length, max: capacity })}</span>
      </div>
      {sessions.length === 0 ? (
        <p className="empty small">{t('sessions.empty')}</p>
      ) : (
        <ul className="session-list">
          {computed.map(({ session: s, level, since }, index) => {
            const count = unread[s.id] ?? 0;
            return (
              <li key={s.id}>
                <button type="button" className={`session-tab level-${level}${s.id === activeId ? ' active' : ''}`} aria-current={s.id === activeId ? 'true' : undefined} aria-keyshortcuts={`Alt+${index + 1}`} onClick={() => onOpen(s.id)}>
                  <ChannelIcon kind={s.channelKind} />
                  <span className="session-main">
                    <span className="session-name">{s.contactName ?? t('common.noName')}</span>
                    <span className="session-folio">{s.folio}</span>
                  </span>
                  <span className="session-side">
                    {since !== null && (
                      <span className="session-timer" title={t('sessions.sinceCitizen', { time: formatElapsed(since) })}>
                        <span className="sr-only">{t('sessions.sinceCitizen', { time: '' })}</span>
                        {formatElapsed(since)}
                      </span>
                    )}
                    {level !== 'ok' && <span className="sr-only">{t(`sessions.level.${level}`)}</span>}
                    {count > 0 && (
                      <span className="badge" aria-label={t('sessions.unread', { n: count })}>
                        {count}
                      </span>
                    )}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </nav>
  );
}
