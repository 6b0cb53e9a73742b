import { useState } from 'react';
import { useAdmin } from '../admin-context.js';
import { LoadState, useResource } from '../admin-ui.js';
import type { BillingApi, LineFact, Statement, StatementLine } from './billing-api.js';
import { formatCents, formatFactAmount, formatLocalTime, formatQuantity, timeDetail } from './billing-format.js';
import { useBillingI18n } from './i18n/billing-i18n.js';

const COLUMNS = 6;

/**
 * One statement line and, under it, its trace and the facts behind it (folios, paged by the
 * hub's `next` cursor): what an auditor follows from an amount to individual interactions.
 */
export function StatementLineRows({ api, statement, line }: { api: BillingApi; statement: Pick<Statement, 'campaignId' | 'month' | 'timeZone'>; line: StatementLine }) {
  const { bt } = useBillingI18n();
  const [open, setOpen] = useState(false);
  const time = timeDetail(line);
  const rowClass = line.kind === 'adjustment' ? 'billing-adjustment' : undefined;
  return (
    <>
      <tr className={rowClass}>
        <th scope="row">
          {line.name}
          {line.kind === 'adjustment' && <span className="billing-badge billing-badge-warn">{bt('bl.kind.adjustment', { month: line.usageMonth })}</span>}
          {line.kind === 'fixed' && <span className="billing-badge">{bt('bl.kind.fixed')}</span>}
        </th>
        <td>{bt(`bl.unit.${line.unit}`)}</td>
        <td className="num">
          {formatQuantity(line)}
          {time && <div className="small muted">{time.remainder === null ? bt('bl.time.seconds', { exact: time.exact }) : bt('bl.time.minute', { exact: time.exact, remainder: time.remainder })}</div>}
        </td>
        <td className="num">{formatCents(line.unitPriceCents)}</td>
        <td className="num">{line.tariffPct} %</td>
        <td className="num">{formatCents(line.amountCents)}</td>
      </tr>
      <tr className="billing-line-detail">
        <td colSpan={COLUMNS}>
          <details>
            <summary>
              {bt('bl.trace')} · {bt('bl.factCount', { count: line.factCount })}
            </summary>
            <p className="small">{line.trace}</p>
          </details>
          {line.kind !== 'fixed' && (
            <button type="button" className="btn btn-secondary btn-small" aria-expanded={open} aria-label={`${bt('bl.facts.show')}: ${line.name}${line.kind === 'adjustment' ? ` (${line.usageMonth})` : ''}`} onClick={() => setOpen((v) => !v)}>
              {bt('bl.facts.show')}
            </button>
          )}
          {open && <LineFacts api={api} statement={statement} line={line} />}
        </td>
      </tr>
    </>
  );
}

function LineFacts({ api, statement, line }: { api: BillingApi; statement: Pick<Statement, 'campaignId' | 'month' | 'timeZone'>; line: StatementLine }) {
  const { t } = useAdmin();
  const { bt, lang } = useBillingI18n();
  const first = useResource(`${statement.campaignId}:${statement.month}:${line.conceptCode}:${line.usageMonth}`, () => api.facts(statement.campaignId, statement.month, line, null));
  const [pages, setPages] = useState<{ items: LineFact[]; next: string | null }[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!first.data) return <LoadState loading={first.loading} error={first.error} onRetry={first.reload} />;
  const all = [first.data, ...pages];
  const items = all.flatMap((p) => p.items);
  const next = all[all.length - 1]?.next ?? null;
  async function more() {
    setBusy(true);
    setError(null);
    try {
      const page = await api.facts(statement.campaignId, statement.month, line, next);
      setPages((list) => [...list, page]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  if (items.length === 0) return <p className="muted small">{bt('bl.facts.none')}</p>;
  return (
    <div className="billing-facts">
      <table className="billing-table small" aria-label={bt('bl.facts.title', { name: line.name })}>
        <thead>
          <tr>
            <th scope="col">{bt('bl.facts.folio')}</th>
            <th scope="col">{bt('bl.facts.conversation')}</th>
            <th scope="col">{bt('bl.facts.call')}</th>
            <th scope="col">{bt('bl.facts.agent')}</th>
            <th scope="col">{bt('bl.facts.started')}</th>
            <th scope="col">{bt('bl.facts.ended')}</th>
            <th scope="col" className="num">
              {bt('bl.facts.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((f, i) => (
            <tr key={`${f.folio ?? ''}:${f.startedAt}:${i}`}>
              <td>{f.folio ?? '—'}</td>
              <td>{f.conversationId ?? '—'}</td>
              <td>{f.callSid ?? '—'}</td>
              <td>{f.agentId ?? '—'}</td>
              <td>{formatLocalTime(f.startedAt, statement.timeZone, lang)}</td>
              <td>{formatLocalTime(f.endedAt, statement.timeZone, lang)}</td>
              <td className="num">{formatFactAmount(f, line.unit)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {error !== null && <LoadState loading={false} error={error} onRetry={() => void more()} />}
      {next && (
        <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => void more()}>
          {busy ? t('common.loading') : bt('bl.facts.more')}
        </button>
      )}
    </div>
  );
}
