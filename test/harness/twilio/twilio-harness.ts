import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TwilioWebhookClient, twilioSid } from './twilio-webhook-client.js';

export interface HarnessMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrl: string[];
  statusCallback: string | null;
  at: Date;
}

/** Twilio's documented error body (twilio.com/docs/usage/twilios-response). */
export interface TwilioErrorReply {
  status: number;
  code: number;
  message: string;
}

export interface StatusStep {
  status: string;
  errorCode?: string;
}

const E164 = /^\+[1-9]\d{7,14}$/;

/**
 * Plays Twilio for tests and demos without an account (issue 6 item 8): the REST endpoint the
 * SDK calls (`POST /2010-04-01/Accounts/{Sid}/Messages.json`, basic auth, the documented JSON
 * with an `SM…` sid and status `queued`, or Twilio's error JSON when told to fail), MMS media
 * behind basic auth, and the webhook side (signed inbound SMS/MMS and status callbacks). After a
 * send it can walk the message through statuses, posting each to the message's StatusCallback.
 */
export class TwilioHarness {
  readonly messages: HarnessMessage[] = [];
  readonly webhooks: TwilioWebhookClient;
  /** Failures still to answer, in order (each answers one send). */
  private readonly failures: TwilioErrorReply[] = [];
  /** Numbers that always fail (an invalid or landline number). */
  private readonly failingNumbers = new Map<string, TwilioErrorReply>();
  private readonly media = new Map<string, { bytes: Buffer; contentType: string }>();
  /** Statuses to post after each accepted send; per number, else the default. */
  readonly autoStatus = new Map<string, StatusStep[][]>();
  defaultStatuses: StatusStep[] | null = null;
  readonly callbackErrors: string[] = [];
  private readonly pending = new Set<Promise<void>>();
  url = '';
  private server: Server | null = null;

  constructor(
    readonly accountSid = `AC${randomBytes(16).toString('hex')}`,
    readonly authToken = randomBytes(16).toString('hex'),
  ) {
    this.webhooks = new TwilioWebhookClient(accountSid, authToken);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  failNext(reply: TwilioErrorReply, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(reply);
  }

  failFor(to: string, reply: TwilioErrorReply): void {
    this.failingNumbers.set(to, reply);
  }

  /** The statuses the next sends to `to` go through, one list per send (then the default). */
  statusesFor(to: string, ...perSend: StatusStep[][]): void {
    this.autoStatus.set(to, [...(this.autoStatus.get(to) ?? []), ...perSend]);
  }

  /** Serves bytes at a MediaUrl behind the account's basic auth, as Twilio's Media resource. */
  addMedia(bytes: Buffer, contentType: string): string {
    const id = twilioSid('ME');
    this.media.set(id, { bytes, contentType });
    return `${this.url}/2010-04-01/Accounts/${this.accountSid}/Messages/${twilioSid('MM')}/Media/${id}`;
  }

  sentTo(to: string): HarnessMessage[] {
    return this.messages.filter((m) => m.to === to);
  }

  /** Posts a status callback for a sent message to its StatusCallback. */
  async postStatus(message: HarnessMessage, step: StatusStep): Promise<Response> {
    if (!message.statusCallback) throw new Error(`message ${message.sid} has no StatusCallback`);
    return this.webhooks.status(message.statusCallback, { sid: message.sid, status: step.status, to: message.to, from: message.from ?? '+525550000000', ...(step.errorCode ? { errorCode: step.errorCode } : {}) });
  }

  private authorised(req: IncomingMessage): boolean {
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    return req.headers.authorization === expected;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const url = new URL(req.url ?? '/', this.url);
    const mediaMatch = /\/Media\/(ME[0-9a-f]{32})$/.exec(url.pathname);
    if (req.method === 'GET' && mediaMatch) {
      if (!this.authorised(req)) return json(res, 401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
      const media = this.media.get(mediaMatch[1] ?? '');
      if (!media) return json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      res.writeHead(200, { 'content-type': media.contentType, 'content-length': String(media.bytes.length) });
      res.end(media.bytes);
      return;
    }
    const create = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/.exec(url.pathname);
    if (req.method !== 'POST' || !create) return json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    if (create[1] !== this.accountSid || !this.authorised(req)) return json(res, 401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const to = form.get('To') ?? '';
    const scripted = this.failingNumbers.get(to) ?? this.failures.shift();
    if (scripted) return json(res, scripted.status, { ...scripted, more_info: `https://www.twilio.com/docs/errors/${scripted.code}` });
    if (!E164.test(to)) return twilioError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!form.get('From') && !form.get('MessagingServiceSid')) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
    if (!form.get('Body') && form.getAll('MediaUrl').length === 0) return twilioError(res, 400, 21602, 'Message body is required.');
    const message: HarnessMessage = {
      sid: twilioSid(form.getAll('MediaUrl').length > 0 ? 'MM' : 'SM'),
      to,
      from: form.get('From'),
      messagingServiceSid: form.get('MessagingServiceSid'),
      body: form.get('Body') ?? '',
      mediaUrl: form.getAll('MediaUrl'),
      statusCallback: form.get('StatusCallback'),
      at: new Date(),
    };
    this.messages.push(message);
    const now = new Date().toUTCString();
    json(res, 201, {
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      body: message.body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: message.from,
      messaging_service_sid: message.messagingServiceSid,
      num_media: String(message.mediaUrl.length),
      num_segments: String(Math.max(1, Math.ceil(message.body.length / 153))),
      price: null,
      price_unit: 'USD',
      sid: message.sid,
      status: 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${this.accountSid}/Messages/${message.sid}/Media.json` },
      to: message.to,
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${message.sid}.json`,
    });
    this.walk(message);
  }

  private walk(message: HarnessMessage): void {
    const queued = this.autoStatus.get(message.to);
    const steps = queued && queued.length > 0 ? queued.shift() : this.defaultStatuses;
    if (!steps || !message.statusCallback) return;
    const run = (async () => {
      // After the REST answer, as Twilio does: the sender has stored the sid by then.
      await new Promise((resolve) => setTimeout(resolve, 30));
      for (const step of steps) {
        const response = await this.postStatus(message, step).catch((error: unknown) => error);
        if (!(response instanceof Response) || !response.ok) this.callbackErrors.push(`${message.sid} ${step.status}: ${response instanceof Response ? response.status : String(response)}`);
      }
    })();
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function twilioError(res: ServerResponse, status: number, code: number, message: string): void {
  json(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}
