import { useId, useRef, useState } from 'react';
import type { Lang } from '../../i18n/lang.js';
import { Field, LoadState, useResource } from '../admin-ui.js';
import { useSurveyI18n, type SurveyTranslate } from './i18n/survey-i18n.js';
import type { ResultsRange, SurveyApi, SurveyResults } from './survey-api.js';
import { SATISFACTION_TARGET } from './survey-limits.js';
import { currentMonthRange, formatDay, rangeProblems } from './survey-range.js';

function decimal(value: number, lang: Lang): string {
  return value.toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A figure the hub could not compute (no answers): a dash to the eye, words to a screen reader. */
function NoData({ st }: { st: SurveyTranslate }) {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="sr-only">{st('sv.noData')}</span>
    </>
  );
}

/**
 * The survey's results for a period (default: the campaign's current month): satisfaction with
 * the contract's formula and target, the average rating, per-question and per-agent tables.
 * `version` changes when the settings are saved, so question texts and order are read again.
 */
export function SurveyResultsView({ api, campaignId, timeZone, version }: { api: SurveyApi; campaignId: string; timeZone: string; version: number }) {
  const { st, lang } = useSurveyI18n();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<ResultsRange>(() => currentMonthRange(new Date(), timeZone));
  const [range, setRange] = useState<ResultsRange>(draft);
  const [attempted, setAttempted] = useState(false);
  const resource = useResource(`${campaignId}:${range.from}:${range.to}:${version}`, () => api.results(campaignId, range));
  const problems = attempted ? rangeProblems(draft) : {};
  const problemText = (p: 'date' | 'order' | undefined) => (p === 'date' ? [st('sv.badDate')] : p === 'order' ? [st('sv.badOrder')] : undefined);

  return (
    <section className="stack" aria-labelledby={headingId}>
      <h3 id={headingId} className="admin-editor-title">
        {st('sv.results')}
      </h3>
      <form
        ref={formRef}
        className="admin-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setAttempted(true);
          if (Object.keys(rangeProblems(draft)).length > 0) {
            setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
            return;
          }
          setAttempted(false);
          if (draft.from === range.from && draft.to === range.to) resource.reload();
          else setRange(draft);
        }}
      >
        <fieldset className="admin-fieldset">
          <legend>{st('sv.period')}</legend>
          <div className="survey-range">
            <Field label={st('sv.from')} messages={problemText(problems.from)}>
              {(a) => <input {...a} type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />}
            </Field>
            <Field label={st('sv.to')} messages={problemText(problems.to)}>
              {(a) => <input {...a} type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />}
            </Field>
            <button type="submit" className="btn btn-primary">
              {st('sv.apply')}
            </button>
          </div>
          <p className="admin-hint">{st('sv.rangeHint', { timeZone })}</p>
        </fieldset>
      </form>
      {resource.data ? (
        <ResultsBody results={resource.data} range={range} st={st} lang={lang} />
      ) : (
        <LoadState loading={resource.loading} error={resource.error} onRetry={resource.reload} />
      )}
    </section>
  );
}

function ResultsBody({ results, range, st, lang }: { results: SurveyResults; range: ResultsRange; st: SurveyTranslate; lang: Lang }) {
  const period = st('sv.showing', { from: formatDay(range.from, lang), to: formatDay(range.to, lang) });
  const satisfaction = results.satisfactionPercent;
  return (
    <div className="stack">
      <p className="small muted" role="status">
        {period} · {st('sv.responses')}: {results.responses.toLocaleString(lang)}
      </p>
      <dl className="survey-kpis">
        <div className="survey-kpi">
          <dt>{st('sv.satisfaction')}</dt>
          <dd>
            <span className="survey-kpi-value">{satisfaction === null ? <NoData st={st} /> : `${decimal(satisfaction, lang)} %`}</span>
            {satisfaction !== null && (
              <span className={`chip ${satisfaction >= SATISFACTION_TARGET ? 'survey-meets' : 'survey-below'}`}>{satisfaction >= SATISFACTION_TARGET ? st('sv.meets') : st('sv.below')}</span>
            )}
            <span className="survey-kpi-note">{st('sv.formula', { target: SATISFACTION_TARGET })}</span>
          </dd>
        </div>
        <div className="survey-kpi">
          <dt>{st('sv.averageRating')}</dt>
          <dd>
            <span className="survey-kpi-value">{results.averageRating === null ? <NoData st={st} /> : st('sv.outOf5', { value: decimal(results.averageRating, lang) })}</span>
          </dd>
        </div>
        <div className="survey-kpi">
          <dt>{st('sv.responses')}</dt>
          <dd>
            <span className="survey-kpi-value">{results.responses.toLocaleString(lang)}</span>
          </dd>
        </div>
        <div className="survey-kpi">
          <dt>{st('sv.answers')}</dt>
          <dd>
            <span className="survey-kpi-value">{st('sv.yesNo', { yes: results.yes.toLocaleString(lang), no: results.no.toLocaleString(lang) })}</span>
          </dd>
        </div>
      </dl>
      {results.responses === 0 && <p className="empty small">{st('sv.empty')}</p>}
      <table className="admin-table survey-table">
        <caption>
          {st('sv.byQuestion')} <span className="small muted">· {period}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">{st('sv.question')}</th>
            <th scope="col" className="num">
              {st('sv.yes')}
            </th>
            <th scope="col" className="num">
              {st('sv.no')}
            </th>
            <th scope="col" className="num">
              {st('sv.percentYes')}
            </th>
          </tr>
        </thead>
        <tbody>
          {results.byQuestion.map((q) => (
            <tr key={q.id}>
              <th scope="row">{q.text ?? <span className="muted">{st('sv.retired', { id: q.id })}</span>}</th>
              <td className="num">{q.yes.toLocaleString(lang)}</td>
              <td className="num">{q.no.toLocaleString(lang)}</td>
              <td className="num">{q.percent === null ? <NoData st={st} /> : decimal(q.percent, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="admin-table survey-table">
        <caption>
          {st('sv.byAgent')} <span className="small muted">· {period}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">{st('sv.agent')}</th>
            <th scope="col">{st('sv.tier')}</th>
            <th scope="col" className="num">
              {st('sv.agentResponses')}
            </th>
            <th scope="col" className="num">
              {st('sv.average')}
            </th>
          </tr>
        </thead>
        <tbody>
          {results.byAgent.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted">
                {st('sv.noAgents')}
              </td>
            </tr>
          ) : (
            results.byAgent.map((a) => (
              <tr key={`${a.agentId}:${a.tier}`}>
                <th scope="row">{a.displayName}</th>
                <td>{st(`sv.tier.${a.tier}`)}</td>
                <td className="num">{a.responses.toLocaleString(lang)}</td>
                <td className="num">{a.averageRating === null ? <NoData st={st} /> : decimal(a.averageRating, lang)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
