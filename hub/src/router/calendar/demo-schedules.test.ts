import { describe, expect, it } from 'vitest';
import { isOpenAt, nextClosingAfter, nextOpeningAfter, openMinutesBetween, serviceWindowOn } from './business-hours.js';
import { demoHolidayCalendars, demoSchedules } from './demo-schedules.js';
import { type CampaignHolidayCalendar, campaignHolidayCalendarSchema } from './holidays.js';
import { weeklyScheduleSchema } from './weekly-schedule.schema.js';

const cdmx = (local: string): Date => new Date(`${local}:00-06:00`);
const iso = (date: Date | null): string | null => date?.toISOString() ?? null;
const { lft74 } = demoHolidayCalendars;

describe('demo data', () => {
  it('every demo schedule and calendar passes its schema', () => {
    for (const [name, schedule] of Object.entries(demoSchedules)) {
      expect(weeklyScheduleSchema.safeParse(schedule).error?.issues ?? [], name).toEqual([]);
    }
    for (const calendar of Object.values(demoHolidayCalendars)) expect(campaignHolidayCalendarSchema.safeParse(calendar).success).toBe(true);
  });
});

describe('Mesa de Servicios Tecnológicos (L3122–L3127)', () => {
  const { mst } = demoSchedules;

  it('runs Mon 07:00 → Sat 22:00 without a break, then Sun 07–22', () => {
    expect(isOpenAt(mst, lft74, cdmx('2026-02-09T06:59'))).toBe(false);
    expect(iso(nextClosingAfter(mst, lft74, cdmx('2026-02-09T07:00')))).toBe(iso(cdmx('2026-02-14T22:00')));
    expect(iso(nextOpeningAfter(mst, lft74, cdmx('2026-02-14T22:00')))).toBe(iso(cdmx('2026-02-15T07:00')));
    // Mon 17 h + Tue–Fri 4 × 24 h + Sat 22 h + Sun 15 h.
    expect(openMinutesBetween(mst, lft74, cdmx('2026-02-09T00:00'), cdmx('2026-02-16T00:00'))).toBe((17 + 96 + 22 + 15) * 60);
  });

  it('keeps the night shift on a holiday after a working day: 00:00–22:00 (16 Sep 2026, Wednesday)', () => {
    expect(serviceWindowOn(mst, lft74, '2026-09-16')).toEqual([{ open: '00:00', close: '22:00' }]);
    expect(iso(nextClosingAfter(mst, lft74, cdmx('2026-09-15T10:00')))).toBe(iso(cdmx('2026-09-16T22:00')));
    expect(iso(nextOpeningAfter(mst, lft74, cdmx('2026-09-16T22:00')))).toBe(iso(cdmx('2026-09-17T00:00')));
  });

  it('opens 07:00–22:00 on a holiday after a rest day (Monday 16 Nov 2026)', () => {
    expect(isOpenAt(mst, lft74, cdmx('2026-11-16T06:00'))).toBe(false);
    expect(iso(nextClosingAfter(mst, lft74, cdmx('2026-11-16T08:00')))).toBe(iso(cdmx('2026-11-16T22:00')));
    expect(iso(nextOpeningAfter(mst, lft74, cdmx('2026-11-16T22:00')))).toBe(iso(cdmx('2026-11-17T00:00')));
  });

  it('opens 07:00–22:00 on each of two holidays in a row', () => {
    const withChristmasEve: CampaignHolidayCalendar = { ...lft74, extra: [{ date: '2026-12-24', name: 'Nochebuena' }] };
    expect(serviceWindowOn(mst, withChristmasEve, '2026-12-24')).toEqual([{ open: '00:00', close: '22:00' }]); // after Wednesday
    expect(serviceWindowOn(mst, withChristmasEve, '2026-12-25')).toEqual([{ open: '07:00', close: '22:00' }]); // after a holiday
    expect(serviceWindowOn(mst, withChristmasEve, '2026-12-26')).toEqual([{ open: '00:00', close: '22:00' }]); // ordinary Saturday
  });

  it('treats a Saturday holiday after a Friday as 00:00–22:00 (1 Jan 2028)', () => {
    expect(serviceWindowOn(mst, lft74, '2028-01-01')).toEqual([{ open: '00:00', close: '22:00' }]);
  });
});

describe('24 × 7 × 365 campaigns', () => {
  it('Código Infarto never closes, holidays included (L3118)', () => {
    expect(isOpenAt(demoSchedules.codigoInfarto, lft74, cdmx('2026-12-25T03:00'))).toBe(true);
    expect(nextClosingAfter(demoSchedules.codigoInfarto, lft74, cdmx('2026-12-25T03:00'))).toBeNull();
    expect(openMinutesBetween(demoSchedules.codigoInfarto, lft74, cdmx('2026-01-01T00:00'), cdmx('2027-01-01T00:00'))).toBe(365 * 24 * 60);
  });

  it('social networks are open on holidays (L7049)', () => {
    expect(isOpenAt(demoSchedules.socialNetworks, lft74, cdmx('2026-09-16T12:00'))).toBe(true);
    expect(nextClosingAfter(demoSchedules.socialNetworks, demoHolidayCalendars.none, cdmx('2026-09-16T12:00'))).toBeNull();
  });
});

describe('office-hours campaigns', () => {
  it('DyC telephony: Mon–Fri 08–20, Sat 08–14, closed on Sundays and holidays', () => {
    const { dycTelephony } = demoSchedules;
    expect(isOpenAt(dycTelephony, lft74, cdmx('2026-02-07T13:00'))).toBe(true);
    expect(isOpenAt(dycTelephony, lft74, cdmx('2026-02-08T13:00'))).toBe(false);
    expect(isOpenAt(dycTelephony, lft74, cdmx('2026-05-01T10:00'))).toBe(false);
  });

  it('OIC sends Friday 1 May 2026 to Monday 09:00 (voicemail in between, L3144)', () => {
    expect(iso(nextOpeningAfter(demoSchedules.oic, lft74, cdmx('2026-05-01T10:00')))).toBe(iso(cdmx('2026-05-04T09:00')));
  });

  it('Centros Vacacionales also rests on 15 September and opens 08–14 (L4473)', () => {
    const cv = demoSchedules.centrosVacacionales;
    expect(isOpenAt(cv, lft74, cdmx('2026-09-15T15:00'))).toBe(true);
    expect(isOpenAt(cv, demoHolidayCalendars.centrosVacacionales, cdmx('2026-09-15T15:00'))).toBe(false);
    expect(isOpenAt(cv, demoHolidayCalendars.centrosVacacionales, cdmx('2026-09-15T09:00'))).toBe(true);
  });

  it('MPEC works Saturdays 10–16 per its appendix (L9450)', () => {
    expect(serviceWindowOn(demoSchedules.mpec, lft74, '2026-02-07')).toEqual([{ open: '10:00', close: '16:00' }]);
  });
});
