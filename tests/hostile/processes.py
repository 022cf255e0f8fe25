"""The reader processes the guard's helper (its zygote) has running, for tests that kill readers."""

from __future__ import annotations

import os
import time

from shopdata import sandbox


def running_readers() -> list[int]:
    """PIDs of the zygote's children, running or ended but not yet reaped (Linux /proc)."""
    zygote = sandbox._zygote
    if zygote is None or not zygote.alive():
        return []
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = stat.read().rsplit(")", 1)[1].split()[1]
        except OSError:
            continue
        if int(parent) == zygote.process.pid:
            found.append(int(entry))
    return found


def wait_for_no_readers(seconds: float = 5.0) -> list[int]:
    """The readers still running after waiting up to `seconds` for them to end."""
    deadline = time.monotonic() + seconds
    while (readers := running_readers()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return readers
