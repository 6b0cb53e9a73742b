import { createHash } from 'node:crypto';
import {
  createWhatsAppWebClient,
  whatsappWebChannelAdapter,
  whatsappWebChannelSettingsSchema,
  whatsappWebOutboundSchema,
  type FetchedMedia,
  type InboundEvent,
  type SendResult,
  type SessionDelivery,
  type WwebjsClientFactory,
} from '@ventanilla/connectors';
import { FileStore } from '../files/file-store.js';
import { resolveInboundMedia } from '../ingest/resolve-inbound-media.js';
import type { HubContext } from '../runtime/context.js';
import { loadOutboundMedia } from './whatsapp-web-media.js';
import { WhatsAppWebSession } from './whatsapp-web-session.js';
import { WhatsAppWebStateStore } from './whatsapp-web-state.js';

export interface WhatsAppWebManager {
  /** Given to the outbound worker of this process (SendContext.sessions). */
  sessions: SessionDelivery;
  /** Channel ids with a session in this process (running, or waiting for the channel's lock). */
  channelIds(): string[];
  /** Re-reads the channel list now instead of at the next interval. */
  rescan(): Promise<void>;
  stop(): Promise<void>;
}

export interface WhatsAppWebManagerOptions {
  /** The real whatsapp-web.js Client by default; tests inject a fake of the same shape. */
  factory?: WwebjsClientFactory;
}

const unavailable = (reason: string): SendResult => ({ ok: false, retryable: true, code: 'session_unavailable', reason });

export function whatsappWebStateStore(ctx: HubContext): WhatsAppWebStateStore {
  // The state outlives a lock renewal gap, and dies with a crashed owner.
  return new WhatsAppWebStateStore(ctx.redis, ctx.config.REDIS_PREFIX, ctx.config.WHATSAPP_WEB_LOCK_TTL_MS * 2, ctx.config.WHATSAPP_WEB_QR_TTL_S);
}

/**
 * The whatsapp-web.js sessions of a worker process: one per enabled `whatsapp_web` channel,
 * the channel list read again every WHATSAPP_WEB_RESCAN_MS. Nothing is loaded or launched
 * while no such channel is enabled (the library and Chromium start with the first session).
 * Across processes each channel's session runs in one of them at a time (its Redis lock).
 */
export function startWhatsAppWebManager(ctx: HubContext, options: WhatsAppWebManagerOptions = {}): WhatsAppWebManager {
  const factory = options.factory ?? createWhatsAppWebClient;
  const store = whatsappWebStateStore(ctx);
  const running = new Map<string, { session: WhatsAppWebSession; fingerprint: string }>();
  const files = new FileStore(ctx.config.DATA_DIR);
  let stopped = false;
  let scanning: Promise<void> = Promise.resolve();

  const sessions: SessionDelivery = {
    async send(channelId, body) {
      const live = running.get(channelId)?.session.ready;
      if (!live) return unavailable('La sesión de WhatsApp Web no está lista en este proceso / WhatsApp Web session not ready in this process');
      const parsed = whatsappWebOutboundSchema.safeParse(body);
      if (!parsed.success) return { ok: false, retryable: false, code: 'invalid_recipient', reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
      const out = parsed.data;
      try {
        let chatId = out.chatId;
        if (chatId.endsWith('@c.us')) {
          // WhatsApp's own id for the number (a Mexican mobile is 521… there, +52… in the hub).
          const registered = await live.client.getNumberId(chatId);
          if (!registered) return { ok: false, retryable: false, code: 'not_on_whatsapp', reason: chatId };
          chatId = registered._serialized;
        }
        if (out.media) {
          const media = await loadOutboundMedia(ctx, files, out.media);
          if (!media) return { ok: false, retryable: false, code: 'attachment_missing', reason: out.media.fileId ?? out.media.url ?? '' };
          const sent = await live.client.sendMessage(chatId, live.createMedia(media), out.media.caption ? { caption: out.media.caption } : {});
          return { ok: true, providerMessageId: sent.id._serialized };
        }
        const sent = await live.client.sendMessage(chatId, out.text ?? '');
        return { ok: true, providerMessageId: sent.id._serialized };
      } catch (error) {
        // The page or the browser failed mid-send: the session restarts, the send retries.
        return unavailable(error instanceof Error ? error.message : String(error));
      }
    },

    async fetchMedia(channelId, mediaRef, maxBytes): Promise<FetchedMedia | null> {
      const live = running.get(channelId)?.session.ready;
      if (!live) throw new Error(`session_unavailable: WhatsApp Web session of ${channelId} not ready in this process`);
      const message = await live.client.getMessageById(mediaRef);
      if (!message?.hasMedia) return null;
      const media = await message.downloadMedia();
      if (!media) return null;
      // base64 is 4 characters per 3 bytes: refuse before decoding something huge.
      if (Math.floor((media.data.length * 3) / 4) > maxBytes + 3) return null;
      const content = Buffer.from(media.data, 'base64');
      if (content.length > maxBytes) return null;
      return { content, mimeType: media.mimetype, ...(media.filename ? { filename: media.filename } : {}) };
    },
  };

  /**
   * Media is downloaded here, in the process holding the session, before the job is queued
   * (the ingest worker of another process could not reach the client). The stored file id is
   * the one ingest would derive, so a retried job downloads nothing again. When the download
   * fails the message still goes in, its attachment captioned as missing (nothing is dropped).
   */
  const withMedia = async (channelId: string, event: InboundEvent): Promise<InboundEvent> => {
    if (event.type !== 'message' || !('attachments' in event.content)) return event;
    const channel = await ctx.channels.get(channelId);
    if (!channel) return event;
    const settings = whatsappWebChannelSettingsSchema.parse(channel.settings);
    const adapter = {
      ...channel.adapter,
      fetchMedia: (mediaRef: string, _settings: unknown, secrets: Record<string, string>, context: { fetch: typeof fetch; maxBytes: number }) =>
        whatsappWebChannelAdapter.fetchMedia?.(mediaRef, settings, secrets, { ...context, channelId, sessions }) ?? Promise.resolve(null),
    };
    try {
      return await resolveInboundMedia({ db: ctx.db.kysely, store: files, fetch, maxBytes: ctx.config.INBOUND_MEDIA_MAX_BYTES }, { ...channel, adapter }, event);
    } catch (error) {
      ctx.logger.warn({ err: error, channelId, providerMessageId: event.providerMessageId }, 'WhatsApp Web media download failed; message kept without the file');
      const attachments = event.content.attachments.map(({ mediaRef: _dropped, ...rest }) => (rest.fileId ? rest : { ...rest, caption: '(no se pudo descargar el archivo / the file could not be downloaded)' }));
      return { ...event, content: { ...event.content, attachments } };
    }
  };

  const scanOnce = async () => {
    const rows = await ctx.db.kysely.selectFrom('channels').select(['id', 'settings']).where('kind', '=', 'whatsapp_web').where('enabled', '=', true).execute();
    if (stopped) return;
    const wanted = new Map(rows.map((row) => [row.id, createHash('sha1').update(JSON.stringify(row.settings)).digest('hex')]));
    const stopping: Promise<void>[] = [];
    for (const [id, entry] of running) {
      if (wanted.get(id) === entry.fingerprint) continue;
      running.delete(id);
      stopping.push(entry.session.stop());
    }
    await Promise.all(stopping);
    for (const [id, fingerprint] of wanted) {
      if (running.has(id) || stopped) continue;
      ctx.channels.invalidate(id);
      const session = new WhatsAppWebSession({ ctx, channelId: id, factory, store, withMedia });
      running.set(id, { session, fingerprint });
      session.start();
    }
  };
  const rescan = () => {
    scanning = scanning.then(scanOnce).catch((error: unknown) => ctx.logger.warn({ err: error }, 'could not read the WhatsApp Web channel list; retrying at the next scan'));
    return scanning;
  };
  void rescan();
  const timer = setInterval(() => void rescan(), ctx.config.WHATSAPP_WEB_RESCAN_MS);
  timer.unref();

  return {
    sessions,
    channelIds: () => [...running.keys()],
    rescan,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await scanning;
      await Promise.all([...running.values()].map(({ session }) => session.stop()));
      running.clear();
    },
  };
}
