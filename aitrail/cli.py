"""The ``aitrail`` command. Each subcommand is a thin shell over a module that does the work."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aitrail import __version__
from aitrail.errors import AitrailError

EPILOG = """\
The way of an event:
  your service ──JSON──▶ Kafka (llm.requests, llm.responses, access.events)
     ──▶ aitrail worker: validate, detect PII, redact, keyed-hash
     ──▶ ClickHouse (audit_log, findings, access_log, dead_letters) ──▶ aitrail query

Start here:
  aitrail demo                          everything embedded, synthetic traffic, a summary
  aitrail topics create                 create the topics on your Kafka
  aitrail worker                        run a worker (applies migrations first)
  aitrail produce events.jsonl          send JSONL events
  aitrail query requests-by-model       canned compliance queries, or --sql
  aitrail scan texts.jsonl --redact     the detection engine alone, on JSONL texts

Configuration is read from AITRAIL_* environment variables (or .env); see README.md.
"""


def _parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(
        prog="aitrail", formatter_class=fmt,
        description="Audit trail for LLM traffic: redacted, hashed, queryable evidence for SOC 2.",
        epilog=EPILOG,
    )
    p.add_argument("--version", action="version", version=f"aitrail {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    topics = sub.add_parser("topics", help="create or list aitrail's Kafka topics",
                            formatter_class=fmt, description=(
                                "Create the topics aitrail reads and writes, with "
                                "AITRAIL_TOPIC_PARTITIONS and AITRAIL_TOPIC_REPLICATION_FACTOR. "
                                "Safe to run again: existing topics are left as they are."))
    topics.add_argument("action", choices=["create", "list"])

    sub.add_parser("migrate", help="apply pending ClickHouse migrations", description=(
        "Apply the numbered SQL files in sinks/migrations to AITRAIL_CLICKHOUSE_DSN and record "
        "them in aitrail_migrations. Workers do this on start too."))

    wrk = sub.add_parser("worker", help="run a stream worker until Ctrl-C", formatter_class=fmt,
                   description=(
                       "Consume llm.requests, llm.responses and access.events; validate, detect "
                       "PII, redact, hash with AITRAIL_HASH_KEY, and store rows in ClickHouse.\n"
                       "Offsets are committed only after the rows are stored. Invalid messages "
                       "go to aitrail.dlq with the reason.\nRun more workers (same "
                       "AITRAIL_WORKER_GROUP) to scale out; chdb:// allows one worker."))
    wrk.add_argument("--exit-with-parent", action="store_true",
                     help="die (SIGKILL) with the process that started this one; offsets "
                          "are committed only after rows are stored, so nothing is lost "
                          "(Linux; used by `aitrail demo`)")

    prod = sub.add_parser("produce", help="send JSONL events to Kafka", formatter_class=fmt,
                          description=(
                              "Send one event per line (JSON objects with event_type "
                              "llm.request, llm.response or access). Lines are validated "
                              "against the contracts first; invalid lines are reported with "
                              "their line number and skipped (exit code 1).\n\n"
                              "example:\n  aitrail produce events.jsonl\n"
                              "  cat events.jsonl | aitrail produce -"))
    prod.add_argument("file", help="JSONL file, or - for stdin")
    prod.add_argument("--no-validate", action="store_true",
                      help="send lines as they are (the workers dead-letter invalid ones)")

    q = sub.add_parser("query", help="canned compliance queries, or your own SQL",
                       formatter_class=fmt, description=_query_help())
    q.add_argument("name", nargs="?", help="a canned query (list below)")
    q.add_argument("--sql", help="run this SQL instead")
    q.add_argument("--user", help="user id, for user-requests")
    q.add_argument("--since", help="start of the window (default: 30 days ago), ISO 8601")
    q.add_argument("--until", help="end of the window (default: now), ISO 8601")
    q.add_argument("--limit", type=int, default=100, help="max rows (default 100)")

    pol = sub.add_parser("policy", help="check a guardrail policy, or see what it does",
                         formatter_class=fmt, description=(
                             "Guardrail policies are YAML: rules map finding types, scores and "
                             "fields to an action (allow, redact, flag, block-recommended) and a "
                             "severity, with overrides per tenant and service. The default policy "
                             "is pipelines/policy/default.yaml; set AITRAIL_POLICY_FILE to use "
                             "yours.\n\nexamples:\n"
                             "  aitrail policy check my-policy.yaml\n"
                             "  aitrail policy explain schemas/examples/llm_request_prompt.json\n"
                             "  aitrail policy explain --policy my-policy.yaml event.json "
                             "--findings '[{\"type\": \"US_SSN\", \"start\": 10, \"end\": 21, "
                             "\"score\": 0.9}]'"))
    pol_sub = pol.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    pol_check = pol_sub.add_parser("check", help="validate a policy file (errors name the line)")
    pol_check.add_argument("file")
    pol_explain = pol_sub.add_parser("explain", help="what a policy does to a sample event")
    pol_explain.add_argument("event", help="an event JSON file (see schemas/examples)")
    pol_explain.add_argument("--policy", help="policy file (default: the shipped default)")
    pol_explain.add_argument("--findings", help="findings JSON (file or inline); default: scan "
                             "the event's text with the detection engine")

    inc = sub.add_parser("incident", help="list, show, acknowledge and resolve incidents",
                         formatter_class=fmt, description=(
                             "Violations of one user and rule within AITRAIL_INCIDENT_WINDOW_S "
                             "form one incident; security events (failed logins, admin grants, "
                             "LLM use after deprovisioning) open their own. Each incident goes "
                             "open → acknowledged → resolved, with a timeline.\n\n"
                             "list/show read ClickHouse (stop the worker first on an embedded "
                             "chdb store); ack/resolve send a command through Kafka.\n\n"
                             "examples:\n  aitrail incident list --status open\n"
                             "  aitrail incident show inc-3f9a...\n"
                             "  aitrail incident ack inc-3f9a... --by alice --note 'looking'\n"
                             "  aitrail incident resolve inc-3f9a... --by alice"))
    inc_sub = inc.add_subparsers(dest="incident_command", metavar="ACTION", required=True)
    inc_list = inc_sub.add_parser("list", help="incidents, newest first")
    inc_list.add_argument("--status", choices=["open", "acknowledged", "resolved"])
    inc_list.add_argument("--limit", type=int, default=50)
    inc_show = inc_sub.add_parser("show", help="one incident and its timeline")
    inc_show.add_argument("incident_id")
    for name, verb in (("ack", "acknowledge"), ("resolve", "resolve")):
        cmd = inc_sub.add_parser(name, help=f"{verb} an incident")
        cmd.add_argument("incident_id")
        cmd.add_argument("--by", help="who (default: your login name)")
        cmd.add_argument("--note", default="", help="a note for the timeline")

    s = sub.add_parser("scan", help="run the detection engine on JSONL texts",
                       formatter_class=fmt, description=(
                           "Read lines {\"id\": ..., \"text\": ...} from a file or stdin and "
                           "write one line per input, in order:\n"
                           "  {\"id\": ..., \"findings\": [{\"type\", \"start\", \"end\", "
                           "\"score\", \"detector\"}]}\n"
                           "Offsets are characters, end exclusive. Needs no Kafka and no store.\n\n"
                           "example:\n  echo '{\"id\": 1, \"text\": \"my SSN is 536-22-8493\"}' "
                           "| aitrail scan - --redact"))
    s.add_argument("file", help="JSONL file, or - for stdin")
    s.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="detection processes (default: all cores)")
    s.add_argument("--redact", action="store_true",
                   help="add the redacted text (every finding masked, as the worker stores it)")
    s.add_argument("--min-score", type=float, default=0.0, metavar="S",
                   help="list only findings scoring at least S (default 0: every finding, weak "
                        "candidates included, as Presidio; 0.4 keeps the ones the default "
                        "policy acts on)")
    s.add_argument("-o", "--output", help="write here instead of stdout")

    d = sub.add_parser("demo", help="run the whole path on embedded parts", formatter_class=fmt,
                       description=(
                           "Start an embedded Kafka (noida-db) and chDB store, create topics, run "
                           "a worker, produce synthetic LLM traffic (or your --events), wait "
                           "until every event is stored, and print a summary.\n\n"
                           "example:\n  aitrail demo --requests 2000\n"
                           "  aitrail demo --events my-events.jsonl --store /tmp/trail"))
    d.add_argument("--events", help="JSONL events to send instead of synthetic traffic")
    d.add_argument("--store", default=".aitrail/demo", help="directory for the store "
                   "(default .aitrail/demo)")
    d.add_argument("--requests", type=int, default=1500,
                   help="synthetic LLM calls to generate (each is a request and a response)")
    d.add_argument("--append", action="store_true", help="add to an existing demo store")
    d.add_argument("--processes", type=int, help="detection processes (default: all cores)")
    return p


def _query_help() -> str:
    from sinks.queries import CANNED

    lines = ["Canned queries (read with FINAL, so redelivered events count once):", ""]
    lines += [f"  {q.name:<18} {q.summary}" for q in CANNED.values()]
    lines += ["", "examples:", "  aitrail query user-requests --user u-1042 --since 2026-11-01",
              "  aitrail query --sql \"SELECT model, count() FROM audit_log FINAL GROUP BY model\""]
    return "\n".join(lines)


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("aitrail", "pipelines", "sinks"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.DEBUG if verbose else logging.INFO)
        logger.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _configure_logging(args.verbose)
    try:
        return _dispatch(args)
    except AitrailError as exc:
        print(f"aitrail: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    from aitrail.settings import load_settings

    if args.command == "demo":
        from aitrail.demo import run_demo

        summary = run_demo(store=Path(args.store), events_file=args.events,
                           requests=args.requests, append=args.append, processes=args.processes)
        print(summary.render())
        return 0 if summary.stored + summary.dead_letters == summary.sent else 1

    if args.command == "policy":
        from pipelines.policy import cli as policy_cli

        if args.policy_command == "check":
            ok, report = policy_cli.check(args.file)
            print(report)
            return 0 if ok else 1
        print(policy_cli.explain(args.policy, args.event, args.findings))
        return 0

    if args.command == "scan":
        from aitrail.scan_cmd import scan_file

        if args.output:
            with open(args.output, "w", encoding="utf-8") as out:
                return scan_file(args.file, out, workers=args.workers, redact=args.redact,
                                 min_score=args.min_score)
        return scan_file(args.file, sys.stdout, workers=args.workers, redact=args.redact,
                         min_score=args.min_score)

    settings = load_settings()
    if args.command == "topics":
        from aitrail.kafka_admin import admin, create_topics, wait_for_broker

        if args.action == "create":
            for status in create_topics(settings):
                print(f"{status.name:<16} {status.status:<34} partitions={status.partitions}")
        else:
            wait_for_broker(settings)
            for name, meta in sorted(admin(settings).list_topics(timeout=10).topics.items()):
                print(f"{name:<40} partitions={len(meta.partitions)}")
        return 0
    if args.command == "migrate":
        from sinks.clickhouse import describe, open_store
        from sinks.migrate import migrate

        client = open_store(settings.clickhouse_dsn)
        applied = migrate(client)
        for m in applied:
            print(f"applied {m.version:04d}_{m.name}")
        print(f"{describe(settings.clickhouse_dsn)}: up to date ({len(applied)} applied now)")
        return 0
    if args.command == "worker":
        from pipelines.worker import run_worker

        if args.exit_with_parent:
            # Not SIGTERM: a graceful stop waits on Kafka, which may have died with the parent.
            from aitrail.processes import die_with_parent

            die_with_parent()
        return run_worker(settings)
    if args.command == "produce":
        from aitrail.produce_cmd import produce_file

        return produce_file(settings, args.file, validate=not args.no_validate)
    if args.command == "query":
        return _query(settings, args)
    if args.command == "incident":
        from aitrail import incident_cmd

        if args.incident_command == "list":
            print(incident_cmd.list_incidents(settings, args.status, args.limit))
        elif args.incident_command == "show":
            print(incident_cmd.show_incident(settings, args.incident_id))
        else:
            action = "acknowledge" if args.incident_command == "ack" else "resolve"
            print(incident_cmd.send_command(settings, args.incident_id, action, args.by,
                                            args.note))
        return 0
    raise AssertionError(args.command)


def _query(settings: object, args: argparse.Namespace) -> int:
    from aitrail.settings import Settings
    from sinks.clickhouse import open_store
    from sinks.queries import CANNED, format_table, run

    assert isinstance(settings, Settings)
    if bool(args.sql) == bool(args.name):
        raise AitrailError("give a canned query name or --sql, not both; `aitrail query -h` "
                           "lists the names")
    client = open_store(settings.clickhouse_dsn)
    if args.sql:
        print(format_table(run(client, args.sql)))
        return 0
    query = CANNED.get(args.name)
    if query is None:
        raise AitrailError(f"no canned query {args.name!r}; choose from {', '.join(CANNED)}")
    missing = [n for n in query.needs if getattr(args, n) is None]
    if missing:
        raise AitrailError(f"{query.name} needs --{' --'.join(missing)}")
    now = datetime.now(UTC)
    params = {
        "user": args.user or "",
        "since": args.since or (now - timedelta(days=30)).isoformat(),
        "until": args.until or (now + timedelta(minutes=1)).isoformat(),
        "limit": args.limit,
    }
    print(format_table(run(client, query.sql, params)))
    return 0
