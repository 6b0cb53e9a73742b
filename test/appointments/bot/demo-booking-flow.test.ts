import { describe, expect, it } from 'vitest';
import { demoBotModel, validateBotModel } from '@ventanilla/bots';
import { withAppointmentBooking } from '../../../hub/src/appointments/bot/demo-booking-flow.js';

/** The demo bot (seed/demo-bot.ts) books and cancels through the calendar; without a calendar it hands off as before. */
describe('the demo bot’s booking flows', () => {
  const validated = validateBotModel(withAppointmentBooking(demoBotModel));
  const model = validated.ok ? validated.model : null;
  const flow = (id: string) => model?.flows.find((f) => f.id === id);

  it('validates', () => {
    expect(validated.ok ? [] : validated.problems).toEqual([]);
  });

  it('agendar-cita: NSS → birth date → service → nearest slots → confirm → book, falling back to the citas médicas handoff', () => {
    const steps = flow('agendar-cita')?.steps ?? {};
    expect(steps['pedir-nss']).toMatchObject({ type: 'collect', kind: 'nss', next: 'pedir-nacimiento' });
    expect(steps['pedir-nacimiento']).toMatchObject({ type: 'collect', kind: 'date', next: 'servicio' });
    expect(steps['servicio']).toMatchObject({ type: 'appointment_service', next: 'horarios', onFail: 'canalizar' });
    expect(steps['horarios']).toMatchObject({ type: 'appointment_slots', next: 'confirmar-cita', onFail: 'canalizar' });
    const confirm = steps['confirmar-cita'];
    if (confirm?.type !== 'message') throw new Error('expected the confirmation message');
    expect(confirm.text.es).toBe('¿Confirmo su cita de {{appointment_service_name}} el {{appointment_when}}?');
    expect(confirm.buttons?.map((b) => [b.title.es, b.next])).toEqual([
      ['Sí, agendar', 'agendar'],
      ['Otro horario', 'horarios'],
      ['Hablar con un asesor', 'canalizar'],
    ]);
    expect(steps['agendar']).toMatchObject({ type: 'appointment_book', slotsStep: 'horarios' });
    expect(steps['agendar']?.type === 'appointment_book' && steps['agendar'].booked.es).toContain('{{appointment_folio}}');
    expect(steps['canalizar']).toMatchObject({ type: 'handoff', skills: ['citas_medicas'] });
  });

  it('cita_cancelar starts the cancellation by folio and NSS', () => {
    expect(model?.intents.find((i) => i.name === 'cita_cancelar')?.flow).toBe('cancelar-cita');
    expect(Object.values(flow('cancelar-cita')?.steps ?? {}).map((s) => s.type)).toEqual(['collect', 'collect', 'appointment_lookup', 'message', 'appointment_cancel', 'resolve']);
  });

  it('leaves a model without those flows as it was', () => {
    const plain = { name: 'Otro', intents: [{ name: 'hola', phrases: { es: ['hola'] }, answers: [{ es: 'Hola' }] }] };
    expect(withAppointmentBooking(plain)).toEqual({ ...plain, flows: [] });
  });
});
