import type { BotModelInput } from '@ventanilla/bots';

/**
 * TESTS ONLY: a citizen-service bot that books and cancels appointments through the hub's
 * calendar (issue 11): NSS + birth date, the campaign's service, the nearest slots as options,
 * a confirmation, the folio; cancelling by folio with the same NSS. Spanish first.
 */
export function bookingBotModel(): BotModelInput {
  return {
    name: 'Citas por asistente virtual (pruebas)',
    threshold: 0.7,
    maxFallbacks: 3,
    kb: { enabled: false, minScore: 1.5 },
    intents: [
      {
        name: 'agendar_cita',
        phrases: {
          es: ['quiero agendar una cita', 'necesito una cita', 'sacar cita', 'programar una cita', 'reservar cita', 'agendar consulta', 'cita médica', 'hacer una cita'],
          en: ['book an appointment', 'I need an appointment', 'schedule an appointment'],
        },
        flow: 'agendar',
      },
      {
        name: 'cancelar_cita',
        phrases: { es: ['quiero cancelar mi cita', 'cancelar cita', 'ya no puedo ir a mi cita', 'anular mi cita', 'cancelar mi consulta', 'no podré asistir a mi cita'], en: ['cancel my appointment'] },
        flow: 'cancelar',
      },
      {
        name: 'hablar_agente',
        phrases: { es: ['quiero hablar con un agente', 'pásame con un asesor', 'con una persona', 'necesito un asesor', 'hablar con alguien'], en: ['talk to a human'] },
        handoff: true,
      },
    ],
    flows: [
      {
        id: 'agendar',
        start: 'pedir-nss',
        steps: {
          'pedir-nss': { type: 'collect', field: 'nss', kind: 'nss', prompt: { es: '¿Cuál es su NSS (11 dígitos)?' }, invalid: { es: 'Ese NSS no es válido; revise los 11 dígitos.' }, next: 'pedir-nacimiento' },
          'pedir-nacimiento': { type: 'collect', field: 'fecha_nacimiento', kind: 'date', prompt: { es: '¿Cuál es su fecha de nacimiento?' }, invalid: { es: 'Escriba la fecha como 14/02/1985.' }, next: 'servicio' },
          servicio: { type: 'appointment_service', text: { es: '¿Para qué servicio es la cita?' }, next: 'horarios' },
          horarios: { type: 'appointment_slots', text: { es: 'Estos son los horarios más cercanos:' }, none: { es: 'No hay horarios libres por ahora.' }, limit: 3, next: 'confirmar' },
          confirmar: {
            type: 'message',
            text: { es: '¿Confirmo su cita de {{appointment_service_name}} el {{appointment_when}}?' },
            buttons: [
              { id: 'si', title: { es: 'Sí, confirmar' }, next: 'agendar' },
              { id: 'otro', title: { es: 'Otro horario' }, next: 'horarios' },
            ],
          },
          agendar: {
            type: 'appointment_book',
            booked: { es: 'Listo: su cita es el {{appointment_when}}. Su folio es {{appointment_folio}}.' },
            taken: { es: 'Ese horario se acaba de ocupar. Estos son los siguientes horarios libres:' },
            slotsStep: 'horarios',
          },
        },
      },
      {
        id: 'cancelar',
        start: 'pedir-folio',
        steps: {
          'pedir-folio': { type: 'collect', field: 'folio', kind: 'folio', prompt: { es: '¿Cuál es el folio de su cita?' }, invalid: { es: 'Ese folio no es válido.' }, next: 'pedir-nss' },
          'pedir-nss': { type: 'collect', field: 'nss', kind: 'nss', prompt: { es: '¿Con qué NSS la agendó?' }, invalid: { es: 'Ese NSS no es válido.' }, next: 'buscar' },
          buscar: {
            type: 'appointment_lookup',
            found: { es: 'Su cita {{appointment_folio}} es el {{appointment_when}} ({{appointment_status}}).' },
            notFound: { es: 'No encontré la cita {{appointment_folio}} con ese NSS.' },
            next: 'seguro',
          },
          seguro: {
            type: 'message',
            text: { es: '¿La cancelo?' },
            buttons: [
              { id: 'si', title: { es: 'Sí, cancelar' }, next: 'cancelar' },
              { id: 'no', title: { es: 'No' }, next: 'nada' },
            ],
          },
          cancelar: { type: 'appointment_cancel', cancelled: { es: 'Cancelé su cita {{appointment_folio}} del {{appointment_when}}.' }, notFound: { es: 'No encontré esa cita.' } },
          nada: { type: 'resolve', text: { es: 'Su cita sigue en pie.' }, survey: false },
        },
      },
    ],
  };
}

/**
 * One clinic in Mexico City open every day 07:00–21:00 (two rooms, family medicine, 20-minute
 * slots): whatever the real clock says, free slots exist from now + 12 h. Cancelling needs 6 h
 * (not 12), so an appointment booked a second earlier at the 12-hour edge can still be cancelled.
 */
export function everydayClinic() {
  const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return {
    definition: {
      timeZone: 'America/Mexico_City',
      offices: [{ id: 'umf-20', name: 'UMF 20' }],
      rooms: [
        { id: 'c1', officeId: 'umf-20', name: 'Consultorio 1', serviceIds: ['mf'] },
        { id: 'c2', officeId: 'umf-20', name: 'Consultorio 2', serviceIds: ['mf'] },
      ],
      services: [{ id: 'mf', name: 'Medicina familiar', slotMinutes: 20, excludedTimes: [] }],
      shifts: [
        { id: 'c1-dia', roomId: 'c1', name: 'Diario', weekdays: everyDay, start: '07:00', end: '21:00', capacity: 40 },
        { id: 'c2-dia', roomId: 'c2', name: 'Diario', weekdays: everyDay, start: '07:00', end: '21:00', capacity: 40 },
      ],
      blocked: [],
      holidays: [],
    },
    rules: { minCancelHours: 6 },
  };
}
