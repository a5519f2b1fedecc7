"""The deploy files, checked without a Docker engine (none runs on the development machine).

- docker-compose.yml is valid against the Compose Specification's JSON Schema, before and after
  interpolation. The schema comes from a package registry at install time (`make compose-schema`,
  which `make test` and `make test-unit` run) and is found through AITRAIL_COMPOSE_SCHEMA.
- every ${VARIABLE} the compose file uses is documented in .env.example, and the required
  secrets stop compose when they are unset;
- every AITRAIL_* variable in the compose file is a field of aitrail.settings.Settings, and the
  environment the containers get is a configuration aitrail accepts;
- the Prometheus config and alert rules parse, and every aitrail_* series an alert reads is one
  that aitrail/metrics.py exports.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from prometheus_client.metrics import MetricWrapperBase

from aitrail import metrics
from aitrail.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
PROMETHEUS = ROOT / "deploy" / "prometheus" / "prometheus.yml"
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"

SCHEMA_VARIABLE = "AITRAIL_COMPOSE_SCHEMA"
AITRAIL_IMAGE = "aitrail:local"
AITRAIL_SERVICES = ("topics", "migrate", "worker")
WORKER_JOB = "aitrail-worker"

# AITRAIL_* variables the compose file interpolates that are not aitrail settings: they configure
# the other containers (the ClickHouse user's password, also spliced into AITRAIL_CLICKHOUSE_DSN).
COMPOSE_ONLY_VARIABLES = frozenset({"AITRAIL_CLICKHOUSE_PASSWORD"})
# Compose must refuse to start without these (`${VAR:?message}`).
REQUIRED_SECRETS = frozenset({"AITRAIL_HASH_KEY", "AITRAIL_CLICKHOUSE_PASSWORD"})

# $$ (a literal $), ${...}, or $NAME: the interpolation syntax of the Compose Specification.
_REFERENCE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_][A-Za-z0-9_]*))"
)
_BRACED = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>.*))?", re.S)
_ENV_LINE = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)")
_METRIC = re.compile(r"\b(aitrail_[A-Za-z0-9_:]+)\s*(\{[^}]*\})?")
_LABEL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)")

# The series Prometheus stores for each metric type (text exposition format).
_SERIES_SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "summary": ("", "_sum", "_count", "_created"),
    "gauge": ("",),
    "info": ("_info",),
    "enum": ("",),
}


class MissingVariable(Exception):
    """A `${VAR:?message}` whose variable is unset or empty."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


# ----------------------------------------------------------------------------- helpers


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def compose_validator() -> Validator:
    """The validator for the Compose Specification schema named by AITRAIL_COMPOSE_SCHEMA."""
    location = os.environ.get(SCHEMA_VARIABLE)
    if not location:
        pytest.fail(
            f"{SCHEMA_VARIABLE} is not set: it names the Compose Specification JSON Schema, "
            "fetched from PyPI once by `make compose-schema`. Run the tests with `make test` or "
            "`make test-unit`, or run `make compose-schema` and export "
            f"{SCHEMA_VARIABLE}=$AITRAIL_CACHE/compose-spec/check-jsonschema-<version>/"
            "compose-spec.json (see the Makefile).",
            pytrace=False,
        )
    path = Path(location)
    if not path.is_file():
        pytest.fail(f"{SCHEMA_VARIABLE}={location} does not exist; run `make compose-schema`",
                    pytrace=False)
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def iter_strings(node: Any) -> Iterator[str]:
    """Every string value in a parsed YAML document (compose interpolates values, not keys)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, Mapping):
        for value in node.values():
            yield from iter_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from iter_strings(value)


def referenced_variables(text: str) -> set[str]:
    names: set[str] = set()
    for match in _REFERENCE.finditer(text):
        if match["named"]:
            names.add(match["named"])
        elif match["braced"] is not None:
            braced = _BRACED.fullmatch(match["braced"])
            if braced is None:
                raise ValueError(f"malformed interpolation ${{{match['braced']}}} in {text!r}")
            names.add(braced["name"])
    return names


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Compose's interpolation: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err},
    ${VAR?err}, ${VAR:+alt}, ${VAR+alt}, and $$ for a literal $."""

    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        if match["named"]:
            return env.get(match["named"], "")
        braced = _BRACED.fullmatch(match["braced"])
        if braced is None:
            raise ValueError(f"malformed interpolation ${{{match['braced']}}}")
        name, op, arg = braced["name"], braced["op"], braced["arg"] or ""
        value = env.get(name)
        # with a colon, an empty value counts as unset
        is_set = value is not None and (bool(value) or not (op or "").startswith(":"))
        if op is None:
            return value or ""
        if op in (":-", "-"):
            return value if is_set and value is not None else arg
        if op in (":?", "?"):
            if not is_set or value is None:
                raise MissingVariable(name, arg)
            return value
        return arg if is_set else ""

    return _REFERENCE.sub(substitute, text)


def interpolate_document(node: Any, env: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, Mapping):
        return {key: interpolate_document(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate_document(value, env) for value in node]
    return node


def env_example() -> dict[str, str]:
    entries: dict[str, str] = {}
    for number, raw in enumerate(ENV_EXAMPLE.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _ENV_LINE.fullmatch(line)
        assert match, f".env.example:{number}: not a NAME=value line: {raw!r}"
        entries[match["name"]] = match["value"]
    return entries


def filled_env() -> dict[str, str]:
    """.env.example with its blank secrets filled in, as an operator would."""
    env = env_example()
    for name in REQUIRED_SECRETS:
        env[name] = env[name] or "0123456789abcdef" * 4
    return env


def environment_of(service: Mapping[str, Any]) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {str(key): "" if value is None else str(value) for key, value in environment.items()}


def settings_variables() -> set[str]:
    return {f"AITRAIL_{name.upper()}" for name in Settings.model_fields}


def exported_series() -> dict[str, frozenset[str]]:
    """Every series name aitrail/metrics.py exports, with the label names it may carry."""
    series: dict[str, frozenset[str]] = {}
    for collector in vars(metrics).values():
        if not isinstance(collector, MetricWrapperBase):
            continue
        labels = frozenset(collector._labelnames)
        for family in collector.describe():
            for suffix in _SERIES_SUFFIXES.get(family.type, ("",)):
                extra = {"le"} if suffix == "_bucket" else set()
                series[family.name + suffix] = labels | extra
    assert series, "aitrail/metrics.py declares no collectors"
    return series


def unknown_metric_references(expr: str, series: Mapping[str, frozenset[str]]) -> list[str]:
    """Problems with the aitrail_* series a PromQL expression reads: unknown names or labels."""
    problems = []
    for match in _METRIC.finditer(expr):
        name, selector = match[1], match[2] or ""
        if name not in series:
            problems.append(f"{name} is not exported by aitrail/metrics.py")
            continue
        allowed = series[name] | {"job", "instance"}
        for label in _LABEL.findall(selector):
            if label not in allowed:
                problems.append(f"{name} has no label {label!r} (it has {sorted(series[name])})")
    return problems


def alert_rules() -> list[dict[str, Any]]:
    document = load_yaml(ALERTS)
    return [rule for group in document["groups"] for rule in group["rules"]]


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = load_yaml(COMPOSE)
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def validator() -> Validator:
    return compose_validator()


# ----------------------------------------------------------------------------- compose schema


def schema_errors(validator: Validator, document: Any) -> str:
    """Every violation, one line each with its path (empty when the document is valid)."""
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    return "\n".join(
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors
    )


def test_compose_file_is_valid_against_the_compose_specification(
    compose: dict[str, Any], validator: Validator
) -> None:
    problems = schema_errors(validator, compose)
    assert not problems, f"docker-compose.yml:\n{problems}"


def test_compose_file_is_valid_after_interpolation(
    compose: dict[str, Any], validator: Validator
) -> None:
    problems = schema_errors(validator, interpolate_document(compose, filled_env()))
    assert not problems, f"docker-compose.yml with .env.example's values:\n{problems}"


def mutate_condition(doc: dict[str, Any]) -> None:
    doc["services"]["worker"]["depends_on"]["topics"]["condition"] = "service_completed"


def mutate_misspelled_key(doc: dict[str, Any]) -> None:
    doc["services"]["clickhouse"]["healthchek"] = doc["services"]["clickhouse"].pop("healthcheck")


def mutate_wrong_type(doc: dict[str, Any]) -> None:
    doc["services"]["kafka"]["healthcheck"]["interval"] = 10


def mutate_top_level(doc: dict[str, Any]) -> None:
    doc["service"] = doc.pop("services")


@pytest.mark.parametrize(
    "mutate", [mutate_condition, mutate_misspelled_key, mutate_wrong_type, mutate_top_level]
)
def test_the_validator_rejects_a_broken_compose_file(
    compose: dict[str, Any], validator: Validator, mutate: Any
) -> None:
    broken = copy.deepcopy(compose)
    mutate(broken)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)


def test_missing_schema_variable_fails_with_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SCHEMA_VARIABLE, raising=False)
    with pytest.raises(pytest.fail.Exception, match="make compose-schema"):
        compose_validator()


# ----------------------------------------------------------------------------- variables


def test_every_interpolated_variable_is_in_env_example(compose: dict[str, Any]) -> None:
    used = set().union(*(referenced_variables(s) for s in iter_strings(compose)))
    assert used, "docker-compose.yml interpolates no variables: the parser is broken"
    missing = sorted(used - env_example().keys())
    assert not missing, f"used in docker-compose.yml but not in .env.example: {missing}"


def test_env_example_documents_only_variables_compose_uses(compose: dict[str, Any]) -> None:
    used = set().union(*(referenced_variables(s) for s in iter_strings(compose)))
    unused = sorted(env_example().keys() - used)
    assert not unused, f"in .env.example but not used by docker-compose.yml: {unused}"


def test_env_example_tells_how_to_make_the_hash_key() -> None:
    assert "openssl rand -hex 32" in ENV_EXAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize("secret", sorted(REQUIRED_SECRETS))
def test_compose_refuses_to_start_without_a_secret(compose: dict[str, Any], secret: str) -> None:
    env = filled_env()
    env[secret] = ""
    with pytest.raises(MissingVariable) as raised:
        interpolate_document(compose, env)
    assert raised.value.name == secret


def test_interpolation_helper_understands_the_compose_syntax() -> None:
    env = {"SET": "v", "EMPTY": ""}
    assert interpolate("a${SET}b$SET$$SET", env) == "avbv$SET"
    assert interpolate("${EMPTY:-d}|${EMPTY-d}|${UNSET-d}", env) == "d||d"
    assert interpolate("${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}", env) == "alt||alt"
    with pytest.raises(MissingVariable):
        interpolate("${EMPTY:?needed}", env)
    assert referenced_variables("$$NOT ${A:-x} $B ${C:?say why}") == {"A", "B", "C"}


def test_every_aitrail_variable_is_a_setting(compose: dict[str, Any]) -> None:
    fields = settings_variables()
    assert not COMPOSE_ONLY_VARIABLES & fields, "a compose-only variable became a setting"
    problems = []
    for name, service in compose["services"].items():
        for key in environment_of(service):
            if key.startswith("AITRAIL_") and key not in fields:
                problems.append(f"services.{name}.environment.{key}")
    for variable in set().union(*(referenced_variables(s) for s in iter_strings(compose))):
        if variable.startswith("AITRAIL_") and variable not in fields | COMPOSE_ONLY_VARIABLES:
            problems.append(f"${{{variable}}}")
    assert not problems, (
        f"not fields of aitrail.settings.Settings (AITRAIL_<FIELD>): {sorted(problems)}"
    )


def test_every_aitrail_service_gets_the_same_configuration(compose: dict[str, Any]) -> None:
    services = compose["services"]
    aitrail = {n for n, s in services.items() if s.get("image") == AITRAIL_IMAGE}
    assert aitrail == set(AITRAIL_SERVICES)
    environments = {n: environment_of(services[n]) for n in AITRAIL_SERVICES}
    assert all(env == environments["worker"] for env in environments.values()), environments


def test_the_containers_get_a_configuration_aitrail_accepts(compose: dict[str, Any]) -> None:
    env = interpolate_document(environment_of(compose["services"]["worker"]), filled_env())
    settings = load_settings(**{key.removeprefix("AITRAIL_").lower(): v for key, v in env.items()})
    assert settings.require_hash_key()
    assert settings.clickhouse_dsn.startswith("http://aitrail:")
    assert settings.kafka_bootstrap_servers == "kafka:9092"
    assert settings.topic_partitions == int(env_example()["AITRAIL_TOPIC_PARTITIONS"])


def test_ports_are_published_on_loopback_only_and_workers_can_scale(
    compose: dict[str, Any],
) -> None:
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            published = port if isinstance(port, str) else port.get("host_ip", "")
            assert str(published).startswith("127.0.0.1"), f"{name} publishes {port!r}"
    worker = compose["services"]["worker"]
    assert "ports" not in worker and "container_name" not in worker


# ----------------------------------------------------------------------------- prometheus


def test_prometheus_scrapes_the_workers_and_loads_the_alerts(compose: dict[str, Any]) -> None:
    config = load_yaml(PROMETHEUS)
    assert [PROMETHEUS.parent / f for f in config["rule_files"]] == [ALERTS]
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    (sd,) = jobs[WORKER_JOB]["dns_sd_configs"]
    assert sd["names"] == ["worker"] and sd["type"] == "A"
    metrics_port = environment_of(compose["services"]["worker"])["AITRAIL_METRICS_PORT"]
    assert sd["port"] == int(metrics_port)


def test_alerts_read_only_series_aitrail_exports() -> None:
    series = exported_series()
    rules = alert_rules()
    assert rules
    problems = []
    for rule in rules:
        found = unknown_metric_references(rule["expr"], series)
        problems += [f"{rule['alert']}: {problem}" for problem in found]
    assert not problems, "\n".join(problems)
    read = {m[1] for rule in rules for m in _METRIC.finditer(rule["expr"])}
    assert read >= {"aitrail_sink_failures_total", "aitrail_worker_unscanned_total",
                    "aitrail_worker_events_total", "aitrail_worker_end_to_end_seconds_bucket"}


def test_the_metric_check_catches_a_wrong_name() -> None:
    series = exported_series()
    assert unknown_metric_references("rate(aitrail_sink_failure_total[5m])", series)
    # a counter is stored as <name>_total: the bare name matches no series
    assert unknown_metric_references("rate(aitrail_sink_failures[5m])", series)
    assert unknown_metric_references('aitrail_worker_events_total{outcom="x"}', series)
    assert not unknown_metric_references(
        'sum by (le) (rate(aitrail_worker_batch_stage_seconds_bucket{stage="sink"}[5m]))', series
    )


def test_every_alert_tells_the_on_call_what_is_wrong_and_what_to_do() -> None:
    config = load_yaml(PROMETHEUS)
    jobs = {job["job_name"] for job in config["scrape_configs"]}
    names = []
    for rule in alert_rules():
        names.append(rule["alert"])
        assert set(rule) <= {"alert", "expr", "for", "keep_firing_for", "labels", "annotations"}
        assert rule["labels"]["severity"] in {"critical", "warning"}, rule["alert"]
        annotations = rule["annotations"]
        assert annotations["summary"].strip() and len(annotations["description"]) > 80
        for job in re.findall(r'job="([^"]+)"', rule["expr"]):
            assert job in jobs, f"{rule['alert']} reads job {job!r}, which is not scraped"
    assert len(names) == len(set(names))
