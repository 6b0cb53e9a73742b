import type { VoiceBlastAction } from '../../db/schema.js';

/**
 * What a blaster call says (issue 8 item 7), es-MX: the message with the recipient's {variables}
 * and the keypad options read out in key order. Pure.
 */
const VARIABLE = /\{\s*([a-z0-9_]+)\s*\}/gi;
/** Filled from the recipient row itself; `{nombre}` and `{name}` are the same. */
export const BUILTIN_VARIABLES = ['nombre', 'name', 'telefono', 'phone'] as const;

export function messageVariables(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => (m[1] ?? '').toLowerCase()))];
}

export function renderMessage(text: string, recipient: { name: string | null; phone: string; variables: Record<string, string> }): string {
  const values: Record<string, string> = { ...recipient.variables, nombre: recipient.name ?? '', name: recipient.name ?? '', telefono: spokenPhone(recipient.phone), phone: spokenPhone(recipient.phone) };
  return text.replace(VARIABLE, (_whole, key: string) => values[key.toLowerCase()] ?? '').replace(/\s{2,}/g, ' ').trim();
}

/** A number read digit by digit, not as "cinco mil quinientos once millones…". */
function spokenPhone(phone: string): string {
  return phone.replace(/^\+52/, '').split('').join(' ');
}

const ACTION_TEXT: Record<VoiceBlastAction, string> = {
  agent: 'Para hablar con un asesor',
  confirm: 'Para confirmar',
  decline: 'Para cancelar o si no podrá asistir',
  repeat: 'Para escuchar de nuevo este mensaje',
  optout: 'Para no recibir más llamadas como esta',
};

export function optionsText(options: Record<string, VoiceBlastAction>): string {
  return Object.entries(options)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([digit, action]) => `${ACTION_TEXT[action]}, oprima ${digit === '*' ? 'asterisco' : digit === '#' ? 'gato' : digit}.`)
    .join(' ');
}

export const CHOICE_REPLIES = {
  confirm: 'Gracias, su confirmación quedó registrada. Hasta luego.',
  decline: 'Gracias por avisarnos, quedó registrado. Hasta luego.',
  optout: 'Su número fue dado de baja; no volverá a recibir estas llamadas. Hasta luego.',
  invalid: 'La opción que marcó no es válida.',
  noKey: 'No recibimos ninguna opción. Gracias por su atención. Hasta luego.',
  machineEnd: 'Gracias por su atención. Hasta luego.',
} as const;
