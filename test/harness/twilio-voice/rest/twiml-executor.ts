import type { CloudRecording } from './cloud-types.js';
import { type Activity, type WebhookPoster, Signal, externalWait } from './cloud-runtime.js';
import { type CallRuntime, type ConferenceExit, type DialExit, type GatherInput, type QueueExit, type QueueStay, isOver } from './call-state.js';
import type { ConferenceRooms } from './conference-rooms.js';
import { eventSet, sid } from './rest-wire.js';
import { beepSetting } from './audibility.js';
import { type TwimlNode, boolAttr, intAttr, parseTwimlTree } from './twiml-tree.js';

export interface ExecutorOptions {
  /** Real milliseconds per second of <Pause> (default 0: pauses take no time). */
  pauseMs: number;
  /** How long a <Gather> waits for `press()` when the behaviour has no scripted answer. */
  gatherWaitMs: number;
  /** The longest a call sits in a queue, conference or <Dial> before the cloud gives up on it. */
  maxWaitMs: number;
}

/** What the executor needs from the cloud around it. */
export interface ExecutorHost {
  readonly accountSid: string;
  readonly poster: WebhookPoster;
  readonly activity: Activity;
  readonly rooms: ConferenceRooms;
  readonly options: ExecutorOptions;
  readonly queues: Map<string, string[]>;
  readonly recordings: Map<string, CloudRecording>;
  readonly errors: string[];
  runtime(callSid: string): CallRuntime | undefined;
  standard(rt: CallRuntime): Record<string, string>;
  recordingUrl(recordingSid: string): string;
  endCall(rt: CallRuntime, status: CallRuntime['call']['status'], reason: 'participant_hung_up' | 'participant_kicked'): Promise<void>;
  /** Places the leg of a <Dial><Number|Client|Sip>; `exit` learns how it ended. */
  dialLeg(parent: CallRuntime, noun: TwimlNode, to: string, dial: TwimlNode, docUrl: string): CallRuntime;
  postRecordingStatus(recording: CloudRecording): Promise<void>;
}

const STOP = Symbol('stop');
const DEFAULT_CONFERENCE_EVENTS = ['start', 'end', 'join', 'leave', 'mute', 'hold'];

function method(node: TwimlNode, attr = 'method'): 'GET' | 'POST' {
  return node.attrs[attr]?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

/** What Twilio posts to a <Gather action>: the keys, or the speech transcription. */
function inputParams(input: GatherInput, verb: TwimlNode): Record<string, string> {
  if (typeof input === 'string') return { Digits: input, FinishedOnKey: '', msg: 'Gather End' };
  return { SpeechResult: input.speech, Confidence: '0.92', Language: verb.attrs['language'] ?? 'es-MX' };
}

function secondsSince(ms: number): number {
  return Math.max(0, Math.round((Date.now() - ms) / 1000));
}

/**
 * Executes TwiML as Twilio does for one call: verb by verb, fetching actions and redirects with
 * signed webhooks and following their answers, until the document ends (hang-up) or a verb waits
 * on the world (a <Gather> without scripted digits, <Enqueue>, <Dial>). A REST redirect or a
 * hang-up bumps the call's `gen`; an executor that wakes up to another `gen` stops silently.
 */
export class TwimlExecutor {
  constructor(private readonly host: ExecutorHost) {}

  /** Fetches a document (the answer URL, an action, a redirect) and executes its answer. */
  async fetchAndRun(rt: CallRuntime, url: string, how: 'GET' | 'POST', params: Record<string, string>, kind: 'twiml' | 'action'): Promise<void> {
    const gen = rt.gen;
    const exchange = await this.host.poster.post(kind, rt.call.sid, url, { ...this.host.standard(rt), ...params }, how);
    if (rt.gen !== gen || isOver(rt)) return;
    let verbs: TwimlNode[];
    try {
      if (exchange.status < 200 || exchange.status >= 300) throw new Error(`HTTP ${exchange.status}${exchange.error ? ` (${exchange.error})` : ''}`);
      verbs = parseTwimlTree(exchange.body);
    } catch (error) {
      // Twilio: "An application error has occurred" (11200 / 12100), then it hangs up.
      this.host.errors.push(`${rt.call.sid} ${url}: ${error instanceof Error ? error.message : String(error)}: ${exchange.body.slice(0, 200)}`);
      await this.host.endCall(rt, 'completed', 'participant_hung_up');
      return;
    }
    rt.call.url = url;
    rt.call.twimlLog.push({ url, verbs });
    await this.execute(rt, verbs, url, 0, false);
  }

  /** Runs `verbs` from `start`; the document's end hangs the call up. */
  async execute(rt: CallRuntime, verbs: TwimlNode[], docUrl: string, start: number, skipFirstWait: boolean): Promise<void> {
    const gen = rt.gen;
    for (let i = start; i < verbs.length; i++) {
      if (rt.gen !== gen || isOver(rt)) return;
      const verb = verbs[i];
      if (!verb) continue;
      const proceed = () => this.execute(rt, verbs, docUrl, i + 1, false);
      const abs = (url: string) => new URL(url, docUrl).toString();
      switch (verb.name) {
        case 'Say':
        case 'Play':
          rt.call.heard.push(verb.text);
          break;
        case 'Pause':
          await this.pause(intAttr(verb, 'length', 1));
          break;
        case 'Gather': {
          const outcome = await this.gather(rt, verb, docUrl, gen);
          if (outcome === STOP) return;
          break;
        }
        case 'Redirect':
          return this.fetchAndRun(rt, abs(verb.text), method(verb), {}, 'twiml');
        case 'Hangup':
          return this.host.endCall(rt, 'completed', 'participant_hung_up');
        case 'Reject':
          // An unanswered inbound call: busy tone or "not in service" (both end without answer).
          return this.host.endCall(rt, verb.attrs['reason'] === 'busy' ? 'busy' : 'no-answer', 'participant_hung_up');
        case 'Record':
          return this.record(rt, verb, docUrl);
        case 'Enqueue':
          return this.enqueue(rt, verb, docUrl, gen, skipFirstWait && i === start, proceed);
        case 'Dial':
          return this.dial(rt, verb, docUrl, gen, proceed);
        default:
          // <Leave> outside a wait document, <Connect>, <Start>…: nothing the cloud plays.
          break;
      }
    }
    if (rt.gen === gen && !isOver(rt)) await this.host.endCall(rt, 'completed', 'participant_hung_up');
  }

  private async pause(seconds: number): Promise<void> {
    const ms = seconds * this.host.options.pauseMs;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Twilio's answer to a <Gather>: the caller's input, or nothing after the timeout. */
  private async input(rt: CallRuntime): Promise<GatherInput | null> {
    const scripted = rt.inputs.shift();
    if (scripted !== undefined) return scripted;
    const signal = new Signal<GatherInput | null>();
    rt.gather = signal;
    try {
      return await externalWait(this.host.activity, signal, this.host.options.gatherWaitMs, null);
    } finally {
      if (rt.gather === signal) rt.gather = null;
    }
  }

  /** Returns STOP when the call went elsewhere (action followed, hang-up), else goes on. */
  private async gather(rt: CallRuntime, verb: TwimlNode, docUrl: string, gen: number): Promise<typeof STOP | 'continue'> {
    for (const child of verb.children) if (child.name === 'Say' || child.name === 'Play') rt.call.heard.push(child.text);
    const input = await this.input(rt);
    if (rt.gen !== gen || isOver(rt)) return STOP;
    const action = new URL(verb.attrs['action'] ?? docUrl, docUrl).toString();
    if (input === null) {
      if (!boolAttr(verb, 'actionOnEmptyResult', false)) return 'continue';
      await this.fetchAndRun(rt, action, method(verb), { Digits: '' }, 'action');
      return STOP;
    }
    const params = inputParams(input, verb);
    await this.fetchAndRun(rt, action, method(verb), params, 'action');
    return STOP;
  }

  private async record(rt: CallRuntime, verb: TwimlNode, docUrl: string): Promise<void> {
    const behaviour = rt.behaviour.answer ? rt.behaviour : null;
    const seconds = Math.min(behaviour?.recordSeconds ?? 5, intAttr(verb, 'maxLength', 3600));
    const recording: CloudRecording = {
      sid: sid('RE'),
      callSid: rt.call.sid,
      channels: 1,
      source: 'RecordVerb',
      status: 'completed',
      startedAt: Date.now(),
      duration: seconds,
      statusCallback: verb.attrs['recordingStatusCallback'] ? new URL(verb.attrs['recordingStatusCallback'], docUrl).toString() : null,
      statusCallbackEvents: eventSet(verb.attrs['recordingStatusCallbackEvent'] ? [verb.attrs['recordingStatusCallbackEvent']] : undefined, ['completed']),
    };
    this.host.recordings.set(recording.sid, recording);
    const hungUp = behaviour?.recordEndsWith === 'hangup';
    const params = {
      RecordingUrl: this.host.recordingUrl(recording.sid),
      RecordingSid: recording.sid,
      RecordingDuration: String(seconds),
      Digits: hungUp ? 'hangup' : (verb.attrs['finishOnKey'] ?? '1234567890*#').slice(-1),
    };
    const action = new URL(verb.attrs['action'] ?? docUrl, docUrl).toString();
    const callback = () => this.host.activity.spawn('recording callback', () => this.host.postRecordingStatus(recording));
    if (hungUp) {
      // The caller hung up while recording: Twilio still requests the action; its TwiML is ignored.
      await this.host.poster.post('action', rt.call.sid, action, { ...this.host.standard(rt), ...params }, method(verb));
      callback();
      await this.host.endCall(rt, 'completed', 'participant_hung_up');
      return;
    }
    const run = this.fetchAndRun(rt, action, method(verb), params, 'action');
    callback();
    await run;
  }

  private async enqueue(rt: CallRuntime, verb: TwimlNode, docUrl: string, gen: number, skipWaitUrl: boolean, proceed: () => Promise<void>): Promise<void> {
    const name = verb.text;
    const line = this.host.queues.get(name) ?? [];
    this.host.queues.set(name, line);
    line.push(rt.call.sid);
    const stay: QueueStay = {
      name,
      sid: sid('QU'),
      since: Date.now(),
      node: verb,
      docUrl,
      waitUrl: verb.attrs['waitUrl'] ? new URL(verb.attrs['waitUrl'], docUrl).toString() : null,
      waitMethod: method(verb, 'waitUrlMethod'),
      fetches: 0,
      docGen: 0,
      exit: new Signal<QueueExit>(),
      proceed,
    };
    rt.queue = stay;
    rt.call.queue = name;
    if (stay.waitUrl && !skipWaitUrl) await this.waitDocument(rt, gen);
    const exit = await externalWait<QueueExit>(this.host.activity, stay.exit, this.host.options.maxWaitMs, { kind: 'timeout' });
    if (rt.gen !== gen || isOver(rt) || exit.kind === 'interrupted') return;
    this.leaveQueue(rt);
    if (!verb.attrs['action']) return proceed();
    await this.fetchAndRun(rt, new URL(verb.attrs['action'], docUrl).toString(), method(verb), this.queueResult(stay, 'leave'), 'action');
  }

  queueResult(stay: { sid: string; since: number }, result: string): Record<string, string> {
    return { QueueResult: result, QueueSid: stay.sid, QueueTime: String(secondsSince(stay.since)) };
  }

  /** Takes the call out of its queue's line (no callbacks). */
  leaveQueue(rt: CallRuntime): void {
    const stay = rt.queue;
    if (!stay) return;
    const line = this.host.queues.get(stay.name) ?? [];
    const at = line.indexOf(rt.call.sid);
    if (at >= 0) line.splice(at, 1);
    rt.queue = null;
    rt.call.queue = null;
  }

  /** Twilio fetches the waitUrl with the caller's place in line and plays it (Leave / Gather / Redirect allowed). */
  async waitDocument(rt: CallRuntime, gen: number, url?: string, how?: 'GET' | 'POST', extra: Record<string, string> = {}): Promise<void> {
    const stay = rt.queue;
    const target = url ?? stay?.waitUrl;
    if (!stay || !target || stay.fetches >= 10) return;
    stay.fetches += 1;
    stay.docGen += 1;
    const doc = stay.docGen;
    const current = () => rt.gen === gen && !isOver(rt) && rt.queue === stay && stay.docGen === doc;
    const line = this.host.queues.get(stay.name) ?? [];
    const params = {
      ...this.host.standard(rt),
      QueueSid: stay.sid,
      QueuePosition: String(line.indexOf(rt.call.sid) + 1),
      QueueTime: String(secondsSince(stay.since)),
      AvgQueueTime: '0',
      CurrentQueueSize: String(line.length),
      MaxQueueSize: '100',
      ...extra,
    };
    const exchange = await this.host.poster.post(url ? 'action' : 'wait', rt.call.sid, target, params, how ?? stay.waitMethod);
    if (!current()) return;
    let verbs: TwimlNode[];
    try {
      verbs = parseTwimlTree(exchange.body);
    } catch (error) {
      this.host.errors.push(`${rt.call.sid} wait ${target}: HTTP ${exchange.status} ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    rt.call.twimlLog.push({ url: target, verbs });
    for (const verb of verbs) {
      if (!current()) return;
      switch (verb.name) {
        case 'Say':
        case 'Play':
          rt.call.heard.push(verb.text);
          break;
        case 'Pause':
          await this.pause(intAttr(verb, 'length', 1));
          break;
        case 'Leave':
          stay.exit.resolve({ kind: 'leave' });
          return;
        case 'Hangup':
          return this.host.endCall(rt, 'completed', 'participant_hung_up');
        case 'Redirect': {
          const next = new URL(verb.text, target).toString();
          // Twilio re-requests the waitUrl by itself when its music ends; here `rewait()` does.
          if (next === stay.waitUrl) return;
          return this.waitDocument(rt, gen, next, method(verb));
        }
        case 'Gather': {
          for (const child of verb.children) if (child.name === 'Say' || child.name === 'Play') rt.call.heard.push(child.text);
          const input = await this.input(rt);
          if (!current()) return;
          if (input === null) break;
          return this.waitDocument(rt, gen, new URL(verb.attrs['action'] ?? target, target).toString(), method(verb), inputParams(input, verb));
        }
        default:
          break;
      }
    }
  }

  private async dial(rt: CallRuntime, verb: TwimlNode, docUrl: string, gen: number, proceed: () => Promise<void>): Promise<void> {
    const conference = verb.children.find((child) => child.name === 'Conference');
    if (conference) return this.dialConference(rt, verb, conference, docUrl, gen, proceed);
    const noun = verb.children.find((child) => ['Number', 'Client', 'Sip'].includes(child.name));
    const to = noun ? this.address(noun) : verb.text;
    if (!to) {
      this.host.errors.push(`${rt.call.sid}: <Dial> with nothing the cloud can dial (${verb.children.map((c) => c.name).join(',')})`);
      return this.dialDone(rt, verb, docUrl, { DialCallStatus: 'failed' }, proceed);
    }
    const leg = this.host.dialLeg(rt, noun ?? { name: 'Number', attrs: {}, text: to, children: [] }, to, verb, docUrl);
    const stay = rt.dial;
    if (!stay) return;
    const exit = await externalWait<DialExit>(this.host.activity, stay.exit, this.host.options.maxWaitMs, { kind: 'timeout' });
    if (rt.gen !== gen || isOver(rt) || exit.kind === 'interrupted') return;
    rt.dial = null;
    if (exit.kind === 'timeout') {
      await this.host.endCall(leg, 'completed', 'participant_hung_up');
      return this.host.endCall(rt, 'completed', 'participant_hung_up');
    }
    return this.dialDone(rt, verb, docUrl, { DialCallStatus: exit.status, DialCallSid: leg.call.sid, DialCallDuration: String(exit.duration) }, proceed);
  }

  private address(noun: TwimlNode): string {
    if (noun.name === 'Client') {
      const identity = noun.children.find((child) => child.name === 'Identity')?.text ?? noun.text;
      return identity.startsWith('client:') ? identity : `client:${identity}`;
    }
    return noun.text;
  }

  private async dialConference(rt: CallRuntime, verb: TwimlNode, noun: TwimlNode, docUrl: string, gen: number, proceed: () => Promise<void>): Promise<void> {
    const conference = this.host.rooms.ensure(noun.text);
    const callback = noun.attrs['statusCallback'];
    this.host.rooms.useCallback(
      conference,
      callback ? new URL(callback, docUrl).toString() : undefined,
      eventSet(noun.attrs['statusCallbackEvent'] ? [noun.attrs['statusCallbackEvent']] : undefined, DEFAULT_CONFERENCE_EVENTS),
    );
    const stay = { name: conference.name, dial: verb, docUrl, since: Date.now(), exit: new Signal<ConferenceExit>(), proceed };
    rt.conference = stay;
    rt.call.conference = conference.name;
    await this.host.rooms.join(conference, {
      callSid: rt.call.sid,
      label: noun.attrs['participantLabel'] ?? null,
      hold: false,
      muted: boolAttr(noun, 'muted', false),
      coaching: Boolean(noun.attrs['coach']),
      callSidToCoach: noun.attrs['coach'] ?? null,
      startConferenceOnEnter: boolAttr(noun, 'startConferenceOnEnter', true),
      endConferenceOnExit: boolAttr(noun, 'endConferenceOnExit', false),
      beep: beepSetting(noun.attrs['beep']),
      via: 'twiml',
      joinedAt: Date.now(),
    });
    const exit = await externalWait<ConferenceExit>(this.host.activity, stay.exit, this.host.options.maxWaitMs, 'timeout');
    if (rt.gen !== gen || isOver(rt) || exit === 'interrupted') return;
    rt.conference = null;
    rt.call.conference = null;
    if (exit === 'timeout') {
      await this.host.rooms.leave(rt.call.sid, 'participant_hung_up', 'completed');
      return this.host.endCall(rt, 'completed', 'participant_hung_up');
    }
    return this.dialDone(rt, verb, docUrl, { DialCallStatus: 'completed', DialCallDuration: String(secondsSince(stay.since)) }, proceed);
  }

  /** After a <Dial>: its action (and that answer), or the verbs after it. */
  private async dialDone(rt: CallRuntime, verb: TwimlNode, docUrl: string, params: Record<string, string>, proceed: () => Promise<void>): Promise<void> {
    const action = verb.attrs['action'];
    if (!action) return proceed();
    await this.fetchAndRun(rt, new URL(action, docUrl).toString(), method(verb), params, 'action');
  }
}
