import type { MessageView, NoteView, TimelineEventView, TimelineItem } from '@ventanilla/hub/realtime-contract';
import type { HubApi } from '../api/hub-api.js';
import { localizedMessage } from '../api/api-error.js';
import type { QueueView } from '../api/api-types.js';
import { formatClock } from '../i18n/format.js';
import { useI18n, type Translate } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.es-mx.js';
import { Attachment } from './attachment.view.js';
import { ChannelIcon } from './channel-icon.view.js';
import { DeliveryTicks } from './delivery-ticks.view.js';
import { Icon } from './icons.view.js';
import { richKind } from './rich-content.js';
import { RichContent } from './rich-content.view.js';
import './bot-note.css';

export interface TimelineContext {
  api: HubApi;
  me: string;
  channelKind: string;
  contactName: string;
  queues: Record<string, QueueView>;
  nameOf(userId: string | null | undefined): string;
}

/** Events that repeat what the timeline shows anyway (the message, the note, the file). */
const HIDDEN = /^(message\.|note\.added|file\.uploaded|contact\.created|conversation\.released)/;

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** The sentence for an event line, capitalised (a name like "usted" may start it). */
export function describeEvent(event: TimelineEventView, t: Translate, ctx: Pick<TimelineContext, 'nameOf' | 'queues'>): string | null {
  const text = eventSentence(event, t, ctx);
  return text === null ? null : text.charAt(0).toUpperCase() + text.slice(1);
}

function eventSentence(event: TimelineEventView, t: Translate, ctx: Pick<TimelineContext, 'nameOf' | 'queues'>): string | null {
  if (HIDDEN.test(event.type)) return null;
  const p = event.payload;
  const agent = ctx.nameOf(str(p['agentId']) ?? str(p['toAgentId']));
  switch (event.type) {
    case 'conversation.opened':
      return t('event.conversation.opened');
    case 'conversation.queued':
      return t('event.conversation.queued', { queue: ctx.queues[str(p['queueId']) ?? '']?.name ?? '' }).trim();
    case 'conversation.offered':
      return t('event.conversation.offered', { agent });
    case 'conversation.assigned':
      return t('event.conversation.assigned', { agent });
    case 'offer.rejected':
      return t('event.offer.rejected', { agent, reason: str(p['reason']) ?? '—' });
    case 'offer.timed_out':
      return t('event.offer.timed_out', { agent });
    case 'conversation.transferred': {
      const kind = str(p['kind']) ?? 'queue';
      const queue = ctx.queues[str(p['toQueueId']) ?? '']?.name;
      const target = kind === 'agent' ? ctx.nameOf(str(p['toAgentId'])) : queue && kind !== 'campaign' ? `${t(`event.target.${kind}` as MessageKey)} (${queue})` : t(`event.target.${kind}` as MessageKey);
      const reason = str(p['reason']);
      return reason ? t('event.conversation.transferredReason', { target, reason }) : t('event.conversation.transferred', { target });
    }
    case 'conversation.resolved':
      return t('event.conversation.resolved', { agent: ctx.nameOf(str(p['agentId']) ?? event.actorId) });
    case 'conversation.abandoned':
      return t('event.conversation.abandoned');
    case 'conversation.overflowed':
      return t('event.conversation.overflowed');
    case 'conversation.after_hours':
      return t('event.conversation.after_hours');
    case 'contact.merged':
      return t('event.contact.merged');
    case 'conversation.reopened':
      return t('event.conversation.reopened');
    case 'conversation.contact_ended':
      return t('event.conversation.contact_ended');
    case 'survey.answered':
      return t('event.survey.answered', { rating: typeof p['rating'] === 'number' ? String(p['rating']) : '—' });
    default:
      return t('event.generic', { type: event.type });
  }
}

/** The data a bot collected before the handoff ("screen pop"): the first object-valued field it carries. */
export function handoffData(payload: Record<string, unknown>): [string, string][] {
  for (const key of ['collected', 'data', 'slots', 'context', 'fields']) {
    const value = payload[key];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
    }
  }
  return [];
}

function MessageBubble({ message, ctx }: { message: MessageView; ctx: TimelineContext }) {
  const { t, lang } = useI18n();
  const inbound = message.direction === 'inbound';
  const rich = richKind(message);
  const who = inbound ? ctx.contactName : message.senderType === 'bot' ? t('thread.bot') : message.senderType === 'system' ? t('thread.system') : message.senderId === ctx.me ? t('thread.you') : ctx.nameOf(message.senderId);
  return (
    <div className={`msg ${inbound ? 'msg-in' : 'msg-out'} msg-${message.senderType}`} data-message-id={message.id}>
      <div className="msg-meta small">
        {inbound && <ChannelIcon kind={ctx.channelKind} size={14} />}
        <span className="msg-author">{who}</span>
        <time dateTime={message.createdAt}>{formatClock(message.createdAt, lang)}</time>
        {!inbound && <DeliveryTicks status={message.status} />}
      </div>
      <div className="msg-bubble">
        {message.subject && (
          <p className="msg-subject small">
            <span className="sr-only">{t('thread.subject')}: </span>
            <strong>{message.subject}</strong>
          </p>
        )}
        {rich ? <RichContent message={message} kind={rich} /> : message.text && <p className="msg-text">{message.text}</p>}
        {message.contentType === 'location' && !message.text && (
          <p className="msg-text">
            <Icon name="pin" /> {t('thread.location')}
          </p>
        )}
        {message.contentType === 'unsupported' && <p className="msg-text muted">{t('thread.unsupported', { type: message.contentType })}</p>}
        {message.attachments.map((a, i) => (
          <Attachment key={`${a.url ?? ''}-${i}`} api={ctx.api} attachment={a} />
        ))}
      </div>
      {message.status === 'failed' && (
        <p className="msg-error small" role="note">
          {t('thread.failedReason', { reason: localizedMessage(message.errorReason ?? message.errorCode ?? '—', lang) })}
        </p>
      )}
    </div>
  );
}

/** The bot's handoff summary: a note with no human author, styled apart so the agent reads it first. */
function BotNote({ note }: { note: NoteView }) {
  const { t, lang } = useI18n();
  return (
    <div className="note note-bot" role="note" aria-label={t('thread.botNote')} data-note-id={note.id} data-author-type="bot">
      <div className="note-head small">
        <Icon name="bot" size={14} />
        <strong>{t('thread.botNote')}</strong>
        <time dateTime={note.createdAt}>{formatClock(note.createdAt, lang)}</time>
      </div>
      <p className="note-bot-hint small">{t('thread.botNoteHint')}</p>
      <p className="note-text">{note.text}</p>
    </div>
  );
}

export function TimelineEntry({ item, ctx }: { item: TimelineItem; ctx: TimelineContext }) {
  const { t, lang } = useI18n();
  switch (item.kind) {
    case 'message':
      return <MessageBubble message={item.message} ctx={ctx} />;
    case 'note':
      if (item.note.authorType === 'bot') return <BotNote note={item.note} />;
      return (
        <div className="note" role="note" aria-label={t('thread.note')} data-note-id={item.note.id}>
          <div className="note-head small">
            <Icon name="lock" size={14} />
            <strong>{t('thread.note')}</strong>
            <span>{t('thread.noteAuthor', { name: item.note.authorId === ctx.me ? t('event.you') : item.note.authorName })}</span>
            <time dateTime={item.note.createdAt}>{formatClock(item.note.createdAt, lang)}</time>
          </div>
          <p className="note-text">{item.note.text}</p>
        </div>
      );
    case 'event': {
      if (item.event.type === 'bot.handoff') {
        const rows = handoffData(item.event.payload);
        const intent = str(item.event.payload['intent']);
        const summary = str(item.event.payload['summary']);
        return (
          <section className="handoff-card" aria-label={t('handoff.title')}>
            <h3 className="handoff-title">
              <Icon name="bot" /> {t('handoff.title')}
            </h3>
            <dl className="kv">
              {intent && (
                <div className="kv-row">
                  <dt>{t('handoff.intent')}</dt>
                  <dd>{intent}</dd>
                </div>
              )}
              {rows.map(([k, v]) => (
                <div key={k} className="kv-row">
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
              {summary && (
                <div className="kv-row">
                  <dt>{t('handoff.summary')}</dt>
                  <dd>{summary}</dd>
                </div>
              )}
            </dl>
          </section>
        );
      }
      const text = describeEvent(item.event, t, ctx);
      if (text === null) return null;
      return (
        <p className="event-line small">
          <span>{text}</span>
          <time dateTime={item.at}>{formatClock(item.at, lang)}</time>
        </p>
      );
    }
  }
}
