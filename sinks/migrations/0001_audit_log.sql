-- One row per LLM event (a request or a response). Sorted for the auditor's first question,
-- "what did this user send, and when": tenant, user, time. Redelivered events carry the same
-- event_id and collapse under ReplacingMergeTree; read with FINAL for exact counts.
-- Retention: 400 days covers a 12-month SOC 2 Type II window plus the audit itself.
CREATE TABLE IF NOT EXISTS audit_log
(
    event_id String,
    event_type LowCardinality(String),
    request_id String,
    tenant_id LowCardinality(String),
    user_id String,
    service LowCardinality(String),
    provider LowCardinality(String),
    model LowCardinality(String),
    model_version LowCardinality(String),
    environment LowCardinality(String),
    trace_id String,
    occurred_at DateTime64(3, 'UTC'),
    ingested_at DateTime64(3, 'UTC'),
    text_field LowCardinality(String),
    text_hash String,
    text_chars UInt32,
    text_redacted String CODEC(ZSTD(3)),
    scan_status LowCardinality(String),
    action LowCardinality(String),
    finding_types Array(LowCardinality(String)),
    finding_count UInt16,
    engine_version LowCardinality(String),
    temperature Nullable(Float32),
    max_tokens Nullable(UInt32),
    seed Nullable(Int64),
    parameter_names Array(LowCardinality(String)),
    status LowCardinality(String),
    prompt_tokens Nullable(UInt32),
    completion_tokens Nullable(UInt32),
    latency_ms Nullable(Float32),
    source_topic LowCardinality(String),
    source_partition UInt16,
    source_offset UInt64,
    INDEX idx_request_id request_id TYPE bloom_filter GRANULARITY 4,
    INDEX idx_finding_types finding_types TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (tenant_id, user_id, occurred_at, event_id)
TTL toDateTime(occurred_at) + INTERVAL 400 DAY;
