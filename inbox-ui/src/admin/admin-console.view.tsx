import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { AuthSession } from '../api/auth-session.js';
import { Icon, type IconName } from '../ui/icons.view.js';
import { LanguageSwitch } from '../ui/language-switch.view.js';
import { AdminApi } from './admin-api.js';
import { AdminContext, type AdminContextValue } from './admin-context.js';
import type { AdminCampaign } from './admin-types.js';
import { LoadState, useResource } from './admin-ui.js';
import type { AdminMessageKey } from './i18n/admin-messages.es-mx.js';
import { useAdminI18n } from './i18n/admin-i18n.js';
import { CampaignsSection } from './sections/campaigns.section.js';
import { CannedSection } from './sections/canned.section.js';
import { ChannelsSection } from './sections/channels.section.js';
import { DispositionsSection } from './sections/dispositions.section.js';
import { KbSection } from './sections/kb.section.js';
import { MassMailSection } from './mass-mail/mass-mail.section.js';
import { BlasterSection } from './blaster/blaster.section.js';
import { SurveysSection } from './surveys/surveys.section.js';
import { IntentConsoleSection } from './intent-console/intent-console.section.js';
import { IvrSection } from './ivr/ivr.section.js';
import { ReportsSection } from './reports/reports.section.js';
import { SlaSection } from './sla/sla.section.js';
import { BillingSection } from './billing/billing.section.js';
import { QueuesSection } from './sections/queues.section.js';
import { SkillsSection } from './sections/skills.section.js';
import { UsersSection } from './sections/users.section.js';
import './admin.css';

export type AdminSectionId = 'campaigns' | 'channels' | 'queues' | 'skills' | 'users' | 'canned' | 'dispositions' | 'kb' | 'massMail' | 'surveys' | 'intents' | 'ivr' | 'blaster' | 'reports' | 'sla' | 'billing';

const SECTIONS: { id: AdminSectionId; label: AdminMessageKey; icon: IconName }[] = [
  { id: 'campaigns', label: 'section.campaigns', icon: 'clock' },
  { id: 'channels', label: 'section.channels', icon: 'plug' },
  { id: 'queues', label: 'section.queues', icon: 'transfer' },
  { id: 'skills', label: 'section.skills', icon: 'check' },
  { id: 'users', label: 'section.users', icon: 'user' },
  { id: 'canned', label: 'section.canned', icon: 'chat' },
  { id: 'dispositions', label: 'section.dispositions', icon: 'done' },
  { id: 'kb', label: 'section.kb', icon: 'book' },
  { id: 'massMail', label: 'section.massMail', icon: 'mail' },
  { id: 'surveys', label: 'section.surveys', icon: 'checks' },
  { id: 'intents', label: 'section.intents', icon: 'bot' },
  { id: 'ivr', label: 'section.ivr', icon: 'phone' },
  { id: 'blaster', label: 'section.blaster', icon: 'phone' },
  { id: 'reports', label: 'section.reports', icon: 'file' },
  { id: 'sla', label: 'section.sla', icon: 'checks' },
  { id: 'billing', label: 'section.billing', icon: 'file' },
];

/** Bot trainers who are neither admins nor supervisors see only what they work on. */
const TRAINER_SECTIONS: readonly AdminSectionId[] = ['intents', 'kb'];
/** Auditors read the statements (the hub lets them read billing, never change it). */
const AUDITOR_SECTIONS: readonly AdminSectionId[] = ['billing'];

/** What a user who is neither admin nor supervisor may open: their roles' sections, in console order. */
export function limitedSections(roles: readonly string[]): readonly AdminSectionId[] {
  const allowed = new Set<AdminSectionId>([...(roles.includes('trainer') ? TRAINER_SECTIONS : []), ...(roles.includes('auditor') ? AUDITOR_SECTIONS : [])]);
  return SECTIONS.filter((s) => allowed.has(s.id)).map((s) => s.id);
}

/**
 * The administration console (issue 4, item 11) for admins and supervisors (bot trainers see only
 * the intent console and the knowledge base, issue 7): a full-screen modal
 * over the workspace (the native <dialog>: the page behind is inert, Esc closes), a campaign
 * selector, a section nav on the left and one list + form per section. What a role may not
 * change is shown read-only; the hub has the last word and its 400s are shown on the fields.
 *
 * Mount: `{open && <AdminConsole session={session} onClose={() => setOpen(false)} />}`.
 */
export function AdminConsole({ session, onClose }: { session: AuthSession; onClose(): void }) {
  const { t, lang } = useAdminI18n();
  const api = useMemo(() => new AdminApi(session), [session]);
  const user = session.user;
  const titleId = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const limited = !(user?.roles ?? []).some((r) => r === 'admin' || r === 'supervisor');
  const sections = limited ? SECTIONS.filter((s) => limitedSections(user?.roles ?? []).includes(s.id)) : SECTIONS;
  const [section, setSection] = useState<AdminSectionId>(limited ? (sections.some((s) => s.id === 'intents') ? 'intents' : (sections[0]?.id ?? 'intents')) : 'campaigns');
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const [toast, setToast] = useState<{ id: number; text: string; tone: 'ok' | 'warn' } | null>(null);
  const campaignsResource = useResource('campaigns', () => api.campaigns().then((r) => r.items));
  const campaigns = useMemo(() => campaignsResource.data ?? [], [campaignsResource.data]);
  const { setData: setCampaigns } = campaignsResource;

  useEffect(() => {
    const dialog = dialogRef.current;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    headingRef.current?.focus();
    return () => {
      dialog?.close();
      previous?.focus();
    };
  }, []);

  // The first campaign of the user's, once they are known.
  const campaign = campaigns.find((c) => c.id === campaignId) ?? campaigns.find((c) => user?.campaignIds.includes(c.id)) ?? campaigns[0] ?? null;

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 5000);
    return () => clearTimeout(timer);
  }, [toast]);

  const announce = useCallback((text: string, tone: 'ok' | 'warn' = 'ok') => setToast({ id: Date.now(), text, tone }), []);
  const upsertCampaign = useCallback(
    (next: AdminCampaign) => {
      setCampaigns((list) => {
        const items = list ?? [];
        return items.some((c) => c.id === next.id) ? items.map((c) => (c.id === next.id ? next : c)) : [...items, next].sort((a, b) => a.name.localeCompare(b.name, 'es'));
      });
      setCampaignId(next.id);
    },
    [setCampaigns],
  );

  const roles = user?.roles ?? [];
  const isAdmin = roles.includes('admin');
  const isManager = isAdmin || roles.includes('supervisor');
  const value = useMemo<AdminContextValue | null>(
    () => (user ? { api, user, lang, t, campaigns, campaign, selectCampaign: setCampaignId, upsertCampaign, announce, isAdmin, isManager } : null),
    [api, user, lang, t, campaigns, campaign, upsertCampaign, announce, isAdmin, isManager],
  );

  function openSection(id: AdminSectionId) {
    setSection(id);
    // The section's heading takes focus once rendered, so a screen reader hears where it landed.
    setTimeout(() => document.getElementById(`${titleId}-section`)?.querySelector<HTMLElement>('h2')?.focus(), 0);
  }

  const current = sections.find((s) => s.id === section) ?? sections[0]!;
  const needsCampaign = section !== 'campaigns' && section !== 'users';

  return (
    <dialog
      ref={dialogRef}
      className="admin-console"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        // React hands a nested dialog's cancel (Esc in a confirmation) to this handler too.
        if (e.target === e.currentTarget) onClose();
      }}
    >
      {value && (
        <AdminContext.Provider value={value}>
          <div className="admin-top">
            <div className="brand">
              <span className="brand-mark" aria-hidden="true">
                V
              </span>
              <h1 id={titleId} ref={headingRef} tabIndex={-1} className="admin-title">
                {t('admin.title')}
              </h1>
            </div>
            <label className="admin-campaign-select">
              <span>{t('admin.campaign')}</span>
              <select value={campaign?.id ?? ''} disabled={campaigns.length === 0} onChange={(e) => setCampaignId(e.target.value)}>
                {campaigns.length === 0 && <option value="">{t('admin.noCampaigns')}</option>}
                {campaigns.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.folioPrefix})
                  </option>
                ))}
              </select>
            </label>
            <span className="spacer" />
            <span className="user-chip" title={user?.email}>
              <Icon name="user" /> {user?.displayName} · {roles.map((r) => t(`role.${r}`)).join(', ')}
            </span>
            <LanguageSwitch />
            <button type="button" className="btn btn-secondary btn-small" onClick={onClose}>
              <Icon name="close" /> {t('admin.close')}
            </button>
          </div>
          <div className="admin-body">
            <nav className="admin-nav" aria-label={t('admin.nav')}>
              <ul>
                {sections.map((s) => (
                  <li key={s.id}>
                    <button type="button" className={s.id === section ? 'selected' : ''} aria-current={s.id === section ? 'page' : undefined} onClick={() => openSection(s.id)}>
                      <Icon name={s.icon} /> {t(s.label)}
                    </button>
                  </li>
                ))}
              </ul>
            </nav>
            <section id={`${titleId}-section`} className="admin-main" aria-label={t(current.label)}>
              {campaignsResource.error || (campaignsResource.loading && campaigns.length === 0) ? (
                <LoadState loading={campaignsResource.loading} error={campaignsResource.error} onRetry={campaignsResource.reload} />
              ) : needsCampaign && !campaign ? (
                <div className="admin-empty-state">
                  <h2 tabIndex={-1}>{t(current.label)}</h2>
                  <p className="muted">{t('admin.needCampaign')}</p>
                </div>
              ) : (
                <SectionView id={section} campaignId={campaign?.id ?? null} session={session} />
              )}
            </section>
          </div>
          <div className="admin-toast-region" role="status" aria-live="polite" aria-atomic="true">
            {toast && (
              <div key={toast.id} className={`toast admin-toast${toast.tone === 'warn' ? ' toast-warn' : ''}`}>
                <Icon name={toast.tone === 'warn' ? 'alert' : 'check'} />
                <span>{toast.text}</span>
                <button type="button" className="btn btn-icon" aria-label={t('admin.dismiss')} onClick={() => setToast(null)}>
                  <Icon name="close" size={14} />
                </button>
              </div>
            )}
          </div>
        </AdminContext.Provider>
      )}
    </dialog>
  );
}

/** Each section is keyed by campaign: switching campaigns starts its lists and forms afresh. */
function SectionView({ id, campaignId, session }: { id: AdminSectionId; campaignId: string | null; session: AuthSession }) {
  const key = `${id}:${campaignId ?? ''}`;
  switch (id) {
    case 'campaigns':
      return <CampaignsSection key={key} />;
    case 'channels':
      return <ChannelsSection key={key} campaignId={campaignId!} />;
    case 'queues':
      return <QueuesSection key={key} campaignId={campaignId!} />;
    case 'skills':
      return <SkillsSection key={key} campaignId={campaignId!} />;
    case 'users':
      // Kept across campaigns: the user being edited stays open when the campaign changes.
      return <UsersSection key="users" campaignId={campaignId} />;
    case 'canned':
      return <CannedSection key={key} campaignId={campaignId!} />;
    case 'dispositions':
      return <DispositionsSection key={key} campaignId={campaignId!} />;
    case 'kb':
      return <KbSection key={key} campaignId={campaignId!} />;
    case 'massMail':
      // Uploads and downloads carry files, not JSON: the section has its own client on the session.
      return <MassMailSection key={key} campaignId={campaignId!} session={session} />;
    case 'surveys':
      return <SurveysSection key={key} campaignId={campaignId!} session={session} />;
    case 'intents':
      return <IntentConsoleSection key={key} campaignId={campaignId!} session={session} />;
    case 'ivr':
      return <IvrSection key={key} campaignId={campaignId!} session={session} />;
    case 'blaster':
      return <BlasterSection key={key} campaignId={campaignId!} session={session} />;
    case 'reports':
      return <ReportsSection key={key} campaignId={campaignId!} session={session} />;
    case 'sla':
      return <SlaSection key={key} campaignId={campaignId!} session={session} />;
    case 'billing':
      return <BillingSection key={key} campaignId={campaignId!} session={session} />;
  }
}
