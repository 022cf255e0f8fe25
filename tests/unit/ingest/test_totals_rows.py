"""A Chinese totals row (合计 / 总计 / 汇总 / 全部合计) in any report that can carry one is never loaded as data.

One small export per layout, with the totals row the platform writes after (or before) the data rows; the
loaded sums must equal the sums of the data rows alone, computed here from the rows themselves."""

from __future__ import annotations

import csv
import io

import pytest

from shopdata.ingest.layouts import LAYOUTS_BY_NAME
from shopdata.ingest.pipeline import Options, ingest_file
from shopdata.store import Warehouse

TOTALS_WORDS = ("合计", "总计", "汇总", "全部合计")

# (layout, table, measures checked, header, data rows). File names carry the period for reports without dates.
CASES: list[tuple[str, str, tuple[str, ...], list[str], list[list[str]]]] = [
    (
        "amazon_sp",
        "ads",
        ("spend", "clicks"),
        ["Date", "Campaign Name", "Impressions", "Clicks", "Cost Per Click (CPC)", "Spend", "7 Day Total Sales"],
        [
            ["2026-11-01", "Brand", "1000", "50", "0.50", "25.00", "120.00"],
            ["2026-11-02", "Generic", "800", "30", "0.40", "12.00", "40.00"],
        ],
    ),
    (
        "google_ads",
        "ads",
        ("spend", "clicks"),
        ["Day", "Campaign", "Impr.", "Clicks", "Currency code", "Cost", "Conv. value"],
        [
            ["2026-11-01", "Brand", "1200", "80", "USD", "40.50", "400.00"],
            ["2026-11-02", "Generic", "900", "30", "USD", "60.00", "10.00"],
        ],
    ),
    (
        "meta_ads",
        "ads",
        ("spend", "impressions"),
        ["Day", "Campaign name", "Reach", "Impressions", "Link clicks", "Amount spent (USD)"],
        [
            ["2026-11-01", "Spring", "900", "1500", "20", "33.30"],
            ["2026-11-02", "Autumn", "700", "1100", "12", "21.70"],
        ],
    ),
    (
        "tmall_wanxiangtai",
        "ads",
        ("spend", "clicks"),
        ["日期", "计划名字", "展现量", "点击量", "花费", "总成交金额", "投入产出比"],
        [
            ["2026-11-01", "精华液", "5000", "120", "300.00", "1500.00", "5.0"],
            ["2026-11-02", "面霜", "4000", "90", "200.00", "400.00", "2.0"],
        ],
    ),
    (
        "pdd_ads",
        "ads",
        ("spend", "clicks"),
        ["日期", "推广名称", "曝光量", "点击量", "总花费", "交易额", "推广场景"],
        [
            ["2026-11-01", "全站推广", "3000", "70", "88.00", "500.00", "搜索"],
            ["2026-11-02", "标准推广", "2000", "40", "52.00", "90.00", "场景"],
        ],
    ),
    (
        "generic_ads",
        "ads",
        ("spend", "clicks"),
        ["日期", "广告计划", "展现", "点击", "消耗", "成交金额"],
        [["2026-11-01", "A", "100", "10", "5.00", "20.00"], ["2026-11-02", "B", "200", "20", "7.00", "9.00"]],
    ),
    (
        "sycm_sources",
        "traffic",
        ("visitors", "revenue"),
        ["统计日期", "一级来源", "二级来源", "访客数", "浏览量", "支付金额", "支付转化率"],
        [
            ["2026-11-01", "淘内免费", "手淘搜索", "300", "900", "1200.00", "2%"],
            ["2026-11-01", "付费流量", "直通车", "120", "300", "800.00", "3%"],
        ],
    ),
    (
        "sycm_products",
        "traffic",
        ("visitors", "revenue"),
        ["统计日期", "商品id", "商品名称", "商品访客数", "商品浏览量", "支付件数", "支付金额", "商品加购人数"],
        [
            ["2026-11-01", "1001", "精华液", "200", "500", "8", "640.00", "20"],
            ["2026-11-01", "1002", "面霜", "90", "150", "3", "270.00", "7"],
        ],
    ),
    (
        "jd_sku",
        "traffic",
        ("visitors", "revenue"),
        ["日期", "sku", "sku名称", "商品访客数", "商品浏览量", "成交商品件数", "成交金额", "成交客户数"],
        [
            ["2026-11-01", "100012", "精华液", "150", "400", "6", "480.00", "5"],
            ["2026-11-01", "100013", "面霜", "60", "120", "2", "180.00", "2"],
        ],
    ),
    (
        "pdd_goods",
        "traffic",
        ("visitors", "revenue"),
        ["统计日期", "商品id", "商品名称", "商品访客数", "商品浏览量", "成交件数", "成交金额", "商品收藏用户数"],
        [
            ["2026-11-01", "5001", "精华液", "110", "300", "4", "320.00", "9"],
            ["2026-11-01", "5002", "面霜", "40", "80", "1", "90.00", "3"],
        ],
    ),
    (
        "shopify_sessions",
        "traffic",
        ("sessions", "visitors"),
        ["Day", "Referrer source", "Online store visitors", "Sessions", "Sessions with cart additions"],
        [["2026-11-01", "Search", "80", "100", "9"], ["2026-11-01", "Social", "30", "40", "2"]],
    ),
    (
        "shopify_sales",
        "traffic",
        ("revenue",),
        ["Day", "Orders", "Gross sales", "Discounts", "Net sales", "Total sales"],
        [
            ["2026-11-01", "4", "400.00", "-20.00", "380.00", "395.00"],
            ["2026-11-02", "2", "150.00", "0.00", "150.00", "160.00"],
        ],
    ),
    (
        "amazon_business",
        "traffic",
        ("sessions", "revenue"),
        [
            "Date",
            "(Child) ASIN",
            "Title",
            "Sessions - Total",
            "Page Views - Total",
            "Units Ordered",
            "Ordered Product Sales",
        ],
        [
            ["2026-11-01", "B0A1", "Serum", "120", "300", "6", "180.00"],
            ["2026-11-01", "B0A2", "Cream", "50", "90", "2", "60.00"],
        ],
    ),
    (
        "ga4_acquisition",
        "traffic",
        ("sessions", "revenue"),
        ["Date", "Session default channel group", "Total users", "Sessions", "Engaged sessions", "Total revenue"],
        [
            ["2026-11-01", "Organic Search", "90", "120", "80", "300.00"],
            ["2026-11-01", "Paid Search", "40", "50", "30", "100.00"],
        ],
    ),
    (
        "generic_traffic",
        "traffic",
        ("visitors", "revenue"),
        ["date", "source", "visitors", "page views", "revenue"],
        [["2026-11-01", "search", "100", "250", "500.00"], ["2026-11-01", "social", "40", "60", "80.00"]],
    ),
    (
        "tmall_orders",
        "orders",
        ("amount", "paid_amount"),
        [
            "订单编号",
            "订单创建时间",
            "订单付款时间",
            "订单状态",
            "宝贝标题",
            "宝贝总数量",
            "总金额",
            "买家实际支付金额",
        ],
        [
            ["3001", "2026-11-01 10:00:00", "2026-11-01 10:01:00", "交易成功", "精华液", "1", "80.00", "75.00"],
            ["3002", "2026-11-02 11:00:00", "2026-11-02 11:05:00", "交易成功", "面霜", "2", "180.00", "170.00"],
        ],
    ),
    (
        "generic_orders",
        "orders",
        ("amount", "quantity"),
        ["order_id", "order_time", "status", "product_id", "quantity", "amount"],
        [
            ["A1", "2026-11-01 09:00:00", "paid", "P1", "1", "20.00"],
            ["A2", "2026-11-02 09:00:00", "paid", "P2", "3", "45.00"],
        ],
    ),
]


def _number(cell: str) -> float | None:
    try:
        return float(cell.replace("%", ""))
    except ValueError:
        return None


def with_totals_row(header: list[str], rows: list[list[str]], word: str, first: bool) -> bytes:
    """The export as the platform writes it: the data rows and one totals row labelled `word`."""
    totals = [word]
    for i in range(1, len(header)):
        values = [_number(row[i]) for row in rows]
        totals.append(f"{sum(values):.2f}" if all(v is not None for v in values) else "")  # type: ignore[arg-type]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([totals, *rows] if first else [*rows, totals])
    return out.getvalue().encode("utf-8")


MEASURE_HEADERS = {
    # the header of each checked measure in its case, to sum the raw data rows by
    "spend": ("Spend", "Cost", "Amount spent (USD)", "花费", "总花费", "消耗"),
    "clicks": ("Clicks", "点击量", "点击"),
    "impressions": ("Impressions",),
    "visitors": ("访客数", "商品访客数", "Online store visitors", "visitors"),
    "revenue": ("支付金额", "成交金额", "Net sales", "Ordered Product Sales", "Total revenue", "revenue"),
    "sessions": ("Sessions", "Sessions - Total"),
    "amount": ("总金额", "amount"),
    "paid_amount": ("买家实际支付金额",),
    "quantity": ("quantity",),
}


def raw_sum(header: list[str], rows: list[list[str]], measure: str) -> float:
    [column] = [i for i, name in enumerate(header) if name in MEASURE_HEADERS[measure]]
    return sum(float(row[column]) for row in rows)


@pytest.mark.parametrize(
    "layout, table, measures, header, rows, word, first",
    [(*case, TOTALS_WORDS[i % 4], i % 3 == 0) for i, case in enumerate(CASES)],
    ids=[case[0] for case in CASES],
)
def test_a_chinese_totals_row_is_not_loaded_as_data(
    duck_store: Warehouse, layout, table, measures, header, rows, word, first
) -> None:
    data = with_totals_row(header, rows, word, first)
    [result] = ingest_file(f"{layout}_2026-11-01_2026-11-02.csv", data, duck_store, Options(store="Shop"))
    assert result.status == "loaded", result.error
    assert (result.kind, result.platform) == (table, LAYOUTS_BY_NAME[layout].platform)
    assert duck_store.count_rows(table) == len(rows)
    for measure in measures:
        [(loaded,)] = duck_store.engine.execute(f"SELECT sum({measure}) FROM {table}").fetchall()
        assert loaded == pytest.approx(raw_sum(header, rows, measure)), measure
