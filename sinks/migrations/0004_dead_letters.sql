-- Messages that failed validation. No payload: the original stays in the source topic at the
-- recorded offset, and payload_hash (keyed) proves which bytes were rejected.
CREATE TABLE IF NOT EXISTS dead_letters
(
    dead_letter_id String,
    source_topic LowCardinality(String),
    source_partition UInt16,
    source_offset UInt64,
    reason String,
    error_type LowCardinality(String),
    payload_hash String,
    payload_bytes UInt32,
    received_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(received_at)
ORDER BY (source_topic, source_partition, source_offset)
TTL toDateTime(received_at) + INTERVAL 400 DAY;
