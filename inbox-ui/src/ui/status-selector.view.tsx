import { useId } from 'react';
import type { AgentStateView } from '@ventanilla/hub/realtime-contract';
import type { Seat } from '../api/api-types.js';
import { formatElapsed } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.es-mx.js';
import type { StateNotice } from '../workspace/use-workspace.js';
import { useNow } from './use-now.js';

/** What an agent may pick; after_contact_work is set by the router after a release. */
const SELECTABLE: readonly AgentStateView[] = ['available', 'lunch', 'training', 'coaching', 'personal', 'not_ready', 'offline'];

export function stateKey(state: string): MessageKey {
  return `state.${state}` as MessageKey;
}

export function StatusSelector({
  seat,
  notice,
  acwMaxSeconds,
  onChange,
  onDismissNotice,
}: {
  seat: Seat | null;
  notice: StateNotice;
  acwMaxSeconds: number | null;
  onChange(state: string): void;
  onDismissNotice(): void;
}) {
  const { t } = useI18n();
  const now = useNow();
  const id = useId();
  if (!seat) return <div className="status-card status-unknown">{t('common.loading')}</div>;
  const since = Date.parse(seat.stateSince);
  const inAcw = seat.state === 'after_contact_work';
  const acwEnd = seat.acwEndsAt ? Date.parse(seat.acwEndsAt) : acwMaxSeconds !== null ? since + acwMaxSeconds * 1000 : null;
  const acwLeft = inAcw && acwEnd !== null ? acwEnd - now : null;
  return (
    <section className={`status-card state-${seat.state}`} aria-labelledby={`${id}-label`}>
      <div className="status-row">
        <span className="status-dot" aria-hidden="true" />
        <label id={`${id}-label`} htmlFor={`${id}-select`} className="status-label">
          {t('status.label')}
        </label>
        <span className="status-since muted small">{t('status.since', { time: formatElapsed(now - since) })}</span>
      </div>
      <select id={`${id}-select`} className="status-select" value={seat.state} onChange={(e) => onChange(e.target.value)}>
        {inAcw && <option value="after_contact_work">{t('state.after_contact_work')}</option>}
        {SELECTABLE.map((s) => (
          <option key={s} value={s}>
            {t(stateKey(s))}
          </option>
        ))}
      </select>
      {inAcw && (
        <div className="acw-box" role="timer" aria-live="off">
          <strong>{acwLeft !== null ? t('status.acwEndsIn', { time: formatElapsed(Math.max(0, acwLeft)) }) : t('status.acwElapsed', { time: formatElapsed(now - since) })}</strong>
          {acwLeft !== null && acwEnd !== null && acwEnd > since && (
            <span className="acw-bar" aria-hidden="true">
              <span style={{ width: `${Math.max(0, Math.min(100, (acwLeft / (acwEnd - since)) * 100))}%` }} />
            </span>
          )}
          <button type="button" className="btn btn-secondary btn-small" onClick={() => onChange('available')}>
            {t('status.acwFinish')}
          </button>
        </div>
      )}
      {notice && (
        <div className="banner banner-warn status-notice" role="alert">
          <p>{notice === 'rona' ? t('status.rona') : t('status.inactivity')}</p>
          <div className="row gap-s">
            <button type="button" className="btn btn-primary btn-small" onClick={() => onChange('available')}>
              {t('status.backAvailable')}
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={onDismissNotice}>
              {t('common.dismiss')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
