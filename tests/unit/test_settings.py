import pytest

from aitrail.errors import ConfigError
from aitrail.settings import load_settings


def test_missing_hash_key_says_how_to_make_one() -> None:
    with pytest.raises(ConfigError, match="openssl rand -hex 32"):
        load_settings(hash_key=None).require_hash_key()


def test_short_hash_key_is_refused() -> None:
    with pytest.raises(ConfigError, match="at least 32"):
        load_settings(hash_key="short").require_hash_key()


def test_unknown_store_scheme_is_a_config_error_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match="AITRAIL_CLICKHOUSE_DSN"):
        load_settings(clickhouse_dsn="postgres://x")


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AITRAIL_TOPIC_PREFIX", "staging.")
    assert load_settings().topics.sources[0] == "staging.llm.requests"


def test_secret_never_appears_in_repr() -> None:
    key = "x" * 40
    assert key not in repr(load_settings(hash_key=key))


def test_to_env_round_trips_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    original = load_settings(hash_key="k" * 40, topic_prefix="x.", batch_size=7)
    for name, value in original.to_env().items():
        monkeypatch.setenv(name, value)
    again = load_settings()
    assert again == original
    assert again.require_hash_key() == b"k" * 40


def test_empty_alert_variables_mean_no_destination(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.incidents.alerting import alert_config

    for name in ("URL", "SECRET"):
        monkeypatch.setenv(f"AITRAIL_ALERT_WEBHOOK_{name}", "")
    monkeypatch.setenv("AITRAIL_ALERT_SLACK_WEBHOOK_URL", "")
    monkeypatch.setenv("AITRAIL_ALERT_PAGERDUTY_ROUTING_KEY", "")
    assert alert_config(load_settings()).destinations() == []
    monkeypatch.setenv("AITRAIL_ALERT_PAGERDUTY_ROUTING_KEY", "R0123456789abcdef0123456789abcdef")
    assert [d.name for d in alert_config(load_settings()).destinations()] == ["pagerduty"]
