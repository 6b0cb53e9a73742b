import { useEffect, useId, useState } from 'react';
import { errorText } from '../api/api-error.js';
import { useI18n } from '../i18n/i18n.js';
import type { AppointmentsApi, AppointmentView, CalendarView, FreeSlotView, LoadedCalendar } from './appointments-api.js';
import { localDateIn, shortDate, weekdayColumn, weekdayName } from './appointments-state.js';
import { appointmentsText, type AppointmentsKey } from './appointments-text.js';
import { BookingForm } from './booking-form.view.js';

/**
 * «Calendario de citas»: the panoramic view of the next 30 days (one cell per day: date, weekday,
 * free slots, holidays greyed out), a day's free slots, and the booking form under the chosen one.
 */
export function CalendarPanel({ api, campaignId, loaded, onBooked }: { api: AppointmentsApi; campaignId: string; loaded: LoadedCalendar; onBooked(appointment: AppointmentView): void }) {
  const { lang } = useI18n();
  const t = (key: AppointmentsKey, values?: Record<string, string | number>) => appointmentsText(lang, key, values);
  const id = useId();
  const { calendar } = loaded;
  const days = loaded.rules.calendarDays || 30;
  const [serviceId, setServiceId] = useState(calendar.services[0]?.id ?? '');
  const [officeId, setOfficeId] = useState('');
  const [view, setView] = useState<CalendarView | null>(null);
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);
  const [date, setDate] = useState<string | null>(null);
  const [slot, setSlot] = useState<FreeSlotView | null>(null);
  const [booked, setBooked] = useState<AppointmentView | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (!serviceId) return;
    let live = true;
    setFailure(null);
    api.calendarView(campaignId, { serviceId, days, ...(officeId ? { officeId } : {}) }).then(
      (v) => {
        if (live) setView(v);
      },
      (error: unknown) => {
        if (live) {
          setView(null);
          setFailure({ error });
        }
      },
    );
    return () => {
      live = false;
    };
  }, [api, campaignId, serviceId, officeId, days, reload]);

  const offices = officeId ? calendar.offices.filter((o) => o.id === officeId) : calendar.offices;
  const servedOffices = calendar.offices.filter((o) => calendar.rooms.some((r) => r.officeId === o.id && r.serviceIds.includes(serviceId)));
  const day = view?.days.find((d) => d.date === date) ?? null;
  const today = localDateIn(new Date(), view?.timeZone ?? calendar.timeZone);
  const firstColumn = view?.days[0] ? weekdayColumn(view.days[0].weekday) : 0;

  function choose(next: FreeSlotView) {
    setDate(next.localDate);
    setSlot(next);
    setBooked(null);
  }

  return (
    <section aria-labelledby={`${id}-title`} className="appt-section">
      <div className="appt-row">
        <div className="field">
          <label htmlFor={`${id}-service`}>{t('service')}</label>
          <select
            id={`${id}-service`}
            value={serviceId}
            onChange={(e) => {
              setServiceId(e.target.value);
              setDate(null);
              setSlot(null);
            }}
          >
            {calendar.services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-office`}>{t('office')}</label>
          <select
            id={`${id}-office`}
            value={officeId}
            onChange={(e) => {
              setOfficeId(e.target.value);
              setDate(null);
              setSlot(null);
            }}
          >
            <option value="">{t('anyOffice')}</option>
            {servedOffices.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <h2 id={`${id}-title`}>
        {t('calendarTitle', { days })}
        {offices.length === 1 ? ` · ${offices[0]?.name ?? ''}` : ''}
      </h2>
      {failure && <p role="alert">{t('loadFailed', { message: errorText(failure.error, lang, '') })}</p>}
      {!view && !failure && <p className="muted">{t('loading')}</p>}
      {view && (
        <ol className="appt-days" aria-label={t('calendarTitle', { days: view.days.length })} data-testid="appointments-calendar">
          {view.days.map((d, index) => {
            const weekday = weekdayName(d.weekday, lang);
            // The visible text is the button's name (no aria-label: a name that hides the text fails WCAG 2.5.3).
            return (
              <li key={d.date} style={index === 0 ? { gridColumnStart: firstColumn + 1 } : undefined}>
                <button
                  type="button"
                  className={`appt-day${d.holiday ? ' appt-day-holiday' : ''}${d.freeCount === 0 ? ' appt-day-full' : ''}`}
                  aria-pressed={d.date === date}
                  disabled={d.holiday !== null}
                  onClick={() => {
                    setDate(d.date);
                    setSlot(null);
                    setBooked(null);
                  }}
                >
                  <span className="appt-day-weekday">{weekday}</span> <span className="appt-day-date">{shortDate(d.date, lang)}</span>{' '}
                  <span className="appt-day-free">{d.holiday ? t('holiday', { name: d.holiday }) : d.freeCount > 0 ? t('freeCount', { count: d.freeCount }) : t('noneFree')}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
      {booked && (
        <div role="status" className="appt-card appt-booked">
          <p className="appt-folio">{t('booked', { folio: booked.folio })}</p>
          <p>{t('bookedDetail', { service: booked.serviceName, date: shortDate(booked.localDate, lang), time: booked.localTime, room: booked.roomName, office: booked.officeName })}</p>
        </div>
      )}
      {day && (
        <section aria-labelledby={`${id}-slots`} className="appt-card">
          <h3 id={`${id}-slots`}>{t('slotsTitle', { date: `${weekdayName(day.weekday, lang)} ${shortDate(day.date, lang)}` })}</h3>
          {day.slots.length === 0 ? (
            <p className="muted">{t('noSlots')}</p>
          ) : (
            <ul className="appt-slots">
              {day.slots.map((s) => (
                <li key={`${s.roomId}-${s.startsAt}`}>
                  <button
                    type="button"
                    className={`btn btn-small ${slot?.startsAt === s.startsAt && slot.roomId === s.roomId ? 'btn-primary' : 'btn-secondary'}`}
                    aria-pressed={slot?.startsAt === s.startsAt && slot.roomId === s.roomId}
                    aria-label={t('slotLabel', { time: s.localTime, room: s.roomName, office: s.officeName })}
                    onClick={() => choose(s)}
                  >
                    {t('slotButton', { time: s.localTime, room: s.roomName })}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {slot && (
        <BookingForm
          api={api}
          campaignId={campaignId}
          calendar={calendar}
          slot={slot}
          today={today}
          onPickSlot={choose}
          onBooked={(appointment) => {
            setBooked(appointment);
            setSlot(null);
            setReload((n) => n + 1);
            onBooked(appointment);
          }}
        />
      )}
    </section>
  );
}
