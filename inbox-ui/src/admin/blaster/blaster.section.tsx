import { useEffect, useMemo, useState } from 'react';
import type { AuthSession } from '../../api/auth-session.js';
import { useAdmin } from '../admin-context.js';
import { ListButton, LoadState, SectionHead, SplitView, useResource } from '../admin-ui.js';
import { BlastDetail, blastStatusChip, doneCount } from './blast-detail.view.js';
import { BlastForm } from './blast-form.view.js';
import { BlasterApi, type BlastView, type UploadReport } from './blaster-api.js';
import { useBlasterI18n } from './i18n/blaster-i18n.js';

const LIVE: readonly BlastView['status'][] = ['scheduled', 'running'];

/**
 * The voice blaster (issue 8 item 7) for admins and supervisors: the campaign's voice-message
 * campaigns with their progress, a new one (message, keypad options, schedule, calling hours,
 * pace, list upload), pause / resume / cancel and per-recipient status. A live one is re-read every 3 s.
 */
export function BlasterSection({ campaignId, session }: { campaignId: string; session: AuthSession }) {
  const { t, api: adminApi, isManager } = useAdmin();
  const { bt } = useBlasterI18n();
  const api = useMemo(() => new BlasterApi(session), [session]);
  const resource = useResource(campaignId, () => api.list(campaignId).then((r) => r.items));
  const channels = useResource(`${campaignId}:voice-channels`, () => adminApi.channels(campaignId).then((r) => r.items.filter((c) => c.kind === 'voice').map((c) => ({ id: c.id, name: c.name }))));
  const queues = useResource(`${campaignId}:queues`, () => adminApi.queues(campaignId).then((r) => r.items.map((q) => ({ id: q.id, name: q.name }))));
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  // The list's bad lines as the upload reported them, shown with the new draft.
  const [lineProblems, setLineProblems] = useState<Record<string, string[]>>({});
  const list = resource.data ?? [];
  const current = selected === 'new' ? null : (list.find((b) => b.id === selected) ?? list[0] ?? null);
  const { setData } = resource;

  function upsert(blast: BlastView) {
    setData((items) => {
      const all = items ?? [];
      return all.some((b) => b.id === blast.id) ? all.map((b) => (b.id === blast.id ? blast : b)) : [blast, ...all];
    });
    setSelected(blast.id);
  }

  const liveId = current && LIVE.includes(current.status) ? current.id : null;
  useEffect(() => {
    if (!liveId) return;
    const timer = setInterval(() => {
      api.get(liveId).then(
        (fresh) => setData((items) => (items ?? []).map((b) => (b.id === fresh.id ? fresh : b))),
        () => undefined,
      );
    }, 3000);
    return () => clearInterval(timer);
  }, [api, liveId, setData]);

  return (
    <div className="admin-section">
      <SectionHead title={t('section.blaster')} newLabel={bt('vb.new')} onNew={isManager ? () => setSelected('new') : undefined} />
      <SplitView
        listLabel={bt('vb.list')}
        list={
          resource.data === undefined ? (
            <LoadState loading={resource.loading} error={resource.error} onRetry={resource.reload} />
          ) : list.length === 0 ? (
            <p className="empty small">{bt('vb.empty')}</p>
          ) : (
            <ul className="admin-list">
              {list.map((b) => (
                <li key={b.id}>
                  <ListButton selected={selected !== 'new' && b.id === current?.id} onClick={() => setSelected(b.id)}>
                    <span className="admin-item-title">
                      {b.name} {blastStatusChip(b.status, bt)}
                    </span>
                    <span className="admin-item-sub">{bt('vb.listSub', { done: doneCount(b), total: b.summary.total })}</span>
                  </ListButton>
                </li>
              ))}
            </ul>
          )
        }
        editor={
          selected === 'new' || (resource.data !== undefined && current === null) ? (
            isManager ? <BlastForm key="new" api={api} campaignId={campaignId} channels={channels.data ?? []} queues={queues.data ?? []} onCreated={(blast: BlastView, upload: UploadReport | null) => {
                  setLineProblems((all) => ({ ...all, [blast.id]: upload?.problems.map((p) => p.reason) ?? [] }));
                  upsert(blast);
                }}
              /> : null
          ) : current ? (
            <BlastDetail key={current.id} api={api} blast={current} lineProblems={lineProblems[current.id] ?? []} onChanged={upsert} />
          ) : null
        }
      />
    </div>
  );
}
