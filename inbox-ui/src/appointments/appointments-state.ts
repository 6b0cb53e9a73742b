import { ApiError, localizedMessage } from '../api/api-error.js';
import type { Lang } from '../i18n/lang.js';
import type { AppointmentStatus, CalendarDefinition, CaseDocument, DocumentVersion, FreeSlotView, Weekday } from './appointments-api.js';
import type { AppointmentsKey } from './appointments-text.js';

/** The hub's patterns (hub/src/appointments/booking/booking.schema.ts), checked before sending. */
export const NSS_PATTERN = /^[0-9]{11}$/;
export const CURP_PATTERN = /^[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9]$/;

/** What the agent typed, tidied: CURP upper-case, spaces and dashes out (people dictate «123-45…»). */
export function normalizeOfficialId(kind: 'nss' | 'curp', raw: string): string {
  const compact = raw.replace(/[\s-]+/g, '');
  return kind === 'curp' ? compact.toUpperCase() : compact;
}

/** The text key of the problem with the id, or null when it is well-formed. */
export function officialIdProblem(kind: 'nss' | 'curp', raw: string): AppointmentsKey | null {
  const value = normalizeOfficialId(kind, raw);
  if (kind === 'nss') return NSS_PATTERN.test(value) ? null : 'nssInvalid';
  return CURP_PATTERN.test(value) ? null : 'curpInvalid';
}

/** A birth date must be a real `YYYY-MM-DD` before `today` (local date) and after 1900. */
export function birthDateProblem(value: string, today: string): AppointmentsKey | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'birthInvalid';
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) return 'birthInvalid';
  return value < today && value >= '1900-01-01' ? null : 'birthInvalid';
}

/** Today's local date `YYYY-MM-DD` in a time zone (the calendar's). */
export function localDateIn(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '01';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const WEEKDAYS: Record<Lang, Record<Weekday, string>> = {
  'es-MX': { mon: 'lun', tue: 'mar', wed: 'mié', thu: 'jue', fri: 'vie', sat: 'sáb', sun: 'dom' },
  en: { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' },
};

export function weekdayName(weekday: Weekday, lang: Lang): string {
  return WEEKDAYS[lang][weekday];
}

const MONTHS: Record<Lang, readonly string[]> = {
  'es-MX': ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

/** `2026-12-03` → «3 dic» / «Dec 3»: a local date shown as it is, never shifted by the browser's zone. */
export function shortDate(date: string, lang: Lang): string {
  const [, m, d] = date.split('-').map(Number);
  const month = MONTHS[lang][(m ?? 1) - 1] ?? '';
  return lang === 'en' ? `${month} ${d ?? ''}` : `${d ?? ''} ${month}`;
}

/** Monday-first column (0–6) of a weekday: the 30-day grid starts its first row there. */
export function weekdayColumn(weekday: Weekday): number {
  return (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).indexOf(weekday);
}

/** A free slot as the booking refusal carries it (the rule engine's `FreeSlot`: ids and instants). */
export interface OfferedSlot {
  roomId: string;
  officeId: string;
  serviceId: string;
  shiftId: string;
  startsAt: string;
  endsAt: string;
}

export type BookingRefusal =
  | { kind: 'taken'; message: string; freeSlots: OfferedSlot[] }
  | { kind: 'rules'; message: string; problems: string[] }
  | { kind: 'other'; message: string };

function record(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isOfferedSlot(value: unknown): value is OfferedSlot {
  if (!record(value)) return false;
  return ['roomId', 'officeId', 'serviceId', 'shiftId', 'startsAt', 'endsAt'].every((k) => typeof value[k] === 'string');
}

/**
 * An offered slot with the names and local wall time the agent reads, from the calendar in force
 * (the refusal carries ids and instants only).
 */
export function slotView(slot: OfferedSlot, calendar: CalendarDefinition): FreeSlotView {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: calendar.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(slot.startsAt));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return {
    ...slot,
    roomName: calendar.rooms.find((r) => r.id === slot.roomId)?.name ?? slot.roomId,
    officeName: calendar.offices.find((o) => o.id === slot.officeId)?.name ?? slot.officeId,
    serviceName: calendar.services.find((x) => x.id === slot.serviceId)?.name ?? slot.serviceId,
    localDate: `${get('year')}-${get('month')}-${get('day')}`,
    localTime: `${get('hour')}:${get('minute')}`,
  };
}

/**
 * What a refused booking means for the agent: 409 slot taken / shift full carry the nearest free
 * slots to offer instead; 422 carries the rule problems (`{ code, es, en }`) in both languages.
 */
export function bookingRefusal(error: unknown, lang: Lang, fallback: string): BookingRefusal {
  if (!(error instanceof ApiError)) return { kind: 'other', message: error instanceof Error && !(error instanceof TypeError) ? error.message : fallback };
  const message = localizedMessage(error.message, lang);
  const details = record(error.details) ? error.details : {};
  if (error.code === 'HUB_ERR_APPOINTMENT_SLOT_TAKEN' || error.code === 'HUB_ERR_APPOINTMENT_SHIFT_FULL') {
    const slots = Array.isArray(details['freeSlots']) ? details['freeSlots'].filter(isOfferedSlot) : [];
    return { kind: 'taken', message, freeSlots: slots };
  }
  if (error.code === 'HUB_ERR_APPOINTMENT_RULES' || error.status === 422) {
    const problems = Array.isArray(details['problems'])
      ? details['problems'].flatMap((p: unknown) => {
          if (!record(p)) return [];
          const text = lang === 'en' ? p['en'] : p['es'];
          if (typeof text === 'string') return [text];
          return typeof p['message'] === 'string' ? [localizedMessage(p['message'], lang)] : [];
        })
      : [];
    return { kind: 'rules', message, problems };
  }
  return { kind: 'other', message };
}

/** Which status buttons make sense for an appointment (the hub decides; this only hides nonsense). */
export function allowedActions(status: AppointmentStatus): { confirm: boolean; attended: boolean; noShow: boolean; cancel: boolean } {
  const active = status === 'booked' || status === 'confirmed';
  return { confirm: status === 'booked', attended: active, noShow: active, cancel: active };
}

/** The `event_*` text key of an `appointment.*` history kind, or null for kinds this screen does not name. */
export function eventKey(kind: string): AppointmentsKey | null {
  const suffix = kind.startsWith('appointment.') ? kind.slice('appointment.'.length) : kind;
  switch (suffix) {
    case 'booked':
      return 'event_booked';
    case 'confirmed':
      return 'event_confirmed';
    case 'cancelled':
      return 'event_cancelled';
    case 'attended':
      return 'event_attended';
    case 'no_show':
      return 'event_no_show';
    default:
      return null;
  }
}

const CHANNEL_KEYS: Record<string, AppointmentsKey> = {
  agent: 'channel_agent',
  portal: 'channel_portal',
  whatsapp: 'channel_whatsapp',
  webchat: 'channel_webchat',
  sms: 'channel_sms',
  voice: 'channel_voice',
  email: 'channel_email',
  api: 'channel_api',
  external: 'channel_external',
};

export function channelKey(channel: string): AppointmentsKey | null {
  return CHANNEL_KEYS[channel] ?? null;
}

/**
 * The version of a case's document the reviewer acts on: the newest stored version of its
 * requirement (the staff case lists every version with its id and reviewer), or null when nothing
 * was uploaded yet.
 */
export function latestVersion(doc: Pick<CaseDocument, 'requirementId'>, versions: readonly DocumentVersion[]): DocumentVersion | null {
  return versions.filter((v) => v.requirementId === doc.requirementId).reduce<DocumentVersion | null>((best, v) => (best === null || v.version > best.version ? v : best), null);
}

/** A reject needs a reason (the citizen reads it); an approval may carry one. */
export function reviewProblem(decision: 'approved' | 'rejected', reason: string): AppointmentsKey | null {
  return decision === 'rejected' && reason.trim() === '' ? 'rejectReasonRequired' : null;
}
