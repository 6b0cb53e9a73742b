import type { BotModelInput } from '@ventanilla/bots';

/**
 * A small Spanish model the runtime tests control: a greeting, "quiero un asesor", a flow that
 * collects an NSS, a folio look-up, a goodbye that resolves (without and with the exit survey),
 * and a flow that hands off to a named skill. No knowledge base: fallbacks stay fallbacks.
 */
export function runtimeTestModel(options: { skill?: string } = {}): BotModelInput {
  return {
    name: 'Modelo de prueba del runtime',
    threshold: 0.6,
    maxFallbacks: 2,
    idleMinutes: 5,
    kb: { enabled: false, minScore: 1.5 },
    intents: [
      {
        name: 'saludo',
        phrases: { es: ['hola', 'buenos días', 'buenas tardes', 'qué tal', 'buenas noches', 'hola buen día', 'saludos', 'hola qué tal', 'buen día', 'holi'], en: [] },
        answers: [{ es: 'Hola, ¿en qué le puedo ayudar?', en: 'Hi, how can I help?' }],
      },
      {
        name: 'hablar_agente',
        handoff: true,
        phrases: {
          es: ['quiero hablar con un agente', 'comunícame con una persona', 'necesito un asesor', 'hablar con un humano', 'pásame con alguien', 'quiero atención personal', 'un operador por favor', 'me atiende una persona', 'no quiero un robot', 'asesor humano'],
          en: [],
        },
      },
      {
        name: 'registrar_nss',
        flow: 'registro',
        phrases: {
          es: ['quiero registrar mi nss', 'dar de alta mi número de seguro social', 'registrar mi número de seguridad social', 'alta de nss', 'quiero dar mi nss', 'actualizar mi nss', 'capturar mi número de seguro social', 'registro de nss', 'agregar mi nss', 'guardar mi número de seguro social'],
          en: [],
        },
      },
      {
        name: 'consultar_folio',
        flow: 'folio',
        phrases: {
          es: ['quiero saber el estado de mi folio', 'cómo va mi trámite', 'consultar folio', 'estatus de mi solicitud', 'ya quedó mi trámite', 'revisar mi número de folio', 'en qué va mi solicitud', 'seguimiento a mi folio', 'estado de mi folio', 'avance de mi trámite'],
          en: [],
        },
      },
      {
        name: 'despedida',
        flow: 'cierre',
        phrases: {
          es: ['gracias eso es todo', 'muchas gracias ya quedó', 'eso era todo gracias', 'ya no necesito nada más', 'listo gracias', 'gracias por la ayuda', 'es todo muchas gracias', 'perfecto gracias adiós', 'hasta luego gracias', 'ya me ayudaste gracias'],
          en: [],
        },
      },
      {
        name: 'calificar',
        flow: 'cierre_encuesta',
        phrases: {
          es: ['quiero calificar la atención', 'deseo evaluar el servicio', 'califico el servicio', 'evaluar la atención', 'quiero dar mi opinión del servicio', 'calificar al asistente', 'dejar una calificación', 'evaluación del servicio', 'quiero poner una calificación', 'opinar sobre la atención'],
          en: [],
        },
      },
      {
        name: 'pensiones',
        flow: 'canalizar',
        phrases: {
          es: ['tengo una duda de mi pensión', 'quiero tramitar mi pensión', 'información de pensiones', 'pensión por vejez', 'cuándo me pagan la pensión', 'requisitos de pensión', 'problema con mi pensión', 'pensión de viudez', 'me negaron la pensión', 'consulta de pensión'],
          en: [],
        },
      },
    ],
    flows: [
      {
        id: 'registro',
        start: 'pedir',
        steps: {
          pedir: {
            type: 'collect',
            field: 'nss',
            kind: 'nss',
            prompt: { es: 'Escriba su NSS de 11 dígitos.' },
            invalid: { es: 'Ese NSS no es válido; revise los 11 dígitos.' },
            maxAttempts: 3,
            next: 'listo',
          },
          listo: { type: 'message', text: { es: 'Gracias, registramos el NSS {{nss}}.' } },
        },
      },
      {
        id: 'folio',
        start: 'pedir',
        steps: {
          pedir: {
            type: 'collect',
            field: 'folio',
            kind: 'folio',
            prompt: { es: 'Escriba su folio, por ejemplo AB-20260101-000001.' },
            invalid: { es: 'Ese folio no tiene el formato correcto.' },
            next: 'ver',
          },
          ver: { type: 'folio_status', field: 'folio', found: { es: 'Su folio {{folio}} está {{status}}.' }, notFound: { es: 'No encontramos el folio {{folio}}.' } },
        },
      },
      { id: 'cierre', start: 'fin', steps: { fin: { type: 'resolve', text: { es: 'Con gusto, hasta pronto.' }, survey: false } } },
      { id: 'cierre_encuesta', start: 'fin', steps: { fin: { type: 'resolve', text: { es: 'Gracias por usar el asistente.' }, survey: true } } },
      {
        id: 'canalizar',
        start: 'pasar',
        steps: { pasar: { type: 'handoff', skills: [options.skill ?? 'pensiones'], text: { es: 'Le paso con un especialista en pensiones.' } } },
      },
    ],
  };
}
