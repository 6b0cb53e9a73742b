import { localDateOf } from '../../kpi/formulas/intervals.js';
import { enqueueOutbound } from '../../queues/outbound-jobs.js';
import type { HubContext } from '../../runtime/context.js';
import type { RequestOutcome } from './appointment-request.usecase.js';

export type ReminderDeps = Pick<HubContext, 'db' | 'relay' | 'queues' | 'config' | 'logger'>;

export interface PassCounts {
  sent: number;
  already: number;
  noChannel: number;
  inactive: number;
}

export function emptyCounts(): PassCounts {
  return { sent: 0, already: 0, noChannel: 0, inactive: 0 };
}

/** After commit: realtime notifications out, the messages to the outbound worker (the sweep re-enqueues any this loses). */
export async function afterRequest(ctx: ReminderDeps, result: RequestOutcome, counts: PassCounts): Promise<void> {
  if (result.outcome === 'sent') {
    counts.sent += 1;
    ctx.relay.publishCommitted([...result.outbox]);
    for (const id of result.messageIds) {
      await enqueueOutbound(ctx, id).catch((error: unknown) => ctx.logger.warn({ err: error, messageId: id }, 'appointment notice stored but not enqueued yet'));
    }
  } else if (result.outcome === 'already') counts.already += 1;
  else if (result.outcome === 'no_channel') counts.noChannel += 1;
  else counts.inactive += 1;
}

/** Today's local date in a zone (the confirmation campaign's "today"). */
export function todayIn(timeZone: string, now: Date): string {
  return localDateOf(now.getTime(), timeZone);
}
