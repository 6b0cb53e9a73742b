import { burnDown } from './burn-down.js';
import type { ConsumptionRow } from './billing-api.js';
import { useBillingI18n } from './i18n/billing-i18n.js';

const BOX = { width: 240, height: 80, pad: 6 };

/** A small inline SVG: the remainder of the maximum per month (solid), the forecast (dashed), the minimum's level. */
export function BurnDownChart({ row, termEndMonth }: { row: ConsumptionRow; termEndMonth: string | null }) {
  const { bt } = useBillingI18n();
  const chart = burnDown(row, termEndMonth, BOX);
  if (!chart) return <span className="muted small">—</span>;
  const label = bt('bl.burn.label', { name: row.name, first: chart.months[0] ?? '', last: chart.months[chart.months.length - 1] ?? '' });
  return (
    <svg className="billing-burn" viewBox={`0 0 ${BOX.width} ${BOX.height}`} width={BOX.width} height={BOX.height} role="img" aria-label={label}>
      <line x1={BOX.pad} x2={BOX.width - BOX.pad} y1={chart.zeroY} y2={chart.zeroY} className="billing-burn-zero" />
      <line x1={BOX.pad} x2={BOX.width - BOX.pad} y1={chart.minY} y2={chart.minY} className="billing-burn-min" />
      <polyline points={chart.actual} className="billing-burn-actual" fill="none" />
      {chart.forecast && <polyline points={chart.forecast} className="billing-burn-forecast" fill="none" />}
    </svg>
  );
}
