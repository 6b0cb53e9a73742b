import type { BotModelInput } from '@ventanilla/bots';

type FlowInput = NonNullable<BotModelInput['flows']>[number];
type StepInput = FlowInput['steps'][string];

/**
 * The demo bot books and cancels appointments (issue 11) where the campaign has a calendar. The
 * demo model's `agendar-cita` collects the NSS and the birth date and hands off to «citas
 * médicas»; here, after the birth date, it offers the services and the nearest slots, confirms and
 * books — and without a calendar (`onFail`) it still hands off as before. `cita_cancelar` cancels
 * by folio and NSS instead of only explaining how.
 */
const BOOKING_STEPS: Record<string, StepInput> = {
  servicio: {
    type: 'appointment_service',
    text: { es: '¿Para qué servicio es la cita?', en: 'Which service is the appointment for?' },
    next: 'horarios',
    onFail: 'canalizar',
  },
  horarios: {
    type: 'appointment_slots',
    text: { es: 'Estos son los horarios libres más cercanos. Elija uno:', en: 'These are the nearest free times. Choose one:' },
    none: { es: 'Por ahora no hay horarios libres en los próximos días.', en: 'There are no free times in the coming days right now.' },
    limit: 5,
    next: 'confirmar-cita',
    onFail: 'canalizar',
  },
  'confirmar-cita': {
    type: 'message',
    text: { es: '¿Confirmo su cita de {{appointment_service_name}} el {{appointment_when}}?', en: 'Shall I book your {{appointment_service_name}} appointment on {{appointment_when}}?' },
    buttons: [
      { id: 'confirmar', title: { es: 'Sí, agendar', en: 'Yes, book it' }, next: 'agendar' },
      { id: 'otro-horario', title: { es: 'Otro horario', en: 'Another time' }, next: 'horarios' },
      { id: 'asesor', title: { es: 'Hablar con un asesor', en: 'Talk to an agent' }, next: 'canalizar' },
    ],
  },
  agendar: {
    type: 'appointment_book',
    booked: {
      es: 'Listo, su cita quedó agendada para el {{appointment_when}}. Su folio es {{appointment_folio}}; consérvelo para confirmar o cancelar. Llegue 15 minutos antes con su identificación.',
      en: 'Done, your appointment is booked for {{appointment_when}}. Your folio is {{appointment_folio}}; keep it to confirm or cancel. Please arrive 15 minutes early with your ID.',
    },
    taken: { es: 'Ese horario se acaba de ocupar. Estos son los siguientes horarios libres:', en: 'That time was just taken. These are the next free times:' },
    slotsStep: 'horarios',
  },
};

const CANCEL_FLOW: FlowInput = {
  id: 'cancelar-cita',
  description: 'Cancela una cita por folio y NSS (al menos 12 horas antes).',
  start: 'pedir-folio',
  steps: {
    'pedir-folio': {
      type: 'collect',
      field: 'folio',
      kind: 'folio',
      prompt: { es: 'Con gusto. ¿Cuál es el folio de su cita (por ejemplo CITA-20261130-000123)?', en: 'Sure. What is your appointment folio (e.g. CITA-20261130-000123)?' },
      invalid: { es: 'Ese no parece un folio de cita. Escríbalo completo, como CITA-20261130-000123.', en: "That doesn't look like an appointment folio. Type it in full, like CITA-20261130-000123." },
      next: 'pedir-nss',
    },
    'pedir-nss': {
      type: 'collect',
      field: 'nss',
      kind: 'nss',
      prompt: { es: '¿Con qué NSS (11 dígitos) agendó la cita?', en: 'Which NSS (11 digits) was the appointment booked with?' },
      invalid: { es: 'Ese NSS no es válido; revise los 11 dígitos.', en: "That NSS isn't valid; check the 11 digits." },
      next: 'buscar',
    },
    buscar: {
      type: 'appointment_lookup',
      found: { es: 'Su cita {{appointment_folio}} es el {{appointment_when}} ({{appointment_status}}).', en: 'Your appointment {{appointment_folio}} is on {{appointment_when}} ({{appointment_status}}).' },
      notFound: { es: 'No encontré una cita con el folio {{appointment_folio}} y ese NSS.', en: "I couldn't find an appointment with folio {{appointment_folio}} and that NSS." },
      next: 'seguro',
    },
    seguro: {
      type: 'message',
      text: { es: '¿La cancelo?', en: 'Shall I cancel it?' },
      buttons: [
        { id: 'cancelar', title: { es: 'Sí, cancelar', en: 'Yes, cancel' }, next: 'cancelar' },
        { id: 'conservar', title: { es: 'No, conservarla', en: 'No, keep it' }, next: 'conservar' },
      ],
    },
    cancelar: {
      type: 'appointment_cancel',
      cancelled: { es: 'Su cita {{appointment_folio}} del {{appointment_when}} quedó cancelada y el horario se liberó.', en: 'Your appointment {{appointment_folio}} on {{appointment_when}} is cancelled and the time is free again.' },
      notFound: { es: 'No encontré esa cita.', en: "I couldn't find that appointment." },
    },
    conservar: { type: 'resolve', text: { es: 'De acuerdo, su cita sigue en pie.', en: 'All right, your appointment stays as it is.' }, survey: false },
  },
};

function isCollect(step: StepInput | undefined): step is Extract<StepInput, { type: 'collect' }> {
  return step?.type === 'collect';
}

/** The demo model with booking and cancelling through the calendar; unchanged when its flows are not the expected ones. */
export function withAppointmentBooking(model: BotModelInput): BotModelInput {
  const flows = (model.flows ?? []).map((flow) => {
    const birth = flow.steps['pedir-nacimiento'];
    if (flow.id !== 'agendar-cita' || !isCollect(birth) || flow.steps['canalizar'] === undefined) return flow;
    return { ...flow, steps: { ...flow.steps, 'pedir-nacimiento': { ...birth, next: 'servicio' }, ...BOOKING_STEPS } };
  });
  const hasCancelIntent = model.intents.some((i) => i.name === 'cita_cancelar');
  return {
    ...model,
    intents: model.intents.map((i) => (i.name === 'cita_cancelar' ? { ...i, flow: CANCEL_FLOW.id } : i)),
    flows: hasCancelIntent ? [...flows, CANCEL_FLOW] : flows,
  };
}

