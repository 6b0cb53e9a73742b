import { useId, useRef, useState } from 'react';
import type { BotModelStatusView } from '../../../../hub/src/bots/console/console.contract.js';
import { formatDateTime } from '../../i18n/format.js';
import { Icon } from '../../ui/icons.view.js';
import { useAdmin } from '../admin-context.js';
import { ConfirmDialog } from '../admin-ui.js';
import { serverFeedback } from '../form-problems.js';
import { exportFileName, percent, perIntentRows, seconds } from './console-format.js';
import { useIcI18n, type IcTranslate } from './i18n/ic-i18n.js';
import type { BotModelDetail, BotModelSummary, IntentConsoleApi } from './intent-console-api.js';
import { normalizeProblemPath } from './model-problems.js';

export function StatusBadge({ status, it }: { status: BotModelStatusView; it: IcTranslate }) {
  return <span className={`chip ic-status ic-status-${status}`}>{it(`ic.status.${status}`)}</span>;
}

export function trainingSummary(training: NonNullable<BotModelSummary['training']>, it: IcTranslate, lang: Parameters<typeof percent>[1]): string {
  return it('ver.trained', { duration: seconds(training.durationMs, lang), accuracy: percent(training.accuracy, lang) });
}

type Pending = { kind: 'promote' | 'restore'; model: BotModelSummary } | { kind: 'rollback' } | null;

/**
 * The model's versions (issue 7 item 5): draft → trained → production, the previous production
 * archived and restorable; export and import of the whole model as JSON. Training blocks its
 * row's buttons (it takes seconds on a big model) and ends with duration and accuracy.
 */
export function VersionsView({
  api,
  campaignId,
  items,
  canEdit,
  selectedId,
  onChanged,
  onOpen,
}: {
  api: IntentConsoleApi;
  campaignId: string;
  items: BotModelSummary[];
  canEdit: boolean;
  selectedId: string | null;
  onChanged(detail: BotModelDetail | null): void;
  onOpen(id: string): void;
}) {
  const { announce, t } = useAdmin();
  const { it, lang } = useIcI18n();
  const fileRef = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const [busy, setBusy] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [error, setError] = useState<{ title: string; lines: string[] } | null>(null);
  const [reportId, setReportId] = useState<string | null>(null);
  const offline = t('admin.networkError');
  const hasProduction = items.some((m) => m.status === 'production');
  const report = items.find((m) => m.id === (reportId ?? selectedId) && m.training) ?? items.find((m) => m.training);

  function fail(title: string, e: unknown) {
    const feedback = serverFeedback(e, lang, offline);
    const lines = Object.entries(feedback.errors).flatMap(([path, list]) => list.map((m) => (path ? `${normalizeProblemPath(path)}: ${m}` : m)));
    setError({ title, lines: lines.length > 0 ? [feedback.general, ...lines] : [feedback.general] });
  }

  async function act(key: string, action: () => Promise<void>, title = t('admin.networkError')) {
    setBusy(key);
    setError(null);
    try {
      await action();
    } catch (e) {
      fail(title, e);
    } finally {
      setBusy(null);
    }
  }

  async function importFile(file: File) {
    const title = it('ver.importFailed', { file: file.name });
    const text = await file.text();
    if (text.trim() === '') return setError({ title, lines: [it('ver.importEmpty')] });
    let model: unknown;
    try {
      model = JSON.parse(text);
    } catch (e) {
      return setError({ title, lines: [it('ver.importNotJson', { error: e instanceof Error ? e.message : String(e) })] });
    }
    await act(
      'import',
      async () => {
        const detail = await api.importModel(campaignId, { model, note: file.name.slice(0, 200) });
        announce(it('ver.imported', { version: detail.version }));
        onChanged(detail);
      },
      title,
    );
  }

  return (
    <section className="stack" aria-labelledby={headingId}>
      <div className="ic-toolbar">
        <h3 id={headingId} className="admin-editor-title">
          {it('ver.list')}
        </h3>
        <span className="spacer" />
        {canEdit && (
          <>
            <button
              type="button"
              className="btn btn-primary btn-small"
              disabled={busy !== null}
              onClick={() =>
                void act('new', async () => {
                  const detail = await api.createDraft(campaignId, {});
                  announce(it('ver.newDraftDone', { version: detail.version }));
                  onChanged(detail);
                })
              }
            >
              + {it('ver.newDraft')}
            </button>
            <button type="button" className="btn btn-secondary btn-small" disabled={busy !== null || !hasProduction} onClick={() => setPending({ kind: 'rollback' })}>
              <Icon name="transfer" /> {it('ver.rollback')}
            </button>
            <button type="button" className="btn btn-secondary btn-small" disabled={busy !== null} onClick={() => fileRef.current?.click()}>
              <Icon name="file" /> {busy === 'import' ? it('ver.importing') : it('ver.import')}
            </button>
            <input
              ref={fileRef}
              type="file"
              accept="application/json,.json"
              className="sr-only"
              tabIndex={-1}
              aria-label={it('ver.import')}
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void importFile(file);
              }}
            />
          </>
        )}
      </div>
      {error && (
        <div className="banner banner-error small ic-error" role="alert">
          <p className="admin-banner-title">
            <Icon name="alert" /> {error.title}
          </p>
          <ul className="admin-banner-list">
            {error.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      {items.length === 0 ? (
        <p className="empty small">{it('ic.noModels')}</p>
      ) : (
        <div className="ic-table-wrap" role="region" aria-label={it('ver.list')} tabIndex={0}>
          <table className="admin-table ic-versions">
            <caption className="sr-only">{it('ver.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{it('ver.version')}</th>
                <th scope="col">{it('ver.status')}</th>
                <th scope="col" className="num">
                  {it('ver.intents')}
                </th>
                <th scope="col" className="num">
                  {it('ver.phrases')}
                </th>
                <th scope="col" className="num">
                  {it('ver.accuracy')}
                </th>
                <th scope="col">{it('ver.trainedAt')}</th>
                <th scope="col">{it('ver.note')}</th>
                <th scope="col">{it('ver.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id} data-version={m.version} data-status={m.status} className={m.id === selectedId ? 'ic-selected' : undefined}>
                  <th scope="row">{it('ic.version', { version: m.version })}</th>
                  <td>
                    <StatusBadge status={m.status} it={it} />
                  </td>
                  <td className="num">{m.intents.toLocaleString(lang)}</td>
                  <td className="num">{m.phrases.toLocaleString(lang)}</td>
                  <td className="num">{m.training ? percent(m.training.accuracy, lang) : <span className="muted">{it('ver.notTrained')}</span>}</td>
                  <td>{m.training ? formatDateTime(m.training.trainedAt, lang) : '—'}</td>
                  <td>{m.note ?? ''}</td>
                  <td>
                    <div className="ic-row-actions">
                      <button type="button" className="btn btn-ghost btn-small" aria-label={it('ver.openVersion', { version: m.version })} onClick={() => onOpen(m.id)}>
                        {it('ver.open')}
                      </button>
                      {canEdit && m.status === 'draft' && (
                        <button
                          type="button"
                          className="btn btn-secondary btn-small"
                          aria-label={it('ver.trainVersion', { version: m.version })}
                          aria-busy={busy === `train:${m.id}` ? true : undefined}
                          disabled={busy !== null}
                          onClick={() =>
                            void act(`train:${m.id}`, async () => {
                              const detail = await api.train(campaignId, m.id);
                              setReportId(detail.id);
                              if (detail.training) announce(it('ver.trainedNote', { version: detail.version, summary: trainingSummary(detail.training, it, lang) }));
                              onChanged(detail);
                            })
                          }
                        >
                          {busy === `train:${m.id}` ? (
                            <>
                              <span className="ic-spinner" aria-hidden="true" /> {it('ver.training')}
                            </>
                          ) : (
                            it('ver.train')
                          )}
                        </button>
                      )}
                      {canEdit && m.status === 'draft' && (
                        <button
                          type="button"
                          className="btn btn-primary btn-small"
                          aria-label={it('ver.promoteVersion', { version: m.version })}
                          title={m.training ? undefined : it('ver.mustTrain')}
                          disabled={busy !== null || m.training === null}
                          onClick={() => setPending({ kind: 'promote', model: m })}
                        >
                          {it('ver.promote')}
                        </button>
                      )}
                      {canEdit && m.status === 'archived' && (
                        <button type="button" className="btn btn-secondary btn-small" aria-label={it('ver.restoreVersion', { version: m.version })} disabled={busy !== null} onClick={() => setPending({ kind: 'restore', model: m })}>
                          {it('ver.restore')}
                        </button>
                      )}
                      <button
                        type="button"
                        className="btn btn-ghost btn-small"
                        aria-label={it('ver.exportVersion', { version: m.version })}
                        disabled={busy !== null}
                        onClick={() => void act(`export:${m.id}`, () => api.download(campaignId, m.id, exportFileName(m)))}
                      >
                        <Icon name="download" /> {it('ver.export')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report?.training && <TrainingReport model={report} it={it} lang={lang} />}
      {pending && (
        <ConfirmDialog
          title={pending.kind === 'rollback' ? it('ver.rollbackTitle') : pending.kind === 'promote' ? it('ver.promoteTitle') : it('ver.restoreTitle')}
          message={pending.kind === 'rollback' ? it('ver.rollbackConfirm') : it(pending.kind === 'promote' ? 'ver.promoteConfirm' : 'ver.restoreConfirm', { version: pending.model.version })}
          confirmLabel={pending.kind === 'rollback' ? it('ver.rollback') : pending.kind === 'promote' ? it('ver.promote') : it('ver.restore')}
          onClose={() => setPending(null)}
          onConfirm={async () => {
            const detail = pending.kind === 'rollback' ? await api.rollback(campaignId) : await api.promote(campaignId, pending.model.id);
            announce(pending.kind === 'rollback' ? it('ver.rolledBack', { version: detail.version }) : it('ver.promoted', { version: detail.version }));
            onChanged(detail);
          }}
        />
      )}
    </section>
  );
}

function TrainingReport({ model, it, lang }: { model: BotModelSummary; it: IcTranslate; lang: Parameters<typeof percent>[1] }) {
  const training = model.training;
  if (!training) return null;
  const rows = perIntentRows(training);
  return (
    <div className="admin-card stack ic-training">
      <p className="ic-training-summary" role="status">
        <Icon name="check" /> {it('ver.trainedNote', { version: model.version, summary: trainingSummary(training, it, lang) })}
      </p>
      <div className="ic-table-wrap ic-table-tall" role="region" aria-label={it('ver.perIntent', { folds: training.folds, version: model.version })} tabIndex={0}>
        <table className="admin-table">
          <caption>{it('ver.perIntent', { folds: training.folds, version: model.version })}</caption>
          <thead>
            <tr>
              <th scope="col">{it('ver.intent')}</th>
              <th scope="col" className="num">
                {it('ver.correct')}
              </th>
              <th scope="col" className="num">
                {it('ver.total')}
              </th>
              <th scope="col" className="num">
                {it('ver.accuracy')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.intent}>
                <th scope="row">{row.intent}</th>
                <td className="num">{row.correct.toLocaleString(lang)}</td>
                <td className="num">{row.total.toLocaleString(lang)}</td>
                <td className={`num${row.accuracy < 0.8 ? ' ic-low' : ''}`}>{percent(row.accuracy, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
