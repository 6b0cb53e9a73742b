import type { WidgetAttachment, WidgetConfig } from '@ventanilla/hub/widget-contract';
import { h, icon, ICONS, uid } from './dom.js';
import { fileAccepted } from './field-rules.js';
import { MessageItem } from './message-item.js';
import type { MessageLog } from './message-log.js';
import type { WidgetI18n } from './widget-i18n.js';

export interface ChatHandlers {
  send(text: string): void;
  attach(file: File): void;
  retry(clientMessageId: string): void;
  download(attachment: WidgetAttachment): void;
  typing(typing: boolean): void;
}

/** How often "I am typing" goes to the agent at most, and when silence means "stopped". */
const TYPING_EVERY_MS = 2500;
const TYPING_IDLE_MS = 3000;
/** An agent.typing(true) whose "stopped" got lost still fades. */
const AGENT_TYPING_TTL_MS = 8000;

/**
 * The conversation: status line (place in line, agent), the message log (role="log": new
 * messages are announced politely), the typing line, and the composer — Enter sends,
 * Shift+Enter adds a line, attachments are checked against the channel's limits before upload.
 */
export class ChatView {
  readonly element: HTMLElement;
  readonly composer: HTMLTextAreaElement;
  private readonly log: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly status: HTMLElement;
  private readonly typingLine: HTMLElement;
  private readonly alert: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly items = new Map<string, MessageItem>();
  private typingSentAt = 0;
  private typingIdle: ReturnType<typeof setTimeout> | undefined;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly i18n: WidgetI18n,
    private readonly config: WidgetConfig,
    private readonly messages: MessageLog,
    private readonly handlers: ChatHandlers,
  ) {
    const { t } = i18n;
    this.status = h('p', { class: 'vw-status', role: 'status' });
    this.empty = h('p', { class: 'vw-empty' }, t('chat.empty'));
    this.log = h('div', { class: 'vw-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': t('chat.log'), tabindex: 0 }, this.empty);
    this.typingLine = h('p', { class: 'vw-typing', role: 'status' });
    this.alert = h('p', { class: 'vw-alert vw-chat-alert', role: 'alert' });

    const hintId = uid('hint');
    this.composer = h('textarea', { id: uid('composer'), rows: 2, maxlength: 4000, placeholder: t('chat.placeholder'), 'aria-describedby': hintId });
    const send = h('button', { type: 'submit', class: 'vw-btn' }, t('chat.send'));
    this.form = h(
      'form',
      { class: 'vw-composer' },
      h('label', { class: 'vw-sr', for: this.composer.id }, t('chat.composer')),
      h('p', { class: 'vw-sr', id: hintId }, t('chat.composerHint')),
      ...this.attachControls(),
      this.composer,
      send,
    );
    this.element = h('div', { class: 'vw-chat' }, this.status, this.log, this.typingLine, this.alert, this.form);

    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.composer.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.composer.addEventListener('input', () => this.noteTyping());
  }

  private attachControls(): HTMLElement[] {
    const { attachments } = this.config;
    if (!attachments.enabled) return [];
    const { t, fileSize } = this.i18n;
    const hintId = uid('attach-hint');
    const input = h('input', { type: 'file', hidden: true, tabindex: -1, 'aria-hidden': 'true', accept: attachments.accept.join(',') || undefined });
    const button = h('button', { type: 'button', class: 'vw-icon-btn', 'aria-label': t('chat.attach'), title: t('chat.attach'), 'aria-describedby': hintId }, icon(ICONS.attach));
    const hint = h('p', { class: 'vw-sr', id: hintId }, t('chat.attachHint', { types: attachments.accept.join(', ') || '—', max: fileSize(attachments.maxBytes) }));
    button.addEventListener('click', () => input.click());
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      input.value = '';
      if (!file) return;
      if (!fileAccepted(file, attachments.accept)) return this.setError(t('chat.fileType', { name: file.name }));
      if (file.size > attachments.maxBytes) return this.setError(t('chat.fileTooBig', { name: file.name, size: fileSize(file.size), max: fileSize(attachments.maxBytes) }));
      this.setError(null);
      this.handlers.attach(file);
    });
    return [button, input, hint];
  }

  private submit(): void {
    const text = this.composer.value.trim();
    if (!text || this.composer.disabled) return;
    this.composer.value = '';
    this.stopTyping();
    this.setError(null);
    this.handlers.send(text);
  }

  private noteTyping(): void {
    const now = Date.now();
    if (now - this.typingSentAt > TYPING_EVERY_MS) {
      this.typingSentAt = now;
      this.handlers.typing(true);
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.typingIdle);
    if (this.typingSentAt === 0) return;
    this.typingSentAt = 0;
    this.handlers.typing(false);
  }

  /** Brings the log in line with the message list: new items appended in order, changed ones updated in place. */
  render(): void {
    const nearBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
    let previous: Element | null = null;
    let addedOwn = false;
    for (const entry of this.messages.list()) {
      let item = this.items.get(entry.key);
      if (item) item.update(entry);
      else {
        item = new MessageItem(entry, this.i18n, this.handlers);
        this.items.set(entry.key, item);
        if (entry.message.sender === 'citizen') addedOwn = true;
        if (entry.message.sender !== 'citizen') this.setAgentTyping(false, null);
      }
      // Move only what is out of place: a moved node would be announced again.
      const expectedAfter: Element | null = previous ?? this.empty;
      if (item.element.previousElementSibling !== expectedAfter) expectedAfter.after(item.element);
      previous = item.element;
    }
    this.empty.hidden = this.items.size > 0;
    if (nearBottom || addedOwn) this.log.scrollTop = this.log.scrollHeight;
  }

  setStatus(text: string): void {
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  setAgentTyping(typing: boolean, name: string | null): void {
    clearTimeout(this.agentTypingTimer);
    const text = typing ? (name ? this.i18n.t('chat.typing', { name }) : this.i18n.t('chat.typingSomeone')) : '';
    if (this.typingLine.textContent !== text) this.typingLine.textContent = text;
    if (typing) this.agentTypingTimer = setTimeout(() => this.setAgentTyping(false, null), AGENT_TYPING_TTL_MS);
  }

  setError(text: string | null): void {
    this.alert.textContent = text ?? '';
  }

  /** Once the conversation ended nobody is listening: the composer is disabled, not hidden. */
  setEnded(ended: boolean): void {
    this.composer.disabled = ended;
    this.form.querySelectorAll('button').forEach((button) => (button.disabled = ended));
  }

  dispose(): void {
    this.stopTyping();
    clearTimeout(this.agentTypingTimer);
  }
}
