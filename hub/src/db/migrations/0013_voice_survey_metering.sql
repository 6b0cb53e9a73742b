-- Voice bridge (issue 8 items 8 and 9): the post-call keypad survey and call usage facts.

-- The keypad survey stores its answers in the web survey's tables (0006) so the KPIs read phone
-- and web answers together; `call_sid` names the call whose survey wrote the row (NULL: the web
-- widget). The phone survey writes answer by answer: a caller who hangs up after two questions
-- still counts, and only the call that created the row may complete it.
ALTER TABLE survey_responses ADD COLUMN call_sid text CHECK (call_sid IS NULL OR call_sid ~ '^CA[0-9a-f]{32}$');

-- Usage facts of one call leg (issue 8 item 9), derived only from its `call.*` events
-- (voice/metering/call-usage.compute.ts) and replaced as a whole when recomputed. `quantity` is
-- whole seconds (each segment's exact span floored) or a count of messages; `duration_ms` keeps
-- the exact span so billing can sum fractions before flooring to minutes (seed-digest §5.3).
CREATE TABLE voice_usage_facts (
  call_sid         text NOT NULL REFERENCES voice_calls(call_sid) ON DELETE CASCADE,
  seq              integer NOT NULL CHECK (seq >= 1),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  conversation_id  uuid REFERENCES conversations(id),
  folio            text,
  call_kind        text NOT NULL,
  concept          text NOT NULL CHECK (concept IN ('ivr_seconds','queue_seconds','talk_seconds','hold_seconds','voicemail_seconds','voicemail','survey_seconds','blaster_message')),
  unit             text NOT NULL CHECK (unit IN ('second','message')),
  quantity         integer NOT NULL CHECK (quantity >= 0),
  duration_ms      bigint NOT NULL CHECK (duration_ms >= 0),
  agent_id         uuid,
  seat_type        text CHECK (seat_type IN ('PS-I','PS-P')),
  started_at       timestamptz(3) NOT NULL,
  ended_at         timestamptz(3) NOT NULL,
  detail           jsonb NOT NULL DEFAULT '{}'::jsonb,
  computed_at      timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (call_sid, seq)
);
CREATE INDEX voice_usage_facts_campaign_idx ON voice_usage_facts (campaign_id, started_at);

-- One row per metered leg: our span against Twilio's CallDuration. `event_count` is
-- voice_calls.event_count when metered: a leg whose events grew since (a recording or status
-- callback after the end) is metered again by the loop.
CREATE TABLE voice_call_usage (
  call_sid            text PRIMARY KEY REFERENCES voice_calls(call_sid) ON DELETE CASCADE,
  campaign_id         uuid NOT NULL REFERENCES campaigns(id),
  conversation_id     uuid REFERENCES conversations(id),
  folio               text,
  call_kind           text NOT NULL,
  started_at          timestamptz(3) NOT NULL,
  ended_at            timestamptz(3) NOT NULL,
  our_ms              bigint NOT NULL,
  our_seconds         integer NOT NULL,
  concept_seconds     integer NOT NULL,
  twilio_seconds      integer,
  difference_seconds  integer,
  mismatch            boolean NOT NULL DEFAULT false,
  event_count         integer NOT NULL,
  computed_at         timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX voice_call_usage_campaign_idx ON voice_call_usage (campaign_id, started_at);
CREATE INDEX voice_call_usage_mismatch_idx ON voice_call_usage (campaign_id) WHERE mismatch;
-- The metering loop looks for ended legs without (current) usage.
CREATE INDEX voice_calls_ended_idx ON voice_calls (ended_at) WHERE ended_at IS NOT NULL;
