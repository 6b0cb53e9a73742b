-- Tier-0 bots (issue 7; seed-digest §4, §5.4): versioned models per campaign, a session per
-- conversation the bot serves, every turn (the trainers' inbox of unmatched utterances), one
-- outcome per bot interaction (the usage fact billing weighs 100/30/0/30 %), wrong-answer flags.

-- A campaign's bot model: what trainers edit (intents, phrases, answers, entities, flows — the
-- JSON of bots/src/model.schema.ts) and, once trained, NLP.js's export. Versions are never
-- edited after training: a trained draft is promoted to production; rollback promotes an older
-- version again. At most one production version per campaign.
CREATE TABLE bot_models (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id   uuid NOT NULL REFERENCES campaigns(id),
  version       integer NOT NULL CHECK (version >= 1),
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','production','archived')),
  model         jsonb NOT NULL,
  -- NLP.js's own export of the trained model (null until trained; cleared when the draft changes).
  trained       text,
  -- { durationMs, accuracy, folds, perIntent: { name: { correct, total } }, trainedAt }
  training      jsonb,
  note          text CHECK (note IS NULL OR char_length(note) <= 500),
  created_by    uuid REFERENCES users(id),
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  updated_at    timestamptz(3) NOT NULL DEFAULT now(),
  promoted_at   timestamptz(3),
  promoted_by   uuid REFERENCES users(id),
  UNIQUE (campaign_id, version)
);
CREATE UNIQUE INDEX bot_models_one_production_idx ON bot_models (campaign_id) WHERE status = 'production';

-- One per time the bot took a conversation (a reopened conversation meets the bot again: a new
-- session): where it is in its flow, what it collected, how many times it did not understand.
-- Ended when the bot resolves, hands off or the citizen leaves.
CREATE TABLE bot_sessions (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  model_id         uuid NOT NULL REFERENCES bot_models(id),
  state            jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The summary handed to the agent (intent, collected data, last utterances), set at handoff.
  summary          jsonb,
  started_at       timestamptz(3) NOT NULL DEFAULT now(),
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  ended_at         timestamptz(3)
);
CREATE UNIQUE INDEX bot_sessions_one_open_idx ON bot_sessions (conversation_id) WHERE ended_at IS NULL;
CREATE INDEX bot_sessions_open_idx ON bot_sessions (updated_at) WHERE ended_at IS NULL;

-- Every citizen utterance the bot answered, with what NLU made of it. `answered_by`: intent,
-- flow (a step consumed it), kb (an article answered), fallback (nothing did), handoff.
CREATE TABLE bot_turns (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id       uuid NOT NULL REFERENCES bot_sessions(id),
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  model_id         uuid NOT NULL REFERENCES bot_models(id),
  message_id       uuid REFERENCES messages(id),
  utterance        text NOT NULL CHECK (char_length(utterance) <= 4000),
  language         text NOT NULL DEFAULT 'es' CHECK (language IN ('es','en')),
  intent           text,
  score            real NOT NULL DEFAULT 0,
  entities         jsonb NOT NULL DEFAULT '[]'::jsonb,
  answered_by      text NOT NULL CHECK (answered_by IN ('intent','flow','kb','fallback','handoff')),
  kb_article_id    uuid REFERENCES kb_articles(id),
  -- The trainers' inbox: unmatched and low-confidence turns until someone adds them to an
  -- intent or dismisses them.
  review           text NOT NULL DEFAULT 'none' CHECK (review IN ('none','pending','added','dismissed')),
  reviewed_by      uuid REFERENCES users(id),
  reviewed_at      timestamptz(3),
  created_at       timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);
CREATE UNIQUE INDEX bot_turns_message_idx ON bot_turns (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX bot_turns_review_idx ON bot_turns (campaign_id, created_at DESC) WHERE review = 'pending';
CREATE INDEX bot_turns_intent_idx ON bot_turns (campaign_id, intent, created_at);

-- The outcome of one bot interaction (a bot session), the usage fact of
-- seed-digest §5.4: resolved 100 %, handed to a human 30 %, wrong answer 0 %, cut off 30 %.
-- A later flag (trainer or negative survey) turns an outcome into `wrong` by a new row that
-- supersedes it (append-only: `superseded_by`), so billing can be recomputed as of any date.
CREATE TABLE bot_outcomes (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id       uuid NOT NULL REFERENCES bot_sessions(id),
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  channel_id       uuid NOT NULL REFERENCES channels(id),
  model_id         uuid NOT NULL REFERENCES bot_models(id),
  intent           text,
  outcome          text NOT NULL CHECK (outcome IN ('resolved','handed_off','wrong','cut_off')),
  weight_pct       smallint NOT NULL CHECK (weight_pct BETWEEN 0 AND 100),
  reason           text CHECK (reason IS NULL OR char_length(reason) <= 500),
  -- The turn a trainer flagged as a wrong answer (null for other outcomes and survey flags).
  turn_id          uuid REFERENCES bot_turns(id),
  decided_by       uuid REFERENCES users(id),
  superseded_by    uuid REFERENCES bot_outcomes(id),
  decided_at       timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);
CREATE UNIQUE INDEX bot_outcomes_current_idx ON bot_outcomes (session_id) WHERE superseded_by IS NULL;
CREATE INDEX bot_outcomes_campaign_idx ON bot_outcomes (campaign_id, decided_at);

-- A bot summary is a note written by the bot, not by a user.
ALTER TABLE conversation_notes ALTER COLUMN author_id DROP NOT NULL;
ALTER TABLE conversation_notes ADD COLUMN author_type text NOT NULL DEFAULT 'agent' CHECK (author_type IN ('agent','bot'));
ALTER TABLE conversation_notes ADD CONSTRAINT conversation_notes_author_chk CHECK ((author_type = 'agent') = (author_id IS NOT NULL));

-- A channel whose settings say `"bot": {"enabled": true}` in a campaign with a production model
-- gives its new conversations to the bot first (status `bot`, not `queued`): decided here, in the
-- same statement that opens the conversation, so the router can never take it first.
CREATE FUNCTION bot_takes_conversation(p_channel uuid, p_campaign uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM channels ch
     WHERE ch.id = p_channel AND coalesce((ch.settings->'bot'->>'enabled')::boolean, false)
       AND EXISTS (SELECT 1 FROM bot_models m WHERE m.campaign_id = p_campaign AND m.status = 'production'))
$$;

CREATE FUNCTION conversations_bot_first() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status = 'queued' AND NEW.queue_id IS NULL AND bot_takes_conversation(NEW.channel_id, NEW.campaign_id) THEN
      NEW.status := 'bot';
    END IF;
  ELSIF OLD.closed_at IS NOT NULL AND NEW.closed_at IS NULL AND NEW.status = 'queued' AND NEW.queue_id IS NULL
        AND bot_takes_conversation(NEW.channel_id, NEW.campaign_id) THEN
    -- A citizen writing again to a closed conversation (reopened by the ingest) meets the bot again.
    NEW.status := 'bot';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER conversations_bot_first BEFORE INSERT OR UPDATE OF status, closed_at ON conversations
  FOR EACH ROW EXECUTE FUNCTION conversations_bot_first();
