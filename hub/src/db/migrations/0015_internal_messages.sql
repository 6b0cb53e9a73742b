-- Agent ↔ supervisor internal messages (issue 9 item 6, seed-digest §1.10): an IM channel
-- separate from the citizen chat. Every message belongs to one campaign (nobody writes across
-- campaigns) and is kept for download by the campaign's supervisors and admins.
CREATE TABLE internal_messages (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id   uuid NOT NULL REFERENCES campaigns(id),
  from_user_id  uuid NOT NULL REFERENCES users(id),
  to_user_id    uuid NOT NULL REFERENCES users(id),
  body          text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
  created_at    timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  read_at       timestamptz(3),
  CHECK (from_user_id <> to_user_id)
);

-- A thread is the pair of users, whichever wrote.
CREATE INDEX internal_messages_pair_idx ON internal_messages (LEAST(from_user_id, to_user_id), GREATEST(from_user_id, to_user_id), created_at DESC);
CREATE INDEX internal_messages_unread_idx ON internal_messages (to_user_id) WHERE read_at IS NULL;
CREATE INDEX internal_messages_campaign_idx ON internal_messages (campaign_id, created_at);
