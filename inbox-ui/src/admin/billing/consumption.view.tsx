import type { ConsumptionRow, Statement } from './billing-api.js';
import { formatCount, formatMmSs } from './billing-format.js';
import { BurnDownChart } from './burn-down.view.js';
import { useBillingI18n, type BillingTranslate } from './i18n/billing-i18n.js';
import type { BillingMessageKey } from './i18n/billing-messages.es-mx.js';

const FLAG: Record<ConsumptionRow['forecastStatus'], string> = { below_min: 'billing-badge-warn', within: 'billing-badge-ok', over_max: 'billing-badge-danger' };

const PROBLEMS: Readonly<Record<string, BillingMessageKey>> = { missing_recording: 'bl.problem.missing_recording', missing_survey: 'bl.problem.missing_survey', missing_trace: 'bl.problem.missing_trace' };

/** A known evidence problem in words; an unknown code as the hub wrote it. */
function problemText(problem: string, bt: BillingTranslate): string {
  const key = PROBLEMS[problem];
  return key ? bt(key) : problem;
}

/**
 * Consumption of each concept against the contract's minimum and maximum, with a burn-down and
 * the forecast at the end of the term (issue 10 item 7); then what the statement left out:
 * interactions without the evidence the contract requires, and usage no concept bills.
 */
export function ConsumptionView({ statement, termEndMonth }: { statement: Statement; termEndMonth: string | null }) {
  const { bt } = useBillingI18n();
  return (
    <div className="admin-card billing-consumption">
      <h3>{bt('bl.cons.title')}</h3>
      {termEndMonth && <p className="small">{bt('bl.cons.termEnd', { month: termEndMonth })}</p>}
      <p className="admin-hint">{bt('bl.cons.legend')}</p>
      {statement.consumption.length === 0 ? (
        <p className="muted small">{bt('bl.cons.none')}</p>
      ) : (
        <table className="billing-table" aria-label={bt('bl.cons.title')}>
          <thead>
            <tr>
              <th scope="col">{bt('bl.col.concept')}</th>
              <th scope="col" className="num">{bt('bl.cons.min')}</th>
              <th scope="col" className="num">{bt('bl.cons.max')}</th>
              <th scope="col" className="num">{bt('bl.cons.consumed')}</th>
              <th scope="col" className="num">{bt('bl.cons.remaining')}</th>
              <th scope="col" className="num">{bt('bl.cons.forecast')}</th>
              <th scope="col">{bt('bl.cons.status')}</th>
              <th scope="col">{bt('bl.cons.chart')}</th>
            </tr>
          </thead>
          <tbody>
            {statement.consumption.map((row) => (
              <tr key={row.conceptCode}>
                <th scope="row">{row.name}</th>
                <td className="num">{formatCount(row.minQuantity)}</td>
                <td className="num">{formatCount(row.maxQuantity)}</td>
                <td className="num">{formatCount(row.consumedToDate)}</td>
                <td className="num">{formatCount(row.remainingToMax)}</td>
                <td className="num">{formatCount(row.forecastAtTermEnd)}</td>
                <td>
                  <span className={`billing-badge ${FLAG[row.forecastStatus]}`}>{bt(`bl.cons.${row.forecastStatus}`)}</span>
                </td>
                <td>
                  <BurnDownChart row={row} termEndMonth={termEndMonth} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{bt('bl.excl.title')}</h3>
      {statement.excluded.length === 0 ? (
        <p className="muted small">{bt('bl.excl.none')}</p>
      ) : (
        <table className="billing-table" aria-label={bt('bl.excl.title')}>
          <thead>
            <tr>
              <th scope="col">{bt('bl.facts.folio')}</th>
              <th scope="col">{bt('bl.excl.problem')}</th>
              <th scope="col">{bt('bl.excl.meters')}</th>
              <th scope="col" className="num">{bt('bl.excl.time')}</th>
              <th scope="col" className="num">{bt('bl.excl.items')}</th>
            </tr>
          </thead>
          <tbody>
            {statement.excluded.map((x, i) => (
              <tr key={`${x.folio ?? x.conversationId ?? x.callSid ?? ''}:${i}`}>
                <td>{x.folio ?? x.callSid ?? x.conversationId ?? '—'}</td>
                <td>{problemText(x.problem, bt)}</td>
                <td>{x.meters.map((m) => bt(`bl.meter.${m}`)).join(', ')}</td>
                <td className="num">{formatMmSs(x.seconds)}</td>
                <td className="num">{formatCount(x.items)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{bt('bl.unp.title')}</h3>
      {statement.unpriced.length === 0 ? (
        <p className="muted small">{bt('bl.unp.none')}</p>
      ) : (
        <table className="billing-table" aria-label={bt('bl.unp.title')}>
          <thead>
            <tr>
              <th scope="col">{bt('bl.unp.description')}</th>
              <th scope="col">{bt('bl.unp.month')}</th>
              <th scope="col" className="num">{bt('bl.excl.time')}</th>
              <th scope="col" className="num">{bt('bl.excl.items')}</th>
            </tr>
          </thead>
          <tbody>
            {statement.unpriced.map((u, i) => (
              <tr key={`${u.meter}:${u.description}:${u.usageMonth}:${i}`}>
                <td>{u.description}</td>
                <td>{u.usageMonth}</td>
                <td className="num">{u.exactSeconds === null ? '—' : formatMmSs(u.exactSeconds)}</td>
                <td className="num">{formatCount(u.items)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
