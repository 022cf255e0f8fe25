"""A throwaway PostgreSQL server for tests.

``PostgresServer`` runs ``initdb`` into a fresh temporary directory and starts
``postgres`` listening only on 127.0.0.1 on a free port (unix socket inside the
temp dir, fsync off).  On exit it stops the server by PID -- SIGINT (fast
shutdown), then SIGKILL if it does not go away in time -- and removes the temp
dir.

PostgreSQL refuses to run as root, so when the tests run as root, initdb and
the server run as the ``postgres`` system user (created with
``useradd --system`` if missing) and the temp dir is chowned to it.

The postmaster is started directly (not via ``pg_ctl``) as a child of the test
process: that way its PID is ours to wait for, and it never lingers as an
unreaped zombie when PID 1 in a container does not reap orphans.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

PG_LIB_ROOT = Path("/usr/lib/postgresql")
SERVICE_USER = "postgres"
SUPERUSER = "postgres"


def _version_key(path: Path) -> tuple:
    """Sort key for /usr/lib/postgresql/<version>: 15 > 9.6, numerically."""
    parts = re.findall(r"\d+", path.name)
    return tuple(int(p) for p in parts) if parts else (-1,)


def pg_bin_dirs() -> list[Path]:
    """Debian-style PostgreSQL bin dirs, newest version first."""
    if not PG_LIB_ROOT.is_dir():
        return []
    versions = sorted(
        (d for d in PG_LIB_ROOT.iterdir() if (d / "bin").is_dir()),
        key=_version_key,
        reverse=True,
    )
    return [d / "bin" for d in versions]


def find_pg_bin(name: str) -> Path | None:
    """Locate a PostgreSQL program on PATH, else in /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return Path(found)
    for bindir in pg_bin_dirs():
        candidate = bindir / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_pg_bindir() -> Path | None:
    """A directory holding initdb *and* postgres from the same installation."""
    candidates: list[Path] = []
    initdb = find_pg_bin("initdb")
    if initdb is not None:
        candidates.append(initdb.resolve().parent)
    candidates.extend(pg_bin_dirs())
    for bindir in candidates:
        if all(os.access(bindir / p, os.X_OK) for p in ("initdb", "postgres")):
            return bindir
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


class PostgresError(RuntimeError):
    pass


class PostgresServer:
    """Context manager: a private PostgreSQL cluster on 127.0.0.1:<free port>."""

    START_TIMEOUT = 30.0
    STOP_TIMEOUT = 15.0

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_pg_bindir()
        if self.bindir is None:
            raise PostgresError("PostgreSQL server binaries (initdb, postgres) not found")
        self.tmpdir: Path | None = None
        self.port: int | None = None
        self.pid: int | None = None
        self._proc: subprocess.Popen | None = None
        self._as_root = os.geteuid() == 0

    # -- paths ---------------------------------------------------------------
    @property
    def datadir(self) -> Path:
        return self._tmp / "data"

    @property
    def sockdir(self) -> Path:
        return self._tmp / "sock"

    @property
    def logfile(self) -> Path:
        return self._tmp / "server.log"

    @property
    def _tmp(self) -> Path:
        if self.tmpdir is None:
            raise PostgresError("server not started")
        return self.tmpdir

    @property
    def url(self) -> str:
        if self.port is None:
            raise PostgresError("server not started")
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def url_for(self, dbname: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    # -- lifecycle -----------------------------------------------------------
    def __enter__(self) -> PostgresServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.tmpdir = Path(tempfile.mkdtemp(prefix="shopdata-pg-", dir=self._tmp_base()))
        self.sockdir.mkdir()
        if self._as_root:
            self._prepare_for_service_user()
        self._initdb()
        last_error: Exception | None = None
        for _attempt in range(3):  # a "free" port can be grabbed by someone else
            try:
                self._start_postmaster(free_port())
                return
            except PostgresError as e:
                last_error = e
                if "Address already in use" not in self._log_text():
                    raise
        raise last_error  # type: ignore[misc]

    def stop(self) -> None:
        try:
            self._stop_postmaster()
        finally:
            if self.tmpdir is not None:
                shutil.rmtree(self.tmpdir, ignore_errors=True)

    # -- SQL helpers ---------------------------------------------------------
    def connect(self, dbname: str = "postgres", **kw) -> psycopg.Connection:
        return psycopg.connect(self.url_for(dbname), connect_timeout=5, **kw)

    def create_database(self, name: str) -> str:
        with self.connect(autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """Terminate connections to ``name`` and drop it (if it exists)."""
        with self.connect(autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    # -- internals -----------------------------------------------------------
    def _tmp_base(self) -> str | None:
        """Where to make the temp dir; as root, somewhere `postgres` can reach."""
        base = Path(tempfile.gettempdir())
        if not self._as_root:
            return None
        # Every ancestor must be traversable by others (e.g. not /root/tmp).
        for d in (base, *base.parents):
            if not (d.stat().st_mode & 0o001):
                return "/tmp"
        return str(base)

    def _prepare_for_service_user(self) -> None:
        try:
            pw = pwd.getpwnam(SERVICE_USER)
        except KeyError:
            subprocess.run(
                [
                    "useradd",
                    "--system",
                    "--user-group",
                    "--no-create-home",
                    "--home-dir",
                    "/var/lib/postgresql",
                    "--shell",
                    "/bin/bash",
                    SERVICE_USER,
                ],
                check=True,
                capture_output=True,
            )
            pw = pwd.getpwnam(SERVICE_USER)
        for p in (self._tmp, self.sockdir):
            os.chown(p, pw.pw_uid, pw.pw_gid)

    def _run_kwargs(self) -> dict:
        """Popen kwargs so the child runs as `postgres` when we are root."""
        kw: dict = {"cwd": self._tmp, "env": {**os.environ, "LC_ALL": "C.UTF-8"}}
        if self._as_root:
            pw = pwd.getpwnam(SERVICE_USER)
            kw.update(user=pw.pw_uid, group=pw.pw_gid, extra_groups=[])
            kw["env"].update(HOME=str(self._tmp), USER=SERVICE_USER, LOGNAME=SERVICE_USER)
        return kw

    def _initdb(self) -> None:
        base = [
            str(self.bindir / "initdb"),
            "-D",
            str(self.datadir),
            "--auth=trust",
            "-U",
            SUPERUSER,
            "--encoding=UTF8",
            "--no-sync",
        ]
        errors = []
        for locale_args in (["--locale=C.UTF-8"], ["--no-locale"]):
            res = subprocess.run(base + locale_args, capture_output=True, text=True, timeout=120, **self._run_kwargs())
            if res.returncode == 0:
                return
            errors.append(f"$ {' '.join(base + locale_args)}\n{res.stdout}{res.stderr}")
            shutil.rmtree(self.datadir, ignore_errors=True)
        raise PostgresError("initdb failed:\n" + "\n".join(errors))

    def _start_postmaster(self, port: int) -> None:
        self.port = port
        cmd = [
            str(self.bindir / "postgres"),
            "-D",
            str(self.datadir),
            "-p",
            str(port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            f"unix_socket_directories={self.sockdir}",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=50",
        ]
        with open(self.logfile, "ab") as log:
            if self._as_root:
                os.chown(self.logfile, *self._service_ids())
            self._proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C in the terminal is not for it
                **self._run_kwargs(),
            )
        self._wait_ready()
        self.pid = self._read_postmaster_pid()

    def _service_ids(self) -> tuple[int, int]:
        pw = pwd.getpwnam(SERVICE_USER)
        return pw.pw_uid, pw.pw_gid

    def _wait_ready(self) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + self.START_TIMEOUT
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                rc = self._proc.returncode
                self._proc = None
                raise PostgresError(f"postgres exited with code {rc} during startup; log:\n{self._log_text()}")
            try:
                with psycopg.connect(self.url, connect_timeout=2) as conn:
                    (datadir,) = conn.execute("SHOW data_directory").fetchone()
                if Path(datadir).resolve() == self.datadir.resolve():
                    return
                # Someone else's server answered on "our" port; ours will fail to bind.
                last = PostgresError(f"port {self.port} is served by {datadir}")
                time.sleep(0.1)
                continue
            except psycopg.OperationalError as e:
                last = e
                time.sleep(0.1)
        self._stop_postmaster()
        raise PostgresError(
            f"postgres did not accept connections within {self.START_TIMEOUT:.0f}s ({last}); log:\n{self._log_text()}"
        )

    def _read_postmaster_pid(self) -> int:
        # First line of postmaster.pid is the postmaster's PID.
        pid = int((self.datadir / "postmaster.pid").read_text().splitlines()[0])
        if self._proc is not None and pid != self._proc.pid:
            raise PostgresError(f"postmaster.pid says {pid}, but we started {self._proc.pid}")
        return pid

    def _stop_postmaster(self) -> None:
        # self.pid stays readable after stop (tests check the PID is gone);
        # only a process we still own is ever signalled, so never twice.
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        # It is our child, so wait() reaps it and the PID really disappears
        # (no zombie left for a PID 1 that may not reap orphans).
        try:
            os.kill(proc.pid, signal.SIGINT)  # fast shutdown
            proc.wait(timeout=self.STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()  # SIGKILL
            proc.wait(timeout=10)

    def _log_text(self) -> str:
        try:
            return self.logfile.read_text(errors="replace")[-8000:]
        except (OSError, PostgresError):
            return "(no server log)"
