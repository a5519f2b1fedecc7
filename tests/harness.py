"""Run a real `aitrail worker` process for integration tests and wait on its progress."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from aitrail.kafka_admin import group_lag
from aitrail.settings import Settings

STARTED: list[WorkerProcess] = []


def kill_leftovers() -> None:
    """Kill workers a failed test left running (they would hold memory and Kafka partitions)."""
    while STARTED:
        worker = STARTED.pop()
        if worker.proc is not None and worker.proc.poll() is None:
            worker.kill()


class WorkerProcess:
    def __init__(self, settings: Settings, log_path: Path) -> None:
        self.settings = settings
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        env = {**os.environ, **self.settings.to_env()}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "aitrail", "worker"], env=env,
            stdout=self.log_path.open("ab"), stderr=subprocess.STDOUT,
        )
        STARTED.append(self)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def committed(self) -> int:
        lag = group_lag(self.settings, self.settings.worker_group, self.settings.topics.sources)
        return lag.committed

    def wait_committed(self, total: int, timeout_s: float = 120.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited {self.proc.returncode}:\n{self.log()[-3000:]}")
            lag = group_lag(self.settings, self.settings.worker_group,
                            self.settings.topics.sources)
            if lag.end_offsets >= total and lag.remaining == 0:
                return
            time.sleep(0.3)
        raise AssertionError(f"worker did not commit {total} messages in {timeout_s}s:\n"
                             f"{self.log()[-3000:]}")

    def stop(self) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()
