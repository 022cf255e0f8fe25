"""The overview from any mix of exports: a store with only an order export (hand-made 天猫 订单报表, through the
ingest pipeline), a store with a 生意参谋 traffic report beside it, and the demo store (no orders) unchanged.

Every expected figure is worked out by hand from the rows below."""

from __future__ import annotations

import io
import json
import math
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from shopdata import cli
from tests.app.conftest import open_page, open_tab
from tests.support.charts import values

PAGE = "views/overview.py"
STORE = "Mix"
# The week 8–14 March 2024 against 1–7 March (the previous period).
WEEK = {
    "store": STORE,
    "range": "custom",
    "from": "2024-03-08",
    "to": "2024-03-14",
    "compare": "previous",
    "cur": "CNY",
}

# 买家实际支付金额 is net of refunds on this export: revenue = 实付 + 退款 on paid orders.
ORDERS_CSV = """订单编号,买家会员名,总金额,买家实际支付金额,收货地址,订单创建时间,订单付款时间,退款金额
C1,a,100,100,浙江省,2024-03-01 10:00:00,2024-03-01 10:05:00,0
C2,b,200,200,上海,2024-03-02 10:00:00,2024-03-02 10:05:00,0
C3,c,50,0,北京,2024-03-03 10:00:00,,0
C4,a,300,300,浙江省,2024-03-05 10:00:00,2024-03-05 10:05:00,0
N1,a,150,150,浙江省,2024-03-08 10:00:00,2024-03-08 10:05:00,0
N2,d,250,200,上海,2024-03-09 10:00:00,2024-03-09 10:05:00,50
N3,e,80,0,北京,2024-03-10 10:00:00,,0
N4,d,400,400,浙江省,2024-03-12 10:00:00,2024-03-12 10:05:00,0
N5,f,100,100,北京,2024-03-14 10:00:00,2024-03-14 10:05:00,0
"""
# By hand. 1–7 March: placed C1–C4 = 4; paid C1, C2, C4 = 3; revenue 100 + 200 + 300 = 600; buyers a, b = 2;
# AOV 600 / 3 = 200. 8–14 March: placed N1–N5 = 5; paid N1, N2, N4, N5 = 4; revenue 150 + (200 + 50) + 400 + 100
# = 900; buyers a, d, f = 3; AOV 900 / 4 = 225.
BEFORE = {"placed": 4, "paid": 3, "revenue": 600.0, "buyers": 2, "aov": 200.0}
NOW = {"placed": 5, "paid": 4, "revenue": 900.0, "buyers": 3, "aov": 225.0}

# 生意参谋 流量来源 for 8–13 March (six days; the orders have days 8, 9, 10, 12, 14): ¥200 paid a day.
TRAFFIC_CSV = "统计日期,一级来源,访客数,支付买家数,支付金额\n" + "".join(
    f"2024-03-{day:02d},淘内免费,100,1,200\n" for day in range(8, 14)
)
REPORT_REVENUE = 6 * 200.0


def ingest(db: Path, folder: Path, files: dict[str, str]) -> None:
    paths = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    with redirect_stdout(io.StringIO()):
        assert cli.main(["ingest", *paths, "--db", str(db), "--store", STORE]) == 0


@pytest.fixture
def orders_only(empty_db: Path, tmp_path: Path) -> Path:
    ingest(empty_db, tmp_path, {"orders.csv": ORDERS_CSV})
    return empty_db


@pytest.fixture
def orders_and_traffic(empty_db: Path, tmp_path: Path) -> Path:
    ingest(empty_db, tmp_path, {"orders.csv": ORDERS_CSV, "sources.csv": TRAFFIC_CSV})
    return empty_db


def card(at, label: str):
    found = [m for m in at.metric if m.label == label]
    assert found, [m.label for m in at.metric]
    return found[0]


def test_orders_only_store_shows_the_order_figures_with_their_source(orders_only: Path) -> None:
    at = open_page(PAGE, **WEEK)
    expected = {
        "Revenue (orders)": (f"¥{NOW['revenue']:,.2f}", NOW["revenue"] / BEFORE["revenue"] - 1),
        "Orders placed": (str(NOW["placed"]), NOW["placed"] / BEFORE["placed"] - 1),
        "Paid orders": (str(NOW["paid"]), NOW["paid"] / BEFORE["paid"] - 1),
        "Buyers (orders)": (str(NOW["buyers"]), NOW["buyers"] / BEFORE["buyers"] - 1),
        "AOV (per order)": (f"¥{NOW['aov']:,.2f}", NOW["aov"] / BEFORE["aov"] - 1),
    }
    for label, (value, delta) in expected.items():
        shown = card(at, label)
        assert shown.value == value
        assert shown.delta == f"{delta:+.1%}"
        assert "From your order export." in shown.proto.help
    # No traffic-report cards and no upload-first empty state; a note names what needs a traffic report.
    assert not [m for m in at.metric if m.label in ("Revenue", "Visitors", "Conversion rate")]
    assert any("Visitors and conversion rate need a traffic report" in c.value for c in at.caption)
    assert not [i for i in at.info if "Upload" in i.value]
    assert len(at.get("plotly_chart")) == 2  # revenue and paid orders by day, and the waterfall


def test_orders_only_trend_counts_days_without_orders_as_zero(orders_only: Path) -> None:
    at = open_page(PAGE, **WEEK)
    traces = {trace["name"]: values(trace["y"]) for trace in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]}
    # Paid revenue on 8–14 March by hand: N1 150, N2 250, N3 unpaid 0, none on the 11th, N4 400, none, N5 100.
    assert traces["Revenue (orders)"] == [150.0, 250.0, 0.0, 0.0, 400.0, 0.0, 100.0]
    assert traces["Paid orders"] == [1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0]
    # 1–7 March, drawn over the same days: C1 100, C2 200, C3 unpaid, none on the 4th, C4 300, none, none.
    comparison = next(name for name in traces if name.startswith("Revenue (orders),"))
    assert traces[comparison] == [100.0, 200.0, 0.0, 0.0, 300.0, 0.0, 0.0]


def test_orders_only_store_splits_revenue_into_paid_orders_and_order_value(orders_only: Path) -> None:
    at = open_page(PAGE, **WEEK)
    assert any("revenue = paid orders × average order value" in c.value for c in at.caption)
    # LMDI by hand: each part = L(R1, R0) × ln(x1 / x0), L(a, b) = (a − b) / ln(a / b).
    weight = (NOW["revenue"] - BEFORE["revenue"]) / math.log(NOW["revenue"] / BEFORE["revenue"])
    orders_part = weight * math.log(NOW["paid"] / BEFORE["paid"])
    value_part = weight * math.log(NOW["aov"] / BEFORE["aov"])
    sentence = (
        f"Revenue rose ¥{NOW['revenue'] - BEFORE['revenue']:,.2f}: more paid orders +¥{orders_part:,.2f}, "
        f"higher average order value +¥{value_part:,.2f}."
    )
    assert any(sentence in m.value for m in at.markdown), [m.value for m in at.markdown]


def test_orders_only_store_movers_come_from_the_orders(orders_only: Path) -> None:
    at = open_page(PAGE, **WEEK)
    assert [tab.label for tab in at.tabs] == ["Products (orders)", "Regions (orders)", "Channels (orders)"]
    assert not at.tabs[1].dataframe  # a tab not open is not drawn
    open_tab(at, "overview_movers", "Regions (orders)")
    regions = at.tabs[1].dataframe[0].value
    # Order revenue by region, now against before: 浙江省 550 vs 400, 北京 100 vs 0 (C3 unpaid), 上海 250 vs 200.
    assert list(regions["Region"]) == ["浙江省", "北京", "上海"]
    assert list(regions["Revenue (orders) change"]) == [150.0, 100.0, 50.0]


def test_store_with_both_shows_the_traffic_report_and_the_order_records_beside(orders_and_traffic: Path) -> None:
    at = open_page(PAGE, **WEEK)
    assert card(at, "Revenue").value == f"¥{REPORT_REVENUE:,.2f}"  # the traffic report's cards as before
    assert not [m for m in at.metric if m.label == "Revenue (orders)"]
    difference = NOW["revenue"] - REPORT_REVENUE  # 900 − 1,200 = −300, −25.0%
    assert any(
        f"is -¥{-difference:,.2f} ({difference / REPORT_REVENUE:+.1%}) against the traffic report's" in m.value
        for m in at.markdown
    ), [m.value for m in at.markdown]
    table = at.dataframe[0].value
    revenue_row = table.iloc[0]
    assert revenue_row["Traffic report"] == f"¥{REPORT_REVENUE:,.2f}"
    assert revenue_row["Order export"] == f"¥{NOW['revenue']:,.2f}"
    # Different days: the report 8–13 March (6 days), the order export every day 8–14 March (7 days: its orders run 1–14 March, a day without one is zero).
    assert any("the traffic report 6 days" in c.value and "the order export 7 days" in c.value for c in at.caption)
    assert any("payment time" in c.value for c in at.caption)
    # The report has no 1–7 March, so no dashed comparison is announced, and the change is split from the orders.
    assert not [c for c in at.caption if c.value.startswith("Dashed lines")]
    assert any(m.value.startswith("**Revenue rose ¥300.00: more paid orders +¥") for m in at.markdown)


def test_demo_store_without_orders_keeps_its_page(demo_db: Path) -> None:
    at = open_page(PAGE, cur="CNY")
    assert [tab.label for tab in at.tabs] == ["Traffic sources", "Products", "Ad campaigns"]
    assert not [m for m in at.metric if "(orders)" in m.label]
    assert any("Revenue = visitors × conversion rate × revenue per buyer" in c.value for c in at.caption)


# 生意参谋 流量来源 without 支付买家数: visitors and revenue, no buyers. 1–7 March 100 visitors and ¥200 a day,
# 8–14 March 200 and ¥300: conversion and 客单价 are unknown in both weeks.
NO_BUYERS_CSV = "统计日期,一级来源,访客数,支付金额\n" + "".join(
    f"2024-03-{day:02d},淘内免费,{100 if day < 8 else 200},{200 if day < 8 else 300}\n" for day in range(1, 15)
)


def test_a_report_without_buyers_does_not_split_its_revenue_change(empty_db: Path, tmp_path: Path) -> None:
    ingest(empty_db, tmp_path, {"sources.csv": NO_BUYERS_CSV})
    for language, expected, sentence_start in (
        ("en", "Splitting the change needs revenue in both periods and what accounts for it", "**Revenue rose"),
        ("zh", "拆解变化需要两个期间都有销售额，以及能解释它的数据", "**销售额增加"),
    ):
        at = open_page(PAGE, lang=language, **WEEK)
        assert card(at, {"en": "Revenue", "zh": "销售额"}[language]).value == "¥2,100.00"  # 7 × ¥300
        assert any(i.value.startswith(expected) for i in at.info), [i.value for i in at.info]
        # No sentence saying which driver moved revenue: the visitors doubled, and nothing says by how much
        # that explains the ¥700.
        assert not [m for m in at.markdown if m.value.startswith(sentence_start)]


def test_one_source_compared_is_counted_in_the_singular(empty_db: Path, tmp_path: Path) -> None:
    # NO_BUYERS_CSV has one source, 淘内免费, in both weeks (revenue ¥1,400 → ¥2,100): one source is compared.
    ingest(empty_db, tmp_path, {"sources.csv": NO_BUYERS_CSV})
    captions = [c.value for c in open_page(PAGE, **WEEK).caption]
    assert any(c.startswith("1 traffic source compared, ranked by the change in") for c in captions), captions
    assert not [c for c in captions if "1 traffic sources" in c]
    captions = [c.value for c in open_page(PAGE, lang="zh", **WEEK).caption]
    assert any(c.startswith("共对比 1 个流量来源，按") for c in captions), captions
