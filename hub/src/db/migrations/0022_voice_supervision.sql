-- Voice supervision (issue 9 item 5): every supervisor leg dialled into a call's conference —
-- monitor (muted listener), whisper (coach of the agent's leg) or barge (full participant) — and,
-- after a takeover, the agent leg it became. The supervision session itself (who, why, audit) is
-- supervision_sessions (0018); this is the Twilio side: which call, which mode, joined and left when.
CREATE TABLE voice_supervisor_legs (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id   uuid NOT NULL REFERENCES conversations(id),
  supervisor_id     uuid NOT NULL REFERENCES users(id),
  channel_id        uuid NOT NULL REFERENCES channels(id),
  citizen_call_sid  text NOT NULL,
  call_sid          text UNIQUE CHECK (call_sid IS NULL OR call_sid ~ '^CA[0-9a-f]{32}$'),
  to_address        text NOT NULL,
  mode              text NOT NULL CHECK (mode IN ('monitor','whisper','barge')),
  -- The agent leg a whisper coaches (Twilio's CallSidToCoach); null in the other modes.
  coached_call_sid  text,
  state             text NOT NULL DEFAULT 'dialing' CHECK (state IN ('dialing','ringing','joined','taken_over','ended','failed')),
  end_reason        text,
  -- After a takeover: the voice_agent_legs row that now carries this call leg.
  agent_leg_id      uuid REFERENCES voice_agent_legs(id),
  created_at        timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  joined_at         timestamptz(3),
  ended_at          timestamptz(3),
  CHECK ((mode = 'whisper') = (coached_call_sid IS NOT NULL)),
  CHECK ((state IN ('taken_over','ended','failed')) = (ended_at IS NOT NULL))
);
-- One live leg per supervisor and call: a second join is refused by the database, in any process.
CREATE UNIQUE INDEX voice_supervisor_legs_one_live_idx ON voice_supervisor_legs (conversation_id, supervisor_id) WHERE ended_at IS NULL;
CREATE INDEX voice_supervisor_legs_conversation_idx ON voice_supervisor_legs (conversation_id);
