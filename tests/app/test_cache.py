"""Cached results in the running app: a teammate's upload, made in another session (its own connection to
the same database file), shows on this session's next rerun; a rerun without changes shows the same."""

from __future__ import annotations

from pathlib import Path

from shopdata.demo import DEMO_STORE
from shopdata.store import BatchInfo, open_warehouse
from tests.app.test_traffic import latest_day, page, table_column
from tests.unit.metrics.test_query import rows

NEW_SOURCE = "Teammate's new channel"


def test_a_teammates_upload_shows_on_the_next_rerun(demo_db: Path) -> None:
    at = page(cur="CNY")
    before = table_column(at, 0, "Visitors")
    assert NEW_SOURCE not in before and before

    day = latest_day(demo_db)
    teammate = open_warehouse(str(demo_db))
    try:
        record = dict(
            platform="tmall",
            grain="source",
            currency="CNY",
            device="无线端",
            date=day,
            end_date=day,
            source_1=NEW_SOURCE,
            source_level=1,
            visitors=1234.0,
        )
        teammate.load(
            BatchInfo(DEMO_STORE, "teammate.csv", "teammate", 1, "tmall", "traffic", "sycm_sources", {}),
            rows("traffic", [record], "teammate"),
        )
    finally:
        teammate.engine.close()

    at.run()
    after = table_column(at, 0, "Visitors")
    assert after[NEW_SOURCE] == 1234.0
    assert {k: v for k, v in after.items() if k != NEW_SOURCE} == before

    at.run()  # nothing changed since: the same table, from the cache
    assert table_column(at, 0, "Visitors") == after
