import { useEffect, useState } from 'react';
import { Icon } from '../../ui/icons.view.js';
import { useAdmin } from '../admin-context.js';
import { ConfirmDialog, EditorTitle } from '../admin-ui.js';
import { serverFeedback } from '../form-problems.js';
import type { BlasterApi, BlastRecipientView, BlastView } from './blaster-api.js';
import { useBlasterI18n, type BlasterTranslate } from './i18n/blaster-i18n.js';

const RECIPIENT_STATUSES: readonly BlastRecipientView['status'][] = ['pending', 'calling', 'answered', 'confirmed', 'declined', 'transferred', 'no_answer', 'busy', 'failed', 'machine', 'opted_out', 'invalid'];
const OPEN: readonly BlastRecipientView['status'][] = ['pending', 'calling'];

export function blastStatusChip(status: BlastView['status'], bt: BlasterTranslate) {
  const tone = status === 'completed' ? 'status-assigned' : status === 'cancelled' ? 'status-abandoned' : status === 'running' || status === 'scheduled' ? 'status-queued' : 'status-bot';
  return <span className={`status-chip ${tone}`}>{bt(`vb.status.${status}`)}</span>;
}

/** Recipients that will not be called again (whatever the outcome). */
export function doneCount(blast: BlastView): number {
  return Object.entries(blast.summary.byStatus).reduce((n, [status, count]) => (OPEN.some((o) => o === status) ? n : n + count), 0);
}

/**
 * One blast: status, progress, schedule / pause / resume / cancel, the per-recipient table
 * (filter by status, paged) and the results CSV. The parent re-reads a live blast every 3 s.
 */
export function BlastDetail({ api, blast, lineProblems, onChanged }: { api: BlasterApi; blast: BlastView; lineProblems: readonly string[]; onChanged(b: BlastView): void }) {
  const { announce, lang, t } = useAdmin();
  const { bt } = useBlasterI18n();
  const [busy, setBusy] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [filter, setFilter] = useState('');
  const [rows, setRows] = useState<{ items: BlastRecipientView[]; next: string | null }>({ items: [], next: null });
  const total = blast.summary.total;
  const done = doneCount(blast);

  useEffect(() => {
    let stale = false;
    api.recipients(blast.id, filter ? { status: filter } : {}).then(
      (page) => {
        if (!stale) setRows({ items: page.items, next: page.nextCursor });
      },
      () => undefined,
    );
    return () => {
      stale = true;
    };
    // The summary changes while calls go on: the first page follows it.
  }, [api, blast.id, filter, done, blast.summary.inCall]);

  async function run(work: () => Promise<BlastView>, message: string) {
    setBusy(true);
    try {
      onChanged(await work());
      announce(message);
    } catch (error) {
      announce(bt('vb.refused', { message: serverFeedback(error, lang, t('admin.networkError')).general }), 'warn');
    } finally {
      setBusy(false);
    }
  }

  const more = async () => {
    if (!rows.next) return;
    const page = await api.recipients(blast.id, { ...(filter ? { status: filter } : {}), cursor: rows.next });
    setRows((prev) => ({ items: [...prev.items, ...page.items], next: page.nextCursor }));
  };

  return (
    <div className="stack">
      <EditorTitle text={bt('vb.detail', { name: blast.name })} />
      <p>{blastStatusChip(blast.status, bt)}</p>
      {lineProblems.length > 0 && (
        <div className="banner banner-warn small" role="status">
          <strong>{bt('vb.lineProblems')}</strong>
          <ul>
            {lineProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <div>
        <label htmlFor={`progress-${blast.id}`}>{bt('vb.progress')}</label>
        <progress id={`progress-${blast.id}`} max={Math.max(1, total)} value={done} />
        <p className="small">{bt('vb.progressText', { done, total, inCall: blast.summary.inCall, retrying: blast.summary.retrying })}</p>
      </div>
      <div className="admin-wrap" role="group" aria-label={bt('vb.progress')}>
        {blast.status === 'draft' && (
          <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => void run(() => api.schedule(blast.id), bt('vb.scheduled'))}>
            {bt('vb.schedule')}
          </button>
        )}
        {(blast.status === 'running' || blast.status === 'scheduled') && (
          <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => void run(() => api.action(blast.id, 'pause'), bt('vb.paused'))}>
            {bt('vb.pause')}
          </button>
        )}
        {blast.status === 'paused' && (
          <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => void run(() => api.action(blast.id, 'resume'), bt('vb.resumed'))}>
            {bt('vb.resume')}
          </button>
        )}
        <button type="button" className="btn btn-secondary btn-small" onClick={() => void api.downloadResults(blast.id).then(() => announce(bt('vb.downloaded')))}>
          <Icon name="download" /> {bt('vb.download')}
        </button>
        {blast.status !== 'completed' && blast.status !== 'cancelled' && (
          <button type="button" className="btn btn-ghost admin-danger-text btn-small" onClick={() => setCancelling(true)}>
            {bt('vb.cancel')}
          </button>
        )}
      </div>
      <h4>{bt('vb.recipients')}</h4>
      <label>
        {bt('vb.filter')}{' '}
        <select value={filter} onChange={(e) => setFilter(e.target.value)}>
          <option value="">{bt('vb.all')}</option>
          {RECIPIENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {bt(`vb.r.${s}`)} ({blast.summary.byStatus[s] ?? 0})
            </option>
          ))}
        </select>
      </label>
      {/* Focusable so a keyboard can scroll the wide table (axe: scrollable-region-focusable). */}
      <div role="region" aria-label={bt('vb.recipients')} tabIndex={0} style={{ overflowX: 'auto' }}>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{bt('vb.col.line')}</th>
            <th scope="col">{bt('vb.col.phone')}</th>
            <th scope="col">{bt('vb.col.name')}</th>
            <th scope="col">{bt('vb.col.status')}</th>
            <th scope="col">{bt('vb.col.digits')}</th>
            <th scope="col">{bt('vb.col.attempts')}</th>
            <th scope="col">{bt('vb.col.error')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.items.map((r) => (
            <tr key={r.id}>
              <td>{r.line}</td>
              <td>{r.phone}</td>
              <td>{r.name ?? ''}</td>
              <td>{bt(`vb.r.${r.status}`)}</td>
              <td>{r.digits ?? ''}</td>
              <td>{r.attempts}</td>
              <td>{r.lastError ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      {rows.next && (
        <button type="button" className="btn btn-secondary btn-small" onClick={() => void more()}>
          {bt('vb.more')}
        </button>
      )}
      {cancelling && (
        <ConfirmDialog
          title={bt('vb.cancel')}
          message={<p>{bt('vb.cancelConfirm', { name: blast.name })}</p>}
          confirmLabel={bt('vb.cancel')}
          danger
          onClose={() => setCancelling(false)}
          onConfirm={() => run(() => api.action(blast.id, 'cancel'), bt('vb.cancelled'))}
        />
      )}
    </div>
  );
}
