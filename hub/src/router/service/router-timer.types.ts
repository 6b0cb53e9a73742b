/**
 * Durable router timers (issue 3 item 10): BullMQ delayed jobs (service/router-timers.ts). Each
 * handler re-checks the database, so a timer that fires late, twice, or after its premise changed
 * does nothing wrong; the periodic sweep (router-service.ts) catches any timer lost between a
 * commit and its scheduling.
 */
export type RouterTimer =
  /** Offers of one pass share their expiry: one job for all of them (a storm makes 40,000). */
  | { kind: 'offer_timeout'; offerIds: string[]; at: number }
  | { kind: 'overflow'; conversationId: string; queueId: string; step: number; at: number }
  | { kind: 'max_wait'; conversationId: string; queueId: string; at: number }
  | { kind: 'acw_end'; agentId: string; stateSince: number; at: number }
  | { kind: 'auto_logout'; agentId: string; at: number };

export type RouterTimerKind = RouterTimer['kind'];

/** One job per premise: scheduling the same timer twice adds nothing. */
export function timerJobId(timer: RouterTimer): string {
  switch (timer.kind) {
    case 'offer_timeout':
      return `offer_timeout-${timer.offerIds[0] ?? 'none'}-${timer.offerIds.length}`;
    case 'overflow':
      return `overflow-${timer.conversationId}-${timer.queueId}-${timer.step}`;
    case 'max_wait':
      return `max_wait-${timer.conversationId}-${timer.queueId}`;
    case 'acw_end':
      return `acw_end-${timer.agentId}-${timer.stateSince}`;
    case 'auto_logout':
      return `auto_logout-${timer.agentId}-${timer.at}`;
  }
}
