import { z } from 'zod';
import type { ScorecardItem } from '../db/schema-quality.js';

/** Weights are points of 100 with at most two decimals (quality_evaluations.score is numeric(5,2)). */
const toCents = (weight: number): number => Math.round(weight * 100);

export const scorecardItemSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]{1,40}$/, 'clave en minúsculas, dígitos y guion bajo (máx. 40) / lowercase key, digits and underscore (max 40)'),
    label: z.string().trim().min(1).max(200),
    weight: z
      .number()
      .min(0)
      .max(100)
      .refine((w) => Math.abs(toCents(w) - w * 100) < 1e-6, 'máximo dos decimales / at most two decimals'),
    critical: z.boolean(),
  })
  .refine((item) => item.weight > 0 || item.critical, { message: 'Un punto no crítico necesita un peso mayor que 0 / a non-critical item needs a weight above 0', path: ['weight'] });

/** A scorecard's items: unique ids, weights summing to exactly 100 (compared in hundredths). */
export const scorecardItemsSchema = z
  .array(scorecardItemSchema)
  .min(1)
  .max(50)
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    for (const [index, item] of items.entries()) {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `Clave repetida «${item.id}» / duplicate key "${item.id}"` });
      seen.add(item.id);
    }
    const total = items.reduce((sum, item) => sum + toCents(item.weight), 0);
    if (total !== 10_000) ctx.addIssue({ code: 'custom', message: `Los pesos deben sumar 100; suman ${(total / 100).toFixed(2)} / weights must sum to 100, they sum to ${(total / 100).toFixed(2)}` });
  });

export const scorecardNameSchema = z.string().trim().min(1).max(200);

/**
 * The default scorecard of a public-service contact centre. The seed's criteria (S003 L10240:
 * «información correcta y completa, procedimientos adecuados, análisis y comprensión
 * (sondeo/control) y etiqueta telefónica») plus the citizen-data duties: a wrong answer or
 * mishandled personal data voids the whole monitoring.
 */
export const DEFAULT_SCORECARD_NAME = 'Guía de monitoreo de calidad';
export const DEFAULT_SCORECARD_ITEMS: readonly ScorecardItem[] = [
  { id: 'saludo_institucional', label: 'Saludo institucional: nombre de la institución, del asesor y ofrecimiento de ayuda', weight: 10, critical: false },
  { id: 'identificacion_privacidad', label: 'Identificación del ciudadano y aviso de privacidad', weight: 15, critical: false },
  { id: 'informacion_correcta', label: 'Información correcta y completa (exactitud de la información)', weight: 25, critical: true },
  { id: 'datos_personales', label: 'Tratamiento adecuado de los datos personales (no se piden ni se revelan datos de más)', weight: 10, critical: true },
  { id: 'sondeo_control', label: 'Análisis y comprensión: sondeo y control de la atención', weight: 10, critical: false },
  { id: 'folio_tipificacion', label: 'Registro del folio y tipificación correcta', weight: 10, critical: false },
  { id: 'cortesia', label: 'Cortesía y etiqueta (telefónica o escrita)', weight: 10, critical: false },
  { id: 'cierre_encuesta', label: 'Cierre institucional e invitación a la encuesta de satisfacción', weight: 10, critical: false },
];
