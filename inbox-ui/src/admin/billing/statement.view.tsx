import { useState } from 'react';
import { useAdmin } from '../admin-context.js';
import { ConfirmDialog, FormBanner, useFormSubmit } from '../admin-ui.js';
import type { BillingApi, Statement, StatementFormat } from './billing-api.js';
import { formatCents, monthLabel } from './billing-format.js';
import { StatementLineRows } from './statement-line.view.js';
import { useBillingI18n } from './i18n/billing-i18n.js';

const FORMATS: StatementFormat[] = ['csv', 'xlsx', 'pdf'];

/**
 * The month's statement (issue 10 item 7): lines with their trace and folios, deductions and
 * penalties with the caps that limited them, the base, IVA and total; exports; closing the month.
 */
export function StatementView({ api, statement, globalCapPct, editable, onChanged }: { api: BillingApi; statement: Statement; globalCapPct: number | null; editable: boolean; onChanged(): void }) {
  const { announce } = useAdmin();
  const { bt, lang } = useBillingI18n();
  const [confirming, setConfirming] = useState(false);
  const form = useFormSubmit();
  const open = statement.status === 'open';
  const status = open ? bt('bl.status.open') : bt('bl.status.closed');

  return (
    <div className="admin-card billing-statement">
      <FormBanner messages={{}} server={form.server} claims={[]} />
      <p>
        <span className="billing-status">{bt('bl.status', { status })}</span>
        <span className="muted small"> · {bt('bl.statementOf', { month: monthLabel(statement.month, lang), version: statement.rateCard.version, timeZone: statement.timeZone })}</span>
      </p>
      {editable && open && <p className="admin-hint">{bt('bl.recomputeHint')}</p>}
      <div className="admin-savebar">
        {FORMATS.map((format) => (
          <button key={format} type="button" className="btn btn-secondary btn-small" disabled={form.busy} onClick={() => void form.run({}, async () => void (await api.download(statement.campaignId, statement.month, format)))}>
            {bt('bl.download', { format: format.toUpperCase() })}
          </button>
        ))}
        {editable && open && (
          <button
            type="button"
            className="btn btn-secondary btn-small"
            disabled={form.busy}
            onClick={() =>
              void form.run({}, async () => {
                const r = await api.recompute(statement.campaignId, statement.month);
                announce(bt('bl.recomputed', { inserted: r.inserted, updated: r.updated, deleted: r.deleted, unchanged: r.unchanged }));
                onChanged();
              })
            }
          >
            {bt('bl.recompute')}
          </button>
        )}
        {editable && open && (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setConfirming(true)}>
            {bt('bl.close')}
          </button>
        )}
      </div>

      {statement.lines.length === 0 ? (
        <p className="muted small">{bt('bl.noLines')}</p>
      ) : (
        <table className="billing-table" aria-label={bt('bl.tab.statement')}>
          <thead>
            <tr>
              <th scope="col">{bt('bl.col.concept')}</th>
              <th scope="col">{bt('bl.col.unit')}</th>
              <th scope="col" className="num">
                {bt('bl.col.quantity')}
              </th>
              <th scope="col" className="num">
                {bt('bl.col.unitPrice')}
              </th>
              <th scope="col" className="num">
                {bt('bl.col.tariff')}
              </th>
              <th scope="col" className="num">
                {bt('bl.col.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {statement.lines.map((line) => (
              <StatementLineRows key={`${line.kind}:${line.conceptCode}:${line.usageMonth}`} api={api} statement={statement} line={line} />
            ))}
          </tbody>
        </table>
      )}

      <h3>{bt('bl.ded.title')}</h3>
      {statement.deductions.length === 0 ? (
        <p className="muted small">{bt('bl.ded.none')}</p>
      ) : (
        <ul className="billing-list">
          {statement.deductions.map((d, i) => (
            <li key={`${d.source}:${d.evaluationId ?? ''}:${i}`}>
              <strong>{bt(`bl.ded.source.${d.source}`)}</strong>: {d.description}{' '}
              <span className={`billing-badge ${d.status === 'validated' ? 'billing-badge-ok' : 'billing-badge-warn'}`}>{bt(`bl.ded.status.${d.status}`)}</span>
              <div className="small">{bt('bl.ded.figures', { proposed: formatCents(d.proposedCents), applied: formatCents(d.appliedCents) })}</div>
              <div className="small muted">{d.trace}</div>
            </li>
          ))}
        </ul>
      )}
      {globalCapPct !== null && <p className="admin-hint">{bt('bl.ded.caps', { pct: globalCapPct })}</p>}

      <h3>{bt('bl.pen.title')}</h3>
      {statement.penalties.length === 0 ? (
        <p className="muted small">{bt('bl.pen.none')}</p>
      ) : (
        <ul className="billing-list">
          {statement.penalties.map((p) => (
            <li key={p.id}>
              <strong>{p.description}</strong> · {bt(`bl.pen.kind.${p.kind}`)}
              <div className="small">{bt('bl.pen.figures', { units: p.units, perUnit: formatCents(p.amountPerUnitCents), proposed: formatCents(p.proposedCents), applied: formatCents(p.appliedCents) })}</div>
              <div className="small muted">{p.trace}</div>
            </li>
          ))}
        </ul>
      )}

      <section aria-label={bt('bl.totals')}>
        <dl className="billing-totals">
          <dt>{bt('bl.subtotal')}</dt>
          <dd>{formatCents(statement.subtotalCents)}</dd>
          <dt>{bt('bl.deductions')}</dt>
          <dd>{formatCents(-statement.deductionsCents)}</dd>
          <dt>{bt('bl.penaltiesApplied')}</dt>
          <dd>{formatCents(-statement.penaltiesCents)}</dd>
          <dt>{bt('bl.taxable')}</dt>
          <dd>{formatCents(statement.taxableCents)}</dd>
          <dt>{bt('bl.iva', { pct: statement.ivaPct })}</dt>
          <dd>{formatCents(statement.ivaCents)}</dd>
          <dt className="billing-grand">{bt('bl.total')}</dt>
          <dd className="billing-grand">{formatCents(statement.totalCents)}</dd>
        </dl>
      </section>
      <p className="small muted">{bt('bl.hash', { hash: statement.inputsHash.slice(0, 16) })}</p>

      {confirming && (
        <ConfirmDialog
          title={bt('bl.close')}
          message={bt('bl.closeConfirm', { month: monthLabel(statement.month, lang), total: formatCents(statement.totalCents) })}
          confirmLabel={bt('bl.close')}
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            // A refusal stays in the dialog (the hub's Spanish message); success closes it.
            await api.close(statement.campaignId, statement.month);
            announce(bt('bl.closed'));
            onChanged();
          }}
        />
      )}
    </div>
  );
}
