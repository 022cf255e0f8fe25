"""Fixtures of the metric tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shopdata.metrics import cache
from shopdata.store import Warehouse


@pytest.fixture
def queries(store: Warehouse, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """A list each query a Source runs on `store` appends to (Engine.ibis_arrow, the route of every metric query
    of a page and a command); the results cache emptied before and after the test."""
    cache.RESULTS.clear()
    found: list[int] = []
    real = store.engine.ibis_arrow
    monkeypatch.setattr(store.engine, "ibis_arrow", lambda expr, values: found.append(1) or real(expr, values))
    yield found
    cache.RESULTS.clear()
