"""Shared fixtures for the whole test suite.

Conventions (see DEVELOPERS.md, "Tests and CI"):

* Tests that need something from outside the repo -- a PostgreSQL server,
  Chromium, ``../shared/realdata`` -- call :func:`ci_require` (directly or via
  a fixture below): they skip locally when it is missing, but *fail* under
  ``CI=true``, so CI can never go green by skipping them.
* Servers are started by fixtures on free 127.0.0.1 ports and stopped by PID.

Fixtures here:

``postgres_server`` (session)
    One throwaway PostgreSQL server for the whole run, started lazily the
    first time a test asks for it (tests/support/pg.py).
``pg_url`` (function)
    URL of a fresh, empty database on that server; dropped after the test.
``realdata_dir`` (session)
    Path to ``../shared/realdata`` beside the repo root.

Markers (registered in pytest.ini): postgres, realdata, e2e, slow.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.pg import PostgresServer, find_pg_bindir

REPO_ROOT = Path(__file__).resolve().parent.parent
REALDATA_DIR = REPO_ROOT.parent / "shared" / "realdata"


def running_under_ci() -> bool:
    return os.environ.get("CI") == "true"


def ci_require(available: bool, what: str) -> None:
    """Skip the calling test if ``what`` is unavailable -- or fail under CI=true."""
    if available:
        return
    if running_under_ci():
        pytest.fail(f"{what} is required under CI")
    pytest.skip(f"{what} is not available (required only under CI=true)")


# --- PostgreSQL --------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL server shared by the whole run (started on first use)."""
    ci_require(find_pg_bindir() is not None, "PostgreSQL server (initdb/pg_ctl)")
    with PostgresServer() as server:
        yield server


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> Iterator[str]:
    """URL of a fresh database for this test only; dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    url = postgres_server.create_database(name)
    yield url
    postgres_server.drop_database(name)  # terminates leftover connections first


# --- real data ---------------------------------------------------------------


@pytest.fixture(scope="session")
def realdata_dir() -> Path:
    """``../shared/realdata`` relative to the repo root (read in place, never copied)."""
    ci_require(REALDATA_DIR.is_dir(), f"real data directory {REALDATA_DIR}")
    return REALDATA_DIR


# --- warehouses --------------------------------------------------------------


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouse_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a DuckDB file and on a fresh PostgreSQL database."""
    if request.param == "duckdb":
        return str(tmp_path / "shop.duckdb")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(warehouse_url: str):
    from shopdata.engine import connect
    from shopdata.store import Warehouse

    engine = connect(warehouse_url)
    yield Warehouse(engine)
    engine.close()


@pytest.fixture
def duck_store(tmp_path: Path):
    """A Store on a fresh DuckDB file only (for pipeline tests that do not depend on the warehouse)."""
    from shopdata.engine import connect
    from shopdata.store import Warehouse

    engine = connect(str(tmp_path / "shop.duckdb"))
    yield Warehouse(engine)
    engine.close()


def pytest_terminal_summary(terminalreporter) -> None:
    """The counts the hostile-file, fuzz, crash and concurrency tests report (tests/support/summary.py)."""
    from tests.support.summary import REPORTED

    if REPORTED:
        terminalreporter.section("what the robustness tests tried")
        for line in REPORTED:
            terminalreporter.write_line(line)
