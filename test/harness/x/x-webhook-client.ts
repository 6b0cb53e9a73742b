import { createHmac, randomBytes } from 'node:crypto';

export interface XWebhookClientOptions {
  /** The hub's base URL (a started hub process). */
  hubUrl: string;
  channelId: string;
  consumerSecret: string;
  /** The business account the webhook subscription is for (`for_user_id`). */
  accountId: string;
}

export interface XUser {
  id: string;
  name: string;
  screen_name: string;
}

/** What X would compute for a body or a crc_token: `sha256=` + base64(HMAC-SHA256(consumer secret, …)). */
function xHmac(secret: string, message: string): string {
  return `sha256=${createHmac('sha256', secret).update(message).digest('base64')}`;
}

/**
 * Plays X's side of the Account Activity API webhook: the CRC GET it sends when the webhook is
 * registered (and hourly), and the POSTs of DM activity in the documented shapes, signed with
 * `x-twitter-webhooks-signature`. Every method returns the hub's response.
 */
export class XWebhookClient {
  private clock = Date.now();
  private readonly users = new Map<string, XUser>();

  constructor(private readonly options: XWebhookClientOptions) {
    this.users.set(options.accountId, { id: options.accountId, name: 'Ventanilla Única', screen_name: 'VentanillaMX' });
  }

  get url(): string {
    return `${this.options.hubUrl}/webhooks/x/${this.options.channelId}`;
  }

  /**
   * X's Challenge-Response Check: a GET with a fresh `crc_token`; `valid` says whether the hub's
   * `response_token` is the one X expects (X marks the webhook invalid otherwise).
   */
  async crc(token = randomBytes(24).toString('base64url')): Promise<{ response: Response; body: unknown; valid: boolean }> {
    const response = await fetch(`${this.url}?crc_token=${encodeURIComponent(token)}`, { headers: { 'user-agent': 'Twitter-Webhooks-CRC' } });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: X would treat it as a failed check.
    }
    const expected = xHmac(this.options.consumerSecret, token);
    const valid = response.status === 200 && typeof body === 'object' && body !== null && 'response_token' in body && body.response_token === expected;
    return { response, body, valid };
  }

  /** A citizen sends the account a DM: one `message_create` (with a quick reply's metadata if given). */
  dm(input: { id: string; from: XUser | string; text: string; quickReplyMetadata?: string }, options: { signWith?: string } = {}): Promise<Response> {
    return this.post(this.dmBody({ ...input, to: this.options.accountId }), options);
  }

  /** X echoes every DM the account sends (ours through the API included) to the webhook. */
  echo(input: { id: string; to: XUser | string; text: string }): Promise<Response> {
    return this.post(this.dmBody({ ...input, from: this.options.accountId }));
  }

  /** The JSON body of a `message_create` delivery, exactly as X posts it. */
  dmBody(input: { id: string; from: XUser | string; to: XUser | string; text: string; quickReplyMetadata?: string }): string {
    const senderId = this.remember(input.from);
    const recipientId = this.remember(input.to);
    return JSON.stringify({
      for_user_id: this.options.accountId,
      direct_message_events: [
        {
          type: 'message_create',
          id: input.id,
          created_timestamp: String(this.tick()),
          message_create: {
            target: { recipient_id: recipientId },
            sender_id: senderId,
            message_data: {
              text: input.text,
              entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] },
              ...(input.quickReplyMetadata ? { quick_reply_response: { type: 'options', metadata: input.quickReplyMetadata } } : {}),
            },
          },
        },
      ],
      users: this.usersFor(senderId, recipientId),
    });
  }

  /** The citizen read everything up to `lastReadEventId` (X's read receipt). */
  markRead(citizen: XUser | string, lastReadEventId: string): Promise<Response> {
    const senderId = this.remember(citizen);
    return this.post(
      JSON.stringify({
        for_user_id: this.options.accountId,
        direct_message_mark_read_events: [{ created_timestamp: String(this.tick()), sender_id: senderId, target: { recipient_id: this.options.accountId }, last_read_event_id: lastReadEventId }],
        users: this.usersFor(senderId, this.options.accountId),
      }),
    );
  }

  /** The citizen is typing. */
  typing(citizen: XUser | string): Promise<Response> {
    const senderId = this.remember(citizen);
    return this.post(
      JSON.stringify({
        for_user_id: this.options.accountId,
        direct_message_indicate_typing_events: [{ created_timestamp: String(this.tick()), sender_id: senderId, target: { recipient_id: this.options.accountId } }],
        users: this.usersFor(senderId, this.options.accountId),
      }),
    );
  }

  /** Posts raw bytes as X does; `signWith` forges the signature with another secret. */
  post(body: string, options: { signWith?: string } = {}): Promise<Response> {
    return fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Twitter-Webhooks',
        'x-twitter-webhooks-signature': xHmac(options.signWith ?? this.options.consumerSecret, body),
      },
      body,
    });
  }

  private remember(user: XUser | string): string {
    if (typeof user === 'string') return user;
    this.users.set(user.id, user);
    return user.id;
  }

  private usersFor(...ids: string[]): Record<string, XUser> {
    return Object.fromEntries(ids.flatMap((id) => {
      const user = this.users.get(id);
      return user ? [[id, user]] : [];
    }));
  }

  private tick(): number {
    this.clock = Math.max(this.clock + 1, Date.now());
    return this.clock;
  }
}
