import type { AuthSession } from '../../api/auth-session.js';
import { callJson } from '../../api/hub-api.js';

/** POST /api/v1/voice/token (hub/src/voice/agent/softphone-token.ts). */
export interface SoftphoneTokenView {
  token: string;
  identity: string;
  channelId: string;
  expiresAt: string;
}

/** GET /api/v1/voice/agents/me/endpoint: where the hub dials this agent's leg. */
export interface AgentEndpointView {
  kind: 'client' | 'phone' | 'sip';
  address: string | null;
  source: 'agent' | 'default';
}

export interface SoftphoneApi {
  endpoint(): Promise<AgentEndpointView>;
  token(): Promise<SoftphoneTokenView>;
}

export function softphoneApi(session: AuthSession): SoftphoneApi {
  return {
    endpoint: () => callJson(session, 'GET', '/voice/agents/me/endpoint'),
    token: () => callJson(session, 'POST', '/voice/token', {}),
  };
}
