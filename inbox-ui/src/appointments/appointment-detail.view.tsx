import { useCallback, useEffect, useId, useState } from 'react';
import { errorText } from '../api/api-error.js';
import { formatDateTime } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n.js';
import type { AppointmentEvent, AppointmentsApi, AppointmentView } from './appointments-api.js';
import { allowedActions, channelKey, eventKey, shortDate } from './appointments-state.js';
import { appointmentsText, type AppointmentsKey } from './appointments-text.js';

type StatusTarget = 'confirmed' | 'attended' | 'no_show';

/** One appointment: who, when, where, its history, and the status actions (each refreshes the list). */
export function AppointmentDetail({ api, campaignId, folio, onChanged, onClose }: { api: AppointmentsApi; campaignId: string; folio: string; onChanged(): void; onClose(): void }) {
  const { lang } = useI18n();
  const t = (key: AppointmentsKey, values?: Record<string, string | number>) => appointmentsText(lang, key, values);
  const id = useId();
  const [appointment, setAppointment] = useState<AppointmentView | null>(null);
  const [events, setEvents] = useState<AppointmentEvent[]>([]);
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.detail(campaignId, folio).then(
      (r) => {
        setAppointment(r.appointment);
        setEvents(r.events);
      },
      (error: unknown) => setNotice({ tone: 'error', text: errorText(error, lang, '') }),
    );
  }, [api, campaignId, folio, lang]);
  useEffect(load, [load]);

  function act(call: () => Promise<{ appointment: AppointmentView }>) {
    setBusy(true);
    call()
      .then(
        (r) => {
          setAppointment(r.appointment);
          setNotice({ tone: 'ok', text: t('updated', { folio: r.appointment.folio, status: t(`status_${r.appointment.status}`) }) });
          setCancelling(false);
          setReason('');
          load();
          onChanged();
        },
        (error: unknown) => setNotice({ tone: 'error', text: t('actionFailed', { message: errorText(error, lang, '') }) }),
      )
      .finally(() => setBusy(false));
  }
  const setStatus = (to: StatusTarget) => act(() => api.setStatus(campaignId, folio, to));
  const channelText = (c: string | null) => {
    if (!c) return '—';
    const key = channelKey(c);
    return key ? t(key) : c;
  };

  const actions = appointment ? allowedActions(appointment.status) : null;
  const who = appointment ? (appointment.bookedBy.name ?? t(`who_${appointment.bookedBy.kind}`)) : '';

  return (
    <aside className="appt-card appt-detail" aria-labelledby={`${id}-title`}>
      <div className="appt-row appt-between">
        <h3 id={`${id}-title`}>{t('detailTitle', { folio })}</h3>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose}>
          {t('closeDetail')}
        </button>
      </div>
      {appointment && (
        <>
          <p>
            <span className={`appt-status appt-status-${appointment.status}`}>{t(`status_${appointment.status}`)}</span> {appointment.serviceName} · {shortDate(appointment.localDate, lang)} {appointment.localTime} · {appointment.roomName},{' '}
            {appointment.officeName}
          </p>
          <p>
            {t('citizen', { kind: appointment.officialIdKind.toUpperCase(), value: appointment.officialId })}
            {appointment.birthDate ? ` · ${t('bornOn', { date: appointment.birthDate })}` : ''}
          </p>
          <p className="small">{t('bookedBy', { who })}</p>
          {appointment.cancelReason && <p className="small">{t('cancelReasonShown', { reason: appointment.cancelReason })}</p>}
          {actions && (
            <div className="appt-row">
              {actions.confirm && (
                <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => setStatus('confirmed')}>
                  {t('confirm')}
                </button>
              )}
              {actions.attended && (
                <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => setStatus('attended')}>
                  {t('attended')}
                </button>
              )}
              {actions.noShow && (
                <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => setStatus('no_show')}>
                  {t('noShow')}
                </button>
              )}
              {actions.cancel && !cancelling && (
                <button type="button" className="btn btn-danger btn-small" disabled={busy} onClick={() => setCancelling(true)}>
                  {t('cancel')}
                </button>
              )}
            </div>
          )}
          {cancelling && (
            <form
              className="appt-row"
              onSubmit={(e) => {
                e.preventDefault();
                if (!reason.trim()) {
                  setReasonMissing(true);
                  return;
                }
                setReasonMissing(false);
                act(() => api.cancel(campaignId, folio, reason.trim()));
              }}
            >
              <div className="field">
                <label htmlFor={`${id}-reason`}>{t('cancelReason')}</label>
                <input id={`${id}-reason`} value={reason} maxLength={500} aria-invalid={reasonMissing} onChange={(e) => setReason(e.target.value)} />
                {reasonMissing && <span className="appt-error">{t('reasonRequired')}</span>}
              </div>
              <button type="submit" className="btn btn-danger btn-small" disabled={busy}>
                {t('cancelSubmit')}
              </button>
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setCancelling(false)}>
                {t('cancelForm')}
              </button>
            </form>
          )}
          <h4>{t('history')}</h4>
          {events.length === 0 ? (
            <p className="muted small">{t('noHistory')}</p>
          ) : (
            <ol className="appt-events">
              {events.map((e, i) => {
                const key = eventKey(e.kind);
                return <li key={`${e.occurredAt}-${i}`}>{t('eventRow', { when: formatDateTime(e.occurredAt, lang), what: key ? t(key) : e.kind, channel: channelText(e.channel) })}</li>;
              })}
            </ol>
          )}
        </>
      )}
      {notice && <p role={notice.tone === 'error' ? 'alert' : 'status'}>{notice.text}</p>}
    </aside>
  );
}
