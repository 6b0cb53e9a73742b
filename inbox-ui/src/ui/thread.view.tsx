import { useCallback, useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import type { SupervisionWhisperView } from '@ventanilla/hub/realtime-contract';
import { WhisperEntry, withWhispers } from '../inbox/supervision/whisper-entry.view.js';
import type { ConversationListItem, QueueView, TimelineItem } from '../api/api-types.js';
import type { HubApi } from '../api/hub-api.js';
import { formatClock, formatDateTime } from '../i18n/format.js';
import type { Lang } from '../i18n/lang.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.es-mx.js';
import { timelineKey } from '../workspace/timeline-merge.js';
import { SESSION_STATUSES } from '../workspace/workspace-state.js';
import { ChannelIcon } from './channel-icon.view.js';
import { Composer, type InsertRequest } from './composer.view.js';
import { Icon } from './icons.view.js';
import { TimelineEntry, type TimelineContext } from './timeline-entry.view.js';

/**
 * "Typing" for the citizen's widget: at most one signal every 3 s while the agent types, and a
 * stop 4 s after the last keystroke (or at once when the draft is emptied or sent).
 */
function useTypingSignal(send: ((typing: boolean) => void) | undefined): (typing: boolean) => void {
  const last = useRef(0);
  const stop = useRef<ReturnType<typeof setTimeout> | null>(null);
  const sendRef = useRef(send);
  sendRef.current = send;
  useEffect(() => () => {
    if (stop.current) clearTimeout(stop.current);
  }, []);
  return useCallback((typing: boolean) => {
    const emit = sendRef.current;
    if (!emit) return;
    if (stop.current) clearTimeout(stop.current);
    if (!typing) {
      if (last.current !== 0) emit(false);
      last.current = 0;
      return;
    }
    const now = Date.now();
    if (now - last.current > 3000) {
      last.current = now;
      emit(true);
    }
    stop.current = setTimeout(() => {
      last.current = 0;
      emit(false);
    }, 4000);
  }, []);
}

function formatOpened(iso: string, lang: Lang): string {
  return new Date(iso).toDateString() === new Date().toDateString() ? formatClock(iso, lang) : formatDateTime(iso, lang);
}

/** One conversation: header with actions, the timeline of every channel, the composer. */
export function Thread({
  api,
  me,
  agentName,
  campaignName,
  conversation,
  timeline,
  queues,
  nameOf,
  insert,
  draft,
  onDraft,
  onSend,
  onNote,
  onTransfer,
  onResolve,
  contactTyping = false,
  onTyping,
  supervisionBar,
  whispers,
}: {
  api: HubApi;
  me: string;
  agentName: string;
  campaignName: string;
  conversation: ConversationListItem;
  timeline: TimelineItem[] | undefined;
  queues: Record<string, QueueView>;
  nameOf(userId: string | null | undefined): string;
  insert: InsertRequest | null;
  draft: string;
  onDraft(text: string): void;
  onSend(text: string, fileIds: string[]): Promise<void>;
  onNote(text: string): Promise<void>;
  onTransfer(): void;
  onResolve(): void;
  /** The citizen is typing (web chat). */
  contactTyping?: boolean;
  /** The agent typed or stopped (sent to the citizen's widget). */
  onTyping?(typing: boolean): void;
  /** Supervision controls or the agent's «Supervisado» (inbox/supervision). */
  supervisionBar?: ReactNode;
  /** Supervisors' whispers to the agent, shown in time order (never sent to the citizen). */
  whispers?: SupervisionWhisperView[];
}) {
  const { t, lang } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const mine = conversation.assigneeId === me && SESSION_STATUSES.includes(conversation.status);
  const closed = conversation.status === 'resolved' || conversation.status === 'abandoned';
  const contactName = conversation.contactName ?? t('common.noName');
  const ctx: TimelineContext = { api, me, channelKind: conversation.channelKind, contactName, queues, nameOf };
  const typingSignal = useTypingSignal(mine && conversation.channelKind === 'webchat' ? onTyping : undefined);

  // Follow new entries while the agent is at the bottom; never yank them away from reading history.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [timeline, whispers]);
  useEffect(() => {
    stick.current = true;
  }, [conversation.id]);

  return (
    <section className="thread" aria-labelledby="thread-title">
      <header className="thread-head">
        <ChannelIcon kind={conversation.channelKind} size={20} />
        <div className="thread-title-block">
          <h1 id="thread-title" className="thread-title">
            <span className="thread-name">{contactName}</span> <span className={`status-chip status-${conversation.status}`}>{t(`conv.${conversation.status}` as MessageKey)}</span>
          </h1>
          <p className="thread-sub small">
            <span className="folio">{conversation.folio}</span>
            <span aria-hidden="true">·</span>
            <span>{t('thread.openedAt', { time: formatOpened(conversation.openedAt, lang) })}</span>
          </p>
        </div>
        {mine && (
          <div className="thread-actions">
            <button type="button" className="btn btn-secondary" onClick={onTransfer}>
              <Icon name="transfer" /> {t('thread.transfer')}
            </button>
            <button type="button" className="btn btn-primary" onClick={onResolve}>
              <Icon name="done" /> {t('thread.resolve')}
            </button>
          </div>
        )}
      </header>
      {supervisionBar}
      <div
        ref={scroller}
        className="timeline"
        tabIndex={0}
        role="log"
        aria-label={t('thread.messages', { folio: conversation.folio })}
        aria-live="polite"
        aria-relevant="additions"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
        }}
      >
        {timeline === undefined ? (
          <p className="empty">{t('thread.loading')}</p>
        ) : (
          withWhispers(timeline, whispers).map((e) => (e.kind === 'whisper' ? <WhisperEntry key={`w-${e.whisper.id}`} whisper={e.whisper} /> : <TimelineEntry key={timelineKey(e.item)} item={e.item} ctx={ctx} />))
        )}
      </div>
      <p className="typing-line small muted" aria-live="polite">
        {contactTyping && !closed ? t('thread.contactTyping', { name: contactName }) : ''}
      </p>
      {closed ? (
        <p className="composer-readonly small muted">{t('thread.closed')}</p>
      ) : (
        <Composer key={conversation.id} api={api} conversation={conversation} draft={draft} onDraft={(text) => {
          onDraft(text);
          typingSignal(text.length > 0);
        }} agentName={agentName} campaignName={campaignName} readOnly={!mine} insert={insert} onSend={onSend} onNote={onNote} />
      )}
    </section>
  );
}
