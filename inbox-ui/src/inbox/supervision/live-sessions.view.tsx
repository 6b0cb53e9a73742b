import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import type { LiveSessionView, SupervisionApi } from './supervision-api.js';
import { supervisionText } from './supervision-text.js';
import './supervision.css';

/** The supervisor's way to agents' live sessions: who attends what, refreshed with the workspace. */
export function LiveSessionsPanel({ api, version, activeId, onOpen }: { api: SupervisionApi; version: number; activeId: string | null; onOpen(conversationId: string): void }) {
  const { lang } = useI18n();
  const [items, setItems] = useState<LiveSessionView[]>([]);
  useEffect(() => {
    let alive = true;
    const load = () => void api.sessions().then((r) => alive && setItems(r.items), () => undefined);
    load();
    const timer = setInterval(load, 5000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [api, version]);
  return (
    <section className="sup-live" aria-labelledby="sup-live-title">
      <h2 id="sup-live-title" className="rail-title">
        {supervisionText(lang, 'liveTitle')}
      </h2>
      {items.length === 0 ? (
        <p className="small muted">{supervisionText(lang, 'liveEmpty')}</p>
      ) : (
        <ul>
          {items.map((s) => (
            <li key={s.conversationId}>
              <button type="button" className="btn btn-ghost btn-small" aria-current={s.conversationId === activeId ? 'true' : undefined} onClick={() => onOpen(s.conversationId)}>
                <strong>{s.agentName}</strong> · {s.folio} · {s.contactName ?? s.channelKind}
                {s.monitoredByMe ? ` · ${supervisionText(lang, 'liveMonitored')}` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
