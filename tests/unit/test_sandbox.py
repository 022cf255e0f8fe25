"""shopdata.sandbox: the limited process, apart from what runs in it (tests/unit/ingest/test_guard.py reads
files in it)."""

from __future__ import annotations

import encodings.idna  # noqa: F401  (connect_to's host name, once it runs where nothing can be imported)
import os

import pytest

from shopdata import sandbox
from tests.conftest import ci_require


def test_the_helper_imports_a_task_module_once_and_forks_a_process_per_task() -> None:
    ci_require(sandbox._USE_ZYGOTE, "fork (the helper forks a process per task)")
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


# ------------------------------------------------------------------------------ what a task cannot reach
# Issue 9 item 15: a task runs on a hostile file, so it gets no network, no file of the machine and no
# root. Each check is an attempt made from inside the sandbox against something this test set up.


def connect_to(port: int) -> bytes:
    """A task: open a TCP connection to 127.0.0.1:port."""
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            return b"connected"
    except OSError as exc:
        return f"no connection: {exc}".encode()


def read_file_at(path: str) -> bytes:
    """A task: read the first bytes of a file by its path."""
    try:
        with open(path, "rb") as f:
            return b"read " + f.read(16)
    except OSError as exc:
        return f"no access: {exc}".encode()


def whoami() -> bytes:
    return f"{os.getuid()} {os.getcwd()} {sorted(map(int, os.listdir('/proc/self/fd')) if os.path.isdir('/proc/self/fd') else [])}".encode()


@pytest.fixture
def needs_root() -> None:
    """Network namespaces and chroot need root here (elsewhere they are dropped where permitted)."""
    ci_require(hasattr(os, "geteuid") and os.geteuid() == 0 and sandbox._USE_ZYGOTE, "root and fork")


@pytest.mark.usefixtures("needs_root")
def test_a_task_cannot_open_a_connection_to_a_loopback_listener() -> None:
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # the listener accepts connections from this process
        answer = sandbox.run_limited(connect_to, (port,), 30, 256, confined=True)
    assert answer.startswith(b"no connection"), answer


@pytest.mark.usefixtures("needs_root")
def test_a_task_cannot_read_the_warehouse(tmp_path) -> None:
    import stat
    import tempfile

    from shopdata.store import open_warehouse

    # A folder anyone may enter and a file anyone may read, as an unconfined reader would find them.
    folder = tempfile.mkdtemp(prefix="shopdata-warehouse-")
    try:
        os.chmod(folder, 0o755)
        path = os.path.join(folder, "shop.duckdb")
        open_warehouse(path).engine.close()
        os.chmod(path, 0o644)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
        with open(path, "rb") as f:
            first = f.read(16)
        answer = sandbox.run_limited(read_file_at, (path,), 30, 256, confined=True)
        assert answer.startswith(b"no access"), answer
        assert first not in answer
        assert sandbox.run_limited(read_file_at, ("/etc/hostname",), 30, 256, confined=True).startswith(b"no access")
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.usefixtures("needs_root")
def test_a_task_runs_as_nobody_in_an_empty_root_with_only_its_sockets() -> None:
    uid, cwd, fds = sandbox.run_limited(whoami, (), 30, 256, confined=True).decode().split(" ", 2)
    import pwd

    assert int(uid) == pwd.getpwnam("nobody").pw_uid
    assert cwd == "/"
    assert fds == "[]"  # no /proc inside: nothing of the machine is visible
    leftovers = [p for p in os.listdir(tempfile_dir()) if p.startswith("shopdata-reader-")]
    assert len(leftovers) <= 1  # each reader's directory goes with it (one may be in use by another test)


def tempfile_dir() -> str:
    import tempfile

    return tempfile.gettempdir()


def test_only_tasks_asked_to_be_confined_are(tmp_path) -> None:
    # The backup probe opens its file by path: unconfined tasks keep the file system.
    path = tmp_path / "plain.txt"
    path.write_bytes(b"hello")
    assert sandbox.run_limited(read_file_at, (str(path),), 30, 256) == b"read hello"
