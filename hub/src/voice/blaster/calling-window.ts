/**
 * The blaster's daily calling window (seed §3.12, §1.1 "time-zone management"): calls go out only
 * between `startMinute` and `endMinute` of the day in Mexico City, whatever the server's zone.
 * Pure: `now` is passed in.
 */
export const BLAST_TIME_ZONE = 'America/Mexico_City';
export const DEFAULT_WINDOW = { startMinute: 9 * 60, endMinute: 20 * 60 } as const;

export interface CallingWindow {
  startMinute: number;
  endMinute: number;
}

const clock = new Intl.DateTimeFormat('en-GB', { timeZone: BLAST_TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** Seconds since midnight in Mexico City at `now`. */
export function secondOfDay(now: Date): number {
  const parts = Object.fromEntries(clock.formatToParts(now).map((p) => [p.type, p.value]));
  return Number(parts['hour']) * 3600 + Number(parts['minute']) * 60 + Number(parts['second']);
}

/** Zero when calls may go out now, else milliseconds until the window opens (today or tomorrow). */
export function msUntilWindow(window: CallingWindow | null, now: Date): number {
  if (!window) return 0;
  const second = secondOfDay(now);
  const start = window.startMinute * 60;
  const end = window.endMinute * 60;
  if (second >= start && second < end) return 0;
  const wait = second < start ? start - second : 86_400 - second + start;
  return wait * 1000;
}

/** "09:00" → 540; null for anything that is not HH:MM of a day (24:00 allowed as an end). */
export function minuteOf(hhmm: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!match) return null;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return minute <= 1440 ? minute : null;
}

export function hhmmOf(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
