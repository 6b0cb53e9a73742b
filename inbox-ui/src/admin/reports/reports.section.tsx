import { useMemo, useRef, useState } from 'react';
import type { AuthSession } from '../../api/auth-session.js';
import { Icon } from '../../ui/icons.view.js';
import { useAdmin } from '../admin-context.js';
import { Field, LoadState, SectionHead, useResource } from '../admin-ui.js';
import { serverFeedback } from '../form-problems.js';
import { useReportsI18n } from './i18n/reports-i18n.js';
import { ReportPreview } from './report-preview.view.js';
import { ReportTokensView } from './report-tokens.view.js';
import { type ReportCatalogueItem, type ReportInterval, type ReportJson, ReportsApi } from './reports-api.js';
import { type RangeProblem, rangeProblems, type ReportForm, reportQuery, yesterdayIn } from './reports-form.js';
import './reports.css';

const FALLBACK_TIME_ZONE = 'America/Mexico_City';
const INTERVALS: readonly ReportInterval[] = ['half_hour', 'day', 'week', 'month'];

/**
 * «Reportes» (issue 9 item 7): pick a report and a period, see it on screen with each figure's
 * formula and arithmetic, download it as CSV or XLSX (the hub audits every download), and manage
 * the campaign's report tokens for BI tools (admins and the campaign's supervisors).
 */
export function ReportsSection({ campaignId, session }: { campaignId: string; session: AuthSession }) {
  const { t, campaigns, isManager, announce } = useAdmin();
  const { rt, lang } = useReportsI18n();
  const api = useMemo(() => new ReportsApi(session), [session]);
  const timeZone = campaigns.find((c) => c.id === campaignId)?.timeZone ?? FALLBACK_TIME_ZONE;
  const catalogue = useResource('reports-catalogue', () => api.catalogue().then((r) => r.items));
  const [form, setForm] = useState<ReportForm>(() => {
    const day = yesterdayIn(new Date(), timeZone);
    return { reportId: 'daily-service-level', from: day, to: day, interval: 'half_hour' };
  });
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState<'json' | 'csv' | 'xlsx' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ReportJson | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const items = catalogue.data ?? [];
  const selected: ReportCatalogueItem | undefined = items.find((r) => r.id === form.reportId);
  const withInterval = selected?.parameters.some((p) => p.name === 'interval') ?? false;
  const maxDays = selected ? selected.maxDays[withInterval ? form.interval : 'day'] : 31;
  const problems = attempted ? rangeProblems(form, maxDays) : {};
  const problemText = (p: RangeProblem | undefined) => (p === 'date' ? [rt('rp.badDate')] : p === 'order' ? [rt('rp.badOrder')] : p === 'long' ? [rt('rp.tooLong', { max: maxDays })] : undefined);

  async function run(format: 'json' | 'csv' | 'xlsx') {
    setAttempted(true);
    if (Object.keys(rangeProblems(form, maxDays)).length > 0) {
      setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
      return;
    }
    setBusy(format);
    setError(null);
    try {
      const query = reportQuery(campaignId, form, { format, lang, withInterval });
      if (format === 'json') setResult(await api.run(form.reportId, query));
      else announce(rt('rp.downloaded', { name: await api.download(form.reportId, query) }));
    } catch (e) {
      setError(serverFeedback(e, lang, t('admin.networkError')).general);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="admin-section reports-section">
      <SectionHead title={t('section.reports')} />
      <p className="admin-hint">{rt('rp.intro')}</p>
      <div className="admin-card">
        {catalogue.data ? (
          <form
            ref={formRef}
            className="admin-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void run('json');
            }}
          >
            <div className="report-form-grid">
              <Field label={rt('rp.report')} hint={selected ? (lang === 'en' ? selected.description_en : selected.description_es) : undefined}>
                {(a) => (
                  <select
                    {...a}
                    value={form.reportId}
                    onChange={(e) => {
                      setForm({ ...form, reportId: e.target.value });
                      setResult(null);
                    }}
                  >
                    {items.map((r) => (
                      <option key={r.id} value={r.id}>
                        {lang === 'en' ? r.name_en : r.name_es}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={rt('rp.from')} messages={problemText(problems.from)}>
                {(a) => <input {...a} type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />}
              </Field>
              <Field label={rt('rp.to')} messages={problemText(problems.to)}>
                {(a) => <input {...a} type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />}
              </Field>
              {withInterval && (
                <Field label={rt('rp.interval')}>
                  {(a) => (
                    <select {...a} value={form.interval} onChange={(e) => setForm({ ...form, interval: INTERVALS.find((i) => i === e.target.value) ?? 'half_hour' })}>
                      {INTERVALS.map((i) => (
                        <option key={i} value={i}>
                          {rt(`rp.interval.${i}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              )}
            </div>
            <p className="admin-hint">{rt('rp.rangeHint', { timeZone, max: maxDays })}</p>
            <div className="report-actions">
              <button type="submit" className="btn btn-primary" disabled={busy !== null}>
                <Icon name="search" /> {rt('rp.show')}
              </button>
              <button type="button" className="btn btn-secondary" disabled={busy !== null} onClick={() => void run('csv')}>
                <Icon name="download" /> {rt('rp.csv')}
              </button>
              <button type="button" className="btn btn-secondary" disabled={busy !== null} onClick={() => void run('xlsx')}>
                <Icon name="download" /> {rt('rp.xlsx')}
              </button>
            </div>
          </form>
        ) : (
          <LoadState loading={catalogue.loading} error={catalogue.error} onRetry={catalogue.reload} />
        )}
        {error && (
          <p className="banner banner-error small" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="admin-card report-result" aria-busy={busy === 'json'}>
        {result && result.report.id === form.reportId ? <ReportPreview report={result} lang={lang} rt={rt} /> : <p className="empty small">{rt('rp.pick')}</p>}
      </div>
      {isManager && (
        <div className="admin-card">
          <ReportTokensView api={api} campaignId={campaignId} timeZone={timeZone} sampleDate={form.from} />
        </div>
      )}
    </div>
  );
}
