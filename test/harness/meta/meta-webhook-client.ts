import { createHmac } from 'node:crypto';

export interface MetaWebhookClientOptions {
  /** The hub's base URL (a started hub process). */
  hubUrl: string;
  channelId: string;
  appSecret: string;
  pageId: string;
  instagramAccountId: string;
}

type Network = 'page' | 'instagram';

/**
 * Plays Meta's side of the webhook: builds `object: page` (Messenger) and `object: instagram`
 * events in the documented shapes and posts them to `/webhooks/meta/:channelId` signed like Meta
 * (`X-Hub-Signature-256: sha256=<HMAC-SHA256(app secret, raw body)>`, plus the legacy SHA-1
 * `X-Hub-Signature`). Every method returns the hub's response.
 */
export class MetaWebhookClient {
  private clock = Date.now();

  constructor(private readonly options: MetaWebhookClientOptions) {}

  get url(): string {
    return `${this.options.hubUrl}/webhooks/meta/${this.options.channelId}`;
  }

  /** Meta's GET verification request when the webhook is configured in the App Dashboard. */
  handshake(verifyToken: string, challenge: string): Promise<Response> {
    const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': verifyToken, 'hub.challenge': challenge });
    return fetch(`${this.url}?${query}`);
  }

  messengerText(psid: string, mid: string, text: string): Promise<Response> {
    return this.post(this.body('page', { sender: { id: psid }, recipient: { id: this.options.pageId }, timestamp: this.tick(), message: { mid, text } }));
  }

  instagramText(igsid: string, mid: string, text: string): Promise<Response> {
    return this.post(this.body('instagram', { sender: { id: igsid }, recipient: { id: this.options.instagramAccountId }, timestamp: this.tick(), message: { mid, text } }));
  }

  messengerQuickReply(psid: string, mid: string, text: string, payload: string): Promise<Response> {
    return this.post(this.body('page', { sender: { id: psid }, recipient: { id: this.options.pageId }, timestamp: this.tick(), message: { mid, text, quick_reply: { payload } } }));
  }

  /** `message_echoes`: Meta tells the Page what it just sent (our own reply). */
  messengerEcho(psid: string, mid: string, text: string): Promise<Response> {
    return this.post(
      this.body('page', { sender: { id: this.options.pageId }, recipient: { id: psid }, timestamp: this.tick(), message: { mid, text, is_echo: true, app_id: 1517776481860111 } }),
    );
  }

  /** `message_deliveries`: the listed mids (and everything before the watermark) were delivered. */
  messengerDelivery(psid: string, mids: string[]): Promise<Response> {
    return this.post(this.body('page', { sender: { id: psid }, recipient: { id: this.options.pageId }, delivery: { mids, watermark: this.tick() } }));
  }

  /** `message_reads`: Messenger says only "read up to this time". */
  messengerRead(psid: string): Promise<Response> {
    const at = this.tick();
    return this.post(this.body('page', { sender: { id: psid }, recipient: { id: this.options.pageId }, timestamp: at, read: { watermark: at } }));
  }

  /** `messaging_seen`: Instagram names the message that was seen. */
  instagramSeen(igsid: string, mid: string): Promise<Response> {
    return this.post(this.body('instagram', { sender: { id: igsid }, recipient: { id: this.options.instagramAccountId }, timestamp: this.tick(), read: { mid } }));
  }

  /** The JSON body of one delivery (one entry with these messaging items). */
  body(network: Network, ...messaging: unknown[]): string {
    const id = network === 'page' ? this.options.pageId : this.options.instagramAccountId;
    return JSON.stringify({ object: network, entry: [{ id, time: this.tick(), messaging }] });
  }

  /** Posts raw bytes as Meta does; `signWith` forges the signature with another secret. */
  post(body: string, options: { signWith?: string } = {}): Promise<Response> {
    const secret = options.signWith ?? this.options.appSecret;
    return fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'facebookexternalua',
        'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      },
      body,
    });
  }

  private tick(): number {
    this.clock = Math.max(this.clock + 1, Date.now());
    return this.clock;
  }
}
