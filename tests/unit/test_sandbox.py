"""shopdata.sandbox: the limited process, apart from what runs in it (tests/unit/ingest/test_guard.py reads
files in it)."""

from __future__ import annotations

import os

import pytest

from shopdata import sandbox


def test_the_helper_imports_a_task_module_once_and_forks_a_process_per_task() -> None:
    if not sandbox._USE_ZYGOTE:
        pytest.skip("no fork here: each task starts a fresh Python")
    from tests.unit import sandbox_task  # in this process: marks the log named after pytest's parent

    log = sandbox_task.import_log(os.getpid())  # what processes started by this one mark
    log.unlink(missing_ok=True)
    try:
        pids = {int(sandbox.run_limited(sandbox_task.own_pid, (), 60, 256)) for _ in range(3)}
        zygote = sandbox._zygote
        assert zygote is not None
        # Imported by the helper, before its first fork, and not again by the forked processes.
        assert log.read_text().split() == [str(zygote.process.pid)]
    finally:
        log.unlink(missing_ok=True)
    assert len(pids) == 3 and os.getpid() not in pids and zygote.process.pid not in pids


def answer_too_late() -> bytes:
    import time

    time.sleep(30)
    return b"late"


def test_a_task_past_its_time_is_stopped() -> None:
    with pytest.raises(sandbox.WorkerFailure) as caught:
        sandbox.run_limited(answer_too_late, (), 1, 256)
    assert caught.value.kind == "timeout"
    assert caught.value.describe("the file") == (
        "the file could not be read safely: reading it takes longer than the time allowed (1 s) "
        "(it may be damaged or built to hang the reader)"
    )
