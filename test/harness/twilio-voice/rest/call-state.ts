import type { CallBehaviour, CloudCall, CloudParticipant } from './cloud-types.js';
import { Signal } from './cloud-runtime.js';
import type { TwimlNode } from './twiml-tree.js';

/** What a caller gives a <Gather>: keys, or words (speech recognition's result). */
export type GatherInput = string | { speech: string };

export type QueueExit = { kind: 'leave' } | { kind: 'interrupted' } | { kind: 'timeout' };

export interface QueueStay {
  name: string;
  sid: string;
  since: number;
  node: TwimlNode;
  docUrl: string;
  waitUrl: string | null;
  waitMethod: 'GET' | 'POST';
  fetches: number;
  /** Bumped by each wait document: an older one that wakes up stops. */
  docGen: number;
  exit: Signal<QueueExit>;
  /** Executes the verbs after the <Enqueue> (no `action`, or the `<Leave>` path without one). */
  proceed: () => Promise<void>;
}

export type ConferenceExit = 'ended' | 'kicked' | 'interrupted' | 'timeout';

export interface ConferenceStay {
  name: string;
  /** The <Dial> that joined it; null for a Participants-API leg (it hangs up when it leaves). */
  dial: TwimlNode | null;
  docUrl: string;
  since: number;
  exit: Signal<ConferenceExit>;
  proceed: () => Promise<void>;
}

export type DialExit = { kind: 'done'; status: 'completed' | 'no-answer' | 'busy' | 'failed' | 'canceled'; duration: number } | { kind: 'interrupted' } | { kind: 'timeout' };

export interface DialStay {
  node: TwimlNode;
  docUrl: string;
  childSid: string;
  answeredAt: number | null;
  exit: Signal<DialExit>;
  recordingSid: string | null;
}

/** The cloud's private side of one call: what it is doing now and how to interrupt it. */
export interface CallRuntime {
  call: CloudCall;
  /** Bumped by every interruption (redirect, hang-up): an executor that sees another value stops. */
  gen: number;
  behaviour: CallBehaviour;
  inputs: GatherInput[];
  gather: Signal<GatherInput | null> | null;
  queue: QueueStay | null;
  conference: ConferenceStay | null;
  dial: DialStay | null;
  /** For the answered leg of a <Dial><Number>: the caller's CallSid. */
  bridgedParent: string | null;
  /** A Participants-API leg waiting to be answered, then joining. */
  pendingParticipant: { conference: string; participant: CloudParticipant } | null;
  /** An adopted inbound call with nothing the cloud can execute: it waits for a redirect or hang-up. */
  idle: Signal<void> | null;
  statusChain: Promise<void>;
  /** Recordings started through the REST API, completed when the call ends. */
  apiRecordings: string[];
  ended: Signal<void>;
}

export function newRuntime(call: CloudCall, behaviour: CallBehaviour): CallRuntime {
  return {
    call,
    gen: 0,
    behaviour,
    inputs: behaviour.answer ? [...(behaviour.digits ?? [])] : [],
    gather: null,
    queue: null,
    conference: null,
    dial: null,
    bridgedParent: null,
    pendingParticipant: null,
    idle: null,
    statusChain: Promise.resolve(),
    apiRecordings: [],
    ended: new Signal<void>(),
  };
}

export function isOver(rt: CallRuntime): boolean {
  return rt.call.endedAt !== null;
}
