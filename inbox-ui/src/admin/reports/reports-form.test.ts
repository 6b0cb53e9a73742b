import { describe, expect, it } from 'vitest';
import { averageSpeedOfAnswer } from '../../../../hub/src/kpi/formulas/asa.js';
import { serviceLevel } from '../../../../hub/src/kpi/formulas/service-level.js';
import { cellText, curlExample, kpiText, rangeProblems, reportQuery, yesterdayIn } from './reports-form.js';

describe('report form', () => {
  it('defaults to yesterday on the campaign’s clock, not the browser’s', () => {
    // 2025-03-13 03:00 UTC is still the 12th in Mexico City: yesterday there is the 11th.
    expect(yesterdayIn(new Date('2025-03-13T03:00:00Z'), 'America/Mexico_City')).toBe('2025-03-11');
    expect(yesterdayIn(new Date('2025-03-13T03:00:00Z'), 'UTC')).toBe('2025-03-12');
  });

  it('checks dates, order and the report’s longest period', () => {
    expect(rangeProblems({ from: '2025-03-12', to: '2025-03-12' }, 31)).toEqual({});
    expect(rangeProblems({ from: '', to: '2025-03-12' }, 31)).toEqual({ from: 'date' });
    expect(rangeProblems({ from: '2025-03-12', to: '2025-03-11' }, 31)).toEqual({ to: 'order' });
    expect(rangeProblems({ from: '2025-01-01', to: '2025-04-02' }, 92)).toEqual({});
    expect(rangeProblems({ from: '2025-01-01', to: '2025-04-03' }, 92)).toEqual({ to: 'long' });
  });

  it('asks for one date or a range, the interval only where it applies, and the language', () => {
    const form = { reportId: 'intervals', from: '2025-03-12', to: '2025-03-12', interval: 'half_hour' as const };
    expect(reportQuery('c1', form, { format: 'json', lang: 'es-MX', withInterval: true }).toString()).toBe('campaignId=c1&date=2025-03-12&interval=half_hour&format=json&lang=es');
    expect(reportQuery('c1', { ...form, to: '2025-03-13' }, { format: 'csv', lang: 'en', withInterval: false, table: 'by_reason' }).toString()).toBe(
      'campaignId=c1&from=2025-03-12&to=2025-03-13&format=csv&lang=en&table=by_reason',
    );
  });

  it('reads KPIs and cells the way people say them, «sin tráfico» as nothing', () => {
    const sl = serviceLevel({ attendedWithinThreshold: 2, attended: 4, received: 5, thresholdMs: 20_000, denominator: 'received' });
    expect(kpiText(sl, 'es-MX')).toBe('40.00 %');
    expect(kpiText(averageSpeedOfAnswer({ answered: 4, totalAnswerWaitMs: 100_000 }), 'en')).toBe('25.0 s');
    expect(kpiText(averageSpeedOfAnswer({ answered: 0, totalAnswerWaitMs: 0 }), 'en')).toBeNull();
    expect(cellText({ key: 'n', label_es: 'n', label_en: 'n', type: 'integer' }, 14385, 'en', 'UTC')).toBe('14,385');
    expect(cellText({ key: 'p', label_es: 'p', label_en: 'p', type: 'percent' }, 66.67, 'en', 'UTC')).toBe('66.67');
    expect(cellText({ key: 't', label_es: 't', label_en: 't', type: 'datetime' }, '2025-03-12T15:40:50.000Z', 'en', 'America/Mexico_City')).toMatch(/9:40:50/);
    expect(cellText({ key: 'x', label_es: 'x', label_en: 'x', type: 'text' }, null, 'en', 'UTC')).toBe('');
  });

  it('shows a working curl line for a new token', () => {
    expect(curlExample('https://hub.example.mx', 'vrt_abc', 'c1', '2025-03-12')).toBe(
      'curl -H "Authorization: Bearer vrt_abc" "https://hub.example.mx/api/v1/reports/daily-service-level?campaignId=c1&date=2025-03-12&format=csv"',
    );
  });
});
