import type { PrechatFieldName, WidgetAttachment } from '@ventanilla/hub/widget-contract';
import { ChatView } from './chat.view.js';
import { closedView } from './closed.view.js';
import { confirmDialog } from './confirm.dialog.js';
import { h } from './dom.js';
import { saveBlob } from './downloads.js';
import { endedView } from './ended.view.js';
import { errorText } from './error-text.js';
import { prechatView } from './prechat.view.js';
import { statusLine } from './status-line.js';
import { surveyView } from './survey.view.js';
import { rememberOpen, TokenStore } from './token-store.js';
import type { View, ViewEnv } from './view.js';
import { VisitorConnection, type Conversation } from './visitor-connection.js';
import type { WidgetShell } from './widget-shell.js';

type ViewKind = 'loading' | 'prechat' | 'closed' | 'chat' | 'survey' | 'ended';

/**
 * The visitor's journey (issue 5 items 2–4): closed message or pre-chat form → chat → exit survey
 * → transcript. It picks the view for the state of the connection and wires the views' actions to
 * it; the connection talks to the hub.
 */
export class WidgetApp {
  private readonly tokens: TokenStore;
  private readonly connection: VisitorConnection;
  private kind: ViewKind = 'loading';
  private view: View | null = null;
  private chat: ChatView | null = null;
  private readonly endButton: HTMLButtonElement;
  private surveyHandled: string | null = null;
  private surveyNotice: string | null = null;
  /** What the visitor typed in the pre-chat form, for the next one (this page's life only). */
  private readonly prechatValues: Partial<Record<PrechatFieldName, string>> = {};
  private unread = 0;

  constructor(
    private readonly env: ViewEnv,
    private readonly shell: WidgetShell,
  ) {
    this.tokens = new TokenStore(env.config.channelId);
    this.connection = new VisitorConnection(env.api, this.tokens, {
      sessionChanged: (before, after) => this.sessionChanged(before, after),
      messagesChanged: (received) => {
        if (received && !this.shell.isOpen) this.shell.setUnread((this.unread += 1));
        this.chat?.render();
        if (received) this.chat?.setAgentTyping(false, null);
        this.acknowledgeShown();
      },
      agentTyping: (typing, name) => this.chat?.setAgentTyping(typing, name),
      connectionChanged: () => this.updateChatStatus(),
      forgotten: () => {
        if (this.kind !== 'loading') this.renderForState();
      },
      sendFailed: (error) => this.chat?.setError(`${env.i18n.t('chat.failed')} ${errorText(error, env.i18n)}`),
    });
    this.endButton = h('button', { type: 'button', class: 'vw-header-btn' }, env.i18n.t('chat.end'));
    this.endButton.addEventListener('click', () => void this.endChat());
  }

  async start(): Promise<void> {
    this.show('loading', { element: h('p', { class: 'vw-pad', role: 'status' }, this.env.i18n.t('panel.loading')), focus: null });
    await this.connection.resume();
    this.renderForState();
    if (rememberOpen(this.env.config.channelId, undefined)) this.shell.open(null, false);
    window.addEventListener('storage', (event) => {
      if (event.key !== this.tokens.key) return;
      void this.connection.adopt(this.tokens.get()).then(() => this.renderForState());
    });
    document.addEventListener('visibilitychange', () => this.acknowledgeShown());
  }

  /** The shell tells us the panel opened or closed. */
  openChanged(open: boolean): void {
    rememberOpen(this.env.config.channelId, open);
    if (!open) return;
    this.unread = 0;
    this.shell.setUnread(0);
    this.chat?.render();
    this.acknowledgeShown();
  }

  private show(kind: ViewKind, view: View): void {
    this.view?.dispose?.();
    if (kind !== 'chat') this.chat = null;
    this.kind = kind;
    this.view = view;
    this.shell.show(view.element, view.focus);
    this.updateHeader();
  }

  private renderForState(): void {
    const { config } = this.env;
    const conversation = this.connection.conversation;
    if (this.connection.state && conversation?.status === 'ended') {
      if (config.survey && conversation.survey.due && !conversation.survey.done && this.surveyHandled !== conversation.folio) void this.showSurvey(conversation.folio);
      else this.showEnded(conversation.folio);
    } else if (this.connection.state) this.showChat();
    else if (!config.open) this.show('closed', closedView(this.env));
    else this.showPrechat();
  }

  private sessionChanged(before: Conversation, after: Conversation): void {
    if (this.kind !== 'chat') return;
    // Ended by either side (or by the hub, idle): the survey or the goodbye replaces the chat.
    if (after?.status === 'ended' && before?.status !== 'ended') return this.renderForState();
    this.chat?.render();
    this.updateChatStatus();
    this.acknowledgeShown();
  }

  private showPrechat(): void {
    const view = prechatView(this.env, {
      initial: this.prechatValues,
      visitorToken: this.connection.token,
      onStarted: (created, request) => {
        for (const name of ['name', 'email', 'phone', 'topic'] as const) if (request[name]) this.prechatValues[name] = request[name];
        void this.connection.begin(created.visitorToken, request);
        this.showChat();
      },
    });
    this.show('prechat', view);
  }

  private showChat(): void {
    if (this.kind !== 'chat' || !this.chat) {
      const connection = this.connection;
      const chat = new ChatView(this.env.i18n, this.env.config, connection.log, {
        send: (text) => connection.sendText(text),
        attach: (file) => connection.attach(file),
        retry: (clientMessageId) => connection.retry(clientMessageId),
        download: (attachment) => void this.download(attachment),
        typing: (typing) => connection.typing(typing),
      });
      this.show('chat', { element: chat.element, focus: chat.composer, dispose: () => chat.dispose() });
      this.chat = chat;
    }
    this.chat.render();
    this.updateChatStatus();
    this.acknowledgeShown();
  }

  private async showSurvey(folio: string): Promise<void> {
    this.kind = 'survey';
    try {
      const survey = await this.env.api.survey();
      if (survey.done) throw new Error('already answered');
      this.show(
        'survey',
        surveyView(this.env, survey, (answered) => {
          this.surveyHandled = folio;
          this.surveyNotice = answered ? this.env.i18n.t('survey.thanks') : null;
          this.showEnded(folio);
        }),
      );
    } catch {
      this.surveyHandled = folio;
      this.showEnded(folio);
    }
  }

  private showEnded(folio: string): void {
    this.show('ended', endedView(this.env, { folio, notice: this.surveyNotice, email: this.prechatValues.email ?? '', onNewConversation: () => this.newConversation() }));
  }

  private newConversation(): void {
    this.surveyNotice = null;
    if (!this.env.config.open) this.show('closed', closedView(this.env));
    else this.showPrechat();
  }

  private updateHeader(): void {
    const conversation = this.connection.conversation;
    this.shell.setActions(...(this.kind === 'chat' && conversation && conversation.status !== 'ended' ? [this.endButton] : []));
  }

  private updateChatStatus(): void {
    if (!this.chat) return;
    const { connected, everConnected, conversation } = this.connection;
    this.chat.setStatus(everConnected && !connected ? this.env.i18n.t('chat.reconnecting') : statusLine(conversation, this.env.i18n.t));
    this.chat.setEnded(conversation?.status === 'ended');
    this.updateHeader();
  }

  /** messages.read only for what the visitor has in front of them: panel open, tab visible, chat shown. */
  private acknowledgeShown(): void {
    if (this.shell.isOpen && document.visibilityState === 'visible' && this.kind === 'chat') this.connection.acknowledge();
  }

  private async download(attachment: WidgetAttachment): Promise<void> {
    try {
      const { blob, filename } = await this.env.api.download(attachment.url);
      saveBlob(this.shell.body, blob, filename ?? attachment.filename);
    } catch (error) {
      this.chat?.setError(errorText(error, this.env.i18n));
    }
  }

  private async endChat(): Promise<void> {
    const { t } = this.env.i18n;
    const confirmed = await confirmDialog(this.shell.body, { title: t('confirm.endTitle'), body: t('confirm.endBody'), yes: t('confirm.endYes'), no: t('confirm.endNo') });
    if (!confirmed) return;
    try {
      await this.connection.end();
      if (this.kind === 'chat') this.renderForState();
    } catch (error) {
      this.chat?.setError(errorText(error, this.env.i18n));
    }
  }
}
