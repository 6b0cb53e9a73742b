import { describe, expect, it } from 'vitest';
import { surveyScoreOf, yesNoOf } from '../../../hub/src/appointments/reminders/appointment-reply.js';
import { addBusinessDays, isBusinessDay } from '../../../hub/src/appointments/reminders/business-days.js';

const text = (t: string) => ({ contentType: 'text', text: t });

describe('SÍ / NO replies', () => {
  it.each(['SÍ', 'si', 'Sí.', '¡Sí!', 'sí confirmo', 'Si, ahí estaré', '1', 'CONFIRMO', 'sí  '])('«%s» confirms', (t) => {
    expect(yesNoOf(text(t))).toBe('yes');
  });
  it.each(['NO', 'no', 'No.', 'no puedo', 'No asistiré', '2', 'NO GRACIAS'])('«%s» cancels', (t) => {
    expect(yesNoOf(text(t))).toBe('no');
  });
  it.each(['¿sí puedo cambiarla?', 'hola', 'si me pudiera cambiar la cita para otro dia', 'nosotros', '12', 'quiero información', ''])('«%s» is not an answer', (t) => {
    expect(yesNoOf(text(t))).toBeNull();
  });
  it('takes the SMS adapter choice (interactive replyId yes / no) and nothing from media', () => {
    expect(yesNoOf({ contentType: 'interactive', text: 'Si', replyId: 'yes' })).toBe('yes');
    expect(yesNoOf({ contentType: 'interactive', text: 'No', replyId: 'no' })).toBe('no');
    expect(yesNoOf({ contentType: 'image', text: 'sí' })).toBeNull();
  });
});

describe('survey scores', () => {
  it('reads a 1–5 score at the start and keeps the rest as comment', () => {
    expect(surveyScoreOf(text('5'))).toEqual({ score: 5, comment: null });
    expect(surveyScoreOf(text('4 muy buena atención'))).toEqual({ score: 4, comment: 'muy buena atención' });
    expect(surveyScoreOf(text('3. Tardaron en llamarme'))).toEqual({ score: 3, comment: 'Tardaron en llamarme' });
    expect(surveyScoreOf(text('6'))).toBeNull();
    expect(surveyScoreOf(text('10'))).toBeNull();
    expect(surveyScoreOf(text('excelente'))).toBeNull();
  });
});

describe('business days (Mon–Fri, campaign-wide holidays skipped)', () => {
  const calendar = { holidays: [{ date: '2026-12-01', name: 'Día inhábil' }, { date: '2026-12-02', name: 'Solo una oficina', officeId: 'umf-7' }] };
  it('5 business days after Thursday 26 Nov 2026 across a weekend and a holiday is Friday 4 Dec (an office-only holiday does not count)', () => {
    // Fri 27 (1), Sat 28 and Sun 29 skipped, Mon 30 (2), Tue 1 holiday, Wed 2 (3), Thu 3 (4), Fri 4 (5).
    expect(addBusinessDays(calendar, '2026-11-26', 5)).toBe('2026-12-04');
    expect(addBusinessDays({ holidays: [] }, '2026-11-26', 5)).toBe('2026-12-03');
    // From a Saturday: Mon 30 (1) … Fri 4 (4 with the holiday), Mon 7 (5).
    expect(addBusinessDays(calendar, '2026-11-28', 5)).toBe('2026-12-07');
    expect(isBusinessDay(calendar, '2026-12-01')).toBe(false);
    expect(isBusinessDay(calendar, '2026-12-02')).toBe(true);
    expect(isBusinessDay(calendar, '2026-11-29')).toBe(false);
  });
});
