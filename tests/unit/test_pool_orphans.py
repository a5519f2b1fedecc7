"""Detection processes die with their worker, even when it is killed with SIGKILL."""

import os
import signal
import subprocess
import sys
import time

CHILD = """
import sys, time
from pipelines.pool import DetectionPool
pool = DetectionPool(1, engine_path="tests.unit.test_pool:Exploding")
pool.start()
pids = [p.pid for p in pool._executor._processes.values()]
print(" ".join(map(str, pids)), flush=True)
time.sleep(60)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a zombie is dead too
        return f.read().split()[2] != "Z"


def test_pool_processes_exit_when_the_worker_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    children = [int(p) for p in parent.stdout.readline().split()]
    assert children and all(alive(p) for p in children)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(alive(p) for p in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(p) for p in children)
