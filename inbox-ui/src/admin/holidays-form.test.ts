import { describe, expect, it } from 'vitest';
import { campaignHolidayCalendarSchema, campaignHolidays, lftArticle74Holidays } from '../../../hub/src/router/calendar/holidays.js';
import type { HolidayCalendar } from './admin-types.js';
import { effectiveHolidays, formToHolidays, holidaysToForm, isIsoDate, isMonthDay, lft74Holidays, uselessRemovals, validateHolidays } from './holidays-form.js';

describe('holiday calendar editor', () => {
  it('computes the LFT art. 74 list as the hub does, 1990–2060', () => {
    for (let year = 1990; year <= 2060; year += 1) {
      expect(lft74Holidays(year), String(year)).toEqual(lftArticle74Holidays(year).map(({ date, name }) => ({ date, name })));
    }
  });

  it('shows the same effective holidays as the hub', () => {
    const calendars: HolidayCalendar[] = [
      { base: 'lft74', extra: [], removed: [] },
      { base: 'lft74', extra: [{ date: '2027-06-06', name: 'Jornada electoral' }], removed: ['2026-12-25'], annual: [{ monthDay: '05-10', name: 'Día de las Madres' }, { monthDay: '02-29', name: 'Bisiesto' }] },
      { base: 'none', extra: [{ date: '2026-01-01', name: 'Año Nuevo (IMSS)' }], removed: [], annual: [{ monthDay: '09-15', name: 'Noche del Grito' }] },
    ];
    for (const calendar of calendars) {
      for (const year of [2026, 2027, 2028, 2030]) {
        expect(effectiveHolidays(calendar, year).map(({ date, name }) => ({ date, name })), `${year}`).toEqual(campaignHolidays(calendar, year));
      }
    }
  });

  it('round-trips the API shape, keeping `annual` only when it was there or is used', () => {
    const without: HolidayCalendar = { base: 'lft74', extra: [{ date: '2026-06-07', name: ' Elección ' }], removed: ['2026-12-25', '2026-12-25'] };
    expect(formToHolidays(holidaysToForm(without))).toEqual({ base: 'lft74', extra: [{ date: '2026-06-07', name: 'Elección' }], removed: ['2026-12-25'] });
    const withEmpty: HolidayCalendar = { ...without, annual: [] };
    expect(formToHolidays(holidaysToForm(withEmpty)).annual).toEqual([]);
    for (const c of [without, withEmpty]) expect(campaignHolidayCalendarSchema.safeParse(formToHolidays(holidaysToForm(c))).success).toBe(true);
  });

  it('flags bad dates, days and names on the hub’s paths', () => {
    const form = holidaysToForm({
      base: 'lft74',
      extra: [
        { date: '2026-02-30', name: 'x' },
        { date: '2026-06-07', name: '' },
        { date: '2026-06-07', name: 'otra' },
      ],
      removed: ['2026-13-01'],
      annual: [{ monthDay: '5-10', name: 'Madres' }],
    });
    const problems = validateHolidays(form);
    expect(problems['holidays.extra.0.date']?.key).toBe('v.date');
    expect(problems['holidays.extra.1.name']?.key).toBe('v.required');
    expect(problems['holidays.extra.2.date']?.key).toBe('v.duplicate');
    expect(problems['holidays.removed.0']?.key).toBe('v.date');
    expect(problems['holidays.annual.0.monthDay']?.key).toBe('v.monthDay');
    expect(validateHolidays(holidaysToForm({ base: 'none', extra: [], removed: [] }))).toEqual({});
  });

  it('knows real dates and month-days, and spots removals that change nothing', () => {
    expect([isIsoDate('2028-02-29'), isIsoDate('2027-02-29'), isIsoDate('2026-1-01')]).toEqual([true, false, false]);
    expect([isMonthDay('02-29'), isMonthDay('02-30'), isMonthDay('5-10')]).toEqual([true, false, false]);
    expect(uselessRemovals({ base: 'lft74', extra: [], removed: ['2026-12-25', '2026-12-24'] })).toEqual(['2026-12-24']);
  });
});
