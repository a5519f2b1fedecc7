"""The incident agents' memory is rebuilt from ClickHouse (real engine, chDB)."""

import threading
from datetime import UTC, datetime, timedelta

from pipelines.incidents.grouping import apply_command, apply_signal
from pipelines.incidents.model import IncidentCommand, Signal
from sinks.clickhouse import open_store
from sinks.incident_writer import IncidentStateReader, IncidentWriter
from sinks.migrate import migrate

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_open_incident_and_user_history_come_back(store_dsn: str) -> None:
    client = open_store(store_dsn)
    try:
        migrate(client)
        lock = threading.Lock()
        writer, reader = IncidentWriter(client, lock), IncidentStateReader(client, lock)
        signal = Signal(kind="guardrail", tenant_id="t", user_id="u", rule_id="r",
                        severity="high", occurred_at=T0, source_id="v")
        incident, event = apply_signal(None, signal, window=timedelta(hours=1), now=T0)
        writer.write(event)
        again = reader.open_incident(incident.key)
        assert again == incident
        command = IncidentCommand(incident_id=incident.incident_id, key=incident.key,
                                  action="resolve", actor="alice", issued_at=T0)
        result = apply_command(incident, command, now=T0)
        assert result is not None
        writer.write(result[1])
        assert reader.open_incident(incident.key) is None

        assert reader.user_history("t", "u") == (None, None, "")
        client.command(
            "INSERT INTO access_log (event_id, tenant_id, user_id, action, occurred_at, "
            "ingested_at) VALUES ('e1', 't', 'u', 'user_deprovisioned', "
            "'2026-12-01 09:00:00', now())")
        gone, used, _ = reader.user_history("t", "u")
        assert gone == T0 and used is None
    finally:
        client.close()
