import { describe, expect, it } from 'vitest';
import { burnDown } from './burn-down.js';

const box = { width: 120, height: 60, pad: 10 };

describe('burn-down geometry', () => {
  it('draws what remains of the maximum after each month and the forecast to the term end', () => {
    // Max 1,000, min 400; Sep 100 and Oct 300 consumed → remaining 1,000 → 900 → 600.
    // Term Sep–Dec = 4 months; forecast 200/month × 4 = 800 → 200 remaining at the end.
    const row = { maxQuantity: 1000, minQuantity: 400, forecastAtTermEnd: 800, monthly: [{ month: '2026-09', quantity: 100 }, { month: '2026-10', quantity: 300 }] };
    const chart = burnDown(row, '2026-12', box);
    expect(chart?.months).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);
    // x = 10 + i/4 × 100; y = 10 + (1000 − v)/1000 × 40 (scale 0..1,000).
    // (0, 1000) → 10,10; (1, 900) → 35,14; (2, 600) → 60,26.
    expect(chart?.actual).toBe('10,10 35,14 60,26');
    // (2, 600) → 60,26; (4, 200) → 110,42.
    expect(chart?.forecast).toBe('60,26 110,42');
    // The minimum is met once remaining ≤ 1,000 − 400 = 600 → y = 10 + 0.4 × 40 = 26.
    expect(chart?.minY).toBe(26);
    expect(chart?.zeroY).toBe(50);
  });

  it('stretches below zero when the forecast goes over the maximum', () => {
    // Max 100; 80 consumed in one month; forecast 160 → remaining −60 at the end of a 2-month term.
    const chart = burnDown({ maxQuantity: 100, minQuantity: 40, forecastAtTermEnd: 160, monthly: [{ month: '2026-10', quantity: 80 }] }, '2026-11', box);
    // Scale 100..−60 (160 units over 40 px): y = 10 + (100 − v)/160 × 40.
    // (0, 100) → 10,10; (1, 20) → 60,30.
    expect(chart?.actual).toBe('10,10 60,30');
    // (1, 20) → 60,30; (2, −60) → 110,50.
    expect(chart?.forecast).toBe('60,30 110,50');
    // Zero: 10 + 100/160 × 40 = 35.
    expect(chart?.zeroY).toBe(35);
  });

  it('has no forecast segment in the term’s last month and nothing to draw without months', () => {
    const chart = burnDown({ maxQuantity: 10, minQuantity: 4, forecastAtTermEnd: 5, monthly: [{ month: '2026-10', quantity: 5 }] }, '2026-10', box);
    expect(chart?.forecast).toBe('');
    // Without a known term end the months consumed are the whole axis.
    expect(burnDown({ maxQuantity: 10, minQuantity: 4, forecastAtTermEnd: 5, monthly: [{ month: '2026-10', quantity: 5 }] }, null, box)?.months).toEqual(['2026-10']);
    expect(burnDown({ maxQuantity: 10, minQuantity: 4, forecastAtTermEnd: 0, monthly: [] }, '2026-12', box)).toBeNull();
  });
});
