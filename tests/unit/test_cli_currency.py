"""`python -m shopdata set-currency BATCH_ID CODE [--by NAME]` and `report … --currency unknown`: the money an
upload stated no currency for is reported apart, and once given its currency counts with that currency's."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from shopdata import cli
from shopdata.store import open_warehouse
from tests.unit.metrics.test_currency import AMAZON_ADS, META_ADS, load


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "shop.duckdb")
    warehouse = open_warehouse(path)
    try:
        load(warehouse, "ads", AMAZON_ADS, "amazon-campaigns.csv")  # batch 1: ₹100 + ₹50 spend
        load(warehouse, "ads", META_ADS, "meta-ads.csv")  # batch 2: 70 + 30 spend, no currency
    finally:
        warehouse.engine.close()
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = cli.main(list(argv))
    return status, out.getvalue(), err.getvalue()


def spend(db: str, currency: str) -> float | None:
    status, out, err = run(
        "report", "overview", "--db", db, "--store", "S", "--compare", "none", "--currency", currency
    )
    assert status == 0, err
    return next(r["value"] for r in json.loads(out) if r["metric"] == "spend")


def test_report_accepts_unknown_for_the_money_without_a_currency(db: str) -> None:
    assert spend(db, "unknown") == 70.0 + 30.0
    assert spend(db, "Unknown") == 70.0 + 30.0
    assert spend(db, "inr") == 100.0 + 50.0


def test_set_currency_gives_the_upload_its_currency(db: str) -> None:
    status, out, err = run("set-currency", "2", "inr", "--by", "alice", "--db", db)
    assert (status, err) == (0, "")
    assert json.loads(out) == {"batch_id": 2, "status": "currency set", "currency": "INR", "rows_changed": 2}
    assert spend(db, "INR") == 100.0 + 50.0 + 70.0 + 30.0
    assert spend(db, "unknown") is None
    warehouse = open_warehouse(db)
    try:
        [change] = warehouse.currency_changes("S")
    finally:
        warehouse.engine.close()
    assert (change["batch_id"], change["new_currency"], change["changed_by"]) == (2, "INR", "alice")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("set-currency", "99", "CNY"), "no upload with batch id 99"),
        (("set-currency", "2", "XYZ"), "'XYZ' is not an ISO currency code"),
        (("set-currency", "1", "CNY"), "every row of batch 1 already states its currency"),
        (("set-currency", "two", "CNY"), "invalid int value"),
    ],
)
def test_set_currency_misuse_is_one_line_and_status_2(db: str, argv: tuple[str, ...], message: str) -> None:
    status, out, err = run(*argv, "--db", db)
    assert status == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1, err
