import type { Language, LocalizedText } from '../model.schema.js';

/** What the bot says on its own (not written by trainers): bad input and option prompts. */
export const ENGINE_TEXTS = {
  empty: { es: 'No recibí texto. Por favor escriba su pregunta.', en: "I didn't get any text. Please type your question." },
  tooLong: {
    es: 'Su mensaje es muy largo. Por favor envíe uno más corto (máximo 1,000 caracteres) con su pregunta.',
    en: 'Your message is too long. Please send a shorter one (up to 1,000 characters) with your question.',
  },
  chooseOption: { es: 'Por favor elija una de las opciones:', en: 'Please choose one of the options:' },
  listButton: { es: 'Ver opciones', en: 'See options' },
  listSection: { es: 'Opciones', en: 'Options' },
} as const satisfies Record<string, LocalizedText>;

/** The text in the session's language; Spanish when the trainer wrote no English. */
export function localize(text: LocalizedText, language: Language): string {
  return language === 'en' ? (text.en ?? text.es) : text.es;
}

/** `{{field}}` → the collected value; unknown fields render empty (model.schema.ts says so). */
export function fillTemplate(text: string, collected: Record<string, string>): string {
  return text.replace(/\{\{\s*([a-z][a-z0-9_-]*)\s*\}\}/g, (_, field: string) => collected[field] ?? '');
}

/** Case- and accent-insensitive comparison form ("Sí" = "si"). */
export function foldForCompare(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
