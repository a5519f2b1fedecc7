"""Numbered SQL migrations, applied in order and recorded in ``aitrail_migrations``.

Files are ``NNNN_name.sql`` in ``sinks/migrations``; statements are separated by a ``;`` at the
end of a line. An applied migration must never change: its checksum is recorded, and a
mismatch stops the worker with a message saying to add a new migration instead.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from aitrail.errors import StoreError
from sinks.clickhouse import Client

LEDGER = "aitrail_migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()

    def statements(self) -> list[str]:
        body = "\n".join(
            line for line in self.sql.splitlines() if not line.lstrip().startswith("--")
        )
        return [s.strip() for s in re.split(r";\s*(?:\n|$)", body) if s.strip()]


def available() -> list[Migration]:
    found = []
    for entry in resources.files("sinks.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text()))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise StoreError(f"two migrations share a number in sinks/migrations: {versions}")
    return found


def applied(client: Client) -> dict[int, str]:
    client.command(
        f"CREATE TABLE IF NOT EXISTS {LEDGER} (version UInt32, name String, checksum String, "
        "applied_at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY version"
    )
    rows = client.query(f"SELECT version, checksum FROM {LEDGER}").result_rows  # noqa: S608
    return {int(v): str(c) for v, c in rows}


def migrate(client: Client) -> list[Migration]:
    """Apply pending migrations; return the ones applied now."""
    done = applied(client)
    newly = []
    for migration in available():
        recorded = done.get(migration.version)
        if recorded is not None:
            if recorded != migration.checksum:
                raise StoreError(
                    f"migration {migration.version:04d}_{migration.name}.sql changed after it "
                    "was applied. Restore it and add a new numbered migration for the change."
                )
            continue
        for statement in migration.statements():
            try:
                client.command(statement)
            except Exception as exc:
                raise StoreError(
                    f"migration {migration.version:04d}_{migration.name} failed: {exc}"
                ) from exc
        client.insert(
            LEDGER,
            [[migration.version, migration.name, migration.checksum, datetime.now(UTC)]],
            column_names=["version", "name", "checksum", "applied_at"],
        )
        newly.append(migration)
    return newly
