import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { ApiError, errorText } from '../api/api-error.js';
import type { Campaign, Colleague, ConversationListItem, QueueView, TransferTarget } from '../api/api-types.js';
import type { HubApi } from '../api/hub-api.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.es-mx.js';
import { Dialog } from './dialog.view.js';
import { stateKey } from './status-selector.view.js';

type Kind = TransferTarget['kind'];
const KINDS: Kind[] = ['agent', 'queue', 'tier2', 'campaign'];

/** Transfer to an agent, a queue, tier 2 (reason required) or another campaign; the folio stays. */
export function TransferDialog({
  api,
  me,
  conversation,
  campaigns,
  queues,
  onTransfer,
  onClose,
}: {
  api: HubApi;
  me: string;
  conversation: ConversationListItem;
  campaigns: Campaign[];
  queues: Record<string, QueueView>;
  onTransfer(target: TransferTarget, reason: string): Promise<void>;
  onClose(): void;
}) {
  const { t, lang } = useI18n();
  const id = useId();
  const [kind, setKind] = useState<Kind>('queue');
  const [agents, setAgents] = useState<Colleague[] | 'forbidden' | null>(null);
  const [agentId, setAgentId] = useState('');
  const [queueId, setQueueId] = useState('');
  const [campaignId, setCampaignId] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .colleagues(conversation.campaignId)
      .then(({ items }) => setAgents(items.filter((a) => a.agentId !== me)))
      .catch((e: unknown) => setAgents(e instanceof ApiError && e.status === 403 ? 'forbidden' : []));
  }, [api, conversation.campaignId, me]);

  const campaignQueues = useMemo(() => Object.values(queues).filter((q) => q.campaignId === conversation.campaignId), [queues, conversation.campaignId]);
  const tier2Queues = campaignQueues.filter((q) => q.tier === 2);
  const otherCampaigns = campaigns.filter((c) => c.id !== conversation.campaignId);
  const otherQueues = Object.values(queues).filter((q) => q.campaignId === campaignId);

  function target(): TransferTarget | null {
    switch (kind) {
      case 'agent':
        return agentId ? { kind, agentId } : null;
      case 'queue':
        return queueId ? { kind, queueId } : null;
      case 'tier2':
        return queueId ? { kind, queueId } : { kind };
      case 'campaign':
        return campaignId ? { kind, campaignId, ...(queueId ? { queueId } : {}) } : null;
    }
  }
  const reasonMissing = kind === 'tier2' && reason.trim() === '';
  const chosen = target();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!chosen || reasonMissing) return;
    setBusy(true);
    setError(null);
    try {
      await onTransfer(chosen, reason);
      onClose();
    } catch (e) {
      setError(errorText(e, lang, t('common.networkError')));
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('transfer.title')} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <p className="small muted">
          {conversation.folio} · {conversation.contactName ?? t('common.noName')}
        </p>
        <fieldset className="segmented-field">
          <legend>{t('transfer.kind')}</legend>
          <div className="segmented">
            {KINDS.map((k) => (
              <label key={k} className={kind === k ? 'selected' : ''}>
                <input
                  type="radio"
                  name={`${id}-kind`}
                  value={k}
                  checked={kind === k}
                  onChange={() => {
                    setKind(k);
                    setQueueId('');
                    setError(null);
                  }}
                />
                {t(`transfer.${k}` as MessageKey)}
              </label>
            ))}
          </div>
        </fieldset>

        {kind === 'agent' &&
          (agents === 'forbidden' ? (
            <p className="banner banner-info small">{t('transfer.agentsForbidden')}</p>
          ) : agents !== null && agents.length === 0 ? (
            <p className="empty small">{t('transfer.noAgents')}</p>
          ) : (
            <label className="field">
              <span>{t('transfer.agent')}</span>
              <select value={agentId} onChange={(e) => setAgentId(e.target.value)} required>
                <option value="">{t('transfer.pickAgent')}</option>
                {(agents ?? []).map((a) => (
                  <option key={a.agentId} value={a.agentId}>
                    {a.displayName} — {t('transfer.agentState', { state: t(stateKey(a.state)), load: a.load.text, capacity: a.capacity.text })}
                  </option>
                ))}
              </select>
            </label>
          ))}

        {(kind === 'queue' || kind === 'tier2') && (
          <label className="field">
            <span>{t('transfer.queue')}</span>
            <select value={queueId} onChange={(e) => setQueueId(e.target.value)} required={kind === 'queue'}>
              <option value="">{kind === 'tier2' ? t('transfer.anyQueue') : t('transfer.pickQueue')}</option>
              {(kind === 'tier2' ? tier2Queues : campaignQueues.filter((q) => q.id !== conversation.queueId)).map((q) => (
                <option key={q.id} value={q.id}>
                  {q.name}
                </option>
              ))}
            </select>
          </label>
        )}

        {kind === 'campaign' &&
          (otherCampaigns.length === 0 ? (
            <p className="empty small">{t('transfer.noCampaigns')}</p>
          ) : (
            <>
              <label className="field">
                <span>{t('transfer.campaign')}</span>
                <select
                  value={campaignId}
                  onChange={(e) => {
                    setCampaignId(e.target.value);
                    setQueueId('');
                  }}
                  required
                >
                  <option value="">{t('transfer.pickCampaign')}</option>
                  {otherCampaigns.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
              {campaignId && (
                <label className="field">
                  <span>{t('transfer.queue')}</span>
                  <select value={queueId} onChange={(e) => setQueueId(e.target.value)}>
                    <option value="">{t('transfer.anyQueue')}</option>
                    {otherQueues.map((q) => (
                      <option key={q.id} value={q.id}>
                        {q.name}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </>
          ))}

        <label className="field">
          <span>
            {t('transfer.reason')}
            {kind === 'tier2' && <span aria-hidden="true"> *</span>}
          </span>
          <textarea rows={3} value={reason} maxLength={500} placeholder={t('transfer.reasonPlaceholder')} required={kind === 'tier2'} onChange={(e) => setReason(e.target.value)} lang="es-MX" spellCheck />
        </label>
        {reasonMissing && <p className="small muted">{t('transfer.reasonRequired')}</p>}
        {error && (
          <p className="banner banner-error small" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !chosen || reasonMissing}>
            {t('transfer.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
