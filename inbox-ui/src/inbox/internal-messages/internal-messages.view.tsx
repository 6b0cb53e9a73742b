import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { InternalMessageView } from '@ventanilla/hub/realtime-contract';
import type { AuthSession } from '../../api/auth-session.js';
import { useI18n } from '../../i18n/i18n.js';
import { EventDeduper, type StaffSocket } from '../../realtime/staff-socket.js';
import { internalMessagesApi, type ContactView, type ThreadSummaryView } from './internal-messages-api.js';
import { applyMessage, applyReceipt, appendToThread, clearUnread, totalUnread } from './internal-messages-state.js';
import { internalMessagesText, type InternalMessagesKey } from './internal-messages-text.js';

const MAX = 2000;

/**
 * Agent ↔ supervisor messages in the rail (issue 9 item 6): threads with unread counts, an open
 * thread with read receipts, and a compose form limited to whom the hub lets the caller write
 * (an agent: their campaign's supervisors). Live through the staff socket's user room.
 */
export function InternalMessagesPanel({ session, socket, me, canBroadcast }: { session: AuthSession; socket: StaffSocket | null; me: string; canBroadcast: boolean }) {
  const { lang } = useI18n();
  const id = useId();
  const t = (key: InternalMessagesKey, values?: Record<string, string | number>) => internalMessagesText(lang, key, values);
  const api = useMemo(() => internalMessagesApi(session), [session]);
  const [threads, setThreads] = useState<ThreadSummaryView[]>([]);
  const [contacts, setContacts] = useState<ContactView[]>([]);
  const [openUser, setOpenUser] = useState<string | null>(null);
  const [messages, setMessages] = useState<InternalMessageView[]>([]);
  const [recipient, setRecipient] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const openRef = useRef(openUser);
  useEffect(() => {
    openRef.current = openUser;
  }, [openUser]);

  const refresh = useCallback(() => {
    void api.threads().then((r) => setThreads(r.items), () => undefined);
    void api.contacts().then((r) => setContacts(r.items), () => undefined);
  }, [api]);
  useEffect(refresh, [refresh]);

  const openThread = useCallback(
    async (userId: string) => {
      setOpenUser(userId);
      setError(null);
      const page = await api.thread(userId).catch(() => ({ items: [] as InternalMessageView[], nextBefore: null }));
      const list = [...page.items].reverse();
      setMessages(list);
      setThreads((ts) => clearUnread(ts, userId));
      for (const m of list) if (m.toUserId === me && !m.readAt) void api.markRead(m.id).catch(() => undefined);
    },
    [api, me],
  );

  useEffect(() => {
    if (!socket) return;
    const dedupe = new EventDeduper();
    const onMessage = (p: { eventId: string; message: InternalMessageView }) => {
      if (!dedupe.firstTime(p.eventId)) return;
      const open = openRef.current;
      setThreads((ts) => applyMessage(ts, me, p.message, open));
      setAnnounce(t('received', { name: p.message.fromName, body: p.message.body.slice(0, 120) }));
      if (open === p.message.fromUserId) {
        setMessages((ms) => appendToThread(ms, p.message));
        void api.markRead(p.message.id).catch(() => undefined);
      }
    };
    const onRead = (p: { eventId: string; messageId: string; readAt: string }) => {
      if (dedupe.firstTime(p.eventId)) setMessages((ms) => applyReceipt(ms, p.messageId, p.readAt));
    };
    socket.on('internal_message.received', onMessage);
    socket.on('internal_message.read', onRead);
    socket.on('connect', refresh);
    return () => {
      socket.off('internal_message.received', onMessage);
      socket.off('internal_message.read', onRead);
      socket.off('connect', refresh);
    };
    // t changes with the language only; the handlers read it at call time.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [socket, me, api, refresh]);

  const target = contacts.find((c) => `${c.campaignId}:${c.userId}` === recipient) ?? (openUser ? contacts.find((c) => c.userId === openUser) : undefined);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const text = body.trim();
    if (text.length === 0 || text.length > MAX) return;
    const broadcastCampaign = !openUser && recipient.startsWith('all:') ? recipient.slice(4) : null;
    if (broadcastCampaign) {
      try {
        const { count, messages: sent } = await api.broadcast({ campaignId: broadcastCampaign, body: text });
        setBody('');
        setError(null);
        setAnnounce(t('broadcastSent', { count }));
        setThreads((ts) => sent.reduce((acc, m) => applyMessage(acc, me, m, openRef.current), ts));
      } catch (e) {
        setError(t('failed', { message: e instanceof Error ? e.message : String(e) }));
      }
      return;
    }
    if (!target) return;
    try {
      const { message } = await api.send({ campaignId: target.campaignId, toUserId: target.userId, body: text });
      setBody('');
      setError(null);
      setThreads((ts) => applyMessage(ts, me, message, openRef.current));
      if (openRef.current === target.userId) setMessages((ms) => appendToThread(ms, message));
      else void openThread(target.userId);
    } catch (e) {
      setError(t('failed', { message: e instanceof Error ? e.message : String(e) }));
    }
  }

  const campaigns = [...new Map(contacts.map((c) => [c.campaignId, { id: c.campaignId, name: c.campaignName }])).values()];
  const canSend = body.trim().length > 0 && (target !== undefined || (!openUser && recipient.startsWith('all:')));
  const unread = totalUnread(threads);
  const openName = threads.find((th) => th.userId === openUser)?.displayName ?? contacts.find((c) => c.userId === openUser)?.displayName ?? '';
  return (
    <section className="internal-messages" aria-labelledby={`${id}-title`} data-testid="internal-messages">
      <h2 id={`${id}-title`} className="small">
        {t('title')}
        {unread > 0 && (
          <span className="badge" data-testid="internal-unread">
            {' '}
            {t('unread', { count: unread })}
          </span>
        )}
      </h2>
      <p className="sr-only" role="status" aria-live="polite">
        {announce}
      </p>
      {openUser ? (
        <div>
          <button type="button" className="btn btn-secondary" onClick={() => setOpenUser(null)}>
            {t('back')}
          </button>
          <h3 className="small">{openName}</h3>
          <ol className="internal-thread" aria-label={openName}>
            {messages.map((m) => (
              <li key={m.id} className={m.fromUserId === me ? 'mine' : 'theirs'}>
                <span className="small muted">{m.fromUserId === me ? t('you') : m.fromName}</span> {m.body}
                {m.fromUserId === me && m.readAt && <span className="small muted"> · {t('read')}</span>}
              </li>
            ))}
          </ol>
        </div>
      ) : threads.length === 0 ? (
        <p className="small muted">{t('empty')}</p>
      ) : (
        <ul className="internal-threads">
          {threads.map((th) => (
            <li key={th.userId}>
              <button type="button" className="btn btn-link" onClick={() => void openThread(th.userId)}>
                {th.displayName}
                {th.unreadCount > 0 ? ` (${th.unreadCount})` : ''} — <span className="muted">{th.lastBody.slice(0, 60)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {contacts.length === 0 ? (
        <p className="small muted">{t('noContacts')}</p>
      ) : (
        <form onSubmit={(e) => void submit(e)} aria-label={t('newMessage')}>
          {!openUser && (
            <label className="small">
              {t('to')}{' '}
              <select value={recipient} onChange={(e) => setRecipient(e.target.value)} required>
                <option value="">{t('chooseRecipient')}</option>
                {canBroadcast &&
                  campaigns.map((c) => (
                    <option key={`all:${c.id}`} value={`all:${c.id}`}>
                      {t('allAgents', { campaign: c.name })}
                    </option>
                  ))}
                {contacts.map((c) => (
                  <option key={`${c.campaignId}:${c.userId}`} value={`${c.campaignId}:${c.userId}`}>
                    {c.displayName} · {c.campaignName}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="small">
            {t('body')}
            <textarea value={body} maxLength={MAX} rows={2} onChange={(e) => setBody(e.target.value)} />
          </label>
          {error && (
            <p className="small error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={!canSend}>
            {t('send')}
          </button>
        </form>
      )}
    </section>
  );
}
