import { describe, expect, it } from 'vitest';
import { monthSpan } from '../kpi/formulas/intervals.js';
import { serviceWindowSpans } from './service-window.js';
import { contractMonthOf, monthsFromTo } from './sla-months.js';
import { pdfText } from './sla-report-pdf.js';
import { slaTableSchema } from '../kpi/sla/sla-table.schema.js';
import { slaErrorMap } from './sla-problems.js';

describe('contract months', () => {
  it('counts the start month as month 1, across years', () => {
    expect(contractMonthOf('2026-01', '2026-01')).toBe(1);
    expect(contractMonthOf('2025-11', '2026-04')).toBe(6);
    expect(contractMonthOf('2026-03', '2026-02')).toBe(0);
    expect(monthsFromTo('2025-12', '2026-02')).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(monthsFromTo('2026-02', '2026-01')).toEqual([]);
  });
});

describe('service window from the router calendar', () => {
  const weekdays = [{ open: '08:00', close: '20:00' }];
  const schedule = { timeZone: 'America/Mexico_City', days: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays, sat: [], sun: [] }, holidays: 'closed' as const };
  it('gives 12 h per working day and skips weekends and holidays (March 2026: 22 weekdays, 16 March is a holiday)', () => {
    const { span } = monthSpan('2026-03');
    const spans = serviceWindowSpans(schedule, { base: 'lft74', extra: [], removed: [] }, span);
    expect(spans).toHaveLength(21);
    expect(spans[0]).toEqual({ startMs: Date.parse('2026-03-02T08:00:00-06:00'), endMs: Date.parse('2026-03-02T20:00:00-06:00') });
    expect(spans.reduce((t, s) => t + s.endMs - s.startMs, 0)).toBe(21 * 12 * 3_600_000);
  });
  it('is the whole month for 24×7×365', () => {
    const all = [{ open: '00:00', close: '24:00' }];
    const open = { timeZone: 'America/Mexico_City', days: { mon: all, tue: all, wed: all, thu: all, fri: all, sat: all, sun: all }, holidays: all };
    const { span } = monthSpan('2026-02');
    expect(serviceWindowSpans(open, { base: 'lft74', extra: [], removed: [] }, span)).toEqual([span]);
  });
});

describe('PDF text for the built-in Helvetica (WinAnsi)', () => {
  it('keeps Spanish accents and spells the math signs the font lacks', () => {
    expect(pdfText('Satisfacción ≥ 85 % → año ¿sí? 5 − 3 ≤ 2 × 1')).toBe('Satisfacción >= 85 % -> año ¿sí? 5 - 3 <= 2 × 1');
    expect(pdfText('日本')).toBe('??');
  });
});

describe('Spanish problems for the SLA table', () => {
  it('words range errors in Spanish with the field path', () => {
    const parsed = slaTableSchema.safeParse({ campaignId: 'c', rows: [], globalCap: { maxContractAmountWithoutIvaCents: 0 } }, { error: slaErrorMap });
    expect(parsed.success).toBe(false);
    const messages = parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages).toEqual(['rows: debe tener al menos 1 elemento(s) / must have at least 1 item(s)', 'globalCap.maxContractAmountWithoutIvaCents: debe ser > 0 / must be > 0']);
  });
});
