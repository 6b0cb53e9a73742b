import { describe, expect, it } from 'vitest';
import { minutesOf, weeklyScheduleSchema } from './weekly-schedule.schema.js';

const closedWeek = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
const messages = (input: unknown): string[] =>
  weeklyScheduleSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('weeklyScheduleSchema', () => {
  it('accepts 24:00 closes, 24×7, several intervals a day and touching intervals', () => {
    const allDay = [{ open: '00:00', close: '24:00' }];
    const result = weeklyScheduleSchema.safeParse({
      timeZone: 'America/Mexico_City',
      days: { mon: [{ open: '07:00', close: '24:00' }], tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: [{ open: '08:00', close: '14:00' }, { open: '14:00', close: '16:30' }], sun: [{ open: '09:00', close: '13:00' }, { open: '15:00', close: '19:00' }] },
      holidays: [{ open: '07:00', close: '22:00' }],
      holidaysAfterOvernightShift: [{ open: '00:00', close: '22:00' }],
    });
    expect(result.success).toBe(true);
  });

  it('accepts a closed holiday and an all-closed week', () => {
    expect(weeklyScheduleSchema.safeParse({ timeZone: 'America/Tijuana', days: closedWeek, holidays: 'closed' }).success).toBe(true);
  });

  it('rejects bad times with a bilingual message', () => {
    for (const bad of ['8:00', '24:01', '25:00', '12:60', '12:00:00', 'noon']) {
      expect(messages({ timeZone: 'UTC', days: { ...closedWeek, mon: [{ open: bad, close: '24:00' }] }, holidays: 'closed' })).toEqual([
        'days.mon.0.open: Hora inválida, use HH:MM entre 00:00 y 24:00 / invalid time, use HH:MM between 00:00 and 24:00',
      ]);
    }
  });

  it('rejects open ≥ close (an interval cannot cross midnight: split it over two days)', () => {
    expect(messages({ timeZone: 'UTC', days: { ...closedWeek, fri: [{ open: '22:00', close: '06:00' }] }, holidays: 'closed' })).toEqual([
      'days.fri.0.close: La apertura debe ser anterior al cierre / open must be before close',
    ]);
    expect(messages({ timeZone: 'UTC', days: closedWeek, holidays: [{ open: '24:00', close: '24:00' }] })).toEqual([
      'holidays.0.close: La apertura debe ser anterior al cierre / open must be before close',
    ]);
  });

  it('rejects overlapping intervals, naming both, whatever their order', () => {
    expect(
      messages({ timeZone: 'UTC', days: { ...closedWeek, tue: [{ open: '13:00', close: '20:00' }, { open: '08:00', close: '14:00' }] }, holidays: 'closed' }),
    ).toEqual(['days.tue.0: Los intervalos 08:00–14:00 y 13:00–20:00 se traslapan / intervals overlap']);
  });

  it('rejects an unknown time zone', () => {
    expect(messages({ timeZone: 'Hora del Centro', days: closedWeek, holidays: 'closed' })).toEqual([
      'timeZone: Zona horaria IANA desconocida / unknown IANA time zone: Hora del Centro',
    ]);
  });

  it('rejects a missing day, an unknown key and a bad holidays value', () => {
    const { sun: _sun, ...sixDays } = closedWeek;
    expect(messages({ timeZone: 'UTC', days: sixDays, holidays: 'closed' })[0]).toMatch(/^days\.sun:/);
    expect(messages({ timeZone: 'UTC', days: closedWeek, holidays: 'closed', holiday: 'closed' })[0]).toMatch(/holiday/);
    expect(messages({ timeZone: 'UTC', days: closedWeek, holidays: 'open' })).toEqual([
      'holidays: Use "closed" o una lista de intervalos / use "closed" or a list of intervals',
    ]);
  });
});

describe('minutesOf', () => {
  it('reads HH:MM including 24:00, NaN otherwise', () => {
    expect(minutesOf('00:00')).toBe(0);
    expect(minutesOf('07:30')).toBe(450);
    expect(minutesOf('24:00')).toBe(1440);
    expect(minutesOf('24:30')).toBeNaN();
  });
});
