import { EventEmitter } from 'node:events';
import type { WwebjsClientFactory, WwebjsClientLike, WwebjsClientOptions, WwebjsMediaLike } from '@ventanilla/connectors';

/**
 * Plays whatsapp-web.js's Client for the session manager: the same methods and event names
 * (`qr`, `ready`, `message`, `message_ack`, `disconnected`…), driven by the test with `emit`.
 * No WhatsApp account or phone is reachable from CI, so the real Client only runs in production.
 */
export class FakeWwebjsClient extends EventEmitter implements WwebjsClientLike {
  info: { wid: { user: string } } | undefined;
  initialized = 0;
  destroyed = 0;
  readonly sent: { chatId: string; content: string | WwebjsMediaLike; options: { caption?: string } | undefined }[] = [];
  readonly media = new Map<string, WwebjsMediaLike>();

  constructor(readonly options: WwebjsClientOptions) {
    super();
  }

  async initialize(): Promise<void> {
    this.initialized += 1;
  }

  async destroy(): Promise<void> {
    this.destroyed += 1;
  }

  loggedOut = 0;

  async logout(): Promise<void> {
    this.loggedOut += 1;
  }

  async sendMessage(chatId: string, content: string | WwebjsMediaLike, options?: { caption?: string }) {
    this.sent.push({ chatId, content, options });
    return { id: { _serialized: `true_${chatId}_3EB0OUT${this.sent.length}` } };
  }

  /** WhatsApp registers Mexican mobiles with the old "1" after 52; 0000… numbers are not on WhatsApp. */
  async getNumberId(number: string) {
    const digits = number.replace(/@c\.us$/, '');
    if (digits.startsWith('520000')) return null;
    return { _serialized: `${digits.replace(/^52(\d{10})$/, '521$1')}@c.us` };
  }

  async getMessageById(id: string) {
    const media = this.media.get(id);
    return media ? { hasMedia: true, downloadMedia: async () => media } : null;
  }

  /** What Client.js does on `ready`: `info` is set before the event. */
  becomeReady(user: string): void {
    this.info = { wid: { user } };
    this.emit('ready');
  }
}

export function fakeFactory(): { factory: WwebjsClientFactory; clients: FakeWwebjsClient[] } {
  const clients: FakeWwebjsClient[] = [];
  const factory: WwebjsClientFactory = async (options) => {
    const client = new FakeWwebjsClient(options);
    clients.push(client);
    return { client, createMedia: (media) => media };
  };
  return { factory, clients };
}
