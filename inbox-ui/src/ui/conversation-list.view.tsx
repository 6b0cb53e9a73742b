import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { ConversationListItem, ListFilter } from '../api/api-types.js';
import type { HubApi } from '../api/hub-api.js';
import { formatClock } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.es-mx.js';
import { OPEN_STATUSES } from '../workspace/workspace-state.js';
import { ChannelIcon } from './channel-icon.view.js';
import { Icon } from './icons.view.js';

/**
 * Conversations across channels: Mías / Mis filas / Todas (supervisors and admins), search by
 * folio, phone, e-mail or name (the hub searches). Items come from the workspace store, so
 * realtime changes show without a reload; the fetch decides which belong to the filter.
 */
export function ConversationList({
  api,
  me,
  canSeeAll,
  conversations,
  activeId,
  generation,
  onLoaded,
  onOpen,
}: {
  api: HubApi;
  me: string;
  canSeeAll: boolean;
  conversations: Record<string, ConversationListItem>;
  activeId: string | null;
  /** Changes after a reconnect: fetch the list again. */
  generation: number;
  onLoaded(items: ConversationListItem[]): void;
  onOpen(id: string): void;
}) {
  const { t, lang } = useI18n();
  const id = useId();
  const [filter, setFilter] = useState<ListFilter>('queues');
  const [query, setQuery] = useState('');
  const [applied, setApplied] = useState('');
  const [ids, setIds] = useState<Set<string>>(new Set());
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (more: string | null) => {
      setLoading(true);
      try {
        const page = await api.conversations({ filter, q: applied, cursor: more, limit: 30 });
        onLoaded(page.items);
        setIds((prev) => new Set([...(more ? prev : []), ...page.items.map((c) => c.id)]));
        setCursor(page.nextCursor);
      } catch {
        // The list keeps what it had; the connection indicator tells why.
      } finally {
        setLoading(false);
      }
    },
    [api, filter, applied, onLoaded],
  );

  useEffect(() => {
    void load(null);
  }, [load, generation]);

  const items = useMemo(() => {
    const all = Object.values(conversations);
    const belongs = (c: ConversationListItem) => {
      if (ids.has(c.id)) return filter !== 'mine' || (c.assigneeId === me && OPEN_STATUSES.includes(c.status));
      if (applied) return false;
      if (filter === 'mine') return c.assigneeId === me && OPEN_STATUSES.includes(c.status);
      if (filter === 'queues') return c.status === 'queued' || (c.assigneeId === me && OPEN_STATUSES.includes(c.status));
      return true;
    };
    return all.filter(belongs).sort((a, b) => Date.parse(b.lastMessageAt) - Date.parse(a.lastMessageAt));
  }, [conversations, ids, filter, applied, me]);

  const filters: ListFilter[] = canSeeAll ? ['mine', 'queues', 'all'] : ['mine', 'queues'];
  return (
    <section className="conv-list" aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <h2 id={`${id}-title`}>{t('list.title')}</h2>
      </div>
      <div className="segmented" role="group" aria-label={t('list.filterLabel')}>
        {filters.map((f) => (
          <button key={f} type="button" aria-pressed={filter === f} className={filter === f ? 'selected' : ''} onClick={() => setFilter(f)}>
            {t(`list.filter.${f}` as MessageKey)}
          </button>
        ))}
      </div>
      <form
        className="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(query.trim());
        }}
      >
        <label htmlFor={`${id}-q`} className="sr-only">
          {t('list.search')}
        </label>
        <Icon name="search" className="search-icon" />
        <input
          id={`${id}-q`}
          type="search"
          value={query}
          placeholder={t('list.searchPlaceholder')}
          onChange={(e) => {
            setQuery(e.target.value);
            if (e.target.value === '') setApplied('');
          }}
        />
      </form>
      <ul className="conv-items" aria-busy={loading}>
        {items.map((c) => (
          <li key={c.id}>
            <button type="button" className={`conv-item${c.id === activeId ? ' active' : ''}`} aria-current={c.id === activeId ? 'true' : undefined} onClick={() => onOpen(c.id)}>
              <ChannelIcon kind={c.channelKind} />
              <span className="conv-main">
                <span className="conv-name">{c.contactName ?? t('common.noName')}</span>
                <span className="conv-sub">
                  {c.folio}
                  {c.assigneeName && c.assigneeId !== me ? ` · ${t('list.assignee', { name: c.assigneeName })}` : ''}
                </span>
              </span>
              <span className="conv-side">
                <time dateTime={c.lastMessageAt} className="small muted">
                  {formatClock(c.lastMessageAt, lang)}
                </time>
                <span className={`status-chip status-${c.status}`}>{t(`conv.${c.status}` as MessageKey)}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      {!loading && items.length === 0 && <p className="empty small">{t('list.empty')}</p>}
      {cursor && (
        <button type="button" className="btn btn-ghost btn-block" disabled={loading} onClick={() => void load(cursor)}>
          {t('list.loadMore')}
        </button>
      )}
    </section>
  );
}
