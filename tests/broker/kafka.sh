#!/usr/bin/env bash
# Single-node Apache Kafka broker (KRaft, combined broker+controller, loopback
# only) for integration tests.
#
#   bash tests/broker/kafka.sh fetch    # resolve Kafka jars into the cache (idempotent)
#   bash tests/broker/kafka.sh start    # fetch if needed, fresh data dir, start, wait until healthy
#   bash tests/broker/kafka.sh stop     # stop the broker, remove its data dir
#   bash tests/broker/kafka.sh status   # exit 0 if running, 1 if not
#
# Environment:
#   KAFKA_PORT             client listener port            (default 39092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener port  (default 39093)
#   KAFKA_DATA_DIR         data dir (properties, log dirs, broker.log, broker.pid)
#                                                          (default /tmp/aitrail-kafka-$KAFKA_PORT)
#   AITRAIL_CACHE          cache root; jars go to $AITRAIL_CACHE/kafka-4.4.0/libs
#                                                          (default $HOME/.cache/aitrail)
#   KAFKA_START_TIMEOUT    seconds to wait for a healthy broker (default 60)
#   KAFKA_LOG_LEVEL        root log4j2 level in broker.log (default INFO)
#   KAFKA_HEAP_OPTS        JVM heap options (default "-Xmx512m -Xms256m")
#   KAFKA_EXTRA_JAVA_OPTS  extra JVM options appended to the command line
#   KAFKA_KEEP_DATA=1      `stop` keeps the data dir (e.g. to read broker.log)
#   JAVA                   java binary (default: $JAVA_HOME/bin/java, else java on PATH)
#
# Only `fetch` touches the network (Maven Central, through mvn).  Java 17+ and
# Maven are required.
set -euo pipefail

KAFKA_VERSION=4.4.0
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$SCRIPT_DIR/pom.xml"

CACHE_ROOT="${AITRAIL_CACHE:-$HOME/.cache/aitrail}"
KAFKA_HOME="$CACHE_ROOT/kafka-$KAFKA_VERSION"
LIBS="$KAFKA_HOME/libs"
MARKER="$KAFKA_HOME/.fetch-complete"

PORT="${KAFKA_PORT:-39092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-39093}"
DATA_DIR="${KAFKA_DATA_DIR:-/tmp/aitrail-kafka-$PORT}"
PID_FILE="$DATA_DIR/broker.pid"
LOG_FILE="$DATA_DIR/broker.log"
OWN_MARK="$DATA_DIR/.aitrail-kafka"   # proves the dir is ours before rm -rf
START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"

say() { echo "kafka.sh: $*"; }
die() { echo "kafka.sh: error: $*" >&2; exit 1; }

java_bin() {
  if [[ -n "${JAVA:-}" ]]; then echo "$JAVA"
  elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then echo "$JAVA_HOME/bin/java"
  else command -v java || die "java not found (Java 17+ needed)"
  fi
}

check_java() {
  local v major
  v="$("$(java_bin)" -version 2>&1 | head -n1)"
  major="$(sed -E 's/.*version "([0-9]+)(\.[0-9]+)?.*/\1/' <<<"$v")"
  if [[ "$major" == 1 ]]; then major=8; fi
  [[ "$major" =~ ^[0-9]+$ && "$major" -ge 17 ]] || die "Kafka $KAFKA_VERSION needs Java 17+, found: $v"
}

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

cache_complete() {
  [[ -f "$MARKER" && "$(cat "$MARKER")" == "$(pom_hash)" ]] \
    && compgen -G "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null
}

cmd_fetch() {
  if cache_complete; then
    say "jar cache complete: $LIBS"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (needed once to fetch Kafka jars)"
  mkdir -p "$KAFKA_HOME"
  # Serialize concurrent fetches (parallel test sessions share the cache).
  exec 8>"$KAFKA_HOME/.fetch.lock"
  if command -v flock >/dev/null; then flock 8; fi
  if cache_complete; then
    say "jar cache complete: $LIBS"
    return 0
  fi
  say "fetching kafka_2.13:$KAFKA_VERSION and runtime deps from Maven Central into $LIBS ..."
  local t0=$SECONDS tmp="$KAFKA_HOME/libs.tmp.$$"
  rm -rf "$tmp"
  if ! mvn -q -B -f "$POM" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$tmp" >"$KAFKA_HOME/fetch.log" 2>&1; then
    tail -n 40 "$KAFKA_HOME/fetch.log" >&2 || true
    rm -rf "$tmp"
    die "mvn dependency:copy-dependencies failed (full log: $KAFKA_HOME/fetch.log)"
  fi
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || { rm -rf "$tmp"; die "kafka_2.13-$KAFKA_VERSION.jar missing after fetch"; }
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  pom_hash >"$MARKER"
  say "fetched $(ls "$LIBS" | wc -l) jars ($(du -sh "$LIBS" | cut -f1)) in $((SECONDS - t0))s"
}

read_pid() { [[ -f "$PID_FILE" ]] && tr -dc '0-9' <"$PID_FILE" || true; }

# True if $1 is a live kafka.Kafka process started for this data dir.
is_our_broker() {
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 0   # no procfs: trust kill -0
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "kafka.Kafka $DATA_DIR/server.properties"
}

port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

remove_data_dir() {
  [[ -e "$DATA_DIR" ]] || return 0
  case "$DATA_DIR" in ""|"/"|"$HOME"|"$HOME/") die "refusing to remove data dir '$DATA_DIR'";; esac
  if [[ -f "$OWN_MARK" || -z "$(ls -A "$DATA_DIR" 2>/dev/null)" ]]; then
    rm -rf "$DATA_DIR"
  else
    die "$DATA_DIR exists and was not made by kafka.sh; refusing to delete it (set KAFKA_DATA_DIR)"
  fi
}

# Kafka Uuid: 16 random bytes, url-safe base64 without padding; like
# Uuid.randomUuid() avoid a leading '-' (it looks like a CLI flag).
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* && ${#id} -eq 22 ]] && { echo "$id"; return; }
  done
}

write_config() {
  cat >"$DATA_DIR/server.properties" <<EOF
# generated by tests/broker/kafka.sh -- single-node KRaft test broker
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR/kraft-logs
num.partitions=3
auto.create.topics.enable=false
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# small internal topics: faster first consumer-group / transaction use
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5
share.coordinator.state.topic.num.partitions=5
# sized for a 2-core test machine and a 512 MiB heap
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.cleaner.dedupe.buffer.size=16777216
log.retention.hours=24
EOF
  cat >"$DATA_DIR/log4j2.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- generated by tests/broker/kafka.sh: everything to stdout (= broker.log) -->
<Configuration status="WARN">
  <Appenders>
    <Console name="STDOUT" target="SYSTEM_OUT">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="${KAFKA_LOG_LEVEL:-INFO}"><AppenderRef ref="STDOUT"/></Root>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="org.apache.kafka.common.config.AbstractConfig" level="WARN"/>
    <Logger name="org.apache.kafka.common.utils.AppInfoParser" level="WARN"/>
  </Loggers>
</Configuration>
EOF
}

java_opts() {
  # shellcheck disable=SC2206
  local heap=(${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}) extra=(${KAFKA_EXTRA_JAVA_OPTS:-})
  JOPTS=("${heap[@]}" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20
         -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent
         -Djava.awt.headless=true
         "-Dlog4j2.configurationFile=$DATA_DIR/log4j2.xml"
         "-Dkafka.logs.dir=$DATA_DIR/logs"
         ${extra[@]+"${extra[@]}"})
}

cmd_start() {
  local pid
  pid="$(read_pid)"
  if is_our_broker "$pid"; then
    say "already running (pid $pid, 127.0.0.1:$PORT, data $DATA_DIR)"
    return 0
  fi
  check_java
  cmd_fetch
  if port_open "$PORT"; then die "127.0.0.1:$PORT is already in use by another process"; fi
  if port_open "$CONTROLLER_PORT"; then die "127.0.0.1:$CONTROLLER_PORT is already in use by another process"; fi

  [[ -n "$pid" ]] && say "removing stale data dir $DATA_DIR (pid $pid not running)"
  remove_data_dir
  mkdir -p "$DATA_DIR/logs"
  : >"$OWN_MARK"
  write_config
  java_opts
  local java t0=$SECONDS cid
  java="$(java_bin)"
  cid="$(new_cluster_id)"

  if ! "$java" -Xmx256m -cp "$LIBS/*" "-Dlog4j2.configurationFile=$DATA_DIR/log4j2.xml" \
        kafka.tools.StorageTool format --standalone -t "$cid" \
        -c "$DATA_DIR/server.properties" >"$DATA_DIR/format.log" 2>&1; then
    cat "$DATA_DIR/format.log" >&2
    die "storage format failed"
  fi

  # New session (setsid) so the broker outlives the caller's process group;
  # the inner shell writes its own pid and execs java, so the pid is java's.
  local launcher=()
  command -v setsid >/dev/null && launcher=(setsid)
  ${launcher[@]+"${launcher[@]}"} bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
    "$java" "${JOPTS[@]}" -cp "$LIBS/*" kafka.Kafka "$DATA_DIR/server.properties" \
    >"$LOG_FILE" 2>&1 </dev/null &
  disown 2>/dev/null || true

  local deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    pid="$(read_pid)"
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      say "broker process $pid exited during startup; last 50 lines of $LOG_FILE:" >&2
      tail -n 50 "$LOG_FILE" >&2 || true
      exit 1
    fi
    if [[ -n "$pid" ]] && grep -q "Kafka Server started" "$LOG_FILE" 2>/dev/null && port_open "$PORT"; then
      break
    fi
    if (( SECONDS >= deadline )); then
      say "broker not healthy after ${START_TIMEOUT}s; last 50 lines of $LOG_FILE:" >&2
      tail -n 50 "$LOG_FILE" >&2 || true
      [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null || true
      exit 1
    fi
    sleep 0.25
  done
  say "started (pid $pid) on 127.0.0.1:$PORT in $((SECONDS - t0))s; data $DATA_DIR, log $LOG_FILE"
}

cmd_stop() {
  local pid
  pid="$(read_pid)"
  if is_our_broker "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 80; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "pid $pid did not exit within 20s after SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 20; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
    say "stopped (pid $pid)"
  else
    say "not running${pid:+ (stale pid $pid)}"
  fi
  if [[ "${KAFKA_KEEP_DATA:-0}" == 1 ]]; then
    [[ -e "$DATA_DIR" ]] && say "kept data dir $DATA_DIR"
    rm -f "$PID_FILE"
  else
    remove_data_dir
  fi
}

cmd_status() {
  local pid
  pid="$(read_pid)"
  if is_our_broker "$pid"; then
    if port_open "$PORT"; then
      say "running (pid $pid) on 127.0.0.1:$PORT; data $DATA_DIR"
    else
      say "running (pid $pid) but 127.0.0.1:$PORT not accepting connections; data $DATA_DIR"
    fi
    return 0
  fi
  say "not running (127.0.0.1:$PORT${pid:+, stale pid $pid})"
  return 1
}

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  -h|--help|help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *) echo "usage: kafka.sh {fetch|start|stop|status}  (kafka.sh help for details)" >&2; exit 2 ;;
esac
