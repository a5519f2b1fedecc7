"""Errors as types. Every message says what the user should do next."""


class AitrailError(Exception):
    """Base class: the CLI prints these without a traceback and exits 2."""


class ConfigError(AitrailError):
    """A setting is missing or wrong."""


class BrokerUnavailable(AitrailError):
    """Kafka did not answer within the timeout."""


class StoreError(AitrailError):
    """ClickHouse refused a statement or could not be opened."""
