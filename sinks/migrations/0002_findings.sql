-- One row per finding: what was found, where (span), by which detector and version, and the
-- action taken. Never the matched value. Sorted for "findings by type over time".
CREATE TABLE IF NOT EXISTS findings
(
    event_id String,
    request_id String,
    tenant_id LowCardinality(String),
    service LowCardinality(String),
    provider LowCardinality(String),
    model LowCardinality(String),
    occurred_at DateTime64(3, 'UTC'),
    text_field LowCardinality(String),
    entity_type LowCardinality(String),
    start UInt32,
    end UInt32,
    score Float32,
    detector LowCardinality(String),
    detector_version LowCardinality(String),
    action LowCardinality(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (tenant_id, entity_type, occurred_at, event_id, text_field, start, end)
TTL toDateTime(occurred_at) + INTERVAL 400 DAY;
