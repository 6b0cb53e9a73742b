import type { BlastCreateInput, BlastRecipientView, BlastView, UploadReport } from '../../../../hub/src/voice/blaster/blast.schema.js';
import type { AuthSession } from '../../api/auth-session.js';
import { callJson } from '../../api/hub-api.js';
import { downloadFromHub } from '../../api/download.js';

export type { BlastCreateInput, BlastRecipientView, BlastView, UploadReport };

/** The voice blaster endpoints (hub/src/voice/blaster/*.routes.ts), on the console's session. */
export class BlasterApi {
  constructor(private readonly session: AuthSession) {}

  list(campaignId: string): Promise<{ items: BlastView[] }> {
    return callJson(this.session, 'GET', `/voice/blasts?campaignId=${encodeURIComponent(campaignId)}`);
  }
  get(id: string): Promise<BlastView> {
    return callJson(this.session, 'GET', `/voice/blasts/${id}`);
  }
  create(input: BlastCreateInput): Promise<{ blast: BlastView; upload: UploadReport | null }> {
    return callJson(this.session, 'POST', '/voice/blasts', input);
  }
  schedule(id: string, startAt?: string): Promise<BlastView> {
    return callJson(this.session, 'POST', `/voice/blasts/${id}/schedule`, startAt ? { startAt } : {});
  }
  action(id: string, action: 'pause' | 'resume' | 'cancel'): Promise<BlastView> {
    return callJson(this.session, 'POST', `/voice/blasts/${id}/${action}`);
  }
  recipients(id: string, query: { status?: string; cursor?: string }): Promise<{ items: BlastRecipientView[]; nextCursor: string | null }> {
    const params = new URLSearchParams({ limit: '50', ...(query.status ? { status: query.status } : {}), ...(query.cursor ? { cursor: query.cursor } : {}) });
    return callJson(this.session, 'GET', `/voice/blasts/${id}/recipients?${params.toString()}`);
  }

  /** The results CSV, saved by the browser under the hub's file name. */
  async downloadResults(id: string): Promise<void> {
    await downloadFromHub(this.session, `/api/v1/voice/blasts/${id}/results.csv`, 'resultados.csv');
  }
}
