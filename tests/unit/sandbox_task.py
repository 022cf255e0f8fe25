"""A task module for tests/unit/test_sandbox.py. Importing it leaves a mark: the importing process's PID,
appended to a file named after its parent's PID, so the test sees which process imported it, how often."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def import_log(parent_pid: int) -> Path:
    return Path(tempfile.gettempdir()) / f"shopdata-sandbox-imports-{parent_pid}.txt"


with open(import_log(os.getppid()), "a") as log:
    log.write(f"{os.getpid()}\n")


def own_pid() -> bytes:
    return str(os.getpid()).encode()
