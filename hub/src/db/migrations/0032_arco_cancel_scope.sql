-- ARCO cancellation beyond the contact (issue 12 part 4; hub/src/privacy/arco/): appointments and
-- procedure cases stay as rows (reports and contract counts read them) with the citizen's fields
-- replaced, so the official-id checks admit the placeholder 'CANCELADO' on anonymised rows only,
-- and a call-back keeps its row with the number 'anonimizado'. The placeholders live in
-- privacy/arco/arco-cancel-placeholders.ts.
ALTER TABLE appointments ADD COLUMN anonymised_at timestamptz(3);
-- 0025 declared the id check on the column but over two columns: PostgreSQL named it appointments_check.
ALTER TABLE appointments DROP CONSTRAINT appointments_check;
ALTER TABLE appointments ADD CONSTRAINT appointments_official_id_check CHECK (
  (official_id_kind = 'nss' AND official_id ~ '^[0-9]{11}$')
  OR (official_id_kind = 'curp' AND official_id ~ '^[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9]$')
  OR (anonymised_at IS NOT NULL AND official_id = 'CANCELADO'));
-- cancel_reason is not pinned: staff may still cancel an anonymised booking, with a reason.
ALTER TABLE appointments ADD CONSTRAINT appointments_anonymised_check CHECK (
  anonymised_at IS NULL OR (official_id = 'CANCELADO' AND birth_date IS NULL));

-- birth_date stays NOT NULL (the case views read it as text); an anonymised case holds 1900-01-01.
ALTER TABLE appointment_cases ADD COLUMN anonymised_at timestamptz(3);
ALTER TABLE appointment_cases DROP CONSTRAINT appointment_cases_check;
ALTER TABLE appointment_cases ADD CONSTRAINT appointment_cases_official_id_check CHECK (
  (official_id_kind = 'nss' AND official_id ~ '^[0-9]{11}$')
  OR (official_id_kind = 'curp' AND official_id ~ '^[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9]$')
  OR (anonymised_at IS NOT NULL AND official_id = 'CANCELADO'));
ALTER TABLE appointment_cases ADD CONSTRAINT appointment_cases_anonymised_check CHECK (
  anonymised_at IS NULL OR (official_id = 'CANCELADO' AND full_name = 'Titular cancelado' AND birth_date = DATE '1900-01-01' AND email IS NULL AND phone IS NULL));

ALTER TABLE voice_callbacks DROP CONSTRAINT voice_callbacks_phone_check;
ALTER TABLE voice_callbacks ADD CONSTRAINT voice_callbacks_phone_check CHECK (phone ~ '^\+[1-9][0-9]{6,14}$' OR phone = 'anonimizado');
