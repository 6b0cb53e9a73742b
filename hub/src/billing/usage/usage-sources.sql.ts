import { sql, type RawBuilder } from 'kysely';

/**
 * The SQL that derives one campaign-month of billing usage facts from their sources (README.md
 * says the rule of every meter). It is a list of CTEs ending in `facts`: one row per fact, with
 * the columns of billing_usage_facts that the source decides. derive-usage.ts upserts them.
 *
 * Every fact starts inside the month (its month is the local month of its start instant); time
 * spans that cross local midnight are cut with the day buckets computed by kpi/formulas/intervals.ts
 * (`monthSpan`), passed in as `days`, so no time-zone arithmetic is written twice.
 */
export interface UsageSqlParams {
  readonly campaignId: string;
  /** The campaign-local month [start, end) as instants. */
  readonly startIso: string;
  readonly endIso: string;
  /** least(now, month end): where an open agent interval is measured to. */
  readonly openEndIso: string;
  /** The month's local days: [{ day: 'YYYY-MM-DD', starts, ends }] (ISO instants). */
  readonly daysJson: string;
  readonly billableStates: readonly string[];
  readonly erroneousDispositions: readonly string[];
}

const UUID_RE = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** Exact milliseconds between two instants (timestamptz(3): no rounding happens). */
const ms = (from: RawBuilder<unknown>, to: RawBuilder<unknown>): RawBuilder<string> =>
  sql<string>`round(extract(epoch FROM (${to} - ${from})) * 1000)::bigint`;
const epochMs = (at: RawBuilder<unknown>): RawBuilder<string> => sql<string>`round(extract(epoch FROM ${at}) * 1000)::bigint`;
/** A text id as uuid, or NULL when it is not one (kpi tables keep agent ids as text). */
const asUuid = (text: RawBuilder<unknown>): RawBuilder<string | null> => sql<string | null>`(CASE WHEN ${text} ~ ${UUID_RE} THEN (${text})::uuid END)`;
/** The tier-2 transfer events of a conversation (kpi/facts/contact-fact.ts uses the same test). */
const tier2Event = (alias: string): RawBuilder<boolean> =>
  sql<boolean>`((${sql.ref(`${alias}.type`)} = 'conversation.transferred' AND ${sql.ref(`${alias}.payload`)}->>'kind' = 'tier2')
             OR (${sql.ref(`${alias}.type`)} = 'call.transferred' AND ${sql.ref(`${alias}.payload`)}->>'target' = 'tier2'))`;

/** `WITH … facts AS (…)`: the derived facts of the month (evidence_problem included). */
export function derivedFactsCtes(p: UsageSqlParams): RawBuilder<unknown> {
  const c = p.campaignId;
  const start = sql`${p.startIso}::timestamptz`;
  const end = sql`${p.endIso}::timestamptz`;
  const states = sql`${sql.val([...p.billableStates])}::text[]`;
  const erroneous = sql`${sql.val([...p.erroneousDispositions])}::text[]`;
  return sql`
WITH days AS (
  SELECT d.day::date AS day, d.starts::timestamptz AS starts, d.ends::timestamptz AS ends
    FROM jsonb_to_recordset(${p.daysJson}::jsonb) AS d(day text, starts text, ends text)
),
agent_iv AS (
  SELECT i.start_event_id, i.state, i.started_at, coalesce(i.ended_at, ${p.openEndIso}::timestamptz) AS ended_at,
         ${asUuid(sql`i.agent_id`)} AS agent_id,
         CASE WHEN e.payload->>'seatType' IN ('PS-I', 'PS-P') THEN e.payload->>'seatType' ELSE s.seat_type END AS seat_type,
         CASE WHEN s.cap_voice > 0 THEN 'voice' WHEN s.cap_text > 0 THEN 'text' WHEN s.cap_email > 0 THEN 'email' END AS channel_class
    FROM kpi_agent_intervals i
    LEFT JOIN interaction_events e ON e.id = i.start_event_id AND e.type = 'agent.state_changed'
    LEFT JOIN agent_seats s ON s.user_id = ${asUuid(sql`i.agent_id`)}
   WHERE i.campaign_id = ${c} AND i.state = ANY(${states})
     AND tstzrange(i.started_at, COALESCE(i.ended_at, 'infinity'::timestamptz), '[)') && tstzrange(${start}, ${end}, '[)')
),
agent_time AS (
  SELECT 'agent_time'::text AS meter, 'agent_time:' || a.start_event_id || ':' || to_char(d.day, 'YYYY-MM-DD') AS source_key, d.day AS local_day,
         greatest(a.started_at, d.starts) AS started_at, least(a.ended_at, d.ends) AS ended_at,
         ${ms(sql`greatest(a.started_at, d.starts)`, sql`least(a.ended_at, d.ends)`)} AS duration_ms, 0 AS quantity, 100 AS weight_pct,
         a.seat_type, CASE a.seat_type WHEN 'PS-P' THEN 2 WHEN 'PS-I' THEN 1 END AS tier, a.channel_class,
         NULL::text AS channel_kind, NULL::text AS direction, a.agent_id, NULL::uuid AS conversation_id, NULL::text AS folio,
         NULL::text AS call_sid, jsonb_build_object('state', a.state) AS detail
    FROM agent_iv a JOIN days d ON d.starts < a.ended_at AND d.ends > a.started_at
),
voice_month AS (
  SELECT v.call_sid, v.concept, v.started_at, v.ended_at, v.duration_ms::bigint AS duration_ms, v.quantity, v.agent_id, v.seat_type,
         v.conversation_id, v.folio, v.detail, vc.direction, d.day AS local_day
    FROM voice_usage_facts v
    JOIN days d ON v.started_at >= d.starts AND v.started_at < d.ends
    LEFT JOIN voice_calls vc ON vc.call_sid = v.call_sid
   WHERE v.campaign_id = ${c} AND v.started_at >= ${start} AND v.started_at < ${end}
),
spans AS (
  SELECT 'voice:' || v.call_sid || ':' || v.concept || ':' || coalesce(v.agent_id::text, '-') || ':' || ${epochMs(sql`v.started_at`)} AS key,
         v.concept AS kind, v.started_at, v.ended_at, v.duration_ms, v.local_day, v.seat_type, 'voice' AS channel_class, 'voice' AS channel_kind,
         v.direction, v.agent_id, v.conversation_id, v.folio, v.call_sid
    FROM voice_month v WHERE v.concept IN ('talk_seconds', 'hold_seconds')
  UNION ALL
  SELECT 'seg:' || g.conversation_id || ':' || g.kind || ':' || g.agent_id || ':' || ${epochMs(sql`g.started_at`)},
         g.kind, g.started_at, g.ended_at, ${ms(sql`g.started_at`, sql`g.ended_at`)}, d.day, s.seat_type, g.channel_class, ch.kind,
         NULL, ${asUuid(sql`g.agent_id`)}, g.conversation_id, cv.folio, NULL
    FROM kpi_agent_segments g
    JOIN days d ON g.started_at >= d.starts AND g.started_at < d.ends
    LEFT JOIN conversations cv ON cv.id = g.conversation_id
    LEFT JOIN channels ch ON ch.id = cv.channel_id
    LEFT JOIN agent_seats s ON s.user_id = ${asUuid(sql`g.agent_id`)}
   WHERE g.campaign_id = ${c} AND g.channel_class IN ('text', 'email') AND g.started_at >= ${start} AND g.started_at < ${end}
),
tier2 AS (
  SELECT sc.conversation_id, t.at
    FROM (SELECT DISTINCT conversation_id FROM spans WHERE conversation_id IS NOT NULL) sc
    CROSS JOIN LATERAL (SELECT min(e.occurred_at) AS at FROM interaction_events e WHERE e.conversation_id = sc.conversation_id AND ${tier2Event('e')}) t
   WHERE t.at IS NOT NULL
),
pieces AS (
  SELECT s.*, t.at AS transfer_at, p.tier, p.p_start, p.p_end
    FROM spans s
    LEFT JOIN tier2 t ON t.conversation_id = s.conversation_id
    CROSS JOIN LATERAL (VALUES
      (1, s.started_at, CASE WHEN t.at IS NULL THEN s.ended_at ELSE least(s.ended_at, t.at) END, t.at IS NULL OR s.started_at < t.at),
      (2, greatest(s.started_at, t.at), s.ended_at, t.at IS NOT NULL AND (s.ended_at > t.at OR s.started_at >= t.at))
    ) AS p(tier, p_start, p_end, ok)
   WHERE p.ok
),
interaction_time AS (
  SELECT 'interaction_time'::text AS meter, 'interaction_time:' || x.key || ':t' || x.tier AS source_key,
         CASE WHEN x.p_start = x.started_at THEN x.local_day ELSE (SELECT d.day FROM days d WHERE x.p_start >= d.starts AND x.p_start < d.ends) END AS local_day,
         x.p_start AS started_at, x.p_end AS ended_at,
         CASE
           WHEN x.p_start = x.started_at AND x.p_end = x.ended_at THEN x.duration_ms
           -- A talk span split at the transfer: its part of the span minus that agent's holds in it.
           WHEN x.kind = 'talk_seconds' THEN greatest(0, ${ms(sql`x.p_start`, sql`x.p_end`)} - coalesce((
             SELECT sum(greatest(0, ${ms(sql`greatest(h.started_at, x.p_start)`, sql`least(h.ended_at, x.p_end)`)}))
               FROM voice_usage_facts h
              WHERE h.call_sid = x.call_sid AND h.concept = 'hold_seconds' AND h.agent_id IS NOT DISTINCT FROM x.agent_id
                AND h.started_at < x.p_end AND h.ended_at > x.p_start), 0))
           ELSE ${ms(sql`x.p_start`, sql`x.p_end`)}
         END AS duration_ms,
         0 AS quantity, 100 AS weight_pct, x.seat_type, x.tier, x.channel_class, x.channel_kind, x.direction, x.agent_id,
         x.conversation_id, x.folio, x.call_sid,
         jsonb_build_object('kind', CASE WHEN x.kind IN ('hold', 'hold_seconds') THEN 'hold' ELSE 'talk' END)
           || CASE WHEN x.transfer_at IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('tier2TransferAt', to_char(x.transfer_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END AS detail
    FROM pieces x
),
voice_counted AS (
  SELECT CASE WHEN v.concept IN ('ivr_seconds', 'queue_seconds', 'survey_seconds') THEN 'ivr_time' ELSE v.concept END AS meter,
         CASE
           WHEN v.concept IN ('ivr_seconds', 'queue_seconds', 'survey_seconds') THEN 'ivr_time:' || v.call_sid || ':' || v.concept || ':' || ${epochMs(sql`v.started_at`)}
           WHEN v.concept = 'voicemail' THEN 'voicemail:' || v.call_sid || ':' || coalesce(v.detail->>'recordingSid', ${epochMs(sql`v.started_at`)}::text)
           ELSE 'blaster_message:' || v.call_sid || ':' || ${epochMs(sql`v.started_at`)}
         END AS source_key,
         v.local_day, v.started_at, v.ended_at,
         CASE WHEN v.concept IN ('ivr_seconds', 'queue_seconds', 'survey_seconds') THEN v.duration_ms ELSE 0 END AS duration_ms,
         CASE WHEN v.concept IN ('ivr_seconds', 'queue_seconds', 'survey_seconds') THEN 0 ELSE 1 END AS quantity, 100 AS weight_pct,
         NULL::text AS seat_type, NULL::int AS tier, 'voice' AS channel_class, 'voice' AS channel_kind, v.direction, v.agent_id,
         v.conversation_id, v.folio, v.call_sid, jsonb_build_object('concept', v.concept) AS detail
    FROM voice_month v
   WHERE v.concept IN ('ivr_seconds', 'queue_seconds', 'survey_seconds', 'blaster_message')
      OR (v.concept = 'voicemail' AND v.detail->>'outsideHours' = 'true')
),
messages_month AS (
  SELECT e.id, e.type, e.message_id, e.conversation_id, e.occurred_at, d.day AS local_day, cv.folio, ch.kind AS channel_kind,
         q.actor_id AS queued_by_agent
    FROM interaction_events e
    JOIN days d ON e.occurred_at >= d.starts AND e.occurred_at < d.ends
    JOIN conversations cv ON cv.id = e.conversation_id
    JOIN channels ch ON ch.id = cv.channel_id
    LEFT JOIN LATERAL (
      SELECT q.actor_id FROM interaction_events q
       WHERE e.type = 'message.sent' AND q.conversation_id = e.conversation_id AND q.type = 'message.queued'
         AND q.message_id = e.message_id AND q.actor_type = 'agent'
       ORDER BY q.id LIMIT 1) q ON true
   WHERE e.campaign_id = ${c} AND e.type IN ('message.sent', 'message.received') AND e.occurred_at >= ${start} AND e.occurred_at < ${end}
     AND e.message_id IS NOT NULL AND ch.kind IN ('email', 'sms')
     -- The first sent/received event of the message is the one counted (a provider callback may repeat it).
     AND NOT EXISTS (SELECT 1 FROM interaction_events r WHERE r.conversation_id = e.conversation_id AND r.type = e.type AND r.message_id = e.message_id AND r.id < e.id)
),
message_facts AS (
  SELECT CASE WHEN m.channel_kind = 'email' THEN 'email_outbound' WHEN m.type = 'message.sent' THEN 'sms_outbound' ELSE 'sms_inbound' END AS meter,
         CASE WHEN m.channel_kind = 'email' THEN 'email_outbound:' WHEN m.type = 'message.sent' THEN 'sms_outbound:' ELSE 'sms_inbound:' END || m.message_id AS source_key,
         m.local_day, m.occurred_at AS started_at, m.occurred_at AS ended_at, 0::bigint AS duration_ms, 1 AS quantity,
         CASE WHEN m.channel_kind <> 'email' THEN 100 WHEN o.outcome IN ('failed', 'erroneous') THEN 0 WHEN o.outcome = 'tier2' THEN 50 ELSE 100 END AS weight_pct,
         NULL::text AS seat_type, NULL::int AS tier, CASE WHEN m.channel_kind = 'email' THEN 'email' ELSE 'text' END AS channel_class, m.channel_kind,
         CASE WHEN m.type = 'message.sent' THEN 'outbound' ELSE 'inbound' END AS direction, ${asUuid(sql`m.queued_by_agent`)} AS agent_id,
         m.conversation_id, m.folio, NULL::text AS call_sid,
         jsonb_build_object('messageId', m.message_id) || CASE WHEN m.channel_kind = 'email' THEN jsonb_build_object('outcome', o.outcome) ELSE '{}'::jsonb END AS detail
    FROM messages_month m
    CROSS JOIN LATERAL (SELECT CASE
        WHEN m.channel_kind <> 'email' THEN NULL
        WHEN EXISTS (SELECT 1 FROM interaction_events f WHERE f.conversation_id = m.conversation_id AND f.type = 'message.failed' AND f.message_id = m.message_id) THEN 'failed'
        WHEN (SELECT ARRAY(SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(t.payload->'codes') = 'array' THEN t.payload->'codes' ELSE '[]'::jsonb END))
                FROM interaction_events t WHERE t.conversation_id = m.conversation_id AND t.type = 'conversation.tipified' ORDER BY t.id DESC LIMIT 1) && ${erroneous} THEN 'erroneous'
        WHEN EXISTS (SELECT 1 FROM interaction_events t2 WHERE t2.conversation_id = m.conversation_id AND ${tier2Event('t2')}) THEN 'tier2'
        ELSE 'resolved' END AS outcome) o
   -- E-mail: only what an agent or supervisor wrote (message.queued by an agent); acknowledgements and bot mail are not billed.
   WHERE m.channel_kind = 'sms' OR (m.type = 'message.sent' AND m.queued_by_agent IS NOT NULL)
),
bot_all AS (
  SELECT e.id, e.occurred_at, e.conversation_id, e.payload, e.payload->>'sessionId' AS session_id
    FROM (SELECT DISTINCT b.conversation_id FROM interaction_events b
           WHERE b.campaign_id = ${c} AND b.type = 'bot.outcome' AND b.occurred_at >= ${start} AND b.occurred_at < ${end} AND b.conversation_id IS NOT NULL) mc
    JOIN interaction_events e ON e.conversation_id = mc.conversation_id AND e.type = 'bot.outcome'
),
bot_current AS (
  SELECT DISTINCT ON (b.session_id) b.*, first.at AS first_at
    FROM bot_all b
    JOIN (SELECT session_id, min(occurred_at) AS at FROM bot_all GROUP BY session_id) first ON first.session_id = b.session_id
   WHERE first.at >= ${start} AND first.at < ${end}
     AND NOT EXISTS (SELECT 1 FROM bot_all x WHERE x.payload->>'supersedesId' = b.payload->>'outcomeId')
   ORDER BY b.session_id, b.id DESC
),
bot_facts AS (
  SELECT 'bot_event'::text AS meter, 'bot_event:' || b.session_id AS source_key, d.day AS local_day, b.first_at AS started_at,
         greatest(b.first_at, b.occurred_at) AS ended_at, 0::bigint AS duration_ms, 1 AS quantity,
         least(100, greatest(0, round(CASE WHEN jsonb_typeof(b.payload->'weightPct') = 'number' THEN (b.payload->>'weightPct')::numeric ELSE 0 END)))::int AS weight_pct,
         NULL::text AS seat_type, NULL::int AS tier, CASE WHEN ch.kind = 'voice' THEN 'voice' WHEN ch.kind = 'email' THEN 'email' WHEN ch.kind IS NULL THEN NULL ELSE 'text' END AS channel_class,
         ch.kind AS channel_kind, NULL::text AS direction, NULL::uuid AS agent_id, b.conversation_id, cv.folio, NULL::text AS call_sid,
         jsonb_build_object('outcomeId', b.payload->>'outcomeId', 'outcome', b.payload->>'outcome', 'supersedesId', b.payload->'supersedesId') AS detail
    FROM bot_current b
    JOIN days d ON b.first_at >= d.starts AND b.first_at < d.ends
    LEFT JOIN conversations cv ON cv.id = b.conversation_id
    LEFT JOIN channels ch ON ch.id = cv.channel_id
),
mass_facts AS (
  SELECT 'sms_mass_send'::text AS meter, 'sms_mass_send:' || r.id AS source_key, d.day AS local_day, r.delivered_at AS started_at, r.delivered_at AS ended_at,
         0::bigint AS duration_ms, 1 AS quantity, 100 AS weight_pct, NULL::text AS seat_type, NULL::int AS tier, 'text' AS channel_class, 'sms' AS channel_kind,
         'outbound' AS direction, NULL::uuid AS agent_id, NULL::uuid AS conversation_id, NULL::text AS folio, NULL::text AS call_sid,
         jsonb_build_object('massSmsId', m.id) AS detail
    FROM mass_sms m
    JOIN mass_sms_recipients r ON r.mass_sms_id = m.id
    JOIN days d ON r.delivered_at >= d.starts AND r.delivered_at < d.ends
   WHERE m.campaign_id = ${c} AND r.status = 'delivered' AND r.delivered_at >= ${start} AND r.delivered_at < ${end}
  UNION ALL
  SELECT 'email_mass_send', 'email_mass_send:' || m.id, d.day, m.completed_at, m.completed_at, 0, 1, 100, NULL, NULL, 'email', 'email', 'outbound',
         NULL, NULL, NULL, NULL, jsonb_build_object('mailingId', m.id)
    FROM mass_mailings m
    JOIN days d ON m.completed_at >= d.starts AND m.completed_at < d.ends
   WHERE m.campaign_id = ${c} AND m.status = 'completed' AND m.completed_at >= ${start} AND m.completed_at < ${end}
),
facts_pre AS (
  SELECT * FROM agent_time UNION ALL SELECT * FROM interaction_time UNION ALL SELECT * FROM voice_counted
  UNION ALL SELECT * FROM message_facts UNION ALL SELECT * FROM bot_facts UNION ALL SELECT * FROM mass_facts
),
-- Calls an agent talked on, on a channel that records (voice settings.recording, default true),
-- with no completed recording: their whole trace is excluded (seed-digest §5.6).
related_calls AS (
  SELECT f.call_sid FROM facts_pre f WHERE f.call_sid IS NOT NULL
  UNION
  SELECT vc2.call_sid FROM (SELECT DISTINCT f.conversation_id FROM facts_pre f WHERE f.conversation_id IS NOT NULL) fc
    JOIN voice_calls vc2 ON vc2.conversation_id = fc.conversation_id
),
missing AS (
  SELECT DISTINCT v.call_sid, v.conversation_id
    FROM related_calls rc
    JOIN voice_usage_facts v ON v.call_sid = rc.call_sid AND v.concept = 'talk_seconds'
    JOIN voice_calls vc ON vc.call_sid = v.call_sid
    JOIN channels ch ON ch.id = vc.channel_id
   WHERE coalesce(ch.settings->>'recording', 'true') <> 'false'
     AND NOT EXISTS (SELECT 1 FROM voice_recordings r WHERE r.conversation_id = v.conversation_id AND r.call_sid = v.call_sid AND r.status = 'completed')
     AND NOT EXISTS (SELECT 1 FROM interaction_events re WHERE re.type LIKE 'call.%' AND re.type = 'call.recording_ready' AND re.payload->>'callSid' = v.call_sid)
),
facts AS (
  SELECT f.*,
         CASE WHEN (f.call_sid IS NOT NULL AND f.call_sid IN (SELECT call_sid FROM missing))
                OR (f.conversation_id IS NOT NULL AND f.conversation_id IN (SELECT conversation_id FROM missing WHERE conversation_id IS NOT NULL))
              THEN 'missing_recording' END AS evidence_problem
    FROM facts_pre f
   -- A time piece of no length is no usage (a span that ends exactly at the transfer).
   WHERE f.meter NOT IN ('agent_time', 'interaction_time', 'ivr_time') OR f.duration_ms > 0
)`;
}
