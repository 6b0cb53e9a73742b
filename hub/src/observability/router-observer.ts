import type { Logger } from 'pino';
import type { OutboxRow } from '../outbox/outbox.js';
import type { RouterEffects } from '../router/usecases/router-effects.js';
import type { Metrics } from './metrics.js';
import type { OfferOutcome } from './offer-tally.js';

/** `conversation.routed` changes that answer an offer (offer-decision.usecase.ts). */
const DECISIONS = new Map<string, OfferOutcome>([
  ['accepted', 'accepted'],
  ['rejected', 'rejected'],
  ['rona', 'timed_out'],
]);

/**
 * Watches what the router applies after commit (RouterService.onEffects): every offer made and
 * every answer to one is in the outbox rows, with its campaign and folio. Counts them, and writes
 * the router's log line of the conversation with its folio (debug, so the hot path pays nothing).
 */
export function observeRouterEffects(metrics: Pick<Metrics, 'offerTally'>, logger: Logger): (effects: Pick<RouterEffects, 'outbox'>) => void {
  return (effects) => {
    // RouterService.apply never throws: neither may what watches it.
    try {
      for (const row of effects.outbox) {
        const seen = routingChange(row);
        if (!seen) continue;
        if (seen.outcome) metrics.offerTally.add(seen.campaignId, seen.outcome);
        if (seen.change === 'auto_accepted') metrics.offerTally.add(seen.campaignId, 'accepted');
        if (logger.isLevelEnabled('debug')) logger.child({ folio: seen.folio }).debug({ change: seen.change, queueId: seen.queueId }, 'conversation routed');
      }
    } catch (error) {
      logger.warn({ err: error }, 'metrics: router effects not observed');
    }
  };
}

export function routingChange(row: OutboxRow): { campaignId: string; folio: string; change: string; queueId: string | null; outcome: OfferOutcome | null } | null {
  const n = row.notification;
  if (n.event === 'conversation.offered') {
    // An auto-accepted offer is made and accepted at once.
    return { campaignId: n.data.campaignId, folio: n.data.folio, change: n.data.autoAccepted ? 'auto_accepted' : 'offered', queueId: n.data.queueId, outcome: 'offered' };
  }
  if (n.event === 'conversation.routed') {
    return { campaignId: n.data.campaignId, folio: n.data.folio, change: n.data.change, queueId: n.data.queueId, outcome: DECISIONS.get(n.data.change) ?? null };
  }
  return null;
}

/** The folio of the first notification that names one (a bot turn's `message.created`). */
export function folioOf(outbox: readonly OutboxRow[]): string | undefined {
  for (const row of outbox) {
    const data: object = row.notification.data;
    if ('folio' in data && typeof data.folio === 'string') return data.folio;
  }
  return undefined;
}
