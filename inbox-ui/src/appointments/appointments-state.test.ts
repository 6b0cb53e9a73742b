import { describe, expect, it } from 'vitest';
import { CURP_PATTERN as HUB_CURP, NSS_PATTERN as HUB_NSS } from '../../../hub/src/appointments/booking/booking.schema.js';
import { ApiError } from '../api/api-error.js';
import type { CalendarDefinition, DocumentVersion, FreeSlotView } from './appointments-api.js';
import {
  allowedActions,
  birthDateProblem,
  bookingRefusal,
  CURP_PATTERN,
  eventKey,
  latestVersion,
  localDateIn,
  normalizeOfficialId,
  NSS_PATTERN,
  officialIdProblem,
  reviewProblem,
  shortDate,
  slotView,
  weekdayColumn,
} from './appointments-state.js';
import { appointmentsCatalogues } from './appointments-text.js';

const slot: FreeSlotView = {
  roomId: 'c2',
  roomName: 'Consultorio 2',
  officeId: 'umf-20',
  officeName: 'UMF 20',
  serviceId: 'mf',
  serviceName: 'Medicina familiar',
  shiftId: 'c2-mat',
  startsAt: '2026-11-27T14:00:00.000Z',
  endsAt: '2026-11-27T14:20:00.000Z',
  localDate: '2026-11-27',
  localTime: '08:00',
};

const calendar: CalendarDefinition = {
  timeZone: 'America/Mexico_City',
  offices: [{ id: 'umf-20', name: 'UMF 20' }],
  rooms: [{ id: 'c2', officeId: 'umf-20', name: 'Consultorio 2', serviceIds: ['mf'] }],
  services: [{ id: 'mf', name: 'Medicina familiar', slotMinutes: 20 }],
};

describe('appointments screen helpers', () => {
  it('validates NSS and CURP as the hub does, after tidying what the agent typed', () => {
    expect(NSS_PATTERN.source).toBe(HUB_NSS.source);
    expect(CURP_PATTERN.source).toBe(HUB_CURP.source);
    expect(officialIdProblem('nss', '123 4500-0007')).toBeNull();
    expect(normalizeOfficialId('nss', '123 4500-0007')).toBe('12345000007');
    expect(officialIdProblem('nss', '1234500000')).toBe('nssInvalid');
    expect(officialIdProblem('nss', '1234500000A')).toBe('nssInvalid');
    expect(officialIdProblem('curp', 'gode561231hdfrrn09')).toBeNull();
    expect(normalizeOfficialId('curp', 'gode561231hdfrrn09')).toBe('GODE561231HDFRRN09');
    expect(officialIdProblem('curp', 'GODE561231ZDFRRN09')).toBe('curpInvalid');
    expect(officialIdProblem('curp', 'GODE561231HDFRRN0')).toBe('curpInvalid');
  });

  it('accepts a real birth date before today only', () => {
    expect(birthDateProblem('1980-02-29', '2026-11-26')).toBeNull();
    expect(birthDateProblem('1981-02-29', '2026-11-26')).toBe('birthInvalid');
    expect(birthDateProblem('2026-11-26', '2026-11-26')).toBe('birthInvalid');
    expect(birthDateProblem('', '2026-11-26')).toBe('birthInvalid');
    expect(birthDateProblem('1899-12-31', '2026-11-26')).toBe('birthInvalid');
  });

  it('turns a 409 into the slots to offer and a 422 into the rule problems, in the chosen language', () => {
    const offered = { roomId: 'c2', officeId: 'umf-20', serviceId: 'mf', shiftId: 'c2-mat', startsAt: '2026-11-27T14:00:00.000Z', endsAt: '2026-11-27T14:20:00.000Z' };
    const taken = new ApiError(409, 'HUB_ERR_APPOINTMENT_SLOT_TAKEN', 'Ese horario acaba de ocuparse / that slot was just taken', { freeSlots: [offered, { roomId: 'broken' }] });
    expect(bookingRefusal(taken, 'es-MX', '')).toEqual({ kind: 'taken', message: 'Ese horario acaba de ocuparse', freeSlots: [offered] });
    // Named and put on the calendar's wall clock for the agent: 14:00Z is 08:00 in Mexico City.
    expect(slotView(offered, calendar)).toEqual(slot);
    expect(bookingRefusal(taken, 'en', '')).toMatchObject({ message: 'that slot was just taken' });
    const rules = new ApiError(422, 'HUB_ERR_APPOINTMENT_RULES', 'La cita no cumple / breaks the rules', {
      problems: [{ code: 'holiday', es: 'Ese día es inhábil; no hay citas', en: 'That day is a holiday; no appointments' }],
    });
    expect(bookingRefusal(rules, 'es-MX', '')).toEqual({ kind: 'rules', message: 'La cita no cumple', problems: ['Ese día es inhábil; no hay citas'] });
    expect(bookingRefusal(rules, 'en', '')).toMatchObject({ problems: ['That day is a holiday; no appointments'] });
    expect(bookingRefusal(new TypeError('Failed to fetch'), 'es-MX', 'Sin conexión')).toEqual({ kind: 'other', message: 'Sin conexión' });
  });

  it('offers only the transitions that make sense', () => {
    expect(allowedActions('booked')).toEqual({ confirm: true, attended: true, noShow: true, cancel: true });
    expect(allowedActions('confirmed')).toEqual({ confirm: false, attended: true, noShow: true, cancel: true });
    expect(allowedActions('cancelled')).toEqual({ confirm: false, attended: false, noShow: false, cancel: false });
    expect(allowedActions('attended').cancel).toBe(false);
    expect(eventKey('appointment.no_show')).toBe('event_no_show');
    expect(eventKey('appointment.reminder_sent')).toBeNull();
  });

  it('shows local dates as they are, in the calendar zone', () => {
    // 27 Nov 03:00Z is still the 26th in Mexico City (UTC−6).
    expect(localDateIn(new Date('2026-11-27T03:00:00Z'), 'America/Mexico_City')).toBe('2026-11-26');
    expect(localDateIn(new Date('2026-11-27T06:00:00Z'), 'America/Mexico_City')).toBe('2026-11-27');
    expect(shortDate('2026-12-03', 'es-MX')).toBe('3 dic');
    expect(shortDate('2026-12-03', 'en')).toBe('Dec 3');
    expect(weekdayColumn('mon')).toBe(0);
    expect(weekdayColumn('sun')).toBe(6);
  });

  it('acts on the newest version of a document and requires a reason only to reject', () => {
    const version = (id: string, requirementId: string, n: number): DocumentVersion => ({ id, requirementId, version: n, status: 'pending_review', fileName: 'ine.pdf', mimeType: 'application/pdf', size: 10, reviewer: null, reason: null, uploadedAt: '2026-11-26T16:00:00Z', reviewedAt: null });
    const versions = [version('a1', 'ine', 1), version('b1', 'acta', 1), version('a3', 'ine', 3), version('a2', 'ine', 2)];
    expect(latestVersion({ requirementId: 'ine' }, versions)?.id).toBe('a3');
    expect(latestVersion({ requirementId: 'acta' }, versions)?.id).toBe('b1');
    expect(latestVersion({ requirementId: 'curp' }, versions)).toBeNull();
    expect(reviewProblem('rejected', '  ')).toBe('rejectReasonRequired');
    expect(reviewProblem('rejected', 'Ilegible')).toBeNull();
    expect(reviewProblem('approved', '')).toBeNull();
  });

  it('has every text in Spanish and English with the same placeholders', () => {
    const { esMX, en } = appointmentsCatalogues;
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(en).sort()).toEqual(Object.keys(esMX).sort());
    const english = new Map(Object.entries(en));
    for (const [key, text] of Object.entries(esMX)) {
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(english.get(key) ?? ''), key).toEqual(placeholders(text));
    }
  });
});
