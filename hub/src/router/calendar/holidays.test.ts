import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CampaignHolidayCalendar,
  campaignHolidayCalendarSchema,
  campaignHolidays,
  holidayOn,
  isHoliday,
  isIsoDate,
  lastExplicitDate,
  lftArticle74Holidays,
} from './holidays.js';

const dates = (year: number): string[] => lftArticle74Holidays(year).map((h) => h.date);
const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

describe('lftArticle74Holidays', () => {
  it('lists the 2026 rest days with their es-MX names and the rule that produced them', () => {
    expect(lftArticle74Holidays(2026)).toEqual([
      { date: '2026-01-01', name: 'Año Nuevo', rule: 'LFT art. 74 fr. I: 1 de enero' },
      { date: '2026-02-02', name: 'Día de la Constitución', rule: expect.stringContaining('primer lunes de febrero') },
      { date: '2026-03-16', name: 'Natalicio de Benito Juárez', rule: expect.stringContaining('tercer lunes de marzo') },
      { date: '2026-05-01', name: 'Día del Trabajo', rule: 'LFT art. 74 fr. IV: 1 de mayo' },
      { date: '2026-09-16', name: 'Día de la Independencia', rule: 'LFT art. 74 fr. V: 16 de septiembre' },
      { date: '2026-11-16', name: 'Día de la Revolución', rule: expect.stringContaining('tercer lunes de noviembre') },
      { date: '2026-12-25', name: 'Navidad', rule: 'LFT art. 74 fr. VIII: 25 de diciembre' },
    ]);
  });

  it('puts the change of federal executive on 1 October from the 2024 reform on', () => {
    expect(dates(2024)).toEqual(['2024-01-01', '2024-02-05', '2024-03-18', '2024-05-01', '2024-09-16', '2024-10-01', '2024-11-18', '2024-12-25']);
    expect(dates(2030)).toContain('2030-10-01');
    expect(dates(2024)).not.toContain('2024-12-01');
    expect(lftArticle74Holidays(2024).find((h) => h.date === '2024-10-01')?.rule).toContain('DOF 30-09-2024');
  });

  it('kept it on 1 December before that reform (2018, 2012)', () => {
    expect(dates(2018)).toContain('2018-12-01');
    expect(dates(2018)).not.toContain('2018-10-01');
    expect(dates(2012)).toContain('2012-12-01');
    expect(dates(1970)).toContain('1970-12-01');
  });

  it('has no handover day in the other five years of a term', () => {
    for (const year of [2019, 2020, 2021, 2022, 2023, 2025, 2026, 2027, 2028, 2029]) {
      expect(dates(year).some((d) => d.endsWith('-10-01') || d.endsWith('-12-01'))).toBe(false);
    }
  });

  it('used the fixed dates 5 Feb, 21 Mar and 20 Nov before the DOF 17-01-2006 reform', () => {
    expect(dates(2005)).toEqual(['2005-01-01', '2005-02-05', '2005-03-21', '2005-05-01', '2005-09-16', '2005-11-20', '2005-12-25']);
    expect(dates(2006)).toEqual(['2006-01-01', '2006-02-06', '2006-03-20', '2006-05-01', '2006-09-16', '2006-11-20', '2006-12-01', '2006-12-25']);
  });

  it('refuses years outside the 1970 law', () => {
    expect(() => lftArticle74Holidays(1969)).toThrow(RangeError);
    expect(() => lftArticle74Holidays(10_000)).toThrow(RangeError);
    expect(() => lftArticle74Holidays(2026.5)).toThrow(RangeError);
  });

  it('moves fr. II, III and VI to the right Monday in every year (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2006, max: 9999 }), (year) => {
        const list = lftArticle74Holidays(year);
        const constitution = list.find((h) => h.name === 'Día de la Constitución')?.date ?? '';
        const juarez = list.find((h) => h.name === 'Natalicio de Benito Juárez')?.date ?? '';
        const revolution = list.find((h) => h.name === 'Día de la Revolución')?.date ?? '';
        expect([constitution, juarez, revolution].map(weekday)).toEqual([1, 1, 1]);
        expect(Number(constitution.slice(8))).toBeLessThanOrEqual(7); // first Monday
        expect(Number(juarez.slice(8))).toBeGreaterThanOrEqual(15); // third Monday: 15–21
        expect(Number(juarez.slice(8))).toBeLessThanOrEqual(21);
        expect(Number(revolution.slice(8))).toBeGreaterThanOrEqual(15);
        expect(Number(revolution.slice(8))).toBeLessThanOrEqual(21);
        expect(list.length).toBe(year % 6 === 2 ? 8 : 7);
        expect(list.map((h) => h.date)).toEqual([...new Set(list.map((h) => h.date))].sort());
      }),
    );
  });
});

const lft74: CampaignHolidayCalendar = { base: 'lft74', extra: [], removed: [] };

describe('campaign holiday calendar', () => {
  it('uses art. 74 as the base, or nothing', () => {
    expect(isHoliday(lft74, '2026-02-02')).toBe(true);
    expect(isHoliday(lft74, '2026-02-05')).toBe(false); // the commemorated date is a working day now
    expect(isHoliday({ base: 'none', extra: [], removed: [] }, '2026-02-02')).toBe(false);
  });

  it('adds election days and other decrees as extra dates', () => {
    const calendar: CampaignHolidayCalendar = { base: 'lft74', extra: [{ date: '2027-06-06', name: 'Jornada electoral' }], removed: [] };
    expect(holidayOn(calendar, '2027-06-06')).toEqual({ date: '2027-06-06', name: 'Jornada electoral' });
    expect(isHoliday(calendar, '2026-06-06')).toBe(false);
  });

  it('lets a campaign work a holiday anyway (removed wins over every rule)', () => {
    const calendar: CampaignHolidayCalendar = {
      base: 'lft74',
      extra: [{ date: '2026-07-01', name: 'Cierre' }],
      removed: ['2026-05-01', '2026-07-01', '2026-05-10'],
      annual: [{ monthDay: '05-10', name: '10 de mayo' }],
    };
    expect(isHoliday(calendar, '2026-05-01')).toBe(false);
    expect(isHoliday(calendar, '2026-07-01')).toBe(false);
    expect(isHoliday(calendar, '2026-05-10')).toBe(false);
    expect(isHoliday(calendar, '2027-05-10')).toBe(true);
    expect(isHoliday(calendar, '2026-09-16')).toBe(true);
  });

  it('repeats annual additions every year, 29 February only in leap years', () => {
    const calendar: CampaignHolidayCalendar = { base: 'none', extra: [], removed: [], annual: [{ monthDay: '02-29', name: 'Bisiesto' }] };
    expect(campaignHolidays(calendar, 2028)).toEqual([{ date: '2028-02-29', name: 'Bisiesto' }]);
    expect(campaignHolidays(calendar, 2027)).toEqual([]);
  });

  it('lists the effective holidays of a year in order, without removed dates', () => {
    const calendar: CampaignHolidayCalendar = {
      base: 'lft74',
      extra: [{ date: '2026-06-07', name: 'Jornada electoral' }, { date: '2027-01-06', name: 'Otro año' }],
      removed: ['2026-12-25'],
      annual: [{ monthDay: '05-10', name: '10 de mayo' }],
    };
    expect(campaignHolidays(calendar, 2026).map((h) => h.date)).toEqual([
      '2026-01-01', '2026-02-02', '2026-03-16', '2026-05-01', '2026-05-10', '2026-06-07', '2026-09-16', '2026-11-16',
    ]);
    expect(lastExplicitDate(calendar)).toBe('2027-01-06');
    expect(lastExplicitDate(lft74)).toBeNull();
  });

  it('rejects malformed dates instead of answering "not a holiday"', () => {
    expect(() => isHoliday(lft74, '2026-2-2')).toThrow(RangeError);
    expect(() => isHoliday(lft74, '2026-02-30')).toThrow(RangeError);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
  });
});

describe('campaignHolidayCalendarSchema', () => {
  it('accepts a full calendar', () => {
    const parsed = campaignHolidayCalendarSchema.parse({
      base: 'lft74',
      extra: [{ date: '2027-06-06', name: 'Jornada electoral' }],
      removed: ['2026-05-01'],
      annual: [{ monthDay: '09-15', name: '15 de septiembre' }],
    });
    expect(parsed.extra).toHaveLength(1);
  });

  it('explains what is wrong, in Spanish and English', () => {
    const result = campaignHolidayCalendarSchema.safeParse({
      base: 'lft74',
      extra: [{ date: '2026-02-30', name: '' }],
      removed: ['mañana'],
      annual: [{ monthDay: '13-01', name: 'x' }],
    });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        'extra.0.date: Fecha inválida, use AAAA-MM-DD / invalid date, use YYYY-MM-DD',
        'extra.0.name: Nombre requerido / name required',
        'removed.0: Fecha inválida, use AAAA-MM-DD / invalid date, use YYYY-MM-DD',
        'annual.0.monthDay: Día inválido, use MM-DD / invalid day, use MM-DD',
      ]),
    );
  });

  it('rejects unknown keys and bases (typos must not silently drop holidays)', () => {
    expect(campaignHolidayCalendarSchema.safeParse({ base: 'lft74', extra: [], removed: [], extras: [] }).success).toBe(false);
    expect(campaignHolidayCalendarSchema.safeParse({ base: 'sep', extra: [], removed: [] }).success).toBe(false);
  });
});
