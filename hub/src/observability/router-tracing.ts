import type { PassResult } from '../router/usecases/routing-pass.usecase.js';
import type { RouterEffects } from '../router/usecases/router-effects.js';
import { routingChange } from './router-observer.js';
import { currentSpan, outsideSpans, type TraceCarrier, type Tracing } from './tracing.js';

interface ObservableRouter {
  kick(): void;
  onPass(observer: (result: PassResult, durationMs: number) => void): void;
  onEffects(observer: (effects: Pick<RouterEffects, 'outbox'>) => void): void;
}

/**
 * `router.pass` and `router.offer` spans. A pass serves every waiting conversation at once and
 * kicks coalesce into it, so it is part of no one message's trace: its drain loop is started
 * outside any span (otherwise the jobs it enqueues would join whichever request kicked first),
 * and the pass and its offers start their own traces, linked to the span that last asked for a
 * pass (an ingest, a request). An offer carries the folio of its conversation.
 */
export function traceRouter(router: ObservableRouter, tracing: Tracing): void {
  if (!tracing.enabled) return;
  let kickedBy: TraceCarrier | null = null;
  const kick = router.kick.bind(router);
  router.kick = () => {
    const span = currentSpan();
    if (!span) return kick();
    kickedBy = span.carrier();
    outsideSpans(kick);
  };
  router.onPass((result, durationMs) => {
    const span = tracing.startSpan(
      'router.pass',
      { 'ventanilla.router.intake': result.intake.queued, 'ventanilla.router.planned': result.planned, 'ventanilla.router.claimed': result.claimed.length, 'ventanilla.router.waiting': result.waiting },
      { parent: null, link: kickedBy, startTime: Date.now() - durationMs },
    );
    kickedBy = null;
    span.end();
  });
  router.onEffects((effects) => {
    // Effects applied by a job or a request (an agent accepting) link to it; a pass's, to its kicker.
    const link = currentSpan()?.carrier() ?? kickedBy;
    for (const row of effects.outbox) {
      const seen = routingChange(row);
      if (!seen) continue;
      const span = tracing.startSpan(
        'router.offer',
        { 'ventanilla.folio': seen.folio, 'ventanilla.campaign.id': seen.campaignId, 'ventanilla.queue.id': seen.queueId ?? undefined, 'ventanilla.router.change': seen.change },
        { parent: null, link },
      );
      span.end();
    }
  });
}
