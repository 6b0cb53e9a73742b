import type { EvaluationSummary, EvaluationView } from '../../../../hub/src/sla/sla-evaluation.queries.js';
import type { OutageView } from '../../../../hub/src/sla/sla-contract.store.js';
import type { SlaContract } from '../../../../hub/src/sla/sla-inputs.schema.js';
import type { SlaTableVersion } from '../../../../hub/src/sla/sla-table.store.js';
import type { SlaRowInput } from '../../../../hub/src/kpi/sla/sla-table.schema.js';
import type { AuthSession } from '../../api/auth-session.js';
import { callJson } from '../../api/hub-api.js';
import { downloadFromHub } from '../../api/download.js';

export type { EvaluationSummary, EvaluationView, OutageView, SlaContract, SlaRowInput, SlaTableVersion };
export type ReportFormat = 'pdf' | 'csv' | 'xlsx';

/** The SLA endpoints (hub/src/sla/*.routes.ts) on the console's session. */
export class SlaApi {
  constructor(private readonly session: AuthSession) {}

  table(campaignId: string): Promise<{ active: SlaTableVersion; draft: SlaTableVersion | null; versions: SlaTableVersion[] }> {
    return callJson(this.session, 'GET', `/sla/campaigns/${campaignId}/table`);
  }
  saveDraft(campaignId: string, body: { rows: readonly SlaRowInput[]; globalCap: { maxContractAmountWithoutIvaCents: number; percent: number } }): Promise<{ draft: SlaTableVersion }> {
    return callJson(this.session, 'PUT', `/sla/campaigns/${campaignId}/table/draft`, body);
  }
  activate(campaignId: string): Promise<{ active: SlaTableVersion }> {
    return callJson(this.session, 'POST', `/sla/campaigns/${campaignId}/table/activate`);
  }
  contract(campaignId: string): Promise<{ contract: SlaContract | null; defaults: SlaContract }> {
    return callJson(this.session, 'GET', `/sla/campaigns/${campaignId}/contract`);
  }
  saveContract(campaignId: string, contract: SlaContract): Promise<{ contract: SlaContract }> {
    return callJson(this.session, 'PUT', `/sla/campaigns/${campaignId}/contract`, contract);
  }
  invoices(campaignId: string): Promise<{ items: { month: string; amountCents: number; source: string; enteredAt: string }[] }> {
    return callJson(this.session, 'GET', `/sla/campaigns/${campaignId}/invoices`);
  }
  setInvoice(campaignId: string, month: string, amountCents: number): Promise<unknown> {
    return callJson(this.session, 'PUT', `/sla/campaigns/${campaignId}/invoices/${month}`, { amountCents });
  }
  outages(campaignId: string, month: string): Promise<{ items: OutageView[] }> {
    return callJson(this.session, 'GET', `/sla/campaigns/${campaignId}/outages?month=${month}`);
  }
  addOutage(campaignId: string, body: { startedAt: string; endedAt: string; description: string }): Promise<{ outage: OutageView }> {
    return callJson(this.session, 'POST', `/sla/campaigns/${campaignId}/outages`, body);
  }
  deleteOutage(id: string): Promise<void> {
    return callJson(this.session, 'DELETE', `/sla/outages/${id}`);
  }
  evaluations(campaignId: string): Promise<{ items: EvaluationSummary[] }> {
    return callJson(this.session, 'GET', `/sla/evaluations?campaignId=${campaignId}`);
  }
  evaluation(id: string): Promise<{ evaluation: EvaluationView }> {
    return callJson(this.session, 'GET', `/sla/evaluations/${id}`);
  }
  run(campaignId: string, month: string): Promise<{ evaluation: EvaluationView; replaced: boolean; unchanged: boolean }> {
    return callJson(this.session, 'POST', '/sla/evaluations', { campaignId, month });
  }
  decide(id: string, rowId: string, body: { decision: 'accepted' | 'adjusted'; finalCents?: number; reason?: string }): Promise<{ evaluation: EvaluationView }> {
    return callJson(this.session, 'PUT', `/sla/evaluations/${id}/rows/${encodeURIComponent(rowId)}`, body);
  }
  validate(id: string): Promise<{ evaluation: EvaluationView }> {
    return callJson(this.session, 'POST', `/sla/evaluations/${id}/validate`);
  }
  async download(id: string, format: ReportFormat): Promise<void> {
    await downloadFromHub(this.session, `/api/v1/sla/evaluations/${id}/report?format=${format}`, `sla.${format}`);
  }
}
