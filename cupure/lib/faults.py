"""Named crash points for the worker's crash-injection tests (SECURITY.md 10.4).

``fault("after_insert", 3)`` does nothing unless ``CUPURE_FAULT=after_insert:3`` is set, in which case
the process kills itself with SIGKILL right there, as a power cut would.
"""

from __future__ import annotations

import os
import signal


def fault(point: str, index: int | None = None) -> None:
    wanted = os.environ.get("CUPURE_FAULT")
    if not wanted:
        return
    name, _, at = wanted.partition(":")
    if name != point:
        return
    if at and index is not None and str(index) != at:
        return
    os.kill(os.getpid(), signal.SIGKILL)
