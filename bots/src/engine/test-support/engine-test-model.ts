import { botModelSchema, type BotModel } from '../../model.schema.js';

/**
 * TESTS ONLY: a small Spanish/English citizen-service bot exercising every step kind: an FAQ
 * answer, appointment booking (collect NSS and birth date, confirm with buttons), a folio
 * lookup, a four-option menu (more options than WhatsApp's three buttons) and "un asesor".
 */
export const engineTestModel: BotModel = botModelSchema.parse({
  name: 'Bot de pruebas del motor',
  threshold: 0.7,
  maxFallbacks: 2,
  greeting: { es: 'Hola, soy el asistente virtual.', en: "Hi, I'm the virtual assistant." },
  intents: [
    {
      name: 'horario',
      phrases: {
        es: ['a qué hora abren', 'cuál es el horario de atención', 'horario de las oficinas', 'qué días atienden', 'hasta qué hora están abiertos', 'abren los sábados', 'horarios de servicio', 'cuándo puedo ir a la oficina', 'a qué hora cierran', 'qué horario tienen'],
        en: ['what time do you open', 'what are your opening hours', 'office hours', 'when are you open', 'what time do you close', 'are you open on saturday', 'business hours', 'opening times', 'when can I visit the office', 'what days are you open'],
      },
      answers: [{ es: 'Atendemos de lunes a viernes de 8:00 a 15:00 h.', en: 'We are open Monday to Friday, 8 am to 3 pm.' }],
    },
    {
      name: 'agendar_cita',
      phrases: {
        es: ['quiero agendar una cita', 'necesito una cita', 'cómo saco cita', 'programar una cita', 'reservar cita', 'me pueden dar una cita', 'quiero sacar cita para un trámite', 'agendar cita en la clínica', 'solicitar una cita', 'cita para mañana'],
        en: ['I want to book an appointment', 'schedule an appointment', 'I need an appointment', 'make an appointment', 'book a visit'],
      },
      flow: 'agendar-cita',
    },
    {
      name: 'consultar_folio',
      phrases: {
        es: ['quiero saber el estado de mi folio', 'cómo va mi trámite', 'consultar mi folio', 'estatus de mi solicitud', 'en qué va mi folio', 'seguimiento de mi trámite', 'revisar el estado de mi folio', 'mi folio es', 'ya quedó mi trámite', 'estado de mi solicitud'],
        en: ['check my folio', 'status of my request', 'track my application'],
      },
      flow: 'consulta-folio',
    },
    {
      name: 'menu_tramites',
      phrases: {
        es: ['qué trámites hay', 'menú de trámites', 'qué servicios ofrecen', 'lista de trámites', 'opciones de trámites', 'qué puedo hacer aquí', 'ver los trámites', 'trámites disponibles', 'catálogo de servicios', 'qué servicios tienen'],
        en: [],
      },
      flow: 'menu',
    },
    {
      name: 'hablar_agente',
      phrases: {
        es: ['quiero hablar con un agente', 'pásame con un asesor', 'quiero hablar con una persona', 'comunícame con un humano', 'necesito un asesor', 'hablar con alguien', 'con un operador por favor', 'quiero un agente humano', 'atención personalizada', 'no quiero hablar con un robot'],
        en: ['I want to talk to an agent', 'talk to a human', 'speak with a person', 'connect me to an agent', 'human please'],
      },
      handoff: true,
    },
  ],
  flows: [
    {
      id: 'agendar-cita',
      start: 'pedir-nss',
      steps: {
        'pedir-nss': {
          type: 'collect',
          field: 'nss',
          kind: 'nss',
          prompt: { es: 'Con gusto. ¿Cuál es su número de seguridad social (NSS, 11 dígitos)?', en: 'Sure. What is your social security number (NSS, 11 digits)?' },
          invalid: { es: 'Ese NSS no es válido; revise los 11 dígitos e intente de nuevo.', en: 'That NSS is not valid; check the 11 digits and try again.' },
          maxAttempts: 3,
          next: 'pedir-fecha',
        },
        'pedir-fecha': {
          type: 'collect',
          field: 'fecha',
          kind: 'date',
          prompt: { es: '¿Para qué fecha quiere la cita?', en: 'For which date?' },
          invalid: { es: 'No entendí la fecha; escríbala como 15/03/2027.', en: 'I did not get the date; write it as 03/15/2027.' },
          next: 'confirmar',
        },
        confirmar: {
          type: 'message',
          text: { es: '¿Confirmo su cita del {{fecha}} para el NSS {{nss}}?', en: 'Shall I confirm your appointment on {{fecha}} for NSS {{nss}}?' },
          buttons: [
            { id: 'si', title: { es: 'Sí, confirmar', en: 'Yes, confirm' }, next: 'listo' },
            { id: 'asesor', title: { es: 'Hablar con un asesor', en: 'Talk to an agent' }, next: 'pasar' },
          ],
        },
        listo: { type: 'resolve', text: { es: 'Su cita quedó registrada. ¡Gracias!', en: 'Your appointment is booked. Thank you!' }, survey: true },
        pasar: { type: 'handoff', skills: ['citas'], text: { es: 'Le paso con un asesor de citas.', en: 'Transferring you to an appointments agent.' } },
      },
    },
    {
      id: 'consulta-folio',
      start: 'pedir-folio',
      steps: {
        'pedir-folio': {
          type: 'collect',
          field: 'folio',
          kind: 'folio',
          prompt: { es: 'Escriba su folio (por ejemplo DH-20261126-000123).', en: 'Type your folio (e.g. DH-20261126-000123).' },
          invalid: { es: 'Ese folio no tiene el formato correcto.', en: 'That folio is not in the right format.' },
          next: 'buscar',
        },
        buscar: {
          type: 'folio_status',
          field: 'folio',
          found: { es: 'Su folio {{folio}} está {{status}} (actualizado el {{updated}}).', en: 'Your folio {{folio}} is {{status}} (updated {{updated}}).' },
          notFound: { es: 'No encontré el folio {{folio}}. Revíselo por favor.', en: 'I could not find folio {{folio}}.' },
          next: 'algo-mas',
        },
        'algo-mas': {
          type: 'message',
          text: { es: '¿Le ayudo con algo más?', en: 'Anything else?' },
          buttons: [
            { id: 'otra', title: { es: 'Otra consulta', en: 'Another question' }, next: 'fin' },
            { id: 'asesor', title: { es: 'Hablar con un asesor', en: 'Talk to an agent' }, next: 'pasar' },
          ],
        },
        fin: { type: 'message', text: { es: 'Claro, escriba su pregunta.', en: 'Sure, type your question.' } },
        pasar: { type: 'handoff' },
      },
    },
    {
      id: 'menu',
      start: 'opciones',
      steps: {
        opciones: {
          type: 'message',
          text: { es: 'Estos son los trámites en línea:' },
          links: [{ title: { es: 'Portal de trámites' }, url: 'https://tramites.example.gob.mx' }],
          buttons: [
            { id: 'acta', title: { es: 'Acta de nacimiento' }, next: 'acta' },
            { id: 'predial', title: { es: 'Pago de predial' }, next: 'predial' },
            { id: 'licencia', title: { es: 'Licencia de conducir' }, next: 'licencia' },
            { id: 'pension', title: { es: 'Pensión' }, next: 'pension' },
          ],
        },
        acta: { type: 'resolve', text: { es: 'El acta se tramita en línea con su CURP.' } },
        predial: { type: 'resolve', text: { es: 'El predial se paga en la tesorería.' } },
        licencia: { type: 'resolve', text: { es: 'La licencia requiere cita.' } },
        pension: { type: 'resolve', text: { es: 'La pensión se solicita en la subdelegación.' } },
      },
    },
  ],
});
