-- Report tokens for BI tools (issue 9 item 7, seed-digest §7.1 "todo reporte será transformado en
-- vistas de BI"): a bearer token that reaches the report routes of one campaign and nothing else.
-- Only the SHA-256 of the token is kept; the token itself is shown once, when it is created.
CREATE TABLE report_tokens (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id   uuid NOT NULL REFERENCES campaigns(id),
  name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  token_hash    text NOT NULL UNIQUE,
  -- The first characters, so a person can tell tokens apart in the list.
  token_prefix  text NOT NULL,
  created_by    uuid NOT NULL REFERENCES users(id),
  created_at    timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  expires_at    timestamptz(3),
  revoked_at    timestamptz(3),
  revoked_by    uuid REFERENCES users(id),
  last_used_at  timestamptz(3),
  last_used_ip  text,
  CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE INDEX report_tokens_campaign_idx ON report_tokens (campaign_id, created_at DESC);
