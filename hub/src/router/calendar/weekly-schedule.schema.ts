import { z } from 'zod';
import { isKnownTimeZone } from './local-time.js';

/** 00:00–23:59, plus 24:00 so a day can close at midnight ("de las 07:00 a las 24:00", L3123). */
const HH_MM = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** Minutes after local midnight of an `HH:MM` value, or NaN when it is not one. */
export function minutesOf(hhmm: string): number {
  return HH_MM.test(hhmm) ? Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)) : Number.NaN;
}

const timeSchema = z
  .string()
  .regex(HH_MM, 'Hora inválida, use HH:MM entre 00:00 y 24:00 / invalid time, use HH:MM between 00:00 and 24:00');

export const openingIntervalSchema = z
  .strictObject({ open: timeSchema, close: timeSchema })
  .refine(
    // NaN means the format check already reported the value; don't pile a second error on it.
    ({ open, close }) => Number.isNaN(minutesOf(open)) || Number.isNaN(minutesOf(close)) || minutesOf(open) < minutesOf(close),
    { message: 'La apertura debe ser anterior al cierre / open must be before close', path: ['close'] },
  );

export type OpeningInterval = z.infer<typeof openingIntervalSchema>;

const intervalListSchema = z.array(openingIntervalSchema).superRefine((intervals, ctx) => {
  const sorted = intervals.map((interval, index) => ({ ...interval, index })).sort((a, b) => minutesOf(a.open) - minutesOf(b.open));
  for (let i = 1; i < sorted.length; i += 1) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    // Touching intervals (08:00–14:00, 14:00–20:00) are fine: close is exclusive.
    if (previous && current && minutesOf(current.open) < minutesOf(previous.close)) {
      ctx.addIssue({
        code: 'custom',
        message: `Los intervalos ${previous.open}–${previous.close} y ${current.open}–${current.close} se traslapan / intervals overlap`,
        path: [current.index],
      });
    }
  }
});

/**
 * Service window of one campaign/channel, in wall-clock time of `timeZone` (the seed's "hora del
 * centro", L3108, is America/Mexico_City). Each day holds zero or more half-open [open, close)
 * intervals; an empty list means closed all day.
 */
export const weeklyScheduleSchema = z.strictObject({
  timeZone: z.string().refine(isKnownTimeZone, {
    error: (issue) => `Zona horaria IANA desconocida / unknown IANA time zone: ${String(issue.input)}`,
  }),
  days: z.strictObject({
    mon: intervalListSchema,
    tue: intervalListSchema,
    wed: intervalListSchema,
    thu: intervalListSchema,
    fri: intervalListSchema,
    sat: intervalListSchema,
    sun: intervalListSchema,
  }),
  /** What a holiday of the campaign calendar looks like: closed, or its own window (MST 07–22). */
  holidays: z.union([z.literal('closed'), intervalListSchema], {
    error: 'Use "closed" o una lista de intervalos / use "closed" or a list of intervals',
  }),
  /**
   * Optional window for a holiday whose previous day is a working day that runs until 24:00:
   * the night shift simply carries on. MST: "Si precede de un día hábil se tiene servicio desde
   * las 00:00 horas por parte del agente del turno nocturno" (L3127, L6385).
   */
  holidaysAfterOvernightShift: intervalListSchema.optional(),
});

export type WeeklySchedule = z.infer<typeof weeklyScheduleSchema>;
