import { useEffect, useId, useState } from 'react';
import type { QueueView } from '../api/api-types.js';
import type { HubApi } from '../api/hub-api.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.es-mx.js';
import type { OfferView } from '../workspace/workspace-state.js';
import { ChannelIcon } from './channel-icon.view.js';
import { Icon } from './icons.view.js';
import { useNow } from './use-now.js';

/** Who is writing and what they said last: enough to decide in a glance. */
function useOfferPreview(api: HubApi, conversationId: string): { name: string | null; channelKind: string; text: string | null } | null {
  const [preview, setPreview] = useState<{ name: string | null; channelKind: string; text: string | null } | null>(null);
  useEffect(() => {
    let cancelled = false;
    api
      .conversation(conversationId)
      .then((d) => {
        const last = [...d.messages].reverse().find((m) => m.direction === 'inbound');
        if (!cancelled) setPreview({ name: d.conversation.contactName, channelKind: d.conversation.channelKind, text: last?.text?.slice(0, 160) ?? null });
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [api, conversationId]);
  return preview;
}

const REASONS: readonly MessageKey[] = ['offer.reason.busy', 'offer.reason.skill', 'offer.reason.technical', 'offer.reason.other'];

/**
 * An incoming offer: pulsing indicator, a countdown to expiresAt, accept, or reject with a
 * reason (the hub requires one). Stays until the hub says what happened, or shortly after expiry.
 * It never takes the focus: an agent typing a reply must not accept by pressing Enter.
 */
export function OfferCard({
  api,
  offer,
  queue,
  onAccept,
  onReject,
  onExpire,
}: {
  api: HubApi;
  offer: OfferView;
  queue: QueueView | undefined;
  onAccept(): Promise<void>;
  onReject(reason: string): Promise<void>;
  onExpire(): void;
}) {
  const { t } = useI18n();
  const preview = useOfferPreview(api, offer.conversationId);
  const now = useNow(250);
  const id = useId();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState<MessageKey>('offer.reason.busy');
  const [other, setOther] = useState('');
  const [busy, setBusy] = useState(false);
  const expiresAt = Date.parse(offer.expiresAt);
  const total = Math.max(1, expiresAt - offer.receivedAt);
  const left = expiresAt - now;
  const seconds = Math.max(0, Math.ceil(left / 1000));
  const expired = left <= -3000;

  useEffect(() => {
    if (expired) onExpire();
  }, [expired, onExpire]);

  const reasonText = reason === 'offer.reason.other' ? other.trim() : t(reason);
  return (
    <section className={`offer-card${seconds <= 5 ? ' offer-urgent' : ''}`} aria-labelledby={`${id}-title`} aria-describedby={`${id}-time`}>
      <div className="offer-head">
        <span className="offer-pulse" aria-hidden="true" />
        <Icon name="bell" size={18} />
        <h2 id={`${id}-title`} className="offer-title">
          {t('offer.title')}
        </h2>
        <span className="offer-folio">{offer.folio}</span>
        <span id={`${id}-time`} className="offer-countdown" role="timer" aria-label={t('offer.secondsLeft', { seconds })}>
          {t('offer.expiresIn', { seconds })}
        </span>
      </div>
      {preview && (
        <div className="offer-preview">
          <ChannelIcon kind={preview.channelKind} />
          <div>
            <p className="offer-contact">{preview.name ?? t('common.noName')}</p>
            {preview.text && <p className="offer-text small">“{preview.text}”</p>}
          </div>
        </div>
      )}
      <div className="offer-meta small">
        <span>
          {t('offer.queue')}: <strong>{queue?.name ?? '—'}</strong>
        </span>
        <span>{t(`offer.channelClass.${offer.channelClass}` as MessageKey)}</span>
      </div>
      <div className="offer-progress" aria-hidden="true">
        <span style={{ width: `${Math.max(0, Math.min(100, (left / total) * 100))}%` }} />
      </div>
      {!rejecting ? (
        <div className="offer-actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void onAccept().finally(() => setBusy(false));
            }}
          >
            <Icon name="check" /> {t('offer.accept')}
          </button>
          <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => setRejecting(true)}>
            {t('offer.reject')}
          </button>
        </div>
      ) : (
        <form
          className="offer-reject"
          onSubmit={(e) => {
            e.preventDefault();
            if (!reasonText) return;
            setBusy(true);
            void onReject(reasonText).finally(() => setBusy(false));
          }}
        >
          <fieldset>
            <legend>{t('offer.rejectReason')}</legend>
            <div className="reason-grid">
              {REASONS.map((key) => (
                <label key={key} className="radio">
                  <input type="radio" name={`${id}-reason`} checked={reason === key} onChange={() => setReason(key)} />
                  {t(key)}
                </label>
              ))}
            </div>
            {reason === 'offer.reason.other' && (
              <label className="field">
                <span className="sr-only">{t('offer.otherReason')}</span>
                <input type="text" value={other} maxLength={200} placeholder={t('offer.otherReason')} onChange={(e) => setOther(e.target.value)} />
              </label>
            )}
          </fieldset>
          <div className="offer-actions">
            <button type="submit" className="btn btn-danger" disabled={busy || !reasonText}>
              {t('offer.rejectConfirm')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setRejecting(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
