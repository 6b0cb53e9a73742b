import type { SlaRowInput, SlaTableInput } from './sla-table.schema.js';

/** $37,000,000.00 with IVA (contract L156) / 1.16 = $31,896,551.72 without IVA. */
export const P9M0303_MAX_WITHOUT_IVA_CENTS = 3_189_655_172;

export interface GeneralSlaOptions {
  readonly campaignId: string;
  /** AHT target per appendix (e.g. CMT 4, OMT 10): the row is added only when given. */
  readonly ahtTargetMinutes?: number;
  /** Availability deduction per tenth of a point: OIC $10,000.00 (T&C L10244); the other campaigns' figure is not legible. */
  readonly availabilityPerTenthCents?: number;
  readonly maxContractAmountWithoutIvaCents?: number;
}

/**
 * The general deductions of T&C §14 (S003 L10176–L10266), which apply to every campaign in
 * addition to its appendix. A starting point the campaign admin edits, not a fixed rule set.
 * Fractions of a point count as printed ("por punto porcentual fuera": exact); appendices that say
 * "punto porcentual completo" (OMT, CMT) should switch the row to `full_units`.
 */
export function generalSlaTable(options: GeneralSlaOptions): SlaTableInput {
  const percentRow = (row: Omit<SlaRowInput, 'unitSize' | 'rounding' | 'deduction'> & { factor: number; weightPercent: number }): SlaRowInput => {
    const { factor, weightPercent, ...rest } = row;
    return { ...rest, unitSize: 1, rounding: 'exact', deduction: { kind: 'percent_of_invoice', factor, weightPercent } };
  };
  const rows: SlaRowInput[] = [
    percentRow({ id: 'abandono-m1-6', name: 'Porcentaje de abandono (mes 1 al 6)', kpi: 'abandonment', target: 5, direction: 'lte', factor: 0.5, weightPercent: 5, contractMonths: { from: 1, to: 6 }, seedRef: 'S003 L10211' }),
    percentRow({ id: 'abandono-m7', name: 'Porcentaje de abandono (mes 7 en adelante)', kpi: 'abandonment', target: 4, direction: 'lte', factor: 0.6, weightPercent: 6, contractMonths: { from: 7 }, seedRef: 'S003 L10212' }),
    percentRow({ id: 'tiempo-atencion', name: 'Tiempo de atención (atendidas antes de 20 s)', kpi: 'service_level', target: 80, direction: 'gte', factor: 0.5, weightPercent: 5, seedRef: 'S003 L10213, L10233' }),
    percentRow({ id: 'respuesta-chat-correo', name: 'Tiempo de respuesta de chats y correos (13 h naturales)', kpi: 'response_within_limit', target: 95, direction: 'gte', factor: 0.2, weightPercent: 2, seedRef: 'S003 L10233–L10234' }),
    percentRow({ id: 'transferencia-encuesta', name: 'Transferencia a encuesta de calidad', kpi: 'survey_transfer', target: 75, direction: 'gte', factor: 0.2, weightPercent: 2, seedRef: 'S003 L10124, L10225' }),
    percentRow({ id: 'satisfaccion', name: 'Satisfacción del usuario', kpi: 'satisfaction', target: 85, direction: 'gte', factor: 0.5, weightPercent: 5, seedRef: 'S003 L10225–L10226' }),
    percentRow({ id: 'calidad', name: 'Calidad de operación', kpi: 'quality', target: 95, direction: 'gte', factor: 0.3, weightPercent: 3, seedRef: 'S003 L10240' }),
  ];
  if (options.ahtTargetMinutes !== undefined) {
    rows.push(percentRow({ id: 'aht', name: 'Tiempo promedio de atención (AHT)', kpi: 'aht', target: options.ahtTargetMinutes, direction: 'lte', factor: 0.5, weightPercent: 7, seedRef: 'S003 L5635, L5873' }));
  }
  if (options.availabilityPerTenthCents !== undefined) {
    rows.push({
      id: 'disponibilidad',
      name: 'Disponibilidad del servicio',
      kpi: 'availability',
      target: 98.9,
      direction: 'gte',
      unitSize: 0.1,
      rounding: 'fraction_up',
      deduction: { kind: 'fixed_per_unit', amountCents: options.availabilityPerTenthCents },
      capPercentOfInvoice: 20,
      seedRef: 'S003 L10244',
    });
  }
  return {
    campaignId: options.campaignId,
    rows,
    globalCap: { maxContractAmountWithoutIvaCents: options.maxContractAmountWithoutIvaCents ?? P9M0303_MAX_WITHOUT_IVA_CENTS, percent: 10 },
  };
}
