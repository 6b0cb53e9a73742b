import type { Lang } from '../../i18n/lang.js';
import type { ReportsTranslate } from './i18n/reports-i18n.js';
import type { KpiResult, ReportColumn, ReportJson, ReportTableJson } from './reports-api.js';
import { cellText, isKpi, kpiText, localTime } from './reports-form.js';

/** A KPI cell: the value, and on hover or expand the arithmetic, formula and contract lines. */
function KpiCell({ k, lang, rt }: { k: KpiResult; lang: Lang; rt: ReportsTranslate }) {
  const shown = kpiText(k, lang);
  const detail = rt('rp.kpiDetail', { explanation: k.explanation, formula: `${k.formula} (${k.seedRef})` });
  return (
    <details className="report-kpi" title={detail}>
      <summary>{shown ?? <span className="muted">{rt('rp.noTraffic')}</span>}</summary>
      <span className="report-kpi-detail">
        <span className="report-kpi-ratio">{rt('rp.numDen', { numerator: k.numerator.toLocaleString(lang), denominator: k.denominator.toLocaleString(lang) })}</span>
        <span>{k.explanation}</span>
        <span className="muted">
          {k.formula} · {k.seedRef}
        </span>
      </span>
    </details>
  );
}

const label = (c: { label_es: string; label_en: string }, lang: Lang): string => (lang === 'en' ? c.label_en : c.label_es);
const numeric = (c: ReportColumn): boolean => c.type !== 'text' && c.type !== 'datetime';

function PreviewTable({ table, lang, rt, timeZone }: { table: ReportTableJson; lang: Lang; rt: ReportsTranslate; timeZone: string }) {
  return (
    <div className="report-table-wrap" tabIndex={0} role="region" aria-label={lang === 'en' ? table.title_en : table.title_es}>
      <table className="admin-table report-table">
        <caption>
          {lang === 'en' ? table.title_en : table.title_es} <span className="small muted">· {rt('rp.rows', { count: table.rows.length })}</span>
        </caption>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c.key} scope="col" className={numeric(c) ? 'num' : undefined}>
                {label(c, lang)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.length === 0 ? (
            <tr>
              <td colSpan={table.columns.length} className="muted">
                {rt('rp.noRows')}
              </td>
            </tr>
          ) : (
            table.rows.map((row, i) => (
              <tr key={i}>
                {table.columns.map((c) => {
                  const cell = row[c.key];
                  return (
                    <td key={c.key} className={numeric(c) ? 'num' : undefined}>
                      {isKpi(cell) ? <KpiCell k={cell} lang={lang} rt={rt} /> : cellText(c, cell, lang, timeZone)}
                    </td>
                  );
                })}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The report as the hub computed it (JSON), one table after another, with its notes. */
export function ReportPreview({ report, lang, rt }: { report: ReportJson; lang: Lang; rt: ReportsTranslate }) {
  const notes = report.tables[0]?.notes ?? [];
  return (
    <div className="stack">
      <p className="small muted" role="status">
        {rt('rp.generated', { campaign: report.campaignName, from: report.from, to: report.to, when: localTime(report.generatedAt, report.timeZone, lang) })}
      </p>
      {report.tables.map((table) => (
        <PreviewTable key={table.id} table={table} lang={lang} rt={rt} timeZone={report.timeZone} />
      ))}
      <details className="report-notes">
        <summary>{rt('rp.notes')}</summary>
        <dl>
          {notes.map((n, i) => (
            <div key={i}>
              <dt>{label(n, lang)}</dt>
              <dd>{n.value}</dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}
