"""A separate, limited process for work on untrusted input: `run_limited(task, arguments, timeout_s, memory_mb)`.

A native library handed a hostile file can allocate the whole address space, abort the process or never
return. Whatever it does inside `run_limited` costs one child process that may add `memory_mb` of memory
(RLIMIT_AS) and run `timeout_s` seconds of wall clock, never the caller: the answer is the task's bytes,
or a WorkerFailure saying how the child ended (timeout, memory, killed, a bug).

Nothing here knows what the task reads: ingest/guard.py reads uploads in it (confined: no network, no
file system, no root; see `_confine`), backup.py probes an uploaded backup with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import os
import pickle
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

KB = 1024
MB = 1024 * KB
GB = 1024 * MB

# A task answers with bytes, or with a list of buffers (bytes, Arrow buffers…) whose concatenation is its
# answer: written one after another, never joined in the worker.
Task = Callable[..., bytes | Sequence[Any]]

# ------------------------------------------------------------------------------------------ the worker
#
# Each run_limited task runs in a fresh process forked from a "zygote": a helper process started once
# (on first use) that does nothing but fork. Before the first fork for a task it imports the task's
# module (for a read: pyarrow, DuckDB and calamine), so every later fork has it loaded: a fork costs
# milliseconds where starting Python and importing those costs most of a second.
# The forked reader gets the job over a socket, limits its own memory, runs the task, answers and exits;
# the zygote reports how it ended.
# Not multiprocessing: its children re-run the caller's __main__ script first, which for a command-line
# script means running the script again. Without fork and fd passing (Windows) each read starts a
# fresh Python instead.

_PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_HELPER_CODE = (
    "import sys; sys.path.insert(0, sys.argv[1]); from shopdata import sandbox; getattr(sandbox, sys.argv[2])()"
)
_LENGTH = struct.Struct("<Q")
_PID = struct.Struct("<q")
_NAME_LENGTH = struct.Struct("<H")
# Requests on the zygote's control socket: b"J" with three fds forks a reader, b"I" + length + name
# imports a task's module.
_FORK, _IMPORT = b"J", b"I"
_USE_ZYGOTE = hasattr(os, "fork") and hasattr(socket, "send_fds")


def _helper_command(entry: str) -> list[str]:
    return [sys.executable, "-c", _HELPER_CODE, _PROJECT_ROOT, entry]


def _helper_env() -> dict[str, str]:
    # A process that forks should run no other threads: OpenBLAS (imported with pyarrow's numpy) and
    # Arrow's jemalloc start theirs unless told not to; readers use neither. DuckDB's import leaves one
    # idle thread, which holds no lock the reader needs. The Rust backtrace of an aborted calamine is
    # long and tells the user nothing.
    return dict(
        os.environ, OPENBLAS_NUM_THREADS="1", JE_ARROW_MALLOC_CONF="background_thread:false", RUST_BACKTRACE="0"
    )


class _Zygote:
    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                _helper_command("_zygote_main"),
                stdin=theirs.fileno(),
                stdout=subprocess.DEVNULL,
                env=_helper_env(),
                close_fds=True,
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.control = ours
        self.lock = threading.Lock()
        self.imported: set[str] = set()

    def preload(self, module: str) -> None:
        """Have the zygote import `module` (once) before it forks its next reader."""
        with self.lock:
            if module not in self.imported:
                name = module.encode()
                self.control.sendall(_IMPORT + _NAME_LENGTH.pack(len(name)) + name)
                self.imported.add(module)

    def alive(self) -> bool:
        return self.process.poll() is None

    def fork_reader(self, log: BinaryIO, module: str) -> tuple[socket.socket, socket.socket]:
        """(job socket, status socket) of a new reader process for a task of `module`, whose stderr goes
        to `log`."""
        job, job_theirs = socket.socketpair()
        status, status_theirs = socket.socketpair()
        try:
            self.preload(module)
            with self.lock:
                socket.send_fds(self.control, [_FORK], [job_theirs.fileno(), status_theirs.fileno(), log.fileno()])
        except OSError:
            job.close()
            status.close()
            raise
        finally:
            job_theirs.close()
            status_theirs.close()
        return job, status

    def close(self) -> None:
        self.control.close()  # the zygote exits when it sees the end of its control socket
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


_zygote_lock = threading.Lock()
_zygote: _Zygote | None = None


def _running_zygote() -> _Zygote:
    global _zygote
    with _zygote_lock:
        if _zygote is None or not _zygote.alive():
            if _zygote is not None:
                _zygote.close()
            _zygote = _Zygote()
        return _zygote


def _fork_reader(log: BinaryIO, module: str) -> tuple[socket.socket, socket.socket]:
    global _zygote
    for attempt in range(2):
        zygote = _running_zygote()
        try:
            return zygote.fork_reader(log, module)
        except OSError:
            if attempt:
                raise
            with _zygote_lock:  # it died between the check and the send: start another
                if _zygote is zygote:
                    _zygote.close()
                    _zygote = None
    raise AssertionError("unreachable")


def start_helper(task: Task | None = None) -> bool:
    """Start the helper now rather than on the first run_limited (it takes a Python start), and have it
    import `task`'s module in the background: at app start, or before timing reads. False where there is
    no helper (each task then starts a fresh Python)."""
    if not _USE_ZYGOTE:
        return False
    zygote = _running_zygote()
    if task is not None:
        zygote.preload(task.__module__)
    return True


def _receive_name(control: socket.socket) -> str | None:
    """The module name of an import request (its tag already read); None if the app went away."""
    wanted = _NAME_LENGTH.size
    header = b""
    while len(header) < wanted:
        chunk = control.recv(wanted - len(header))
        if not chunk:
            return None
        header += chunk
    size = _NAME_LENGTH.unpack(header)[0]
    name = b""
    while len(name) < size:
        chunk = control.recv(size - len(name))
        if not chunk:
            return None
        name += chunk
    return name.decode()


def _zygote_main() -> None:
    """The zygote: fork one reader per request on stdin (a socket carrying three fds), import a task's
    module when asked, report each reader's end on its status socket, exit when the app closes the
    control socket."""
    control = socket.socket(fileno=0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the app; the app's exit stops this
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    statuses: dict[int, socket.socket] = {}
    roots: dict[int, str] = {}  # each reader's empty directory, removed when it has ended

    def reap() -> None:
        while statuses:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            root = roots.pop(pid, None)
            if root is not None:
                shutil.rmtree(root, ignore_errors=True)
            status = statuses.pop(pid, None)
            if status is not None:
                with contextlib.suppress(OSError):
                    status.sendall(b"X" + _PID.pack(os.waitstatus_to_exitcode(wait_status)))
                status.close()

    while True:
        ready, _, _ = select.select([control.fileno(), wake_r], [], [])
        if wake_r in ready:
            with contextlib.suppress(OSError):
                while os.read(wake_r, 512):
                    pass
            reap()
        if control.fileno() not in ready:
            continue
        try:
            message, fds, _, _ = socket.recv_fds(control, 1, 3)
        except OSError:
            break
        if not message:
            break  # the app has gone
        if message == _IMPORT:
            for fd in fds:
                os.close(fd)
            module = _receive_name(control)
            if module is None:
                break
            # A module that fails to import fails again in the reader, which reports it as a bug.
            with contextlib.suppress(Exception):
                importlib.import_module(module)
            continue
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            continue
        job_fd, status_fd, log_fd = fds
        try:
            root = tempfile.mkdtemp(prefix="shopdata-reader-")
        except OSError:
            root = None
        try:
            pid = os.fork()
        except OSError:  # out of processes or memory: the app sees the sockets close without an answer
            for fd in fds:
                os.close(fd)
            if root is not None:
                shutil.rmtree(root, ignore_errors=True)
            continue
        if pid == 0:  # the reader
            code = 1
            try:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                control.close()
                for fd in (wake_r, wake_w, status_fd):
                    os.close(fd)
                for other in statuses.values():
                    other.close()
                os.dup2(log_fd, 2)
                os.dup2(log_fd, 1)
                os.close(log_fd)
                with socket.socket(fileno=job_fd) as job:
                    _serve_job(job.makefile("rb"), job.makefile("wb"), root)
                code = 0
            finally:
                os._exit(code)
        os.close(job_fd)
        os.close(log_fd)
        status = socket.socket(fileno=status_fd)
        with contextlib.suppress(OSError):
            status.sendall(b"P" + _PID.pack(pid))
        statuses[pid] = status
        if root is not None:
            roots[pid] = root
        reap()
    os._exit(0)


def _one_job_main() -> None:
    """Without a zygote: a fresh process for one job on stdin/stdout."""
    result = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to the log, never into the result
    _serve_job(sys.stdin.buffer, result, None)


def _serve_job(jobs: BinaryIO, results: BinaryIO, root: str | None) -> None:
    """Read one job, run its task confined (`_confine`, in `root`) under the job's memory limit, write one
    framed answer."""
    header = jobs.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return  # the app went away
    task, arguments, memory_mb, confined = pickle.loads(jobs.read(_LENGTH.unpack(header)[0]))
    _limit_memory(memory_mb)
    if confined:
        _confine({jobs.fileno(), results.fileno(), 1, 2}, root)
    pieces: Sequence[Any]
    try:
        try:
            answer = task(*arguments)
            pieces = [answer] if isinstance(answer, bytes) else answer
        except MemoryError:
            pieces = [b"M"]
        except RecursionError:
            pieces = [b"R"]
        except Exception as exc:  # a reader bug: the app reports it as a file it cannot read
            pieces = [b"U" + f"{type(exc).__name__}: {exc}"[:300].encode("utf-8", "replace")]
    except MemoryError:  # building the message itself ran out
        pieces = [b"M"]
    views = [memoryview(piece).cast("B") for piece in pieces]
    results.write(_LENGTH.pack(sum(len(view) for view in views)))
    for view in views:
        results.write(view)
    results.flush()


# ------------------------------------------------------------------------------------------ confinement
#
# A task gets its input in the job (bytes, never a path) and answers with bytes: it needs no network, no
# file of the machine, no inherited descriptor and no privilege. Each is dropped where the system allows
# it, and quietly kept where it does not (another OS, a container without the capability): the memory
# and time limits hold either way.

_CLONE_NEWNS = 0x00020000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PR_SET_NO_NEW_PRIVS = 38
_OPEN_FILES = 64  # a reader opens its temporary copy and DuckDB's files, no more


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _unshare(libc: ctypes.CDLL, flags: int) -> bool:
    try:
        return bool(libc.unshare(flags) == 0)
    except AttributeError:  # no unshare (not Linux)
        return False


def _confine(keep_fds: set[int], root: str | None) -> None:
    """Drop what a reader does not need: the network (a network namespace with only a loopback that is
    down; as root directly, else inside a new user namespace), every inherited descriptor but `keep_fds`,
    the file system (chroot into `root`, an empty directory the zygote made and removes), root's
    privileges (become nobody), new privileges (no set-uid programs), and more than a few open files."""
    libc = _libc()
    if libc is not None and not _unshare(libc, _CLONE_NEWNET):
        # Not root: a user namespace of its own gives the capabilities, and a mount namespace of its own
        # lets it use them for chroot.
        _unshare(libc, _CLONE_NEWUSER | _CLONE_NEWNET | _CLONE_NEWNS)
    _close_inherited(keep_fds)
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        limit = _OPEN_FILES if hard == resource.RLIM_INFINITY else min(_OPEN_FILES, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
    if root is not None:
        _enter(root)  # last but one: nothing can be imported from the file system after it
    if libc is not None:
        with contextlib.suppress(AttributeError):
            libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def _close_inherited(keep_fds: set[int]) -> None:
    low = 0
    for fd in sorted(keep_fds):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536)


def _enter(root: str) -> None:
    """Make `root` the whole file system and its only writable place; as root, become nobody in it."""
    nobody = None
    if os.geteuid() == 0:
        with contextlib.suppress(KeyError, ImportError):
            import pwd

            nobody = pwd.getpwnam("nobody")
    try:
        if nobody is not None:
            os.chown(root, nobody.pw_uid, nobody.pw_gid)
        os.chroot(root)
        os.chdir("/")
        tempfile.tempdir = "/"
    except (OSError, AttributeError):  # no chroot here: at least no relative path leads anywhere
        with contextlib.suppress(OSError):
            os.chdir(root)
            tempfile.tempdir = root
    if nobody is not None:
        with contextlib.suppress(OSError):
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)


def _address_space_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _limit_memory(memory_mb: int | None) -> None:
    """No core dumps (a 4 GB one helps nobody), and at most `memory_mb` more address space than now."""
    try:
        import resource
    except ImportError:  # Windows: the timeout still applies
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    current = _address_space_bytes()  # Linux; elsewhere RLIMIT_AS is not enforced anyway
    if memory_mb is None or current is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = current + memory_mb * MB
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


# A text sheet reads its body later from the upload itself. The worker does not send the upload back (up
def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


@dataclass
class _Outcome:
    message: bytes | None  # the reader's complete answer, None if there is none
    timed_out: bool
    exit_code: int | None  # negative: killed by that signal


class WorkerFailure(Exception):
    """A task run by `run_limited` gave no answer of its own. `kind` says how it ended: "start" (no
    process could be started), "timeout", "memory", "stopped" (killed by a signal or an exit status),
    "no answer", "nested" (too deep to read) or "bug" (an unexpected exception in the task); `reason`
    says it in words for the user, without naming the file."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason

    @property
    def safely(self) -> bool:
        """The input stopped the reader (rather than the machine, or a bug)."""
        return self.kind in ("timeout", "memory", "stopped", "nested")

    def describe(self, subject: str) -> str:
        """The sentence "<subject> could not be read [safely]: <reason>"."""
        if self.kind == "bug":
            return f"{subject} could not be read ({self.reason})"
        return f"{subject} could not be read{' safely' if self.safely else ''}: {self.reason}"


def run_limited(task: Task, arguments: tuple, timeout_s: float, memory_mb: int, confined: bool = False) -> bytes:
    """`task(*arguments)` in a separate process that may add `memory_mb` of memory and run `timeout_s`
    seconds: the way to let a native library near an uploaded file. Returns the task's answer (bytes,
    which the caller decodes without trusting: the process handled a hostile file); raises
    WorkerFailure if it gave none.

    `task` is sent by name, so it must be a module-level function of an importable module; its
    answer must not start with M, R or U (the worker's own answers for MemoryError, RecursionError and
    any other exception it raises).

    `confined`: the task also runs without network, file system, inherited descriptors or root
    (`_confine`, where the system allows each): for a task whose input is all in `arguments` (bytes, not
    a path) and that answers with data. Off by default, for tasks that open a file by its path."""
    job = pickle.dumps((task, arguments, memory_mb, confined), protocol=pickle.HIGHEST_PROTOCOL)
    with tempfile.TemporaryFile(prefix="shopdata-read-") as log:
        try:
            if _USE_ZYGOTE:
                outcome = _run_forked(job, task.__module__, log, timeout_s)
            else:
                outcome = _run_fresh(job, log, timeout_s)
        except OSError as exc:
            raise WorkerFailure("start", f"no reader process could be started ({exc.strerror or exc})") from exc
        if outcome.timed_out:
            raise WorkerFailure(
                "timeout",
                f"reading it takes longer than the time allowed ({timeout_s:g} s) "
                "(it may be damaged or built to hang the reader)",
            )
        if outcome.message is None:
            raise _ended(outcome.exit_code, _tail(log), memory_mb)
    kind, body = outcome.message[:1], outcome.message[1:]
    if kind == b"M":
        raise _out_of_memory(memory_mb)
    if kind == b"R":
        raise WorkerFailure("nested", "it is nested too deeply to read")
    if kind == b"U":
        raise WorkerFailure("bug", f"unexpected problem in the reader: {body.decode('utf-8', 'replace')}")
    return outcome.message


def _run_forked(job: bytes, module: str, log: BinaryIO, timeout_s: float) -> _Outcome:
    deadline = time.monotonic() + timeout_s
    job_socket, status_socket = _fork_reader(log, module)
    with job_socket, status_socket:
        try:
            job_socket.settimeout(timeout_s)
            job_socket.sendall(_LENGTH.pack(len(job)))
            job_socket.sendall(job)
            message = _receive(job_socket, deadline)
        except TimeoutError:
            message, timed_out = None, True
        except OSError:  # the reader died before taking the whole job
            message, timed_out = None, False
        else:
            timed_out = False
        status = _StatusReader(status_socket)
        if timed_out:
            pid = status.pid(time.monotonic() + 10)
            if pid is not None:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)  # not reaped yet (no exit status came): still our reader
        exit_code = status.exit_code(time.monotonic() + 10)
    return _Outcome(message, timed_out, exit_code)


class _StatusReader:
    """The zygote writes b"P" + pid at the fork and b"X" + exit code when it has reaped the reader."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buffer = b""
        self._pid: int | None = None
        self._exit_code: int | None = None

    def _read_until(self, deadline: float, done) -> None:
        while not done():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._sock.settimeout(remaining)
            try:
                chunk = self._sock.recv(64)
            except (TimeoutError, OSError):
                return
            if not chunk:
                return
            self._buffer += chunk
            while len(self._buffer) >= 1 + _PID.size:
                tag, value = self._buffer[:1], _PID.unpack_from(self._buffer, 1)[0]
                self._buffer = self._buffer[1 + _PID.size :]
                if tag == b"P":
                    self._pid = value
                elif tag == b"X":
                    self._exit_code = value

    def pid(self, deadline: float) -> int | None:
        self._read_until(deadline, lambda: self._pid is not None)
        return None if self._exit_code is not None else self._pid

    def exit_code(self, deadline: float) -> int | None:
        self._read_until(deadline, lambda: self._exit_code is not None)
        return self._exit_code


def _receive(sock: socket.socket, deadline: float) -> bytes | None:
    """One framed message; None if the reader closed the socket before finishing it."""
    header = _receive_exactly(sock, _LENGTH.size, deadline)
    if header is None:
        return None
    body = _receive_exactly(sock, _LENGTH.unpack(header)[0], deadline)
    return None if body is None else bytes(body)


def _receive_exactly(sock: socket.socket, size: int, deadline: float) -> bytearray | None:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        sock.settimeout(remaining)
        n = sock.recv_into(view[got:], min(size - got, 1 << 20))
        if n == 0:
            return None
        got += n
    return buffer


def _run_fresh(job: bytes, log: BinaryIO, timeout_s: float) -> _Outcome:
    process = subprocess.Popen(
        _helper_command("_one_job_main"), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=_helper_env()
    )
    try:
        output, _ = process.communicate(_LENGTH.pack(len(job)) + job, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return _Outcome(None, True, process.returncode)
    complete = len(output) >= _LENGTH.size and _LENGTH.unpack_from(output)[0] == len(output) - _LENGTH.size
    return _Outcome(output[_LENGTH.size :] if complete else None, False, process.returncode)


def _tail(log: BinaryIO) -> str:
    try:
        log.seek(0, os.SEEK_END)
        log.seek(max(0, log.tell() - 16 * KB))
        return log.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return ""


def _ended(exit_code: int | None, log_tail: str, memory_mb: int) -> WorkerFailure:
    """Why a reader gave no answer, from how it ended and the end of what it wrote to stderr."""
    # Rust's and C++'s failed allocations, Python's, or the kernel's OOM killer.
    if (
        any(sign in log_tail for sign in ("memory allocation of", "std::bad_alloc", "MemoryError"))
        or exit_code == -signal.SIGKILL
    ):
        return _out_of_memory(memory_mb)
    if exit_code is None:
        return WorkerFailure("no answer", "the reader process ended without an answer")
    how = _signal_name(-exit_code) if exit_code < 0 else f"exit status {exit_code}"
    return WorkerFailure("stopped", f"the reader stopped on it ({how})")


def _out_of_memory(memory_mb: int) -> WorkerFailure:
    return WorkerFailure(
        "memory",
        f"reading it needs more memory than the {memory_mb:,} MB allowed "
        "(it may be damaged or built to exhaust memory)",
    )
