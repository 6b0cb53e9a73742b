import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { errorText } from '../api/api-error.js';
import type { CannedResponse, ConversationListItem, FileView } from '../api/api-types.js';
import type { HubApi } from '../api/hub-api.js';
import { insertAt, searchCanned, slashQuery } from '../composer/canned-search.js';
import { renderCannedResponse } from '../../../hub/src/inbox/canned-variables.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from './icons.view.js';

const WHATSAPP_WINDOW_MS = 24 * 3600_000;

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
    if (busy || readOnly || (!value && (note || files.length === 0))) return;
    setBusy(true);
    setError(null);
    try {
      if (note) await onNote(value);
      else await onSend(value, files.map((f) => f.id));
      setText('');
      setFiles([]);
    } catch (e) {
      setError(errorText(e, lang, t('common.networkError')));
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

  const whatsappClosed = conversation.channelKind === 'whatsapp' && conversation.lastInboundAt !== null && Date.now() - Date.parse(conversation.lastInboundAt) > WHATSAPP_WINDOW_MS;
  const listId = `${id}-canned`;
  const optionId = (i: number) => `${id}-canned-${i}`;
  const label = note ? t('composer.noteLabel') : t('composer.label');

  if (readOnly) return <p className="composer-readonly small muted">{t('composer.readOnly')}</p>;
  return (
    <div className={`composer${note ? ' composer-note' : ''}`}>
      {whatsappClosed && !note && (
        <p className="banner banner-warn small" role="note">
          {t('composer.whatsappWindow')}
        </p>
      )}
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
        placeholder={note ? t('composer.notePlaceholder') : t('composer.placeholder')}
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
        <button type="button" className="btn btn-ghost" disabled={note || uploading !== null} onClick={() => fileInput.current?.click()}>
          <Icon name="paperclip" /> <span>{t('composer.attach')}</span>
        </button>
        <span className="spacer" />
        <button type="button" className={`btn ${note ? 'btn-note' : 'btn-primary'}`} disabled={busy || (!text.trim() && (note || files.length === 0))} onClick={() => void submit()}>
          <Icon name={note ? 'lock' : 'send'} /> {note ? t('composer.saveNote') : t('composer.send')}
        </button>
      </div>
    </div>
  );
}
