-- Incidents: the latest state of each (ReplacingMergeTree keeps the highest revision) and
-- the full timeline (one row per change: opened, updated, escalated, acknowledged, resolved).
CREATE TABLE IF NOT EXISTS incidents
(
    incident_id String,
    key String,
    kind LowCardinality(String),
    tenant_id LowCardinality(String),
    user_id String,
    rule_id LowCardinality(String),
    service LowCardinality(String),
    status LowCardinality(String),
    severity LowCardinality(String),
    initial_severity LowCardinality(String),
    count UInt32,
    opened_at DateTime64(3, 'UTC'),
    last_seen_at DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC'),
    revision UInt32,
    acknowledged_by String,
    acknowledged_at Nullable(DateTime64(3, 'UTC')),
    resolved_by String,
    resolved_at Nullable(DateTime64(3, 'UTC')),
    last_detail String
)
ENGINE = ReplacingMergeTree(revision)
ORDER BY (tenant_id, incident_id);

CREATE TABLE IF NOT EXISTS incident_events
(
    incident_id String,
    revision UInt32,
    change LowCardinality(String),
    at DateTime64(3, 'UTC'),
    actor String,
    note String,
    status LowCardinality(String),
    severity LowCardinality(String),
    count UInt32
)
ENGINE = ReplacingMergeTree
ORDER BY (incident_id, revision, change);

-- Alerts a destination kept refusing: the on-call never saw these, so they must be visible.
CREATE TABLE IF NOT EXISTS alert_dead_letters
(
    incident_id String,
    action LowCardinality(String),
    revision UInt32,
    destination LowCardinality(String),
    reason String,
    attempts UInt32,
    at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (at, incident_id);
