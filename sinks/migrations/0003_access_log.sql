-- SSO logins, failed logins, role grants and revocations, provisioning (SOC 2 CC6.1 to CC6.3).
CREATE TABLE IF NOT EXISTS access_log
(
    event_id String,
    tenant_id LowCardinality(String),
    user_id String,
    action LowCardinality(String),
    occurred_at DateTime64(3, 'UTC'),
    ingested_at DateTime64(3, 'UTC'),
    actor_id String,
    role LowCardinality(String),
    system LowCardinality(String),
    source_ip String,
    reason String,
    source_topic LowCardinality(String),
    source_partition UInt16,
    source_offset UInt64
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (tenant_id, user_id, occurred_at, event_id)
TTL toDateTime(occurred_at) + INTERVAL 400 DAY;
