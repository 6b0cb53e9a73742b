import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { ApiError, errorText } from '../api/api-error.js';
import type { SessionUser } from '../api/api-types.js';
import type { AuthSession } from '../api/auth-session.js';
import { useI18n } from '../i18n/i18n.js';
import { LanguageSwitch } from '../ui/language-switch.view.js';
import type { IconName } from '../ui/icons.view.js';
import { Tabs } from '../ui/tabs.view.js';
import { appointmentsApi, type CampaignOption, type LoadedCalendar } from './appointments-api.js';
import { localDateIn } from './appointments-state.js';
import { appointmentsText, type AppointmentsKey } from './appointments-text.js';
import { CalendarPanel } from './calendar.view.js';
import { DayList } from './day-list.view.js';
import { ReviewPanel } from './review.view.js';
import './appointments.css';

type Tab = 'calendar' | 'day' | 'review';

/**
 * «Citas» (issue 11): agents, supervisors and admins book from the 30-day calendar and work the
 * day's appointments; reviewers (the procedure's reviewer skill), supervisors and admins review
 * uploaded documents. Opened from the inbox's top bar; `onClose` goes back.
 */
export function AppointmentsScreen({ session, user, onClose }: { session: AuthSession; user: SessionUser; onClose: () => void }) {
  const { lang } = useI18n();
  const t = (key: AppointmentsKey, values?: Record<string, string | number>) => appointmentsText(lang, key, values);
  const id = useId();
  const api = useMemo(() => appointmentsApi(session), [session]);
  const canSeeAll = user.roles.includes('admin') || user.roles.includes('supervisor');
  const [campaigns, setCampaigns] = useState<CampaignOption[] | null>(null);
  const [campaignId, setCampaignId] = useState('');
  const [loaded, setLoaded] = useState<LoadedCalendar | null>(null);
  const [calendarState, setCalendarState] = useState<'loading' | 'ready' | 'none' | { error: unknown }>('loading');
  const [reviewer, setReviewer] = useState(canSeeAll);
  const [tab, setTab] = useState<Tab>('calendar');
  const [lastBookedDate, setLastBookedDate] = useState<string | undefined>(undefined);

  useEffect(() => {
    api.campaigns().then(
      (r) => {
        setCampaigns(r.items);
        setCampaignId(r.items[0]?.id ?? '');
      },
      () => setCampaigns([]),
    );
  }, [api]);

  useEffect(() => {
    if (!campaignId) return;
    let live = true;
    setCalendarState('loading');
    setLoaded(null);
    api.calendar(campaignId).then(
      (r) => {
        if (!live) return;
        setLoaded(r);
        setCalendarState('ready');
      },
      (error: unknown) => {
        if (!live) return;
        setCalendarState(error instanceof ApiError && error.code === 'HUB_ERR_APPOINTMENT_NO_CALENDAR' ? 'none' : { error });
      },
    );
    // An agent sees «Revisión documental» only when the hub lets them read their queue (reviewer skill).
    if (!canSeeAll)
      api.reviewQueue(campaignId, true).then(
        () => {
          if (live) setReviewer(true);
        },
        () => {
          if (live) setReviewer(false);
        },
      );
    return () => {
      live = false;
    };
  }, [api, campaignId, canSeeAll]);

  const timeZone = loaded?.calendar.timeZone ?? campaigns?.find((c) => c.id === campaignId)?.timeZone ?? 'America/Mexico_City';
  const today = localDateIn(new Date(), timeZone);

  type TabSpec = { id: Tab; label: string; icon: IconName; content: ReactNode };
  const review: TabSpec = { id: 'review', label: t('tabReview'), icon: 'file', content: <ReviewPanel key={campaignId} api={api} campaignId={campaignId} canSeeAll={canSeeAll} me={user.id} /> };
  const tabs: TabSpec[] = [];
  if (loaded) {
    tabs.push({ id: 'calendar', label: t('tabCalendar'), icon: 'clock', content: <CalendarPanel key={campaignId} api={api} campaignId={campaignId} loaded={loaded} onBooked={(a) => setLastBookedDate(a.localDate)} /> });
    tabs.push({ id: 'day', label: t('tabDay'), icon: 'book', content: <DayList key={campaignId} api={api} campaignId={campaignId} loaded={loaded} today={today} initialDate={lastBookedDate} /> });
  }
  // Document review does not need the calendar: a reviewer may work a campaign whose calendar is elsewhere.
  if (reviewer && campaignId) tabs.push(review);
  const selected: Tab = tabs.some((x) => x.id === tab) ? tab : (tabs[0]?.id ?? 'calendar');

  return (
    <div className="app appt-app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            V
          </span>
          <span className="brand-name">{t('title')}</span>
        </div>
        <div className="topbar-right">
          <LanguageSwitch />
          <span className="user-chip" title={user.email}>
            {user.displayName}
          </span>
          <button type="button" className="btn btn-ghost btn-small" onClick={onClose}>
            {t('close')}
          </button>
        </div>
      </header>
      <main id="main" className="appt-main">
        <h1>{t('title')}</h1>
        {campaigns !== null && campaigns.length === 0 && <p role="alert">{t('noCampaigns')}</p>}
        {campaigns && campaigns.length > 1 && (
          <div className="field appt-campaign">
            <label htmlFor={`${id}-campaign`}>{t('campaign')}</label>
            <select id={`${id}-campaign`} value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
              {campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {calendarState === 'loading' && campaignId && <p className="muted">{t('loading')}</p>}
        {calendarState === 'none' && <p role="status">{t('noCalendar')}</p>}
        {typeof calendarState === 'object' && <p role="alert">{t('loadFailed', { message: errorText(calendarState.error, lang, '') })}</p>}
        {tabs.length > 0 && <Tabs label={t('tabs')} tabs={tabs} selected={selected} onSelect={(next: Tab) => setTab(next)} />}
      </main>
    </div>
  );
}
