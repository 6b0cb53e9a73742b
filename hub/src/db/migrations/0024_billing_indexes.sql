-- Billing statement (issue 10): the facts excluded for missing evidence are a handful among the
-- month's millions, but without an index of their own listing them scans the whole month again
-- (≈ 10,000,000 rows in the benchmark). Partial on the problem, keyed like the statement's scope.
CREATE INDEX billing_usage_facts_excluded_idx ON billing_usage_facts (campaign_id, month) WHERE evidence_problem IS NOT NULL;
