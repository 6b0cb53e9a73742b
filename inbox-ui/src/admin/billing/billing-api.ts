import type { BillingUnit, ConsumptionRow, DeductionLine, ExcludedInteraction, PenaltyLine, RateCard, RateConcept, Statement, StatementLine, UnpricedUsage, UsageSelector } from '../../../../hub/src/billing/billing.contract.js';
import type { LoadedRateCard, RateCardVersion } from '../../../../hub/src/billing/rate-card/rate-card.store.js';
import type { Penalty } from '../../../../hub/src/billing/rate-card/penalties.store.js';
import type { DeriveUsageResult } from '../../../../hub/src/billing/usage/derive-usage.js';
import type { LineFact } from '../../../../hub/src/billing/http/line-facts.query.js';
import type { AuthSession } from '../../api/auth-session.js';
import { callJson } from '../../api/hub-api.js';
import { downloadFromHub } from '../../api/download.js';

export type { BillingUnit, ConsumptionRow, DeductionLine, ExcludedInteraction, PenaltyLine, RateCard, RateConcept, Statement, StatementLine, UnpricedUsage, UsageSelector };
export type { LineFact, LoadedRateCard, Penalty, RateCardVersion };
export type StatementFormat = 'csv' | 'xlsx' | 'pdf';

export interface RateCards {
  readonly active: LoadedRateCard;
  readonly draft: RateCardVersion | null;
  readonly versions: readonly RateCardVersion[];
}

export interface PenaltyInputBody {
  readonly month: string;
  readonly kind: PenaltyLine['kind'];
  readonly units: number;
  readonly amountPerUnitCents: number;
  readonly description: string;
}

/** Folios per page under a statement line. */
export const FACTS_PAGE = 20;

/** The billing endpoints (hub/src/billing/http, hub/src/billing/rate-card) on the console's session. */
export class BillingApi {
  constructor(private readonly session: AuthSession) {}

  private base(campaignId: string): string {
    return `/billing/campaigns/${encodeURIComponent(campaignId)}`;
  }
  statement(campaignId: string, month: string): Promise<Statement> {
    return callJson(this.session, 'GET', `${this.base(campaignId)}/statements/${month}`);
  }
  /** Derives the month's usage facts again from their sources (reading a statement does not). */
  recompute(campaignId: string, month: string): Promise<DeriveUsageResult & { month: string }> {
    return callJson(this.session, 'POST', `${this.base(campaignId)}/usage/recompute`, { month });
  }
  close(campaignId: string, month: string): Promise<Statement> {
    return callJson(this.session, 'POST', `${this.base(campaignId)}/statements/${month}/close`);
  }
  facts(campaignId: string, month: string, line: Pick<StatementLine, 'conceptCode' | 'usageMonth'>, after: string | null, limit = FACTS_PAGE): Promise<{ items: LineFact[]; next: string | null }> {
    const query = new URLSearchParams({ usageMonth: line.usageMonth, limit: String(limit) });
    if (after) query.set('after', after);
    return callJson(this.session, 'GET', `${this.base(campaignId)}/statements/${month}/lines/${encodeURIComponent(line.conceptCode)}/facts?${query.toString()}`);
  }
  async download(campaignId: string, month: string, format: StatementFormat): Promise<string> {
    return downloadFromHub(this.session, `/api/v1${this.base(campaignId)}/statements/${month}/export?format=${format}`, `estado-de-cuenta-${month}.${format}`);
  }
  rateCards(campaignId: string): Promise<RateCards> {
    return callJson(this.session, 'GET', `${this.base(campaignId)}/rate-card`);
  }
  saveDraft(campaignId: string, card: unknown): Promise<{ draft: RateCardVersion }> {
    return callJson(this.session, 'PUT', `${this.base(campaignId)}/rate-card/draft`, card);
  }
  activate(campaignId: string): Promise<{ active: RateCardVersion }> {
    return callJson(this.session, 'POST', `${this.base(campaignId)}/rate-card/activate`);
  }
  penalties(campaignId: string, month: string): Promise<{ month: string; closed: boolean; items: Penalty[] }> {
    return callJson(this.session, 'GET', `${this.base(campaignId)}/penalties?month=${month}`);
  }
  addPenalty(campaignId: string, body: PenaltyInputBody): Promise<{ penalty: Penalty }> {
    return callJson(this.session, 'POST', `${this.base(campaignId)}/penalties`, body);
  }
  deletePenalty(campaignId: string, id: string): Promise<void> {
    return callJson(this.session, 'DELETE', `${this.base(campaignId)}/penalties/${encodeURIComponent(id)}`);
  }
}
