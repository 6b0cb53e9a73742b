import { describe, expect, it } from 'vitest';
import { generalSlaTable } from './general-sla-table.js';
import { slaTableSchema } from './sla-table.schema.js';

const row = {
  id: 'nivel-servicio',
  name: 'Nivel de servicio',
  kpi: 'service_level',
  target: 80,
  direction: 'gte',
  rounding: 'exact',
  deduction: { kind: 'percent_of_invoice', factor: 0.5, weightPercent: 5 },
};
const table = { campaignId: 'dyc', rows: [row], globalCap: { maxContractAmountWithoutIvaCents: 3_189_655_172 } };

describe('slaTableSchema', () => {
  it('fills the defaults (unit 1 point, global cap 10 %)', () => {
    const parsed = slaTableSchema.parse(table);
    expect(parsed.rows[0]?.unitSize).toBe(1);
    expect(parsed.globalCap.percent).toBe(10);
  });

  it('rejects duplicate row ids with a Spanish message', () => {
    const result = slaTableSchema.safeParse({ ...table, rows: [row, row] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('únicos');
  });

  it('rejects factors with more than 6 decimals, unknown KPIs, bad months and unknown keys', () => {
    expect(slaTableSchema.safeParse({ ...table, rows: [{ ...row, deduction: { kind: 'percent_of_invoice', factor: 0.1234567, weightPercent: 5 } }] }).success).toBe(false);
    expect(slaTableSchema.safeParse({ ...table, rows: [{ ...row, kpi: 'nps' }] }).success).toBe(false);
    expect(slaTableSchema.safeParse({ ...table, rows: [{ ...row, contractMonths: { from: 7, to: 6 } }] }).success).toBe(false);
    expect(slaTableSchema.safeParse({ ...table, rows: [{ ...row, weight: 5 }] }).success).toBe(false);
    expect(slaTableSchema.safeParse({ ...table, rows: [{ ...row, unitSize: 0 }] }).success).toBe(false);
  });

  it('accepts the general T&C table with its optional rows', () => {
    const parsed = slaTableSchema.parse(generalSlaTable({ campaignId: 'oic', ahtTargetMinutes: 4, availabilityPerTenthCents: 1_000_000 }));
    expect(parsed.rows.map((r) => r.id)).toEqual([
      'abandono-m1-6',
      'abandono-m7',
      'tiempo-atencion',
      'respuesta-chat-correo',
      'transferencia-encuesta',
      'satisfaccion',
      'calidad',
      'aht',
      'disponibilidad',
    ]);
    expect(slaTableSchema.parse(generalSlaTable({ campaignId: 'x' })).rows).toHaveLength(7);
  });
});
