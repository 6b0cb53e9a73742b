import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendar } from '../../../hub/src/appointments/booking/calendar.store.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { D1, D2, HOLIDAY, bookingBody, daysAhead, insertAppointment, local, nss, staffCalendar, staffCampaign } from './staff-fixtures.js';

/**
 * The staff REST API over HTTP against the real PostgreSQL: an agent of the campaign books from the
 * inbox's 30-day view, the rules answer in Spanish first, cancellations and status changes keep
 * their history, and every route checks the caller's role and campaign.
 */
let hub: TestHub;
const db = () => hub.ctx.db.kysely;

beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => {
  await hub.cleanup();
});

interface Caller {
  id: string;
  headers: { authorization: string };
}

async function caller(roles: Parameters<typeof createUser>[1]['roles'], campaignIds: string[], name?: string): Promise<Caller> {
  const user = await createUser(db(), { roles, campaignIds, ...(name === undefined ? {} : { name }) });
  return { id: user.id, headers: bearer(await tokenFor(db(), user.id)) };
}

const base = (campaignId: string) => `/api/v1/appointments/campaigns/${campaignId}`;

interface SlotJson {
  roomId: string;
  roomName: string;
  officeName: string;
  serviceName: string;
  startsAt: string;
  localDate: string;
  localTime: string;
}
interface DayJson {
  date: string;
  weekday: string;
  holiday: string | null;
  freeCount: number;
  slots: SlotJson[];
}

async function view(c: Caller, campaignId: string, query = 'serviceId=mf&officeId=umf-20'): Promise<{ timeZone: string; days: DayJson[] }> {
  const res = await hub.app.inject({ method: 'GET', url: `${base(campaignId)}/calendar-view?${query}`, headers: c.headers });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function book(c: Caller, campaignId: string, body: Record<string, unknown>) {
  return hub.app.inject({ method: 'POST', url: `${base(campaignId)}/appointments`, headers: c.headers, payload: body });
}

async function auditActions(campaignId: string): Promise<string[]> {
  const rows = await db().selectFrom('audit_log').select('action').where('campaign_id', '=', campaignId).where('action', 'like', 'appointment.%').orderBy('id').execute();
  return rows.map((r) => r.action);
}

describe('staff appointments API', () => {
  it('an agent books from the 30-day view and gets the folio; the view then no longer offers that slot', async () => {
    const campaignId = await staffCampaign(db());
    const agent = await caller(['agent'], [campaignId], 'Ana Agente');

    const before = await view(agent, campaignId);
    expect(before.timeZone).toBe('America/Mexico_City');
    expect(before.days).toHaveLength(30);
    const day1 = before.days.find((d) => d.date === D1);
    // Two rooms × six 20-minute slots from 08:00 to 10:00.
    expect(day1?.freeCount).toBe(12);
    expect(day1?.slots[0]).toMatchObject({ roomId: 'c1', roomName: 'Consultorio 1', officeName: 'UMF 20', serviceName: 'Medicina familiar', startsAt: local(D1, '08:00'), localDate: D1, localTime: '08:00' });
    const holiday = before.days.find((d) => d.date === HOLIDAY);
    expect(holiday).toMatchObject({ holiday: 'Día del servidor público', freeCount: 0, slots: [] });
    expect(holiday?.weekday).toBe(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(`${HOLIDAY}T12:00:00Z`).getUTCDay()]);

    const res = await book(agent, campaignId, { ...bookingBody('c1', local(D1, '08:00'), 1), birthDate: '1980-02-29' });
    expect(res.statusCode).toBe(201);
    const { appointment } = res.json();
    expect(appointment.folio).toMatch(new RegExp(`^CITA-${D1.replaceAll('-', '')}-[0-9]{6}$`));
    expect(appointment).toMatchObject({
      status: 'booked',
      officeId: 'umf-20',
      officeName: 'UMF 20',
      roomName: 'Consultorio 1',
      serviceName: 'Medicina familiar',
      shiftId: 'c1-mat',
      localDate: D1,
      localTime: '08:00',
      startsAt: local(D1, '08:00'),
      officialIdKind: 'nss',
      // An agent sees the NSS masked, last four digits only (privacy/official-id-views.ts).
      officialId: `${'•'.repeat(7)}${nss(1).slice(-4)}`,
      birthDate: '1980-02-29',
      familyGroupId: `${'•'.repeat(7)}${nss(1).slice(-4)}`,
      channel: 'agent',
      bookedBy: { kind: 'user', userId: agent.id, name: 'Ana Agente' },
      cancelledAt: null,
    });

    const after = (await view(agent, campaignId)).days.find((d) => d.date === D1);
    expect(after?.freeCount).toBe(11);
    expect(after?.slots.some((s) => s.roomId === 'c1' && s.startsAt === local(D1, '08:00'))).toBe(false);
    expect(after?.slots.some((s) => s.roomId === 'c2' && s.startsAt === local(D1, '08:00'))).toBe(true);
    // The nearest slots skip it too.
    const slots = await hub.app.inject({ method: 'GET', url: `${base(campaignId)}/slots?serviceId=mf&roomId=c1&from=${encodeURIComponent(local(D1, '00:00'))}&limit=2`, headers: agent.headers });
    expect(slots.json().slots.map((s: SlotJson) => s.localTime)).toEqual(['08:20', '08:40']);
    expect(await auditActions(campaignId)).toEqual(['appointment.booked']);
  });

  it('a second booking of the same slot gets 409 with the free slots; a full shift too', async () => {
    const campaignId = await staffCampaign(db());
    const agent = await caller(['agent'], [campaignId]);
    expect((await book(agent, campaignId, bookingBody('c2', local(D1, '08:40'), 1))).statusCode).toBe(201);

    const again = await book(agent, campaignId, bookingBody('c2', local(D1, '08:40'), 2));
    expect(again.statusCode).toBe(409);
    const error = again.json().error;
    expect(error.code).toBe('HUB_ERR_APPOINTMENT_SLOT_TAKEN');
    expect(error.message).toMatch(/^Ese horario acaba de ocuparse/);
    const offered: { roomId: string; roomName: string; startsAt: string; localDate: string; localTime: string }[] = error.details.freeSlots;
    expect(offered.length).toBeGreaterThan(0);
    // As FreeSlotViews: the agent reads room names and local times, not ids and UTC instants.
    expect(offered.every((s) => s.roomName.length > 0 && s.roomName !== s.roomId && /^\d{2}:\d{2}$/.test(s.localTime))).toBe(true);
    expect(offered.some((s) => s.roomId === 'c2' && s.startsAt === local(D1, '08:40'))).toBe(false);

    // c3 holds three a shift: the fourth that morning is refused as a full shift, with slots.
    for (const [i, time] of ['08:00', '08:20', '08:40'].entries()) expect((await book(agent, campaignId, bookingBody('c3', local(D2, time), 10 + i))).statusCode).toBe(201);
    const full = await book(agent, campaignId, bookingBody('c3', local(D2, '09:00'), 20));
    expect(full.statusCode).toBe(409);
    expect(full.json().error.code).toBe('HUB_ERR_APPOINTMENT_SHIFT_FULL');
    expect(full.json().error.details.freeSlots.length).toBeGreaterThan(0);
    expect((await db().selectFrom('appointments').select('id').where('campaign_id', '=', campaignId).execute()).length).toBe(4);
  });

  it('a booking inside 12 h or on a holiday gets 422 with the problems in Spanish first', async () => {
    // A shift round the clock, so there is always a slot less than 12 h away.
    const campaignId = await staffCampaign(db(), { shiftStart: '00:00', shiftEnd: '23:40', capacity: 100 });
    const agent = await caller(['agent'], [campaignId]);
    const step = 20 * 60_000;
    const soon = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / step) * step).toISOString();

    const tooSoon = await book(agent, campaignId, bookingBody('c1', soon, 1));
    expect(tooSoon.statusCode).toBe(422);
    const error = tooSoon.json().error;
    expect(error.code).toBe('HUB_ERR_APPOINTMENT_RULES');
    expect(error.message).toMatch(/^La cita debe reservarse con al menos 12 horas de anticipación/);
    expect(error.details.problems).toContainEqual({ code: 'too_soon', es: 'La cita debe reservarse con al menos 12 horas de anticipación', en: 'Appointments must be booked at least 12 hours ahead' });

    const onHoliday = await book(agent, campaignId, bookingBody('c1', local(HOLIDAY, '09:00'), 1));
    expect(onHoliday.statusCode).toBe(422);
    expect(onHoliday.json().error.details.problems).toEqual([{ code: 'holiday', es: 'Ese día es inhábil; no hay citas', en: 'That day is a holiday; no appointments' }]);

    // A malformed NSS never reaches the rules.
    const badId = await book(agent, campaignId, { ...bookingBody('c1', local(D1, '09:00'), 1), officialId: { kind: 'nss', value: '123' } });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.code).toBe('HUB_ERR_VALIDATION');
    expect((await db().selectFrom('appointments').select('id').where('campaign_id', '=', campaignId).execute()).length).toBe(0);
  });

  it('staff confirm and cancel without knowing the NSS; attendance after the start; the history and the audit keep every step', async () => {
    const campaignId = await staffCampaign(db());
    const agent = await caller(['agent'], [campaignId]);
    const supervisor = await caller(['supervisor'], [campaignId]);
    const booked = (await book(agent, campaignId, bookingBody('c1', local(D1, '09:00'), 5))).json().appointment;
    const url = `${base(campaignId)}/appointments/${booked.folio}`;

    const confirmed = await hub.app.inject({ method: 'POST', url: `${url}/status`, headers: agent.headers, payload: { to: 'confirmed', note: 'Confirmó por teléfono' } });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().appointment).toMatchObject({ status: 'confirmed', folio: booked.folio });
    expect(confirmed.json().appointment.confirmedAt).not.toBeNull();

    const early = await hub.app.inject({ method: 'POST', url: `${url}/status`, headers: agent.headers, payload: { to: 'attended' } });
    expect(early.statusCode).toBe(422);
    expect(early.json().error).toMatchObject({ code: 'HUB_ERR_APPOINTMENT_STATUS_REFUSED', details: { reason: 'not_started' } });
    expect(early.json().error.message).toMatch(/^la asistencia se registra/);

    const cancelled = await hub.app.inject({ method: 'POST', url: `${url}/cancel`, headers: supervisor.headers, payload: { reason: 'El paciente pidió otra fecha' } });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().appointment).toMatchObject({ status: 'cancelled', cancelReason: 'El paciente pidió otra fecha' });
    const twice = await hub.app.inject({ method: 'POST', url: `${url}/cancel`, headers: supervisor.headers, payload: { reason: 'otra vez' } });
    expect(twice.statusCode).toBe(422);
    expect(twice.json().error.code).toBe('HUB_ERR_APPOINTMENT_CANCEL_REFUSED');

    const detail = await hub.app.inject({ method: 'GET', url, headers: agent.headers });
    expect(detail.statusCode).toBe(200);
    const events: { kind: string; actorKind: string; actorUserId: string; channel: string; details: Record<string, unknown> }[] = detail.json().events;
    expect(events.map((e) => [e.kind, e.actorKind, e.actorUserId, e.channel])).toEqual([
      ['appointment.booked', 'user', agent.id, 'agent'],
      ['appointment.confirmed', 'user', agent.id, 'agent'],
      ['appointment.cancelled', 'user', supervisor.id, 'agent'],
    ]);
    expect(events[1]?.details).toMatchObject({ note: 'Confirmó por teléfono', from: 'booked' });
    // The slot is free again.
    expect((await view(agent, campaignId)).days.find((d) => d.date === D1)?.slots.some((s) => s.roomId === 'c1' && s.startsAt === local(D1, '09:00'))).toBe(true);

    // Yesterday's visit: recorded as a no-show.
    const past = await insertAppointment(db(), { campaignId, officeId: 'umf-20', roomId: 'c2', date: daysAhead(-1), time: '08:00', status: 'booked', n: 6 });
    const noShow = await hub.app.inject({ method: 'POST', url: `${base(campaignId)}/appointments/${past.folio}/status`, headers: agent.headers, payload: { to: 'no_show' } });
    expect(noShow.statusCode).toBe(200);
    expect(noShow.json().appointment.status).toBe('no_show');
    const unknown = await hub.app.inject({ method: 'POST', url: `${base(campaignId)}/appointments/CITA-20260101-999999/cancel`, headers: agent.headers, payload: { reason: 'x' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('HUB_ERR_APPOINTMENT_NOT_FOUND');

    // Opening the detail (the NSS on screen) is on record too.
    expect(await auditActions(campaignId)).toEqual(['appointment.booked', 'appointment.status_changed', 'appointment.cancelled', 'appointment.viewed', 'appointment.status_changed']);
  });

  it('the list filters by date, range, office, room, status and folio or NSS, ordered by start', async () => {
    const campaignId = await staffCampaign(db());
    const agent = await caller(['agent'], [campaignId]);
    const folio = async (room: string, date: string, time: string, n: number): Promise<string> => (await book(agent, campaignId, bookingBody(room, local(date, time), n))).json().appointment.folio;
    const a = await folio('c2', D1, '09:00', 1);
    const b = await folio('c3', D1, '08:00', 2);
    const c = await folio('c1', D2, '08:20', 3);
    const d = await folio('c1', D1, '09:00', 4);
    await hub.app.inject({ method: 'POST', url: `${base(campaignId)}/appointments/${c}/cancel`, headers: agent.headers, payload: { reason: 'Ya no la necesita' } });

    const list = async (query: string): Promise<string[]> => {
      const res = await hub.app.inject({ method: 'GET', url: `${base(campaignId)}/appointments?${query}`, headers: agent.headers });
      expect(res.statusCode).toBe(200);
      return res.json().appointments.map((x: { folio: string }) => x.folio);
    };
    // By start, then room: 08:00 c3, 09:00 c1, 09:00 c2.
    expect(await list(`date=${D1}`)).toEqual([b, d, a]);
    expect(await list(`from=${D1}&to=${D2}`)).toEqual([b, d, a, c]);
    expect(await list(`from=${D2}`)).toEqual([c]);
    expect(await list('officeId=umf-21')).toEqual([b]);
    expect(await list('roomId=c1')).toEqual([d, c]);
    expect(await list('status=cancelled')).toEqual([c]);
    expect(await list(`status=booked&date=${D1}&officeId=umf-20`)).toEqual([d, a]);
    expect(await list(`q=${a.toLowerCase()}`)).toEqual([a]);
    expect(await list(`q=${nss(3)}`)).toEqual([c]);
    expect(await list('q=CITA-20990101-000001')).toEqual([]);

    const bad = await hub.app.inject({ method: 'GET', url: `${base(campaignId)}/appointments?from=${D2}&to=${D1}`, headers: agent.headers });
    expect(bad.statusCode).toBe(400);
  });

  it('an agent of another campaign gets 403 on every route; an unknown campaign is 404; an auditor reads the report but cannot book', async () => {
    const campaignId = await staffCampaign(db());
    const other = await createCampaign(db());
    const stranger = await caller(['agent'], [other.id]);
    const foreignSupervisor = await caller(['supervisor'], [other.id]);
    const auditor = await caller(['auditor'], [campaignId]);
    const admin = await caller(['admin'], []);
    const agent = await caller(['agent'], [campaignId]);
    const folio = (await book(agent, campaignId, bookingBody('c1', local(D1, '08:00'), 1))).json().appointment.folio;

    const routes = (id: string) =>
      [
        { method: 'GET', url: `${base(id)}/calendar` },
        { method: 'PUT', url: `${base(id)}/calendar`, payload: { definition: staffCalendar() } },
        { method: 'GET', url: `${base(id)}/calendar-view?serviceId=mf` },
        { method: 'GET', url: `${base(id)}/slots?serviceId=mf` },
        { method: 'POST', url: `${base(id)}/appointments`, payload: bookingBody('c1', local(D1, '08:20'), 2) },
        { method: 'GET', url: `${base(id)}/appointments` },
        { method: 'GET', url: `${base(id)}/appointments/${folio}` },
        { method: 'POST', url: `${base(id)}/appointments/${folio}/cancel`, payload: { reason: 'x' } },
        { method: 'POST', url: `${base(id)}/appointments/${folio}/status`, payload: { to: 'confirmed' } },
        { method: 'GET', url: `${base(id)}/report?from=${D1}&to=${D2}` },
      ] as const;
    for (const who of [stranger, foreignSupervisor]) {
      for (const route of routes(campaignId)) {
        const res = await hub.app.inject({ ...route, headers: who.headers });
        expect({ route: `${route.method} ${route.url}`, status: res.statusCode }).toEqual({ route: `${route.method} ${route.url}`, status: 403 });
      }
    }
    // The admin sees every campaign, so an unknown one is "not found".
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const route of routes(missing)) {
      const res = await hub.app.inject({ ...route, headers: admin.headers });
      expect({ route: `${route.method} ${route.url}`, status: res.statusCode, code: res.json().error?.code }).toEqual({ route: `${route.method} ${route.url}`, status: 404, code: 'HUB_ERR_CAMPAIGN_NOT_FOUND' });
    }
    const anonymous = await hub.app.inject({ method: 'GET', url: `${base(campaignId)}/appointments` });
    expect(anonymous.statusCode).toBe(401);

    const report = await hub.app.inject({ method: 'GET', url: `${base(campaignId)}/report?from=${D1}&to=${D1}`, headers: auditor.headers });
    expect(report.statusCode).toBe(200);
    expect(report.json().totals).toMatchObject({ booked: 1, total: 1 });
    const auditorBooks = await book(auditor, campaignId, bookingBody('c1', local(D1, '08:20'), 2));
    expect(auditorBooks.statusCode).toBe(403);
    expect(auditorBooks.json().error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    const agentReport = await hub.app.inject({ method: 'GET', url: `${base(campaignId)}/report?from=${D1}&to=${D1}`, headers: agent.headers });
    expect(agentReport.statusCode).toBe(403);
    expect((await db().selectFrom('appointments').select('id').where('campaign_id', '=', campaignId).execute()).length).toBe(1);
  });

  it('only an admin saves the calendar: a new version, Spanish problems when invalid, audited; without a calendar the view is 409', async () => {
    const campaign = await createCampaign(db());
    const admin = await caller(['admin'], []);
    const agent = await caller(['agent'], [campaign.id]);
    const url = `${base(campaign.id)}/calendar`;

    const none = await hub.app.inject({ method: 'GET', url, headers: agent.headers });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('HUB_ERR_APPOINTMENT_NO_CALENDAR');
    expect((await hub.app.inject({ method: 'GET', url: `${base(campaign.id)}/calendar-view?serviceId=mf`, headers: agent.headers })).statusCode).toBe(409);

    expect((await hub.app.inject({ method: 'PUT', url, headers: agent.headers, payload: { definition: staffCalendar() } })).statusCode).toBe(403);

    const broken = { ...staffCalendar(), rooms: [{ id: 'c1', officeId: 'umf-99', name: 'Consultorio 1', serviceIds: ['mf'] }], shifts: [] };
    const invalid = await hub.app.inject({ method: 'PUT', url, headers: admin.headers, payload: { definition: broken } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('HUB_ERR_APPOINTMENT_CALENDAR_INVALID');
    expect(invalid.json().error.details.problems).toContainEqual({ path: 'rooms.0.officeId', message: 'la oficina «umf-99» no existe / office "umf-99" does not exist' });

    const saved = await hub.app.inject({ method: 'PUT', url, headers: admin.headers, payload: { definition: staffCalendar(), rules: { minLeadHours: 24 } } });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ version: 1, rules: { minLeadHours: 24, maxLeadDays: 90 } });
    await saveCalendar(db(), { campaignId: campaign.id, definition: staffCalendar({ capacity: 5 }) }, admin.id);
    const read = await hub.app.inject({ method: 'GET', url, headers: agent.headers });
    expect(read.json()).toMatchObject({ version: 2, calendar: { timeZone: 'America/Mexico_City' }, rules: { minLeadHours: 12 } });
    expect(await auditActions(campaign.id)).toEqual(['appointment.calendar_saved']);
  });
});
