import type { IvrModelDetail, IvrModelSummary } from '../../../../hub/src/voice/ivr-models/ivr-models.usecase.js';
import { ApiError } from '../../api/api-error.js';
import type { AuthSession } from '../../api/auth-session.js';
import { callJson } from '../../api/hub-api.js';

export type { IvrModelDetail, IvrModelSummary };

export interface IvrProblem {
  path: string;
  message: string;
}

/** The IVR models endpoints (hub/src/voice/ivr-models/ivr-models.routes.ts), on the console's session. */
export class IvrApi {
  constructor(private readonly session: AuthSession) {}

  list(campaignId: string): Promise<{ items: IvrModelSummary[] }> {
    return callJson(this.session, 'GET', `/voice/ivr-models?campaignId=${encodeURIComponent(campaignId)}`);
  }
  get(id: string): Promise<IvrModelDetail> {
    return callJson(this.session, 'GET', `/voice/ivr-models/${id}`);
  }
  /** The text as typed: the hub parses it, so problems point at the JSON the admin wrote. */
  saveDraft(campaignId: string, treeText: string, note: string | null): Promise<IvrModelDetail> {
    return callJson(this.session, 'PUT', '/voice/ivr-models/draft', { campaignId, treeText, note });
  }
  promote(id: string): Promise<{ model: IvrModelDetail; archivedId: string | null }> {
    return callJson(this.session, 'POST', `/voice/ivr-models/${id}/promote`);
  }
}

/** The Spanish problems of a refused tree (400 HUB_ERR_IVR_MODEL_INVALID), or null for any other error. */
export function ivrProblemsOf(error: unknown): IvrProblem[] | null {
  if (!(error instanceof ApiError) || error.code !== 'HUB_ERR_IVR_MODEL_INVALID') return null;
  const details = error.details;
  const problems = typeof details === 'object' && details !== null ? Reflect.get(details, 'problems') : undefined;
  if (!Array.isArray(problems)) return [];
  return problems.flatMap((p: unknown) => {
    if (typeof p !== 'object' || p === null) return [];
    const path = Reflect.get(p, 'path');
    const message = Reflect.get(p, 'message');
    return typeof path === 'string' && typeof message === 'string' ? [{ path, message }] : [];
  });
}
