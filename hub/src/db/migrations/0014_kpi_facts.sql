-- KPI facts (issue 9 item 1), derived only from interaction_events by hub/src/kpi/facts/.
-- Append-only source → every row here can be deleted and rebuilt (recomputeFacts gives the same rows).

-- One row per conversation / call contact. Times are the events' occurred_at; durations in ms.
CREATE TABLE kpi_contact_facts (
  conversation_id        uuid PRIMARY KEY,
  campaign_id            uuid NOT NULL,
  channel_id             uuid,
  channel_kind           text,
  channel_class          text,
  folio                  text,
  queue_id               uuid,
  received_at            timestamptz(3),
  offered_at             timestamptz(3),
  answered_at            timestamptz(3),
  answer_wait_ms         bigint CHECK (answer_wait_ms >= 0),
  abandoned_at           timestamptz(3),
  abandon_wait_ms        bigint CHECK (abandon_wait_ms >= 0),
  first_response_at      timestamptz(3),
  resolved_at            timestamptz(3),
  talk_ms                bigint NOT NULL DEFAULT 0 CHECK (talk_ms >= 0),
  hold_ms                bigint NOT NULL DEFAULT 0 CHECK (hold_ms >= 0),
  acw_ms                 bigint NOT NULL DEFAULT 0 CHECK (acw_ms >= 0),
  transfers              integer NOT NULL DEFAULT 0 CHECK (transfers >= 0),
  tier2_transferred      boolean NOT NULL DEFAULT false,
  tier2_reason           text,
  survey_offered         boolean NOT NULL DEFAULT false,
  survey_answered        boolean NOT NULL DEFAULT false,
  first_agent_id         text,
  agent_ids              text[] NOT NULL DEFAULT '{}',
  updated_from_event_id  bigint NOT NULL
);
CREATE INDEX kpi_contact_facts_received_idx ON kpi_contact_facts (campaign_id, received_at);
CREATE INDEX kpi_contact_facts_folio_idx ON kpi_contact_facts (campaign_id, folio);

-- One row per agent.state_changed event (events are written once per campaign of the agent):
-- the state holds from that event until the agent's next state event in the same campaign.
CREATE TABLE kpi_agent_intervals (
  start_event_id  bigint PRIMARY KEY,
  campaign_id     uuid NOT NULL,
  agent_id        text NOT NULL,
  state           text NOT NULL,
  reason          text,
  started_at      timestamptz(3) NOT NULL,
  ended_at        timestamptz(3),
  end_event_id    bigint
);
CREATE INDEX kpi_agent_intervals_agent_idx ON kpi_agent_intervals (campaign_id, agent_id, start_event_id);
CREATE INDEX kpi_agent_intervals_time_idx ON kpi_agent_intervals (campaign_id, started_at);

-- Where the listener stopped (name 'all', or 'campaign:<uuid>' for a one-campaign listener).
-- Ids are handed out before commit, so a missing id may still be in flight: the cursor waits
-- at the first gap (gap_event_id, first seen at gap_seen_at) until it fills or a grace period
-- passes (a rolled-back insert leaves a permanent gap). Events after a gap are still applied.
CREATE TABLE kpi_cursor (
  name           text PRIMARY KEY,
  last_event_id  bigint NOT NULL DEFAULT 0,
  gap_event_id   bigint,
  gap_seen_at    timestamptz(3),
  updated_at     timestamptz(3) NOT NULL DEFAULT now()
);
