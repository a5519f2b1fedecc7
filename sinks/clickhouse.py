"""Open ClickHouse the one way: ``clickhouse_connect.get_client(dsn=...)``.

``chdb:///abs/dir`` runs the real ClickHouse engine in this process (one process owns a
directory); ``http(s)://host:8123`` talks to a server. Same DDL, same queries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from aitrail.errors import StoreError

Client = Any  # clickhouse_connect.driver.client.Client: untyped upstream


def open_store(dsn: str) -> Client:
    import clickhouse_connect

    if dsn.startswith("chdb://"):
        parsed = urlparse(dsn)
        path = parsed.path
        if parsed.netloc or not path.startswith("/"):
            raise StoreError(f"chdb DSN needs an absolute directory, like chdb:///var/lib/aitrail "
                             f"(got {dsn!r})")
        Path(path).mkdir(parents=True, exist_ok=True)
    try:
        return clickhouse_connect.get_client(dsn=dsn)
    except Exception as exc:
        text = str(exc)
        if dsn.startswith("chdb://") and "Cannot lock file" in text:
            raise StoreError(
                f"the embedded store {describe(dsn)} is in use by another process (a running "
                "worker?). Stop it first, or point AITRAIL_CLICKHOUSE_DSN at a ClickHouse server."
            ) from exc
        raise StoreError(f"cannot open ClickHouse at {describe(dsn)}: {text}") from exc


def describe(dsn: str) -> str:
    """The DSN without a password, for messages and logs."""
    parsed = urlparse(dsn)
    if parsed.password:
        netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@")
        return parsed._replace(netloc=netloc).geturl()
    return dsn
