"""`report funnel` on the real Taobao UserBehavior sample: distinct users per stage equal the raw file's.

The file is ingested with the CLI into a private DuckDB file; the expected counts are read from the raw
CSV with the csv module (pv → view, cart, buy → purchase, fav → favorite), every line of the file, since
the report covers the whole data range.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from shopdata import cli
from shopdata.engine import connect
from shopdata.metrics import funnel
from shopdata.metrics.query import Scope, data_range

pytestmark = pytest.mark.realdata

FILE = Path("taobao_userbehavior") / "UserBehavior_head84475.csv"
STAGE_OF = {"pv": "view", "cart": "cart", "buy": "purchase", "fav": "favorite"}


def raw_users(path: Path) -> tuple[dict[str, int], int]:
    users: dict[str, set[str]] = defaultdict(set)
    lines = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for user_id, _item, _category, behavior, _timestamp in csv.reader(handle):
            users[STAGE_OF[behavior]].add(user_id)
            lines += 1
    return {stage: len(ids) for stage, ids in users.items()}, lines


def test_report_funnel_counts_the_raw_files_users(realdata_dir: Path, tmp_path: Path) -> None:
    path = realdata_dir / FILE
    db = str(tmp_path / "shop.duckdb")
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["ingest", str(path), "--db", db, "--store", "S"]) == 0
    result = json.loads(out.getvalue().splitlines()[0])
    expected, lines = raw_users(path)
    assert (result["status"], result["kind"], result["rows_loaded"]) == ("loaded", "events", lines)

    with connect(db) as engine:
        backend = engine.ibis()
        start, end = data_range(backend, "S")
        scope = Scope("S", start, end)
        records = funnel.report_records(backend, scope, None)
        closed = funnel.event_funnel(backend, scope, "period")

    assert [r["stage"] for r in records] == ["view", "cart", "purchase", "favorite"]  # no checkout in the log
    got = {r["stage"]: r for r in records}
    assert {stage: r["users"] for stage, r in got.items()} == expected
    assert got["view"]["rate_from_start"] == 1.0
    assert got["cart"]["rate_from_previous"] == pytest.approx(expected["cart"] / expected["view"])
    assert got["purchase"]["rate_from_previous"] == pytest.approx(expected["purchase"] / expected["cart"])
    assert got["purchase"]["rate_from_start"] == pytest.approx(expected["purchase"] / expected["view"])
    assert got["favorite"]["rate_from_start"] == pytest.approx(expected["favorite"] / expected["view"])
    # In order, anywhere in the period: the same viewers, and never more at a later stage than the open funnel.
    closed_users = dict(zip(closed["stage"], closed["users"], strict=False))
    assert closed_users["view"] == expected["view"]
    assert 0 < closed_users["cart"] <= expected["cart"]
    assert 0 < closed_users["purchase"] <= min(closed_users["cart"], expected["purchase"])
