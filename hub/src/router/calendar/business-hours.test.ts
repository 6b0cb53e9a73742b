import { describe, expect, it } from 'vitest';
import {
  type WeeklySchedule,
  isOpenAt,
  nextClosingAfter,
  nextOpeningAfter,
  openMillisecondsBetween,
  openMinutesBetween,
  serviceWindowOn,
} from './business-hours.js';
import { type CampaignHolidayCalendar } from './holidays.js';

/** Mexico City has been UTC−6 all year since Oct 2022, so a fixed suffix is right for these dates. */
const cdmx = (local: string): Date => new Date(`${local}:00-06:00`);
const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

const lft74: CampaignHolidayCalendar = { base: 'lft74', extra: [], removed: [] };
const none: CampaignHolidayCalendar = { base: 'none', extra: [], removed: [] };
const week = (window: WeeklySchedule['days']['mon'], sat: WeeklySchedule['days']['mon'] = [], sun: WeeklySchedule['days']['mon'] = []): WeeklySchedule['days'] => ({
  mon: window, tue: window, wed: window, thu: window, fri: window, sat, sun,
});
const allDay = [{ open: '00:00', close: '24:00' }];
const everyDay = (window: WeeklySchedule['days']['mon']): WeeklySchedule['days'] => week(window, window, window);

const dyc: WeeklySchedule = { timeZone: 'America/Mexico_City', days: week([{ open: '08:00', close: '20:00' }], [{ open: '08:00', close: '14:00' }]), holidays: 'closed' };
const split: WeeklySchedule = { timeZone: 'America/Mexico_City', days: week([{ open: '15:00', close: '19:00' }, { open: '09:00', close: '13:00' }]), holidays: 'closed' };
const full: WeeklySchedule = { timeZone: 'America/Mexico_City', days: everyDay(allDay), holidays: 'closed' };

describe('isOpenAt', () => {
  it('treats intervals as [open, close): 08:00 is open, 20:00 is closed', () => {
    expect(isOpenAt(dyc, lft74, cdmx('2026-02-03T07:59'))).toBe(false);
    expect(isOpenAt(dyc, lft74, cdmx('2026-02-03T08:00'))).toBe(true);
    expect(isOpenAt(dyc, lft74, new Date(cdmx('2026-02-03T20:00').getTime() - 1))).toBe(true);
    expect(isOpenAt(dyc, lft74, cdmx('2026-02-03T20:00'))).toBe(false);
  });

  it('uses the per-day window: Saturday 08–14, Sunday closed', () => {
    expect(isOpenAt(dyc, lft74, cdmx('2026-02-07T13:59'))).toBe(true);
    expect(isOpenAt(dyc, lft74, cdmx('2026-02-07T14:00'))).toBe(false);
    expect(isOpenAt(dyc, lft74, cdmx('2026-02-08T10:00'))).toBe(false);
  });

  it('closes on an art. 74 holiday unless the campaign removed it', () => {
    expect(isOpenAt(dyc, lft74, cdmx('2026-02-02T10:00'))).toBe(false); // Día de la Constitución
    expect(isOpenAt(dyc, none, cdmx('2026-02-02T10:00'))).toBe(true);
    expect(isOpenAt(dyc, { ...lft74, removed: ['2026-02-02'] }, cdmx('2026-02-02T10:00'))).toBe(true);
    expect(isOpenAt(dyc, { ...lft74, extra: [{ date: '2026-02-03', name: 'Asueto' }] }, cdmx('2026-02-03T10:00'))).toBe(false);
  });

  it('decides the day in the schedule time zone, not UTC', () => {
    // 2026-02-03T01:00Z is Monday 19:00 in Mexico City (a holiday) and Tuesday in UTC.
    expect(isOpenAt(dyc, lft74, new Date('2026-02-03T01:00:00Z'))).toBe(false);
    expect(isOpenAt({ ...dyc, timeZone: 'UTC' }, lft74, new Date('2026-02-03T19:59:00Z'))).toBe(true);
  });

  it('follows Mexico City DST in 2022, before it was abolished', () => {
    // 1 June 2022 was UTC−5: 08:00 local = 13:00Z. A fixed −6 offset would say 14:00Z.
    expect(isOpenAt(dyc, lft74, new Date('2022-06-01T13:00:00Z'))).toBe(true);
    expect(isOpenAt(dyc, lft74, new Date('2022-06-01T12:59:59Z'))).toBe(false);
  });

  it('refuses invalid dates and unvalidated schedules', () => {
    expect(() => isOpenAt(dyc, lft74, new Date('nope'))).toThrow(RangeError);
    const bad: WeeklySchedule = { ...dyc, days: { ...dyc.days, tue: [{ open: '20:00', close: '08:00' }] } };
    expect(() => isOpenAt(bad, lft74, cdmx('2026-02-03T10:00'))).toThrow(/weeklyScheduleSchema/);
  });
});

describe('nextOpeningAfter / nextClosingAfter', () => {
  it('returns the instant itself when already in the wanted state', () => {
    const open = cdmx('2026-02-03T10:00');
    expect(iso(nextOpeningAfter(dyc, lft74, open))).toBe(open.toISOString());
    const closed = cdmx('2026-02-03T21:00');
    expect(iso(nextClosingAfter(dyc, lft74, closed))).toBe(closed.toISOString());
  });

  it('finds the next edge across nights, weekends and holidays', () => {
    expect(iso(nextOpeningAfter(dyc, lft74, cdmx('2026-02-06T20:00')))).toBe(iso(cdmx('2026-02-07T08:00')));
    // Saturday 14:00 → Sunday closed → Monday 2 Feb is a holiday → Tuesday 08:00.
    expect(iso(nextOpeningAfter(dyc, lft74, cdmx('2026-01-31T14:00')))).toBe(iso(cdmx('2026-02-03T08:00')));
    expect(iso(nextClosingAfter(dyc, lft74, cdmx('2026-02-03T08:00')))).toBe(iso(cdmx('2026-02-03T20:00')));
  });

  it('handles several intervals per day (given in any order)', () => {
    expect(iso(nextClosingAfter(split, lft74, cdmx('2026-02-03T10:00')))).toBe(iso(cdmx('2026-02-03T13:00')));
    expect(iso(nextOpeningAfter(split, lft74, cdmx('2026-02-03T13:00')))).toBe(iso(cdmx('2026-02-03T15:00')));
    expect(openMinutesBetween(split, lft74, cdmx('2026-02-03T00:00'), cdmx('2026-02-04T00:00'))).toBe(8 * 60);
  });

  it('joins 24:00 and the next 00:00 into one opening', () => {
    expect(iso(nextClosingAfter(full, lft74, cdmx('2026-02-03T23:00')))).toBe(iso(cdmx('2026-03-16T00:00'))); // Juárez, third Monday of March
    expect(iso(nextOpeningAfter(full, lft74, cdmx('2026-03-16T05:00')))).toBe(iso(cdmx('2026-03-17T00:00')));
  });

  it('answers null for never, without scanning forever', () => {
    const never: WeeklySchedule = { timeZone: 'America/Mexico_City', days: week([]), holidays: 'closed' };
    expect(nextOpeningAfter(never, lft74, cdmx('2026-02-03T10:00'))).toBeNull();
    expect(nextClosingAfter(full, none, cdmx('2026-02-03T10:00'))).toBeNull();
    expect(nextClosingAfter({ ...full, holidays: allDay }, lft74, cdmx('2026-02-03T10:00'))).toBeNull();
    // Open only on holidays and the calendar has none left: never.
    const holidaysOnly: WeeklySchedule = { ...never, holidays: allDay };
    expect(nextOpeningAfter(holidaysOnly, { base: 'none', extra: [{ date: '2026-01-01', name: 'x' }], removed: [] }, cdmx('2026-02-03T10:00'))).toBeNull();
    expect(iso(nextOpeningAfter(holidaysOnly, { base: 'none', extra: [{ date: '2031-03-03', name: 'x' }], removed: [] }, cdmx('2026-02-03T10:00')))).toBe(iso(cdmx('2031-03-03T00:00')));
  });
});

describe('openMinutesBetween', () => {
  it('counts the DyC window of January 2026: 21 weekdays × 12 h + 5 Saturdays × 6 h (1 Jan is a holiday)', () => {
    expect(openMinutesBetween(dyc, lft74, cdmx('2026-01-01T00:00'), cdmx('2026-02-01T00:00'))).toBe(21 * 720 + 5 * 360);
  });

  it('clips partial intervals and keeps seconds', () => {
    expect(openMinutesBetween(dyc, lft74, cdmx('2026-02-03T19:30'), cdmx('2026-02-04T08:15'))).toBe(45);
    expect(openMillisecondsBetween(dyc, lft74, new Date(cdmx('2026-02-03T19:59').getTime() + 30_500), cdmx('2026-02-04T00:00'))).toBe(29_500);
    expect(openMinutesBetween(dyc, lft74, cdmx('2026-02-03T10:00'), cdmx('2026-02-03T10:00'))).toBe(0);
  });

  it('rejects a reversed range', () => {
    expect(() => openMinutesBetween(dyc, lft74, cdmx('2026-02-04T00:00'), cdmx('2026-02-03T00:00'))).toThrow(RangeError);
  });
});

describe('DST in zones that still have it (America/Tijuana, 2026)', () => {
  const tijuana = (window: WeeklySchedule['days']['mon']): WeeklySchedule => ({ timeZone: 'America/Tijuana', days: everyDay(window), holidays: 'closed' });

  it('opens at 08:00 wall time on both sides of the change (the UTC instant moves by an hour)', () => {
    const s = tijuana([{ open: '08:00', close: '20:00' }]);
    expect(iso(nextOpeningAfter(s, none, new Date('2026-03-07T12:00:00Z')))).toBe('2026-03-07T16:00:00.000Z'); // PST
    expect(iso(nextOpeningAfter(s, none, new Date('2026-03-08T12:00:00Z')))).toBe('2026-03-08T15:00:00.000Z'); // PDT
    expect(iso(nextClosingAfter(s, none, new Date('2026-11-01T16:00:00Z')))).toBe('2026-11-02T04:00:00.000Z'); // PST again
  });

  it('has 23-hour and 25-hour days', () => {
    const s = tijuana(allDay);
    expect(openMinutesBetween(s, none, new Date('2026-03-08T08:00:00Z'), new Date('2026-03-09T07:00:00Z'))).toBe(23 * 60);
    expect(openMinutesBetween(s, none, new Date('2026-11-01T07:00:00Z'), new Date('2026-11-02T08:00:00Z'))).toBe(25 * 60);
  });

  it('skips the wall hour that does not exist, and counts twice the one that repeats', () => {
    const s = tijuana([{ open: '01:00', close: '03:00' }]);
    // Spring: 01:00 PST (09:00Z) → 02:00 becomes 03:00 PDT at 10:00Z, which is the close.
    expect(openMinutesBetween(s, none, new Date('2026-03-08T00:00:00Z'), new Date('2026-03-09T00:00:00Z'))).toBe(60);
    expect(iso(nextClosingAfter(s, none, new Date('2026-03-08T09:30:00Z')))).toBe('2026-03-08T10:00:00.000Z');
    // Fall: 01:00 PDT (08:00Z) … 01:59 PDT, 01:00 PST … 03:00 PST (11:00Z): three real hours.
    expect(openMinutesBetween(s, none, new Date('2026-11-01T00:00:00Z'), new Date('2026-11-02T00:00:00Z'))).toBe(180);
  });

  it('opens at the jump when the opening time falls in the skipped hour', () => {
    const s = tijuana([{ open: '02:30', close: '04:00' }]);
    expect(iso(nextOpeningAfter(s, none, new Date('2026-03-08T08:00:00Z')))).toBe('2026-03-08T10:00:00.000Z'); // 03:00 PDT
  });
});

describe('serviceWindowOn', () => {
  it('shows the window that applies on a date, holidays included', () => {
    expect(serviceWindowOn(dyc, lft74, '2026-02-03')).toEqual([{ open: '08:00', close: '20:00' }]);
    expect(serviceWindowOn(dyc, lft74, '2026-02-02')).toEqual([]);
    expect(serviceWindowOn({ ...dyc, holidays: [{ open: '09:00', close: '13:00' }] }, lft74, '2026-02-02')).toEqual([{ open: '09:00', close: '13:00' }]);
    expect(serviceWindowOn(full, none, '2026-02-02')).toEqual([{ open: '00:00', close: '24:00' }]);
    expect(() => serviceWindowOn(dyc, lft74, '02/02/2026')).toThrow(RangeError);
  });
});
