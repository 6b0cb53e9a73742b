/**
 * The voice bridge's IVR contract (issue 8 item 2): what the IVR interpreter (ivr/) gives the
 * HTTP layer (http/) and, later, the hub. Trees are data (ivr.schema.ts), interpreted one Twilio
 * webhook at a time: each step returns the TwiML to answer with and the call's new IVR state.
 * Nothing here touches a database or the network.
 */
import type { IvrTree } from './ivr.schema.js';

/** What the IVR keeps between webhooks of one call (stored by the caller, plain JSON). */
export interface IvrState {
  /** The node the caller is at (the one whose <Gather> they are answering, if any). */
  node: string;
  /** Invalid or missing answers at the current node. */
  attempts: number;
  /** Data captured so far (field → value), e.g. { nss: '12345678901' }. */
  collected: Record<string, string>;
  /** Times each informational node (say, folio_status) was heard: the third time disconnects (seed L1531). */
  heard: Record<string, number>;
  /** The path the caller took (node ids, DTMF/speech choices) — the agent's screen pop later. */
  path: { node: string; input?: string }[];
}

/** What Twilio posted to a Gather action (form fields `Digits`, `SpeechResult`). */
export interface IvrInput {
  digits?: string;
  speech?: string;
}

/** Where the IVR ends for this call. */
export type IvrOutcome =
  | { type: 'continue' }
  | { type: 'queue'; queueId?: string; skill?: string; collected: Record<string, string>; path: IvrState['path'] }
  | { type: 'transfer_campaign'; campaignId: string; collected: Record<string, string> }
  | { type: 'dial'; number: string }
  | { type: 'hangup'; reason: 'completed' | 'repeated_information' | 'no_input' | 'invalid' }
  /** A voicemail: the HTTP layer redirects to the hub's recording route. `outsideHours`: the campaign was closed. */
  | { type: 'voicemail'; outsideHours?: boolean }
  /** A call-back request: to `phone` (captured in the IVR) or, without it, to the caller's number. */
  | { type: 'callback'; phone?: string };

export interface IvrContext {
  /** The absolute URL Twilio must post the caller's answer at `node` to (Gather action / Redirect). */
  actionUrl(node: string): string;
  now: Date;
  /** The campaign's business hours and holidays (the hub's calendar). */
  isOpen(at: Date): boolean;
  isHoliday(at: Date): boolean;
  /** A folio's status in words for the caller (es-MX), or null when unknown in this campaign. */
  folioStatus(folio: string): Promise<string | null>;
  /** Official id checks (NSS/CURP) — the hub's `OfficialIdChecks`-like functions. */
  validNss(raw: string): boolean;
  validCurp(raw: string): boolean;
  /**
   * The channel's «voicemail outside hours» (seed §1.2): when the campaign is closed (an `hours`
   * node's closed or holiday branch), voicemail is the caller's only option.
   */
  voicemailWhenClosed?: boolean;
}

export interface IvrStepResult {
  /** The TwiML document to answer Twilio with (built with twilio's VoiceResponse). */
  twiml: string;
  state: IvrState;
  outcome: IvrOutcome;
}

export interface IvrInterpreter {
  readonly tree: IvrTree;
  /** A new call: the state at the tree's start, and the TwiML of its first node(s). */
  start(context: IvrContext): Promise<IvrStepResult>;
  /** The caller answered (or did not: empty input) at `state.node`. */
  answer(state: IvrState, input: IvrInput, context: IvrContext): Promise<IvrStepResult>;
}
