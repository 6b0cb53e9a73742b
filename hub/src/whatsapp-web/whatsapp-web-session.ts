import { join } from 'node:path';
import {
  fromAck,
  fromLibraryMessage,
  fromLibraryReaction,
  inboundEventSchema,
  isCitizenChat,
  whatsappWebChannelSettingsSchema,
  wwebjsMessageSchema,
  wwebjsReactionSchema,
  type InboundEvent,
  type WwebjsClientFactory,
  type WwebjsRuntime,
} from '@ventanilla/connectors';
import { MailboxLock } from '../email/mailbox-lock.js';
import { keepLockRenewed, LockedSessionLoop } from '../queues/locked-session-loop.js';
import { inboundJobId, type InboundJob } from '../queues/queues.js';
import type { HubContext } from '../runtime/context.js';
import type { WhatsAppWebStateStore } from './whatsapp-web-state.js';

export interface WhatsAppWebSessionDeps {
  ctx: HubContext;
  channelId: string;
  factory: WwebjsClientFactory;
  store: WhatsAppWebStateStore;
  /** Downloads a message's media through this session before the event is queued (see the manager). */
  withMedia(channelId: string, event: InboundEvent): Promise<InboundEvent>;
}

/**
 * Keeps one channel's whatsapp-web.js client running: takes the channel's lock (one process per
 * session: two browsers on one WhatsApp Web session log each other out), starts the client,
 * publishes its state and QR, turns its events into inbound jobs, and when it disconnects,
 * fails to authenticate or loses the lock, destroys it and starts again after a backoff
 * (WHATSAPP_WEB_RECONNECT_BASE_MS doubling to _MAX_MS). Never throws.
 */
export class WhatsAppWebSession {
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private live: WwebjsRuntime | null = null;
  private readonly sessions: LockedSessionLoop<null>;
  private endSession: (reason: string) => void = () => undefined;
  private readonly log: HubContext['logger'];

  constructor(private readonly deps: WhatsAppWebSessionDeps) {
    this.log = deps.ctx.logger.child({ channelId: deps.channelId, component: 'whatsapp-web' });
    const { config } = deps.ctx;
    this.sessions = new LockedSessionLoop({
      signal: this.abort.signal,
      lockTtlMs: config.WHATSAPP_WEB_LOCK_TTL_MS,
      reconnectBaseMs: config.WHATSAPP_WEB_RECONNECT_BASE_MS,
      reconnectMaxMs: config.WHATSAPP_WEB_RECONNECT_MAX_MS,
      prepare: () => Promise.resolve({ lock: new MailboxLock(deps.ctx.redis, config.REDIS_PREFIX, deps.channelId, 'whatsapp-web', config.WHATSAPP_WEB_LOCK_TTL_MS), target: null }),
      session: (_target, lock) => this.session(lock),
      onEnded: (reason, failures, retryInMs) => this.log.warn({ reason, failures, retryInMs }, 'WhatsApp Web session ended; restarting'),
      onFailed: (error, failures, retryInMs) => this.log.warn({ err: error, failures, retryInMs }, 'WhatsApp Web session failed; restarting'),
    });
  }

  get channelId(): string {
    return this.deps.channelId;
  }

  /** The client, only while it is paired and ready (sends and media downloads need that). */
  get ready(): WwebjsRuntime | null {
    return this.live;
  }

  start(): void {
    this.running ??= this.sessions.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.endSession('stopped');
    await this.running;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** One client's life: resolves with the reason it ended (disconnect, auth failure, lock lost, stop). */
  private async session(lock: MailboxLock): Promise<string> {
    const { ctx, channelId, store } = this.deps;
    const ended = new Promise<string>((resolve) => {
      this.endSession = resolve;
    });
    if (this.stopped) return 'stopped';
    const channel = await ctx.channels.get(channelId);
    const settings = whatsappWebChannelSettingsSchema.parse(channel?.settings ?? {});
    await store.setState(channelId, 'starting');
    const stopRenewal = keepLockRenewed(lock, ctx.config.WHATSAPP_WEB_LOCK_TTL_MS, {
      onHeld: () => store.touch(channelId).then(() => this.logoutIfAsked()),
      onLost: (reason) => this.endSession(reason),
    });
    let runtime: WwebjsRuntime | null = null;
    try {
      runtime = await this.deps.factory({
        channelId,
        dataPath: join(ctx.config.DATA_DIR, 'whatsapp-web'),
        executablePath: ctx.config.WHATSAPP_WEB_CHROMIUM_PATH,
      });
      const { client } = runtime;
      const ready = runtime;
      const track = (what: string, work: Promise<unknown>) => work.catch((error: unknown) => this.log.error({ err: error }, `WhatsApp Web ${what} failed`));
      client.on('qr', (qr) => {
        if (typeof qr === 'string') void track('QR publish', store.setQr(channelId, qr));
      });
      client.on('authenticated', () => void track('state publish', store.setState(channelId, 'starting')));
      client.on('ready', () => {
        this.sessions.healthy();
        this.live = ready;
        const phone = client.info?.wid.user;
        this.log.info({ phone }, 'WhatsApp Web session ready');
        void track('state publish', store.setState(channelId, 'ready', phone ? { phone } : {}));
      });
      client.on('auth_failure', (message) => {
        const reason = String(message).slice(0, 300);
        void track('state publish', store.setState(channelId, 'auth_failure', { reason }).then(() => this.endSession(`auth_failure: ${reason}`)));
      });
      client.on('disconnected', (reason) => {
        const why = String(reason).slice(0, 300);
        void track('state publish', store.setState(channelId, 'disconnected', { reason: why }).then(() => this.endSession(`disconnected: ${why}`)));
      });
      client.on('message', (msg) => {
        const parsed = wwebjsMessageSchema.safeParse(msg);
        if (!parsed.success) return this.log.warn({ issues: parsed.error.issues }, 'WhatsApp Web message of an unexpected shape ignored');
        if (!isCitizenChat(parsed.data, settings.acceptGroups)) return;
        void track('inbound enqueue', this.enqueue(fromLibraryMessage(parsed.data)));
      });
      client.on('message_reaction', (reaction) => {
        const parsed = wwebjsReactionSchema.safeParse(reaction);
        if (!parsed.success || parsed.data.id.fromMe) return;
        void track('inbound enqueue', this.enqueue(fromLibraryReaction(parsed.data)));
      });
      client.on('message_ack', (msg, ack) => {
        const parsed = wwebjsMessageSchema.safeParse(msg);
        const status = parsed.success && typeof ack === 'number' ? fromAck(parsed.data, ack) : null;
        if (status) void track('status enqueue', this.enqueue(status));
      });
      // initialize() resolves once WhatsApp Web is loaded; pairing and 'ready' come as events.
      await Promise.race([client.initialize(), ended]);
      return await ended;
    } finally {
      stopRenewal();
      this.live = null;
      if (runtime) await runtime.client.destroy().catch((error: unknown) => this.log.debug({ err: error }, 'WhatsApp Web client destroy failed'));
      if (this.stopped) await store.setState(channelId, 'disconnected', { reason: 'stopped' }).catch(() => undefined);
    }
  }

  /**
   * "Desvincular" in the admin console: log the paired phone out (LocalAuth deletes the stored
   * session) and start again, which shows a new QR.
   */
  private async logoutIfAsked(): Promise<void> {
    const live = this.live;
    if (!live || !(await this.deps.store.takeLogout(this.channelId))) return;
    this.log.info('WhatsApp Web logout requested by an admin');
    this.live = null;
    await live.client.logout().catch((error: unknown) => this.log.warn({ err: error }, 'WhatsApp Web logout failed'));
    await this.deps.store.setState(this.channelId, 'disconnected', { reason: 'LOGOUT' });
    this.endSession('logout requested');
  }

  /**
   * Same queue and job ids as a webhook (queues.ts inboundJobId), so a message the library
   * emits twice (it does after a reconnect) is stored once.
   */
  private async enqueue(event: InboundEvent): Promise<void> {
    const withMedia = await this.deps.withMedia(this.channelId, event);
    const valid = inboundEventSchema.safeParse(withMedia);
    if (!valid.success) {
      this.log.error({ issues: valid.error.issues, providerMessageId: 'providerMessageId' in event ? event.providerMessageId : undefined }, 'WhatsApp Web event does not fit the inbound schema; not queued');
      return;
    }
    const job: InboundJob = { channelId: this.channelId, event: valid.data, receivedAt: Date.now() };
    await this.deps.ctx.queues.inbound.add(job.event.type, job, { jobId: inboundJobId(job) });
  }
}
