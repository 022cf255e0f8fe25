"""app.py settles the heap after a page's first run (shopdata/heap.py), whether the page ends or stops."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from shopdata import heap
from tests.app.conftest import open_page


@pytest.fixture
def unsettled(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bool]]]:
    settled: list[tuple[str, bool]] = []
    real = heap.settle_after_first_run

    def recorded(page: str) -> bool:
        done = real(page)
        settled.append((page, done))
        return done

    monkeypatch.setattr(heap, "_settled", set())
    monkeypatch.setattr(heap, "settle_after_first_run", recorded)
    yield settled
    gc.unfreeze()


def test_each_page_run_asks_to_settle_and_the_first_freezes(demo_db: Path, unsettled: list[tuple[str, bool]]) -> None:
    at = open_page("views/orders.py")
    assert unsettled == [("orders", True)]
    assert gc.get_freeze_count() > 0
    at.run()
    at.switch_page("views/traffic.py")
    at.run()
    assert unsettled == [("orders", True), ("orders", False), ("traffic", True)]


def test_a_page_that_stops_settles_too(empty_db: Path, unsettled: list[tuple[str, bool]]) -> None:
    open_page("views/orders.py")  # no data: the page says which export to upload and stops
    assert unsettled == [("orders", True)]
