import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { parseTwiml, sayTexts, type TwimlVerb } from './twiml-verbs.js';

export interface StartCallOptions {
  /** The public base URL the app is reached at (what Twilio signs). */
  baseUrl: string;
  channelId: string;
  authToken: string;
  /** Defaults to a fresh `AC…`. */
  accountSid?: string;
  from: string;
  to: string;
  /** Defaults to a fresh `CA…`. */
  callSid?: string;
  /** The number's status callback; defaults to the voice bridge's `/status` route. */
  statusCallbackUrl?: string;
}

/** One webhook Twilio posted and what came back. */
export interface WebhookExchange {
  url: string;
  params: Record<string, string>;
  status: number;
  body: string;
  /** The TwiML verbs, when the answer was a TwiML document. */
  verbs: TwimlVerb[] | null;
}

export interface QueueWait {
  position: number;
  /** Seconds this caller has been in line. */
  queueTime: number;
  /** Twilio's average wait of the queue, seconds. */
  avgQueueTime: number;
  currentQueueSize?: number;
}

type Gather = Extract<TwimlVerb, { verb: 'Gather' }>;
type Enqueue = Extract<TwimlVerb, { verb: 'Enqueue' }>;

/** Verbs after which Twilio does not go on with the document (or not until something else happens). */
const STOPS = new Set(['Hangup', 'Redirect', 'Enqueue', 'Leave', 'Dial']);

export function twilioSid(prefix: 'CA' | 'AC' | 'QU'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/**
 * Twilio's side of one inbound call, for tests and demos without an account: each webhook is
 * form-encoded and signed exactly as Twilio signs it (the SDK's `getExpectedTwilioSignature` over
 * the full URL and the sorted parameters), with the parameters of Twilio's voice request, Gather
 * action, <Enqueue> waitUrl and status callback pages. It follows the TwiML it gets back: what the
 * caller hears, where a key press or silence goes, where the queue's wait music is fetched.
 */
export class SimulatedCall {
  readonly callSid: string;
  readonly accountSid: string;
  readonly exchanges: WebhookExchange[] = [];
  /** The TwiML document Twilio is executing now. */
  verbs: TwimlVerb[] = [];
  private readonly heardTexts: string[] = [];
  private enqueue: Enqueue | null = null;
  private sequence = 0;
  /** When the call reached the number (its CallDuration counts from here). */
  readonly startedAt = Date.now();

  constructor(readonly options: StartCallOptions) {
    this.callSid = options.callSid ?? twilioSid('CA');
    this.accountSid = options.accountSid ?? twilioSid('AC');
  }

  get base(): string {
    return `${this.options.baseUrl.replace(/\/+$/, '')}/webhooks/voice/${encodeURIComponent(this.options.channelId)}`;
  }

  get last(): WebhookExchange | undefined {
    return this.exchanges.at(-1);
  }

  /** The HTTP status of the last webhook. */
  get lastStatus(): number {
    return this.last?.status ?? 0;
  }

  gather(): Gather | undefined {
    return this.verbs.find((verb): verb is Gather => verb.verb === 'Gather');
  }

  /** The <Enqueue> the call is in, once any document put it in line. */
  enqueued(): Enqueue | null {
    return this.enqueue;
  }

  has(verb: TwimlVerb['verb']): boolean {
    return this.verbs.some((v) => v.verb === verb);
  }

  /** Everything the caller has heard (<Say> texts), in order. */
  heard(): string[] {
    return [...this.heardTexts];
  }

  /** The parameters Twilio sends with every voice request of this call. */
  private standard(callStatus: string): Record<string, string> {
    return {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: this.callSid,
      CallStatus: callStatus,
      Called: this.options.to,
      Caller: this.options.from,
      Direction: 'inbound',
      From: this.options.from,
      FromCountry: 'MX',
      To: this.options.to,
      ToCountry: 'MX',
    };
  }

  /** Posts one signed webhook (or with the given signature; null: without the header). */
  async post(url: string, params: Record<string, string>, signature?: string | null): Promise<WebhookExchange> {
    const header = signature === undefined ? twilio.getExpectedTwilioSignature(this.options.authToken, url, params) : signature;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        ...(header === null ? {} : { 'x-twilio-signature': header }),
        'user-agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(params).toString(),
    });
    const body = await response.text();
    const isXml = response.ok && (response.headers.get('content-type') ?? '').includes('xml');
    const exchange: WebhookExchange = { url, params, status: response.status, body, verbs: isXml ? parseTwiml(body) : null };
    this.exchanges.push(exchange);
    return exchange;
  }

  /** Posts a webhook whose answer Twilio executes next. */
  private async follow(url: string, params: Record<string, string>): Promise<this> {
    const exchange = await this.post(url, params);
    this.verbs = exchange.verbs ?? [];
    const resolved = this.verbs.map((verb) => this.resolve(verb, url));
    this.verbs = resolved;
    const enqueue = resolved.find((verb): verb is Enqueue => verb.verb === 'Enqueue');
    if (enqueue) this.enqueue = enqueue;
    this.hear(resolved, 0, true);
    return this;
  }

  /** Relative URLs in TwiML are relative to the document's own URL, as Twilio resolves them. */
  private resolve(verb: TwimlVerb, documentUrl: string): TwimlVerb {
    const abs = (url: string) => new URL(url, documentUrl).toString();
    switch (verb.verb) {
      case 'Gather':
        return { ...verb, ...(verb.action ? { action: abs(verb.action) } : {}), children: verb.children.map((c) => this.resolve(c, documentUrl)) };
      case 'Redirect':
        return { ...verb, url: abs(verb.url) };
      case 'Enqueue':
        return { ...verb, ...(verb.waitUrl ? { waitUrl: abs(verb.waitUrl) } : {}) };
      default:
        return verb;
    }
  }

  /** Says from `from` on, up to the first Gather (its prompts included) or the first verb that stops. */
  private hear(verbs: TwimlVerb[], from: number, stopAtGather: boolean): void {
    for (const verb of verbs.slice(from)) {
      if (verb.verb === 'Say') this.heardTexts.push(verb.text);
      if (verb.verb === 'Gather') {
        if (stopAtGather) {
          this.heardTexts.push(...sayTexts(verb.children));
          return;
        }
        continue;
      }
      if (STOPS.has(verb.verb)) return;
    }
  }

  private requireGather(what: string): Gather {
    const gather = this.gather();
    if (!gather?.action) throw new Error(`${what}: the current TwiML has no <Gather action> (last: HTTP ${this.lastStatus} ${this.last?.body.slice(0, 300) ?? ''})`);
    return gather;
  }

  async start(): Promise<this> {
    return this.follow(`${this.base}/incoming`, this.standard('ringing'));
  }

  /** Keys pressed during the current <Gather>: Twilio posts them to its action. */
  async press(digits: string): Promise<this> {
    const gather = this.requireGather(`press(${digits})`);
    if (!gather.input.includes('dtmf')) throw new Error('press(): the <Gather> does not accept keys');
    return this.follow(gather.action ?? '', { ...this.standard('in-progress'), Digits: digits, FinishedOnKey: '', msg: 'Gather End' });
  }

  /** Words said during the current <Gather>: Twilio posts its transcription. */
  async speak(text: string, confidence = 0.92): Promise<this> {
    const gather = this.requireGather(`speak(${text})`);
    if (!gather.input.includes('speech')) throw new Error('speak(): the <Gather> does not accept speech');
    return this.follow(gather.action ?? '', { ...this.standard('in-progress'), SpeechResult: text, Confidence: String(confidence), Language: 'es-MX' });
  }

  /**
   * The caller says nothing: the <Gather> times out and Twilio goes on with the next verbs — a
   * <Redirect> is followed with no input (or the action is posted empty with actionOnEmptyResult).
   */
  async silence(): Promise<this> {
    const gatherIndex = this.verbs.findIndex((verb) => verb.verb === 'Gather');
    const gather = this.gather();
    if (gather?.actionOnEmptyResult && gather.action) return this.follow(gather.action, { ...this.standard('in-progress'), Digits: '' });
    this.hear(this.verbs, gatherIndex + 1, false);
    const redirect = this.verbs.slice(gatherIndex + 1).find((verb) => verb.verb === 'Redirect');
    if (!redirect || redirect.verb !== 'Redirect') throw new Error('silence(): nothing follows the <Gather>: Twilio would end the call');
    return this.follow(redirect.url, this.standard('in-progress'));
  }

  /** Twilio fetches the <Enqueue> waitUrl with the caller's place in line. */
  async waitInQueue(wait: QueueWait): Promise<this> {
    const waitUrl = this.enqueue?.waitUrl;
    if (!waitUrl) throw new Error('waitInQueue(): the call was never put in line with an <Enqueue waitUrl>');
    return this.follow(waitUrl, {
      ...this.standard('in-progress'),
      QueueSid: twilioSid('QU'),
      QueuePosition: String(wait.position),
      QueueTime: String(wait.queueTime),
      AvgQueueTime: String(wait.avgQueueTime),
      CurrentQueueSize: String(wait.currentQueueSize ?? wait.position),
      MaxQueueSize: '1000',
    });
  }

  /** A status callback (call progress events), as configured on the number. */
  async status(callStatus: string, extra: Record<string, string> = {}): Promise<WebhookExchange> {
    this.sequence += 1;
    return this.post(this.options.statusCallbackUrl ?? `${this.base}/status`, {
      ...this.standard(callStatus),
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(this.sequence - 1),
      // Twilio's Timestamp is RFC 2822.
      Timestamp: new Date().toUTCString().replace('GMT', '+0000'),
      ...extra,
    });
  }

  /** The caller hangs up: the `completed` status callback with the call's duration in seconds. */
  async hangUp(durationSeconds = Math.max(1, Math.round((Date.now() - this.startedAt) / 1000))): Promise<WebhookExchange> {
    return this.status('completed', { CallDuration: String(durationSeconds), Duration: String(Math.ceil(durationSeconds / 60)) });
  }
}

/** A new inbound call: posts the signed `incoming` webhook and reads the first TwiML. */
export async function startCall(options: StartCallOptions): Promise<SimulatedCall> {
  return new SimulatedCall(options).start();
}
