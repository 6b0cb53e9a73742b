import { useCallback, useEffect, useId, useState } from 'react';
import { errorText } from '../api/api-error.js';
import { useI18n } from '../i18n/i18n.js';
import { APPOINTMENT_STATUSES, type AppointmentStatus, type AppointmentsApi, type AppointmentView, type LoadedCalendar } from './appointments-api.js';
import { AppointmentDetail } from './appointment-detail.view.js';
import { channelKey } from './appointments-state.js';
import { appointmentsText, type AppointmentsKey } from './appointments-text.js';

function isStatus(value: string): value is AppointmentStatus {
  return APPOINTMENT_STATUSES.some((s) => s === value);
}

/** «Citas del día»: a date's appointments (office, status, folio or NSS/CURP filters) and the detail of one. */
export function DayList({ api, campaignId, loaded, today, initialDate }: { api: AppointmentsApi; campaignId: string; loaded: LoadedCalendar; today: string; initialDate?: string | undefined }) {
  const { lang } = useI18n();
  const t = (key: AppointmentsKey, values?: Record<string, string | number>) => appointmentsText(lang, key, values);
  const id = useId();
  const [date, setDate] = useState(initialDate ?? today);
  const [officeId, setOfficeId] = useState('');
  const [status, setStatus] = useState<AppointmentStatus | ''>('');
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<AppointmentView[] | null>(null);
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const refresh = useCallback(() => {
    setFailure(null);
    // A folio or an id searches every date; otherwise the chosen day.
    api.list(campaignId, { date: q ? '' : date, officeId, status, q }).then(
      (r) => setRows(r.appointments),
      (error: unknown) => {
        setRows([]);
        setFailure({ error });
      },
    );
  }, [api, campaignId, date, officeId, status, q]);
  useEffect(refresh, [refresh]);

  const statusText = (s: AppointmentStatus) => t(`status_${s}`);
  const channelText = (c: string) => {
    const key = channelKey(c);
    return key ? t(key) : c;
  };

  return (
    <section aria-labelledby={`${id}-title`} className="appt-section">
      <h2 id={`${id}-title`}>{t('dayTitle')}</h2>
      <form
        className="appt-row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(search.trim());
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-date`}>{t('date')}</label>
          <input id={`${id}-date`} type="date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-office`}>{t('office')}</label>
          <select id={`${id}-office`} value={officeId} onChange={(e) => setOfficeId(e.target.value)}>
            <option value="">{t('anyOffice')}</option>
            {loaded.calendar.offices.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-status`}>{t('status')}</label>
          <select id={`${id}-status`} value={status} onChange={(e) => setStatus(isStatus(e.target.value) ? e.target.value : '')}>
            <option value="">{t('anyStatus')}</option>
            {APPOINTMENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusText(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-q`}>{t('search')}</label>
          <input
            id={`${id}-q`}
            type="search"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              if (!e.target.value.trim()) setQ('');
            }}
          />
        </div>
        <button type="submit" className="btn btn-secondary">
          {t('searchButton')}
        </button>
      </form>
      {failure && <p role="alert">{t('loadFailed', { message: errorText(failure.error, lang, '') })}</p>}
      {rows === null ? (
        <p className="muted">{t('loading')}</p>
      ) : rows.length === 0 ? (
        <p className="muted">{t('noAppointments')}</p>
      ) : (
        <table className="appt-table">
          <thead>
            <tr>
              <th scope="col">{t('colTime')}</th>
              <th scope="col">{t('colFolio')}</th>
              <th scope="col">{t('colService')}</th>
              <th scope="col">{t('colRoom')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col">{t('colChannel')}</th>
              <th scope="col">{t('colActions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id} aria-current={open === a.folio ? 'true' : undefined}>
                <td>{q ? `${a.localDate} ${a.localTime}` : a.localTime}</td>
                <td>{a.folio}</td>
                <td>{a.serviceName}</td>
                <td>
                  {a.roomName} · {a.officeName}
                </td>
                <td>
                  <span className={`appt-status appt-status-${a.status}`}>{statusText(a.status)}</span>
                </td>
                <td>{channelText(a.channel)}</td>
                <td>
                  <button type="button" className="btn btn-ghost btn-small" aria-label={t('viewFolio', { folio: a.folio })} onClick={() => setOpen(a.folio)}>
                    {t('view')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <AppointmentDetail key={open} api={api} campaignId={campaignId} folio={open} onChanged={refresh} onClose={() => setOpen(null)} />}
    </section>
  );
}
