import { useId, useState } from 'react';
import { Field, LoadState, useResource } from '../admin-ui.js';
import { formatDay } from '../surveys/survey-range.js';
import { dayRangeToIso, lastThirtyDays, percent } from './console-format.js';
import { useIcI18n } from './i18n/ic-i18n.js';
import type { BotMetrics, IntentConsoleApi } from './intent-console-api.js';

/**
 * Per-intent figures for a period (default: the last 30 days): volume, containment, handoff
 * rate, accuracy and the repeated-wrong-answer flag; totals with the billable weighted count
 * (seed-digest §5.4: resolved 100 %, handed off 30 %, cut off 30 %, wrong 0 %).
 */
export function MetricsView({ api, campaignId }: { api: IntentConsoleApi; campaignId: string }) {
  const { it, lang } = useIcI18n();
  const headingId = useId();
  const [draft, setDraft] = useState(() => lastThirtyDays(new Date()));
  const [range, setRange] = useState(draft);
  const [invalid, setInvalid] = useState(false);
  const iso = dayRangeToIso(range);
  const resource = useResource(iso ? `${campaignId}:metrics:${iso.from}:${iso.to}` : null, () => api.metrics(campaignId, iso ?? range));

  return (
    <section className="stack" aria-labelledby={headingId}>
      <h3 id={headingId} className="admin-editor-title">
        {it('mx.title')}
      </h3>
      <form
        className="admin-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const ok = dayRangeToIso(draft) !== null;
          setInvalid(!ok);
          if (!ok) return;
          if (draft.from === range.from && draft.to === range.to) resource.reload();
          else setRange(draft);
        }}
      >
        <div className="ic-toolbar ic-range">
          <Field label={it('mx.from')} messages={invalid ? [it('mx.badRange')] : undefined}>
            {(a) => <input {...a} type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />}
          </Field>
          <Field label={it('mx.to')}>{(a) => <input {...a} type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />}</Field>
          <button type="submit" className="btn btn-primary">
            {it('mx.apply')}
          </button>
        </div>
      </form>
      {resource.data ? (
        <MetricsBody metrics={resource.data} period={it('mx.period', { from: formatDay(range.from, lang), to: formatDay(range.to, lang) })} />
      ) : (
        <LoadState loading={resource.loading} error={resource.error} onRetry={resource.reload} />
      )}
    </section>
  );
}

function MetricsBody({ metrics, period }: { metrics: BotMetrics; period: string }) {
  const { it, lang } = useIcI18n();
  const totals = metrics.totals;
  const number = (n: number) => n.toLocaleString(lang, { maximumFractionDigits: 1 });
  const kpis: [string, string][] = [
    [it('mx.interactions'), number(totals.interactions)],
    [it('mx.resolved'), number(totals.resolved)],
    [it('mx.handedOff'), number(totals.handedOff)],
    [it('mx.cutOff'), number(totals.cutOff)],
    [it('mx.wrong'), number(totals.wrong)],
    [it('mx.containment'), percent(totals.containment, lang)],
    [it('mx.billable'), number(totals.billableWeightedInteractions)],
  ];
  return (
    <div className="stack">
      <p className="small muted">{period}</p>
      <dl className="ic-kpis">
        {kpis.map(([label, value]) => (
          <div key={label} className="ic-kpi">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="admin-hint">{it('mx.billableHint')}</p>
      {metrics.intents.length === 0 ? (
        <p className="empty small">{it('mx.empty')}</p>
      ) : (
        <div className="ic-table-wrap" role="region" aria-label={it('mx.title')} tabIndex={0}>
          <table className="admin-table">
            <caption className="sr-only">
              {it('mx.title')} · {period}
            </caption>
            <thead>
              <tr>
                <th scope="col">{it('mx.intent')}</th>
                <th scope="col" className="num">
                  {it('mx.volume')}
                </th>
                <th scope="col" className="num">
                  {it('mx.containment')}
                </th>
                <th scope="col" className="num">
                  {it('mx.handoffRate')}
                </th>
                <th scope="col" className="num">
                  {it('mx.accuracy')}
                </th>
                <th scope="col" className="num">
                  {it('mx.wrong')}
                </th>
                <th scope="col">{it('mx.flag')}</th>
              </tr>
            </thead>
            <tbody>
              {metrics.intents.map((row) => (
                <tr key={row.intent}>
                  <th scope="row">{row.intent || it('mx.noIntent')}</th>
                  <td className="num">{number(row.volume)}</td>
                  <td className="num">{percent(row.containment, lang)}</td>
                  <td className="num">{percent(row.handoffRate, lang)}</td>
                  <td className="num">{percent(row.accuracy, lang)}</td>
                  <td className="num">{number(row.wrong)}</td>
                  <td>{row.repeatedWrong && <span className="chip ic-flag-wrong">{it('mx.repeatedWrong')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
