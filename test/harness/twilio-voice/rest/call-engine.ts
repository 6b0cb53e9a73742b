import type { SimulatedCall } from '../simulated-call.js';
import { Activity, Signal, WebhookPoster, externalWait } from './cloud-runtime.js';
import type { CallBehaviour, CallDirection, CallStatus, CloudCall, CloudConference, CloudParticipant, CloudRecording } from './cloud-types.js';
import { type CallRuntime, type DialExit, type DialStay, type GatherInput, isOver, newRuntime } from './call-state.js';
import { ConferenceRooms } from './conference-rooms.js';
import { eventSet, rfc2822, sid } from './rest-wire.js';
import { type ExecutorHost, type ExecutorOptions, TwimlExecutor } from './twiml-executor.js';
import { type TwimlNode, parseTwimlTree } from './twiml-tree.js';

export interface NewLeg {
  to: string;
  from: string;
  direction: CallDirection;
  parentCallSid?: string | null;
  url?: string | null;
  method?: 'GET' | 'POST';
  statusCallback?: string | null;
  statusCallbackEvents?: string[];
  machineDetection?: boolean;
}

const FINAL: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
const SIP_CODE: Partial<Record<CallStatus, string>> = { completed: '200', busy: '486', 'no-answer': '487', failed: '500', canceled: '487' };

/**
 * The calls of the cloud: placing legs (REST, Participants, <Dial>), their status callbacks,
 * interrupting them (REST redirect, hang-up) and everything a hang-up sets off — leaving the
 * queue or conference with the documented action requests, ending the bridged leg, completing
 * REST recordings. TwiML itself is executed by `TwimlExecutor`.
 */
export class CallEngine implements ExecutorHost {
  readonly calls = new Map<string, CloudCall>();
  readonly queues = new Map<string, string[]>();
  readonly recordings = new Map<string, CloudRecording>();
  readonly errors: string[] = [];
  readonly activity = new Activity();
  readonly poster: WebhookPoster;
  readonly rooms: ConferenceRooms;
  readonly executor: TwimlExecutor;
  private readonly runtimes = new Map<string, CallRuntime>();
  private readonly rules: Array<{ to: string | RegExp; behaviour: CallBehaviour }> = [];

  constructor(
    readonly accountSid: string,
    authToken: string,
    readonly options: ExecutorOptions,
    private readonly baseUrl: () => string,
    /** After the REST answer, as Twilio: the hub has stored the CallSid before the first callback. */
    private readonly firstCallbackDelayMs = 20,
  ) {
    this.poster = new WebhookPoster(authToken);
    this.rooms = new ConferenceRooms(this);
    this.executor = new TwimlExecutor(this);
  }

  behave(to: string | RegExp, behaviour: CallBehaviour): void {
    this.rules.push({ to, behaviour });
  }

  private behaviourFor(to: string): CallBehaviour {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const rule = this.rules[i];
      if (rule && (typeof rule.to === 'string' ? rule.to === to : rule.to.test(to))) return rule.behaviour;
    }
    return { answer: true };
  }

  runtime(callSid: string): CallRuntime | undefined {
    return this.runtimes.get(callSid);
  }

  recordingUrl(recordingSid: string): string {
    return `${this.baseUrl()}/2010-04-01/Accounts/${this.accountSid}/Recordings/${recordingSid}`;
  }

  /** The parameters of every voice request for this call (Twilio's "request to your application"). */
  standard(rt: CallRuntime): Record<string, string> {
    const call = rt.call;
    return {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: call.sid,
      CallStatus: call.status,
      Called: call.to,
      Caller: call.from,
      Direction: call.direction,
      From: call.from,
      To: call.to,
      ...(call.parentCallSid ? { ParentCallSid: call.parentCallSid } : {}),
      ...(call.answeredBy ? { AnsweredBy: call.answeredBy } : {}),
    };
  }

  newLeg(leg: NewLeg): CallRuntime {
    const call: CloudCall = {
      sid: sid('CA'),
      parentCallSid: leg.parentCallSid ?? null,
      from: leg.from,
      to: leg.to,
      direction: leg.direction,
      status: 'queued',
      url: leg.url ?? null,
      statusCallback: leg.statusCallback ?? null,
      statusCallbackEvents: eventSet(leg.statusCallbackEvents, ['completed']),
      machineDetection: leg.machineDetection ?? false,
      answeredBy: null,
      conference: null,
      queue: null,
      heard: [],
      twimlLog: [],
      createdAt: Date.now(),
      answeredAt: null,
      endedAt: null,
      duration: null,
      sequence: 0,
    };
    const rt = newRuntime(call, this.behaviourFor(leg.to));
    this.calls.set(call.sid, call);
    this.runtimes.set(call.sid, rt);
    return rt;
  }

  /** Rings the leg per its behaviour; `onAnswered` runs once it is in progress. */
  place(rt: CallRuntime, onAnswered: () => Promise<void>, onUnanswered: (status: CallStatus) => void = () => undefined): void {
    this.activity.spawn(`place ${rt.call.sid}`, async () => {
      await sleep(this.firstCallbackDelayMs);
      if (isOver(rt) || this.poster.closed) return;
      rt.call.status = 'initiated';
      this.statusEvent(rt, 'initiated');
      const behaviour = rt.behaviour;
      if (behaviour.answer || behaviour.status === 'no-answer') {
        rt.call.status = 'ringing';
        this.statusEvent(rt, 'ringing');
      }
      await sleep(behaviour.afterMs ?? 0);
      if (isOver(rt) || this.poster.closed) return;
      if (!behaviour.answer) {
        await this.endCall(rt, behaviour.status, 'participant_hung_up');
        onUnanswered(behaviour.status);
        return;
      }
      rt.call.status = 'in-progress';
      rt.call.answeredAt = Date.now();
      if (rt.call.machineDetection) rt.call.answeredBy = behaviour.answeredBy ?? 'human';
      this.statusEvent(rt, 'answered');
      await onAnswered();
    });
  }

  /** A call progress event to the leg's StatusCallback, in order per call. */
  statusEvent(rt: CallRuntime, event: 'initiated' | 'ringing' | 'answered' | 'completed'): void {
    const call = rt.call;
    const url = call.statusCallback;
    if (!url || !call.statusCallbackEvents.has(event)) return;
    const params: Record<string, string> = {
      ...this.standard(rt),
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(call.sequence),
      Timestamp: rfc2822(Date.now()),
      ...(event === 'completed'
        ? { CallDuration: String(call.duration ?? 0), Duration: String(Math.ceil((call.duration ?? 0) / 60)), SipResponseCode: SIP_CODE[call.status] ?? '200' }
        : {}),
    };
    call.sequence += 1;
    const previous = rt.statusChain;
    rt.statusChain = this.activity.track(async () => {
      await previous;
      await this.poster.post('status', call.sid, url, params);
    });
  }

  async endCall(rt: CallRuntime, status: CallStatus, reason: 'participant_hung_up' | 'participant_kicked'): Promise<void> {
    const call = rt.call;
    if (isOver(rt)) return;
    rt.gen += 1;
    call.endedAt = Date.now();
    call.status = FINAL.has(status) ? status : 'completed';
    call.duration = call.answeredAt === null ? 0 : Math.max(0, Math.round((call.endedAt - call.answeredAt) / 1000));
    rt.gather?.resolve(null);
    rt.idle?.resolve();
    const standard = { ...this.standard(rt), CallStatus: call.status };
    const queue = rt.queue;
    if (queue) {
      this.executor.leaveQueue(rt);
      queue.exit.resolve({ kind: 'interrupted' });
      const action = queue.node.attrs['action'];
      if (action) await this.poster.post('action', call.sid, new URL(action, queue.docUrl).toString(), { ...standard, ...this.executor.queueResult(queue, 'hangup') });
    }
    const conference = rt.conference;
    if (conference) {
      rt.conference = null;
      call.conference = null;
      conference.exit.resolve('interrupted');
      await this.rooms.leave(call.sid, reason, call.status);
      const action = conference.dial?.attrs['action'];
      if (action) {
        const duration = String(Math.max(0, Math.round((Date.now() - conference.since) / 1000)));
        await this.poster.post('action', call.sid, new URL(action, conference.docUrl).toString(), { ...standard, DialCallStatus: 'completed', DialCallDuration: duration });
      }
    }
    if (rt.pendingParticipant) rt.pendingParticipant = null;
    const dial = rt.dial;
    if (dial) {
      rt.dial = null;
      dial.exit.resolve({ kind: 'interrupted' });
      const leg = this.runtimes.get(dial.childSid);
      const legAnswered = leg?.call.answeredAt != null;
      if (leg) await this.endCall(leg, legAnswered ? 'completed' : 'canceled', 'participant_hung_up');
      const action = dial.node.attrs['action'];
      if (action) {
        const duration = dial.answeredAt === null ? 0 : Math.round((Date.now() - dial.answeredAt) / 1000);
        await this.poster.post('action', call.sid, new URL(action, dial.docUrl).toString(), {
          ...standard,
          DialCallStatus: legAnswered ? 'completed' : 'canceled',
          DialCallSid: dial.childSid,
          DialCallDuration: String(duration),
        });
      }
    }
    if (rt.bridgedParent) {
      const parent = this.runtimes.get(rt.bridgedParent);
      const stay = parent?.dial;
      if (stay && stay.childSid === call.sid) {
        stay.exit.resolve({ kind: 'done', status: dialStatus(call), duration: call.duration ?? 0 });
      }
    }
    this.statusEvent(rt, 'completed');
    for (const recordingSid of rt.apiRecordings) {
      const recording = this.recordings.get(recordingSid);
      if (!recording || recording.status !== 'in-progress') continue;
      recording.status = 'completed';
      recording.duration = Math.max(0, Math.round((call.endedAt - recording.startedAt) / 1000));
      this.activity.spawn('recording callback', () => this.postRecordingStatus(recording));
    }
    rt.ended.resolve();
  }

  async postRecordingStatus(recording: CloudRecording): Promise<void> {
    const url = recording.statusCallback;
    if (!url || !recording.statusCallbackEvents.has(recording.status)) return;
    await this.poster.post('recording', recording.callSid, url, {
      AccountSid: this.accountSid,
      CallSid: recording.callSid,
      RecordingSid: recording.sid,
      RecordingUrl: this.recordingUrl(recording.sid),
      RecordingStatus: recording.status,
      RecordingDuration: String(recording.duration ?? 0),
      RecordingChannels: String(recording.channels),
      RecordingStartTime: rfc2822(recording.startedAt),
      RecordingSource: recording.source,
      ErrorCode: '0',
    });
  }

  /** POST Calls/{sid}.json Url=…: the call leaves whatever it is doing for the new document. */
  redirect(rt: CallRuntime, url: string, how: 'GET' | 'POST'): void {
    const call = rt.call;
    if (call.answeredAt === null) {
      call.url = url; // not answered yet: the new URL is fetched on answer
      return;
    }
    rt.gen += 1;
    rt.gather?.resolve(null);
    rt.idle?.resolve();
    const queue = rt.queue;
    const conference = rt.conference;
    const dial = rt.dial;
    if (queue) {
      this.executor.leaveQueue(rt);
      queue.exit.resolve({ kind: 'interrupted' });
    }
    if (conference) {
      rt.conference = null;
      call.conference = null;
      conference.exit.resolve('interrupted');
    }
    if (dial) {
      rt.dial = null;
      dial.exit.resolve({ kind: 'interrupted' });
    }
    const bridgedTo = rt.bridgedParent ? this.runtimes.get(rt.bridgedParent) : undefined;
    this.activity.spawn(`redirect ${call.sid}`, async () => {
      // Documented: a call taken out of a queue by the REST API requests its <Enqueue action> right away
      // (QueueResult=redirected); the answer is not executed, the redirect's document is.
      const action = queue?.node.attrs['action'];
      if (queue && action) await this.poster.post('action', call.sid, new URL(action, queue.docUrl).toString(), { ...this.standard(rt), ...this.executor.queueResult(queue, 'redirected') });
      if (conference) await this.rooms.leave(call.sid, 'participant_updated_via_api', 'in-progress');
      if (dial) {
        const leg = this.runtimes.get(dial.childSid);
        if (leg) await this.endCall(leg, leg.call.answeredAt === null ? 'canceled' : 'completed', 'participant_hung_up');
      }
      if (bridgedTo?.dial?.childSid === call.sid) {
        rt.bridgedParent = null;
        bridgedTo.dial.exit.resolve({ kind: 'done', status: 'completed', duration: Math.round((Date.now() - (call.answeredAt ?? Date.now())) / 1000) });
      }
      await this.executor.fetchAndRun(rt, url, how, {}, 'twiml');
    });
  }

  /** The Participants API's leg, or a <Dial> into a conference, joins now. */
  joinAsParticipant(rt: CallRuntime): Promise<void> {
    const pending = rt.pendingParticipant;
    if (!pending) return Promise.resolve();
    rt.pendingParticipant = null;
    const conference = this.rooms.ensure(pending.conference);
    rt.conference = { name: conference.name, dial: null, docUrl: '', since: Date.now(), exit: new Signal(), proceed: async () => undefined };
    rt.call.conference = conference.name;
    return this.rooms.join(conference, { ...pending.participant, joinedAt: Date.now() });
  }

  /** RoomHost: the conference ended with this call in it. */
  evicted(callSid: string, _conference: CloudConference): void {
    const rt = this.runtimes.get(callSid);
    const stay = rt?.conference;
    if (!rt || !stay) return;
    rt.conference = null;
    rt.call.conference = null;
    if (stay.dial) stay.exit.resolve('ended');
    else this.activity.spawn(`evicted ${callSid}`, () => this.endCall(rt, 'completed', 'participant_hung_up'));
  }

  /** DELETE Participants/{CA}: a TwiML participant goes on after its <Dial>; an API leg hangs up. */
  async kick(callSid: string): Promise<void> {
    const rt = this.runtimes.get(callSid);
    const stay = rt?.conference;
    if (!rt || !stay) return;
    rt.conference = null;
    rt.call.conference = null;
    if (stay.dial) {
      stay.exit.resolve('kicked');
      await this.rooms.leave(callSid, 'participant_kicked', 'in-progress');
      return;
    }
    rt.conference = stay; // endCall posts the leave with the kick as reason
    await this.endCall(rt, 'completed', 'participant_kicked');
  }

  async playHold(callSid: string, holdUrl: string, how: 'GET' | 'POST'): Promise<void> {
    const rt = this.runtimes.get(callSid);
    if (!rt) return;
    const exchange = await this.poster.post('hold', callSid, holdUrl, this.standard(rt), how);
    try {
      const verbs = parseTwimlTree(exchange.body);
      rt.call.twimlLog.push({ url: holdUrl, verbs });
      for (const verb of verbs) if (verb.name === 'Say' || verb.name === 'Play') rt.call.heard.push(verb.text);
    } catch (error) {
      this.errors.push(`${callSid} hold ${holdUrl}: HTTP ${exchange.status} ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** <Dial><Number|Client|Sip>: the other leg, bridged when it answers. */
  dialLeg(parent: CallRuntime, noun: TwimlNode, to: string, dial: TwimlNode, docUrl: string): CallRuntime {
    const leg = this.newLeg({
      to,
      from: dial.attrs['callerId'] ?? parent.call.from,
      direction: 'outbound-dial',
      parentCallSid: parent.call.sid,
      statusCallback: noun.attrs['statusCallback'] ? new URL(noun.attrs['statusCallback'], docUrl).toString() : null,
      statusCallbackEvents: noun.attrs['statusCallbackEvent'] ? [noun.attrs['statusCallbackEvent']] : ['completed'],
    });
    leg.bridgedParent = parent.call.sid;
    const stay: DialStay = { node: dial, docUrl, childSid: leg.call.sid, answeredAt: null, exit: new Signal<DialExit>(), recordingSid: null };
    parent.dial = stay;
    this.place(
      leg,
      async () => {
        stay.answeredAt = Date.now();
        const record = dial.attrs['record'] ?? '';
        if (record.startsWith('record-from')) {
          const callback = dial.attrs['recordingStatusCallback'];
          const recording = this.startRecording(parent, record.endsWith('dual') ? 2 : 1, callback ? new URL(callback, docUrl).toString() : null, dial.attrs['recordingStatusCallbackEvent'] ? [dial.attrs['recordingStatusCallbackEvent']] : undefined, 'DialVerb');
          stay.recordingSid = recording.sid;
        }
      },
      () => undefined,
    );
    return leg;
  }

  startRecording(rt: CallRuntime, channels: number, statusCallback: string | null, events: string[] | undefined, source: CloudRecording['source']): CloudRecording {
    const recording: CloudRecording = {
      sid: sid('RE'),
      callSid: rt.call.sid,
      channels,
      source,
      status: 'in-progress',
      startedAt: Date.now(),
      duration: null,
      statusCallback,
      statusCallbackEvents: eventSet(events, ['completed']),
    };
    this.recordings.set(recording.sid, recording);
    rt.apiRecordings.push(recording.sid);
    if (recording.statusCallbackEvents.has('in-progress')) this.activity.spawn('recording callback', () => this.postRecordingStatus(recording));
    return recording;
  }

  /** A caller started with `startCall()`: the cloud takes it over from the document it is in. */
  adopt(simulated: SimulatedCall): CloudCall {
    const options = simulated.options;
    const call: CloudCall = {
      sid: simulated.callSid,
      parentCallSid: null,
      from: options.from,
      to: options.to,
      direction: 'inbound',
      status: 'in-progress',
      url: simulated.last?.url ?? null,
      statusCallback: options.statusCallbackUrl ?? `${simulated.base}/status`,
      statusCallbackEvents: new Set(['completed']),
      machineDetection: false,
      answeredBy: null,
      conference: null,
      queue: null,
      heard: simulated.heard(),
      twimlLog: [],
      createdAt: simulated.startedAt,
      answeredAt: simulated.startedAt,
      endedAt: null,
      duration: null,
      sequence: 1,
    };
    const rt = newRuntime(call, { answer: true });
    this.calls.set(call.sid, call);
    this.runtimes.set(call.sid, rt);
    // The document the caller is in: the last one with a verb that waits (a waitUrl page is not it).
    let last = simulated.last;
    let verbs: TwimlNode[] = [];
    for (const exchange of [...simulated.exchanges].reverse()) {
      const parsed = tryParse(exchange.body);
      if (parsed.some((verb) => WAITING_VERBS.has(verb.name))) {
        last = exchange;
        verbs = parsed;
        break;
      }
      if (!simulated.enqueued()) break;
    }
    const at = verbs.findIndex((verb) => WAITING_VERBS.has(verb.name));
    if (last && at >= 0) {
      // The caller is in that verb now; the waitUrl was the SimulatedCall's business.
      call.twimlLog.push({ url: last.url, verbs });
      this.activity.spawn(`adopted ${call.sid}`, () => this.executor.execute(rt, verbs, last.url, at, true));
    } else {
      rt.idle = new Signal<void>();
      const idle = rt.idle;
      this.activity.spawn(`adopted ${call.sid}`, async () => {
        await externalWait(this.activity, idle, this.options.maxWaitMs, undefined);
      });
    }
    return call;
  }

  press(callSid: string, input: GatherInput): boolean {
    return this.runtimes.get(callSid)?.gather?.resolve(input) ?? false;
  }

  /** Ends everything without callbacks (close()). */
  abortAll(): void {
    this.poster.close();
    for (const rt of this.runtimes.values()) {
      rt.gen += 1;
      rt.gather?.resolve(null);
      rt.idle?.resolve();
      rt.queue?.exit.resolve({ kind: 'interrupted' });
      rt.conference?.exit.resolve('interrupted');
      rt.dial?.exit.resolve({ kind: 'interrupted' });
    }
  }

  participantOf(callSid: string): { conference: CloudConference; participant: CloudParticipant; joined: boolean } | null {
    for (const conference of this.rooms.list()) {
      const participant = conference.participants.get(callSid);
      if (participant) return { conference, participant, joined: true };
    }
    const pending = this.runtimes.get(callSid)?.pendingParticipant;
    const conference = pending ? this.rooms.find(pending.conference) : undefined;
    return pending && conference ? { conference, participant: pending.participant, joined: false } : null;
  }
}

const WAITING_VERBS: ReadonlySet<string> = new Set(['Enqueue', 'Gather', 'Dial', 'Record']);

function tryParse(body: string): TwimlNode[] {
  try {
    return parseTwimlTree(body);
  } catch {
    return [];
  }
}

/** DialCallStatus of a <Dial> leg that ended: answered legs are `completed`. */
function dialStatus(call: CloudCall): 'completed' | 'no-answer' | 'busy' | 'failed' | 'canceled' {
  if (call.answeredAt !== null) return 'completed';
  return call.status === 'busy' || call.status === 'no-answer' || call.status === 'failed' || call.status === 'canceled' ? call.status : 'failed';
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
