"""Cached results in the running app: a teammate's upload, made in another session (its own connection to
the same database file), shows on this session's next rerun; a rerun without changes shows the same."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

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


def test_the_uploads_list_follows_a_teammates_upload_and_delete(demo_db: Path) -> None:
    # The Data page reads the uploads and their live rows once per data generation: another session's upload
    # that replaces a row, then its delete, each show on this session's next rerun.
    from tests.app.conftest import open_page

    at = open_page("views/data.py")
    listed = at.dataframe[-1].value
    before = dict(zip(listed["File"], listed["Rows now"], strict=True))
    assert "teammate.csv" not in before
    with duckdb.connect(str(demo_db)) as con:  # the demo's latest 付费推广 row, which the upload will replace
        found = con.execute(
            "SELECT t.platform, t.currency, t.device, t.date, b.file_name, t.nk FROM traffic t JOIN batches b USING (batch_id) "
            "WHERE t.grain = 'source' AND t.source_level = 1 AND t.source_1 = '付费推广' ORDER BY t.date DESC"
        ).fetchall()
    platform, currency, device, day, file_name, natural_key = found[0]
    assert [r[:4] for r in found].count(found[0][:4]) == 1  # one row of that day: the upload replaces exactly it
    record = dict(
        platform=platform, grain="source", currency=currency, device=device, date=day, end_date=day,
        source_1="付费推广", source_level=1, visitors=1234.0,
    )  # fmt: skip
    replacing = rows("traffic", [record], "teammate")  # the same natural key as that row
    teammate = open_warehouse(str(demo_db))
    try:
        teammate.load(
            BatchInfo(DEMO_STORE, "teammate.csv", "teammate", 1, platform, "traffic", "sycm_sources", {}),
            replacing.set_column(replacing.schema.get_field_index("nk"), "nk", pa.array([natural_key])),
        )
        at.run()
        listed = at.dataframe[-1].value
        after = dict(zip(listed["File"], listed["Rows now"], strict=True))
        assert after["teammate.csv"] == 1
        assert after[file_name] == before[file_name] - 1  # its replaced row no longer counts
        assert {f: n for f, n in after.items() if f not in ("teammate.csv", file_name)} == {
            f: n for f, n in before.items() if f != file_name
        }
        new_batch = max(b["batch_id"] for b in teammate.batches())
        teammate.delete_batch(new_batch)
    finally:
        teammate.engine.close()
    at.run()
    listed = at.dataframe[-1].value
    assert "teammate.csv" not in set(listed["File"])
    assert dict(zip(listed["File"], listed["Rows now"], strict=True))[file_name] == before[file_name] - 1
