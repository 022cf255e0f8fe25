"""Tests of the throwaway-PostgreSQL test support (tests/support/pg.py, conftest)."""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlparse

import psycopg
import pytest

from tests.conftest import ci_require
from tests.support.pg import PostgresServer, find_pg_bin, find_pg_bindir

pytestmark = pytest.mark.postgres

_seen_dbs: list[str] = []  # database names handed out by pg_url, across tests


def _dbname(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").fetchall()
    return {r[0] for r in rows}


def test_find_pg_bin_finds_server_programs():
    ci_require(find_pg_bindir() is not None, "PostgreSQL server (initdb/pg_ctl)")
    for name in ("initdb", "postgres"):
        path = find_pg_bin(name)
        assert path is not None and os.access(path, os.X_OK), name


def test_server_answers_select_1(postgres_server):
    with psycopg.connect(postgres_server.url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert postgres_server.url == f"postgresql://postgres@127.0.0.1:{postgres_server.port}/postgres"


def test_server_listens_on_loopback_only(postgres_server):
    with psycopg.connect(postgres_server.url) as conn:
        (listen,) = conn.execute("SHOW listen_addresses").fetchone()
        (sockdir,) = conn.execute("SHOW unix_socket_directories").fetchone()
        (fsync,) = conn.execute("SHOW fsync").fetchone()
    assert listen == "127.0.0.1"
    assert sockdir == str(postgres_server.sockdir)
    assert fsync == "off"


def test_server_is_not_running_as_root(postgres_server):
    # PostgreSQL refuses root; when tests run as root the server must be `postgres`.
    st = os.stat(postgres_server.datadir)
    assert st.st_uid != 0
    with open(f"/proc/{postgres_server.pid}/status") as f:
        uid_line = next(line for line in f if line.startswith("Uid:"))
    assert int(uid_line.split()[1]) != 0


def test_pg_url_database_is_fresh_and_isolated(postgres_server, pg_url):
    name = _dbname(pg_url)
    assert name.startswith("test_")
    assert _tables(pg_url) == set()

    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE only_here (x int)")
        conn.execute("INSERT INTO only_here VALUES (1)")
    assert _tables(pg_url) == {"only_here"}

    # Another database on the same server does not see it.
    other = f"other_{uuid.uuid4().hex[:12]}"
    other_url = postgres_server.create_database(other)
    try:
        assert other_url != pg_url
        assert _tables(other_url) == set()
    finally:
        postgres_server.drop_database(other)


@pytest.mark.parametrize("round_", [1, 2])
def test_pg_url_is_distinct_per_test(postgres_server, pg_url, round_):
    name = _dbname(pg_url)
    assert name not in _seen_dbs
    # A table left behind by an earlier test's database must not be visible.
    assert _tables(pg_url) == set()
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE leftover (x int)")
        existing = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
    # Earlier tests' databases have been dropped.
    assert not existing & set(_seen_dbs)
    _seen_dbs.append(name)


def test_pg_url_dropped_even_with_open_connection(postgres_server):
    name = f"held_{uuid.uuid4().hex[:12]}"
    url = postgres_server.create_database(name)
    held = psycopg.connect(url)  # deliberately left open
    try:
        postgres_server.drop_database(name)
        with psycopg.connect(postgres_server.url) as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        assert row is None
    finally:
        held.close()


def test_server_stops_by_pid_and_removes_tempdir():
    # A separate, short-lived server: the session one must keep running.
    ci_require(find_pg_bindir() is not None, "PostgreSQL server (initdb/pg_ctl)")
    with PostgresServer() as server:
        pid, tmpdir = server.pid, server.tmpdir
        assert pid is not None and tmpdir is not None
        os.kill(pid, 0)  # running now
        assert (tmpdir / "data" / "postmaster.pid").is_file()
        with psycopg.connect(server.url) as conn:
            assert conn.execute("SELECT pg_backend_pid() <> %s", (pid,)).fetchone() == (True,)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not tmpdir.exists()
