import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatedCall } from '../simulated-call.js';
import { audibility } from './audibility.js';
import { CallEngine } from './call-engine.js';
import type { CallBehaviour, CloudCall, CloudConference, CloudRecording, CloudRequest, CloudWebhook } from './cloud-types.js';
import { type RestContext, routeRest } from './rest-routes.js';
import { basicAuthOk, readForm, sendError } from './rest-wire.js';
import type { ExecutorOptions } from './twiml-executor.js';

export interface TwilioVoiceCloudOptions {
  /** The voice channel's credentials; default fresh ones. */
  accountSid?: string;
  authToken?: string;
  pauseMs?: number;
  gatherWaitMs?: number;
  maxWaitMs?: number;
  /** How long `settle()` waits before it fails the test. */
  settleTimeoutMs?: number;
  /** Delay between a REST answer and the call's first progress (default 20 ms). */
  firstCallbackDelayMs?: number;
}

/**
 * Twilio Voice played for tests and demos (issue 8): the REST API the hub calls through
 * `createTwilioVoiceRest({ apiBaseUrl: cloud.url })` — Calls, call Recordings, Conferences and
 * their Participants, in Twilio's documented wire format with basic auth — and the phone network
 * behind it: it rings and answers the calls it places (per `behave()`), fetches their TwiML with
 * signed webhooks, follows it (Say/Play heard, Gather, Record, Enqueue, Dial to a conference or a
 * number, Redirect, Hangup), and posts call, conference and recording status callbacks.
 * Loopback only; every wait is bounded; `close()` stops everything.
 */
export class TwilioVoiceCloud {
  readonly accountSid: string;
  readonly authToken: string;
  readonly requests: CloudRequest[] = [];
  url = '';
  private readonly engine: CallEngine;
  private server: Server | null = null;
  private readonly settleTimeoutMs: number;

  constructor(options: TwilioVoiceCloudOptions = {}) {
    this.accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
    this.authToken = options.authToken ?? randomBytes(16).toString('hex');
    const executorOptions: ExecutorOptions = {
      pauseMs: options.pauseMs ?? 0,
      gatherWaitMs: options.gatherWaitMs ?? 20_000,
      maxWaitMs: options.maxWaitMs ?? 120_000,
    };
    this.settleTimeoutMs = options.settleTimeoutMs ?? 15_000;
    this.engine = new CallEngine(this.accountSid, this.authToken, executorOptions, () => this.url, options.firstCallbackDelayMs ?? 20);
  }

  /** Every call the cloud knows (placed through REST or `<Dial>`, or adopted with `inbound()`). */
  get calls(): Map<string, CloudCall> {
    return this.engine.calls;
  }

  /** Conferences by friendly name (the latest one of that name). */
  get conferences(): Map<string, CloudConference> {
    return this.engine.rooms.byName;
  }

  get recordings(): Map<string, CloudRecording> {
    return this.engine.recordings;
  }

  /** Every webhook the cloud posted, with the hub's answer. */
  get webhooks(): CloudWebhook[] {
    return this.engine.poster.log;
  }

  /**
   * What went wrong on the hub's side and in the cloud itself: documents that are not TwiML,
   * every webhook answered with a non-2xx status (or not answered), failures inside the cloud.
   */
  get errors(): string[] {
    const failed = this.engine.poster.log
      .filter((hook) => hook.status < 200 || hook.status >= 300)
      .map((hook) => `${hook.kind} webhook ${hook.url} for ${hook.callSid}: ${hook.error ?? `HTTP ${hook.status} ${hook.body.slice(0, 200)}`}`);
    return [...this.engine.errors, ...failed, ...this.engine.activity.errors];
  }

  /**
   * Who hears whom in that conference now (listener CallSid → the CallSids they hear), following
   * Twilio's muted / coaching / hold / not-started rules (`rest/audibility.ts`). Past states:
   * `conferences.get(name).audio`.
   */
  audibility(conferenceName: string): Record<string, string[]> {
    const conference = this.engine.rooms.byName.get(conferenceName);
    if (!conference) throw new Error(`TwilioVoiceCloud: no conference ${conferenceName}`);
    return audibility(conference);
  }

  /** Whether `listener` hears `speaker` now (both in the same live conference). */
  hears(listener: string, speaker: string): boolean {
    const conference = this.engine.rooms.list().find((c) => c.status !== 'completed' && c.participants.has(listener));
    return conference !== undefined && (audibility(conference)[listener] ?? []).includes(speaker);
  }

  /** The calls waiting in a Twilio queue (`<Enqueue>` name), in line order. */
  queue(name: string): string[] {
    return [...(this.engine.queues.get(name) ?? [])];
  }

  call(callSid: string): CloudCall {
    const call = this.engine.calls.get(callSid);
    if (!call) throw new Error(`TwilioVoiceCloud: no call ${callSid}`);
    return call;
  }

  /** Calls placed to `to` (REST, Participants or <Dial>), oldest first. */
  callsTo(to: string): CloudCall[] {
    return [...this.engine.calls.values()].filter((call) => call.to === to);
  }

  /** How calls placed to `to` behave (the latest matching rule wins; default: answer at once). */
  behave(to: string | RegExp, behaviour: CallBehaviour): this {
    this.engine.behave(to, behaviour);
    return this;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  /** Takes over a caller started with `startCall()`, from the verb it is in (Enqueue, Gather…). */
  inbound(simulated: SimulatedCall): CloudCall {
    return this.engine.adopt(simulated);
  }

  /** That party hangs up. Resolves once the consequences have been posted (settled). */
  async hangUp(callSid: string): Promise<void> {
    const rt = this.engine.runtime(callSid);
    if (!rt) throw new Error(`hangUp(): no call ${callSid}`);
    // Hanging up before the answer cancels the call.
    const status = rt.call.answeredAt === null ? 'canceled' : 'completed';
    await this.engine.activity.track(() => this.engine.endCall(rt, status, 'participant_hung_up'));
    await this.settle();
  }

  /** Keys pressed in the <Gather> the call is in now (waits up to 5 s for it to get there). */
  async press(callSid: string, digits: string): Promise<void> {
    await this.answerGather(callSid, digits, `press(${digits})`);
  }

  /** Words said in the <Gather> the call is in now. */
  async speak(callSid: string, speech: string): Promise<void> {
    await this.answerGather(callSid, { speech }, `speak(${speech})`);
  }

  private async answerGather(callSid: string, input: string | { speech: string }, what: string): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!this.engine.press(callSid, input)) {
      if (Date.now() > deadline) throw new Error(`${what}: call ${callSid} is not in a <Gather> (status ${this.engine.calls.get(callSid)?.status ?? 'unknown'})`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await this.settle();
  }

  /** Twilio fetches the queue's waitUrl again (its music ended): the caller hears their new position. */
  async rewait(callSid: string): Promise<void> {
    const rt = this.engine.runtime(callSid);
    if (!rt?.queue) throw new Error(`rewait(): call ${callSid} is not in a queue`);
    const stay = rt.queue;
    // The document playing now stops (its pending <Gather> with it); the new one starts.
    stay.docGen += 1;
    rt.gather?.resolve(null);
    this.engine.activity.spawn(`rewait ${callSid}`, () => this.engine.executor.waitDocument(rt, rt.gen));
    await this.settle();
  }

  /** Waits until every webhook the cloud started has been answered and nothing runs but waits. */
  async settle(timeoutMs = this.settleTimeoutMs): Promise<void> {
    await this.engine.activity.idle(timeoutMs);
  }

  async close(): Promise<void> {
    this.engine.abortAll();
    await this.engine.activity.idle(5_000).catch(() => undefined);
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = new URL(req.url ?? '/', 'http://cloud');
    const path = target.pathname;
    const method = req.method ?? 'GET';
    const { form, formAll } = await readForm(req);
    // List filters (FriendlyName, Status, To) come in the query string.
    for (const [key, value] of target.searchParams) {
      form[key] = value;
      (formAll[key] ??= []).push(value);
    }
    const record: CloudRequest = { method, path, form, formAll, status: 0 };
    this.requests.push(record);
    const reply = (status: number) => (record.status = status);
    const account = /^\/2010-04-01\/Accounts\/([^/]+)(\/.*)?$/.exec(path);
    if (!account) {
      reply(404);
      return sendError(res, 404, 20404, `The requested resource ${path} was not found`);
    }
    if (account[1] !== this.accountSid || !basicAuthOk(req, this.accountSid, this.authToken)) {
      reply(401);
      return sendError(res, 401, 20003, 'Authenticate');
    }
    const context: RestContext = { engine: this.engine, accountSid: this.accountSid, baseUrl: this.url };
    try {
      reply(await this.engine.activity.track(() => routeRest(context, method, account[2] ?? '', form, formAll, res)));
    } catch (error) {
      this.engine.errors.push(`REST ${method} ${path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      reply(500);
      if (!res.headersSent) sendError(res, 500, 20500, 'Internal Server Error');
    }
  }
}
