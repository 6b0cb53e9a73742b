import { useCallback, useEffect, useId, useState } from 'react';
import { errorText } from '../api/api-error.js';
import type { ContactDetail } from '../api/api-types.js';
import type { HubApi } from '../api/hub-api.js';
import { formatDateTime } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.es-mx.js';
import { ChannelIcon } from './channel-icon.view.js';
import { ConversationExtras } from './conversation-extras.panel.js';

type Found = Awaited<ReturnType<HubApi['searchContacts']>>['items'][number];

/** Who the citizen is: identities per channel, official ids (as the hub returns them for this role), every conversation with its folio. */
export function ContactPanel({
  api,
  contactId,
  conversationId,
  channelKind,
  canMerge,
  version,
  onOpen,
}: {
  api: HubApi;
  contactId: string;
  conversationId: string;
  channelKind: string;
  canMerge: boolean;
  version: number;
  onOpen(id: string): void;
}) {
  const { t, lang } = useI18n();
  const id = useId();
  const [contact, setContact] = useState<ContactDetail | null>(null);
  const [failed, setFailed] = useState(false);
  const [merging, setMerging] = useState(false);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Found[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setContact(await api.contact(contactId));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [api, contactId]);
  useEffect(() => {
    void load();
  }, [load, version]);

  if (failed) return <p className="empty small">{t('contact.unavailable')}</p>;
  if (!contact) return <p className="empty small">{t('common.loading')}</p>;
  const ids: [string, string | null][] = [
    ['CURP', contact.curp],
    ['NSS', contact.nss],
    ['RFC', contact.rfc],
  ];
  return (
    <div className="panel-body">
      <h2 className="panel-title">{contact.displayName ?? t('common.noName')}</h2>
      <section aria-labelledby={`${id}-ids`}>
        <h3 id={`${id}-ids`} className="panel-subtitle">
          {t('contact.identities')}
        </h3>
        <dl className="kv">
          {contact.identities.map((identity) => (
            <div key={`${identity.kind}:${identity.value}`} className="kv-row">
              <dt>{t(`contact.identity.${identity.kind}` as MessageKey)}</dt>
              <dd className="mono">{identity.value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby={`${id}-official`}>
        <h3 id={`${id}-official`} className="panel-subtitle">
          {t('contact.officialIds')}
        </h3>
        <dl className="kv">
          {ids.map(([label, value]) => (
            <div key={label} className="kv-row">
              <dt>{label}</dt>
              <dd className={value ? 'mono' : 'muted'}>{value ?? t('contact.none')}</dd>
            </div>
          ))}
        </dl>
      </section>
      <ConversationExtras api={api} conversationId={conversationId} channelKind={channelKind} version={version} />
      <section aria-labelledby={`${id}-history`}>
        <h3 id={`${id}-history`} className="panel-subtitle">
          {t('contact.history')}
        </h3>
        {contact.history.length === 0 ? (
          <p className="empty small">{t('contact.historyEmpty')}</p>
        ) : (
          <ul className="history">
            {contact.history.map((h) => (
              <li key={h.conversationId}>
                <button type="button" className={`history-item${h.conversationId === conversationId ? ' current' : ''}`} onClick={() => onOpen(h.conversationId)}>
                  <ChannelIcon kind={h.channelKind} size={14} />
                  <span className="history-main">
                    <span className="folio">{h.folio}</span>
                    <span className="small muted">
                      {h.campaignName} · {formatDateTime(h.openedAt, lang)}
                    </span>
                  </span>
                  <span className={`status-chip status-${h.status}`}>{h.conversationId === conversationId ? t('contact.current') : t(`conv.${h.status}` as MessageKey)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {canMerge && (
        <section className="merge">
          {!merging ? (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setMerging(true)}>
              {t('contact.merge')}
            </button>
          ) : (
            <form
              role="search"
              onSubmit={(e) => {
                e.preventDefault();
                if (q.trim().length >= 2) void api.searchContacts(q.trim()).then((r) => setFound(r.items.filter((c) => c.id !== contact.id)));
              }}
            >
              <label className="field">
                <span>{t('contact.mergeSearch')}</span>
                <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
              </label>
              <ul className="history">
                {found.map((c) => (
                  <li key={c.id} className="merge-row">
                    <span>
                      {c.displayName ?? t('common.noName')} <span className="muted small">{c.identities.map((i) => i.value).join(', ')}</span>
                    </span>
                    <button
                      type="button"
                      className="btn btn-secondary btn-small"
                      onClick={() =>
                        void api
                          .mergeContacts(c.id, contact.id)
                          .then(() => {
                            setMessage(t('contact.mergeDone'));
                            setFound([]);
                            setMerging(false);
                            return load();
                          })
                          .catch((error: unknown) => setMessage(errorText(error, lang, t('common.error'))))
                      }
                    >
                      {t('contact.mergeInto')}
                    </button>
                  </li>
                ))}
              </ul>
            </form>
          )}
          {message && (
            <p className="small" role="status">
              {message}
            </p>
          )}
        </section>
      )}
    </div>
  );
}
