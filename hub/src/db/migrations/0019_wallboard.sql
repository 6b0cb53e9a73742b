-- Live wallboard (issue 9 item 4, seed-digest §7.1 "alertas programables" L3274–L3287): alert
-- thresholds per campaign or queue. The measuring rules the board applies (service-level
-- denominator and Y, short-abandon threshold) are the campaign's sla_contracts row (0016), the
-- same the reports and the SLA month read (kpi/measuring-rules.ts).

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
