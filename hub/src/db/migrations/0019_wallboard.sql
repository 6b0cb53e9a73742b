-- Live wallboard (issue 9 item 4, seed-digest §7.1 "alertas programables" L3274–L3287): alert
-- thresholds per campaign or queue, and the campaign's service-level settings the board shows.

-- One threshold per campaign (queue_id NULL = the campaign totals) or queue and metric. The
-- direction is the metric's own (wallboard/wallboard-alerts.ts): waiting, longest wait, ASA and
-- abandonment alert above the value; service level and available agents alert below it.
CREATE TABLE wallboard_thresholds (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  queue_id    uuid REFERENCES queues(id) ON DELETE CASCADE,
  metric      text NOT NULL CHECK (metric IN ('waiting','longest_wait_seconds','service_level_percent','abandonment_percent','asa_seconds','agents_available')),
  value       numeric(10,2) NOT NULL CHECK (value >= 0 AND value <= 86400),
  created_by  uuid REFERENCES users(id),
  created_at  timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  updated_at  timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  CHECK (metric NOT IN ('service_level_percent','abandonment_percent') OR value <= 100)
);
CREATE UNIQUE INDEX wallboard_thresholds_scope_idx ON wallboard_thresholds (campaign_id, COALESCE(queue_id, '00000000-0000-0000-0000-000000000000'::uuid), metric);

-- Service level "X % within Y s": the contract's denominator (DyC: received, L7881; T&C:
-- attended, L10213) and Y; the short-abandon threshold of the abandonment formula. No row = T&C
-- defaults (attended, 20 s, 0 s).
CREATE TABLE wallboard_settings (
  campaign_id           uuid PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
  sl_denominator        text NOT NULL DEFAULT 'attended' CHECK (sl_denominator IN ('received','attended')),
  sl_threshold_seconds  integer NOT NULL DEFAULT 20 CHECK (sl_threshold_seconds BETWEEN 1 AND 3600),
  short_abandon_seconds integer NOT NULL DEFAULT 0 CHECK (short_abandon_seconds BETWEEN 0 AND 600),
  updated_by            uuid REFERENCES users(id),
  updated_at            timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);
