import type { Campaign, SessionUser } from '../api/api-types.js';
import { useI18n } from '../i18n/i18n.js';
import type { ConnectionState } from '../workspace/use-realtime.js';
import { Icon } from './icons.view.js';
import { LanguageSwitch } from './language-switch.view.js';
import { wallboardText } from '../supervisor/wallboard/wallboard-text.js';
import { qualityText } from '../quality/quality-text.js';
import { appointmentsText } from '../appointments/appointments-text.js';
import { securityText } from './security-text.js';

export function TopBar({
  user,
  connection,
  campaigns,
  onSettings,
  onSecurity,
  onAdmin,
  onWallboard,
  onQuality,
  onAppointments,
  onLogout,
}: {
  user: SessionUser;
  connection: ConnectionState;
  campaigns: Campaign[];
  onSettings(): void;
  /** «Seguridad»: the user's own TOTP second factor (security.dialog.tsx). */
  onSecurity?: (() => void) | undefined;
  /** Admins, supervisors and bot trainers: opens the admin console. */
  onAdmin?: (() => void) | undefined;
  /** Admins and supervisors: opens the live wallboard (supervisor/wallboard/). */
  onWallboard?: (() => void) | undefined;
  /** Supervisors, admins, auditors and quality analysts: opens «Calidad» (quality/). */
  onQuality?: (() => void) | undefined;
  /** Agents, supervisors and admins: opens «Citas» (appointments/). */
  onAppointments?: (() => void) | undefined;
  onLogout(): void;
}) {
  const { t, lang } = useI18n();
  const connectionText = connection === 'online' ? t('top.online') : connection === 'reconnecting' ? t('top.reconnecting') : t('common.loading');
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          V
        </span>
        <span className="brand-name">{t('app.name')}</span>
        {campaigns.length > 0 && (
          <span className="brand-campaigns small" aria-label={t('top.campaigns')}>
            {campaigns.map((c) => c.name).join(' · ')}
          </span>
        )}
      </div>
      <div className="topbar-right">
        <span className={`connection connection-${connection}`} role="status">
          <span className="connection-dot" aria-hidden="true" />
          {connectionText}
        </span>
        <LanguageSwitch />
        {onAdmin && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onAdmin}>
            <Icon name="settings" /> {t('top.admin')}
          </button>
        )}
        {onWallboard && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onWallboard}>
            <Icon name="bell" /> {wallboardText(lang, 'open')}
          </button>
        )}
        {onQuality && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onQuality}>
            <Icon name="checks" /> {qualityText(lang, 'openQuality')}
          </button>
        )}
        {onAppointments && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onAppointments}>
            <Icon name="clock" /> {appointmentsText(lang, 'open')}
          </button>
        )}
        <button type="button" className="btn btn-ghost btn-small" onClick={onSettings}>
          <Icon name="settings" /> {t('top.settings')}
        </button>
        {onSecurity && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onSecurity}>
            <Icon name="user" /> {securityText(lang, 'security')}
          </button>
        )}
        <span className="user-chip" title={user.email}>
          <Icon name="user" /> {user.displayName}
        </span>
        <button type="button" className="btn btn-ghost btn-small" onClick={onLogout}>
          <Icon name="logout" /> {t('top.logout')}
        </button>
      </div>
    </header>
  );
}
