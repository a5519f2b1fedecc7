"""The one settings object. Only this module reads the environment.

Every field maps to an ``AITRAIL_<NAME>`` environment variable (or a line in the file named by
``AITRAIL_ENV_FILE``, default ``.env``). Build it once at start with :func:`load_settings` and
pass it down.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from aitrail.errors import ConfigError
from aitrail.topics import Topics

MIN_HASH_KEY_BYTES = 32
SECRET_FIELDS = {"hash_key", "alert_webhook_secret", "alert_slack_webhook_url",
                 "alert_pagerduty_routing_key"}


def default_store_dsn() -> str:
    """An embedded chDB store under the current directory."""
    return "chdb://" + str(Path.cwd() / ".aitrail" / "clickhouse")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="AITRAIL_",
        env_file=os.environ.get("AITRAIL_ENV_FILE", ".env"),
        extra="ignore",
        frozen=True,
    )

    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092", description="Kafka bootstrap servers, host:port[,host:port]."
    )
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = (
        "PLAINTEXT"
    )
    topic_prefix: str = Field(
        "", pattern=r"^[A-Za-z0-9._-]*$", description="Prefix for every topic name, e.g. staging."
    )
    topic_partitions: int = Field(3, ge=1, description="Partitions for topics aitrail creates.")
    topic_replication_factor: int = Field(1, ge=1, description="Replication for those topics.")
    clickhouse_dsn: str = Field(
        default_factory=default_store_dsn,
        description="chdb:///abs/dir (embedded) or http(s)://user:pass@host:8123/db.",
    )
    hash_key: SecretStr | None = Field(
        None, description="Secret for HMAC-SHA-256 of prompts and responses (>= 32 bytes)."
    )
    hash_key_id: str = Field("k1", description="Recorded with every hash; bump it on rotation.")
    worker_group: str = Field("aitrail-worker", description="Consumer group of the workers.")
    batch_size: int = Field(500, ge=1, le=50_000, description="Events taken per batch.")
    batch_timeout_s: float = Field(0.5, gt=0, description="Max wait to fill a batch.")
    detection_processes: int = Field(
        default_factory=lambda: max(1, os.cpu_count() or 1),
        ge=1,
        description="Processes that run detection.",
    )
    store_redacted_text: bool = Field(
        True, description="Keep redacted prompt/response text; false keeps hashes only."
    )
    policy_file: Path | None = Field(
        None, description="Guardrail policy YAML; the shipped default policy when unset."
    )
    policy_actor: str = Field(
        "aitrail-worker", description="Recorded as who put a new policy version in force."
    )
    incident_window_s: int = Field(
        3600, ge=1, description="Violations of one user and rule this close form one incident."
    )
    incident_min_severity: Literal["info", "low", "medium", "high", "critical"] = Field(
        "medium", description="Violations below this severity are logged but open no incident."
    )
    alert_webhook_url: str | None = Field(None, description="Generic webhook for incidents.")
    alert_webhook_secret: SecretStr | None = Field(
        None, description="HMAC secret signing webhook bodies (>= 32 bytes)."
    )
    alert_webhook_key_id: str | None = Field(None, description="Sent with each signature.")
    alert_slack_webhook_url: SecretStr | None = Field(None, description="Slack incoming webhook.")
    alert_pagerduty_routing_key: SecretStr | None = Field(
        None, description="PagerDuty Events API v2 integration key."
    )
    alert_pagerduty_url: str | None = Field(None, description="Override the PagerDuty endpoint.")
    alert_retry_base_s: float | None = Field(None, gt=0, description="First retry delay.")
    alert_retry_cap_s: float | None = Field(None, gt=0, description="Longest retry delay.")
    alert_retry_max_attempts: int | None = Field(None, ge=1, description="Then dead-letter.")
    alert_retry_max_age_s: float | None = Field(None, gt=0, description="Then dead-letter.")
    metrics_port: int = Field(9464, ge=0, description="Prometheus /metrics port; 0 disables.")
    worker_data_dir: Path = Field(
        Path(".aitrail/worker"), description="Scratch directory for the faust worker."
    )

    @field_validator("clickhouse_dsn")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("chdb://", "http://", "https://", "clickhouse://")):
            raise ValueError(
                "use chdb:///absolute/dir for the embedded store or http(s)://host:8123 "
                f"for a ClickHouse server (got scheme {value.split(':', 1)[0]!r})"
            )
        return value

    def require_hash_key(self) -> bytes:
        """The HMAC key, or a ConfigError that says how to make one."""
        if self.hash_key is None:
            raise ConfigError(
                "AITRAIL_HASH_KEY is not set. Generate one with `openssl rand -hex 32`, keep it "
                "in your secret store, and export it for the workers."
            )
        key = self.hash_key.get_secret_value().encode()
        if len(key) < MIN_HASH_KEY_BYTES:
            raise ConfigError(
                f"AITRAIL_HASH_KEY has {len(key)} bytes; use at least {MIN_HASH_KEY_BYTES} "
                "(`openssl rand -hex 32` gives 64)."
            )
        return key

    @property
    def topics(self) -> Topics:
        return Topics(self.topic_prefix)

    def to_env(self) -> dict[str, str]:
        """These settings as AITRAIL_* variables, secret included, for a child process."""
        env = {
            f"AITRAIL_{name.upper()}": str(value)
            for name, value in self.model_dump(mode="json", exclude=SECRET_FIELDS).items()
            if value is not None
        }
        for name in ("hash_key", "alert_webhook_secret", "alert_slack_webhook_url",
                     "alert_pagerduty_routing_key"):
            secret = getattr(self, name)
            if secret is not None:
                env[f"AITRAIL_{name.upper()}"] = secret.get_secret_value()
        return env

    def kafka_config(self) -> dict[str, str | int | float | bool]:
        """confluent-kafka client settings shared by producers, consumers and admin."""
        return {
            "bootstrap.servers": self.kafka_bootstrap_servers,
            "security.protocol": self.kafka_security_protocol,
        }


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment; turn validation errors into a ConfigError."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"AITRAIL_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors(include_input=False, include_url=False)
        )
        raise ConfigError(f"invalid configuration: {problems}") from None
