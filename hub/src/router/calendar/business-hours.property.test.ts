import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type OpeningInterval,
  type WeeklySchedule,
  isOpenAt,
  nextClosingAfter,
  nextOpeningAfter,
  openMillisecondsBetween,
  weeklyScheduleSchema,
} from './business-hours.js';
import { type CampaignHolidayCalendar, isHoliday } from './holidays.js';
import { offsetChangesBetween } from './local-time.js';

/**
 * Zones chosen for their traps: no DST now (Mexico City), US-style DST (Tijuana), DST at midnight
 * (Santiago), a 30-minute DST shift (Lord Howe), a half-hour offset (Kolkata), southern DST.
 */
const zones = ['America/Mexico_City', 'America/Tijuana', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Europe/London'];
const DAY = 86_400_000;
const FROM = Date.UTC(2021, 0, 1);
const TO = Date.UTC(2031, 0, 1);

const hhmm = (quarter: number): string => `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;

/** 0–3 disjoint intervals on a 15-minute grid: sorted distinct edges, paired up. */
const intervalsArb: fc.Arbitrary<OpeningInterval[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 })
  .map((edges) => {
    const sorted = [...edges].sort((a, b) => a - b);
    const intervals: OpeningInterval[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) intervals.push({ open: hhmm(sorted[i] ?? 0), close: hhmm(sorted[i + 1] ?? 96) });
    return intervals;
  });
const dayArb: fc.Arbitrary<OpeningInterval[]> = fc.oneof(intervalsArb, fc.constant<OpeningInterval[]>([{ open: '00:00', close: '24:00' }]));

const scheduleArb: fc.Arbitrary<WeeklySchedule> = fc.record(
  {
    timeZone: fc.constantFrom(...zones),
    days: fc.record({ mon: dayArb, tue: dayArb, wed: dayArb, thu: dayArb, fri: dayArb, sat: dayArb, sun: dayArb }),
    holidays: fc.oneof(fc.constant<'closed'>('closed'), dayArb),
    holidaysAfterOvernightShift: dayArb,
  },
  { requiredKeys: ['timeZone', 'days', 'holidays'] },
);

const dateArb = fc.integer({ min: FROM, max: TO }).map((ms) => new Date(ms).toISOString().slice(0, 10));
const calendarArb: fc.Arbitrary<CampaignHolidayCalendar> = fc.record({
  base: fc.constantFrom<'lft74' | 'none'>('lft74', 'none'),
  extra: fc.array(fc.record({ date: dateArb, name: fc.constant('Extra') }), { maxLength: 3 }),
  removed: fc.array(dateArb, { maxLength: 3 }),
});
const instantArb = fc.integer({ min: FROM, max: TO - 400 * DAY });

/** Half the instants land within hours of one of the zone's DST changes, where bugs live. */
const transitions = new Map(zones.map((zone) => [zone, offsetChangesBetween(zone, FROM, TO - 400 * DAY)]));
const instantNear = (zone: string): fc.Arbitrary<number> => {
  const changes = transitions.get(zone) ?? [];
  if (changes.length === 0) return instantArb;
  return fc.oneof(instantArb, fc.constantFrom(...changes).chain((at) => fc.integer({ min: at - DAY / 2, max: at + DAY / 12 })));
};
const caseArb = scheduleArb.chain((s) => fc.tuple(fc.constant(s), calendarArb, instantNear(s.timeZone)));

/** Independent oracle: read the wall clock with a different Intl API and apply the rules directly. */
function oracleOpen(schedule: WeeklySchedule, calendar: CampaignHolidayCalendar, instant: number): boolean {
  const text = new Date(instant).toLocaleString('sv-SE', { timeZone: schedule.timeZone, hourCycle: 'h23' }); // "2026-02-03 08:00:00"
  const date = text.slice(0, 10);
  const minutes = Number(text.slice(11, 13)) * 60 + Number(text.slice(14, 16)) + Number(text.slice(17, 19)) / 60;
  const keys: (keyof WeeklySchedule['days'])[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  const dayKey = (d: string): keyof WeeklySchedule['days'] => keys[new Date(`${d}T00:00:00Z`).getUTCDay()] ?? 'sun';
  const previous = new Date(Date.parse(`${date}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
  const toMin = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  let window: OpeningInterval[] = schedule.days[dayKey(date)];
  if (isHoliday(calendar, date)) {
    const overnight = !isHoliday(calendar, previous) && schedule.days[dayKey(previous)].some((i) => i.close === '24:00');
    window = schedule.holidaysAfterOvernightShift && overnight ? schedule.holidaysAfterOvernightShift : schedule.holidays === 'closed' ? [] : schedule.holidays;
  }
  return window.some((i) => toMin(i.open) <= minutes && minutes < toMin(i.close));
}

/** Instants strictly between a and b, spread evenly plus a few near each end. */
function samplesBetween(a: number, b: number): number[] {
  const points = [a + 1, b - 1, a + 60_000, b - 60_000];
  for (let k = 1; k < 24; k += 1) points.push(a + Math.floor(((b - a) * k) / 24));
  return points.filter((p) => p > a && p < b);
}

const runs = { numRuns: 150 };

describe('business hours properties', () => {
  it('generated schedules are valid (the generator tests what users can configure)', () => {
    fc.assert(fc.property(scheduleArb, (s) => weeklyScheduleSchema.safeParse(s).success), runs);
  });

  it('isOpenAt agrees with an independent wall-clock oracle', () => {
    fc.assert(
      fc.property(caseArb, ([s, c, t]) => {
        expect(isOpenAt(s, c, new Date(t))).toBe(oracleOpen(s, c, t));
      }),
      { numRuns: 500 },
    );
  });

  it('nextOpeningAfter is open, and nothing between the instant and it is open', () => {
    fc.assert(
      fc.property(caseArb, ([s, c, t]) => {
        const next = nextOpeningAfter(s, c, new Date(t));
        if (next === null) {
          for (let k = 0; k < 30; k += 1) expect(isOpenAt(s, c, new Date(t + k * 0.37 * DAY))).toBe(false);
          return;
        }
        const n = next.getTime();
        expect(n).toBeGreaterThanOrEqual(t);
        expect(isOpenAt(s, c, next)).toBe(true);
        for (const p of samplesBetween(t, n)) expect(isOpenAt(s, c, new Date(p))).toBe(false);
        expect(openMillisecondsBetween(s, c, new Date(t), next)).toBe(0);
      }),
      runs,
    );
  });

  it('nextClosingAfter is closed, and everything between the instant and it is open', () => {
    fc.assert(
      fc.property(caseArb, ([s, c, t]) => {
        const next = nextClosingAfter(s, c, new Date(t));
        if (next === null) {
          for (let k = 0; k < 30; k += 1) expect(isOpenAt(s, c, new Date(t + k * 0.37 * DAY))).toBe(true);
          return;
        }
        const n = next.getTime();
        expect(n).toBeGreaterThanOrEqual(t);
        expect(isOpenAt(s, c, next)).toBe(false);
        for (const p of samplesBetween(t, n)) expect(isOpenAt(s, c, new Date(p))).toBe(true);
        if (n - t < 40 * DAY) expect(openMillisecondsBetween(s, c, new Date(t), next)).toBe(n - t);
      }),
      runs,
    );
  });

  it('openMillisecondsBetween is additive over adjacent ranges and bounded by their length', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 10 * DAY }), fc.integer({ min: 0, max: 10 * DAY }), ([s, c, a], d1, d2) => {
        const [from, mid, to] = [new Date(a), new Date(a + d1), new Date(a + d1 + d2)];
        const left = openMillisecondsBetween(s, c, from, mid);
        const right = openMillisecondsBetween(s, c, mid, to);
        expect(left + right).toBe(openMillisecondsBetween(s, c, from, to));
        expect(left).toBeGreaterThanOrEqual(0);
        expect(left).toBeLessThanOrEqual(d1);
      }),
      runs,
    );
  });

  it('openMillisecondsBetween matches a minute-by-minute count up to one minute per edge', () => {
    fc.assert(
      fc.property(caseArb, ([s, c, a]) => {
        const span = 2 * DAY;
        let sampled = 0;
        let changes = 0;
        let previous = isOpenAt(s, c, new Date(a));
        for (let m = 0; m < span / 60_000; m += 1) {
          const open = isOpenAt(s, c, new Date(a + m * 60_000));
          if (open) sampled += 60_000;
          if (open !== previous) changes += 1;
          previous = open;
        }
        expect(Math.abs(openMillisecondsBetween(s, c, new Date(a), new Date(a + span)) - sampled)).toBeLessThanOrEqual((changes + 1) * 60_000);
      }),
      { numRuns: 25 },
    );
  });

  it('24×7 is always open except on configured holidays', () => {
    const allDay = [{ open: '00:00', close: '24:00' }];
    fc.assert(
      fc.property(fc.constantFrom(...zones).chain((zone) => fc.tuple(fc.constant(zone), calendarArb, instantNear(zone))), ([timeZone, c, t]) => {
        const s: WeeklySchedule = { timeZone, days: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, holidays: 'closed' };
        const localDate = new Date(t).toLocaleDateString('sv-SE', { timeZone });
        expect(isOpenAt(s, c, new Date(t))).toBe(!isHoliday(c, localDate));
        expect(isOpenAt({ ...s, holidays: allDay }, c, new Date(t))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
