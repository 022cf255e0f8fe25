"""Real-browser fixtures: Debian's Chromium via Playwright against ``streamlit run app.py``.

``browser`` (package)
    Chromium launched by Playwright; needs /usr/bin/chromium (fails under CI=true when missing).
``app_server`` (package)
    The app on a fresh DuckDB file with the demo store; the first page load (which loads the demo store)
    is waited for here, so no test pays for it.
``empty_app_server`` (function)
    The app on its own fresh DuckDB file without the demo store, for tests that write data and then
    inspect the file after stopping the server (DuckDB lets only one process open the file).
``open_app`` (function)
    ``open_app(path, server=None, role="owner")`` opens a page in a fresh browser context -- a new
    Streamlit session, as when a teammate opens a copied link --, signs in as that role's account of
    ``TEAM`` (``role=None``: stays signed out) and waits until the app has finished running.

Every server's database has the ``TEAM`` accounts before the server starts, as under ``make serve``.

Package scope (not session): the servers and the browser go away before the rest of the suite runs.
On a failing test every page it opened is saved as a screenshot into the test's tmp_path and the server
log tail is added to the report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import ci_require
from tests.e2e.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    TEAM,
    VIEWPORT,
    StreamlitServer,
    create_team,
    error_boxes,
    sidebar,
    sign_in,
    wait_for_app,
)

PAGE_TIMEOUT_MS = 30_000
OPENED_PAGES = pytest.StashKey[list]()
FAILURE_DIR = pytest.StashKey[Path]()
SERVERS = pytest.StashKey[list]()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    ci_require(CHROMIUM.exists(), "Chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def app_server(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    work = tmp_path_factory.mktemp("e2e-app")
    create_team(work / "shop.duckdb")
    with StreamlitServer(work / "shop.duckdb", work / "server.log", env={"SHOPDATA_DEMO": "1"}) as server:
        _warm_up(browser, server)
        yield server


def _warm_up(browser: Browser, server: StreamlitServer) -> None:
    """The first session loads the demo store into the empty file; wait for it once, here."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(server.url + "/")
        sign_in(page, *TEAM["owner"])
        store = sidebar(page).get_by_role("combobox").first
        assert store.count() and store.input_value(), (
            f"no store after the first run: {error_boxes(page)}\n{server.log_tail()}"
        )
    finally:
        context.close()


@pytest.fixture
def empty_app_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[StreamlitServer]:
    create_team(tmp_path / "shop.duckdb")
    with StreamlitServer(tmp_path / "shop.duckdb", tmp_path / "server.log", env={"SHOPDATA_DEMO": "0"}) as server:
        request.node.stash.setdefault(SERVERS, []).append(server)
        yield server


@pytest.fixture
def open_app(browser: Browser, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    pages: list[Page] = []
    request.node.stash[OPENED_PAGES] = pages
    request.node.stash[FAILURE_DIR] = tmp_path
    contexts = []

    def open_(path: str, server: StreamlitServer | None = None, role: str | None = "owner") -> Page:
        if server is None:  # the demo server only when a test asks for it
            server = request.getfixturevalue("app_server")
            if server not in request.node.stash.setdefault(SERVERS, []):
                request.node.stash[SERVERS].append(server)
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        page.goto(server.url + path)
        if role is not None:
            sign_in(page, *TEAM[role])
        wait_for_app(page)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.failed and report.when in ("setup", "call"):
        shots = []
        for index, page in enumerate(item.stash.get(OPENED_PAGES, [])):
            path = item.stash[FAILURE_DIR] / f"failure-{index}.png"
            try:
                page.screenshot(path=str(path), full_page=True, timeout=10_000)
                shots.append(f"{path}  ({page.url})")
            except Exception as exc:  # a crashed page must not hide the test's own failure
                shots.append(f"screenshot {index} failed: {exc}")
        if shots:
            report.sections.append(("e2e screenshots", "\n".join(shots)))
        for server in item.stash.get(SERVERS, []):
            report.sections.append((f"streamlit log (port {server.port})", server.log_tail()))
    return report
