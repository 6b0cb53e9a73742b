-- Agent inbox (issue 4): private notes on a conversation, files agents upload, and the indexes
-- the inbox list needs (folio prefix search, queue filter).

-- Notes live in their own table, not in messages: the outbound path only ever reads messages,
-- so a note cannot reach the citizen by construction, whatever a client sends.
CREATE TABLE conversation_notes (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  author_id        uuid NOT NULL REFERENCES users(id),
  text             text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 4000),
  -- clock_timestamp: a note written right after a reply must sort after it in the timeline.
  created_at       timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX conversation_notes_conversation_idx ON conversation_notes (conversation_id, created_at);

-- Files uploaded to a conversation (bytes on disk under DATA_DIR, at storage_key). The id is
-- chosen by the hub before the bytes are written, so the path never depends on the row.
CREATE TABLE files (
  id               uuid PRIMARY KEY,
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  filename         text NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 255),
  mime_type        text NOT NULL CHECK (mime_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
  size             integer NOT NULL CHECK (size >= 0),
  sha256           text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key      text NOT NULL UNIQUE,
  uploaded_by      uuid REFERENCES users(id),
  created_at       timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX files_conversation_idx ON files (conversation_id, created_at);

-- Inbox search by folio prefix (LIKE 'DH-2026%') needs the pattern operator class.
CREATE INDEX conversations_folio_pattern_idx ON conversations (folio text_pattern_ops);
CREATE INDEX conversations_queue_idx ON conversations (queue_id, last_message_at DESC) WHERE queue_id IS NOT NULL;
