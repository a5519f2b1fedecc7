"""Where events end: ClickHouse, through clickhouse-connect only (chdb:// or http(s)://)."""
