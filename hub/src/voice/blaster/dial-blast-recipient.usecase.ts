import { sql, type Kysely } from 'kysely';
import { VoiceRestError, type VoiceRest } from '@ventanilla/connectors';
import type { VoiceWebhookUrls } from '@ventanilla/voice-bridge';
import type { LoadedChannel } from '../../channels/channel-store.js';
import type { Database, VoiceBlast } from '../../db/schema.js';
import { msUntilWindow } from './calling-window.js';

export interface DialDeps {
  db: Kysely<Database>;
  channels: { get(id: string): Promise<LoadedChannel | null> };
  /** The channel's Twilio REST port and webhook URLs; null when it is not an enabled voice channel with a token. */
  voice(loaded: LoadedChannel): { rest: VoiceRest; urls: VoiceWebhookUrls; callerId: string } | null;
  now?: () => Date;
}

export type DialOutcome =
  | { kind: 'idle' }
  | { kind: 'skipped' }
  | { kind: 'dialed'; callSid: string }
  | { kind: 'failed' }
  | { kind: 'full' }
  | { kind: 'outside_window'; retryInMs: number }
  | { kind: 'early'; retryInMs: number }
  | { kind: 'channel_error'; reason: string };

/** A leg that never got a final status callback stops counting against max simultaneous after this. */
const STALE_CALL_MINUTES = 30;
/** Twilio's ring time for a blaster call before it is a no-answer. */
const RING_SECONDS = 30;
const DNC_REASON = 'el número pidió no recibir más llamadas de esta campaña / the number asked not to be called again by this campaign';

/**
 * One call of a running blast, in one transaction: the blast row is locked (dials of one blast
 * are serialized across processes, so the simultaneous-call cap holds), the calling window and
 * the cap are checked, the next due pending recipient is claimed (`FOR UPDATE SKIP LOCKED`),
 * skipped if it asked not to be called since the upload, called through the channel's Twilio
 * account with answering-machine detection, and stored with a `voice_calls` row (kind blaster).
 * Webhooks of the new call lock the recipient row, so they wait for this commit.
 */
export async function dialNextRecipient(deps: DialDeps, blastId: string): Promise<DialOutcome> {
  const now = deps.now?.() ?? new Date();
  return deps.db.transaction().execute(async (trx) => {
    const blast: VoiceBlast | undefined = await trx.selectFrom('voice_blasts').selectAll().where('id', '=', blastId).where('status', '=', 'running').forUpdate().executeTakeFirst();
    if (!blast) return { kind: 'idle' as const };
    const window = blast.window_start_minute === null || blast.window_end_minute === null ? null : { startMinute: blast.window_start_minute, endMinute: blast.window_end_minute };
    const wait = msUntilWindow(window, now);
    if (wait > 0) return { kind: 'outside_window' as const, retryInMs: wait };
    const live = await sql<{ n: string }>`
      SELECT count(*) AS n FROM voice_blast_recipients
      WHERE blast_id = ${blastId} AND in_call AND call_started_at > now() - make_interval(mins => ${STALE_CALL_MINUTES})`.execute(trx);
    if (Number(live.rows[0]?.n ?? 0) >= blast.max_concurrent) return { kind: 'full' as const };
    const claimed = await sql<{ id: string; phone: string; attempts: number }>`
      SELECT id, phone, attempts FROM voice_blast_recipients
      WHERE blast_id = ${blastId} AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= now())
      ORDER BY next_attempt_at NULLS FIRST, line, id
      LIMIT 1 FOR UPDATE SKIP LOCKED`.execute(trx);
    const row = claimed.rows[0];
    if (!row) return { kind: 'idle' as const };

    const dnc = await trx.selectFrom('voice_do_not_call').select('phone').where('campaign_id', '=', blast.campaign_id).where('phone', '=', row.phone).executeTakeFirst();
    if (dnc) {
      await trx.updateTable('voice_blast_recipients').set({ status: 'opted_out', last_error: DNC_REASON, updated_at: sql`now()` }).where('id', '=', row.id).execute();
      return { kind: 'skipped' as const };
    }
    const loaded = await deps.channels.get(blast.channel_id);
    const voice = loaded ? deps.voice(loaded) : null;
    if (!loaded || !voice) return { kind: 'channel_error' as const, reason: 'the channel is not an enabled voice channel with settings and an auth token' };

    // The pace, checked on the locked blast row right before the call (the Redis slots space the
    // lanes, but the time between a slot and the request varies): never two calls closer than 60/rate s.
    const paced = await sql<{ id: string; last_dial_at: Date }>`
      UPDATE voice_blasts SET last_dial_at = clock_timestamp()
      WHERE id = ${blastId} AND (last_dial_at IS NULL OR last_dial_at <= clock_timestamp() - make_interval(secs => 60.0 / calls_per_minute))
      RETURNING id, last_dial_at`.execute(trx);
    if (paced.rows.length === 0) {
      const wait = await sql<{ ms: number }>`
        SELECT greatest(1, ceil(extract(epoch FROM last_dial_at + make_interval(secs => 60.0 / calls_per_minute) - clock_timestamp()) * 1000))::int AS ms
        FROM voice_blasts WHERE id = ${blastId}`.execute(trx);
      return { kind: 'early' as const, retryInMs: wait.rows[0]?.ms ?? 100 };
    }
    // When the pace let this call go: the recipient's call_started_at (the pace is auditable there).
    const dialAt = paced.rows[0]?.last_dial_at ?? new Date();
    const r = encodeURIComponent(row.id);
    let callSid: string;
    try {
      ({ callSid } = await voice.rest.createCall({
        to: row.phone,
        from: voice.callerId,
        url: voice.urls.path(`blaster/answer?r=${r}`),
        statusCallback: voice.urls.path(`blaster/status?r=${r}`),
        timeoutSeconds: RING_SECONDS,
        machineDetection: true,
      }));
    } catch (error) {
      // Rate limits, 5xx and network errors are the channel's: the row stays pending, the blast backs off.
      if (!(error instanceof VoiceRestError) || error.retryable) return { kind: 'channel_error' as const, reason: error instanceof Error ? error.message : String(error) };
      await trx
        .updateTable('voice_blast_recipients')
        .set({ status: 'failed', attempts: row.attempts + 1, last_error: `Twilio rechazó la llamada / Twilio refused the call: ${error.message}`, updated_at: sql`now()` })
        .where('id', '=', row.id)
        .execute();
      return { kind: 'failed' as const };
    }
    await trx
      .updateTable('voice_blast_recipients')
      .set({ status: 'calling', attempts: row.attempts + 1, call_sid: callSid, in_call: true, call_started_at: dialAt, next_attempt_at: null, digits: null, updated_at: sql`now()` })
      .where('id', '=', row.id)
      .execute();
    await trx
      .insertInto('voice_calls')
      .values({
        call_sid: callSid,
        channel_id: blast.channel_id,
        campaign_id: blast.campaign_id,
        kind: 'blaster',
        direction: 'outbound',
        from_number: voice.callerId,
        to_number: row.phone,
        status: 'queued',
        ivr_state: JSON.stringify(null),
        outcome: JSON.stringify(null),
        started_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('call_sid').doNothing())
      .execute();
    return { kind: 'dialed' as const, callSid };
  });
}
