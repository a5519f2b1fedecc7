"""Child processes that must not outlive their parent (detection processes, the demo's broker
and worker): on Linux the kernel signals them when the parent dies (prctl PR_SET_PDEATHSIG)."""

from __future__ import annotations

import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Call in the child. No-op where the kernel has no such option."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)
