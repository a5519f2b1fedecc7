"""The Rust extension ``aitrail_native`` (native/, built into the venv by ``make install``).

Every native function has a pure-Python twin that stays the reference and the fallback: the
engine gives the same findings with or without the extension, only slower without it (tests
hold each pair equal). ``AITRAIL_NATIVE=0`` turns the extension off, to compare the two or to
rule it out when something looks wrong.
"""

from __future__ import annotations

import functools
import logging
import os
from types import ModuleType

log = logging.getLogger(__name__)

BUILD_HINT = ("build it with `make install` (needs Rust's cargo), or `pip install ./native` "
              "in the environment that runs aitrail")


@functools.cache
def native_module() -> ModuleType | None:
    """``aitrail_native``, or None when it is switched off or not built (logged once)."""
    if os.environ.get("AITRAIL_NATIVE", "1") == "0":
        return None
    try:
        import aitrail_native
    except ImportError:
        log.warning("aitrail_native is not installed: detection runs its pure-Python paths, "
                    "several times slower; %s", BUILD_HINT)
        return None
    module: ModuleType = aitrail_native
    return module
