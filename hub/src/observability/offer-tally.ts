import type { Counter } from 'prom-client';

export type OfferOutcome = 'offered' | 'accepted' | 'rejected' | 'timed_out';

/**
 * Offer outcomes counted by campaign id where they happen (synchronously, no I/O on the router's
 * path) and moved into `ventanilla_router_offers_total` by campaign slug when /metrics is scraped:
 * a campaign id is a UUID and must not become a label value.
 */
export class OfferTally {
  private readonly pending = new Map<string, Map<OfferOutcome, number>>();
  private readonly slugs = new Map<string, string>();

  add(campaignId: string, outcome: OfferOutcome, n = 1): void {
    if (n <= 0) return;
    const byOutcome = this.pending.get(campaignId) ?? new Map<OfferOutcome, number>();
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + n);
    this.pending.set(campaignId, byOutcome);
  }

  /** Flushes what is pending; ids whose slug cannot be found yet stay pending for the next scrape. */
  async flush(counter: Counter<'campaign' | 'outcome'>, loadSlugs: (ids: string[]) => Promise<Map<string, string>>): Promise<void> {
    const unknown = [...this.pending.keys()].filter((id) => !this.slugs.has(id));
    if (unknown.length > 0) for (const [id, slug] of await loadSlugs(unknown)) this.slugs.set(id, slug);
    for (const [campaignId, byOutcome] of this.pending) {
      const campaign = this.slugs.get(campaignId);
      if (campaign === undefined) continue;
      for (const [outcome, n] of byOutcome) counter.inc({ campaign, outcome }, n);
      this.pending.delete(campaignId);
    }
  }
}
