"""`python -m shopdata report`: every report of the registry × every --by it allows (and none) × json/csv on
the committed sample data, and every misuse of the command line as one line on stderr with exit status 2.

Most runs call `shopdata.cli.main` in this process (what `python -m shopdata` runs); one per report goes
through a real `python -m shopdata` and must print the same records.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from shopdata import cli, demo
from shopdata.reports import REPORTS
from shopdata.store import open_warehouse

REPO_ROOT = Path(__file__).resolve().parents[2]

# Breakdowns the sample data cannot give, and the words of the message saying why: the demo's behaviour
# log (which the funnel prefers to the exports) has no traffic source and no device.
NO_SAMPLE_DATA = {
    ("funnel", "source"): "no source values",
    ("funnel", "source_1"): "no source_1 values",
    ("funnel", "source_2"): "cannot be broken down by 'source_2'",
    ("funnel", "device"): "no device values",
}
# Breakdowns by columns no sample export has (ad groups, keywords): no records, but the CSV still has the
# report's header. (Products are in the 生意参谋 商品效果 and 万相台 商品报表 samples.)
EMPTY_ON_SAMPLE = {
    ("overview", "ad_group"),
    ("overview", "keyword"),
    ("promotion", "ad_group"),
    ("promotion", "keyword"),
    # The demo's order export (天猫 订单报表) has no sales channel column.
    ("orders", "channel"),
}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample exports loaded once (as the demo store) into a DuckDB file the tests only read."""
    path = tmp_path_factory.mktemp("reports") / "shop.duckdb"
    warehouse = open_warehouse(str(path))
    with warehouse.engine:
        results = demo.load_demo(warehouse)
    assert results and all(r.status == "loaded" for r in results), [r.error for r in results]
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def combinations() -> list[tuple[str, str | None]]:
    return [(name, by) for name, report in REPORTS.items() for by in (None, *report.by)]


@pytest.mark.parametrize(("name", "by"), combinations(), ids=lambda v: str(v))
def test_every_report_and_breakdown_in_json_and_csv(
    sample_db: Path, capsys: pytest.CaptureFixture[str], name: str, by: str | None
) -> None:
    argv = ["report", name, "--db", str(sample_db), *(["--by", by] if by else [])]
    code, out, err = run(capsys, *argv)
    if (name, by) in NO_SAMPLE_DATA:
        assert code == 2 and out == ""
        assert len(err.splitlines()) == 1 and NO_SAMPLE_DATA[name, by] in err and "Traceback" not in err
        return
    assert code == 0, err
    records = json.loads(out)
    fields = list(REPORTS[name].fields[by])
    assert (len(records) == 0) == ((name, by) in EMPTY_ON_SAMPLE)
    assert [list(record) for record in records] == [fields] * len(records)

    code, out, err = run(capsys, *argv, "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == fields
    assert len(rows) - 1 == len(records)
    assert all(len(row) == len(fields) for row in rows)


# The period each report is run over through a real `python -m shopdata`; activities need one with a festival
# (the sample's September and October have none; 双11 is on 2026-11-11).
# The demo records its targets for November 2026 only.
SUBPROCESS_PERIOD = {"activities": ("2026-09-01", "2026-11-20"), "targets": ("2026-11-01", "2026-11-22")}


@pytest.mark.parametrize("name", [name for name in REPORTS if (name, None) not in EMPTY_ON_SAMPLE])
def test_python_m_shopdata_prints_the_same_records(
    sample_db: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    first, last = SUBPROCESS_PERIOD.get(name, ("2026-09-01", "2026-10-31"))
    argv = ["report", name, "--db", str(sample_db), "--from", first, "--to", last]
    code, in_process, err = run(capsys, *argv)
    assert code == 0, err
    done = subprocess.run(
        [sys.executable, "-m", "shopdata", *argv], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert same_records(json.loads(done.stdout), json.loads(in_process))


def same_records(left: list[dict], right: list[dict]) -> bool:
    """Equal, numbers up to the last bits (DuckDB adds in parallel, in no fixed order)."""
    assert left, "no records to compare"
    return [list(r) for r in left] == [list(r) for r in right] and all(
        a[k] == pytest.approx(b[k], rel=1e-9) if isinstance(a[k], float) else a[k] == b[k]
        for a, b in zip(left, right, strict=True)
        for k in a
    )


def one_line_refusal(code: int, out: str, err: str, *words: str) -> None:
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err + out
    for word in words:
        assert word in err, err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["report", "prices", "--by", "campaign"], ("prices report has no breakdown",)),
        (["report", "traffic", "--by", "campaign"], ("cannot be broken down by 'campaign'", "source_1, source_2")),
        (["report", "overview", "--from", "2026-10-01", "--to", "2026-09-30"], ("--from 2026-10-01 is after",)),
        (["report", "overview", "--from", "2026-02-30"], ("expected a date as YYYY-MM-DD", "2026-02-30")),
        (["report", "funnel", "--to", "yesterday"], ("expected a date as YYYY-MM-DD",)),
        (["report", "overview", "--store", "No such shop"], ("no store named 'No such shop'", "Demo store")),
        (["report", "promotion", "--from", "2031-01-01"], ("is empty", "2026-08-25..2026-11-22")),
        (["report", "sales"], ("invalid choice: 'sales'",)),
        (["report", "overview", "--format", "xml"], ("invalid choice: 'xml'",)),
        (["delete", "999"], ("no upload with batch id 999",)),
        (["delete", "last"], ("invalid int value: 'last'",)),
        (["batches", "--store", "No such shop"], ("no store named 'No such shop'",)),
        (["users", "role", "nobody", "owner"], ("no account called nobody",)),
        (["users", "role", "nobody", "king"], ("invalid choice: 'king'",)),
        (["users", "remove", "nobody"], ("no account called nobody",)),
        (["ingest", "a.csv", "--max-file-mb", "0"], ("expected a number above 0",)),
        (["frobnicate"], ("invalid choice: 'frobnicate'",)),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_misuse_is_one_line_and_exit_2(
    sample_db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: tuple[str, ...]
) -> None:
    db = [] if argv == ["frobnicate"] else ["--db", str(sample_db)]
    one_line_refusal(*run(capsys, *argv, *db), *words)


def test_a_missing_database_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nothing-here.duckdb"
    for argv in (["report", "overview"], ["batches"], ["delete", "1"], ["users", "list"]):
        one_line_refusal(*run(capsys, *argv, "--db", str(missing)), f"no database at {missing}")
    assert not missing.exists()


def test_an_empty_database_and_a_store_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "empty.duckdb"
    warehouse = open_warehouse(str(db))
    with warehouse.engine:
        pass
    one_line_refusal(*run(capsys, "report", "overview", "--db", str(db)), "holds no store yet")
    warehouse = open_warehouse(str(db))
    with warehouse.engine:
        warehouse.ensure_store("Bare shop")
    one_line_refusal(*run(capsys, "report", "funnel", "--db", str(db)), "'Bare shop' has no data yet")


def test_misuse_through_python_m_shopdata(sample_db: Path) -> None:
    for argv in (["report", "prices", "--by", "campaign"], ["report", "overview", "--from", "2026-13-01"]):
        done = subprocess.run(
            [sys.executable, "-m", "shopdata", *argv, "--db", str(sample_db)],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        one_line_refusal(done.returncode, done.stdout, done.stderr)


def test_report_orders_on_the_demo_counts_its_order_export(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The demo's 订单报表 read with the csv module: per month, orders placed, paid (a payment time), revenue
    (paid + refunded: 买家实际支付金额 is net of refunds), refunds and buyers of paid orders."""
    path = REPO_ROOT / "sample_data" / "ExportOrderList20261123093015.csv"
    with open(path, encoding="gb18030", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected: dict[str, dict] = {}
    for row in rows:
        month = row["订单创建时间"][:7] + "-01"
        m = expected.setdefault(month, {"orders": 0, "paid_orders": 0, "revenue": 0.0, "refund": 0.0, "buyers": set()})
        m["orders"] += 1
        if row["订单付款时间"]:
            m["paid_orders"] += 1
            m["revenue"] += float(row["买家实际支付金额"]) + float(row["退款金额"])
            m["buyers"].add(row["买家会员名"])
        m["refund"] += float(row["退款金额"])
    code, out, err = run(capsys, "report", "orders", "--db", str(sample_db), "--by", "month")
    assert code == 0, err
    got = {r["date"]: r for r in json.loads(out)}
    assert sorted(got) == sorted(expected) == ["2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01"]
    for month, m in expected.items():
        assert got[month]["orders"] == m["orders"]
        assert got[month]["paid_orders"] == m["paid_orders"]
        assert got[month]["revenue"] == pytest.approx(m["revenue"])
        assert got[month]["refund"] == pytest.approx(m["refund"])
        assert got[month]["buyers"] == len(m["buyers"])
        # A few unpaid orders, some refunds and repeat buyers every month: what the demo is there to show.
        assert 0 < m["orders"] - m["paid_orders"] < 0.1 * m["orders"]
        assert 0 < m["refund"] < 0.1 * m["revenue"]
        assert len(m["buyers"]) < m["paid_orders"]
