-- Policy on every row: which policy version decided, what it decided, how severe.
-- action now carries the policy's action (allow, redact, flag, block-recommended) or
-- withhold when detection failed.
ALTER TABLE audit_log
    ADD COLUMN IF NOT EXISTS policy_version LowCardinality(String) AFTER engine_version,
    ADD COLUMN IF NOT EXISTS severity LowCardinality(String) AFTER policy_version;

ALTER TABLE findings
    ADD COLUMN IF NOT EXISTS rule_id LowCardinality(String),
    ADD COLUMN IF NOT EXISTS severity LowCardinality(String),
    ADD COLUMN IF NOT EXISTS policy_version LowCardinality(String);

-- The guardrail audit log: one row per finding the policy did not allow. Never the text:
-- the keyed hash of the text and the finding's span identify it.
CREATE TABLE IF NOT EXISTS guardrail_violations
(
    violation_id String,
    occurred_at DateTime64(3, 'UTC'),
    tenant_id LowCardinality(String),
    user_id String,
    service LowCardinality(String),
    provider LowCardinality(String),
    model LowCardinality(String),
    request_id String,
    event_id String,
    text_field LowCardinality(String),
    rule_id LowCardinality(String),
    entity_type LowCardinality(String),
    start UInt32,
    end UInt32,
    score Float32,
    action LowCardinality(String),
    severity LowCardinality(String),
    policy_version LowCardinality(String),
    text_hash String,
    detector LowCardinality(String),
    detector_version LowCardinality(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (tenant_id, rule_id, occurred_at, violation_id)
TTL toDateTime(occurred_at) + INTERVAL 400 DAY;

-- Every change of the active policy (SOC 2 CC8.1): who, when, from which version to which,
-- what changed, and the full policy document for the auditor.
CREATE TABLE IF NOT EXISTS policy_changes
(
    change_id String,
    policy_name LowCardinality(String),
    old_version LowCardinality(String),
    new_version LowCardinality(String),
    changed_at DateTime64(3, 'UTC'),
    actor String,
    summary String,
    added Array(String),
    removed Array(String),
    changed Array(String),
    policy_json String
)
ENGINE = ReplacingMergeTree
ORDER BY (policy_name, changed_at, change_id);

CREATE OR REPLACE VIEW audit_requests AS
SELECT
    tenant_id,
    request_id,
    any(user_id) AS user_id,
    any(service) AS service,
    any(provider) AS provider,
    any(model) AS model,
    anyIf(model_version, model_version != '') AS model_version,
    min(occurred_at) AS occurred_at,
    anyIf(text_hash, event_type = 'llm.request') AS input_hash,
    anyIf(text_hash, event_type = 'llm.response') AS output_hash,
    arraySort(groupUniqArrayArray(finding_types)) AS finding_types,
    sum(finding_count) AS finding_count,
    multiIf(countIf(action = 'withhold') > 0, 'withhold',
            countIf(action = 'block-recommended') > 0, 'block-recommended',
            countIf(action = 'flag') > 0, 'flag',
            countIf(action = 'redact') > 0, 'redact', 'allow') AS action,
    anyIf(policy_version, policy_version != '') AS policy_version,
    countIf(event_type = 'llm.request') > 0 AS has_request,
    countIf(event_type = 'llm.response') > 0 AS has_response
FROM audit_log FINAL
GROUP BY tenant_id, request_id;
