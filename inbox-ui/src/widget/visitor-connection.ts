import type { PrechatRequest, WidgetAttachment, WidgetMessage, WidgetSessionState } from '@ventanilla/hub/widget-contract';
import { ApiError } from '../api/api-error.js';
import { newClientId } from './client-id.js';
import { MessageLog } from './message-log.js';
import type { TokenStore } from './token-store.js';
import type { WidgetApi } from './widget-api.js';
import { connectWidgetSocket, type WidgetSocket } from './widget-socket.js';

/** While waiting in line the place and the estimate move without a routing event: poll them. */
const QUEUE_REFRESH_MS = 15_000;

export type Conversation = WidgetSessionState['conversation'];

/** What the views need to hear about. */
export interface ConnectionEvents {
  /** GET /session answered (the conversation may have moved: queued, taken, ended). */
  sessionChanged(before: Conversation, after: Conversation): void;
  /** The message log changed; `received` is a new message from the other side, if that is what happened. */
  messagesChanged(received: WidgetMessage | null): void;
  agentTyping(typing: boolean, displayName: string | null): void;
  connectionChanged(): void;
  /** The hub no longer honours the token (expired, revoked, another site): back to the start. */
  forgotten(): void;
  sendFailed(error: unknown): void;
}

/**
 * The visitor's side of the conversation: the token (localStorage, so a reload or a second tab
 * resumes it), GET /session, the socket (rooms, typing, read receipts) and the message log with
 * its optimistic sends. Everything that reaches the hub goes through here; the views only draw.
 */
export class VisitorConnection {
  readonly log = new MessageLog();
  state: WidgetSessionState | null = null;
  connected = false;
  everConnected = false;
  private socket: WidgetSocket | null = null;
  private joinedFolio: string | null = null;
  /**
   * The ended conversation the visitor left behind by starting a new one: not shown again while
   * it stays ended. (The hub may carry on in it — a visitor's "end" does not close it for the
   * agent — and then it is the visitor's conversation again.)
   */
  private staleFolio: string | null = null;
  private readonly retries = new Map<string, () => void>();
  private queueTimer: ReturnType<typeof setInterval> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: WidgetApi,
    private readonly tokens: TokenStore,
    private readonly events: ConnectionEvents,
  ) {}

  get token(): string | null {
    return this.api.token;
  }

  get conversation(): Conversation {
    const conversation = this.state?.conversation ?? null;
    return conversation && conversation.folio === this.staleFolio && conversation.status === 'ended' ? null : conversation;
  }

  /** A stored token from an earlier page: the same visitor and conversation, if the hub agrees. */
  async resume(): Promise<void> {
    const token = this.tokens.get();
    if (!token) return;
    this.api.token = token;
    await this.refresh();
    if (this.api.token) this.connect();
  }

  /** After the pre-chat form: a (new or renewed) visitor; an ended conversation stays behind. */
  async begin(token: string, request: PrechatRequest): Promise<void> {
    if (this.conversation?.status === 'ended') this.staleFolio = this.conversation.folio;
    this.tokens.set(token);
    this.api.token = token;
    this.log.clear();
    this.state = { visitorId: '', name: request.name ?? null, conversation: null, messages: [] };
    this.connect();
    await this.refresh();
  }

  /** Another tab started (or replaced) the visitor: follow it. */
  async adopt(token: string | null): Promise<void> {
    if (token === this.api.token) return;
    if (!token) return this.forget();
    this.api.token = token;
    this.log.clear();
    this.staleFolio = null;
    await this.refresh();
    this.connect();
  }

  /** GET /session; a token the hub no longer honours (401/403: expired, another site) is forgotten. */
  async refresh(): Promise<void> {
    try {
      this.apply(await this.api.session());
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) this.forget();
    }
  }

  scheduleRefresh(delayMs = 200): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), delayMs);
  }

  private apply(state: WidgetSessionState): void {
    const before = this.conversation;
    this.state = state;
    const conversation = this.conversation;
    if (conversation) for (const message of state.messages) this.log.upsert(message);
    this.join();
    clearInterval(this.queueTimer);
    if (conversation?.status === 'waiting') this.queueTimer = setInterval(() => void this.refresh(), QUEUE_REFRESH_MS);
    this.events.sessionChanged(before, conversation);
  }

  private forget(): void {
    this.tokens.set(null);
    this.api.token = null;
    this.socket?.disconnect();
    this.socket = null;
    this.state = null;
    this.log.clear();
    clearInterval(this.queueTimer);
    this.events.forgotten();
  }

  private connect(): void {
    const token = this.api.token;
    this.socket?.disconnect();
    if (!token) return;
    const socket = connectWidgetSocket(this.api.baseUrl, token);
    this.socket = socket;
    this.joinedFolio = null;
    socket.on('connect', () => {
      this.connected = this.everConnected = true;
      this.joinedFolio = null;
      this.events.connectionChanged();
      // Whatever happened while we were away (messages, routing) comes with the session.
      void this.refresh();
    });
    socket.on('disconnect', (reason) => {
      this.connected = false;
      this.events.connectionChanged();
      // The hub dropped us (a redeploy, a revoked token): re-check the token, then come back.
      if (reason === 'io server disconnect') void this.refresh().then(() => this.socket === socket && socket.connect());
    });
    socket.on('connect_error', () => {
      // Refused by the namespace's check (not a network error, which socket.io retries itself):
      // the REST call tells whether the token still works; if it does, try again a bit later.
      if (socket.active) return;
      setTimeout(() => void this.refresh().then(() => this.socket === socket && socket.connect()), 3000);
    });
    socket.on('message.created', (message) => this.received(message));
    socket.on('session.updated', () => this.scheduleRefresh());
    socket.on('agent.typing', ({ typing, displayName }) => this.events.agentTyping(typing, displayName ?? this.conversation?.agent?.displayName ?? null));
  }

  /** Joins the room of the conversation GET /session named (routing and typing signals). */
  private join(): void {
    const folio = this.conversation?.folio ?? null;
    if (!this.socket?.connected || !folio || folio === this.joinedFolio) return;
    this.joinedFolio = folio;
    this.socket.emit('session.join', {}, (reply) => {
      if (!reply.ok) this.joinedFolio = null;
      // A routing change published before we were in the room (the agent took the conversation
      // while we were learning its folio) was not heard: read the state once more.
      else this.scheduleRefresh();
    });
  }

  private received(message: WidgetMessage): void {
    const { result } = this.log.upsert(message);
    // The first message opens the conversation: learn its folio and follow its room.
    if (!this.conversation) this.scheduleRefresh();
    this.events.messagesChanged(result === 'added' && message.sender !== 'citizen' ? message : null);
  }

  /** messages.read for what the visitor has in front of them (the caller knows what is visible). */
  acknowledge(): void {
    if (!this.socket?.connected) return;
    const ids = this.log.unacknowledged();
    if (ids.length === 0) return;
    this.log.acknowledge(ids);
    this.socket.emit('messages.read', { messageIds: ids }, () => undefined);
  }

  typing(typing: boolean): void {
    // Volatile: a "typing" that could not go out now is worthless later.
    this.socket?.volatile.emit('visitor.typing', { typing });
  }

  sendText(text: string): void {
    this.deliver(newClientId(), text, [], (id) => this.api.sendText({ clientMessageId: id, text }));
  }

  attach(file: File): void {
    const placeholder: WidgetAttachment = { filename: file.name, mimeType: file.type, size: file.size, url: '' };
    this.deliver(newClientId(), null, [placeholder], (id) => this.api.uploadFile(file, id));
  }

  retry(clientMessageId: string): void {
    this.retries.get(clientMessageId)?.();
  }

  /** Optimistic: shown at once as "sending", confirmed by the hub's echo, "not sent" + retry on failure. */
  private deliver(id: string, text: string | null, attachments: WidgetAttachment[], call: (id: string) => Promise<unknown>): void {
    this.log.addPending(id, text, attachments);
    const attempt = () => {
      this.log.setState(id, 'pending');
      this.events.messagesChanged(null);
      call(id).then(
        () => {
          if (!this.conversation) this.scheduleRefresh(1500);
        },
        (error: unknown) => {
          this.log.setState(id, 'failed');
          this.events.messagesChanged(null);
          this.events.sendFailed(error);
        },
      );
    };
    this.retries.set(id, attempt);
    attempt();
  }

  async end(): Promise<void> {
    await this.api.end();
    await this.refresh();
  }
}
