import { botModelSchema, type BotModel } from '../model.schema.js';

/** TESTS ONLY: a small Spanish model (6 intents, a few English phrases) and held-out utterances. */
export function smallModel(overrides: Partial<BotModel> = {}): BotModel {
  return botModelSchema.parse({
    name: 'prueba NLU',
    threshold: 0.6,
    intents: [
      {
        name: 'consultar_folio',
        phrases: {
          es: ['quiero saber el estado de mi folio', 'cómo va mi trámite', 'consultar folio', 'estatus de mi solicitud', 'ya quedó mi trámite', 'revisar mi número de folio', 'en qué va mi solicitud', 'seguimiento a mi folio', 'mi folio es DH-20261125-000123', 'avance de mi trámite'],
          en: ['check my folio status', 'what is the status of my request', 'track my application'],
        },
      },
      {
        name: 'agendar_cita',
        phrases: {
          es: ['quiero agendar una cita', 'necesito una cita', 'sacar cita para mañana', 'programar cita', 'hay citas disponibles', 'reservar un turno', 'apartar una cita en la oficina', 'cita para el 15 de marzo', 'me pueden dar una cita', 'agenda de citas'],
          en: ['book an appointment', 'i need an appointment', 'schedule a visit'],
        },
      },
      {
        name: 'horario',
        phrases: {
          es: ['a qué hora abren', 'cuál es el horario de atención', 'horario de la oficina', 'abren los sábados', 'hasta qué hora atienden', 'qué días abren', 'horarios de servicio', 'a qué hora cierran', 'atienden en domingo', 'horario del módulo'],
          en: ['what are your opening hours', 'when do you open', 'are you open on saturday'],
        },
      },
      {
        name: 'requisitos_curp',
        phrases: {
          es: ['qué necesito para tramitar la curp', 'requisitos para la curp', 'cómo saco mi curp', 'documentos para la curp', 'tramitar curp por primera vez', 'corregir mi curp', 'mi curp tiene un error', 'imprimir mi curp', 'obtener la curp de mi hijo', 'dónde consigo mi curp'],
          en: ['how do i get my curp', 'curp requirements'],
        },
      },
      {
        name: 'hablar_agente',
        handoff: true,
        phrases: {
          es: ['quiero hablar con un agente', 'comunícame con una persona', 'necesito un asesor', 'hablar con un humano', 'pásame con alguien', 'quiero atención personal', 'un operador por favor', 'me atiende una persona', 'no quiero un robot', 'asesor humano'],
          en: ['talk to an agent', 'i want a human', 'speak with a person'],
        },
      },
      {
        name: 'saludo',
        phrases: {
          es: ['hola', 'buenos días', 'buenas tardes', 'qué tal', 'buenas noches', 'hola buen día', 'saludos', 'hola qué tal', 'buen día', 'holi'],
          en: ['hello', 'hi there', 'good morning'],
        },
      },
    ],
    ...overrides,
  });
}

/** Utterances none of the phrases above contain, each with the intent it means. */
export const heldOutSpanish: { utterance: string; intent: string }[] = [
  { utterance: 'cuál es el estado de mi trámite', intent: 'consultar_folio' },
  { utterance: 'quiero revisar el avance de mi solicitud', intent: 'consultar_folio' },
  { utterance: 'necesito agendar una cita por favor', intent: 'agendar_cita' },
  { utterance: 'quiero reservar una cita', intent: 'agendar_cita' },
  { utterance: 'qué horario tienen', intent: 'horario' },
  { utterance: 'a qué hora abren la oficina', intent: 'horario' },
  { utterance: 'requisitos para sacar la curp', intent: 'requisitos_curp' },
  { utterance: 'cómo corrijo un error en mi curp', intent: 'requisitos_curp' },
  { utterance: 'quiero hablar con una persona', intent: 'hablar_agente' },
  { utterance: 'pásame con un asesor', intent: 'hablar_agente' },
  { utterance: 'hola buenas tardes', intent: 'saludo' },
  { utterance: 'buenos días, qué tal', intent: 'saludo' },
];
