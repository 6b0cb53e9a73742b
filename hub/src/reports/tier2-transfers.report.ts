import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Bucket } from '../kpi/formulas/intervals.js';
import type { MeasuringRules } from '../kpi/measuring-rules.js';
import { col, type ReportRow, type ReportTable, standardNotes } from './report-table.js';

/**
 * Second-level transfers with their reasons (seed-digest §7.2 "Daily": "Second-level transfers with
 * reasons"): one row per contact the KPI facts mark `tier2_transferred`, with the time, the agent
 * and the queue of the transfer read from the contact's first tier-2 transfer event, and the
 * count per reason.
 */
export interface Tier2Transfer {
  readonly conversationId: string;
  readonly folio: string | null;
  readonly receivedAt: Date | null;
  readonly transferredAt: Date | null;
  readonly fromAgentId: string | null;
  readonly queueId: string | null;
  readonly channelKind: string | null;
  readonly reason: string | null;
}

export const NO_REASON = '(sin motivo registrado)';

export const TIER2_DETAIL_COLUMNS = [
  col('folio', 'text', 'Folio', 'Folio'),
  col('transferred_at', 'datetime', 'Fecha y hora de la transferencia', 'Transferred at'),
  col('received_at', 'datetime', 'Recibido', 'Received at'),
  col('from_agent', 'text', 'Asesor que transfirió', 'From agent'),
  col('from_agent_id', 'text', 'Id del asesor', 'Agent id'),
  col('queue', 'text', 'Fila', 'Queue'),
  col('channel_kind', 'text', 'Canal', 'Channel'),
  col('reason', 'text', 'Motivo', 'Reason'),
] as const;

export const TIER2_REASON_COLUMNS = [col('reason', 'text', 'Motivo', 'Reason'), col('count', 'integer', 'Transferencias', 'Transfers'), col('percent', 'percent', '% del total', '% of total')] as const;

/** Pure: transfers → the detail table and the count per reason (most frequent first). */
export function buildTier2Tables(transfers: readonly Tier2Transfer[], names: { queues: ReadonlyMap<string, string>; agents: ReadonlyMap<string, string> }, settings: MeasuringRules, period: string, generatedAt: Date): ReportTable[] {
  const detail: ReportRow[] = transfers.map((t) => ({
    folio: t.folio ?? '',
    transferred_at: (t.transferredAt ?? t.receivedAt)?.toISOString() ?? null,
    received_at: t.receivedAt?.toISOString() ?? null,
    from_agent: t.fromAgentId === null ? '' : (names.agents.get(t.fromAgentId) ?? t.fromAgentId),
    from_agent_id: t.fromAgentId ?? '',
    queue: t.queueId === null ? '' : (names.queues.get(t.queueId) ?? t.queueId),
    channel_kind: t.channelKind ?? '',
    reason: t.reason?.trim() || NO_REASON,
  }));
  const counts = new Map<string, number>();
  for (const row of detail) counts.set(String(row['reason']), (counts.get(String(row['reason'])) ?? 0) + 1);
  const total = detail.length;
  const byReason: ReportRow[] = [...counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b, 'es'))
    .map(([reason, count]) => ({ reason, count, percent: Math.round((count / total) * 10_000) / 100 }));
  if (total > 0) byReason.push({ reason: 'Total', count: total, percent: 100 });
  const notes = standardNotes({
    timeZone: settings.timeZone,
    generatedAt,
    extra: [
      { label_es: 'Periodo', label_en: 'Period', value: period },
      { label_es: 'Criterio', label_en: 'Rule', value: 'contactos recibidos en el periodo con transferencia a segundo nivel; cuenta la primera transferencia de cada contacto' },
    ],
  });
  return [
    { id: 'detail', title_es: 'Transferencias a segundo nivel', title_en: 'Tier-2 transfers', columns: TIER2_DETAIL_COLUMNS, rows: detail, notes },
    { id: 'by_reason', title_es: 'Transferencias a segundo nivel por motivo', title_en: 'Tier-2 transfers by reason', columns: TIER2_REASON_COLUMNS, rows: byReason, notes },
  ];
}

/** Contacts received in [from, to) whose facts say tier-2, with their first tier-2 transfer event. */
export async function loadTier2Transfers(db: Kysely<Database>, campaignId: string, span: Pick<Bucket, 'startMs' | 'endMs'>): Promise<Tier2Transfer[]> {
  const { rows } = await sql<{
    conversation_id: string;
    folio: string | null;
    received_at: Date | null;
    queue_id: string | null;
    channel_kind: string | null;
    tier2_reason: string | null;
    first_agent_id: string | null;
    transferred_at: Date | null;
    event_from_agent: string | null;
    event_queue: string | null;
  }>`
    SELECT f.conversation_id, f.folio, f.received_at, f.queue_id, f.channel_kind, f.tier2_reason, f.first_agent_id,
           ev.occurred_at AS transferred_at, ev.from_agent AS event_from_agent, ev.from_queue AS event_queue
      FROM kpi_contact_facts f
      LEFT JOIN LATERAL (
        SELECT e.occurred_at,
               coalesce(e.payload->>'fromAgentId', CASE WHEN e.actor_type = 'agent' THEN e.actor_id END) AS from_agent,
               e.payload->>'fromQueueId' AS from_queue
          FROM interaction_events e
         WHERE e.conversation_id = f.conversation_id
           AND ((e.type = 'conversation.transferred' AND e.payload->>'kind' = 'tier2')
             OR (e.type = 'call.transferred' AND e.payload->>'target' = 'tier2'))
         ORDER BY e.id LIMIT 1
      ) ev ON true
     WHERE f.campaign_id = ${campaignId}
       AND f.tier2_transferred
       AND f.received_at >= ${new Date(span.startMs)} AND f.received_at < ${new Date(span.endMs)}
     ORDER BY coalesce(ev.occurred_at, f.received_at), f.conversation_id`.execute(db);
  return rows.map((r) => ({
    conversationId: r.conversation_id,
    folio: r.folio,
    receivedAt: r.received_at,
    transferredAt: r.transferred_at,
    fromAgentId: r.event_from_agent ?? r.first_agent_id,
    queueId: r.event_queue ?? r.queue_id,
    channelKind: r.channel_kind,
    reason: r.tier2_reason,
  }));
}
