import type { WallboardMetric, WallboardSnapshot } from '@ventanilla/hub/realtime-contract';
import type { AuthSession } from '../../api/auth-session.js';
import { callJson } from '../../api/hub-api.js';

/** hub/src/wallboard/wallboard.routes.ts */
export interface ThresholdView {
  id: string;
  campaignId: string;
  queueId: string | null;
  metric: WallboardMetric;
  direction: 'above' | 'below';
  value: number;
  updatedAt: string;
}

export interface WallboardApi {
  snapshot(campaignId: string): Promise<WallboardSnapshot>;
  thresholds(campaignId: string): Promise<{ items: ThresholdView[] }>;
  addThreshold(campaignId: string, input: { queueId: string | null; metric: WallboardMetric; value: number }): Promise<ThresholdView>;
  removeThreshold(campaignId: string, id: string): Promise<void>;
}

export function wallboardApi(session: AuthSession): WallboardApi {
  const base = (campaignId: string) => `/wallboard/${encodeURIComponent(campaignId)}`;
  return {
    snapshot: (campaignId) => callJson(session, 'GET', base(campaignId)),
    thresholds: (campaignId) => callJson(session, 'GET', `${base(campaignId)}/thresholds`),
    addThreshold: (campaignId, input) => callJson(session, 'POST', `${base(campaignId)}/thresholds`, input),
    removeThreshold: (campaignId, id) => callJson(session, 'DELETE', `${base(campaignId)}/thresholds/${encodeURIComponent(id)}`),
  };
}
