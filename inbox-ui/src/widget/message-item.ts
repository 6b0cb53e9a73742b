import type { WidgetAttachment } from '@ventanilla/hub/widget-contract';
import { h } from './dom.js';
import type { LogEntry } from './message-log.js';
import type { WidgetI18n } from './widget-i18n.js';

export interface MessageActions {
  download(attachment: WidgetAttachment): void;
  retry(clientMessageId: string): void;
}

/** Who wrote it, as the visitor reads it: "Usted", the agent's name, "Asistente virtual", "Sistema". */
export function senderLabel(entry: LogEntry, i18n: WidgetI18n): string {
  const { message } = entry;
  switch (message.sender) {
    case 'citizen':
      return i18n.t('chat.you');
    case 'agent':
      return message.senderName ?? i18n.t('chat.agent');
    case 'bot':
      return message.senderName ?? i18n.t('chat.bot');
    case 'system':
      return i18n.t('chat.system');
  }
}

/**
 * One message in the log. It is built once and then only its state line and file list change:
 * the log announces additions only (aria-relevant="additions"), so a confirmation does not make a
 * screen reader repeat the message.
 */
export class MessageItem {
  readonly element: HTMLElement;
  private readonly files: HTMLUListElement;
  private readonly state: HTMLElement;
  private readonly retrySlot: HTMLElement;
  private rendered = '';

  constructor(
    private entry: LogEntry,
    private readonly i18n: WidgetI18n,
    private readonly actions: MessageActions,
  ) {
    const { message } = entry;
    this.files = h('ul', { class: 'vw-files' });
    this.state = h('span', { class: 'vw-state', 'aria-hidden': 'true' });
    this.retrySlot = h('span', {});
    this.element = h(
      'div',
      { class: `vw-msg vw-msg-${message.sender}`, 'data-key': entry.key, 'data-message-id': message.id },
      h('p', { class: 'vw-who' }, senderLabel(entry, i18n)),
      message.text ? h('p', { class: 'vw-text' }, message.text) : null,
      this.files,
      h('p', { class: 'vw-meta' }, h('time', { datetime: message.createdAt }, i18n.time(message.createdAt)), ' ', this.state, this.retrySlot),
    );
    this.update(entry);
  }

  update(entry: LogEntry): void {
    this.entry = entry;
    const { message } = entry;
    this.element.setAttribute('data-message-id', message.id);
    this.element.setAttribute('data-state', entry.state);
    const signature = `${entry.state}|${message.attachments.map((a) => `${a.filename}:${a.url}`).join(',')}`;
    if (signature === this.rendered) return;
    this.rendered = signature;
    const { t } = this.i18n;
    this.state.textContent = entry.state === 'pending' ? t('chat.sending') : entry.state === 'failed' ? t('chat.failed') : '';
    const clientId = message.clientMessageId;
    if (entry.state === 'failed' && clientId) {
      const retry = h('button', { type: 'button', class: 'vw-link-btn' }, t('chat.retry'));
      retry.addEventListener('click', () => this.actions.retry(clientId));
      this.retrySlot.replaceChildren(retry);
    } else this.retrySlot.replaceChildren();
    this.files.replaceChildren(
      ...message.attachments.map((attachment) => {
        const label = t('chat.download', { name: attachment.filename, size: this.i18n.fileSize(attachment.size) });
        if (entry.state !== 'sent' || !attachment.url) return h('li', {}, attachment.filename);
        const button = h('button', { type: 'button', class: 'vw-link-btn' }, label);
        button.addEventListener('click', () => this.actions.download(attachment));
        return h('li', {}, button);
      }),
    );
  }
}
