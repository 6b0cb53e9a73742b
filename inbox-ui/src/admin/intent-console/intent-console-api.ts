import type {
  AddToIntentRequest,
  BotMetrics,
  BotModelDetail,
  BotModelSummary,
  CreateDraftRequest,
  ImportModelRequest,
  TestUtteranceResponse,
  UnmatchedUtterance,
  UpdateDraftRequest,
} from '../../../../hub/src/bots/console/console.contract.js';
import type { AuthSession } from '../../api/auth-session.js';
import { callJson } from '../../api/hub-api.js';
import { downloadFromHub } from '../../api/download.js';

export type { BotMetrics, BotModelDetail, BotModelSummary, TestUtteranceResponse, UnmatchedUtterance };

/** The intent console's endpoints (hub/src/bots/console/console.contract.ts), on the console's session. */
export class IntentConsoleApi {
  constructor(private readonly session: AuthSession) {}

  private base(campaignId: string, rest: string): string {
    return `/campaigns/${encodeURIComponent(campaignId)}/bot${rest}`;
  }

  models(campaignId: string): Promise<{ items: BotModelSummary[] }> {
    return callJson(this.session, 'GET', this.base(campaignId, '/models'));
  }
  model(campaignId: string, modelId: string): Promise<BotModelDetail> {
    return callJson(this.session, 'GET', this.base(campaignId, `/models/${modelId}`));
  }
  createDraft(campaignId: string, request: CreateDraftRequest): Promise<BotModelDetail> {
    return callJson(this.session, 'POST', this.base(campaignId, '/models'), request);
  }
  saveDraft(campaignId: string, modelId: string, request: UpdateDraftRequest): Promise<BotModelDetail> {
    return callJson(this.session, 'PUT', this.base(campaignId, `/models/${modelId}`), request);
  }
  train(campaignId: string, modelId: string): Promise<BotModelDetail> {
    return callJson(this.session, 'POST', this.base(campaignId, `/models/${modelId}/train`), {});
  }
  test(campaignId: string, modelId: string, utterance: string): Promise<TestUtteranceResponse> {
    return callJson(this.session, 'POST', this.base(campaignId, `/models/${modelId}/test`), { utterance });
  }
  promote(campaignId: string, modelId: string): Promise<BotModelDetail> {
    return callJson(this.session, 'POST', this.base(campaignId, `/models/${modelId}/promote`), {});
  }
  rollback(campaignId: string): Promise<BotModelDetail> {
    return callJson(this.session, 'POST', this.base(campaignId, '/rollback'), {});
  }
  importModel(campaignId: string, request: ImportModelRequest): Promise<BotModelDetail> {
    return callJson(this.session, 'POST', this.base(campaignId, '/import'), request);
  }
  unmatched(campaignId: string, limit = 50): Promise<{ items: UnmatchedUtterance[] }> {
    return callJson(this.session, 'GET', this.base(campaignId, `/unmatched?limit=${limit}`));
  }
  addToIntent(campaignId: string, turnId: string, request: AddToIntentRequest): Promise<{ modelId: string }> {
    return callJson(this.session, 'POST', this.base(campaignId, `/unmatched/${turnId}/add`), request);
  }
  dismiss(campaignId: string, turnId: string): Promise<{ dismissed: true }> {
    return callJson(this.session, 'POST', this.base(campaignId, `/unmatched/${turnId}/dismiss`), {});
  }
  metrics(campaignId: string, range: { from: string; to: string }): Promise<BotMetrics> {
    const query = new URLSearchParams(range);
    return callJson(this.session, 'GET', this.base(campaignId, `/metrics?${query.toString()}`));
  }

  /** The model JSON, saved by the browser under the hub's file name. */
  async download(campaignId: string, modelId: string, fallbackName: string): Promise<void> {
    await downloadFromHub(this.session, `/api/v1${this.base(campaignId, `/models/${modelId}/export`)}`, fallbackName);
  }
}
