import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { portalApi, type CaseKey } from './portal-api.js';
import { formatLocalDate } from './portal-format.js';
import { usePortalText } from './portal-i18n.js';
import type { CaseView, FreeSlot } from './portal.schema.js';

const slotKey = (slot: FreeSlot) => `${slot.roomId}|${slot.startsAt}`;

/** The slots by local date, in the hub's order (nearest first). */
function byDay(slots: FreeSlot[]): [string, FreeSlot[]][] {
  const days = new Map<string, FreeSlot[]>();
  for (const slot of slots) days.set(slot.localDate, [...(days.get(slot.localDate) ?? []), slot]);
  return [...days];
}

/** An approved case: the nearest free slots → confirm → the CITA folio. */
export function CaseBookingView({ caseKey, onCase }: { caseKey: CaseKey; onCase(view: CaseView): void }) {
  const { t, lang, errorText } = usePortalText();
  const id = useId();
  const [slots, setSlots] = useState<FreeSlot[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setSlots(await portalApi.slots(caseKey));
    } catch (error) {
      setSlots([]);
      setProblem(errorText(error));
    }
  }, [caseKey, errorText]);

  useEffect(() => {
    void load();
  }, [load]);

  const book = async (event: FormEvent) => {
    event.preventDefault();
    const slot = slots?.find((s) => slotKey(s) === chosen);
    if (!slot) {
      setProblem(t('chooseSlotFirst'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      onCase(await portalApi.book(caseKey, { roomId: slot.roomId, startsAt: slot.startsAt }));
    } catch (error) {
      // Someone took it a moment earlier: say so and show the slots free now.
      setProblem(errorText(error));
      setChosen('');
      await load();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-heading`} className="pt-booking">
      <h3 id={`${id}-heading`}>{t('bookingHeading')}</h3>
      <p>{t('bookingIntro')}</p>
      {slots === null && <p role="status">{t('loading')}</p>}
      {slots !== null && slots.length === 0 && !problem && <p>{t('noSlots')}</p>}
      {slots !== null && slots.length > 0 && (
        <form onSubmit={(e) => void book(e)}>
          <fieldset className="pt-fieldset pt-slots">
            <legend>{t('slotsLegend')}</legend>
            {/* One group per day: a screen reader announces the day's legend with each of its times. */}
            {byDay(slots).map(([day, daySlots]) => (
              <fieldset key={day} className="pt-slot-day">
                <legend>{formatLocalDate(day, lang)}</legend>
                {daySlots.map((slot) => (
                  <label key={slotKey(slot)} className="pt-slot">
                    <input type="radio" name={`${id}-slot`} value={slotKey(slot)} checked={chosen === slotKey(slot)} onChange={() => setChosen(slotKey(slot))} />
                    <span>{t('slotText', { time: slot.localTime, office: slot.officeName, room: slot.roomName })}</span>
                  </label>
                ))}
              </fieldset>
            ))}
          </fieldset>
          <button type="submit" className="pt-primary" disabled={busy}>
            {busy ? t('booking') : t('confirmBooking')}
          </button>
        </form>
      )}
      <div role="alert">{problem && <p className="pt-error">{problem}</p>}</div>
    </section>
  );
}

/** The booked appointment: its CITA folio big, when and where; confirm attendance; cancel in two steps. */
export function CaseAppointmentView({ caseKey, view, onCase }: { caseKey: CaseKey; view: CaseView; onCase(view: CaseView): void }) {
  const { t, lang, errorText } = usePortalText();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const appointment = view.appointment;
  if (!appointment) return null;

  const act = async (action: 'cancel' | 'confirm') => {
    setBusy(true);
    setProblem(null);
    try {
      onCase(await (action === 'cancel' ? portalApi.cancel(caseKey) : portalApi.confirm(caseKey)));
      setAsking(false);
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="pt-appointment-heading" className="pt-appointment">
      <h3 id="pt-appointment-heading">{t('appointmentHeading')}</h3>
      <p className="pt-folio-label">{t('appointmentFolio')}</p>
      <p className="pt-folio" data-testid="appointment-folio">
        {appointment.folio}
      </p>
      <p className="pt-when">{t('appointmentWhen', { date: formatLocalDate(appointment.localDate, lang), time: appointment.localTime })}</p>
      <p>{t('appointmentWhere', { office: appointment.officeName, room: appointment.roomName, service: appointment.serviceName })}</p>
      <p className="pt-meta">{t('appointmentKeep')}</p>
      {appointment.status === 'confirmed' && <p className="pt-good" data-testid="attendance-confirmed">{t('attendanceConfirmed')}</p>}
      {appointment.status === 'booked' && !asking && (
        <button type="button" className="pt-primary" disabled={busy} onClick={() => void act('confirm')}>
          {t('confirmAttendance')}
        </button>
      )}
      {!asking && (
        <button type="button" className="pt-secondary" onClick={() => setAsking(true)}>
          {t('cancelAppointment')}
        </button>
      )}
      {asking && (
        <div className="pt-confirm" role="group" aria-label={t('cancelAppointment')}>
          <p>{t('cancelConfirm')}</p>
          <button type="button" className="pt-danger" disabled={busy} onClick={() => void act('cancel')}>
            {t('cancelYes')}
          </button>
          <button type="button" className="pt-secondary" onClick={() => setAsking(false)}>
            {t('cancelNo')}
          </button>
        </div>
      )}
      <div role="alert">{problem && <p className="pt-error">{problem}</p>}</div>
    </section>
  );
}
