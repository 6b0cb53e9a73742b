import type { Statement } from '../../../hub/src/billing/billing.contract.js';

/**
 * A hand-built statement (October 2026) covering every section the files show. The figures are
 * computed here by hand, so the export tests check formatting, not the statement's arithmetic.
 *
 * Lines (price × quantity × tariff):
 * - ps_i_inbound (minute): 7,530.25 s = 125 min 30.25 s → 125 min × $2.38 = 29,750 ¢ ($297.50),
 *   remainder 30.25 s not billed; 3 facts.
 * - chat (minute_seconds): 90 s = 1.5 min × $2.38 = 357 ¢ ($3.57).
 * - email_out (message): 100 % + 100 % + 50 % = 2.5 × $17.74 = 4,435 ¢ ($44.35).
 * - ps_i_inbound adjustment of the closed 2026-09: 61 s → 1 min × $2.38 = 238 ¢, remainder 1 s.
 * - help_desk (service, fixed): 1 × $20,285.78 = 2,028,578 ¢.
 * Subtotal = 29,750 + 357 + 4,435 + 238 + 2,028,578 = 2,063,358 ¢ ($20,633.58).
 * Deductions applied: 10,000 ¢ (the proposed 5,000 ¢ one is not applied). Penalties: 2 days × 1,500 ¢ = 3,000 ¢.
 * Base = 2,063,358 − 10,000 − 3,000 = 2,050,358 ¢ ($20,503.58).
 * IVA 16 % = 2,050,358 × 0.16 = 328,057.28 → 328,057 ¢ ($3,280.57). Total = 2,378,415 ¢ ($23,784.15).
 */
export const FIXTURE_TOTALS = {
  subtotal: '$20,633.58',
  deductions: '$100.00',
  penalties: '$30.00',
  base: '$20,503.58',
  iva: '$3,280.57',
  total: '$23,784.15',
} as const;

export function fixtureStatement(overrides: Partial<Statement> = {}): Statement {
  return {
    campaignId: '11111111-2222-4333-8444-555555555555',
    month: '2026-10',
    status: 'open',
    timeZone: 'America/Mexico_City',
    rateCard: { id: '99999999-8888-4777-8666-555555555555', version: 3 },
    currency: 'MXN',
    lines: [
      {
        kind: 'usage',
        conceptCode: 'ps_i_inbound',
        name: 'Entrante PS-I por líneas del proveedor',
        unit: 'minute',
        usageMonth: '2026-10',
        quantity: 125,
        exactSeconds: 7530.25,
        remainderSeconds: 30.25,
        factCount: 3,
        unitPriceCents: 238,
        tariffPct: 100,
        amountCents: 29_750,
        trace: 'Σ 7,530.25 s de 3 hechos → ⌊7,530.25 / 60⌋ = 125 min × $2.38 = $297.50',
      },
      {
        kind: 'usage',
        conceptCode: 'chat',
        name: 'Atención por chat',
        unit: 'minute_seconds',
        usageMonth: '2026-10',
        quantity: 1.5,
        exactSeconds: 90,
        remainderSeconds: 0,
        factCount: 2,
        unitPriceCents: 238,
        tariffPct: 100,
        amountCents: 357,
        trace: '90 s = 1.5 min × $2.38 = $3.57',
      },
      {
        kind: 'usage',
        conceptCode: 'email_out',
        name: 'Correo saliente',
        unit: 'message',
        usageMonth: '2026-10',
        quantity: 2.5,
        exactSeconds: null,
        remainderSeconds: null,
        factCount: 3,
        unitPriceCents: 1774,
        tariffPct: 100,
        amountCents: 4435,
        trace: '100 % + 100 % + 50 % = 2.5 mensajes × $17.74 = $44.35',
      },
      {
        kind: 'adjustment',
        conceptCode: 'ps_i_inbound',
        name: 'Entrante PS-I por líneas del proveedor',
        unit: 'minute',
        usageMonth: '2026-09',
        quantity: 1,
        exactSeconds: 61,
        remainderSeconds: 1,
        factCount: 1,
        unitPriceCents: 238,
        tariffPct: 100,
        amountCents: 238,
        trace: 'Uso tardío de 2026-09 (cerrado): 61 s → 1 min × $2.38',
      },
      {
        kind: 'fixed',
        conceptCode: 'help_desk',
        name: 'Mesa de ayuda',
        unit: 'service',
        usageMonth: '2026-10',
        quantity: 1,
        exactSeconds: null,
        remainderSeconds: null,
        factCount: 0,
        unitPriceCents: 2_028_578,
        tariffPct: 100,
        amountCents: 2_028_578,
        trace: 'Cuota mensual fija: 1 servicio × $20,285.78',
      },
    ],
    subtotalCents: 2_063_358,
    deductions: [
      { source: 'sla', description: 'Nivel de servicio de voz', evaluationId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', status: 'validated', conceptCode: 'ps_i_inbound', proposedCents: 10_000, appliedCents: 10_000, trace: 'Evaluación validada' },
      { source: 'sla', description: 'Abandono diario', evaluationId: null, status: 'proposed', conceptCode: null, proposedCents: 5000, appliedCents: 0, trace: 'Propuesta sin validar: no se aplica' },
    ],
    penalties: [{ id: 'p-1', description: '=SUM(A1) entrega tardía del reporte', kind: 'per_day', units: 2, amountPerUnitCents: 1500, proposedCents: 3000, appliedCents: 3000, trace: '2 días × $15.00' }],
    deductionsCents: 10_000,
    penaltiesCents: 3000,
    taxableCents: 2_050_358,
    ivaPct: 16,
    ivaCents: 328_057,
    totalCents: 2_378_415,
    consumption: [
      {
        conceptCode: 'ps_i_inbound',
        name: 'Entrante PS-I por líneas del proveedor',
        minQuantity: 400,
        maxQuantity: 1000,
        monthly: [
          { month: '2026-09', quantity: 51 },
          { month: '2026-10', quantity: 125 },
        ],
        // 51 + 125 = 176 consumed; 1000 − 176 = 824 left; 176 / 1000 = 17.6 % burned.
        consumedToDate: 176,
        remainingToMax: 824,
        // Average 88 per month × 4 months of term (Sep–Dec) = 352 < 400 → below the minimum.
        forecastAtTermEnd: 352,
        forecastStatus: 'below_min',
      },
    ],
    excluded: [{ folio: 'OMT-2026-000123', conversationId: null, callSid: 'CA0123456789abcdef', problem: 'missing_recording', meters: ['ivr_time', 'interaction_time'], seconds: 95.5, items: 0 }],
    unpriced: [{ meter: 'agent_time', description: 'agent_time · PS-P · voz', usageMonth: '2026-10', exactSeconds: 120, items: 0, factCount: 1 }],
    inputsHash: '3f1c2a9b7d8e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a',
    ...overrides,
  };
}

export const FIXTURE_META = { campaignName: 'Orientación Médica Telefónica', generatedAt: new Date('2026-11-26T18:00:00Z') } as const;
