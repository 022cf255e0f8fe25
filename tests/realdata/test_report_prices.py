"""`report prices` on the real Taobao Double-11 cosmetics price scrape (../shared/realdata).

The file is loaded with the CLI; the expected shops, products, observations and titles are computed
from the raw file by another route: Python's csv module decoding GBK.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path

import pytest

from shopdata import cli
from shopdata.engine import connect
from shopdata.metrics import prices
from shopdata.metrics.query import Scope, data_range

pytestmark = pytest.mark.realdata

FILE = "taobao_double11_cosmetics_prices/双十一淘宝美妆数据.csv"


def raw_rows(path: Path) -> list[dict]:
    with path.open(encoding="gbk", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        year, month, day = (int(part) for part in row["update_time"].split("/"))
        row["day"] = date(year, month, day).isoformat()
    return rows


@pytest.fixture(scope="module")
def loaded(realdata_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    path = realdata_dir / FILE
    db = str(tmp_path_factory.mktemp("prices") / "shop.duckdb")
    with redirect_stdout(io.StringIO()):
        assert cli.main(["ingest", str(path), "--db", db, "--store", "S"]) == 0
    with connect(db) as engine:
        backend = engine.ibis()
        start, end = data_range(backend, "S")
        records = prices.report_records(backend, Scope("S", start, end), None)
    return raw_rows(path), records


def test_shops_products_and_observations_match_the_raw_file(loaded) -> None:
    raw, records = loaded
    assert len({r["店名"] for r in raw}) == 22
    assert {r["shop"] for r in records} == {r["店名"] for r in raw}
    assert len({r["product"] for r in records}) == len({r["id"] for r in raw})
    assert {(r["shop"], r["product"]) for r in records} == {(r["店名"], r["id"]) for r in raw}
    # The scrape lists some listings twice on a day (identical rows): one observation each.
    observed = {(r["day"], r["店名"], r["id"]) for r in raw}
    assert len(records) == len(observed) < len(raw)
    keys = [(r["date"], r["shop"], r["product"]) for r in records]
    assert keys == sorted(keys) and set(keys) == observed


def test_prices_are_the_raw_prices(loaded) -> None:
    raw, records = loaded
    lowest: dict[tuple[str, str, str], float] = {}
    for r in raw:
        key = (r["day"], r["店名"], r["id"])
        lowest[key] = min(lowest.get(key, float("inf")), float(r["price"]))
    assert {(r["date"], r["shop"], r["product"]): r["price"] for r in records} == lowest


def test_renamed_listing_is_one_track_with_its_latest_title(loaded) -> None:
    raw, records = loaded
    titles: dict[str, dict[str, str]] = defaultdict(dict)
    for r in raw:
        titles[r["id"]][r["day"]] = r["title"]
    renamed = sorted(i for i, by_day in titles.items() if len(set(by_day.values())) > 1)
    assert renamed, "the scrape has listings retitled during the promotion"
    for product in renamed:
        by_day = titles[product]
        track = [r for r in records if r["product"] == product]
        assert {r["product_name"] for r in track} == {by_day[max(by_day)]}, product
        assert len({r["shop"] for r in track}) == 1
        assert [r["date"] for r in track] == sorted(by_day)
