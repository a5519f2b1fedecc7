from __future__ import annotations

import inspect
import secrets

import pytest

from aitrail.errors import ConfigError
from pipelines.alerts.config import SETTINGS_FIELDS, AlertConfig
from pipelines.alerts.destinations import PAGERDUTY_EVENTS_URL
from pipelines.alerts.dispatcher import AlertDispatcher
from tests.unit.alerts.samples import DeadLetters

SECRET = secrets.token_hex(32)
SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXXXXXX"


def test_nothing_set_means_no_destinations() -> None:
    config = AlertConfig.from_settings()
    assert not config.enabled and config.destinations() == []
    assert config.pagerduty_url == PAGERDUTY_EVENTS_URL


def test_each_address_turns_its_destination_on() -> None:
    config = AlertConfig.from_settings(
        alert_webhook_url="https://hooks.example/aitrail",
        alert_webhook_secret=SECRET,
        alert_webhook_key_id="k2",
        alert_slack_webhook_url=SLACK_URL,
        alert_pagerduty_routing_key="R0123456789abcdef0123456789abcde",
        alert_pagerduty_url="http://127.0.0.1:9/v2/enqueue",
        alert_queue_capacity=50,
        alert_retry_base_s=0.5,
        alert_retry_cap_s=30.0,
        alert_retry_max_attempts=4,
        alert_retry_max_age_s=120.0,
    )
    assert [d.name for d in config.destinations()] == ["webhook", "slack", "pagerduty"]
    assert (config.retry.base_s, config.retry.cap_s) == (0.5, 30.0)
    assert (config.retry.max_attempts, config.retry.max_age_s) == (4, 120.0)
    dispatcher = AlertDispatcher.from_config(config, DeadLetters())
    assert dispatcher.destination_names == ["webhook", "slack", "pagerduty"]
    for secret in (SECRET, "XXXXXXXX", "R0123456789abcdef0123456789abcde"):
        assert secret not in repr(config)


def test_empty_strings_from_the_environment_mean_unset() -> None:
    assert not AlertConfig.from_settings(alert_webhook_url="", alert_slack_webhook_url="").enabled


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"alert_webhook_url": "https://hooks.example"}, "AITRAIL_ALERT_WEBHOOK_SECRET must be"),
        ({"alert_webhook_url": "https://h.example", "alert_webhook_secret": "short"}, "32 bytes"),
        ({"alert_webhook_url": "ftp://h.example"}, "AITRAIL_ALERT_WEBHOOK_URL"),
        ({"alert_retry_max_attempts": 0}, "AITRAIL_ALERT_RETRY_MAX_ATTEMPTS"),
        ({"alert_retry_base_s": 5.0, "alert_retry_cap_s": 1.0}, "cap_s must be at least"),
        ({"alert_slack_webhook_url": "hooks.slack.com/x"}, "SLACK_WEBHOOK_URL must be"),
    ],
)
def test_mistakes_name_the_environment_variable(values: dict[str, object], problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        AlertConfig.from_settings(**values)  # type: ignore[arg-type]


def test_settings_fields_are_the_from_settings_parameters() -> None:
    assert tuple(inspect.signature(AlertConfig.from_settings).parameters) == SETTINGS_FIELDS
