import { type WaitDisplay, displayWait, formatMinutes, sameWaitDisplay } from './wait-display.js';

/** Spanish (es-MX) is the citizens' language and the default; English for contacts who chose it. */
export type TreatmentLocale = 'es-MX' | 'en';

/** Maps a stored locale tag ("en-US", "es", "") onto a treatment language, Spanish first. */
export function treatmentLocaleFor(tag: string | null | undefined): TreatmentLocale {
  return tag?.trim().toLowerCase().startsWith('en') === true ? 'en' : 'es-MX';
}

/** What a waiting contact is told: compared, not the text, to decide whether to tell them again. */
export interface QueueTreatmentDisplay {
  /** From queuePosition: 1 = next. */
  readonly position: number;
  readonly wait: WaitDisplay;
}

export function queueTreatmentDisplay(position: number, estimatedWaitMs: number | null): QueueTreatmentDisplay {
  return { position, wait: displayWait(estimatedWaitMs) };
}

interface Phrases {
  readonly place: (position: number) => string;
  readonly next: string;
  readonly wait: (duration: string) => string;
  readonly underMinute: string;
  readonly shortly: string;
}

// "la siguiente persona": gender-neutral, as public-sector messages are expected to be.
const PHRASES = {
  'es-MX': {
    place: (position) => `Su lugar en la fila es ${position}`,
    next: 'Usted es la siguiente persona en la fila',
    wait: (duration) => `tiempo estimado de espera: ${duration}`,
    underMinute: 'menos de 1 min',
    shortly: 'en breve le atenderemos',
  },
  en: {
    place: (position) => `You are number ${position} in line`,
    next: 'You are next in line',
    wait: (duration) => `estimated wait: ${duration}`,
    underMinute: 'less than 1 min',
    shortly: 'we will be with you shortly',
  },
} as const satisfies Record<TreatmentLocale, Phrases>;

/**
 * The citizen-facing line, e.g. "Su lugar en la fila es 3; tiempo estimado de espera: 2 min." No
 * agent on shift or outside business hours is the caller's call: send the after-hours treatment
 * instead of this (an unknown estimate here reads "en breve le atenderemos").
 */
export function queueTreatmentMessage(display: QueueTreatmentDisplay, locale: TreatmentLocale = 'es-MX'): string {
  const phrases: Phrases = PHRASES[locale];
  const where = display.position <= 1 ? phrases.next : phrases.place(display.position);
  const { wait } = display;
  const when =
    wait.kind === 'unknown'
      ? phrases.shortly
      : phrases.wait(wait.kind === 'under_minute' ? phrases.underMinute : formatMinutes(wait.minutes));
  return `${where}; ${when}.`;
}

export function sameTreatmentDisplay(a: QueueTreatmentDisplay, b: QueueTreatmentDisplay): boolean {
  return a.position === b.position && sameWaitDisplay(a.wait, b.wait);
}

/** The last treatment sent to a contact. */
export interface SentTreatment {
  readonly display: QueueTreatmentDisplay;
  /** Epoch ms. */
  readonly sentAt: number;
}

export interface NotifyOptions {
  /** At most one refresh per this interval, except when the contact becomes next in line. */
  readonly minIntervalMs: number;
}

export const DEFAULT_NOTIFY_OPTIONS: NotifyOptions = Object.freeze({ minIntervalMs: 60_000 });

/**
 * Whether to push `next` to the contact at `now`. Every refresh is a message on their phone (and
 * an SMS costs), so: always the first time; never when what they would read is unchanged; at once
 * when they have just become next in line (the news they wait for); otherwise only if the last
 * one is at least `minIntervalMs` old. Changes held back are not lost: the next call compares
 * against what was actually sent.
 */
export function shouldNotify(
  previous: SentTreatment | null,
  next: QueueTreatmentDisplay,
  now: number,
  options: NotifyOptions = DEFAULT_NOTIFY_OPTIONS,
): boolean {
  if (previous === null) return true;
  if (sameTreatmentDisplay(previous.display, next)) return false;
  if (next.position === 1 && previous.display.position > 1) return true;
  return now - previous.sentAt >= options.minIntervalMs;
}
