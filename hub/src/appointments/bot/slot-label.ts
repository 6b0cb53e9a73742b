import type { Language } from '@ventanilla/bots';
import type { AppointmentCalendar } from '../rules/appointment-rules.types.js';

const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: string, options: Intl.DateTimeFormatOptions & { timeZone: string }): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let found = formats.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, options);
    formats.set(key, found);
  }
  return found;
}

function part(parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes): string {
  return parts.find((p) => p.type === type)?.value ?? '';
}

/**
 * A slot as the citizen reads it, in the calendar's time zone: «lunes 30 de noviembre, 08:20 —
 * Consultorio 1, UMF 20» / «Monday, November 30, 08:20 — Consultorio 1, UMF 20». Built from parts
 * so the shape does not depend on the ICU version's punctuation; 24-hour clock (no «a. m.» variants).
 */
export function slotLabel(calendar: AppointmentCalendar, slot: { roomId: string; startsAt: string }, language: Language): string {
  const at = new Date(slot.startsAt);
  const timeZone = calendar.timeZone;
  const locale = language === 'en' ? 'en-US' : 'es-MX';
  const parts = format(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).formatToParts(at);
  const time = format('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  const day = language === 'en' ? `${part(parts, 'weekday')}, ${part(parts, 'month')} ${part(parts, 'day')}` : `${part(parts, 'weekday')} ${part(parts, 'day')} de ${part(parts, 'month')}`;
  const room = calendar.rooms.find((r) => r.id === slot.roomId);
  const office = room ? calendar.offices.find((o) => o.id === room.officeId) : undefined;
  const place = [room?.name, office?.name].filter((p) => p !== undefined && p !== '').join(', ');
  return place === '' ? `${day}, ${time}` : `${day}, ${time} — ${place}`;
}
