-- Optional TOTP second factor for staff (issue 12 part 3; RFC 6238). hub/src/auth/totp/.

-- One row per user who started or finished enrolment. enabled_at NULL = set up but not yet
-- confirmed with a code (login ignores it). The secret is AES-256-GCM ciphertext, never plain.
-- last_used_step: the newest RFC 6238 time step accepted, so a code is never accepted twice.
CREATE TABLE user_totp (
  user_id           uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret_encrypted  text NOT NULL,
  enabled_at        timestamptz(3),
  last_used_step    bigint,
  created_at        timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  updated_at        timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);

-- Single-use recovery codes, shown once at enable; only their HMAC-SHA-256 is kept.
CREATE TABLE user_totp_recovery_codes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash   text NOT NULL,
  used_at     timestamptz(3),
  created_at  timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (user_id, code_hash)
);
