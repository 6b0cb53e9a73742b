import { useEffect, useMemo, useState } from 'react';
import type { AuthSession } from '../../api/auth-session.js';
import { Icon } from '../../ui/icons.view.js';
import { useAdmin } from '../admin-context.js';
import { ConfirmDialog, EditorTitle, ListButton, LoadState, SectionHead, SplitView, useResource } from '../admin-ui.js';
import { useMassMailI18n, type MassMailTranslate } from './i18n/mass-mail-i18n.js';
import { MassMailApi, type MailingView } from './mass-mail-api.js';
import { MailingForm, RateForm, type ChannelOption } from './mailing-forms.view.js';
import { ScheduleBox, SummaryView, UploadBox } from './mailing-tools.view.js';

const LIVE: readonly MailingView['status'][] = ['scheduled', 'sending'];
const RATE_EDITABLE: readonly MailingView['status'][] = ['scheduled', 'sending', 'paused'];

function statusChip(status: MailingView['status'], mt: MassMailTranslate) {
  const tone = status === 'completed' ? 'status-assigned' : status === 'cancelled' ? 'status-abandoned' : LIVE.includes(status) ? 'status-queued' : 'status-bot';
  return <span className={`status-chip ${tone}`}>{mt(`mm.status.${status}`)}</span>;
}

/**
 * Mass e-mail (issue 5 item 11) for admins and supervisors: mailings of the campaign with their
 * status and summary, a draft's template and list upload, scheduling, pause / resume / cancel and
 * the bad-address download. A mailing being sent is re-read every 3 s.
 */
export function MassMailSection({ campaignId, session }: { campaignId: string; session: AuthSession }) {
  const { t, api: adminApi, isManager } = useAdmin();
  const { mt } = useMassMailI18n();
  const api = useMemo(() => new MassMailApi(session), [session]);
  const resource = useResource(campaignId, () => api.list(campaignId).then((r) => r.items));
  const channels = useResource(`${campaignId}:email-channels`, () => adminApi.channels(campaignId).then((r) => r.items.filter((c) => c.kind === 'email')));
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const list = resource.data ?? [];
  const current = selected === 'new' ? null : (list.find((m) => m.id === selected) ?? list[0] ?? null);
  const { setData } = resource;

  function upsert(mailing: MailingView) {
    setData((items) => {
      const all = items ?? [];
      return all.some((m) => m.id === mailing.id) ? all.map((m) => (m.id === mailing.id ? mailing : m)) : [mailing, ...all];
    });
    setSelected(mailing.id);
  }

  const liveId = current && LIVE.includes(current.status) ? current.id : null;
  useEffect(() => {
    if (!liveId) return;
    const timer = setInterval(() => {
      api.get(campaignId, liveId).then(
        (fresh) => setData((items) => (items ?? []).map((m) => (m.id === fresh.id ? fresh : m))),
        () => undefined,
      );
    }, 3000);
    return () => clearInterval(timer);
  }, [api, campaignId, liveId, setData]);

  return (
    <div className="admin-section">
      <SectionHead title={t('section.massMail')} newLabel={mt('mm.new')} onNew={isManager ? () => setSelected('new') : undefined} />
      <SplitView
        listLabel={mt('mm.list')}
        list={
          resource.data === undefined ? (
            <LoadState loading={resource.loading} error={resource.error} onRetry={resource.reload} />
          ) : list.length === 0 ? (
            <p className="empty small">{mt('mm.empty')}</p>
          ) : (
            <ul className="admin-list">
              {list.map((m) => (
                <li key={m.id}>
                  <ListButton selected={selected !== 'new' && m.id === current?.id} onClick={() => setSelected(m.id)}>
                    <span className="admin-item-title">
                      {m.name} {statusChip(m.status, mt)}
                    </span>
                    <span className="admin-item-sub">{mt('mm.listSub', { sent: m.summary.sent, total: m.summary.total })}</span>
                  </ListButton>
                </li>
              ))}
            </ul>
          )
        }
        editor={
          selected === 'new' || (resource.data !== undefined && current === null) ? (
            isManager ? <MailingForm key="new" api={api} campaignId={campaignId} mailing={null} channels={channels.data ?? []} onSaved={upsert} /> : null
          ) : current ? (
            <MailingDetail key={current.id} api={api} campaignId={campaignId} mailing={current} channels={channels.data ?? []} onChanged={upsert} />
          ) : null
        }
      />
    </div>
  );
}

function MailingDetail({ api, campaignId, mailing, channels, onChanged }: { api: MassMailApi; campaignId: string; mailing: MailingView; channels: ChannelOption[]; onChanged(m: MailingView): void }) {
  const { announce } = useAdmin();
  const { mt } = useMassMailI18n();
  const [cancelling, setCancelling] = useState(false);
  const [busy, setBusy] = useState(false);
  const act = async (action: 'pause' | 'resume' | 'cancel', done: string) => {
    setBusy(true);
    try {
      onChanged(await api.action(campaignId, mailing.id, action));
      announce(done);
    } catch {
      announce(mt('mm.frozen'), 'warn');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack">
      <EditorTitle text={mt('mm.edit', { name: mailing.name })} />
      <p>{statusChip(mailing.status, mt)}</p>
      {mailing.status === 'draft' ? (
        <>
          <MailingForm api={api} campaignId={campaignId} mailing={mailing} channels={channels} onSaved={onChanged} />
          <UploadBox api={api} campaignId={campaignId} mailing={mailing} onUploaded={onChanged} />
          <ScheduleBox api={api} campaignId={campaignId} mailing={mailing} onScheduled={onChanged} />
        </>
      ) : (
        <>
          {RATE_EDITABLE.includes(mailing.status) && <RateForm api={api} campaignId={campaignId} mailing={mailing} onSaved={onChanged} />}
          <div className="admin-wrap" role="group" aria-label={mt('mm.scheduleTitle')}>
            {LIVE.includes(mailing.status) && (
              <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => void act('pause', mt('mm.paused'))}>
                {mt('mm.pause')}
              </button>
            )}
            {mailing.status === 'paused' && (
              <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => void act('resume', mt('mm.resumed'))}>
                {mt('mm.resume')}
              </button>
            )}
          </div>
        </>
      )}
      <SummaryView mailing={mailing} />
      <div className="admin-wrap">
        <button type="button" className="btn btn-secondary btn-small" onClick={() => void api.downloadBadAddresses(campaignId, mailing.id).then(() => announce(mt('mm.downloaded')))}>
          <Icon name="download" /> {mt('mm.download')}
        </button>
        {mailing.status !== 'completed' && mailing.status !== 'cancelled' && (
          <button type="button" className="btn btn-ghost admin-danger-text btn-small" onClick={() => setCancelling(true)}>
            {mt('mm.cancel')}
          </button>
        )}
      </div>
      {cancelling && (
        <ConfirmDialog title={mt('mm.cancel')} message={<p>{mt('mm.cancelConfirm', { name: mailing.name })}</p>} confirmLabel={mt('mm.cancel')} danger onClose={() => setCancelling(false)} onConfirm={() => act('cancel', mt('mm.cancelled'))} />
      )}
    </div>
  );
}

