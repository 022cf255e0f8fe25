"""AppTest fixtures: the real app.py against a private database file."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 120


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database and no demo store."""
    path = tmp_path / "shop.duckdb"
    monkeypatch.setenv("SHOPDATA_DB", str(path))
    monkeypatch.setenv("SHOPDATA_DEMO", "0")
    return path


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store loaded once per run; tests copy the file."""
    from shopdata import demo
    from shopdata.engine import connect
    from shopdata.store import Warehouse

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with connect(str(path)) as engine:
        demo.load_demo(Warehouse(engine))
    return path


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "shop.duckdb"
    path.write_bytes(demo_db_template.read_bytes())
    monkeypatch.setenv("SHOPDATA_DB", str(path))
    monkeypatch.setenv("SHOPDATA_DEMO", "1")
    return path


def app_test() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def open_page(page: str, **params: str) -> AppTest:
    """Open a page the way a shared link does: query parameters first, then the page, then one run."""
    at = app_test()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Choose a tab as a click on it does: a page's lazy tabs (shopdata.ui.widgets.lazy_tabs) draw only the open
    one, and choosing another reruns the page."""
    assert label in [tab.label for tab in at.tabs], [tab.label for tab in at.tabs]
    at.session_state[key] = label
    at.run()
    assert not at.exception, at.exception
    return at


def lazy_tabs(at: AppTest) -> list[tuple[str, list[str]]]:
    """Each set of lazy tabs the page drew: its key and its tabs' labels (tabs that do not track their state have
    no widget id)."""
    found = []
    for block in at.get("tab_container"):
        widget_id = block.proto.tab_container.id
        if widget_id:
            found.append((widget_id.split("-", 2)[-1], [tab.label for tab in block.children.values()]))
    return found
