import type { Language } from '@ventanilla/bots';
import type { ChannelKind } from '@ventanilla/connectors/core';
import { parseStoredSurveySettings } from '../../surveys/survey-settings.schema.js';

/** Invalid answers to the rating question before the bot closes without one. */
export const SURVEY_MAX_ATTEMPTS = 2;
/** A rating this low flags the bot's answer as wrong (seed-digest §5.4: 0 %). */
export const NEGATIVE_RATING = 2;

/**
 * Whether the bot asks the exit survey's rating itself: the campaign's survey is on and rates,
 * and the channel has no survey of its own (the web chat widget shows its form when the chat ends).
 */
export function botAsksSurvey(campaignSettings: unknown, channelKind: ChannelKind): boolean {
  if (channelKind === 'webchat') return false;
  const settings = parseStoredSurveySettings(campaignSettings);
  return settings.enabled && settings.rating;
}

const QUESTION: Record<Language, string> = {
  es: 'Antes de terminar, ¿cómo calificaría la atención que recibió? Responda con un número del 1 (muy mala) al 5 (excelente).',
  en: 'Before you go, how would you rate the help you received? Reply with a number from 1 (very poor) to 5 (excellent).',
};
const AGAIN: Record<Language, string> = {
  es: 'Por favor responda solo con un número del 1 al 5.',
  en: 'Please reply with just a number from 1 to 5.',
};
const THANKS: Record<Language, string> = {
  es: 'Gracias por su calificación. Si necesita algo más, escríbanos de nuevo.',
  en: 'Thank you for your rating. If you need anything else, write to us again.',
};
const GOODBYE: Record<Language, string> = {
  es: 'Gracias por escribirnos. Si necesita algo más, escríbanos de nuevo.',
  en: 'Thank you for writing to us. If you need anything else, write to us again.',
};

export const surveyTexts = {
  question: (language: Language) => QUESTION[language],
  again: (language: Language) => AGAIN[language],
  thanks: (language: Language) => THANKS[language],
  goodbye: (language: Language) => GOODBYE[language],
};

const WORDS: Record<string, number> = {
  uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5,
  one: 1, two: 2, three: 3, four: 4, five: 5,
};

/** A 1–5 rating in the citizen's reply ("4", "un 5", "cinco", "5 estrellas"); null when it is not one. */
export function parseRating(text: string | null): number | null {
  const cleaned = (text ?? '').normalize('NFKC').toLowerCase().trim();
  if (cleaned === '' || cleaned.length > 40) return null;
  const digits = cleaned.match(/\d+/g) ?? [];
  if (digits.length === 1) {
    const value = Number(digits[0]);
    return value >= 1 && value <= 5 ? value : null;
  }
  if (digits.length > 1) return null;
  const found = cleaned.split(/[^a-záéíóúñ]+/).flatMap((w) => (w in WORDS ? [WORDS[w]!] : []));
  return found.length === 1 ? found[0]! : null;
}
