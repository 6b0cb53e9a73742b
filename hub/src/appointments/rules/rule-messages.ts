/**
 * What a citizen reads when a booking or a cancellation is refused: Spanish first, English second.
 * Figures (hours, days, limit) come from the campaign's `BookingRules`, never hard-coded.
 */
import { bilingual } from '../../router/config/routing-problem.js';
import type { BookingProblemCode, BookingRules, CancellationProblemCode, RuleProblem } from './appointment-rules.types.js';

type Texts = readonly [es: string, en: string];

function bookingTexts(code: BookingProblemCode, rules: BookingRules): Texts {
  switch (code) {
    case 'unknown_room':
      return ['El consultorio o ventanilla no existe', 'The room or desk does not exist'];
    case 'unknown_service':
      return ['El servicio no existe', 'The service does not exist'];
    case 'service_not_in_room':
      return ['Ese servicio no se ofrece en el consultorio elegido', 'That service is not offered in the chosen room'];
    case 'too_soon':
      return [
        `La cita debe reservarse con al menos ${rules.minLeadHours} horas de anticipación`,
        `Appointments must be booked at least ${rules.minLeadHours} hours ahead`,
      ];
    case 'too_far':
      return [
        `La cita no puede reservarse con más de ${rules.maxLeadDays} días naturales de anticipación`,
        `Appointments cannot be booked more than ${rules.maxLeadDays} calendar days ahead`,
      ];
    case 'holiday':
      return ['Ese día es inhábil; no hay citas', 'That day is a holiday; no appointments'];
    case 'blocked':
      return ['Ese horario está bloqueado; elija otro', 'That time is blocked; please choose another'];
    case 'excluded_time':
      return ['Ese horario no se ofrece para este servicio', 'That time is not offered for this service'];
    case 'outside_shift':
      return ['Ese horario está fuera de los turnos del consultorio', 'That time is outside the room’s shifts'];
    case 'not_a_slot':
      return ['Ese horario no coincide con el inicio de un espacio de cita', 'That time is not the start of an appointment slot'];
    case 'shift_full':
      return ['El turno ya no tiene lugares ese día', 'That shift is fully booked that day'];
    case 'slot_taken':
      return ['Ese horario ya fue reservado; elija otro', 'That slot is already booked; please choose another'];
    case 'family_limit':
      return [
        `Su grupo familiar ya tiene ${rules.maxActivePerFamily} citas activas; es el máximo permitido`,
        `Your family group already holds ${rules.maxActivePerFamily} active appointments, the maximum allowed`,
      ];
  }
}

function cancellationTexts(code: CancellationProblemCode, rules: BookingRules): Texts {
  switch (code) {
    case 'too_late_to_cancel':
      return [
        `La cita solo puede cancelarse con al menos ${rules.minCancelHours} horas de anticipación`,
        `Appointments can only be cancelled at least ${rules.minCancelHours} hours ahead`,
      ];
    case 'already_cancelled':
      return ['La cita ya estaba cancelada', 'The appointment was already cancelled'];
  }
}

function problem<C extends string>(code: C, [es, en]: Texts): RuleProblem<C> {
  return { code, message: bilingual(es, en), es, en };
}

export function bookingProblem(code: BookingProblemCode, rules: BookingRules): RuleProblem<BookingProblemCode> {
  return problem(code, bookingTexts(code, rules));
}

export function cancellationProblem(code: CancellationProblemCode, rules: BookingRules): RuleProblem<CancellationProblemCode> {
  return problem(code, cancellationTexts(code, rules));
}
