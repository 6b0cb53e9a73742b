import { useId } from 'react';
import { Icon } from '../ui/icons.view.js';
import { useAdmin } from './admin-context.js';
import type { DayKey, OpeningInterval } from './admin-types.js';
import { FieldMessagesView } from './admin-ui.js';
import { isUnder, messagesAt, messagesUnder, type FieldMessages } from './form-problems.js';
import { copyDay, DAY_KEYS, nextInterval, normalizeTime, WEEKDAYS, weeklyHours, type ScheduleForm } from './schedule-form.js';

/** Time zones the browser knows; the current one first if it is not among them. */
export function timeZoneOptions(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = ['America/Mexico_City'];
  }
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}

/** Paths of the schedule the editor shows messages for (the rest goes to the form's banner). */
export function scheduleClaims(prefix = 'schedule'): string[] {
  return [`${prefix}.timeZone`, ...DAY_KEYS.map((d) => `${prefix}.days.${d}`), `${prefix}.holidays`, `${prefix}.holidaysAfterOvernightShift`];
}

function IntervalList({ list, path, label, messages, onChange }: { list: OpeningInterval[]; path: string; label: string; messages: FieldMessages; onChange(list: OpeningInterval[]): void }) {
  const { t } = useAdmin();
  const id = useId();
  const listLevel = Object.entries(messages).flatMap(([p, l]) => (isUnder(p, path) && !list.some((_, i) => isUnder(p, `${path}.${i}`)) ? l : []));
  const set = (i: number, field: 'open' | 'close', value: string) => onChange(list.map((interval, j) => (j === i ? { ...interval, [field]: value } : interval)));
  return (
    <div className="schedule-intervals">
      {list.length === 0 && <span className="schedule-closed">{t('schedule.closed')}</span>}
      {list.map((interval, i) => {
        const rowPath = `${path}.${i}`;
        const rowMessages = messagesUnder(messages, rowPath);
        const errorId = `${id}-${i}-error`;
        const invalid = (field: 'open' | 'close') => (messagesAt(messages, `${rowPath}.${field}`).length > 0 || messagesAt(messages, rowPath).length > 0 ? true : undefined);
        const n = i + 1;
        return (
          <div key={i} className="schedule-interval">
            <div className="schedule-interval-inputs">
              <input
                type="text"
                inputMode="numeric"
                className="time-input"
                placeholder="HH:MM"
                maxLength={5}
                value={interval.open}
                aria-label={t('schedule.openLabel', { day: label, n })}
                aria-invalid={invalid('open')}
                aria-describedby={rowMessages.length > 0 ? errorId : undefined}
                onChange={(e) => set(i, 'open', e.target.value)}
                onBlur={(e) => set(i, 'open', normalizeTime(e.target.value))}
              />
              <span aria-hidden="true">–</span>
              <input
                type="text"
                inputMode="numeric"
                className="time-input"
                placeholder="HH:MM"
                maxLength={5}
                value={interval.close}
                aria-label={t('schedule.closeLabel', { day: label, n })}
                aria-invalid={invalid('close')}
                aria-describedby={rowMessages.length > 0 ? errorId : undefined}
                onChange={(e) => set(i, 'close', e.target.value)}
                onBlur={(e) => set(i, 'close', normalizeTime(e.target.value))}
              />
              <button type="button" className="btn btn-icon" aria-label={t('schedule.removeInterval', { day: label, n })} onClick={() => onChange(list.filter((_, j) => j !== i))}>
                <Icon name="close" size={14} />
              </button>
            </div>
            <FieldMessagesView id={errorId} messages={rowMessages} />
          </div>
        );
      })}
      <button type="button" className="btn btn-ghost btn-small" aria-label={t('schedule.addIntervalTo', { day: label })} onClick={() => onChange([...list, nextInterval(list)])}>
        + {t('schedule.addInterval')}
      </button>
      <FieldMessagesView messages={listLevel} />
    </div>
  );
}

/** Weekly opening hours, the holidays' hours, and the after-night-shift exception. */
export function ScheduleEditor({ form, messages, onChange, prefix = 'schedule' }: { form: ScheduleForm; messages: FieldMessages; onChange(form: ScheduleForm): void; prefix?: string }) {
  const { t } = useAdmin();
  const id = useId();
  const zoneMessages = messagesUnder(messages, `${prefix}.timeZone`);
  const dayName = (d: DayKey) => t(`day.${d}`);
  return (
    <fieldset className="admin-fieldset">
      <legend>{t('schedule.title')}</legend>
      <p className="admin-hint">{t('schedule.hint')}</p>
      <div className="field admin-field">
        <label htmlFor={`${id}-tz`}>{t('schedule.timeZone')}</label>
        <select
          id={`${id}-tz`}
          value={form.timeZone}
          aria-invalid={zoneMessages.length > 0 ? true : undefined}
          aria-describedby={zoneMessages.length > 0 ? `${id}-tz-error` : undefined}
          onChange={(e) => onChange({ ...form, timeZone: e.target.value })}
        >
          {timeZoneOptions(form.timeZone).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
        <FieldMessagesView id={`${id}-tz-error`} messages={zoneMessages} />
      </div>
      <table className="schedule-table">
        <caption className="sr-only">{t('schedule.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('schedule.day')}</th>
            <th scope="col">{t('schedule.hours')}</th>
          </tr>
        </thead>
        <tbody>
          {DAY_KEYS.map((day) => (
            <tr key={day}>
              <th scope="row">{dayName(day)}</th>
              <td>
                <IntervalList list={form.days[day]} path={`${prefix}.days.${day}`} label={dayName(day)} messages={messages} onChange={(list) => onChange({ ...form, days: { ...form.days, [day]: list } })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row gap-s admin-wrap">
        <button type="button" className="btn btn-secondary btn-small" onClick={() => onChange(copyDay(form, 'mon', WEEKDAYS))}>
          {t('schedule.copyWeekdays')}
        </button>
        <span className="small muted">{t('schedule.weekly', { hours: weeklyHours(form) })}</span>
      </div>

      <fieldset className="admin-subfieldset">
        <legend>{t('schedule.holidays')}</legend>
        <label className="radio">
          <input type="radio" name={`${id}-hol`} checked={form.holidaysClosed} onChange={() => onChange({ ...form, holidaysClosed: true })} />
          {t('schedule.holidaysClosed')}
        </label>
        <label className="radio">
          <input
            type="radio"
            name={`${id}-hol`}
            checked={!form.holidaysClosed}
            onChange={() => onChange({ ...form, holidaysClosed: false, holidayIntervals: form.holidayIntervals.length > 0 ? form.holidayIntervals : [{ open: '09:00', close: '14:00' }] })}
          />
          {t('schedule.holidaysOwn')}
        </label>
        {!form.holidaysClosed && (
          <IntervalList list={form.holidayIntervals} path={`${prefix}.holidays`} label={t('schedule.holidayLabel')} messages={messages} onChange={(list) => onChange({ ...form, holidayIntervals: list })} />
        )}
        {form.holidaysClosed && <FieldMessagesView messages={messagesUnder(messages, `${prefix}.holidays`)} />}
      </fieldset>

      <fieldset className="admin-subfieldset">
        <legend>{t('schedule.afterOvernight')}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={form.afterOvernight !== null} onChange={(e) => onChange({ ...form, afterOvernight: e.target.checked ? [{ open: '00:00', close: '07:00' }] : null })} />
          {t('schedule.afterOvernightEnable')}
        </label>
        <p className="admin-hint">{t('schedule.afterOvernightHint')}</p>
        {form.afterOvernight && (
          <IntervalList
            list={form.afterOvernight}
            path={`${prefix}.holidaysAfterOvernightShift`}
            label={t('schedule.afterOvernightLabel')}
            messages={messages}
            onChange={(list) => onChange({ ...form, afterOvernight: list })}
          />
        )}
      </fieldset>
    </fieldset>
  );
}
