import { useId, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import type { AppointmentsApi, AppointmentView, CalendarDefinition, FreeSlotView } from './appointments-api.js';
import { birthDateProblem, bookingRefusal, normalizeOfficialId, officialIdProblem, shortDate, slotView, type BookingRefusal } from './appointments-state.js';
import { appointmentsText, type AppointmentsKey } from './appointments-text.js';

/**
 * The booking form under a chosen slot: NSS (11 digits) or CURP (18), birth date, family group.
 * The values stay when the agent picks one of the alternatives offered after a 409, so the
 * second try is one click.
 */
export function BookingForm({ api, campaignId, calendar, slot, today, onPickSlot, onBooked }: { api: AppointmentsApi; campaignId: string; calendar: CalendarDefinition; slot: FreeSlotView; today: string; onPickSlot(slot: FreeSlotView): void; onBooked(appointment: AppointmentView): void }) {
  const { lang } = useI18n();
  const t = (key: AppointmentsKey, values?: Record<string, string | number>) => appointmentsText(lang, key, values);
  const id = useId();
  const [kind, setKind] = useState<'nss' | 'curp'>('nss');
  const [value, setValue] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [family, setFamily] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<BookingRefusal | null>(null);

  const idProblem = officialIdProblem(kind, value);
  const birthProblem = birthDateProblem(birthDate, today);

  function submit() {
    setTouched(true);
    if (idProblem || birthProblem) return;
    setBusy(true);
    setRefusal(null);
    const familyGroupId = family.trim();
    api
      .book(campaignId, {
        serviceId: slot.serviceId,
        roomId: slot.roomId,
        startsAt: slot.startsAt,
        officialId: { kind, value: normalizeOfficialId(kind, value) },
        birthDate,
        ...(familyGroupId ? { familyGroupId } : {}),
      })
      .then(
        (r) => onBooked(r.appointment),
        (error: unknown) => setRefusal(bookingRefusal(error, lang, t('actionFailed', { message: '' }))),
      )
      .finally(() => setBusy(false));
  }

  return (
    <form
      className="appt-card appt-form"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3 id={`${id}-title`}>{t('bookTitle', { date: shortDate(slot.localDate, lang), time: slot.localTime, room: slot.roomName })}</h3>
      <fieldset className="appt-row">
        <legend>{t('idKind')}</legend>
        <label>
          <input type="radio" name={`${id}-kind`} checked={kind === 'nss'} onChange={() => setKind('nss')} /> {t('nss')}
        </label>
        <label>
          <input type="radio" name={`${id}-kind`} checked={kind === 'curp'} onChange={() => setKind('curp')} /> {t('curp')}
        </label>
      </fieldset>
      <div className="appt-row">
        <div className="field">
          <label htmlFor={`${id}-value`}>{t('idValue')}</label>
          <input
            id={`${id}-value`}
            value={value}
            inputMode={kind === 'nss' ? 'numeric' : 'text'}
            maxLength={kind === 'nss' ? 13 : 20}
            autoComplete="off"
            aria-invalid={touched && idProblem !== null}
            aria-describedby={touched && idProblem ? `${id}-value-error` : undefined}
            onChange={(e) => setValue(e.target.value)}
          />
          {touched && idProblem && (
            <span id={`${id}-value-error`} className="appt-error">
              {t(idProblem)}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-birth`}>{t('birthDate')}</label>
          <input
            id={`${id}-birth`}
            type="date"
            max={today}
            value={birthDate}
            aria-invalid={touched && birthProblem !== null}
            aria-describedby={touched && birthProblem ? `${id}-birth-error` : undefined}
            onChange={(e) => setBirthDate(e.target.value)}
          />
          {touched && birthProblem && (
            <span id={`${id}-birth-error`} className="appt-error">
              {t(birthProblem)}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-family`}>{t('familyGroup')}</label>
          <input id={`${id}-family`} value={family} maxLength={100} aria-describedby={`${id}-family-hint`} onChange={(e) => setFamily(e.target.value)} />
          <span id={`${id}-family-hint`} className="small muted">
            {t('familyHint')}
          </span>
        </div>
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t('book')}
      </button>
      {refusal && (
        <div role="alert" className="appt-refusal">
          <p>{refusal.message}</p>
          {refusal.kind === 'taken' && (
            <>
              <p>{t('slotTakenTitle')}</p>
              <ul className="appt-slots">
                {refusal.freeSlots.map((offered) => slotView(offered, calendar)).map((s) => (
                  <li key={`${s.roomId}-${s.startsAt}`}>
                    <button
                      type="button"
                      className="btn btn-secondary btn-small"
                      onClick={() => {
                        setRefusal(null);
                        onPickSlot(s);
                      }}
                    >
                      {t('pickAlternative', { date: shortDate(s.localDate, lang), time: s.localTime, room: s.roomName })}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          {refusal.kind === 'rules' && refusal.problems.length > 0 && (
            <>
              <p>{t('rulesTitle')}</p>
              <ul>
                {refusal.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </form>
  );
}
