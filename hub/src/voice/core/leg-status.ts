import { FINAL_CALL_STATUSES, type CallRecord, type VoiceWebhookKit } from '@ventanilla/voice-bridge';
import { CALL_EVENT_TYPES } from '../call-events.contract.js';

export interface LegStatusInput {
  readonly callSid: string;
  readonly status: string;
  readonly duration: string | undefined;
  readonly channelId: string;
  readonly from: string;
  readonly to: string;
  readonly conversationId: string;
  /** The leg's own kind (agent_leg, supervisor_leg): created with it when first heard of. */
  readonly kind: CallRecord['kind'];
}

/**
 * A leg's own record (agent or supervisor leg): its status history and end, like the citizen's
 * `status` route does — what metering reads for the leg. Serialized per call like every webhook.
 */
export async function recordLegStatus(kit: VoiceWebhookKit, input: LegStatusInput): Promise<void> {
  await kit.serialized(input.callSid, async () => {
    const call: CallRecord = (await kit.ports.calls.get(input.callSid)) ?? {
      callSid: input.callSid,
      channelId: input.channelId,
      from: input.from,
      to: input.to,
      state: null,
      status: 'queued',
      outcome: null,
      events: [],
      conversationId: input.conversationId,
      kind: input.kind,
    };
    kit.event(call, CALL_EVENT_TYPES.status, { status: input.status, ...(input.duration !== undefined ? { duration: input.duration } : {}) });
    if (!FINAL_CALL_STATUSES.has(call.status)) {
      call.status = input.status;
      if (FINAL_CALL_STATUSES.has(input.status)) kit.event(call, CALL_EVENT_TYPES.ended, { status: input.status, duration: input.duration ?? '' });
    }
    await kit.ports.calls.save(call);
  });
}
