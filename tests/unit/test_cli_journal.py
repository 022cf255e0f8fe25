"""python -m shopdata notes | activities | targets, and report targets."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from shopdata import cli
from shopdata.store import BatchInfo, open_warehouse
from tests.unit.test_journal import traffic_rows


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shop.duckdb"
    warehouse = open_warehouse(str(path))
    with warehouse.engine:
        march = [date(2024, 3, 1) + timedelta(days=i) for i in range(31)]
        warehouse.load(
            BatchInfo(
                "Shop", "t.csv", "sha", 1, "tmall", "traffic", "tmall_shop", {}, date_from=march[0], date_to=march[-1]
            ),
            traffic_rows([(d, 200.0, 10.0, 1000.0 + i) for i, d in enumerate(march)]),
        )
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_notes_add_and_list(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "notes", "add", "--db", str(db), "--store", "Shop", "--date", "2024-03-04", "--to", "2024-03-05",
        "--text", "搜索流量下降", "--cause", "competitor", "--metric", "visitors", "--dimension", "source",
        "--segment", "手淘搜索", "--action", "matched the price", "--follow-up", "2024-03-11", "--author", "mo",
    )  # fmt: skip
    assert (code, lines(out), err) == (0, [{"status": "added", "note_id": 1}], "")
    run(capsys, "notes", "add", "--db", str(db), "--store", "Shop", "--date", "2024-03-20", "--text", "later")
    code, out, _ = run(capsys, "notes", "list", "--db", str(db), "--from", "2024-03-01", "--to", "2024-03-10")
    [note] = lines(out)
    assert code == 0
    assert {k: note[k] for k in ("store", "date_from", "date_to", "cause", "segment", "action", "author")} == {
        "store": "Shop", "date_from": "2024-03-04", "date_to": "2024-03-05", "cause": "competitor",
        "segment": "手淘搜索", "action": "matched the price", "author": "mo",
    }  # fmt: skip
    code, out, _ = run(capsys, "notes", "list", "--db", str(db), "--search", "LATER")
    assert [n["text"] for n in lines(out)] == ["later"]


@pytest.mark.parametrize(
    "extra, complaint",
    [
        (["--store", "Nowhere"], "no store named 'Nowhere'"),
        (["--store", "Shop", "--metric", "visitors", "--dimension", "source"], "needs a segment"),
        (["--store", "Shop", "--to", "2024-03-01"], "ends before it starts"),
        (["--store", "Shop", "--cause", "weather"], "invalid choice"),
    ],
)
def test_a_note_the_command_cannot_store_is_one_line_and_exit_2(
    db: Path, capsys: pytest.CaptureFixture[str], extra: list[str], complaint: str
) -> None:
    code, out, err = run(capsys, "notes", "add", "--db", str(db), "--date", "2024-03-04", "--text", "t", *extra)
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and complaint in err
    assert run(capsys, "notes", "list", "--db", str(db))[1] == ""


def test_activities_add_and_list_with_the_festivals(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "activities", "add", "--db", str(db), "--store", "Shop", "--name", "Spring sale",
        "--from", "2024-03-08", "--to", "2024-03-10",
    )  # fmt: skip
    assert (code, lines(out)) == (0, [{"status": "added", "activity_id": 1}])
    code, out, _ = run(
        capsys, "activities", "list", "--db", str(db), "--from", "2024-03-01", "--to", "2024-03-31", "--language", "zh"
    )
    assert [(a["name"], a["kind"], a["date_from"]) for a in lines(out)] == [
        ("38女王节", "festival", "2024-03-08"),
        ("Spring sale", "own", "2024-03-08"),
    ]
    code, _, err = run(capsys, "activities", "add", "--db", str(db), "--store", "Shop", "--name", "x",
                       "--from", "2024-03-08", "--to", "2024-03-01")  # fmt: skip
    assert code == 2 and "ends before it starts" in err


def test_targets_set_and_report_targets(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", str(db), "--store", "Shop", "--month", "2024-03"]
    assert run(capsys, "targets", "set", *base, "--metric", "revenue", "--value", "40000")[0] == 0
    assert run(capsys, "targets", "set", *base, "--metric", "orders", "--value", "300")[0] == 0
    code, out, _ = run(capsys, "targets", "list", "--db", str(db))
    assert [(t["metric"], t["value"], t["currency"]) for t in lines(out)] == [
        ("revenue", 40000.0, "CNY"),  # the store's only currency
        ("orders", 300.0, None),
    ]
    code, _, err = run(capsys, "targets", "set", *base, "--metric", "revenue", "--value", "-5")
    assert code == 2 and "above 0" in err and len(err.splitlines()) == 1

    code, out, err = run(capsys, "report", "targets", "--db", str(db), "--from", "2024-03-01", "--to", "2024-03-10")
    assert code == 0, err
    revenue, orders = json.loads(out)
    # Days 1..10 bring 1000 + (0..9): 10 045 in 10 of 31 days.
    assert revenue == {
        "month": "2024-03", "metric": "revenue", "target": 40000.0, "actual": pytest.approx(10_045),
        "pace": pytest.approx(40_000 * 10 / 31), "projected": pytest.approx(10_045 * 3.1),
        "projected_pct": pytest.approx(10_045 * 3.1 / 40_000),
    }  # fmt: skip
    assert (orders["actual"], orders["projected"]) == (pytest.approx(100), pytest.approx(310))
