import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { estimateWait } from '../../router/queue-treatment/estimated-wait.js';
import { queuePosition } from '../../router/queue-treatment/queue-position.js';
import { queueStaffing } from '../../router/queue-treatment/queue-staffing.js';
import { parseStoredTreatment } from '../../router/queue-treatment/treatment-plan.js';
import { loadAgentSnapshots, loadWaiting, queueSnapshots } from '../../router/store/routing-snapshot.js';
import { loadRoutingQueues } from '../../router/store/routing-settings.js';

export interface TwilioQueueFigures {
  queuePosition?: number;
  queueTime?: number;
  avgQueueTime?: number;
}

export interface VoiceWaitInfo {
  position: number;
  estimatedWaitSeconds: number | null;
  /** Where the figures came from, for the call's history and the tests. */
  source: 'router' | 'twilio';
}

/** Waiting conversations read per announcement, most urgent first (the router serves in that order). */
const WAITING_LIMIT = 20_000;
/** A stored treatment estimate this recent, for the same place in line, is preferred: it has the queue's history. */
const STORED_FRESH_MS = 60_000;

/**
 * The caller's place in line and estimated wait (issue 8 item 3), computed the way the router's
 * queue treatment computes them (router/queue-treatment/README.md): `queuePosition` over the
 * waiting line with the staffed agents, `estimateWait` on the pool that will serve the call. The
 * treatment refresh's stored estimate (which also knows the queue's recent handle times) wins when
 * it is fresh and for the same position. Twilio's own figures are the fallback: a call whose
 * conversation is not (or no longer) waiting, or a pool with nobody staffed.
 */
export async function voiceWaitInfo(db: Kysely<Database>, conversationId: string | null | undefined, twilio: TwilioQueueFigures, now = Date.now()): Promise<VoiceWaitInfo> {
  const fallbackPosition = Math.max(1, twilio.queuePosition ?? 1);
  const twilioEstimate = twilio.avgQueueTime !== undefined && twilio.avgQueueTime > 0 ? twilio.avgQueueTime * fallbackPosition : null;
  const fallback: VoiceWaitInfo = { position: fallbackPosition, estimatedWaitSeconds: twilioEstimate, source: 'twilio' };
  if (!conversationId) return fallback;
  return db.transaction().execute(async (trx) => {
    const conversation = await trx
      .selectFrom('conversations')
      .select(['id', 'status', 'queue_id', 'channel_class', 'relaxed_levels', 'treatment'])
      .where('id', '=', conversationId)
      .executeTakeFirst();
    if (!conversation) return fallback;
    // Being offered to an agent now: the caller is next.
    if (conversation.status === 'offered') return { position: 1, estimatedWaitSeconds: 0, source: 'router' };
    if (conversation.status !== 'queued' || conversation.queue_id === null) return fallback;
    const waiting = (await loadWaiting(trx, WAITING_LIMIT)).filter((w) => w.channelClass === (conversation.channel_class ?? 'voice'));
    const queues = queueSnapshots(await loadRoutingQueues(trx));
    const agents = await loadAgentSnapshots(trx, ['available', 'after_contact_work']);
    const position = queuePosition(conversation.id, waiting, queues, agents);
    const queue = queues.get(conversation.queue_id);
    if (position === null || !queue) return fallback;
    const stored = parseStoredTreatment(conversation.treatment);
    if (stored && stored.position === position && stored.estimatedWaitMs !== null && now - Date.parse(stored.updatedAt) <= STORED_FRESH_MS) {
      return { position, estimatedWaitSeconds: Math.round(stored.estimatedWaitMs / 1000), source: 'router' };
    }
    const staffing = queueStaffing(agents, queue, 'voice', conversation.relaxed_levels);
    const estimate = estimateWait({ position, channelClass: 'voice', staffing });
    // Nobody staffed for this line: Twilio's average wait, for the router's place in line.
    if (estimate === null) return { position, estimatedWaitSeconds: twilio.avgQueueTime !== undefined && twilio.avgQueueTime > 0 ? twilio.avgQueueTime * position : null, source: 'router' };
    return { position, estimatedWaitSeconds: Math.round(estimate.ms / 1000), source: 'router' };
  });
}
