/**
 * The vocabulary of call events (issue 8). Every part of the voice bridge appends these to the
 * citizen's call record (`kit.event(call, type, data)` → CallRecord.events); the hub's call store
 * writes each as an interaction event `call.<type>` with `payload.callSid` and its data, stamped
 * with the event's own `at`. Metering, KPIs and the call timeline read only these — so a part that
 * does something billable must append the event here, with exactly these data keys (all strings).
 */
export const CALL_EVENT_TYPES = {
  /** A new inbound call (from, to, status). */
  incoming: 'incoming',
  /** Twilio asked `incoming` again for the same call. */
  incoming_repeated: 'incoming_repeated',
  /** Caller input at an IVR node (node, urlNode, digits?, speech?). */
  ivr_input: 'ivr_input',
  /** An IVR step's outcome (node, outcome: continue|queue|transfer_campaign|dial|hangup|voicemail|callback). */
  ivr_outcome: 'ivr_outcome',
  /** The call is in the router's line (queueName, conversationId, folio, queueId). IVR time ends here. */
  enqueued: 'enqueued',
  enqueue_failed: 'enqueue_failed',
  /** Wait announcement heard (position, estimatedWaitSeconds, queueTime). */
  wait_announced: 'wait_announced',
  wait_choice: 'wait_choice',
  voicemail_requested: 'voicemail_requested',
  callback_requested: 'callback_requested',
  /** The caller left Twilio's queue (result: bridged|leave|hangup|…, queueTime). Queue time ends at the first of this or agent_connected. */
  left_queue: 'left_queue',
  /** An agent's leg joined the caller (agentId, seatType PS-I|PS-P, agentCallSid). Talk time starts. */
  agent_connected: 'agent_connected',
  /** Caller put on hold by the agent (agentId) / taken off hold (agentId). Hold time is between. */
  hold: 'hold',
  unhold: 'unhold',
  /** That agent's leg left (agentId, reason: hangup|transfer|…). Talk time for that agent ends. */
  agent_left: 'agent_left',
  /** Transfer requested (agentId, target: agent|queue|tier2|campaign, targetId). */
  transferred: 'transferred',
  /** A third party joined / left (callSid, role: third_party). Supervisors have their own events below. */
  participant_joined: 'participant_joined',
  participant_left: 'participant_left',
  /** A supervisor's leg is in the conference (supervisorId, supervisorCallSid, mode: monitor|whisper|barge). No talk time: the agent still serves the call. */
  supervisor_joined: 'supervisor_joined',
  /** The supervisor switched mode on the live leg (supervisorId, supervisorCallSid, mode, from). */
  supervisor_mode_changed: 'supervisor_mode_changed',
  /** The supervisor's leg left (supervisorId, supervisorCallSid, reason: left|hangup|citizen_hangup|…). */
  supervisor_left: 'supervisor_left',
  /** The supervisor took the call over (supervisorId, agentId, supervisorCallSid, agentCallSid); followed by `agent_connected` of the supervisor and `agent_left` (reason takeover) of the agent. */
  taken_over: 'taken_over',
  /** Dual-channel recording started / ready (recordingSid, url?, duration?, channels). */
  recording_started: 'recording_started',
  recording_ready: 'recording_ready',
  /** Voicemail recording started / stored (recordingSid, duration, url, outsideHours: true|false). */
  voicemail_started: 'voicemail_started',
  voicemail_recorded: 'voicemail_recorded',
  /** Call-back created from this call (callbackId, phone). */
  callback_created: 'callback_created',
  /** Post-call survey started / one answer (question, digits) / completed (answers). */
  survey_started: 'survey_started',
  survey_answer: 'survey_answer',
  survey_completed: 'survey_completed',
  /** Blaster message played (blastId, recipientId) / keypad option chosen (digits, action). */
  blaster_played: 'blaster_played',
  blaster_choice: 'blaster_choice',
  /** Twilio status callback (status, duration?, timestamp?, sequence?). */
  status: 'status',
  /** A final status: the leg is over (status, duration = Twilio's CallDuration seconds). */
  ended: 'ended',
} as const;
export type CallEventType = (typeof CALL_EVENT_TYPES)[keyof typeof CALL_EVENT_TYPES];

/** The Twilio conference that joins a conversation's citizen, agents and supervisors. */
export function conferenceNameOf(conversationId: string): string {
  return `ventanilla-${conversationId}`;
}
