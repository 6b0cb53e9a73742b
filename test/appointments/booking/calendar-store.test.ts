import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCalendar, saveCalendar } from '../../../hub/src/appointments/booking/calendar.store.js';
import { DEFAULT_BOOKING_RULES } from '../../../hub/src/appointments/rules/appointment-rules.types.js';
import { createCampaign } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { clinicCalendar, rejection } from './booking-fixtures.js';

let hub: TestHub;
const db = () => hub.ctx.db.kysely;

beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => {
  await hub.cleanup();
});

describe('calendar store', () => {
  it('saves versions and loads the newest with the rule overrides over the defaults', async () => {
    const { id } = await createCampaign(db());
    expect(await loadCalendar(db(), id)).toBeUndefined();
    await saveCalendar(db(), { campaignId: id, definition: clinicCalendar() }, null);
    await saveCalendar(db(), { campaignId: id, definition: clinicCalendar({ capacity: 5 }), rules: { maxActivePerFamily: 2 } }, null);
    const loaded = await loadCalendar(db(), id);
    expect(loaded?.version).toBe(2);
    expect(loaded?.calendar.shifts.map((s) => s.capacity)).toEqual([5, 5]);
    expect(loaded?.rules).toEqual({ ...DEFAULT_BOOKING_RULES, maxActivePerFamily: 2 });
  });

  it('refuses bad times, start ≥ end, a shift in an unknown room and an unknown time zone, in Spanish first', async () => {
    const { id } = await createCampaign(db());
    const base = clinicCalendar();
    const definition = {
      ...base,
      timeZone: 'America/Ciudad_Gotica',
      shifts: [
        { ...base.shifts[0], start: '8:00' },
        { ...base.shifts[1], start: '12:00', end: '10:00' },
        { ...base.shifts[1], id: 'x-mat', roomId: 'c9' },
      ],
    };
    const error = await rejection(saveCalendar(db(), { campaignId: id, definition }, null));
    expect(error.code).toBe('HUB_ERR_APPOINTMENT_CALENDAR_INVALID');
    const text = JSON.stringify(error.details);
    expect(text).toContain('zona horaria IANA desconocida');
    expect(text).toContain('use el formato HH:MM');
    expect(text).toContain('el inicio debe ser anterior al fin');
    expect(text).toContain('el consultorio «c9» no existe');
    expect(await loadCalendar(db(), id)).toBeUndefined();
  });
});
