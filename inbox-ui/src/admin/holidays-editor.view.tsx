import { useId, useState } from 'react';
import { Icon } from '../ui/icons.view.js';
import { useAdmin } from './admin-context.js';
import { FieldMessagesView } from './admin-ui.js';
import { messagesAt, messagesUnder, type FieldMessages } from './form-problems.js';
import { effectiveHolidays, formToHolidays, uselessRemovals, type HolidaysForm } from './holidays-form.js';

export const HOLIDAY_CLAIMS = ['holidays.base', 'holidays.extra', 'holidays.removed', 'holidays.annual'];

function formatDate(date: string, lang: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? date : d.toLocaleDateString(lang, { weekday: 'short', day: 'numeric', month: 'long', timeZone: 'UTC' });
}

/** Base list (LFT art. 74 or none), dated additions, dates worked anyway, yearly additions, and the resulting list. */
export function HolidaysEditor({ form, messages, onChange }: { form: HolidaysForm; messages: FieldMessages; onChange(form: HolidaysForm): void }) {
  const { t, lang } = useAdmin();
  const id = useId();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const calendar = formToHolidays(form);
  const preview = effectiveHolidays(calendar, year);
  const useless = uselessRemovals(calendar);
  const inv = (path: string) => (messagesUnder(messages, path).length > 0 ? true : undefined);

  return (
    <fieldset className="admin-fieldset">
      <legend>{t('holidays.title')}</legend>
      <fieldset className="admin-subfieldset">
        <legend>{t('holidays.base')}</legend>
        <label className="radio">
          <input type="radio" name={`${id}-base`} checked={form.base === 'lft74'} onChange={() => onChange({ ...form, base: 'lft74' })} />
          {t('holidays.base.lft74')}
        </label>
        <label className="radio">
          <input type="radio" name={`${id}-base`} checked={form.base === 'none'} onChange={() => onChange({ ...form, base: 'none' })} />
          {t('holidays.base.none')}
        </label>
        <FieldMessagesView messages={messagesUnder(messages, 'holidays.base')} />
      </fieldset>

      <fieldset className="admin-subfieldset">
        <legend>{t('holidays.extra')}</legend>
        <p className="admin-hint">{t('holidays.extraHint')}</p>
        {form.extra.map((h, i) => {
          const path = `holidays.extra.${i}`;
          const errors = messagesUnder(messages, path);
          return (
            <div key={i} className="holiday-row">
              <div className="row gap-s">
                <input
                  type="date"
                  value={h.date}
                  aria-label={t('holidays.dateN', { n: i + 1 })}
                  aria-invalid={inv(`${path}.date`)}
                  aria-describedby={errors.length > 0 ? `${id}-x${i}` : undefined}
                  onChange={(e) => onChange({ ...form, extra: form.extra.map((x, j) => (j === i ? { ...x, date: e.target.value } : x)) })}
                />
                <input
                  type="text"
                  value={h.name}
                  maxLength={120}
                  placeholder={t('holidays.name')}
                  aria-label={t('holidays.nameN', { n: i + 1 })}
                  aria-invalid={inv(`${path}.name`)}
                  aria-describedby={errors.length > 0 ? `${id}-x${i}` : undefined}
                  onChange={(e) => onChange({ ...form, extra: form.extra.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) })}
                />
                <button type="button" className="btn btn-icon" aria-label={t('holidays.removeExtra', { n: i + 1 })} onClick={() => onChange({ ...form, extra: form.extra.filter((_, j) => j !== i) })}>
                  <Icon name="close" size={14} />
                </button>
              </div>
              <FieldMessagesView id={`${id}-x${i}`} messages={errors} />
            </div>
          );
        })}
        <button type="button" className="btn btn-ghost btn-small" onClick={() => onChange({ ...form, extra: [...form.extra, { date: '', name: '' }] })}>
          + {t('holidays.addExtra')}
        </button>
        <FieldMessagesView messages={messagesAt(messages, 'holidays.extra')} />
      </fieldset>

      <fieldset className="admin-subfieldset">
        <legend>{t('holidays.annual')}</legend>
        <p className="admin-hint">{t('holidays.annualHint')}</p>
        {form.annual.map((h, i) => {
          const path = `holidays.annual.${i}`;
          const errors = messagesUnder(messages, path);
          return (
            <div key={i} className="holiday-row">
              <div className="row gap-s">
                <input
                  type="text"
                  className="time-input"
                  value={h.monthDay}
                  placeholder={t('holidays.monthDayPlaceholder')}
                  maxLength={5}
                  aria-label={t('holidays.monthDayN', { n: i + 1 })}
                  aria-invalid={inv(`${path}.monthDay`)}
                  aria-describedby={errors.length > 0 ? `${id}-a${i}` : undefined}
                  onChange={(e) => onChange({ ...form, annual: form.annual.map((x, j) => (j === i ? { ...x, monthDay: e.target.value } : x)) })}
                />
                <input
                  type="text"
                  value={h.name}
                  maxLength={120}
                  placeholder={t('holidays.name')}
                  aria-label={t('holidays.annualNameN', { n: i + 1 })}
                  aria-invalid={inv(`${path}.name`)}
                  aria-describedby={errors.length > 0 ? `${id}-a${i}` : undefined}
                  onChange={(e) => onChange({ ...form, annual: form.annual.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) })}
                />
                <button type="button" className="btn btn-icon" aria-label={t('holidays.removeAnnual', { n: i + 1 })} onClick={() => onChange({ ...form, annual: form.annual.filter((_, j) => j !== i) })}>
                  <Icon name="close" size={14} />
                </button>
              </div>
              <FieldMessagesView id={`${id}-a${i}`} messages={errors} />
            </div>
          );
        })}
        <button type="button" className="btn btn-ghost btn-small" onClick={() => onChange({ ...form, annual: [...form.annual, { monthDay: '', name: '' }] })}>
          + {t('holidays.addAnnual')}
        </button>
      </fieldset>

      <fieldset className="admin-subfieldset">
        <legend>{t('holidays.removed')}</legend>
        <p className="admin-hint">{t('holidays.removedHint')}</p>
        {form.removed.map((d, i) => {
          const path = `holidays.removed.${i}`;
          const errors = [...messagesUnder(messages, path), ...(useless.includes(d) ? [t('holidays.uselessRemoval', { date: d })] : [])];
          return (
            <div key={i} className="holiday-row">
              <div className="row gap-s">
                <input
                  type="date"
                  value={d}
                  aria-label={t('holidays.removedN', { n: i + 1 })}
                  aria-invalid={inv(path)}
                  aria-describedby={errors.length > 0 ? `${id}-r${i}` : undefined}
                  onChange={(e) => onChange({ ...form, removed: form.removed.map((x, j) => (j === i ? e.target.value : x)) })}
                />
                <button type="button" className="btn btn-icon" aria-label={t('holidays.removeRemoved', { n: i + 1 })} onClick={() => onChange({ ...form, removed: form.removed.filter((_, j) => j !== i) })}>
                  <Icon name="close" size={14} />
                </button>
              </div>
              <FieldMessagesView id={`${id}-r${i}`} messages={errors} tone={messagesUnder(messages, path).length > 0 ? 'error' : 'warn'} />
            </div>
          );
        })}
        <button type="button" className="btn btn-ghost btn-small" onClick={() => onChange({ ...form, removed: [...form.removed, ''] })}>
          + {t('holidays.addRemoved')}
        </button>
      </fieldset>

      <div className="holiday-preview">
        <div className="row gap-s">
          <h4 id={`${id}-preview`}>{t('holidays.preview', { year })}</h4>
          <span className="spacer" />
          <label className="row gap-s small">
            {t('holidays.year')}
            <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
              {[thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </label>
        </div>
        {preview.length === 0 ? (
          <p className="small muted">{t('holidays.none')}</p>
        ) : (
          <ul className="holiday-list" aria-labelledby={`${id}-preview`}>
            {preview.map((h) => (
              <li key={h.date}>
                <span className="mono">{h.date}</span>
                <span className="holiday-date">{formatDate(h.date, lang)}</span>
                <span className="holiday-name">{h.name}</span>
                <span className={`status-chip holiday-source-${h.source}`}>{t(`holidays.source.${h.source}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </fieldset>
  );
}
