"""`report alerts` and `report activities` read the store's journal: a note on an alert makes it reviewed, an
activity over an alert's day takes the day out of the alerts, and each activity's lift is the method's figures
(recomputed here from the warehouse's rows in SQL and the same-weekday median written out by hand)."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from shopdata.cli import main
from shopdata.demo import DEMO_STORE, load_demo
from shopdata.store import open_warehouse
from tests.unit.metrics.test_alerts import ratio_to_moving_average


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("loop") / "demo.duckdb"
    warehouse = open_warehouse(str(path))
    with warehouse.engine:
        load_demo(warehouse)
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Path:
    """A copy per test: the tests write notes and activities."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_file, path)
    return path


def _report(capsys: pytest.CaptureFixture[str], db: Path, name: str, *extra: str) -> list[dict]:
    capsys.readouterr()
    assert main(["report", name, "--db", str(db), *extra]) == 0
    return json.loads(capsys.readouterr().out)


def _key(record: dict) -> tuple[str, str, str, str]:
    return record["date"], record["metric"], record["dimension"], record["segment"]


def test_a_note_on_an_alert_makes_it_reviewed(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _report(capsys, demo_db, "alerts")
    assert before and not any(r["reviewed"] for r in before)
    # A segment's alert, so the note names metric, dimension and segment.
    chosen = next(r for r in before if r["dimension"] != "store")
    note = ["--metric", chosen["metric"], "--dimension", chosen["dimension"], "--segment", chosen["segment"]]
    assert (
        main(
            ["notes", "add", "--db", str(demo_db), "--store", DEMO_STORE, "--date", chosen["date"]]
            + ["--text", "checked", *note]
        )
        == 0
    )
    after = _report(capsys, demo_db, "alerts")
    assert [_key(r) for r in after] == [_key(r) for r in before]  # a note changes no judgement
    assert {_key(r) for r in after if r["reviewed"]} == {_key(chosen)}


def test_a_note_on_the_store_reviews_the_store_level_alert_only(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _report(capsys, demo_db, "alerts")
    chosen = next(r for r in before if r["dimension"] == "store")
    assert (
        main(
            ["notes", "add", "--db", str(demo_db), "--store", DEMO_STORE, "--date", chosen["date"]]
            + ["--text", "festival lead-in", "--metric", chosen["metric"], "--dimension", "store"]
        )
        == 0
    )
    after = _report(capsys, demo_db, "alerts")
    assert {_key(r) for r in after if r["reviewed"]} == {_key(chosen)}


def test_an_activity_over_an_alert_day_removes_its_alerts(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _report(capsys, demo_db, "alerts")
    day = before[0]["date"]
    assert (
        main(
            ["activities", "add", "--db", str(demo_db), "--store", DEMO_STORE, "--name", "Warm-up"]
            + ["--from", day, "--to", day]
        )
        == 0
    )
    after = _report(capsys, demo_db, "alerts")
    assert after and day not in {r["date"] for r in after}
    # A period ending the day before is judged as before: the activity's days are no part of its history.
    earlier = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    expected = [r for r in _report(capsys, demo_db, "alerts", "--to", earlier)]
    assert expected and all(r["date"] <= earlier for r in expected)


ACTIVITY = ("Flash sale", date(2026, 10, 20), date(2026, 10, 22))


def _daily(db: Path, sql: str, start: date, end: date) -> dict[date, float]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(sql, [DEMO_STORE, start, end]).fetchall()
    return {d: float(v) for d, v in rows}


def test_activity_lift_by_hand(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name, first, last = ACTIVITY
    assert (
        main(
            ["activities", "add", "--db", str(demo_db), "--store", DEMO_STORE, "--name", name]
            + ["--from", first.isoformat(), "--to", last.isoformat()]
        )
        == 0
    )
    records = _report(capsys, demo_db, "activities", "--from", "2026-10-15", "--to", "2026-10-31")
    mine = [r for r in records if r["name"] == name]
    assert len(mine) == 1
    found = mine[0]

    revenue_by_day = _daily(
        demo_db,
        "select date, sum(revenue) from traffic where store = ? and grain = 'source' and source_level = 1"
        " and currency = 'CNY'"
        " and date between ? and ? group by date",
        first - timedelta(days=59),
        last,
    )
    spend_by_day = _daily(
        demo_db,
        "select date, sum(spend) from ads where store = ? and grain = 'campaign' and currency = 'CNY'"
        " and date between ? and ? group by date",
        first,
        last,
    )
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    revenue = sum(revenue_by_day[d] for d in days)
    # The ratio to moving average of each day, never from a day of the activity itself.
    before = pd.Series({d: v for d, v in revenue_by_day.items() if d < first})
    expected = sum(ratio_to_moving_average(before, d) for d in days)
    spend = sum(spend_by_day[d] for d in days)
    lift = revenue - expected
    assert found["date_from"] == first.isoformat() and found["date_to"] == last.isoformat()
    assert found["revenue"] == pytest.approx(revenue)
    assert found["expected_revenue"] == pytest.approx(expected)
    assert found["lift"] == pytest.approx(lift)
    assert found["lift_pct"] == pytest.approx(lift / expected)
    assert found["spend"] == pytest.approx(spend)
    assert found["incremental_roas"] == pytest.approx(lift / spend)


def test_festivals_are_activities_of_the_period(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Singles' Day (11.11) is in the festival calendar: it is reported without being recorded, beside the
    demo's own recorded 双11 campaign."""
    records = _report(capsys, demo_db, "activities", "--language", "zh")
    assert [(r["name"], r["date_from"], r["date_to"]) for r in records] == [
        ("双11预售+大促+返场", "2026-10-20", "2026-11-12"),
        ("双11", "2026-11-11", "2026-11-11"),
    ]
    assert records[1]["lift"] > 0  # the demo's 11.11 sells several times a normal Wednesday
