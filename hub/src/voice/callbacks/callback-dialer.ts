import { sql } from 'kysely';
import { VoiceRestError, type VoiceRest } from '@ventanilla/connectors';
import type { CallRecord } from '@ventanilla/voice-bridge';
import type { LoadedChannel } from '../../channels/channel-store.js';
import type { VoiceCallback } from '../../db/schema-voice-voicemail.js';
import type { HubContext } from '../../runtime/context.js';
import { PgCallStore } from '../core/pg-call-store.js';
import { voiceRestFor, voiceSettingsOf, voiceUrlsFor } from '../core/voice-channels.js';
import { placeInLine } from '../voicemail/voice-line.js';
import { endUnansweredAttempt } from './callback-attempt.usecase.js';

type Ctx = Pick<HubContext, 'db' | 'router' | 'channels' | 'config' | 'logger'>;

export interface CallbackDialerOptions {
  intervalMs: number;
  /** The clock (tests move it to a retry's due time). */
  now?: () => number;
  /** The REST port of a channel (tests: the harness's; default: the channel's own settings). */
  restFor?: (channel: LoadedChannel) => VoiceRest;
  /** A dial that never got a call sid (the process died mid-way) counts as failed after this. */
  staleDialMs?: number;
}

/** A call-back from a call waits for that call to end (the caller is still hearing the confirmation). */
const ORIGIN_CALL_GRACE_MS = 10 * 60_000;
const BATCH = 20;

/**
 * The call-back dialer (issue 8 item 6), any number of processes: every step claims its rows in
 * PostgreSQL (`FOR UPDATE SKIP LOCKED`), so two processes never promote or dial the same task.
 *  1. due call-backs → their conversation back in line as a voice task (`queued`);
 *  2. a queued call-back whose conversation an agent now holds → the citizen is called
 *     (`createCall` to callback/answer), the leg stored as a `callback` voice call;
 *  3. a dial that never got its call sid → a failed attempt.
 */
export class CallbackDialer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly ctx: Ctx,
    private readonly options: CallbackDialerOptions,
  ) {}

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((error: unknown) => this.ctx.logger.warn({ err: error }, 'call-back dialer tick failed'))
        .finally(() => {
          this.running = null;
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async tick(): Promise<void> {
    for (let i = 0; i < BATCH && (await this.promoteOne()); i++);
    for (let i = 0; i < BATCH && (await this.dialOne()); i++);
    await this.failStaleDials();
  }

  /** One due call-back back in line; false when there is none. */
  private async promoteOne(): Promise<boolean> {
    const now = new Date(this.now());
    const graceStart = new Date(this.now() - ORIGIN_CALL_GRACE_MS);
    const done = await this.ctx.db.kysely.transaction().execute(async (trx) => {
      const callback = await trx
        .selectFrom('voice_callbacks as cb')
        .selectAll('cb')
        .where('cb.status', '=', 'pending')
        .where('cb.due_at', '<=', now)
        // The originating call still live: the caller is hearing the confirmation.
        .where((eb) =>
          eb.or([
            eb('cb.origin_call_sid', 'is', null),
            eb('cb.requested_at', '<', graceStart),
            eb.not(eb.exists(eb.selectFrom('voice_calls as v').select('v.call_sid').whereRef('v.call_sid', '=', 'cb.origin_call_sid').where('v.ended_at', 'is', null))),
          ]),
        )
        .orderBy('cb.due_at')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!callback) return null;
      const conversation = await trx.selectFrom('conversations').select(['status', 'closed_at']).where('id', '=', callback.conversation_id).executeTakeFirst();
      // Closed, or taken over by a new call of the citizen (core's enqueue): nothing left to call back.
      if (!conversation || conversation.closed_at !== null || conversation.status !== 'waiting_contact') {
        await trx
          .updateTable('voice_callbacks')
          .set({ status: 'cancelled', outcome: conversation?.closed_at === null ? 'superseded' : 'conversation_closed', updated_at: sql<Date>`clock_timestamp()` })
          .where('id', '=', callback.id)
          .execute();
        return { outbox: [], released: false };
      }
      const settings = await this.settingsOf(callback.channel_id);
      const placed = await placeInLine(trx, callback.conversation_id, { kind: 'callback_due' }, settings?.settings.queueId);
      await trx.updateTable('voice_callbacks').set({ status: 'queued', updated_at: sql<Date>`clock_timestamp()` }).where('id', '=', callback.id).execute();
      return { outbox: placed.outbox, released: placed.released };
    });
    if (!done) return false;
    await this.ctx.router.apply({ outbox: done.outbox, timers: [], messageIds: [], reroute: true });
    return true;
  }

  /** One queued call-back whose conversation an agent holds: claimed as `dialing`, then called. */
  private async dialOne(): Promise<boolean> {
    const claimed = await this.ctx.db.kysely.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('voice_callbacks as cb')
        .innerJoin('conversations as c', 'c.id', 'cb.conversation_id')
        .selectAll('cb')
        .select(['c.assignee_id as assignee', 'c.status as conversationStatus', 'c.closed_at as closedAt', 'c.folio as folio'])
        .where('cb.status', '=', 'queued')
        .where((eb) => eb.or([eb('c.status', '=', 'assigned'), eb('c.closed_at', 'is not', null)]))
        .orderBy('cb.due_at')
        .limit(1)
        .forUpdate('cb')
        .skipLocked()
        .executeTakeFirst();
      if (!row) return null;
      if (row.closedAt !== null || row.assignee === null) {
        await trx.updateTable('voice_callbacks').set({ status: 'cancelled', outcome: 'conversation_closed', updated_at: sql<Date>`clock_timestamp()` }).where('id', '=', row.id).execute();
        return { callback: null };
      }
      const callback = await trx
        .updateTable('voice_callbacks')
        .set({ status: 'dialing', attempts: sql<number>`attempts + 1`, agent_id: row.assignee, last_call_sid: null, updated_at: sql<Date>`clock_timestamp()` })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { callback };
    });
    if (!claimed) return false;
    if (claimed.callback) await this.dial(claimed.callback);
    return true;
  }

  private async dial(callback: VoiceCallback): Promise<void> {
    const channel = await this.settingsOf(callback.channel_id);
    if (!channel) {
      await this.failAttempt(callback, 'failed', 15);
      return;
    }
    const urls = voiceUrlsFor(this.ctx, channel.loaded);
    try {
      const rest = this.options.restFor ? this.options.restFor(channel.loaded) : voiceRestFor(channel.loaded);
      // The call-back's id rides in the URLs: Twilio may answer or report before the call sid is stored here.
      const { callSid } = await rest.createCall({
        to: callback.phone,
        from: channel.settings.callerId,
        url: urls.path(`callback/answer?callback=${callback.id}`),
        statusCallback: urls.path(`callback/status?callback=${callback.id}`),
      });
      await this.ctx.db.kysely
        .updateTable('voice_callbacks')
        .set({ last_call_sid: callSid, updated_at: sql<Date>`clock_timestamp()` })
        .where('id', '=', callback.id)
        .where('last_call_sid', 'is', null)
        .execute();
      const calls = new PgCallStore(this.ctx.db.kysely);
      // The answer webhook may have stored the leg first (callback.webhooks.ts adopts it).
      if (!(await calls.get(callSid))) await calls.save(callbackLeg(callback, callSid, channel.settings.callerId)).catch(() => undefined);
    } catch (error) {
      const retryable = error instanceof VoiceRestError ? error.message : String(error);
      this.ctx.logger.warn({ callbackId: callback.id, err: retryable }, 'call-back: the call could not be placed');
      await this.failAttempt(callback, 'failed', channel.settings.callbackRetryMinutes, channel.settings.queueId);
    }
  }

  private async failAttempt(callback: VoiceCallback, outcome: string, retryMinutes: number, channelQueueId?: string): Promise<void> {
    await endUnansweredAttempt(this.ctx, { callbackId: callback.id, outcome, retryMinutes, channelQueueId, now: this.now() });
  }

  private async failStaleDials(): Promise<void> {
    const stale = await this.ctx.db.kysely
      .selectFrom('voice_callbacks')
      .selectAll()
      .where('status', '=', 'dialing')
      .where('last_call_sid', 'is', null)
      .where('updated_at', '<', new Date(this.now() - (this.options.staleDialMs ?? 120_000)))
      .limit(BATCH)
      .execute();
    for (const callback of stale) {
      const channel = await this.settingsOf(callback.channel_id);
      await this.failAttempt(callback, 'failed', channel?.settings.callbackRetryMinutes ?? 15, channel?.settings.queueId);
    }
  }

  private async settingsOf(channelId: string) {
    const loaded = await this.ctx.channels.get(channelId);
    const settings = loaded ? voiceSettingsOf(loaded) : null;
    return loaded && settings ? { loaded, settings } : null;
  }
}

/** The citizen's leg of a call-back, as the voice call store keeps it (kind `callback`, the conversation's). */
export function callbackLeg(callback: Pick<VoiceCallback, 'channel_id' | 'phone' | 'conversation_id'>, callSid: string, callerId: string): CallRecord {
  return { callSid, channelId: callback.channel_id, from: callerId, to: callback.phone, state: null, status: 'queued', outcome: null, events: [], conversationId: callback.conversation_id, kind: 'callback' };
}

export function startCallbackDialer(ctx: Ctx, options: Partial<CallbackDialerOptions> = {}): CallbackDialer {
  const dialer = new CallbackDialer(ctx, { intervalMs: 1_000, ...options });
  dialer.start();
  return dialer;
}
