/**
 * What text supervision (hub/src/supervision) needs from the voice bridge to supervise a call
 * (issue 9 item 5). Implemented in hub/src/voice/supervision over the call's conference (Twilio
 * conference participants: muted listener, coach with callSidToCoach, full participant).
 * The supervisor's leg is dialled like an agent's (softphone identity, phone or SIP).
 */
export type VoiceSupervisionMode = 'monitor' | 'whisper' | 'barge';

export interface VoiceSupervisionInput {
  readonly conversationId: string;
  readonly supervisorId: string;
}

export interface VoiceSupervisionPort {
  /** monitor = muted listener the caller and agent never hear; whisper = coach only the agent hears; barge = three-way. */
  join(input: VoiceSupervisionInput & { readonly mode: VoiceSupervisionMode }): Promise<{ readonly callSid: string }>;
  /** Switches the supervisor's live leg between modes without redialling. */
  changeMode(input: VoiceSupervisionInput & { readonly mode: VoiceSupervisionMode }): Promise<void>;
  /** Hangs up the supervisor's leg; the call goes on. */
  leave(input: VoiceSupervisionInput): Promise<void>;
  /**
   * Takeover: the supervisor's leg (joined before, in any mode) becomes a full participant and the
   * agent's leg leaves the conference; the caller never hears a gap. The router reassignment is done by the caller of this port.
   */
  takeOver(input: VoiceSupervisionInput): Promise<void>;
  /**
   * Refuses (HubError) what would make `takeOver` refuse — leg not answered yet, no agent on the
   * call, call over — without changing anything, so the caller can check before it reassigns.
   * Returns the leg's mode now (the caller barges first with `changeMode`, and restores it if the
   * reassignment is refused).
   */
  assertCanTakeOver(input: VoiceSupervisionInput): Promise<{ readonly mode: VoiceSupervisionMode }>;
}
