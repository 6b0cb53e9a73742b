import type { IvrState } from '@ventanilla/voice-bridge';
import { maskOfficialId } from '../../contacts/official-id-mask.js';

/**
 * The agent's screen pop for a call (issue 8 item 4), in Spanish: who calls, the IVR path as the
 * caller went through it, what they keyed. Stored as the conversation's first (system) message,
 * so the inbox shows it where a chat shows the citizen's first words.
 */
const FIELD_LABELS: Record<string, string> = {
  nss: 'NSS',
  curp: 'CURP',
  fecha_nacimiento: 'Fecha de nacimiento',
  folio_digits: 'Folio consultado',
};

export interface ScreenPopInput {
  from: string;
  folio: string;
  path: IvrState['path'];
  collected: Record<string, string>;
  /** The campaign the IVR sent the caller from (transfer to another campaign). */
  transferredFrom?: string | null;
}

export function screenPopText(input: ScreenPopInput): string {
  const lines = [`Llamada telefónica de ${input.from} · folio ${input.folio}.`];
  if (input.transferredFrom) lines.push(`Transferida desde la campaña ${input.transferredFrom}.`);
  const path = input.path.map((step) => (step.input !== undefined && step.input !== '' ? `${step.node} (${step.input})` : step.node));
  lines.push(path.length > 0 ? `Recorrido en el menú: ${path.join(' → ')}.` : 'Recorrido en el menú: pasó directo a la fila.');
  // The thread is read by every agent of the campaign: official ids appear masked (the whole id is
  // on the contact, shown to the roles that may see it — contacts/official-id-mask.ts).
  const data = Object.entries(input.collected).map(([field, value]) => `${FIELD_LABELS[field] ?? field}: ${shown(field, value)}`);
  lines.push(data.length > 0 ? `Datos capturados: ${data.join('; ')}.` : 'Sin datos capturados.');
  return lines.join('\n');
}

function shown(field: string, value: string): string {
  if (field === 'nss' || field === 'curp') return maskOfficialId(field, value) ?? value;
  return value;
}
