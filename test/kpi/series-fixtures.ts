import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../hub/src/db/schema.js';
import { refreshNextOpened } from '../../hub/src/kpi/facts/fact-store.js';

/**
 * Hand-written KPI facts for the series tests: the series reads only the fact tables, so each
 * test states the facts it needs (derivation from events is tested in kpi-facts.test.ts and by
 * the simulated day).
 */
export interface FactSpec {
  readonly queueId: string;
  readonly channelKind: 'voice' | 'webchat' | 'email';
  readonly receivedAtMs: number;
  readonly answeredAfterMs?: number;
  readonly abandonedAfterMs?: number;
  readonly firstResponseAfterMs?: number;
  readonly resolvedAtMs?: number;
  readonly talkMs?: number;
  readonly holdMs?: number;
  readonly acwMs?: number;
  readonly agentId?: string;
  readonly contactId?: string;
  readonly openedAtMs?: number;
  readonly tier2?: boolean;
  readonly survey?: boolean;
  readonly transfers?: number;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

export async function insertFacts(db: Kysely<Database>, campaignId: string, specs: readonly FactSpec[]): Promise<string[]> {
  const ids = specs.map(() => randomUUID());
  if (specs.length === 0) return ids;
  await db
    .insertInto('kpi_contact_facts')
    .values(
      specs.map((s, i) => ({
        conversation_id: ids[i] as string,
        campaign_id: campaignId,
        channel_kind: s.channelKind,
        channel_class: s.channelKind === 'voice' ? 'voice' : s.channelKind === 'email' ? 'email' : 'text',
        folio: `FX-${i}`,
        queue_id: s.queueId,
        received_at: iso(s.receivedAtMs),
        answered_at: iso(s.answeredAfterMs === undefined ? undefined : s.receivedAtMs + s.answeredAfterMs),
        answer_wait_ms: s.answeredAfterMs ?? null,
        abandoned_at: iso(s.abandonedAfterMs === undefined ? undefined : s.receivedAtMs + s.abandonedAfterMs),
        abandon_wait_ms: s.abandonedAfterMs ?? null,
        first_response_at: iso(s.firstResponseAfterMs === undefined ? undefined : s.receivedAtMs + s.firstResponseAfterMs),
        resolved_at: iso(s.resolvedAtMs),
        talk_ms: s.talkMs ?? 0,
        hold_ms: s.holdMs ?? 0,
        acw_ms: s.acwMs ?? 0,
        transfers: s.transfers ?? (s.tier2 ? 1 : 0),
        tier2_transferred: s.tier2 ?? false,
        survey_offered: s.survey ?? false,
        survey_answered: s.survey ?? false,
        first_agent_id: s.agentId ?? null,
        agent_ids: s.agentId === undefined ? [] : [s.agentId],
        updated_from_event_id: 1,
        contact_id: s.contactId ?? randomUUID(),
        opened_at: iso(s.openedAtMs ?? s.receivedAtMs - 30_000),
      })),
    )
    .execute();
  // As the listener does after writing facts: the FCR next opening of these citizens' facts.
  await refreshNextOpened(db, ids);
  return ids;
}

let nextEventId = 9_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

/** Agent state intervals, each [start, end) (end null = still open). */
export async function insertIntervals(
  db: Kysely<Database>,
  campaignId: string,
  agentId: string,
  spans: readonly { state: string; startMs: number; endMs: number | null }[],
): Promise<void> {
  const ids = spans.map(() => (nextEventId += 1));
  await db
    .insertInto('kpi_agent_intervals')
    .values(
      spans.map((s, i) => ({
        start_event_id: ids[i] as number,
        campaign_id: campaignId,
        agent_id: agentId,
        state: s.state,
        reason: null,
        started_at: new Date(s.startMs).toISOString(),
        ended_at: s.endMs === null ? null : new Date(s.endMs).toISOString(),
        end_event_id: s.endMs === null ? null : (ids[i + 1] ?? (nextEventId += 1)),
      })),
    )
    .execute();
}

export async function insertSegments(
  db: Kysely<Database>,
  campaignId: string,
  agentId: string,
  spans: readonly { kind: 'talk' | 'hold'; channelClass: 'voice' | 'text' | 'email'; startMs: number; endMs: number }[],
): Promise<void> {
  await db
    .insertInto('kpi_agent_segments')
    .values(
      spans.map((s, i) => ({
        conversation_id: randomUUID(),
        seq: i,
        campaign_id: campaignId,
        agent_id: agentId,
        kind: s.kind,
        channel_class: s.channelClass,
        started_at: new Date(s.startMs).toISOString(),
        ended_at: new Date(s.endMs).toISOString(),
      })),
    )
    .execute();
}
