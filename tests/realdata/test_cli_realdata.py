"""Every real export in ../shared/realdata through `python -m shopdata ingest` (called in-process).

What each file should give is listed once, in CASES. The totals the stored rows must add up to are
computed here from the raw files by another route -- Python's csv module, python-calamine or pandas,
each file read with its own encoding (GBK, UTF-16, UTF-8 with BOM) and its totals rows ("Total: …")
dropped by this module's own rule -- and compared with the rows in the DuckDB file, read directly.

One database is shared by the module: every case loads into its own store (named after the case), so
two files holding the same rows (the Meta csv and xlsx) do not replace each other's rows. Tests that
upload a file twice use a database of their own.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
import python_calamine

from shopdata import cli

pytestmark = pytest.mark.realdata

REL = 1e-9  # floating sums: the database adds in another order than math.fsum


# --------------------------------------------------------------------------------------------------
# What each file gives


@dataclass(frozen=True)
class Case:
    id: str  # also the store the file is loaded into
    path: str  # relative to ../shared/realdata
    status: str  # loaded | rejected
    kind: str | None
    platform: str | None
    options: tuple[str, ...] = ()
    error_words: tuple[str, ...] = ()  # a rejection's error must mention each of these

    @property
    def period(self) -> tuple[str, str] | None:
        if "--period" not in self.options:
            return None
        start, end = self.options[self.options.index("--period") + 1].split("..")
        return start, end


NO_DATES = ("period", "--period")  # a no-date report without --period must be told to give one

AMAZON_IN = "amazon_sp_ads_india_2020/Sponsored Products "
KAG_PERIOD = ("--period", "2017-08-17..2017-08-30")
GADS_CAMPAIGN = "google_ads_reports/calpreserving_Campaign report.csv"
GADS_PERIOD = ("--period", "2019-01-01..2026-01-21")
CN_FLAGSHIP = "cn_flagship_store_xlsx/某厂商旗舰店脱敏数据.xlsx"
CN_PERIOD = ("--period", "2020-07-01..2020-07-31")

CASES: tuple[Case, ...] = (
    # ads
    Case("amazon_in_advertised_product", AMAZON_IN + "Advertised product report.xlsx", "loaded", "ads", "amazon"),
    Case("amazon_in_campaign", AMAZON_IN + "Campaign report.csv", "loaded", "ads", "amazon"),
    Case("amazon_in_over_time", AMAZON_IN + "Performance Over Time report (2).xlsx", "loaded", "ads", "amazon"),
    Case("amazon_in_placement", AMAZON_IN + "Placement report (1).xlsx", "loaded", "ads", "amazon"),
    Case("amazon_in_search_term", AMAZON_IN + "Search term report.xlsx", "loaded", "ads", "amazon"),
    Case("amazon_in_targeting", AMAZON_IN + "Targeting report (1).xlsx", "loaded", "ads", "amazon"),
    Case(
        "amazon_uk_search_term",
        "amazon_sp_searchterm_uk_2023/Sponsored Products Search term report.xlsx",
        "loaded",
        "ads",
        "amazon",
    ),
    Case(
        "amazon_us_search_term",
        "amazon_sp_searchterm_us_2019/Sponsored Products Search term report.xlsx",
        "loaded",
        "ads",
        "amazon",
    ),
    Case(
        "kag_csv_no_period", "facebook_ads_kag/KAG_conversion_data.csv", "rejected", "ads", "meta", error_words=NO_DATES
    ),
    Case("kag_csv", "facebook_ads_kag/KAG_conversion_data.csv", "loaded", "ads", "meta", KAG_PERIOD),
    Case(
        "kag_xlsx_no_period",
        "facebook_ads_kag/KAG_conversion_data.xlsx",
        "rejected",
        "ads",
        "meta",
        error_words=NO_DATES,
    ),
    Case("kag_xlsx", "facebook_ads_kag/KAG_conversion_data.xlsx", "loaded", "ads", "meta", KAG_PERIOD),
    Case("gads_ad_report", "google_ads_reports/calpreserving_Ad report- 22nd Jan.csv", "loaded", "ads", "google_ads"),
    Case("gads_campaign_no_period", GADS_CAMPAIGN, "rejected", "ads", "google_ads", error_words=NO_DATES),
    Case("gads_campaign", GADS_CAMPAIGN, "loaded", "ads", "google_ads", GADS_PERIOD),
    Case("gads_towing_keywords", "google_ads_reports/towing_Search keyword report.csv", "loaded", "ads", "google_ads"),
    Case(
        "gads_towing_search_terms", "google_ads_reports/towing_Search terms report.csv", "loaded", "ads", "google_ads"
    ),
    # events and traffic
    Case("userbehavior", "taobao_userbehavior/UserBehavior_head84475.csv", "loaded", "events", "taobao"),
    Case("tianchi_behavior", "tianchi_mobile_recommend_sample/sample_user_behavior.csv", "loaded", "events", "taobao"),
    Case("ga_sessions", "ga_merch_store_sessions/all_sessions.csv", "loaded", "events", "ga"),
    Case("ga4_funnel", "ga4_funnel_by_source_derived/BigQuery_conversion_funnel.csv", "loaded", "traffic", "ga"),
    # orders and products
    Case("tmall_orders", "tmall_orders_cn/tmall_order_report.csv", "loaded", "orders", "tmall"),
    Case(
        "amazon_sale_report", "amazon_india_seller_sales/Amazon Sale Report_head796.csv", "loaded", "orders", "amazon"
    ),
    Case("olist_orders", "olist_2017_subset/orders.csv", "loaded", "orders", "olist"),
    Case("olist_order_items", "olist_2017_subset/order_items.csv", "loaded", "orders", "olist"),
    Case("olist_products", "olist_2017_subset/products.csv", "loaded", "products", "olist"),
    # a lookup table (Portuguese -> English category names), not a store export
    Case(
        "olist_category_translation",
        "olist_2017_subset/product_category_name_translation.csv",
        "rejected",
        None,
        None,
        error_words=("product_category_name", "product_id"),
    ),
    Case("tianchi_items", "tianchi_mobile_recommend_sample/sample_item_info.csv", "loaded", "products", "taobao"),
    # prices
    Case("double11", "taobao_double11_cosmetics_prices/双十一淘宝美妆数据.csv", "loaded", "prices", "taobao"),
    Case("price_tracker", "amazon_asin_price_tracker/price_history.csv", "loaded", "prices", "amazon"),
    Case("mrp_may_2022", "marketplace_mrp_comparison_india/May-2022.csv", "loaded", "prices", "multi"),
    Case("mrp_march_2021", "marketplace_mrp_comparison_india/P  L March 2021.csv", "loaded", "prices", "multi"),
    Case("cn_flagship_no_period", CN_FLAGSHIP, "rejected", "prices", "other", error_words=NO_DATES),
    Case("cn_flagship", CN_FLAGSHIP, "loaded", "prices", "other", CN_PERIOD),
)
CASES_BY_ID = {case.id: case for case in CASES}
assert len(CASES_BY_ID) == len(CASES), "case ids must be unique (they name the stores)"


# --------------------------------------------------------------------------------------------------
# Running the CLI and reading the database


@dataclass
class CliRun:
    exit_code: int
    out: str
    err: str

    @property
    def results(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]

    @property
    def result(self) -> dict[str, Any]:
        results = self.results
        assert len(results) == 1, self.out
        return results[0]


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str] | None = None) -> CliRun:
    """shopdata.cli.main in this process; its JSON lines are read from capsys (or a redirect)."""
    if capsys is not None:
        capsys.readouterr()
        code = cli.main(argv)
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(argv)
    return CliRun(code, out.getvalue(), err.getvalue())


def ingest_argv(realdata_dir: Path, path: str, db: Path, store: str, *options: str) -> list[str]:
    return ["ingest", str(realdata_dir / path), "--db", str(db), "--store", store, *options]


def query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


class SharedDatabase:
    """One DuckDB file for the module; each case is ingested once, into the store named after it."""

    def __init__(self, path: Path, realdata_dir: Path) -> None:
        self.path = path
        self.realdata_dir = realdata_dir
        self.runs: dict[str, CliRun] = {}

    def ingest(self, case: Case, capsys: pytest.CaptureFixture[str] | None = None) -> CliRun:
        if case.id not in self.runs:
            argv = ingest_argv(self.realdata_dir, case.path, self.path, case.id, *case.options)
            self.runs[case.id] = run_cli(argv, capsys)
        return self.runs[case.id]

    def loaded(self, case_id: str) -> dict[str, Any]:
        result = self.ingest(CASES_BY_ID[case_id]).result
        assert result["status"] == "loaded", result
        return result

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        return query(self.path, sql, params)


@pytest.fixture(scope="module")
def shared(realdata_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> SharedDatabase:
    return SharedDatabase(tmp_path_factory.mktemp("realdata_cli") / "shop.duckdb", realdata_dir)


# --------------------------------------------------------------------------------------------------
# Reading the raw files by another route


def is_totals_row(cells: list[Any]) -> bool:
    """Google Ads ends its reports with rows like 'Total: Account' (in any of the first columns)."""
    return any(isinstance(c, str) and c.strip().lower().startswith("total:") for c in cells)


def csv_records(
    path: Path, *, encoding: str = "utf-8", delimiter: str = ",", preamble: int = 0, header: list[str] | None = None
) -> list[dict[str, Any]]:
    with open(path, encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))[preamble:]
    if header is None:
        header, rows = rows[0], rows[1:]
    return [
        dict(zip(header, row, strict=False))
        for row in rows
        if any(cell.strip() for cell in row) and not is_totals_row(row)
    ]


def xlsx_records(path: Path, sheet: str | None = None) -> list[dict[str, Any]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(sheet or book.sheet_names[0]).to_python()
    header = [str(h) for h in rows[0]]
    return [
        dict(zip(header, row, strict=False))
        for row in rows[1:]
        if any(cell not in ("", None) for cell in row) and not is_totals_row(row)
    ]


def number(cell: Any) -> float | None:
    """A raw cell as a number: '' and ' --' are empty; 'Rs.201.68', '"795,836"' are read by hand."""
    if cell is None:
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell)
    text = str(cell).strip()
    if text in ("", "--"):
        return None
    if text.startswith("Rs."):
        text = text[len("Rs.") :]
    return float(text.replace(",", ""))


def total(records: list[dict[str, Any]], header: str | None) -> float | None:
    """Sum of a column's non-empty cells; None when the column is absent or empty (SQL sum is NULL then)."""
    if header is None:
        return None
    if records and header not in records[0]:
        raise KeyError(f"the raw file has no column {header!r}: {list(records[0])}")
    values = [v for v in (number(r[header]) for r in records) if v is not None]
    return math.fsum(values) if values else None


def approx_values(expected: dict[str, Any]) -> dict[str, Any]:
    return {k: pytest.approx(v, rel=REL) if isinstance(v, float) else v for k, v in expected.items()}


# --------------------------------------------------------------------------------------------------
# 1. Every file: loaded with the expected kind, or rejected with an error that says what to do


def test_every_realdata_file_has_a_case(realdata_dir: Path) -> None:
    on_disk = {
        p.relative_to(realdata_dir).as_posix()
        for p in realdata_dir.rglob("*")
        if p.is_file() and p.name != "SOURCES.md"
    }
    assert on_disk == {case.path for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_cli_ingest_result(shared: SharedDatabase, case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    run = shared.ingest(case, capsys)
    assert "Traceback" not in run.out + run.err, run.out + run.err
    result = run.result
    assert Path(result["file"]).name == Path(case.path).name
    assert set(result) >= {
        "file",
        "status",
        "kind",
        "platform",
        "rows_loaded",
        "rows_replaced",
        "rows_skipped",
        "batch_id",
        "date_from",
        "date_to",
        "warnings",
        "error",
    }
    # A Python exception caught by the pipeline is "unexpected problem": a bug, not an answer for the user.
    assert "unexpected problem" not in (result["error"] or ""), result["error"]
    assert (result["status"], result["kind"], result["platform"]) == (case.status, case.kind, case.platform), result
    if case.status == "rejected":
        assert run.exit_code == 2
        assert result["error"], result
        step, _, hint = result["error"].partition(" — ")
        assert hint.strip(), f"the error should say what to do: {result['error']!r}"
        for word in case.error_words:
            assert word in result["error"], result["error"]
        assert result["batch_id"] is None and result["rows_loaded"] == 0
        stored = shared.query("SELECT count(*) FROM batches WHERE store = ?", [case.id])[0][0]
        assert stored == 0
        return
    assert run.exit_code == 0
    assert result["error"] is None
    assert isinstance(result["batch_id"], int) and result["rows_loaded"] > 0
    assert result["rows_replaced"] == 0
    in_table = shared.query(
        f'SELECT count(*) FROM "{case.kind}" WHERE store = ? AND batch_id = ?', [case.id, result["batch_id"]]
    )[0][0]
    assert in_table == result["rows_loaded"]
    if case.period:
        assert (result["date_from"], result["date_to"]) == case.period
        assert any("your input" in w for w in result["warnings"]), result["warnings"]


# --------------------------------------------------------------------------------------------------
# 2. Stored rows and totals equal totals computed from the raw files


@dataclass(frozen=True)
class AdsSource:
    case_id: str
    read: Callable[[Path], list[dict[str, Any]]]
    spend: str
    clicks: str | None
    impressions: str | None
    revenue: str | None
    conversions: str | None = None
    purchases: str | None = None


def amazon_in_xlsx(name: str) -> Callable[[Path], list[dict[str, Any]]]:
    return lambda root: xlsx_records(root / (AMAZON_IN + name))


def google_csv(name: str) -> Callable[[Path], list[dict[str, Any]]]:
    # Two preamble lines (report name, date range); the towing files are Google's "CSV for Excel".
    if name.startswith("towing_"):
        return lambda root: csv_records(
            root / "google_ads_reports" / name, encoding="utf-16", delimiter="\t", preamble=2
        )
    return lambda root: csv_records(root / "google_ads_reports" / name, preamble=2)


INR_SALES = "14 Day Total Sales (₹)"
INR_ORDERS = "14 Day Total Orders (#)"

ADS_SOURCES: tuple[AdsSource, ...] = (
    AdsSource(
        "amazon_in_campaign",
        lambda root: csv_records(root / (AMAZON_IN + "Campaign report.csv")),
        "Spend",
        "Clicks",
        "Impressions",
        INR_SALES,
        INR_ORDERS,
    ),
    AdsSource(
        "amazon_in_advertised_product",
        amazon_in_xlsx("Advertised product report.xlsx"),
        "Spend",
        "Clicks",
        "Impressions",
        INR_SALES,
        INR_ORDERS,
    ),
    AdsSource(
        "amazon_in_over_time", amazon_in_xlsx("Performance Over Time report (2).xlsx"), "Spend", "Clicks", None, None
    ),
    AdsSource(
        "amazon_in_placement",
        amazon_in_xlsx("Placement report (1).xlsx"),
        "Spend",
        "Clicks",
        "Impressions",
        INR_SALES,
        INR_ORDERS,
    ),
    AdsSource(
        "amazon_in_search_term",
        amazon_in_xlsx("Search term report.xlsx"),
        "Spend",
        "Clicks",
        "Impressions",
        INR_SALES,
        INR_ORDERS,
    ),
    AdsSource(
        "amazon_in_targeting",
        amazon_in_xlsx("Targeting report (1).xlsx"),
        "Spend",
        "Clicks",
        "Impressions",
        INR_SALES,
        INR_ORDERS,
    ),
    # The 2019 US export keeps Amazon's trailing space in '7 Day Total Sales '.
    AdsSource(
        "amazon_us_search_term",
        lambda root: xlsx_records(root / CASES_BY_ID["amazon_us_search_term"].path),
        "Spend",
        "Clicks",
        "Impressions",
        "7 Day Total Sales ",
        "7 Day Total Orders (#)",
    ),
    AdsSource(
        "amazon_uk_search_term",
        lambda root: xlsx_records(root / CASES_BY_ID["amazon_uk_search_term"].path),
        "Spend",
        "Clicks",
        "Impressions",
        "7 Day Total Sales",
        "7 Day Total Orders (#)",
    ),
    # None of the four Google files has a "Conv. value" column (asserted below); the ad report has no Clicks.
    AdsSource(
        "gads_campaign", google_csv("calpreserving_Campaign report.csv"), "Cost", "Clicks", "Impr.", None, "Conversions"
    ),
    AdsSource(
        "gads_ad_report",
        google_csv("calpreserving_Ad report- 22nd Jan.csv"),
        "Cost",
        None,
        "Impr.",
        None,
        "Conversions",
    ),
    AdsSource(
        "gads_towing_keywords",
        google_csv("towing_Search keyword report.csv"),
        "Cost",
        "Clicks",
        "Impr.",
        None,
        "Conversions",
    ),
    AdsSource(
        "gads_towing_search_terms",
        google_csv("towing_Search terms report.csv"),
        "Cost",
        "Clicks",
        "Impr.",
        None,
        "Conversions",
    ),
    AdsSource(
        "kag_csv",
        lambda root: csv_records(root / CASES_BY_ID["kag_csv"].path, encoding="utf-8-sig"),
        "Spent",
        "Clicks",
        "Impressions",
        None,
        "Total_Conversion",
        "Approved_Conversion",
    ),
    AdsSource(
        "kag_xlsx",
        lambda root: xlsx_records(root / CASES_BY_ID["kag_xlsx"].path, sheet="KAG_conversion_data"),
        "Spent",
        "Clicks",
        "Impressions",
        None,
        "Total_Conversion",
        "Approved_Conversion",
    ),
)

# Data rows per SOURCES.md, as a check on this module's own reading of the raw files.
DOCUMENTED_ROWS = {
    "amazon_in_campaign": 182,
    "amazon_in_search_term": 923,
    "amazon_in_targeting": 1683,
    "amazon_in_placement": 545,
    "amazon_in_advertised_product": 265,
    "amazon_in_over_time": 29,
    "amazon_us_search_term": 24575,
    "amazon_uk_search_term": 2399,
    "gads_campaign": 12,
    "gads_ad_report": 15,
    "gads_towing_keywords": 17,
    "gads_towing_search_terms": 18,
    "kag_csv": 1143,
    "kag_xlsx": 1143,
}


@pytest.mark.parametrize("source", ADS_SOURCES, ids=[s.case_id for s in ADS_SOURCES])
def test_ads_totals_equal_raw_file(shared: SharedDatabase, realdata_dir: Path, source: AdsSource) -> None:
    records = source.read(realdata_dir)
    assert len(records) == DOCUMENTED_ROWS[source.case_id]
    if source.case_id.startswith("gads_"):
        assert "Conv. value" not in records[0]
    expected = {
        "rows": len(records),
        "spend": total(records, source.spend),
        "clicks": total(records, source.clicks),
        "impressions": total(records, source.impressions),
        "revenue": total(records, source.revenue),
        "conversions": total(records, source.conversions),
        "purchases": total(records, source.purchases),
    }
    result = shared.loaded(source.case_id)
    row = shared.query(
        "SELECT count(*), sum(spend), sum(clicks), sum(impressions), sum(revenue), sum(conversions), "
        "sum(purchases) FROM ads WHERE store = ?",
        [source.case_id],
    )[0]
    assert dict(zip(expected, row, strict=False)) == approx_values(expected)
    assert result["rows_loaded"] == len(records)


def test_amazon_india_reports_agree_on_spend_and_clicks(shared: SharedDatabase) -> None:
    """Six views of one month of one account: every report adds up to the same spend and clicks."""
    ids = [s.case_id for s in ADS_SOURCES if s.case_id.startswith("amazon_in_")]
    for case_id in ids:
        shared.loaded(case_id)
    rows = shared.query(
        "SELECT store, round(sum(spend), 2), sum(clicks) FROM ads WHERE store IN "
        f"({', '.join('?' for _ in ids)}) GROUP BY store",
        ids,
    )
    assert len(rows) == 6
    assert {(spend, clicks) for _, spend, clicks in rows} == {(47108.12, 1955.0)}


# -- events

TIANCHI_CODES = {"1": "view", "2": "fav", "3": "cart", "4": "purchase"}
USERBEHAVIOR_WORDS = {"pv": "view", "cart": "cart", "fav": "fav", "buy": "purchase"}
# GA360 eCommerceAction.type: 1 product-list click, 2 product detail view, 3 add to cart, 5 checkout,
# 6 completed purchase; 0 unknown, 4 remove from cart, 7 refund, 8 checkout option are no funnel step.
GA_ACTION_TYPES = {"1": "view", "2": "view", "3": "cart", "5": "checkout", "6": "purchase"}


def userbehavior_rows(realdata_dir: Path) -> list[list[str]]:
    path = realdata_dir / CASES_BY_ID["userbehavior"].path
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def events_by_behavior(shared: SharedDatabase, case_id: str) -> dict[str, tuple[int, int]]:
    rows = shared.query(
        "SELECT behavior, count(*), count(DISTINCT user_id) FROM events WHERE store = ? GROUP BY behavior", [case_id]
    )
    return {behavior: (events, users) for behavior, events, users in rows}


def expected_by_behavior(pairs: list[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    events: Counter[str] = Counter()
    users: defaultdict[str, set[str]] = defaultdict(set)
    for behavior, user in pairs:
        events[behavior] += 1
        users[behavior].add(user)
    return {b: (events[b], len(users[b])) for b in events}


def test_userbehavior_events_equal_raw_file(shared: SharedDatabase, realdata_dir: Path) -> None:
    rows = userbehavior_rows(realdata_dir)
    expected = expected_by_behavior([(USERBEHAVIOR_WORDS[r[3]], r[0]) for r in rows])
    assert {b: n for b, (n, _) in expected.items()} == {
        "view": 75872,
        "cart": 4497,
        "fav": 2356,
        "purchase": 1750,
    }  # SOURCES.md
    result = shared.loaded("userbehavior")
    assert result["rows_loaded"] == len(rows) == 84475
    assert events_by_behavior(shared, "userbehavior") == expected


def test_tianchi_events_equal_raw_file(shared: SharedDatabase, realdata_dir: Path) -> None:
    records = csv_records(realdata_dir / CASES_BY_ID["tianchi_behavior"].path)
    expected = expected_by_behavior([(TIANCHI_CODES[r["behavior_type"]], r["user_id"]) for r in records])
    result = shared.loaded("tianchi_behavior")
    assert result["rows_loaded"] == len(records) == 1999
    assert events_by_behavior(shared, "tianchi_behavior") == expected
    assert (
        shared.query("SELECT count(DISTINCT user_id) FROM events WHERE store = ?", ["tianchi_behavior"])[0][0]
        == len({r["user_id"] for r in records})
        == 34
    )


def test_ga_sessions_keep_only_funnel_steps(shared: SharedDatabase, realdata_dir: Path) -> None:
    records = csv_records(realdata_dir / CASES_BY_ID["ga_sessions"].path)
    steps = [
        (GA_ACTION_TYPES[r["eCommerceAction_type"]], r["fullVisitorId"])
        for r in records
        if r["eCommerceAction_type"] in GA_ACTION_TYPES
    ]
    result = shared.loaded("ga_sessions")
    assert (result["rows_loaded"], result["rows_skipped"]) == (len(steps), len(records) - len(steps))
    assert events_by_behavior(shared, "ga_sessions") == expected_by_behavior(steps)
    assert any("1.2E+17" in w for w in result["warnings"]), "mangled fullVisitorId values should be flagged"


# -- orders


def test_tmall_orders_equal_raw_file(shared: SharedDatabase, realdata_dir: Path) -> None:
    records = csv_records(realdata_dir / CASES_BY_ID["tmall_orders"].path)
    expected = {
        "rows": len(records),
        "orders": len({r["订单编号"] for r in records}),
        "amount": total(records, "总金额"),
        "paid": total(records, "买家实际支付金额"),
        "refund": total(records, "退款金额"),
    }
    assert expected["rows"] == 28010
    result = shared.loaded("tmall_orders")
    row = shared.query(
        "SELECT count(*), count(DISTINCT order_id), sum(amount), sum(paid_amount), "
        "sum(refund_amount) FROM orders WHERE store = ?",
        ["tmall_orders"],
    )[0]
    assert dict(zip(expected, row, strict=False)) == approx_values(expected)
    assert result["rows_loaded"] == len(records)


def test_amazon_sale_report_equal_raw_file(shared: SharedDatabase, realdata_dir: Path) -> None:
    records = csv_records(realdata_dir / CASES_BY_ID["amazon_sale_report"].path)
    expected = {
        "rows": len(records),
        "amount": total(records, "Amount"),
        "qty": total(records, "Qty"),
        "with_promotion": sum(1 for r in records if r["promotion-ids"].strip()),
    }
    assert (expected["rows"], expected["with_promotion"]) == (796, 529)  # SOURCES.md
    result = shared.loaded("amazon_sale_report")
    row = shared.query(
        "SELECT count(*), sum(amount), sum(quantity), count(promotion) FROM orders WHERE store = ?",
        ["amazon_sale_report"],
    )[0]
    assert dict(zip(expected, row, strict=False)) == approx_values(expected)
    assert result["rows_loaded"] == len(records)


def test_olist_order_items_equal_raw_file(shared: SharedDatabase, realdata_dir: Path) -> None:
    frame = pd.read_csv(realdata_dir / CASES_BY_ID["olist_order_items"].path, dtype={"order_item_id": str})
    expected = {
        "rows": len(frame),
        "orders": frame["order_id"].nunique(),
        "price": math.fsum(frame["price"]),
        "freight": math.fsum(frame["freight_value"]),
    }
    assert expected["rows"] == 11252
    result = shared.loaded("olist_order_items")
    row = shared.query(
        "SELECT count(*), count(DISTINCT order_id), sum(amount), sum(shipping) FROM orders WHERE store = ?",
        ["olist_order_items"],
    )[0]
    assert dict(zip(expected, row, strict=False)) == approx_values(expected)
    assert result["rows_loaded"] == len(frame)


def test_olist_orders_equal_raw_file(shared: SharedDatabase, realdata_dir: Path) -> None:
    frame = pd.read_csv(realdata_dir / CASES_BY_ID["olist_orders"].path)
    expected = {
        "rows": len(frame),
        "orders": frame["order_id"].nunique(),
        "statuses": dict(Counter(frame["order_status"])),
    }
    assert expected["rows"] == 10000
    result = shared.loaded("olist_orders")
    count, orders = shared.query(
        "SELECT count(*), count(DISTINCT order_id) FROM orders WHERE store = ?", ["olist_orders"]
    )[0]
    statuses = dict(
        shared.query("SELECT status, count(*) FROM orders WHERE store = ? GROUP BY status", ["olist_orders"])
    )
    assert {"rows": count, "orders": orders, "statuses": statuses} == expected
    assert result["rows_loaded"] == len(frame)


# -- prices


def stored_price_totals(shared: SharedDatabase, case_id: str) -> tuple[int, int, int, int, float]:
    return shared.query(
        "SELECT count(*), count(DISTINCT shop), count(DISTINCT product_id), count(price), "
        "sum(price) FROM prices WHERE store = ?",
        [case_id],
    )[0]


def test_double11_prices_equal_raw_file(shared: SharedDatabase, realdata_dir: Path) -> None:
    frame = pd.read_csv(realdata_dir / CASES_BY_ID["double11"].path, encoding="gbk", dtype={"id": str})
    expected = (
        len(frame),
        frame["店名"].nunique(),
        frame["id"].nunique(),
        int(frame["price"].notna().sum()),
        math.fsum(frame["price"].dropna()),
    )
    assert expected[:3] == (27598, 22, 3497)  # SOURCES.md
    result = shared.loaded("double11")
    actual = stored_price_totals(shared, "double11")
    assert actual == (*expected[:4], pytest.approx(expected[4], rel=REL))
    shops = {s for (s,) in shared.query("SELECT DISTINCT shop FROM prices WHERE store = ?", ["double11"])}
    assert shops == set(frame["店名"])  # GBK decoded: the shop names are the Chinese store names
    assert (result["date_from"], result["date_to"]) == ("2016-11-05", "2016-11-14")


def test_price_tracker_equal_raw_file(shared: SharedDatabase, realdata_dir: Path) -> None:
    records = csv_records(realdata_dir / CASES_BY_ID["price_tracker"].path)
    priced = [number(r["price"]) for r in records if number(r["price"]) is not None]
    expected = (len(records), 1, len({r["asin"] for r in records}), len(priced), math.fsum(priced))
    assert expected[:3] == (66, 1, 36)
    shared.loaded("price_tracker")
    assert stored_price_totals(shared, "price_tracker") == (*expected[:4], pytest.approx(expected[4], rel=REL))
    unavailable = sum(1 for r in records if r["available"].strip().lower() == "false")
    assert (
        shared.query("SELECT count(*) FILTER (WHERE NOT available) FROM prices WHERE store = ?", ["price_tracker"])[0][
            0
        ]
        == unavailable
    )


MARKETPLACES = frozenset({"Ajio", "Amazon", "Amazon FBA", "Flipkart", "Limeroad", "Myntra", "Paytm", "Snapdeal"})


@pytest.mark.parametrize("case_id", ["mrp_may_2022", "mrp_march_2021"])
def test_marketplace_mrp_unpivoted_equal_raw_file(shared: SharedDatabase, realdata_dir: Path, case_id: str) -> None:
    with open(realdata_dir / CASES_BY_ID[case_id].path, encoding="utf-8", newline="") as handle:
        rows = [[cell.strip() for cell in row] for row in csv.reader(handle)]
    header, body = rows[0], rows[1:]
    mrp_columns = {header[i][: -len(" MRP")]: i for i, h in enumerate(header) if h.endswith(" MRP")}
    assert set(mrp_columns) == MARKETPLACES
    # 'Nill' marks a SKU not listed on that marketplace: no price.
    cells = [float(row[i]) for row in body for i in mrp_columns.values() if row[i] not in ("", "Nill")]
    skus = {row[header.index("Sku")] for row in body}
    expected = (len(body) * len(MARKETPLACES), len(MARKETPLACES), len(skus), len(cells), math.fsum(cells))
    assert len(body) == 1330
    shared.loaded(case_id)
    assert stored_price_totals(shared, case_id) == (*expected[:4], pytest.approx(expected[4], rel=REL))
    shops = {s for (s,) in shared.query("SELECT DISTINCT shop FROM prices WHERE store = ?", [case_id])}
    assert shops == MARKETPLACES


def test_cn_flagship_prices_equal_raw_file(shared: SharedDatabase, realdata_dir: Path) -> None:
    records = xlsx_records(realdata_dir / CN_FLAGSHIP, sheet="白象7月销售估计")
    expected = (len(records), 1, 0, len(records), total(records, "价格"))
    assert len(records) == 76
    result = shared.ingest(CASES_BY_ID["cn_flagship"]).result
    assert result["status"] == "loaded", (
        "cn_flagship_store_xlsx with --period should load 76 prices (名称 + 价格, shop = the store); "
        f"got: {result['error']}"
    )
    assert stored_price_totals(shared, "cn_flagship") == (*expected[:4], pytest.approx(expected[4], rel=REL))
    names = {n for (n,) in shared.query("SELECT product_name FROM prices WHERE store = ?", ["cn_flagship"])}
    assert names == {r["名称"] for r in records}


# --------------------------------------------------------------------------------------------------
# 3. Uploading the same real file twice counts nothing twice


def table_totals(db: Path, kind: str, measures: str) -> tuple:
    return query(db, f'SELECT count(*), {measures} FROM "{kind}"')[0]


@pytest.mark.parametrize(
    ("case_id", "measures"),
    [
        ("kag_csv", "sum(spend), sum(clicks), sum(impressions), sum(conversions)"),
        ("double11", "sum(price), count(DISTINCT shop), count(DISTINCT product_id), sum(sales)"),
    ],
    ids=["kag_csv", "double11"],
)
def test_second_upload_replaces_first(
    realdata_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case_id: str, measures: str
) -> None:
    case = CASES_BY_ID[case_id]
    db = tmp_path / "twice.duckdb"
    argv = ingest_argv(realdata_dir, case.path, db, "Twice", *case.options)
    first = run_cli(argv, capsys)
    assert first.exit_code == 0, first.out
    totals_once = table_totals(db, case.kind, measures)
    second = run_cli(argv, capsys)
    assert second.exit_code == 0, second.out
    once, again = first.result, second.result
    assert again["status"] == "loaded"
    assert again["rows_loaded"] == once["rows_loaded"] > 0
    assert again["rows_replaced"] == again["rows_loaded"]
    assert again["batch_id"] != once["batch_id"]
    earlier = [w for w in again["warnings"] if "already imported" in w]
    assert earlier and f"batch {once['batch_id']}" in earlier[0], again["warnings"]
    assert not any("already imported" in w for w in once["warnings"])
    # Same rows, possibly stored in another order: float sums agree to rounding, counts exactly.
    assert table_totals(db, case.kind, measures) == pytest.approx(totals_once, rel=1e-12)
    assert totals_once[0] == once["rows_loaded"]


# --------------------------------------------------------------------------------------------------
# 4. Date ranges


def test_amazon_india_campaign_report_covers_february_2020(shared: SharedDatabase) -> None:
    result = shared.loaded("amazon_in_campaign")
    assert (result["date_from"], result["date_to"]) == ("2020-02-01", "2020-02-29")
    first, last, days = shared.query(
        "SELECT min(date), max(end_date), count(DISTINCT date) FROM ads WHERE store = ?", ["amazon_in_campaign"]
    )[0]
    assert (first, last, days) == (date(2020, 2, 1), date(2020, 2, 29), 29)


def test_userbehavior_days_are_shanghai_business_days(shared: SharedDatabase, realdata_dir: Path) -> None:
    shanghai = timezone(timedelta(hours=8))
    stamps = [int(row[4]) for row in userbehavior_rows(realdata_dir)]
    days = Counter(datetime.fromtimestamp(s, shanghai).date() for s in stamps)
    utc_days = Counter(datetime.fromtimestamp(s, UTC).date() for s in stamps)
    day = date(2017, 11, 25)
    assert days[day] != utc_days[day]  # the +8 hours decides this day's count, so the check can fail
    result = shared.loaded("userbehavior")
    assert (result["date_from"], result["date_to"]) == (min(days).isoformat(), max(days).isoformat())
    assert result["date_to"] == "2017-12-03"
    stored = dict(
        shared.query("SELECT event_date, count(*) FROM events WHERE store = ? GROUP BY event_date", ["userbehavior"])
    )
    assert stored[day] == days[day]
    assert stored == dict(days)
