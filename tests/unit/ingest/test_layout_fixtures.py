"""Every export fixture of issue 13 (tests/fixtures/layouts, README there) through the command line, with no --map.

One table: each fixture's kind, platform and layout, how many rows it has once its totals rows are left out, and
the report total it must give. Both figures are read from the raw file here — csv / openpyxl / zipfile, the title
lines above the header skipped, a totals row known by a total word (合计, 全部, 汇总, 总计：…) in the column the
platform writes it in — never through Shopdata's reader. Ads fixtures must total their spend column in
`report promotion`, traffic fixtures their sales column in `report overview`, order exports their distinct order
numbers in `report orders`. Finer checks of each export live in test_cn_layouts.py and test_western_layouts.py.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from shopdata import cli
from shopdata.settings import CONFIRM_BELOW_CONFIDENCE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "layouts"
TOTAL_WORDS = ("合计", "总计", "汇总", "全部", "total")
# The fixtures other tests load through the CLI (their rows become several records each: figures per rival).
COVERED_ELSEWHERE = {
    "sycm_rival_products.csv": "tests/unit/ingest/test_rival_layouts.py",
    "sycm_rival_keywords.csv": "tests/unit/ingest/test_rival_layouts.py",
    "sycm_rival_sources.csv": "tests/unit/ingest/test_rival_layouts.py",
    "sycm_rival_loss.csv": "tests/unit/ingest/test_rival_layouts.py",
    "sycm_rival_shops.csv": "tests/unit/ingest/test_rival_layouts.py",
    "rival_promotions.csv": "tests/unit/ingest/test_rival_layouts.py",
}


@dataclass(frozen=True)
class Fixture:
    name: str
    kind: str
    platform: str
    layout: str
    header: str  # the first cell of the header row
    total: str  # the column the report must total (ads, traffic) or count the distinct values of (orders)
    encoding: str = "utf-8-sig"
    args: tuple[str, ...] = ()  # a period for the reports whose rows state none
    summary_column: str | None = None  # where a totals row says so (default: its first filled cell)
    description_rows: int = 0  # rows under the header that explain the columns

    def __str__(self) -> str:
        return self.name


WEEK = ("--period", "2026-11-01..2026-11-07")
TABLE = [
    # ---- ads
    Fixture("jd_kuaiche_keyword.csv", "ads", "jd", "jd_kuaiche", "日期", "总费用(元)", "gb18030"),
    Fixture("jd_kuaiche_plan_day.csv", "ads", "jd", "jd_kuaiche", "日期", "总费用(元)", "gb18030"),
    Fixture("jd_kuaiche_day.csv", "ads", "jd", "jd_kuaiche", "日期", "总费用(元)", "gb18030"),
    Fixture(
        "qianchuan_uni_product.csv", "ads", "douyin", "qianchuan", "日期", "整体消耗(元)", summary_column="计划名称"
    ),
    Fixture("qianchuan_live_plan.csv", "ads", "douyin", "qianchuan", "日期", "消耗(元)"),
    Fixture("kuaishou_jinniu_like.csv", "ads", "other", "generic_ads", "日期", "花费(元)", "gb18030"),
    Fixture("lazada_sponsored_like.csv", "ads", "other", "generic_ads", "Date", "Spending"),
    Fixture("shopee_ads_all.csv", "ads", "shopee", "shopee_ads", "Sequence", "Expense", args=WEEK),
    Fixture("microsoft_ads_campaign.csv", "ads", "microsoft_ads", "microsoft_ads", "AccountName", "Spend"),
    Fixture("microsoft_ads_campaign.zip", "ads", "microsoft_ads", "microsoft_ads", "AccountName", "Spend"),
    Fixture("amazon_sponsored_brands.csv", "ads", "amazon", "amazon_sb_sd", "Date", "Spend"),
    Fixture("amazon_sponsored_display.csv", "ads", "amazon", "amazon_sb_sd", "Date", "Spend"),
    Fixture("google_ads_campaigns_zh.csv", "ads", "google_ads", "google_ads", "广告系列状态", "费用"),
    # ---- traffic
    Fixture("jd_sku_daily.xlsx", "traffic", "jd", "jd_sku", "时间", "成交金额"),
    Fixture("jd_sku_summary.xlsx", "traffic", "jd", "jd_sku", "SKU", "成交金额", args=WEEK),
    Fixture(
        "sycm_sources_daily.csv", "traffic", "tmall", "sycm_sources", "统计日期", "支付金额", "gb18030", (), "一级来源"
    ),
    Fixture(
        "sycm_sources_two_level.csv",
        "traffic",
        "tmall",
        "sycm_sources",
        "统计日期",
        "支付金额",
        "gb18030",
        (),
        "流量来源",
    ),
    Fixture(
        "douyin_compass_product_cards.xlsx",
        "traffic",
        "douyin",
        "douyin_compass_product_cards",
        "商品标题",
        "商品卡用户支付金额",
        args=WEEK,
    ),
    Fixture(
        "douyin_compass_card_sources.xlsx",
        "traffic",
        "douyin",
        "douyin_compass_card_sources",
        "一级渠道",
        "用户支付金额(元)",
        args=WEEK,
    ),
    Fixture(
        "BusinessReport-SalesTrafficByDate.csv", "traffic", "amazon", "amazon_business", "Date", "Ordered Product Sales"
    ),
    Fixture(
        "BusinessReport-ByChildASIN.csv",
        "traffic",
        "amazon",
        "amazon_business",
        "(Parent) ASIN",
        "Ordered Product Sales",
        args=WEEK,
    ),
    Fixture(
        "ga4_traffic_acquisition.csv",
        "traffic",
        "ga",
        "ga4_acquisition",
        "Session primary channel group (Default Channel Group)",
        "Total revenue",
    ),
    # ---- orders
    Fixture("douyin_orders.csv", "orders", "douyin", "douyin_orders", "主订单编号", "主订单编号"),
    Fixture("pdd_orders.csv", "orders", "pdd", "pdd_orders", "商品", "订单号"),
    Fixture("jd_orders.csv", "orders", "jd", "jd_orders", "订单号", "订单号", "gb18030"),
    Fixture("kuaishou_orders.csv", "orders", "kuaishou", "kuaishou_orders", "订单号", "订单号"),
    Fixture(
        "tiktok_shop_orders.csv",
        "orders",
        "tiktok_shop",
        "tiktok_shop_orders",
        "Order ID",
        "Order ID",
        description_rows=1,
    ),
    Fixture("shopee_orders.xlsx", "orders", "shopee", "shopee_orders", "Order ID", "Order ID"),
    Fixture("lazada_orders.xlsx", "orders", "lazada", "lazada_orders", "orderItemId", "orderNumber"),
    Fixture("EtsySoldOrders2026-11.csv", "orders", "etsy", "etsy_sold_orders", "Sale Date", "Order ID"),
    Fixture("EtsySoldOrderItems2026-11.csv", "orders", "etsy", "etsy_sold_order_items", "Sale Date", "Order ID"),
    Fixture("woocommerce_orders.csv", "orders", "woocommerce", "woocommerce_orders", "Date", "Order #"),
    Fixture("ebay_orders.csv", "orders", "ebay", "ebay_orders", "Sales Record Number", "Order Number"),
]


def raw_rows(fixture: Fixture) -> list[list[object]]:
    """Every row of the file as the platform wrote it (a zip: its one report)."""
    path = FIXTURES / fixture.name
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        return [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            [member] = archive.namelist()
            data = archive.read(member)
    else:
        data = path.read_bytes()
    return [list(row) for row in csv.reader(io.StringIO(data.decode(fixture.encoding)))]


def is_blank(row: list[object]) -> bool:
    return all(str(c).strip() == "" for c in row)


def table(fixture: Fixture) -> tuple[list[str], list[list[object]], list[list[object]]]:
    """The header, the data rows (totals rows left out) and the totals rows: from the header row down to the first
    blank row (eBay's and Microsoft's notice lines come after one)."""
    rows = raw_rows(fixture)
    start = next(i for i, row in enumerate(rows) if row and str(row[0]).strip() == fixture.header)
    header = [str(h) for h in rows[start]]
    body: list[list[object]] = []
    for row in rows[start + 1 + fixture.description_rows :]:
        if is_blank(row):
            break
        body.append(row)
    column = header.index(fixture.summary_column) if fixture.summary_column else None

    def says_total(row: list[object]) -> bool:
        cell = row[column] if column is not None else next(c for c in row if str(c).strip())
        text = str(cell).strip().lower()
        return any(text == word or text.startswith((f"{word}：", f"{word}:")) for word in TOTAL_WORDS)

    return header, [r for r in body if not says_total(r)], [r for r in body if says_total(r)]


def number(cell: object) -> float:
    """ "$1,234.50" -> 1234.5, "(12.50)" -> -12.5, "" / "-" -> 0."""
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip().replace(",", "").replace("$", "")
    if text in ("", "-", "--"):
        return 0.0
    if text.startswith("(") and text.endswith(")"):
        return -float(text[1:-1])
    return float(text)


def order_number(cell: object) -> str:
    """An order number without Excel's ="…" guard or the tab some exports end it with."""
    text = str(cell).strip()
    return text[2:-1] if text.startswith('="') and text.endswith('"') else text


def cli_json(*argv: str) -> Any:
    out = io.StringIO()
    with redirect_stdout(out):
        code = cli.main(list(argv))
    text = out.getvalue()
    assert code == 0, text
    return [json.loads(line) for line in text.splitlines()] if argv[0] == "ingest" else json.loads(text)


def report_total(fixture: Fixture, db: Path) -> float:
    scope = ("--db", str(db), "--store", "S", "--compare", "none")
    if fixture.kind == "ads":
        [total] = cli_json("report", "promotion", "--by", "platform", *scope)
        return float(total["spend"])
    if fixture.kind == "traffic":
        overview = cli_json("report", "overview", *scope)
        return float(next(r["value"] for r in overview if r["metric"] == "revenue"))
    [total] = cli_json("report", "orders", "--by", "platform", *scope)
    return float(total["orders"])


def expected_total(fixture: Fixture, header: list[str], rows: list[list[object]]) -> float:
    i = header.index(fixture.total)
    if fixture.kind == "orders":
        return float(len({order_number(r[i]) for r in rows}))
    return sum(number(r[i]) for r in rows)


@pytest.mark.parametrize("fixture", TABLE, ids=str)
def test_each_export_loads_without_a_mapping_with_its_totals(tmp_path: Path, fixture: Fixture) -> None:
    header, rows, totals = table(fixture)
    assert rows

    db = tmp_path / "shop.duckdb"
    [result] = cli_json("ingest", str(FIXTURES / fixture.name), "--db", str(db), "--store", "S", *fixture.args)
    assert (result["status"], result["kind"], result["platform"], result["report"]) == (
        "loaded",
        fixture.kind,
        fixture.platform,
        fixture.layout,
    ), result
    if fixture.platform != "other":  # a known export is not one the Data page asks the user to confirm
        assert result["confidence"] >= CONFIRM_BELOW_CONFIDENCE.default
    assert result["rows_loaded"] == len(rows)
    assert sum(result["skipped_reasons"].get(r, 0) for r in result["skipped_reasons"] if "notice" not in r) == len(
        totals
    )
    assert report_total(fixture, db) == pytest.approx(expected_total(fixture, header, rows))


def test_the_table_covers_every_fixture() -> None:
    on_disk = {p.name for p in FIXTURES.iterdir() if p.suffix != ".md"}
    assert on_disk == {f.name for f in TABLE} | set(COVERED_ELSEWHERE)
