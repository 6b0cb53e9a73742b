import type { ReplyWindow } from '../composer/reply-window.js';
import { formatRemaining, WINDOW_WARN_MS } from '../composer/reply-window.js';
import { formatDateTime } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from './icons.view.js';
import './messaging.css';

/**
 * The customer-service window above the composer. The closed notice sits in a live region so a
 * screen reader hears it when the window closes under the agent; the countdown does not (it would
 * speak every minute).
 */
export function ReplyWindowNotice({ id, window, hours }: { id: string; window: ReplyWindow; hours: number | null }) {
  const { t, lang } = useI18n();
  const closed =
    window.state !== 'closed'
      ? ''
      : window.closedAt
        ? t('reply.windowClosed', { hours: hours ?? 24, when: formatDateTime(window.closedAt, lang) })
        : t('reply.windowNeverOpened', { hours: hours ?? 24 });
  return (
    <div id={id}>
      <p role="status" aria-live="polite" className={closed ? 'banner banner-warn small reply-window' : 'sr-only'}>
        {closed && <Icon name="alert" size={14} />} {closed}
      </p>
      {window.state === 'open' && window.remainingMs !== null && (
        <p className={`small reply-window ${window.remainingMs < WINDOW_WARN_MS ? 'banner banner-warn' : 'muted'}`}>
          <Icon name="clock" size={14} />
          <span>
            <span className="reply-window-time">{t('reply.windowOpen', { remaining: formatRemaining(window.remainingMs) })}</span> {t('reply.windowOpenHint')}
          </span>
        </p>
      )}
    </div>
  );
}
