"""The no-Java, no-Docker Kafka for ``make demo``: noida-db, a Kafka-protocol broker shipped as
a binary in its PyPI wheel (MIT). It keeps data in RAM, so it is for demos only; tests and
production use Apache Kafka. It needs SIGINT to stop promptly (it waits for Ctrl-C).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from aitrail.errors import AitrailError


def _binary() -> str:
    """The broker binary itself, not the wheel's Python wrapper script, so that signals reach
    it directly (the wrapper would wait on its child forever after a SIGINT)."""
    try:
        from importlib.resources import files

        packaged = files("noida_db").joinpath("noida-db")
        if packaged.is_file():
            return str(packaged)
    except ModuleNotFoundError:
        pass
    found = shutil.which("noida-db", path=str(Path(sys.executable).parent)) or shutil.which(
        "noida-db")
    if not found:
        raise AitrailError("noida-db is not installed; run `make demo` (it installs it) or "
                           "`pip install noida-db==0.2.3`")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class EmbeddedKafka:
    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 15.0) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = (self.data_dir / "broker.log").open("ab")
        command = [_binary(), "start", "--only", "kafka", "--data-dir", str(self.data_dir),
                   "--kafka-port", str(self.port)]
        setpriv = shutil.which("setpriv")
        if setpriv:  # util-linux: the broker gets SIGINT if this process dies
            command = [setpriv, "--pdeathsig", "INT", *command]
        self._proc = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise AitrailError(
                    f"embedded Kafka exited at start; see {self.data_dir}/broker.log")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise AitrailError(f"embedded Kafka did not listen on {self.bootstrap} in {timeout_s}s")

    def stop(self) -> None:
        if self._proc is None or self._proc.poll() is not None:
            return
        self._proc.send_signal(signal.SIGINT)
        try:
            self._proc.wait(10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> EmbeddedKafka:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
