-- KPI series (issue 9 items 1–2): per-agent talk/hold segments, the contact of each fact (FCR),
-- and the indexes that make a day or a month of one campaign an index range scan.
-- Everything here is derived from interaction_events by hub/src/kpi/facts/ and can be rebuilt.

-- The citizen (contacts.id) of the conversation, when it opened, and whether it was reopened after
-- a resolution: first contact resolution (kpi/aggregates/README.md).
ALTER TABLE kpi_contact_facts
  ADD COLUMN contact_id  uuid,
  ADD COLUMN opened_at   timestamptz(3),
  ADD COLUMN reopened    boolean NOT NULL DEFAULT false,
  -- The first other conversation of the same citizen in the campaign opened after this one was
  -- resolved (kpi/facts/fact-store.ts refreshNextOpened keeps it): FCR becomes a per-row test.
  ADD COLUMN next_opened_at timestamptz(3);
CREATE INDEX kpi_contact_facts_contact_idx ON kpi_contact_facts (campaign_id, contact_id, opened_at) WHERE contact_id IS NOT NULL;

-- One row per closed talk or hold span of one agent on one contact (contact-fact.ts builds them
-- from the same events as talk_ms / hold_ms: per contact, Σ talk segments = talk_ms and
-- Σ hold segments = hold_ms). seq is the span's order inside the contact.
CREATE TABLE kpi_agent_segments (
  conversation_id  uuid NOT NULL,
  seq              integer NOT NULL,
  campaign_id      uuid NOT NULL,
  agent_id         text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('talk','hold')),
  channel_class    text NOT NULL CHECK (channel_class IN ('voice','text','email')),
  started_at       timestamptz(3) NOT NULL,
  ended_at         timestamptz(3) NOT NULL CHECK (ended_at >= started_at),
  PRIMARY KEY (conversation_id, seq)
);
CREATE INDEX kpi_agent_segments_time_idx ON kpi_agent_segments (campaign_id, started_at);
-- Spans overlapping a report period, whatever their length (an e-mail can stay assigned for days).
CREATE INDEX kpi_agent_segments_span_idx ON kpi_agent_segments USING gist (tstzrange(started_at, ended_at, '[)'));

-- Agent state intervals overlapping a period (an open interval runs to infinity).
CREATE INDEX kpi_agent_intervals_span_idx ON kpi_agent_intervals USING gist (tstzrange(started_at, COALESCE(ended_at, 'infinity'::timestamptz), '[)'));
