"""Which destinations are on, and how hard to try: built once from settings, passed down.

A destination is on when its address is set: ``AITRAIL_ALERT_WEBHOOK_URL`` (with its secret),
``AITRAIL_ALERT_SLACK_WEBHOOK_URL``, ``AITRAIL_ALERT_PAGERDUTY_ROUTING_KEY``. Only
:mod:`aitrail.settings` reads the environment: :meth:`AlertConfig.from_settings` takes the
values of the ``alert_*`` settings fields listed in :data:`SETTINGS_FIELDS`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator

from aitrail.errors import ConfigError
from pipelines.alerts.destinations import (
    PAGERDUTY_EVENTS_URL,
    Destination,
    PagerDutyDestination,
    SlackDestination,
    WebhookDestination,
)
from pipelines.alerts.retry import RetryPolicy

MIN_WEBHOOK_SECRET_BYTES = 32
SETTINGS_FIELDS: tuple[str, ...] = (
    "alert_webhook_url",
    "alert_webhook_secret",
    "alert_webhook_key_id",
    "alert_slack_webhook_url",
    "alert_pagerduty_routing_key",
    "alert_pagerduty_url",
    "alert_queue_capacity",
    "alert_timeout_s",
    "alert_drain_timeout_s",
    "alert_retry_base_s",
    "alert_retry_cap_s",
    "alert_retry_max_attempts",
    "alert_retry_max_age_s",
)
_URL = r"^https?://"


class AlertConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    webhook_url: str | None = Field(default=None, pattern=_URL)
    webhook_secret: SecretStr | None = None
    webhook_key_id: str = Field(default="k1", pattern=r"^[A-Za-z0-9._-]{1,64}$")
    slack_webhook_url: SecretStr | None = None
    pagerduty_routing_key: SecretStr | None = None
    pagerduty_url: str = Field(default=PAGERDUTY_EVENTS_URL, pattern=_URL)
    queue_capacity: int = Field(default=1000, ge=1, le=100_000)
    timeout_s: float = Field(default=10.0, gt=0, description="Per HTTP request.")
    drain_timeout_s: float = Field(default=10.0, ge=0, description="Delivery time in stop().")
    retry: RetryPolicy = Field(default_factory=RetryPolicy)

    @model_validator(mode="after")
    def _usable(self) -> AlertConfig:
        if self.webhook_url is not None:
            secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
            if len(secret.encode()) < MIN_WEBHOOK_SECRET_BYTES:
                raise ValueError(
                    "AITRAIL_ALERT_WEBHOOK_URL is set, so AITRAIL_ALERT_WEBHOOK_SECRET must be "
                    f"at least {MIN_WEBHOOK_SECRET_BYTES} bytes: generate one with "
                    "`openssl rand -hex 32` and give it to the receiver too"
                )
        slack = self.slack_webhook_url.get_secret_value() if self.slack_webhook_url else None
        if slack is not None and not slack.startswith(("https://", "http://")):
            raise ValueError("AITRAIL_ALERT_SLACK_WEBHOOK_URL must be an http(s) URL")
        return self

    @classmethod
    def from_settings(
        cls,
        *,
        alert_webhook_url: str | None = None,
        alert_webhook_secret: str | SecretStr | None = None,
        alert_webhook_key_id: str | None = None,
        alert_slack_webhook_url: str | SecretStr | None = None,
        alert_pagerduty_routing_key: str | SecretStr | None = None,
        alert_pagerduty_url: str | None = None,
        alert_queue_capacity: int | None = None,
        alert_timeout_s: float | None = None,
        alert_drain_timeout_s: float | None = None,
        alert_retry_base_s: float | None = None,
        alert_retry_cap_s: float | None = None,
        alert_retry_max_attempts: int | None = None,
        alert_retry_max_age_s: float | None = None,
    ) -> AlertConfig:
        """From the settings fields' values; None keeps the default. Errors name the env vars."""
        retry = {
            "base_s": alert_retry_base_s,
            "cap_s": alert_retry_cap_s,
            "max_attempts": alert_retry_max_attempts,
            "max_age_s": alert_retry_max_age_s,
        }
        values = {
            "webhook_url": alert_webhook_url or None,
            "webhook_secret": alert_webhook_secret or None,
            "webhook_key_id": alert_webhook_key_id,
            "slack_webhook_url": alert_slack_webhook_url or None,
            "pagerduty_routing_key": alert_pagerduty_routing_key or None,
            "pagerduty_url": alert_pagerduty_url,
            "queue_capacity": alert_queue_capacity,
            "timeout_s": alert_timeout_s,
            "drain_timeout_s": alert_drain_timeout_s,
            "retry": {k: v for k, v in retry.items() if v is not None},
        }
        try:
            return cls.model_validate({k: v for k, v in values.items() if v is not None})
        except ValidationError as exc:
            problems = "; ".join(
                ("AITRAIL_ALERT_" + "_".join(str(p) for p in err["loc"]).upper() + ": "
                 if err["loc"] else "") + err["msg"]
                for err in exc.errors(include_input=False, include_url=False)
            )
            raise ConfigError(f"invalid alert configuration: {problems}") from None

    @property
    def enabled(self) -> bool:
        return bool(self.webhook_url or self.slack_webhook_url or self.pagerduty_routing_key)

    def destinations(self) -> list[Destination]:
        found: list[Destination] = []
        if self.webhook_url is not None and self.webhook_secret is not None:
            found.append(WebhookDestination(
                self.webhook_url, self.webhook_secret.get_secret_value(), self.webhook_key_id
            ))
        if self.slack_webhook_url is not None:
            found.append(SlackDestination(self.slack_webhook_url.get_secret_value()))
        if self.pagerduty_routing_key is not None:
            found.append(PagerDutyDestination(
                self.pagerduty_routing_key.get_secret_value(), self.pagerduty_url
            ))
        return found
