import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';

/** Whether every acknowledged webhook became exactly one stored message. */
export interface StoredOnceCheck {
  acked: number;
  /** Rows and distinct provider ids (wamids) stored for the phase. */
  rows: number;
  distinctIds: number;
  /** Acknowledged (200) but never stored: a lost message. */
  lostAfterAck: number;
  /** Stored more than once: rows − distinct ids. */
  duplicates: number;
  /** From the end of the load until the last row was stored (or the wait gave up). */
  drainSeconds: number;
  complete: boolean;
}

/**
 * Waits until the worker has stored every acknowledged message of a phase (or stops making
 * progress for `stallMs`), then compares the stored wamids with the acknowledged indexes.
 */
export async function checkStoredOnce(input: {
  verify: pg.Pool;
  channelId: string;
  wamidPrefix: string;
  /** performance.now() of each request's ack, NaN when it was not acknowledged. */
  ackAt: ArrayLike<number>;
  stallMs?: number;
}): Promise<StoredOnceCheck> {
  const { verify, channelId, wamidPrefix } = input;
  const acked = Array.from(input.ackAt).filter((t) => Number.isFinite(t)).length;
  const t0 = performance.now();
  const count = async () =>
    (await verify.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE channel_id = $1 AND provider_message_id LIKE $2', [channelId, `${wamidPrefix}%`])).rows[0]?.n ?? 0;
  let last = -1;
  let lastProgress = performance.now();
  for (;;) {
    const n = await count();
    if (n >= acked) break;
    if (n !== last) {
      last = n;
      lastProgress = performance.now();
    } else if (performance.now() - lastProgress > (input.stallMs ?? 20_000)) break;
    await sleep(100);
  }
  const drainSeconds = (performance.now() - t0) / 1000;
  const rows = await verify.query<{ id: string }>('SELECT provider_message_id AS id FROM messages WHERE channel_id = $1 AND provider_message_id LIKE $2', [channelId, `${wamidPrefix}%`]);
  const seen = new Set<number>();
  for (const row of rows.rows) seen.add(Number(row.id.slice(wamidPrefix.length)));
  let lostAfterAck = 0;
  for (let i = 0; i < input.ackAt.length; i++) if (Number.isFinite(input.ackAt[i] ?? NaN) && !seen.has(i)) lostAfterAck++;
  return {
    acked,
    rows: rows.rows.length,
    distinctIds: seen.size,
    lostAfterAck,
    duplicates: rows.rows.length - seen.size,
    drainSeconds,
    complete: lostAfterAck === 0 && rows.rows.length >= acked,
  };
}
