import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { errorText } from '../api/api-error.js';
import type { CannedResponse, ConversationListItem, FileView } from '../api/api-types.js';
import type { HubApi } from '../api/hub-api.js';
import { insertAt, searchCanned, slashQuery } from '../composer/canned-search.js';
import { canSendFreeForm, replyWindow, type ReplyWindow } from '../composer/reply-window.js';
import { useReplyOptions } from '../composer/use-reply-options.js';
import { renderCannedResponse } from '../../../hub/src/inbox/canned-variables.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from './icons.view.js';
import { MessagingActions, windowClosedError } from './messaging-actions.view.js';
import { ReplyWindowNotice } from './reply-window.view.js';
import { useNow } from './use-now.js';

const NO_WINDOW: ReplyWindow = { state: 'none' };

export interface InsertRequest {
  conversationId: string;
  text: string;
  seq: number;
}

/**
 * The reply box: Enter sends, Shift+Enter breaks the line, `/` searches the campaign's canned
 * responses (arrows, Enter, Esc) with variables filled in, attachments upload at once, and the
 * "Nota interna" switch turns it into a private note that never reaches the citizen.
 */
export function Composer({
  api,
  conversation,
  agentName,
  campaignName,
  readOnly,
  insert,
  draft,
  onDraft,
  onSend,
  onNote,
}: {
  api: HubApi;
  conversation: ConversationListItem;
  agentName: string;
  campaignName: string;
  readOnly: boolean;
  insert: InsertRequest | null;
  /** The unsent text of this conversation, kept while the agent works in another session. */
  draft: string;
  onDraft(text: string): void;
  onSend(text: string, fileIds: string[]): Promise<void>;
  onNote(text: string): Promise<void>;
}) {
  const { t, lang } = useI18n();
  const id = useId();
  const [text, setTextState] = useState(draft);
  const [note, setNote] = useState(false);
  const [files, setFiles] = useState<FileView[]>([]);
  const [uploading, setUploading] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [canned, setCanned] = useState<CannedResponse[] | null>(null);
  const [picker, setPicker] = useState<{ start: number; query: string } | null>(null);
  const [highlight, setHighlight] = useState(0);
  // Reply options come again with every citizen message: a new inbound message reopens the window.
  const reply = useReplyOptions(api, conversation.id, conversation.lastInboundAt);
  const now = useNow(30_000);
  const options = reply.options ?? null;
  const replyState = options ? replyWindow(options, now) : NO_WINDOW;
  const freeForm = note || canSendFreeForm(replyState);
  const area = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const { campaignId } = conversation;
  const insertSeen = useRef(insert?.seq ?? 0);
  const textRef = useRef(draft);
  const setText = useCallback(
    (next: string) => {
      textRef.current = next;
      setTextState(next);
      onDraft(next);
    },
    [onDraft],
  );

  useEffect(() => {
    let cancelled = false;
    api
      .cannedResponses(campaignId, '')
      .then(({ items }) => !cancelled && setCanned(items))
      .catch(() => !cancelled && setCanned([]));
    return () => {
      cancelled = true;
    };
  }, [api, campaignId]);

  // A knowledge-base snippet for this conversation, inserted once.
  useEffect(() => {
    if (!insert || insert.seq <= insertSeen.current || insert.conversationId !== conversation.id) return;
    insertSeen.current = insert.seq;
    const current = textRef.current;
    setText(current.trim() ? `${current.trimEnd()}\n\n${insert.text}` : insert.text);
    area.current?.focus();
  }, [insert, conversation.id, setText]);

  const matches = picker && canned ? searchCanned(canned, picker.query) : [];
  const renderValues = { 'contact.name': conversation.contactName, folio: conversation.folio, 'agent.name': agentName, 'campaign.name': campaignName };

  function choose(item: CannedResponse) {
    if (!picker) return;
    const caret = area.current?.selectionStart ?? text.length;
    const next = insertAt(text, picker.start, caret, renderCannedResponse(item.body, renderValues));
    setText(next.value);
    setPicker(null);
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(next.caret, next.caret);
    });
  }

  async function submit() {
    const value = text.trim();
    if (busy || readOnly || !freeForm || (!value && (note || files.length === 0))) return;
    setBusy(true);
    setError(null);
    try {
      if (note) await onNote(value);
      else await onSend(value, files.map((f) => f.id));
      setText('');
      setFiles([]);
    } catch (e) {
      setError(errorText(e, lang, t('common.networkError')));
      if (windowClosedError(e)) reply.reload();
    } finally {
      setBusy(false);
      area.current?.focus();
    }
  }

  async function upload(list: FileList | null) {
    for (const file of Array.from(list ?? [])) {
      setUploading(file.name);
      setError(null);
      try {
        const stored = await api.uploadFile(conversation.id, file);
        setFiles((current) => [...current, stored]);
      } catch (e) {
        setError(errorText(e, lang, t('common.networkError')));
      }
    }
    setUploading(null);
    if (fileInput.current) fileInput.current.value = '';
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.nativeEvent.isComposing) return;
    if (picker && matches.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setHighlight((h) => (h + step + matches.length) % matches.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        const item = matches[Math.min(highlight, matches.length - 1)];
        if (item) choose(item);
        return;
      }
    }
    if (picker && event.key === 'Escape') {
      event.preventDefault();
      setPicker(null);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void submit();
    }
  }

  function onChange(value: string, caret: number) {
    setText(value);
    const found = note ? null : slashQuery(value, caret);
    setPicker(found);
    if (found?.query !== picker?.query) setHighlight(0);
  }

  const noticeId = `${id}-window`;
  const listId = `${id}-canned`;
  const optionId = (i: number) => `${id}-canned-${i}`;
  const label = note ? t('composer.noteLabel') : t('composer.label');

  if (readOnly) return <p className="composer-readonly small muted">{t('composer.readOnly')}</p>;
  return (
    <div className={`composer${note ? ' composer-note' : ''}`}>
      {options && <ReplyWindowNotice id={noticeId} window={replyState} hours={options.windowHours} />}
      {conversation.channelKind === 'email' && !note && <p className="muted small composer-hint">{t('composer.emailHint')}</p>}
      {picker && (
        <div className="canned-picker">
          <div className="canned-head small">
            <strong id={`${listId}-title`}>{t('composer.canned.title')}</strong>
            <span className="muted">{t('composer.canned.hint')}</span>
          </div>
          {matches.length === 0 ? (
            <p className="empty small">{t('composer.canned.empty')}</p>
          ) : (
            <ul id={listId} role="listbox" aria-labelledby={`${listId}-title`}>
              {matches.map((c, i) => (
                <li
                  key={c.id}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === highlight}
                  className={i === highlight ? 'highlight' : ''}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    choose(c);
                  }}
                >
                  <span className="canned-shortcut">/{c.shortcut}</span>
                  <span className="canned-title">{c.title}</span>
                  <span className="canned-body muted small">{renderCannedResponse(c.body, renderValues)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {note && (
        <p className="note-banner small">
          <Icon name="lock" size={14} /> {t('thread.note')}
        </p>
      )}
      <label htmlFor={`${id}-text`} className="sr-only">
        {label}
      </label>
      <textarea
        id={`${id}-text`}
        ref={area}
        className="composer-input"
        rows={3}
        lang="es-MX"
        spellCheck
        value={text}
        disabled={!freeForm}
        aria-describedby={options && !note ? noticeId : undefined}
        placeholder={note ? t('composer.notePlaceholder') : freeForm ? t('composer.placeholder') : t('reply.closedPlaceholder')}
        aria-controls={picker && matches.length > 0 ? listId : undefined}
        aria-activedescendant={picker && matches.length > 0 ? optionId(Math.min(highlight, matches.length - 1)) : undefined}
        onChange={(e) => onChange(e.target.value, e.target.selectionStart)}
        onKeyDown={onKeyDown}
        onBlur={() => setPicker(null)}
        maxLength={4096}
      />
      {files.length > 0 && (
        <ul className="file-chips">
          {files.map((f) => (
            <li key={f.id} className="chip">
              <Icon name="file" size={14} /> {f.filename}
              <button type="button" className="chip-remove" aria-label={t('composer.removeFile', { filename: f.filename })} onClick={() => setFiles((list) => list.filter((x) => x.id !== f.id))}>
                <Icon name="close" size={12} />
              </button>
            </li>
          ))}
        </ul>
      )}
      {uploading && (
        <p className="small muted" role="status">
          {t('composer.uploading', { filename: uploading })}
        </p>
      )}
      {error && (
        <p className="banner banner-error small" role="alert">
          {error}
        </p>
      )}
      <div className="composer-bar">
        <label className="switch">
          <input type="checkbox" checked={note} onChange={(e) => {
            setNote(e.target.checked);
            setPicker(null);
          }} />
          <span className="switch-track" aria-hidden="true" />
          <span>{t('composer.noteToggle')}</span>
        </label>
        <input ref={fileInput} type="file" className="sr-only" tabIndex={-1} aria-hidden="true" onChange={(e) => void upload(e.target.files)} multiple />
        <button
          type="button"
          className="btn btn-ghost"
          disabled={note || !freeForm || uploading !== null || options?.canSendMedia === false}
          title={options?.canSendMedia === false ? t('reply.noMedia') : undefined}
          onClick={() => fileInput.current?.click()}
        >
          <Icon name="paperclip" /> <span>{t('composer.attach')}</span>
        </button>
        {options && !note && (
          <MessagingActions
            api={api}
            conversationId={conversation.id}
            options={options}
            freeForm={freeForm}
            text={text}
            onWindowMoved={reply.reload}
            onSent={(kind) => {
              if (kind === 'options') setText('');
              setError(null);
              reply.reload();
            }}
          />
        )}
        <span className="spacer" />
        <button type="button" className={`btn ${note ? 'btn-note' : 'btn-primary'}`} disabled={busy || !freeForm || (!text.trim() && (note || files.length === 0))} onClick={() => void submit()}>
          <Icon name={note ? 'lock' : 'send'} /> {note ? t('composer.saveNote') : t('composer.send')}
        </button>
      </div>
    </div>
  );
}
