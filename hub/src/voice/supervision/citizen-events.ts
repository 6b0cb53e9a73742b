import type { VoiceWebhookKit } from '@ventanilla/voice-bridge';
import type { HubContext } from '../../runtime/context.js';
import type { CallEventType } from '../call-events.contract.js';
import type { EventIo } from '../agent/conference-events.js';
import { PgCallStore } from '../core/pg-call-store.js';
import { RedisCallLock } from '../core/redis-call-lock.js';

export interface CitizenEvent {
  type: CallEventType;
  data: Record<string, string>;
}

/**
 * Appends call events to the citizen's record from outside a webhook (a supervisor's request),
 * under the same per-call Redis lock the webhooks take, so the record's events stay in order.
 */
export type AppendCitizenEvents = (citizenCallSid: string, events: readonly CitizenEvent[]) => Promise<void>;

export function citizenEventAppender(ctx: Pick<HubContext, 'db' | 'redis' | 'config' | 'logger'>): AppendCitizenEvents {
  const lock = new RedisCallLock(ctx.redis, ctx.config.REDIS_PREFIX);
  const calls = new PgCallStore(ctx.db.kysely, { lock: (callSid, work) => lock.withLock(callSid, work) });
  return async (citizenCallSid, events) => {
    await calls.withLock(citizenCallSid, async () => {
      const call = await calls.get(citizenCallSid);
      if (!call) {
        ctx.logger.warn({ callSid: citizenCallSid, events: events.map((e) => e.type) }, 'voice supervision: events for an unknown citizen call (dropped)');
        return;
      }
      const at = new Date().toISOString();
      for (const e of events) call.events.push({ at, type: e.type, data: e.data });
      await calls.save(call);
    });
  };
}

/**
 * Inside a webhook: runs `work` under the citizen call's lock and saves what it emitted; the Twilio
 * requests it scheduled run after the lock is released (the agent part's `withCitizen`, same rules).
 */
export async function withCitizenEvents(kit: VoiceWebhookKit, callSid: string, work: (io: EventIo) => Promise<void>): Promise<void> {
  const later: (() => Promise<void>)[] = [];
  await kit.serialized(callSid, async () => {
    const pending: { type: string; data: Record<string, string> }[] = [];
    await work({
      emit: (type, data) => pending.push({ type, data }),
      later: (job) => later.push(job),
      emitLater: (type, data) => withCitizenEvents(kit, callSid, async (inner) => inner.emit(type, data)),
    });
    if (pending.length === 0) return;
    const call = await kit.ports.calls.get(callSid);
    if (!call) {
      kit.warn({ callSid, events: pending.map((p) => p.type) }, 'voice supervision: events for an unknown citizen call (dropped)');
      return;
    }
    for (const p of pending) kit.event(call, p.type, p.data);
    await kit.ports.calls.save(call);
  });
  for (const job of later) await job();
}
