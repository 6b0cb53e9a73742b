-- Agent desktop knowledge (issue 4; seed-digest §1.3, §4.4, §12): canned responses, tipification
-- (disposition) codes with the wrap-up stored when a conversation is resolved, and the campaign's
-- knowledge-base articles (shared with the bots later). Depends on 0001–0003 only.

-- Accent- and case-folding for search. Not the unaccent extension: the embedded PGlite cannot load
-- it, and an extension lives in one schema of the database while each hub (and test) migrates its
-- own. translate() first, because lower() only folds ASCII under the C collation.
CREATE FUNCTION kb_fold(p_text text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT lower(translate(p_text,
    'ÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç',
    'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc'))
$$;

-- array_to_string is STABLE in general (element output functions); on text[] it is immutable,
-- which a generated column needs.
CREATE FUNCTION kb_join_tags(p_tags text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_to_string(p_tags, ' '), '')
$$;

-- Canned responses ("frases predefinidas", L1889–L1899): typed by shortcut in the agent console.
-- Variables such as {{contact.name}} are validated on write (inbox/canned-variables.ts).
CREATE TABLE canned_responses (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id  uuid NOT NULL REFERENCES campaigns(id),
  shortcut     text NOT NULL CHECK (shortcut ~ '^[a-z0-9_-]{2,40}$'),
  title        text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
  body         text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
  created_by   uuid REFERENCES users(id),
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  updated_at   timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT canned_responses_shortcut_key UNIQUE (campaign_id, shortcut)
);

-- Tipification tree per campaign, at most 3 levels (e.g. Afiliación › Vigencia de derechos).
-- Codes are never deleted (closed conversations point at them); they are deactivated. A code's
-- parent is in the same campaign: the composite foreign key says so.
CREATE TABLE disposition_codes (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id  uuid NOT NULL REFERENCES campaigns(id),
  parent_id    uuid,
  code         text NOT NULL CHECK (code ~ '^[A-Z0-9._-]{1,20}$'),
  label        text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 120),
  active       boolean NOT NULL DEFAULT true,
  position     integer NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 9999),
  depth        smallint NOT NULL CHECK (depth BETWEEN 1 AND 3),
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  updated_at   timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT disposition_codes_code_key UNIQUE (campaign_id, code),
  CONSTRAINT disposition_codes_campaign_id_key UNIQUE (campaign_id, id),
  CONSTRAINT disposition_codes_parent_fkey FOREIGN KEY (campaign_id, parent_id) REFERENCES disposition_codes (campaign_id, id)
);
CREATE INDEX disposition_codes_parent_idx ON disposition_codes (parent_id);

-- The wrap-up of a resolved conversation: 1 to 5 codes (L6726–L6743, "tipificación 1 a 5 veces
-- por interacción"), written in the resolve transaction. A closed conversation never reopens,
-- so there is one wrap-up per conversation.
CREATE TABLE conversation_dispositions (
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  code_id          uuid NOT NULL REFERENCES disposition_codes(id),
  position         smallint NOT NULL CHECK (position BETWEEN 1 AND 5),
  agent_id         uuid REFERENCES users(id),
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, code_id),
  CONSTRAINT conversation_dispositions_position_key UNIQUE (conversation_id, position)
);
CREATE INDEX conversation_dispositions_code_idx ON conversation_dispositions (code_id);

-- The agent's closing note, when given (also in the conversation.tipified event).
CREATE TABLE conversation_wrap_ups (
  conversation_id  uuid PRIMARY KEY REFERENCES conversations(id),
  agent_id         uuid REFERENCES users(id),
  summary          text CHECK (char_length(summary) <= 2000),
  created_at       timestamptz(3) NOT NULL DEFAULT now()
);

-- Knowledge base per campaign (L2918–L2945, L7240): searched by keyword with Spanish stemming,
-- accent-insensitive; title weighs most, then topic and tags, then the body.
CREATE TABLE kb_articles (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id  uuid NOT NULL REFERENCES campaigns(id),
  title        text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  body         text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 20000),
  topic        text NOT NULL CHECK (char_length(topic) BETWEEN 1 AND 80),
  tags         text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
  published    boolean NOT NULL DEFAULT false,
  created_by   uuid REFERENCES users(id),
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  updated_at   timestamptz(3) NOT NULL DEFAULT now(),
  search       tsvector GENERATED ALWAYS AS (
                 setweight(to_tsvector('spanish'::regconfig, kb_fold(title)), 'A')
                 || setweight(to_tsvector('spanish'::regconfig, kb_fold(topic || ' ' || kb_join_tags(tags))), 'B')
                 || setweight(to_tsvector('spanish'::regconfig, kb_fold(body)), 'C')
               ) STORED
);
CREATE INDEX kb_articles_search_idx ON kb_articles USING gin (search);
CREATE INDEX kb_articles_campaign_idx ON kb_articles (campaign_id, topic);
