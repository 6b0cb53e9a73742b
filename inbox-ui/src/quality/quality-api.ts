import type { TimelineItem } from '@ventanilla/hub/realtime-contract';
import { apiErrorFrom } from '../api/api-error.js';
import type { AuthSession } from '../api/auth-session.js';
import { callJson } from '../api/hub-api.js';
import { downloadFromHub } from '../api/download.js';

/** Wire shapes of hub/src/quality/quality.routes.ts. */
export interface ScorecardItem {
  id: string;
  label: string;
  weight: number;
  critical: boolean;
}
export interface Scorecard {
  id: string;
  campaignId: string;
  name: string;
  version: number;
  status: 'draft' | 'active' | 'archived';
  items: ScorecardItem[];
  createdAt: string;
  evaluations: number;
}
export interface QualityCampaign {
  id: string;
  name: string;
  timeZone: string;
}
export interface SampleView {
  id: string;
  campaignId: string;
  channelKind: string;
  month: string;
  sampleSize: number;
  population: number;
  seed: string;
  drawnAt: string;
  drawn: number;
  evaluated: number;
  assignedToMe: number;
  scoreSum: number;
}
export interface SampleItem {
  conversationId: string;
  position: number;
  folio: string;
  answeredAt: string | null;
  agentId: string | null;
  agentName: string | null;
  analystId: string | null;
  analystName: string | null;
  score: number | null;
  evaluatedAt: string | null;
}
export interface Answer {
  met: boolean;
  comment?: string;
}
export interface Interaction {
  sample: { id: string; campaignId: string; channelKind: string; month: string; sampleSize: number };
  item: { position: number; analystId: string | null; answeredAt: string | null; agentId: string | null; agentName: string | null };
  conversation: { id: string; folio: string; channelKind: string; contactName: string | null; openedAt: string };
  timeline: TimelineItem[];
  recordings: { recordingSid: string; durationSeconds: number | null; startedAt: string }[];
  evaluation: { id: string; analystId: string; score: number; answers: Record<string, Answer>; comments: string | null; updatedAt: string } | null;
  scorecard: Scorecard | null;
}
export interface KpiResultView {
  value: number | null;
  status: 'ok' | 'sin_trafico';
  numerator: number;
  denominator: number;
  formula: string;
  seedRef: string;
  explanation: string;
}
export interface QualityKpi {
  overall: KpiResultView;
  byChannel: { channelKind: string; kpi: KpiResultView }[];
  agents: { agentId: string | null; displayName: string | null; evaluations: number; averageScore: number | null }[];
}

export function qualityApi(session: AuthSession) {
  return {
    campaigns: () => callJson<{ items: QualityCampaign[] }>(session, 'GET', '/quality/campaigns'),
    template: () => callJson<{ name: string; items: ScorecardItem[] }>(session, 'GET', '/quality/scorecard-template'),
    scorecards: (campaignId: string) => callJson<{ items: Scorecard[] }>(session, 'GET', `/quality/scorecards?campaignId=${encodeURIComponent(campaignId)}`),
    createScorecard: (input: { campaignId: string; name: string; items: ScorecardItem[] }) => callJson<Scorecard>(session, 'POST', '/quality/scorecards', input),
    updateScorecard: (id: string, input: { name?: string; items?: ScorecardItem[] }) => callJson<Scorecard>(session, 'PATCH', `/quality/scorecards/${id}`, input),
    activateScorecard: (id: string) => callJson<Scorecard>(session, 'POST', `/quality/scorecards/${id}/activate`, {}),
    samples: (campaignId: string, month: string) => callJson<{ items: SampleView[] }>(session, 'GET', `/quality/samples?campaignId=${encodeURIComponent(campaignId)}&month=${month}`),
    draw: (input: { campaignId: string; channelKind: string; month: string; sampleSize?: number }) => callJson<{ sampleId: string; population: number; drawn: number }>(session, 'POST', '/quality/samples', input),
    items: (sampleId: string) => callJson<{ items: SampleItem[] }>(session, 'GET', `/quality/samples/${sampleId}/items`),
    interaction: (sampleId: string, conversationId: string) => callJson<Interaction>(session, 'GET', `/quality/samples/${sampleId}/items/${conversationId}`),
    evaluate: (sampleId: string, conversationId: string, input: { answers: Record<string, Answer>; comments: string | null }) =>
      callJson<{ score: number; criticalFailed: string[]; revised: boolean }>(session, 'PUT', `/quality/samples/${sampleId}/items/${conversationId}/evaluation`, input),
    kpi: (campaignId: string, month: string) => callJson<QualityKpi>(session, 'GET', `/quality/kpi?campaignId=${encodeURIComponent(campaignId)}&month=${month}`),
    /** The recording through the hub (Twilio credentials never reach the browser), as an object URL. */
    async recordingUrl(recordingSid: string): Promise<string> {
      const response = await session.request(`/api/v1/voice/recordings/${recordingSid}`);
      if (!response.ok) throw await apiErrorFrom(response);
      return URL.createObjectURL(await response.blob());
    },
    async downloadCsv(sampleId: string): Promise<void> {
      await downloadFromHub(session, `/api/v1/quality/samples/${sampleId}/export`, 'calidad.csv');
    },
  };
}
export type QualityApi = ReturnType<typeof qualityApi>;
