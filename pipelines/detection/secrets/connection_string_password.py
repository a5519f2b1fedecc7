"""Passwords inside connection strings; the span is the password only.

Two families:

* URIs ``scheme://user:password@host`` for databases and brokers (PostgreSQL, MySQL/MariaDB,
  MongoDB incl. ``+srv``, Redis, AMQP, SQL Server, Oracle, ClickHouse, ...), with SQLAlchemy
  driver suffixes (``postgresql+psycopg2://``) and JDBC prefixes, plus ``password=`` in a URI
  query string.
* Key-value strings (ADO.NET, ODBC, JDBC for SQL Server, libpq): ``Password=...;`` or
  ``PWD=...;`` with a semicolon before or after, ``PWD={...}`` braces and quoted values.

Only the password is redacted so the audit row keeps host, database and user, which an
investigation needs. Documentation stand-ins (``<password>``, ``${DB_PASSWORD}``, ``****``,
``password``, ``changeme``) are dropped; weak-but-real values such as ``postgres`` are kept.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from pipelines.detection.secrets._base import SecretRecognizer
from pipelines.detection.secrets._checks import is_template

_SCHEME = (
    r"(?i:postgres(?:ql)?|mysql|mariadb|mongodb|rediss?|amqps?|mssql|sqlserver|oracle"
    r"|clickhouse|cockroachdb|cassandra|neo4j|nats|mqtts?|ldaps?|ftps?|sftp|smtps?)"
    r"(?:\+[A-Za-z0-9]{1,16}){0,2}"
)
_URI_USER = r"[^\s:/@\"'<>]{0,128}"
_URI_VALUE = r"[^\s/@\"'<>]{1,256}"
_KEY = r"(?i:password|pwd)"
_EQ = r"[ \t]{0,4}=[ \t]{0,4}"
_SINGLE = r"[^;\s\"'{}]{1,256}"
_SPACED = r"[^;\s\"'{}]{1,128}(?:[ \t]{1,4}[^;\s\"'{}]{1,128}){1,8}"
_STAND_INS = frozenset(
    {"password", "passwd", "pass", "pwd", "secret", "changeme", "mypassword", "yourpassword",
     "your_password", "your-password"}
)


class ConnectionStringPasswordRecognizer(SecretRecognizer):
    ENTITY: ClassVar[str] = "CONNECTION_STRING_PASSWORD"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("uri_userinfo", rf"{_SCHEME}://{_URI_USER}:\K{_URI_VALUE}(?=@)", 0.9),
        Pattern(
            "uri_query",
            r"[?&](?i:password|pwd|pass)=\K[^&\s#\"'<>]{1,256}",
            0.8,
        ),
        Pattern(
            "kv_after_semicolon",
            rf";[ \t]{{0,4}}{_KEY}{_EQ}\K(?:{_SPACED}(?=[ \t]*(?:;|$))|{_SINGLE})",
            0.8,
        ),
        Pattern(
            "kv_before_semicolon",
            rf"(?:^|(?<=[\s\"'`(])){_KEY}{_EQ}\K(?:{_SPACED}|{_SINGLE})(?=[ \t]{{0,4}};)",
            0.8,
        ),
        Pattern(
            "kv_braced",
            rf"(?:^|(?<=[;\s\"'`(])){_KEY}{_EQ}\{{\K(?!\{{)[^}}\r\n]{{1,256}}(?=\}})",
            0.85,
        ),
        Pattern(
            "kv_quoted_after_semicolon",
            rf";[ \t]{{0,4}}{_KEY}{_EQ}[\"']\K[^\"'\r\n]{{1,256}}(?=[\"'])",
            0.8,
        ),
        Pattern(
            "kv_quoted_before_semicolon",
            rf"(?:^|(?<=[\s(])){_KEY}{_EQ}[\"']\K[^\"'\r\n]{{1,256}}(?=[\"'][ \t]{{0,4}};)",
            0.8,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "password", "connection", "database", "dsn", "uri", "server", "host",
    )
    PREFILTER: ClassVar[tuple[str, ...]] = (
        r"(?i:(?:postgres|mysql|mariadb|mongodb|redis|amqp|mssql|sqlserver|oracle|clickhouse"
        r"|cockroachdb|cassandra|neo4j|nats|mqtt|ldap|ftp|sftp|smtp)[A-Za-z0-9+]{0,34}://)",
        r"(?i:(?:password|pwd)[ \t]{0,4}=)",
        r"(?i:[?&]pass=)",
    )
    # URI: user (128) + ":" + password (256); key-value: a spaced value of up to 1,192.
    PREFILTER_REACH: ClassVar[int] = 1216
    VERSION: ClassVar[str] = "1"
    CONTEXT_IN_PATTERN: ClassVar[bool] = True

    def validate_result(self, pattern_text: str) -> bool | None:
        value = pattern_text.strip()
        if not value or is_template(value) or value.lower() in _STAND_INS:
            return False
        return None
