"""The demo store's banner shows on the demo store's pages only (issue 10 item 6): over a real store's
figures it would say they are made up."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopdata.i18n import CATALOG
from shopdata.store import open_warehouse
from tests.app.conftest import open_page

BANNER = CATALOG["demo.banner"]["en"].split(":")[1].strip()  # "made-up exports in real platforms' …"


def banner_shown(at) -> bool:
    return any(BANNER in info.value for info in at.info)


@pytest.fixture
def demo_and_real_db(demo_db: Path) -> Path:
    warehouse = open_warehouse(str(demo_db))
    try:
        warehouse.ensure_store("My shop")
    finally:
        warehouse.engine.close()
    return demo_db


@pytest.mark.parametrize("page", ["views/overview.py", "views/traffic.py", "views/data.py"])
def test_no_demo_banner_over_a_real_store(demo_and_real_db: Path, page: str) -> None:
    at = open_page(page)  # a real store exists, so it is the one shown
    assert at.sidebar.selectbox(key="store_filter").value == "My shop"
    assert not banner_shown(at)


def test_the_demo_store_keeps_its_banner(demo_and_real_db: Path) -> None:
    at = open_page("views/overview.py", store="Demo store")
    assert at.sidebar.selectbox(key="store_filter").value == "Demo store"
    assert banner_shown(at)
