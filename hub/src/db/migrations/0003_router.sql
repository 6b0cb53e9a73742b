-- Skill-based router (issue 3): campaign routing settings, queue configuration, agent seats with
-- their load counters, offers, and the routing columns of a conversation.

-- Campaign-wide router settings (router/config/campaign-routing.schema.ts); '{}' = defaults.
ALTER TABLE campaigns ADD COLUMN routing jsonb NOT NULL DEFAULT '{}'::jsonb;

-- A queue's configuration (router/config/queue-config.schema.ts). Required skills stay in
-- queue_skills. tier 2 queues are served by PS-P seats (second level, seed-digest §3.6).
ALTER TABLE queues
  ADD COLUMN strategy         text NOT NULL DEFAULT 'longest_idle' CHECK (strategy IN ('longest_idle','least_busy','round_robin')),
  ADD COLUMN max_wait_seconds integer CHECK (max_wait_seconds BETWEEN 1 AND 86400),
  ADD COLUMN channel_classes  text[] NOT NULL DEFAULT ARRAY['text','voice','email']::text[]
                              CHECK (channel_classes <@ ARRAY['text','voice','email']::text[] AND cardinality(channel_classes) > 0),
  ADD COLUMN overflow         jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN after_hours      jsonb,
  ADD COLUMN tier             smallint NOT NULL DEFAULT 1 CHECK (tier IN (1, 2)),
  ADD COLUMN is_default       boolean NOT NULL DEFAULT false,
  ADD COLUMN updated_at       timestamptz(3) NOT NULL DEFAULT now();
-- At most one default queue per campaign: where new conversations land unless the channel names one.
CREATE UNIQUE INDEX queues_one_default_idx ON queues (campaign_id) WHERE is_default;

-- One seat per agent, whatever campaigns they serve (seed-digest §2.4: one agent, several
-- campaigns). load_* count the sessions held, offers included; cap_* are the effective
-- capacities (per-agent override, else the strictest default of the agent's campaigns),
-- materialised so a claim is one conditional UPDATE. A call takes the whole seat.
CREATE TABLE agent_seats (
  user_id           uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  state             text NOT NULL DEFAULT 'offline'
                    CHECK (state IN ('available','after_contact_work','lunch','training','coaching','personal','not_ready','offline')),
  state_since       timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  state_reason      text,
  seat_type         text NOT NULL DEFAULT 'PS-I' CHECK (seat_type IN ('PS-I','PS-P')),
  last_activity_at  timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  idle_since        timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  assigned_day      date,
  assigned_today    integer NOT NULL DEFAULT 0,
  load_text         integer NOT NULL DEFAULT 0 CHECK (load_text >= 0),
  load_voice        integer NOT NULL DEFAULT 0 CHECK (load_voice >= 0),
  load_email        integer NOT NULL DEFAULT 0 CHECK (load_email >= 0),
  cap_text          integer NOT NULL DEFAULT 4 CHECK (cap_text BETWEEN 0 AND 50),
  cap_voice         integer NOT NULL DEFAULT 1 CHECK (cap_voice BETWEEN 0 AND 1),
  cap_email         integer NOT NULL DEFAULT 10 CHECK (cap_email BETWEEN 0 AND 50),
  -- {"text":6} replaces only the classes given (agentCapacityOverrideSchema).
  capacity_override jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at        timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX agent_seats_available_idx ON agent_seats (state) WHERE state = 'available';

-- Routing state of a conversation.
ALTER TABLE conversations
  ADD COLUMN channel_class      text CHECK (channel_class IN ('text','voice','email')),
  -- When it entered the line (kept across overflow moves: the line order never resets).
  ADD COLUMN enqueued_at        timestamptz(3),
  -- When it entered its current queue: the overflow clock (reset by a move).
  ADD COLUMN queue_entered_at   timestamptz(3),
  ADD COLUMN overflow_steps     smallint NOT NULL DEFAULT 0,
  ADD COLUMN relaxed_levels     smallint NOT NULL DEFAULT 0 CHECK (relaxed_levels BETWEEN 0 AND 4),
  ADD COLUMN visited_queue_ids  uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN excluded_agent_ids uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN preferred_agent_id uuid,
  ADD COLUMN offer_id           uuid,
  ADD COLUMN seat_type          text CHECK (seat_type IN ('PS-I','PS-P')),
  ADD COLUMN after_hours        boolean NOT NULL DEFAULT false,
  ADD COLUMN treatment          jsonb;
CREATE INDEX conversations_waiting_idx ON conversations (priority, enqueued_at) WHERE status = 'queued';
CREATE INDEX conversations_intake_idx ON conversations (opened_at) WHERE status = 'queued' AND queue_id IS NULL;
-- Sticky routing looks up the contact's last served conversation.
CREATE INDEX conversations_contact_closed_idx ON conversations (contact_id, closed_at DESC) WHERE assignee_id IS NOT NULL;

-- One row per offer: who was offered what, when, and how it ended (KPIs: offered, RONA).
-- No foreign keys: offers are written only by router_claim, from conversation, seat and queue
-- rows it has just locked in the same transaction, and never re-pointed; checking four
-- references per offer cost 2.8 s of a 40,000-offer shift-start storm
-- (bench/reports/router-db-latest.md), as with interaction_events.
CREATE TABLE offers (
  id               uuid PRIMARY KEY,
  conversation_id  uuid NOT NULL,
  agent_id         uuid NOT NULL,
  campaign_id      uuid NOT NULL,
  queue_id         uuid,
  channel_class    text NOT NULL CHECK (channel_class IN ('text','voice','email')),
  reason           text NOT NULL,
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending','accepted','rejected','timed_out','cancelled')),
  created_at       timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  expires_at       timestamptz(3) NOT NULL,
  decided_at       timestamptz(3),
  -- When the session the offer opened ended (release, transfer away, abandon): capacity audit.
  ended_at         timestamptz(3),
  reject_reason    text
);
CREATE UNIQUE INDEX offers_one_pending_idx ON offers (conversation_id) WHERE status = 'pending';
CREATE INDEX offers_pending_expiry_idx ON offers (expires_at) WHERE status = 'pending';
CREATE INDEX offers_agent_idx ON offers (agent_id, created_at);

-- Router memory carried between passes (round-robin cursors).
CREATE TABLE router_state (
  key    text PRIMARY KEY,
  value  jsonb NOT NULL,
  updated_at timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);

-- Claims a batch of routing decisions: [{offerId, conversationId, agentId, queueId, channelClass,
-- reason, expiresAt, accepted}]. A decision is kept only if, at this instant, the conversation is
-- still queued in that queue and the agent is available with room for every session this batch
-- gives them (the capacity rule of router/core/agent-capacity.ts); the others are dropped and
-- routed again on the next pass. Callers serialise passes, but these conditions alone keep the
-- invariants against concurrent accepts, releases and state changes in other processes.
-- Writes the offers, the events (conversation.offered / conversation.assigned) and the realtime
-- outbox rows; returns {"claimed": [{offerId, conversationId, agentId}], "outbox": [{id, notification}]}.
CREATE FUNCTION router_claim(p_decisions jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  v_claimed jsonb;
  v_outbox  jsonb;
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS router_claim_d (
    offer_id uuid, conversation_id uuid, agent_id uuid, queue_id uuid, channel_class text,
    reason text, expires_at timestamptz(3), accepted boolean, granted boolean, ok boolean
  ) ON COMMIT DROP;
  TRUNCATE router_claim_d;
  INSERT INTO router_claim_d
    SELECT d."offerId", d."conversationId", d."agentId", d."queueId", d."channelClass", d.reason, d."expiresAt",
           coalesce(d.accepted, false), false, false
    FROM jsonb_to_recordset(p_decisions) AS d("offerId" uuid, "conversationId" uuid, "agentId" uuid, "queueId" uuid,
                                               "channelClass" text, reason text, "expiresAt" timestamptz, accepted boolean);

  -- Seats first, locked in id order so concurrent claimers never deadlock on each other.
  PERFORM 1 FROM agent_seats s WHERE s.user_id IN (SELECT d.agent_id FROM router_claim_d d) ORDER BY s.user_id FOR UPDATE;
  WITH per_agent AS (
    SELECT d.agent_id,
           count(*) FILTER (WHERE d.channel_class = 'text')  AS n_text,
           count(*) FILTER (WHERE d.channel_class = 'voice') AS n_voice,
           count(*) FILTER (WHERE d.channel_class = 'email') AS n_email
    FROM router_claim_d d GROUP BY d.agent_id
  ), granted AS (
    UPDATE agent_seats s
       SET load_text = s.load_text + p.n_text, load_voice = s.load_voice + p.n_voice, load_email = s.load_email + p.n_email,
           updated_at = clock_timestamp()
      FROM per_agent p
     WHERE s.user_id = p.agent_id
       AND s.state = 'available'
       AND (p.n_text = 0  OR (s.load_voice = 0 AND p.n_voice = 0 AND s.load_text + p.n_text <= s.cap_text))
       AND (p.n_email = 0 OR (s.load_voice = 0 AND p.n_voice = 0 AND s.load_email + p.n_email <= s.cap_email))
       AND (p.n_voice = 0 OR (p.n_voice = 1 AND p.n_text = 0 AND p.n_email = 0 AND s.load_voice = 0 AND s.load_text = 0 AND s.cap_voice >= 1))
    RETURNING s.user_id
  )
  UPDATE router_claim_d d SET granted = true FROM granted g WHERE d.agent_id = g.user_id;

  -- Then the conversations: still queued, in the queue the decision was made for.
  WITH taken AS (
    UPDATE conversations c
       SET status = CASE WHEN d.accepted THEN 'assigned' ELSE 'offered' END,
           assignee_id = d.agent_id, offer_id = d.offer_id, updated_at = clock_timestamp()
      FROM router_claim_d d
     WHERE d.granted AND c.id = d.conversation_id AND c.status = 'queued' AND c.queue_id = d.queue_id AND c.closed_at IS NULL
    RETURNING c.id
  )
  UPDATE router_claim_d d SET ok = true FROM taken t WHERE d.conversation_id = t.id AND d.granted;

  -- Give back the seats granted for conversations that were no longer queued.
  UPDATE agent_seats s
     SET load_text = s.load_text - l.n_text, load_voice = s.load_voice - l.n_voice, load_email = s.load_email - l.n_email
    FROM (SELECT d.agent_id,
                 count(*) FILTER (WHERE d.channel_class = 'text')  AS n_text,
                 count(*) FILTER (WHERE d.channel_class = 'voice') AS n_voice,
                 count(*) FILTER (WHERE d.channel_class = 'email') AS n_email
            FROM router_claim_d d WHERE d.granted AND NOT d.ok GROUP BY d.agent_id) l
   WHERE s.user_id = l.agent_id;

  UPDATE agent_seats s
     SET idle_since = clock_timestamp(),
         assigned_today = CASE WHEN s.assigned_day = current_date THEN s.assigned_today ELSE 0 END + k.n,
         assigned_day = current_date
    FROM (SELECT d.agent_id, count(*) AS n FROM router_claim_d d WHERE d.ok GROUP BY d.agent_id) k
   WHERE s.user_id = k.agent_id;

  INSERT INTO offers (id, conversation_id, agent_id, campaign_id, queue_id, channel_class, reason, status, expires_at, decided_at)
    SELECT d.offer_id, d.conversation_id, d.agent_id, c.campaign_id, d.queue_id, d.channel_class, d.reason,
           CASE WHEN d.accepted THEN 'accepted' ELSE 'pending' END, d.expires_at,
           CASE WHEN d.accepted THEN clock_timestamp() END
      FROM router_claim_d d JOIN conversations c ON c.id = d.conversation_id
     WHERE d.ok;

  -- Events (hub/src/domain/interaction-events.ts). An auto-accepted offer is offered and assigned at once.
  INSERT INTO interaction_events (type, campaign_id, conversation_id, contact_id, actor_type, actor_id, payload)
    SELECT e.type, c.campaign_id, c.id, c.contact_id, 'system', 'router', e.payload
      FROM router_claim_d d JOIN conversations c ON c.id = d.conversation_id
      CROSS JOIN LATERAL (VALUES
        (1, 'conversation.offered', jsonb_build_object('offerId', d.offer_id, 'agentId', d.agent_id, 'queueId', d.queue_id,
            'channelClass', d.channel_class, 'reason', d.reason, 'expiresAt', d.expires_at, 'autoAccepted', d.accepted), true),
        (2, 'conversation.assigned', jsonb_build_object('offerId', d.offer_id, 'agentId', d.agent_id, 'queueId', d.queue_id,
            'channelClass', d.channel_class, 'seatType', c.seat_type, 'via', 'auto_accept'), d.accepted)
      ) AS e(ord, type, payload, wanted)
     WHERE d.ok AND e.wanted
     ORDER BY d.conversation_id, e.ord;

  WITH ins AS (
    INSERT INTO outbox (topic, payload)
    SELECT 'realtime.conversation.offered',
           jsonb_build_object('event', 'conversation.offered',
             'rooms', jsonb_build_array('agent:' || d.agent_id, 'campaign:' || c.campaign_id),
             'data', jsonb_build_object('campaignId', c.campaign_id, 'conversationId', c.id, 'folio', c.folio,
               'offerId', d.offer_id, 'agentId', d.agent_id, 'queueId', d.queue_id, 'channelClass', d.channel_class,
               'expiresAt', to_char(d.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
               'autoAccepted', d.accepted))
      FROM router_claim_d d JOIN conversations c ON c.id = d.conversation_id
     WHERE d.ok
    RETURNING id, payload
  )
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', id::text, 'notification', payload) ORDER BY id), '[]'::jsonb) INTO v_outbox FROM ins;

  SELECT coalesce(jsonb_agg(jsonb_build_object('offerId', d.offer_id, 'conversationId', d.conversation_id, 'agentId', d.agent_id)), '[]'::jsonb)
    INTO v_claimed FROM router_claim_d d WHERE d.ok;
  RETURN jsonb_build_object('claimed', v_claimed, 'outbox', v_outbox);
END
$fn$;
