import type { BotSessionState, HandoffSummary } from '../engine.contract.js';
import type { BotModel } from '../model.schema.js';

const FIELD_LABELS: Record<string, string> = {
  nss: 'NSS',
  curp: 'CURP',
  rfc: 'RFC',
  folio: 'folio',
  email: 'correo',
  phone: 'teléfono',
  telefono: 'teléfono',
  date: 'fecha',
  fecha: 'fecha',
  fecha_nacimiento: 'fecha de nacimiento',
  'fecha-nacimiento': 'fecha de nacimiento',
  nombre: 'nombre',
  name: 'nombre',
  status: 'estado del folio',
  updated: 'última actualización',
  appointment_service: 'clave del servicio',
  appointment_service_name: 'servicio',
  appointment_slot: 'horario elegido (clave)',
  appointment_when: 'horario de la cita',
  appointment_folio: 'folio de la cita',
  appointment_status: 'estado de la cita',
};

/**
 * What the agent reads when the conversation reaches them, so the citizen is not asked again
 * what they already told the bot. Spanish: agents work in Spanish. Nothing is masked here;
 * the hub decides what an agent may see.
 */
export function buildHandoffSummary(
  model: BotModel,
  state: BotSessionState,
  reason: HandoffSummary['reason'],
  detail: { flowId?: string; field?: string } = {},
): HandoffSummary {
  const intent = lastTopicIntent(model, state);
  const data = Object.entries(state.collected).map(([field, value]) => `${FIELD_LABELS[field] ?? field.replace(/[_-]/g, ' ')} ${value}`);
  const recent = state.recent.map((r) => `«${r.text}»`);
  const text = [
    `Asistente virtual — motivo: ${reasonText(reason, state, detail)}.`,
    `Intención: ${intent ?? 'ninguna reconocida'}.`,
    `Idioma: ${state.language === 'en' ? 'inglés' : 'español'}.`,
    `Datos: ${data.length > 0 ? data.join(', ') : 'ninguno'}.`,
    `Últimos mensajes: ${recent.length > 0 ? recent.join(' · ') : 'ninguno'}`,
  ].join(' ');
  return { reason, intent, language: state.language, collected: { ...state.collected }, recent: state.recent.map((r) => ({ ...r })), text };
}

/** The last intent that says what the citizen wanted (not "quiero un asesor" itself). */
function lastTopicIntent(model: BotModel, state: BotSessionState): string | null {
  const handoffIntents = new Set(model.intents.filter((i) => i.handoff).map((i) => i.name));
  for (let i = state.intents.length - 1; i >= 0; i--) {
    const name = state.intents[i];
    if (name !== undefined && !handoffIntents.has(name)) return name;
  }
  return null;
}

function reasonText(reason: HandoffSummary['reason'], state: BotSessionState, detail: { flowId?: string; field?: string }): string {
  switch (reason) {
    case 'requested':
      return 'el ciudadano pidió un asesor';
    case 'fallbacks':
      return `el asistente no entendió ${state.fallbacks} mensajes seguidos`;
    case 'flow':
      return detail.flowId ? `el flujo «${detail.flowId}» pasa la atención a un asesor` : 'el flujo pasa la atención a un asesor';
    case 'collect_failed':
      return `el ciudadano no logró dar un dato válido${detail.field ? ` («${detail.field}»)` : ''}`;
  }
}
