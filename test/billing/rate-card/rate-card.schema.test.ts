import { describe, expect, it } from 'vitest';
import type { RateCardInput } from '../../../hub/src/billing/rate-card/rate-card.schema.js';
import { parseRateCard, rateCardProblems, rateCardSchema } from '../../../hub/src/billing/rate-card/rate-card.schema.js';
import { HubError } from '../../../hub/src/errors/error-registry.js';

/**
 * Issue 10 item 1: every rule of rateCardSchema rejects with a Spanish-first message at the
 * field's path (the admin's editor shows it next to the field).
 */

type Concept = RateCardInput['concepts'][number];

function card(overrides: Partial<RateCardInput> = {}): RateCardInput {
  return {
    termEndMonth: '2028-10',
    concepts: [
      { code: 'ps_i_inbound', name: 'Entrada PS-I', nameEn: 'Inbound PS-I', unit: 'minute', unitPriceCents: 238, minQuantity: 40, maxQuantity: 100, usage: { meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice' } },
      { code: 'sms_outbound', name: 'SMS de salida', nameEn: 'Outbound SMS', unit: 'message', unitPriceCents: 71, minQuantity: 0, maxQuantity: 10, usage: { meter: 'sms_outbound' } },
      { code: 'help_desk', name: 'Mesa de ayuda', nameEn: 'Help desk', unit: 'month', unitPriceCents: 2_028_578, minQuantity: 1, maxQuantity: 2, usage: null, fixedQuantity: 1 },
    ],
    ...overrides,
  };
}

/** The base card with its first concept changed. */
function withConcept(changes: Partial<Concept>, index = 0): RateCardInput {
  const base = card();
  return { ...base, concepts: base.concepts.map((c, i) => (i === index ? { ...c, ...changes } : c)) };
}

function problemAt(input: unknown, path: string): string {
  const problems = rateCardProblems(input);
  const found = problems.find((p) => p.path === path);
  if (!found) throw new Error(`no problem at ${path}: ${JSON.stringify(problems)}`);
  return found.message;
}

describe('rateCardSchema', () => {
  it('accepts a minimal card and fills the contract defaults (IVA 16 %, global cap 10 %, AT billable states, bands)', () => {
    expect(rateCardProblems(card())).toEqual([]);
    const parsed = rateCardSchema.parse(card());
    expect(parsed.currency).toBe('MXN');
    expect(parsed.ivaPct).toBe(16);
    expect(parsed.globalCapPct).toBe(10);
    expect(parsed.billableStates).toEqual(['available', 'after_contact_work']);
    expect(parsed.erroneousDispositions).toEqual([]);
    expect(parsed.occupancyTariff).toEqual({
      enabled: false,
      conceptCodes: [],
      formula: 'phone',
      sessions: 1,
      bands: [
        { minPct: 70, tariffPct: 100 },
        { minPct: 60, tariffPct: 90 },
        { minPct: 50, tariffPct: 80 },
        { minPct: 0, tariffPct: 70 },
      ],
    });
  });

  it('concept codes: a-z 0-9 _ with 2 to 40 characters, and unique', () => {
    expect(problemAt(withConcept({ code: 'PS-I' }), 'concepts.0.code')).toBe('la clave usa de 2 a 40 caracteres a-z, 0-9 o _ / the code must be 2–40 characters a-z, 0-9 or _');
    expect(problemAt(withConcept({ code: 'x' }), 'concepts.0.code')).toMatch(/^la clave usa de 2 a 40/);
    expect(problemAt(withConcept({ code: 'a'.repeat(41) }), 'concepts.0.code')).toMatch(/^la clave usa de 2 a 40/);
    expect(rateCardProblems(withConcept({ code: 'a'.repeat(40) }))).toEqual([]);
    expect(problemAt(withConcept({ code: 'sms_outbound' }), 'concepts.1.code')).toBe('la clave «sms_outbound» está repetida / the code sms_outbound is repeated');
  });

  it('unit price: whole centavos greater than 0', () => {
    expect(problemAt(withConcept({ unitPriceCents: 0 }), 'concepts.0.unitPriceCents')).toBe('el precio unitario debe ser mayor que 0 / the unit price must be greater than 0');
    expect(problemAt(withConcept({ unitPriceCents: -5 }), 'concepts.0.unitPriceCents')).toMatch(/^el precio unitario debe ser mayor que 0/);
    // 237.9 centavos ($2.379) is not a 2-decimal price (L13952).
    expect(problemAt(withConcept({ unitPriceCents: 237.9 }), 'concepts.0.unitPriceCents')).toBe('el precio unitario va en centavos enteros (2 decimales) / the unit price is whole centavos (2 decimals)');
  });

  it('quantities: 0 ≤ minimum ≤ maximum, whole numbers', () => {
    expect(problemAt(withConcept({ minQuantity: 101, maxQuantity: 100 }), 'concepts.0.minQuantity')).toBe('la cantidad mínima no puede exceder la máxima / the minimum quantity cannot exceed the maximum');
    expect(problemAt(withConcept({ minQuantity: -1 }), 'concepts.0.minQuantity')).toBe('la cantidad mínima debe ser ≥ 0 / minimum quantity must be ≥ 0');
    expect(problemAt(withConcept({ maxQuantity: 10.5 }), 'concepts.0.maxQuantity')).toBe('la cantidad máxima debe ser un número entero / maximum quantity must be a whole number');
    expect(rateCardProblems(withConcept({ minQuantity: 100, maxQuantity: 100 }))).toEqual([]);
  });

  it('exactly one of usage / fixedQuantity, and a fixed quantity only for service or month units', () => {
    const exactlyOne = 'indique exactamente uno: «usage» (medido) o «fixedQuantity» (cantidad fija mensual) / give exactly one of usage (metered) or fixedQuantity (fixed monthly quantity)';
    expect(problemAt(withConcept({ fixedQuantity: 1 }, 1), 'concepts.1.usage')).toBe(exactlyOne);
    expect(problemAt(withConcept({ usage: null }, 1), 'concepts.1.usage')).toBe(exactlyOne);
    expect(problemAt(withConcept({ usage: null, fixedQuantity: 1 }, 1), 'concepts.1.fixedQuantity')).toBe(
      'una cantidad fija solo aplica a las unidades «service» o «month» / a fixed quantity only applies to the units service or month',
    );
    expect(rateCardProblems(withConcept({ unit: 'service' }, 2))).toEqual([]);
    expect(problemAt(withConcept({ fixedQuantity: 0 }, 2), 'concepts.2.fixedQuantity')).toBe('la cantidad fija debe ser mayor que 0 / the fixed quantity must be greater than 0');
  });

  it('unit and meter agree: time meters only per minute, count meters never per minute', () => {
    for (const meter of ['agent_time', 'interaction_time', 'ivr_time'] as const) {
      expect(problemAt(withConcept({ unit: 'message', usage: { meter } }), 'concepts.0.unit')).toBe(
        `el medidor de tiempo «${meter}» se cobra en «minute» o «minute_seconds» / the time meter ${meter} is billed in minute or minute_seconds`,
      );
      expect(rateCardProblems(withConcept({ unit: 'minute_seconds', usage: { meter } }))).toEqual([]);
    }
    expect(problemAt(withConcept({ unit: 'minute' }, 1), 'concepts.1.unit')).toBe('el medidor «sms_outbound» cuenta piezas: no se cobra por minuto / the meter sms_outbound counts items: it cannot be billed per minute');
    expect(problemAt(withConcept({ unit: 'minute_seconds', usage: { meter: 'bot_event' } }, 1), 'concepts.1.unit')).toMatch(/^el medidor «bot_event» cuenta piezas/);
    expect(rateCardProblems(withConcept({ unit: 'event', usage: { meter: 'bot_event' } }, 1))).toEqual([]);
  });

  it('billable states: the router’s agent states except offline, at least one, no repeats', () => {
    expect(problemAt({ ...card(), billableStates: ['available', 'offline'] }, 'billableStates.1')).toMatch(
      /^estado no cobrable; use: available, after_contact_work, lunch, training, coaching, personal, not_ready \/ not a billable state/,
    );
    expect(problemAt({ ...card(), billableStates: ['talking'] }, 'billableStates.0')).toMatch(/^estado no cobrable/);
    expect(problemAt(card({ billableStates: [] }), 'billableStates')).toBe('indique al menos un estado cobrable / give at least one billable state');
    expect(problemAt(card({ billableStates: ['available', 'available'] }), 'billableStates')).toBe('los estados cobrables no se repiten / billable states must not repeat');
    // MPEC bills available time only (L9356); DyC/CMT exclude ACW (L7672–L7674).
    expect(rateCardSchema.parse(card({ billableStates: ['available'] })).billableStates).toEqual(['available']);
  });

  it('occupancy bands: strictly descending minimum, the last at 0 %, tariffs 1–100', () => {
    const tariff = (bands: { minPct: number; tariffPct: number }[]) => card({ occupancyTariff: { enabled: true, conceptCodes: ['ps_i_inbound'], bands } });
    expect(rateCardProblems(tariff([{ minPct: 80, tariffPct: 100 }, { minPct: 0, tariffPct: 75 }]))).toEqual([]);
    const descending = 'las bandas van en orden estrictamente descendente de porcentaje mínimo / bands must be in strictly descending order of minPct';
    expect(problemAt(tariff([{ minPct: 60, tariffPct: 90 }, { minPct: 70, tariffPct: 100 }, { minPct: 0, tariffPct: 70 }]), 'occupancyTariff.bands.1.minPct')).toBe(descending);
    expect(problemAt(tariff([{ minPct: 70, tariffPct: 100 }, { minPct: 70, tariffPct: 90 }, { minPct: 0, tariffPct: 70 }]), 'occupancyTariff.bands.1.minPct')).toBe(descending);
    expect(problemAt(tariff([{ minPct: 70, tariffPct: 100 }, { minPct: 50, tariffPct: 80 }]), 'occupancyTariff.bands.1.minPct')).toBe('la última banda debe empezar en 0 % / the last band must start at 0 %');
    const tariffRange = 'la tarifa de la banda debe estar entre 1 y 100 / the band tariff must be between 1 and 100';
    expect(problemAt(tariff([{ minPct: 0, tariffPct: 0 }]), 'occupancyTariff.bands.0.tariffPct')).toBe(tariffRange);
    expect(problemAt(tariff([{ minPct: 0, tariffPct: 101 }]), 'occupancyTariff.bands.0.tariffPct')).toBe(tariffRange);
    expect(problemAt(tariff([{ minPct: 120, tariffPct: 100 }, { minPct: 0, tariffPct: 70 }]), 'occupancyTariff.bands.0.minPct')).toMatch(/^el porcentaje mínimo de ocupación debe estar entre 0 y 100/);
  });

  it('occupancy concepts exist and meter agent time; an enabled tariff names at least one', () => {
    expect(problemAt(card({ occupancyTariff: { enabled: true, conceptCodes: ['chat'] } }), 'occupancyTariff.conceptCodes.0')).toBe('el concepto «chat» no existe en la tarifa / concept chat is not in the rate card');
    expect(problemAt(card({ occupancyTariff: { enabled: true, conceptCodes: ['ps_i_inbound', 'sms_outbound'] } }), 'occupancyTariff.conceptCodes.1')).toBe(
      'el concepto «sms_outbound» no mide tiempo de agente (agent_time) / concept sms_outbound does not meter agent time (agent_time)',
    );
    const ivrCard = withConcept({ usage: { meter: 'ivr_time' } });
    expect(problemAt({ ...ivrCard, occupancyTariff: { enabled: true, conceptCodes: ['ps_i_inbound'] } }, 'occupancyTariff.conceptCodes.0')).toMatch(/no mide tiempo de agente/);
    expect(problemAt(card({ occupancyTariff: { enabled: true, conceptCodes: [] } }), 'occupancyTariff.conceptCodes')).toBe(
      'la tarifa por ocupación activa necesita al menos un concepto / an enabled occupancy tariff needs at least one concept',
    );
  });

  it('percentages: IVA, global cap and per-concept deduction cap within 0–100; the term end month is YYYY-MM', () => {
    expect(problemAt(card({ ivaPct: 101 }), 'ivaPct')).toBe('el IVA debe estar entre 0 y 100 / IVA must be between 0 and 100');
    expect(rateCardSchema.parse(card({ ivaPct: 8 })).ivaPct).toBe(8); // border-region IVA
    expect(problemAt(card({ globalCapPct: -1 }), 'globalCapPct')).toBe('el tope global debe estar entre 0 y 100 / the global cap must be between 0 and 100');
    expect(problemAt(withConcept({ deductionCapPct: 120 }), 'concepts.0.deductionCapPct')).toMatch(/^el tope de deducciones del concepto debe estar entre 0 y 100/);
    expect(rateCardSchema.parse(withConcept({ deductionCapPct: 20 })).concepts[0]?.deductionCapPct).toBe(20);
    expect(problemAt(card({ termEndMonth: '2028-13' }), 'termEndMonth')).toBe('use el formato AAAA-MM (por ejemplo 2028-10) / use YYYY-MM, e.g. 2028-10');
    expect(problemAt(card({ termEndMonth: '10/2028' }), 'termEndMonth')).toMatch(/^use el formato AAAA-MM/);
  });

  it('unknown fields, missing fields and a foreign currency are reported in Spanish too', () => {
    expect(problemAt({ ...card(), discount: 5 }, '')).toBe('campos desconocidos: discount / unknown fields: discount');
    const { termEndMonth: _omitted, ...withoutTerm } = card();
    expect(problemAt(withoutTerm, 'termEndMonth')).toBe('campo requerido / required field');
    expect(problemAt(card({ currency: 'USD' as 'MXN' }), 'currency')).toBe('la moneda es MXN / the currency is MXN');
    expect(problemAt(withConcept({ usage: { meter: 'fax' as 'sms_outbound' } }, 1), 'concepts.1.usage.meter')).toMatch(/^valor no permitido, use uno de: agent_time/);
  });

  it('parseRateCard throws HUB_ERR_VALIDATION (400) listing every problem', () => {
    const bad = card({ ivaPct: 200, termEndMonth: 'mañana' });
    let thrown: unknown;
    try {
      parseRateCard(bad);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HubError);
    const error = thrown as HubError;
    expect(error.code).toBe('HUB_ERR_VALIDATION');
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/^La tarifa no es válida \/ the rate card is not valid — /);
    expect(error.details).toEqual({
      problems: [
        { path: 'ivaPct', message: 'el IVA debe estar entre 0 y 100 / IVA must be between 0 and 100' },
        { path: 'termEndMonth', message: 'use el formato AAAA-MM (por ejemplo 2028-10) / use YYYY-MM, e.g. 2028-10' },
      ],
    });
  });
});
