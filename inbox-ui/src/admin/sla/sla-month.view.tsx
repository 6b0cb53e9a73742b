import { useState } from 'react';
import { useAdmin } from '../admin-context.js';
import { ConfirmDialog, Field, FormBanner, LoadState, useFormSubmit, useResource } from '../admin-ui.js';
import { formatMoney, parseMoney } from './sla-form.js';
import type { EvaluationView, ReportFormat, SlaApi } from './sla-api.js';
import { useSlaI18n } from './i18n/sla-i18n.js';

type RowView = EvaluationView['rows'][number];
const UNIT = { percent: '%', minutes: 'min', seconds: 's' } as const;

/**
 * Run the month, review each proposed row with its trace, accept or adjust it with a reason,
 * validate the month (then frozen) and download the report (issue 9 items 3 and 7).
 */
export function SlaMonthView({ api, campaignId, month, editable }: { api: SlaApi; campaignId: string; month: string; editable: boolean }) {
  const { announce } = useAdmin();
  const { st } = useSlaI18n();
  const history = useResource(`${campaignId}:sla-evaluations`, () => api.evaluations(campaignId));
  const summary = history.data?.items.find((e) => e.month === month) ?? null;
  const [current, setCurrent] = useState<EvaluationView | null>(null);
  const loaded = useResource(summary ? `sla-eval:${summary.id}:${summary.computedAt}` : null, () => api.evaluation(summary?.id ?? '').then((r) => r.evaluation));
  const evaluation = current && current.month === month && current.campaignId === campaignId ? current : (loaded.data ?? null);
  const [confirming, setConfirming] = useState(false);
  const form = useFormSubmit();
  const frozen = evaluation?.status === 'validated';

  const run = () =>
    form.run({}, async () => {
      const result = await api.run(campaignId, month);
      setCurrent(result.evaluation);
      announce(result.unchanged ? st('sla.unchanged') : st('sla.ran'));
      history.reload();
    });

  return (
    <div className="admin-card sla-month">
      <FormBanner messages={form.server?.errors ?? {}} server={form.server} claims={[]} />
      <div className="admin-savebar">
        {editable && !frozen && (
          <button type="button" className="btn btn-primary" disabled={form.busy} onClick={() => void run()}>
            {st('sla.run')}
          </button>
        )}
        {evaluation &&
          (['pdf', 'csv', 'xlsx'] as ReportFormat[]).map((format) => (
            <button key={format} type="button" className="btn btn-secondary btn-small" onClick={() => void form.run({}, () => api.download(evaluation.id, format))}>
              {st('sla.download', { format: format.toUpperCase() })}
            </button>
          ))}
      </div>
      {!evaluation && (summary ? <LoadState loading={loaded.loading} error={loaded.error} onRetry={loaded.reload} /> : <p className="muted small">{st('sla.none')}</p>)}
      {evaluation && (
        <>
          <p>
            <strong>{evaluation.status === 'validated' ? st('sla.status.validated', { name: evaluation.validatedByName ?? '—', date: evaluation.validatedAt ?? '' }) : st('sla.status.proposed')}</strong>
          </p>
          <p className="small">
            {st('sla.totals', { proposed: formatMoney(evaluation.proposedCents), final: formatMoney(evaluation.finalCents), remaining: formatMoney(evaluation.snapshot.evaluation.globalCap.remainingCents) })}
          </p>
          <div className="sla-eval-rows">
            {evaluation.rows.map((row) => (
              <RowCard key={row.rowId} api={api} evaluationId={evaluation.id} row={row} editable={editable && !frozen} onSaved={setCurrent} />
            ))}
          </div>
          <ul className="sla-trace small">
            {evaluation.snapshot.evaluation.trace.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {editable && !frozen && (
            <button type="button" className="btn btn-primary" disabled={form.busy} onClick={() => setConfirming(true)}>
              {st('sla.validate')}
            </button>
          )}
        </>
      )}
      {confirming && evaluation && (
        <ConfirmDialog
          title={st('sla.validate')}
          message={st('sla.validateConfirm')}
          confirmLabel={st('sla.validate')}
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            setConfirming(false);
            await form.run({}, async () => {
              setCurrent((await api.validate(evaluation.id)).evaluation);
              announce(st('sla.validated'));
              history.reload();
            });
          }}
        />
      )}
    </div>
  );
}

function RowCard({ api, evaluationId, row, editable, onSaved }: { api: SlaApi; evaluationId: string; row: RowView; editable: boolean; onSaved(view: EvaluationView): void }) {
  const { st } = useSlaI18n();
  const [adjusting, setAdjusting] = useState(false);
  const [amount, setAmount] = useState(formatMoney(row.decidedCents));
  const [reason, setReason] = useState('');
  const form = useFormSubmit();
  const errors = form.server?.errors ?? {};
  const unit = UNIT[row.targetUnit];
  const decision = row.decision === null ? st('sla.decision.pending') : row.decision.decision === 'adjusted' ? st('sla.decision.adjusted', { reason: row.decision.reason ?? '' }) : st('sla.decision.accepted');
  return (
    <section className={`admin-card sla-eval-row sla-${row.status}`} aria-label={row.name}>
      <h3>{row.name}</h3>
      <dl className="sla-eval-figures">
        <dt>{st('sla.col.target')}</dt>
        <dd>
          {row.direction === 'gte' ? '≥' : '≤'} {row.target} {unit}
        </dd>
        <dt>{st('sla.col.measured')}</dt>
        <dd>{row.measured === null ? '—' : `${row.measured} ${unit}`}</dd>
        <dt>{st('sla.col.status')}</dt>
        <dd>{row.status}</dd>
        <dt>{st('sla.col.units')}</dt>
        <dd>{row.units}</dd>
        <dt>{st('sla.col.proposed')}</dt>
        <dd>{formatMoney(row.finalCents)}</dd>
        <dt>{st('sla.col.final')}</dt>
        <dd>{formatMoney(row.decidedCents)}</dd>
        <dt>{st('sla.col.decision')}</dt>
        <dd>{decision}</dd>
      </dl>
      <details>
        <summary>{st('sla.trace')}</summary>
        <ol className="sla-trace small">
          {row.trace.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ol>
      </details>
      {editable && (
        <form
          ref={form.formRef}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void form.run({}, async () => {
              const cents = parseMoney(amount);
              onSaved((await api.decide(evaluationId, row.rowId, { decision: 'adjusted', finalCents: cents ?? -1, reason })).evaluation);
              setAdjusting(false);
            });
          }}
        >
          <FormBanner messages={errors} server={form.server} claims={['finalCents', 'reason']} />
          <button type="button" className="btn btn-secondary btn-small" disabled={form.busy} onClick={() => void form.run({}, async () => onSaved((await api.decide(evaluationId, row.rowId, { decision: 'accepted' })).evaluation))}>
            {st('sla.accept')}
          </button>{' '}
          <button type="button" className="btn btn-secondary btn-small" aria-expanded={adjusting} onClick={() => setAdjusting((v) => !v)}>
            {st('sla.adjust')}
          </button>
          {adjusting && (
            <div className="sla-row-grid">
              <Field label={st('sla.adjust.amount')} messages={errors['finalCents']}>
                {(a) => <input {...a} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />}
              </Field>
              <Field label={st('sla.adjust.reason')} messages={errors['reason']}>
                {(a) => <textarea {...a} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
              </Field>
              <button type="submit" className="btn btn-primary btn-small" disabled={form.busy}>
                {st('sla.adjust.save')}
              </button>
            </div>
          )}
        </form>
      )}
    </section>
  );
}
