import type WAWebJS from 'whatsapp-web.js';

/**
 * The part of whatsapp-web.js's `Client` (src/Client.js, 1.34) the hub's session manager uses.
 * Production builds it with `createWhatsAppWebClient`; tests hand the manager a fake
 * EventEmitter of the same shape (no WhatsApp account or phone can be reached from CI).
 */
export interface WwebjsClientLike {
  /** Set once `ready` fired: `wid.user` is the paired phone number's digits. */
  readonly info?: { wid: { user: string } } | undefined;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  logout(): Promise<void>;
  sendMessage(chatId: string, content: string | WwebjsMediaLike, options?: { caption?: string }): Promise<{ id: { _serialized: string } }>;
  /** The registered id of a number (`521…@c.us` for a Mexican mobile), or null if not on WhatsApp. */
  getNumberId(number: string): Promise<{ _serialized: string } | null>;
  getMessageById(messageId: string): Promise<{ hasMedia: boolean; downloadMedia(): Promise<WwebjsMediaLike | undefined> } | null>;
}

/** `MessageMedia`: base64 data and its type. */
export interface WwebjsMediaLike {
  mimetype: string;
  data: string;
  filename?: string | null | undefined;
  filesize?: number | null | undefined;
}

export interface WwebjsRuntime {
  client: WwebjsClientLike;
  /** A real `MessageMedia` (the library checks `instanceof` before sending a file). */
  createMedia(media: WwebjsMediaLike): WwebjsMediaLike;
}

export interface WwebjsClientOptions {
  channelId: string;
  /** LocalAuth keeps the paired session in `<dataPath>/session-<channelId>`, so it survives restarts. */
  dataPath: string;
  /** The system Chromium: puppeteer's own browser download is skipped at install (PUPPETEER_SKIP_DOWNLOAD). */
  executablePath: string;
}

export type WwebjsClientFactory = (options: WwebjsClientOptions) => Promise<WwebjsRuntime>;

/**
 * Loads whatsapp-web.js only here, when a channel's session starts: the library pulls in
 * puppeteer, which no other process or test needs.
 */
export const createWhatsAppWebClient: WwebjsClientFactory = async (options) => {
  const { default: lib } = await import('whatsapp-web.js');
  const client = new lib.Client({
    // LocalAuth ids allow [-_\w] only: a channel's UUID qualifies.
    authStrategy: new lib.LocalAuth({ clientId: options.channelId, dataPath: options.dataPath }),
    puppeteer: {
      headless: true,
      executablePath: options.executablePath,
      // Containers run as root without user namespaces and with a small /dev/shm.
      args: ['--no-sandbox', '--disable-setuid-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    },
    // Another WhatsApp Web tab taking over the session must not silently steal the channel.
    takeoverOnConflict: false,
  });
  return {
    client: {
      get info() {
        return client.info;
      },
      on: (event, listener) => client.on(event, listener),
      initialize: () => client.initialize(),
      destroy: () => client.destroy(),
      logout: () => client.logout(),
      sendMessage: (chatId, content, sendOptions) => client.sendMessage(chatId, typeof content === 'string' ? content : toLibraryMedia(lib, content), sendOptions),
      getNumberId: (number) => client.getNumberId(number),
      getMessageById: (id) => client.getMessageById(id),
    },
    createMedia: (media) => toLibraryMedia(lib, media),
  };
};

type Lib = typeof WAWebJS;

function toLibraryMedia(lib: Lib, media: WwebjsMediaLike): InstanceType<Lib['MessageMedia']> {
  return media instanceof lib.MessageMedia ? media : new lib.MessageMedia(media.mimetype, media.data, media.filename ?? null, media.filesize ?? null);
}
