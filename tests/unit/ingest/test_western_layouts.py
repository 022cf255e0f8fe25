"""Western marketplace and ad-platform exports (issue 13), each fixture through the command line.

Every fixture in tests/fixtures/layouts is built from the header list a public importer of the real file
reads (sources in that folder's README.md) with the mess the platform writes: title and notice lines, totals
rows, "$1,234.50" money, a description row under the header, IDs ending in a tab. Each test loads one file
with `python -m shopdata ingest` and compares what `report …` prints with figures computed here from the
fixture with the csv module (or openpyxl), never from Shopdata's own reading.
"""

from __future__ import annotations

import csv
import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import duckdb
import openpyxl
import pytest

from shopdata import cli
from shopdata.ingest.pipeline import Options, description_rows, plan_file
from shopdata.ingest.transform import NOTICE_REASON, TOTALS_REASON

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "layouts"


def money(text: str | float | int | None) -> float:
    """A money or count cell as the platforms write it: '$1,234.50', '1,204', '576…\\t', '' (nothing)."""
    if isinstance(text, (int, float)):
        return float(text)
    cleaned = re.sub(r"[$,\s]", "", text or "")
    return float(cleaned) if cleaned else 0.0


def read_csv(name: str, skip_lines: int = 0, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    lines = (FIXTURES / name).read_text(encoding=encoding).splitlines()[skip_lines:]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def ingest(db: Path, name: str, *extra: str) -> list[dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        cli.main(["ingest", str(FIXTURES / name), "--db", str(db), "--store", "S", *extra])
    return [json.loads(line) for line in out.getvalue().splitlines()]


def report(db: Path, *args: str) -> list[dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["report", *args, "--db", str(db), "--store", "S", "--compare", "none"]) == 0
    return json.loads(out.getvalue())


def loaded(results: list[dict], kind: str, platform: str, layout: str, rows: int) -> dict:
    assert len(results) == 1, results
    result = results[0]
    assert result["status"] == "loaded", result["error"]
    assert (result["kind"], result["platform"], result["report"], result["rows_loaded"]) == (
        kind,
        platform,
        layout,
        rows,
    )
    return result


# fixture -> the measure fields its columns hold (all must be mapped, none left as a silent null)
MEASURES = {
    "tiktok_shop_orders.csv": {"amount", "refund_amount", "quantity", "shipping"},
    "shopee_orders.xlsx": {"amount", "quantity"},
    "EtsySoldOrders2026-11.csv": {"paid_amount", "quantity", "shipping"},
    "EtsySoldOrderItems2026-11.csv": {"paid_amount", "quantity"},
    "woocommerce_orders.csv": {"amount", "quantity"},
    "ebay_orders.csv": {"amount", "quantity", "shipping"},
    "microsoft_ads_campaign.csv": {"impressions", "clicks", "spend", "conversions", "revenue"},
    "amazon_sponsored_brands.csv": {"impressions", "clicks", "spend", "conversions", "revenue", "units"},
    "amazon_sponsored_display.csv": {"impressions", "clicks", "spend", "conversions", "revenue", "units"},
    "BusinessReport-SalesTrafficByDate.csv": {"revenue", "units", "orders", "sessions", "page_views"},
    "BusinessReport-ByChildASIN.csv": {"revenue", "units", "orders", "sessions", "page_views"},
    "ga4_traffic_acquisition.csv": {"sessions", "orders", "revenue"},
    "google_ads_campaigns_zh.csv": {"impressions", "clicks", "spend", "conversions", "revenue"},
    "lazada_orders.xlsx": {"amount", "shipping"},
    "shopee_ads_all.csv": {"impressions", "clicks", "spend", "conversions", "revenue", "units"},
}


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_every_measure_the_file_has_is_mapped(name: str) -> None:
    (plan,) = plan_file(name, FIXTURES / name, Options())
    assert MEASURES[name] <= set(plan.recognition.mapping), sorted(plan.recognition.mapping)


def test_tiktok_shop_orders_skip_the_description_row_and_count_order_money_once(tmp_path: Path) -> None:
    rows = read_csv("tiktok_shop_orders.csv")[1:]  # the first row under the header describes the columns
    loaded(ingest(tmp_path / "s.duckdb", "tiktok_shop_orders.csv"), "orders", "tiktok_shop", "tiktok_shop_orders", 5)
    orders = {r["Order ID"].strip(): r for r in rows}  # Order Amount is the order's, on each of its lines
    paid = {oid for oid, r in orders.items() if r["Paid Time"].strip()}
    (record,) = report(tmp_path / "s.duckdb", "orders", "--by", "platform")
    assert record["orders"] == len(orders) == 4
    assert record["paid_orders"] == len(paid) == 3
    assert record["revenue"] == pytest.approx(sum(money(orders[o]["Order Amount"]) for o in paid))
    assert record["refund"] == pytest.approx(sum(money(r["Order Refund Amount"]) for r in orders.values()))
    assert record["units"] == sum(int(r["Quantity"]) for r in rows if r["Order ID"].strip() in paid)
    assert record["buyers"] == len({orders[o]["Buyer Username"] for o in paid})
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:  # the tab after IDs and times is gone
        stored = con.sql("SELECT DISTINCT order_id, strftime(order_time, '%H:%M') FROM orders ORDER BY 1").fetchall()
    assert [oid for oid, _ in stored] == sorted(orders)
    assert dict(stored)["576461413166223402"] == "18:41"  # "06:41:10 PM"


def test_shopee_orders_count_the_repeated_total_once_per_order(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(FIXTURES / "shopee_orders.xlsx").active
    header, *values = [list(row) for row in sheet.iter_rows(values_only=True)]
    rows = [dict(zip(header, row, strict=True)) for row in values]
    loaded(ingest(tmp_path / "s.duckdb", "shopee_orders.xlsx"), "orders", "shopee", "shopee_orders", len(rows))
    paid_statuses = {"to ship", "shipping", "delivered", "order received", "completed"}
    totals = {r["Order ID"]: money(r["Total Amount"]) for r in rows}
    paid = {r["Order ID"] for r in rows if r["Order Status"].lower() in paid_statuses}
    (record,) = report(tmp_path / "s.duckdb", "orders", "--by", "platform")
    assert (record["orders"], record["paid_orders"]) == (len(totals), len(paid)) == (4, 2)
    assert record["revenue"] == pytest.approx(sum(totals[o] for o in paid)) == pytest.approx(62.90 + 29.90)
    assert record["units"] == sum(r["Quantity"] for r in rows if r["Order ID"] in paid)


def test_lazada_orders_sum_each_items_own_price(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(FIXTURES / "lazada_orders.xlsx").active
    header, *values = [list(row) for row in sheet.iter_rows(values_only=True)]
    rows = [dict(zip(header, row, strict=True)) for row in values]
    loaded(ingest(tmp_path / "s.duckdb", "lazada_orders.xlsx"), "orders", "lazada", "lazada_orders", len(rows))
    paid = [r for r in rows if r["status"] in ("pending", "ready_to_ship", "shipped", "delivered", "returned")]
    (record,) = report(tmp_path / "s.duckdb", "orders", "--by", "platform")
    assert (record["orders"], record["paid_orders"]) == (len({r["orderNumber"] for r in rows}), 2)
    assert record["revenue"] == pytest.approx(sum(money(r["paidPrice"]) for r in paid))  # per item, not per order
    assert record["units"] == len(paid)  # one row per unit


def test_etsy_sold_orders(tmp_path: Path) -> None:
    rows = read_csv("EtsySoldOrders2026-11.csv")
    loaded(ingest(tmp_path / "s.duckdb", "EtsySoldOrders2026-11.csv"), "orders", "etsy", "etsy_sold_orders", 3)
    (record,) = report(tmp_path / "s.duckdb", "orders", "--by", "platform")
    assert record["orders"] == record["paid_orders"] == len(rows)
    assert record["revenue"] == pytest.approx(sum(money(r["Order Total"]) for r in rows))
    assert record["units"] == sum(int(r["Number of Items"]) for r in rows)
    assert record["buyers"] == len({r["Buyer User ID"] for r in rows})
    days = report(tmp_path / "s.duckdb", "orders")  # Sale Date is M/D/YY
    assert [d["date"] for d in days] == ["2026-11-02", "2026-11-03"]


def test_etsy_sold_order_items(tmp_path: Path) -> None:
    rows = read_csv("EtsySoldOrderItems2026-11.csv")
    name = "EtsySoldOrderItems2026-11.csv"
    loaded(ingest(tmp_path / "s.duckdb", name), "orders", "etsy", "etsy_sold_order_items", len(rows))
    (record,) = report(tmp_path / "s.duckdb", "orders", "--by", "platform")
    assert record["orders"] == len({r["Order ID"] for r in rows}) == 3
    assert record["revenue"] == pytest.approx(sum(money(r["Item Total"]) for r in rows))
    assert record["units"] == sum(int(r["Quantity"]) for r in rows)


@pytest.mark.parametrize(
    "files",
    [
        ("EtsySoldOrders2026-11.csv", "EtsySoldOrderItems2026-11.csv"),
        ("EtsySoldOrderItems2026-11.csv", "EtsySoldOrders2026-11.csv"),
    ],
)
def test_etsy_orders_and_items_loaded_together_count_each_order_once(tmp_path: Path, files: tuple[str, str]) -> None:
    orders, items = read_csv("EtsySoldOrders2026-11.csv"), read_csv("EtsySoldOrderItems2026-11.csv")
    for name in files:
        assert ingest(tmp_path / "s.duckdb", name)[0]["status"] == "loaded"
    (record,) = report(tmp_path / "s.duckdb", "orders", "--by", "platform")
    assert record["orders"] == record["paid_orders"] == len(orders)
    assert record["revenue"] == pytest.approx(sum(money(r["Order Total"]) for r in orders))
    assert record["units"] == sum(int(r["Quantity"]) for r in items)
    days = {d["date"]: d["revenue"] for d in report(tmp_path / "s.duckdb", "orders")}
    by_day: dict[str, float] = {}
    for r in orders:
        month, day, year = r["Sale Date"].split("/")
        key = f"20{year}-{int(month):02d}-{int(day):02d}"
        by_day[key] = by_day.get(key, 0.0) + money(r["Order Total"])
    assert days == pytest.approx(by_day)
    # Products from the items file: each listing's Item Total, its units the items' Quantity.
    products = {p["product_id"]: p for p in report(tmp_path / "s.duckdb", "products")}
    for listing in {r["Listing ID"] for r in items}:
        sold = [r for r in items if r["Listing ID"] == listing]
        assert products[listing]["revenue"] == pytest.approx(sum(money(r["Item Total"]) for r in sold))


def test_woocommerce_analytics_orders(tmp_path: Path) -> None:
    rows = read_csv("woocommerce_orders.csv")
    loaded(ingest(tmp_path / "s.duckdb", "woocommerce_orders.csv"), "orders", "woocommerce", "woocommerce_orders", 4)
    paid = [r for r in rows if r["Status"].lower() in ("processing", "completed")]
    (record,) = report(tmp_path / "s.duckdb", "orders", "--by", "platform")
    assert (record["orders"], record["paid_orders"]) == (4, len(paid))
    assert record["revenue"] == pytest.approx(sum(money(r["Net sales"]) for r in paid))


def test_ebay_orders_report_without_its_notice_lines(tmp_path: Path) -> None:
    text = (FIXTURES / "ebay_orders.csv").read_text(encoding="utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(text.lstrip())) if r["Order Number"]]
    result = loaded(ingest(tmp_path / "s.duckdb", "ebay_orders.csv"), "orders", "ebay", "ebay_orders", len(rows))
    assert result["rows_skipped"] == 2  # "3 record(s) downloaded …" and "Seller ID : …"
    assert result["skipped_reasons"] == {NOTICE_REASON: 2}  # not called totals rows on the Data page
    paid = [r for r in rows if r["Paid On Date"]]
    (record,) = report(tmp_path / "s.duckdb", "orders", "--by", "platform")
    assert (record["orders"], record["paid_orders"]) == (3, len(paid))
    assert record["revenue"] == pytest.approx(sum(money(r["Total Price"]) for r in paid))
    assert (result["date_from"], result["date_to"]) == ("2026-11-02", "2026-11-03")  # Sale Date "Nov-02-26"


def by_campaign(rows: list[dict[str, str]], columns: dict[str, str], campaign: str) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for row in rows:
        sums = out.setdefault(row[campaign], dict.fromkeys(columns, 0.0))
        for field, column in columns.items():
            sums[field] += money(row[column])
    return out


def assert_promotion(db: Path, expected: dict[str, dict[str, float]]) -> None:
    records = {r["campaign"]: r for r in report(db, "promotion")}  # each file states its currency
    assert set(records) == set(expected)
    for campaign, sums in expected.items():
        for field, value in sums.items():
            assert records[campaign][field] == pytest.approx(value), (campaign, field)


MS_COLUMNS = {
    "spend": "Spend",
    "impressions": "Impressions",
    "clicks": "Clicks",
    "conversions": "Conversions",
    "revenue": "Revenue",
}


@pytest.mark.parametrize("name", ["microsoft_ads_campaign.csv", "microsoft_ads_campaign.zip"])
def test_microsoft_advertising_takes_its_days_from_timeperiod(tmp_path: Path, name: str) -> None:
    text = (FIXTURES / "microsoft_ads_campaign.csv").read_text(encoding="utf-8-sig")
    table = text[text.index("AccountName") : text.index('"©')]  # the quoted preamble and © footer are not rows
    rows = [r for r in csv.DictReader(io.StringIO(table)) if r["TimePeriod"]]
    result = loaded(ingest(tmp_path / "s.duckdb", name), "ads", "microsoft_ads", "microsoft_ads", len(rows))
    assert (result["date_from"], result["date_to"]) == (min(r["TimePeriod"] for r in rows), "2026-11-03")
    assert not [w for w in result["warnings"] if "period" in w]  # the days are the rows' own
    assert result["skipped_reasons"] == {NOTICE_REASON: 1}  # the © line
    assert_promotion(tmp_path / "s.duckdb", by_campaign(rows, MS_COLUMNS, "CampaignName"))


AMAZON_COLUMNS = {
    "spend": "Spend",
    "impressions": "Impressions",
    "clicks": "Clicks",
    "conversions": "14 Day Total Orders (#)",
    "revenue": "14 Day Total Sales ",
}


@pytest.mark.parametrize("name", ["amazon_sponsored_brands.csv", "amazon_sponsored_display.csv"])
def test_amazon_sponsored_brands_and_display_with_14_day_attribution(tmp_path: Path, name: str) -> None:
    rows = read_csv(name)
    loaded(ingest(tmp_path / "s.duckdb", name), "ads", "amazon", "amazon_sb_sd", len(rows))
    assert_promotion(tmp_path / "s.duckdb", by_campaign(rows, AMAZON_COLUMNS, "Campaign Name"))
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:
        assert con.sql("SELECT DISTINCT attribution FROM ads").fetchall() == [("14d",)]


def overview(db: Path, *args: str) -> dict[str, float]:
    return {r["metric"]: r["value"] for r in report(db, "overview", "--currency", "unknown", *args)}


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("BusinessReport-SalesTrafficByDate.csv", ()),
        ("BusinessReport-ByChildASIN.csv", ("--period", "2026-11-01..2026-11-03")),  # no dates in its rows
    ],
)
def test_amazon_business_reports(tmp_path: Path, name: str, extra: tuple[str, ...]) -> None:
    rows = read_csv(name)
    loaded(ingest(tmp_path / "s.duckdb", name, *extra), "traffic", "amazon", "amazon_business", len(rows))
    figures = overview(tmp_path / "s.duckdb")
    assert figures["revenue"] == pytest.approx(sum(money(r["Ordered Product Sales"]) for r in rows))
    assert figures["orders"] == sum(money(r["Total Order Items"]) for r in rows)


def test_ga4_export_with_metadata_lines(tmp_path: Path) -> None:
    rows = read_csv("ga4_traffic_acquisition.csv", skip_lines=9, encoding="utf-8")
    loaded(ingest(tmp_path / "s.duckdb", "ga4_traffic_acquisition.csv"), "traffic", "ga", "ga4_acquisition", 4)
    channel = "Session primary channel group (Default Channel Group)"
    expected: dict[str, float] = {}
    for row in rows:
        expected[row[channel]] = expected.get(row[channel], 0.0) + money(row["Total revenue"])
    records = report(tmp_path / "s.duckdb", "traffic", "--currency", "unknown")
    assert {r["source"]: r["revenue"] for r in records} == pytest.approx(expected)


def test_ga4_export_without_a_date_column_takes_its_period_from_the_metadata_lines(tmp_path: Path) -> None:
    lines = (FIXTURES / "ga4_traffic_acquisition.csv").read_text(encoding="utf-8").splitlines()
    table = [line.split(",") for line in lines[9:]]
    without_date = ["\r\n".join(lines[:9])] + [",".join(c for i, c in enumerate(row) if i != 1) for row in table]
    path = tmp_path / "ga4_no_date.csv"
    path.write_text("\r\n".join(without_date) + "\r\n", encoding="utf-8")
    out = io.StringIO()
    with redirect_stdout(out):
        cli.main(["ingest", str(path), "--db", str(tmp_path / "s.duckdb"), "--store", "S"])
    (result,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert result["status"] == "loaded", result["error"]
    assert (result["date_from"], result["date_to"]) == ("2026-11-01", "2026-11-02")  # "# Start/End date:"


def test_google_ads_report_in_chinese(tmp_path: Path) -> None:
    rows = read_csv("google_ads_campaigns_zh.csv", skip_lines=2)
    data = [r for r in rows if not r["广告系列状态"].startswith("总计")]
    result = loaded(
        ingest(tmp_path / "s.duckdb", "google_ads_campaigns_zh.csv"), "ads", "google_ads", "google_ads", len(data)
    )
    assert result["rows_skipped"] == 2  # 总计：帐号 and 总计：搜索
    assert result["skipped_reasons"] == {TOTALS_REASON: 2}
    columns = {
        "spend": "费用",
        "impressions": "展示次数",
        "clicks": "点击次数",
        "conversions": "转化",
        "revenue": "转化价值",
    }
    assert_promotion(tmp_path / "s.duckdb", by_campaign(data, columns, "广告系列"))


Rows = list[list[str | None]]
DESCRIBED: list[tuple[str, Rows, int]] = [
    (
        "a row of units under the header",
        [["Day", "Spend", "Clicks"], [None, "(USD)", "(#)"], ["2026-11-01", "1.50", "3"], ["2026-11-02", "2", "4"]],
        1,
    ),
    (
        "a description row, then a unit row",
        [["Order ID", "Amount"], ["The order", "Paid"], [None, "USD"], ["1\t", "$1,234.50"], ["2\t", "(3.00)"]],
        2,
    ),
    (
        "data from the first row (placeholders are not words)",
        [["Day", "Spend", "Clicks"], ["2026-11-01", "-", "--"], ["2026-11-02", "2", "4"], ["2026-11-03", "1", "1"]],
        0,
    ),
    ("a text first row over text columns only", [["Name", "Note"], ["a", "b"], ["c", "d"]], 0),
    ("only one row below the header", [["Day", "Spend"], ["Spend in USD", "x"]], 0),
]


@pytest.mark.parametrize(("case", "preview", "expected"), DESCRIBED, ids=[c[0] for c in DESCRIBED])
def test_description_rows(case: str, preview: Rows, expected: int) -> None:
    assert description_rows(preview, 0) == expected, case


def test_the_fixture_readme_names_a_source_for_every_fixture() -> None:
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    assert [p.name for p in FIXTURES.iterdir() if p.name != "README.md" and f"`{p.name}`" not in readme] == []


def test_shopee_ads_report_over_the_period_the_user_gives(tmp_path: Path) -> None:
    rows = read_csv("shopee_ads_all.csv", skip_lines=6)
    db = tmp_path / "s.duckdb"
    result = loaded(
        ingest(db, "shopee_ads_all.csv", "--period", "2026-11-01..2026-11-03"), "ads", "shopee", "shopee_ads", 3
    )
    # Start Date / End Date are each ad's schedule (October, "Unlimited"), not the report's days.
    assert (result["date_from"], result["date_to"]) == ("2026-11-01", "2026-11-03")
    columns = {"spend": "Expense", "impressions": "Impression", "clicks": "Clicks", "conversions": "Conversions"}
    columns["revenue"] = "GMV"
    expected = by_campaign(rows, columns, "Ad Name")
    records = {r["campaign"]: r for r in report(db, "promotion", "--currency", "unknown")}
    assert set(records) == set(expected)
    for campaign, sums in expected.items():
        for field, value in sums.items():
            assert records[campaign][field] == pytest.approx(value), (campaign, field)
