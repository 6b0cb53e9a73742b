import type { AuthSession } from '../../api/auth-session.js';
import type { TransferTarget } from '../../api/api-types.js';
import { callJson } from '../../api/hub-api.js';

export type LegState = 'in_queue' | 'ringing' | 'talking' | 'on_hold' | 'ended';

/** GET /api/v1/voice/calls/:conversationId (hub/src/voice/agent/screen-pop.query.ts). */
export interface CallScreenPop {
  conversationId: string;
  folio: string;
  status: string;
  assigneeId: string | null;
  caller: { number: string; callSid: string; state: LegState } | null;
  ivr: { steps: string[]; captured: { field: string; value: string }[] };
  legs: { callSid: string | null; role: 'agent' | 'third_party'; agentId: string; agentName: string | null; to: string; state: LegState; joinedAt: string | null; endedAt: string | null; endReason: string | null }[];
  recordings: { recordingSid: string; status: string; duration: number | null; url: string | null; channels: number; startedAt: string }[];
}

/** The agent's call controls (hub/src/voice/agent/voice-agent.routes.ts). */
export class CallApi {
  constructor(private readonly session: AuthSession) {}

  screenPop(conversationId: string): Promise<CallScreenPop> {
    return callJson(this.session, 'GET', `/voice/calls/${conversationId}`);
  }
  control(conversationId: string, action: 'hold' | 'unhold' | 'hangup'): Promise<{ ok: true }> {
    return callJson(this.session, 'POST', `/voice/calls/${conversationId}/${action}`);
  }
  conference(conversationId: string, to: string): Promise<{ ok: true; callSid: string }> {
    return callJson(this.session, 'POST', `/voice/calls/${conversationId}/conference`, { to });
  }
  transfer(conversationId: string, target: TransferTarget, reason: string): Promise<{ ok: true }> {
    const body =
      target.kind === 'agent'
        ? { target: 'agent', targetId: target.agentId }
        : target.kind === 'queue'
          ? { target: 'queue', targetId: target.queueId }
          : target.kind === 'tier2'
            ? { target: 'tier2', ...(target.queueId ? { targetId: target.queueId } : {}) }
            : { target: 'campaign', targetId: target.campaignId };
    return callJson(this.session, 'POST', `/voice/calls/${conversationId}/transfer`, { ...body, ...(reason.trim() ? { reason: reason.trim() } : {}) });
  }
}
