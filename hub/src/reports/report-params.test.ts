import { describe, expect, it } from 'vitest';
import { HubError } from '../errors/error-registry.js';
import { reportQuerySchema, resolvePeriod } from './report-params.js';

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof HubError) return error.message;
    throw error;
  }
  throw new Error('no error');
};

describe('resolvePeriod', () => {
  it('takes one date or an inclusive range and lists its days, across a month end', () => {
    expect(resolvePeriod({ date: '2025-03-12' }, 31)).toEqual({ from: '2025-03-12', to: '2025-03-12', dates: ['2025-03-12'] });
    expect(resolvePeriod({ from: '2025-02-27', to: '2025-03-02' }, 31).dates).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02']);
    expect(resolvePeriod({ from: '2024-02-28', to: '2024-03-01' }, 31).dates).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });

  it('refuses a missing, reversed, mixed or too long period in Spanish first', () => {
    expect(messageOf(() => resolvePeriod({}, 31))).toMatch(/^Falta el periodo/);
    expect(messageOf(() => resolvePeriod({ from: '2025-03-12' }, 31))).toMatch(/^Falta el periodo/);
    expect(messageOf(() => resolvePeriod({ from: '2025-03-12', to: '2025-03-11' }, 31))).toMatch(/^La fecha final es anterior/);
    expect(messageOf(() => resolvePeriod({ date: '2025-03-12', to: '2025-03-13' }, 31))).toMatch(/^Indique date o bien from y to/);
    // 92 days pass, 93 do not (1 Jan – 2 Apr 2025 is 92 days).
    expect(resolvePeriod({ from: '2025-01-01', to: '2025-04-02' }, 92).dates).toHaveLength(92);
    expect(messageOf(() => resolvePeriod({ from: '2025-01-01', to: '2025-04-03' }, 92))).toBe('El periodo es de 93 días; este reporte admite hasta 92 días / the period is 93 days; this report allows up to 92 days');
  });
});

describe('reportQuerySchema', () => {
  it('defaults to JSON in Spanish and rejects bad values with Spanish messages', () => {
    const ok = reportQuerySchema.parse({ campaignId: '6f1c1f7e-2f57-4a53-9a51-3f8f0f4b2a10', date: '2025-03-12' });
    expect(ok).toMatchObject({ format: 'json', lang: 'es' });
    const bad = reportQuerySchema.safeParse({ campaignId: 'x', date: '12/03/2025', format: 'pdf', interval: 'hour' });
    expect(bad.success).toBe(false);
    const messages = bad.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toEqual(expect.arrayContaining(['Campaña no válida / invalid campaign', 'Fecha no válida, use AAAA-MM-DD / invalid date, use YYYY-MM-DD']));
    expect(messages.some((m) => m.startsWith('Formato no válido'))).toBe(true);
    expect(messages.some((m) => m.startsWith('Intervalo no válido'))).toBe(true);
  });
});
