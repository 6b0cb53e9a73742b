import { describe, expect, it } from 'vitest';
import { weeklyScheduleSchema } from '../../../hub/src/router/calendar/weekly-schedule.schema.js';
import { DEFAULT_SCHEDULE } from '../../../hub/src/router/store/routing-settings.js';
import type { WeeklySchedule } from './admin-types.js';
import { copyDay, describeIntervals, formToSchedule, nextInterval, normalizeTime, scheduleToForm, validateSchedule, WEEKDAYS, weeklyHours } from './schedule-form.js';

const known = (zone: string) => zone === 'America/Mexico_City' || zone === 'America/Tijuana';
const empty = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

describe('weekly hours editor ↔ API', () => {
  it('round-trips the hub default and every shape it stores', () => {
    const samples: WeeklySchedule[] = [
      DEFAULT_SCHEDULE as WeeklySchedule,
      { timeZone: 'America/Mexico_City', days: { ...empty, mon: [{ open: '07:00', close: '24:00' }] }, holidays: 'closed' },
      {
        timeZone: 'America/Tijuana',
        days: { ...empty, sat: [{ open: '08:00', close: '14:00' }, { open: '15:00', close: '20:00' }] },
        holidays: [{ open: '07:00', close: '22:00' }],
        holidaysAfterOvernightShift: [{ open: '00:00', close: '07:00' }],
      },
    ];
    for (const schedule of samples) {
      const back = formToSchedule(scheduleToForm(schedule));
      expect(back).toEqual(JSON.parse(JSON.stringify(schedule)));
      expect(weeklyScheduleSchema.safeParse(back).success).toBe(true);
    }
  });

  it('sorts intervals by opening time and drops the overnight key when it is switched off', () => {
    const form = scheduleToForm({ timeZone: 'America/Mexico_City', days: { ...empty, mon: [{ open: '15:00', close: '20:00' }, { open: '08:00', close: '14:00' }] }, holidays: 'closed', holidaysAfterOvernightShift: [] });
    expect(formToSchedule(form).days.mon.map((i) => i.open)).toEqual(['08:00', '15:00']);
    expect('holidaysAfterOvernightShift' in formToSchedule({ ...form, afterOvernight: null })).toBe(false);
  });

  it('flags what the hub would reject, on the hub’s paths', () => {
    const form = scheduleToForm({
      timeZone: 'Mars/Olympus',
      days: { ...empty, mon: [{ open: '09:00', close: '08:00' }], tue: [{ open: '8:00', close: '14:00' }], wed: [{ open: '08:00', close: '14:00' }, { open: '13:00', close: '18:00' }], thu: [{ open: '08:00', close: '14:00' }, { open: '14:00', close: '24:00' }] },
      holidays: [{ open: '25:00', close: '26:00' }],
    });
    const problems = validateSchedule(form, known);
    expect(problems['schedule.timeZone']?.key).toBe('v.timeZone');
    expect(problems['schedule.days.mon.0.close']?.key).toBe('v.closeAfterOpen');
    expect(problems['schedule.days.tue.0.open']?.key).toBe('v.time');
    expect(problems['schedule.days.wed.1.open']?.key).toBe('v.overlap');
    expect(Object.keys(problems).some((p) => p.startsWith('schedule.days.thu'))).toBe(false); // touching is fine
    expect(problems['schedule.holidays.0.open']?.key).toBe('v.time');
    // …and the hub agrees that the same schedule is invalid.
    expect(weeklyScheduleSchema.safeParse(formToSchedule(form)).success).toBe(false);
  });

  it('accepts what the hub accepts', () => {
    expect(validateSchedule(scheduleToForm(DEFAULT_SCHEDULE as WeeklySchedule), known)).toEqual({});
  });

  it('normalises hand-typed times and helps fill the week', () => {
    expect(['8:00', '0800', '08:00', ' 7:30 ', 'x'].map(normalizeTime)).toEqual(['08:00', '08:00', '08:00', '07:30', 'x']);
    const form = scheduleToForm({ timeZone: 'America/Mexico_City', days: { ...empty, mon: [{ open: '08:00', close: '20:00' }] }, holidays: 'closed' });
    const week = copyDay(form, 'mon', WEEKDAYS);
    expect(WEEKDAYS.map((d) => describeIntervals(week.days[d]))).toEqual(Array(5).fill('08:00–20:00'));
    expect(describeIntervals(week.days.sat)).toBeNull();
    expect(weeklyHours(week)).toBe(60);
    week.days.mon[0]!.open = '09:00';
    expect(week.days.tue[0]!.open).toBe('08:00'); // copies, not shared objects
    expect(nextInterval([])).toEqual({ open: '09:00', close: '18:00' });
    expect(nextInterval([{ open: '08:00', close: '14:00' }])).toEqual({ open: '14:00', close: '15:00' });
    expect(nextInterval([{ open: '08:00', close: '23:30' }])).toEqual({ open: '', close: '' });
  });
});
