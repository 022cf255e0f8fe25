"""Overview page through Streamlit's AppTest: the demo store's cards against plain SQL, empty state, zh, URL."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.app.conftest import open_page, open_tab
from tests.support.rollups import rebuild_rollups

PAGE = "views/overview.py"
DEMO = "Demo store"
# Where each currency's revenue lives in the demo: 生意参谋 first-level sources (their children repeat
# them), and Shopify's sales-over-time report (its sessions report has no money).
REVENUE_SQL = {
    "CNY": "SELECT sum(revenue) FROM traffic WHERE store = ? AND platform = 'tmall' AND source_level = 1 "
    "AND date >= ? AND end_date <= ?",
    "USD": "SELECT sum(revenue) FROM traffic WHERE store = ? AND platform = 'shopify' AND grain = 'shop' "
    "AND date >= ? AND end_date <= ?",
}


def latest_day(db: Path) -> date:
    with duckdb.connect(str(db)) as con:  # same process as the app: same configuration
        return con.execute(
            "SELECT max(d) FROM (SELECT max(end_date) AS d FROM traffic WHERE store = ? "
            "UNION ALL SELECT max(end_date) FROM ads WHERE store = ? "
            "UNION ALL SELECT max(end_date) FROM prices WHERE store = ? "
            "UNION ALL SELECT max(event_date) FROM events WHERE store = ?)",
            [DEMO] * 4,
        ).fetchone()[0]


def revenue_in(db: Path, currency: str, start: date, end: date) -> float | None:
    with duckdb.connect(str(db)) as con:
        return con.execute(REVENUE_SQL[currency], [DEMO, start, end]).fetchone()[0]


def money(text: str) -> float:
    return float(text.lstrip("¥$").replace(",", ""))


def exact_money(metric) -> float:
    """A card's exact amount: in its tooltip when the card shows a shortened one (¥1.08M, $61,866)."""
    found = re.search(r"Exactly \\?([¥$][\d,.]+)", metric.proto.help)
    return money(found.group(1) if found else metric.value)


def card_text(amount: float, symbol: str) -> str:
    """What a money card shows, by the rule written out: cents below 10,000, whole units below a million."""
    if amount >= 1_000_000:
        return f"{symbol}{amount / 1_000_000:.2f}M"
    return f"{symbol}{amount:,.0f}" if amount >= 10_000 else f"{symbol}{amount:,.2f}"


def card(at, label: str):
    found = [m for m in at.metric if m.label == label]
    assert found, [m.label for m in at.metric]
    return found[0]


def open_overview(**params: str):
    return open_page(PAGE, **params)


@pytest.mark.parametrize("currency", ["CNY", "USD"])
def test_revenue_card_equals_sql_for_the_default_period(demo_db: Path, currency: str) -> None:
    at = open_overview(cur=currency)
    end = latest_day(demo_db)
    start = end - timedelta(days=29)
    before_end = start - timedelta(days=1)
    now = revenue_in(demo_db, currency, start, end)
    before = revenue_in(demo_db, currency, before_end - timedelta(days=29), before_end)
    revenue = card(at, "Revenue")
    assert revenue.value == card_text(now, {"CNY": "¥", "USD": "$"}[currency])
    assert exact_money(revenue) == pytest.approx(now, abs=0.005)
    assert revenue.delta == f"{(now - before) / before:+.1%}"
    assert any(f"{start} … {end}" in c.value for c in at.caption)
    assert [m.label for m in at.metric] == [
        "Revenue",
        "Visitors",
        "Paying buyers",
        "Orders",
        "Conversion rate",
        "Revenue per buyer",
        "Ad spend",
        "ROAS",
    ]
    # Trend, ad spend and the revenue waterfall; the "why" sentence adds up the change.
    assert len(at.get("plotly_chart")) == 3
    sentence = [m.value for m in at.markdown if "Revenue rose" in m.value or "Revenue fell" in m.value]
    assert len(sentence) == 1 and "visitors" in sentence[0] and "revenue per buyer" in sentence[0]
    assert [t.label for t in at.tabs] == ["Traffic sources", "Products", "Ad campaigns"]


def test_default_view_is_the_last_30_days_in_cny(demo_db: Path) -> None:
    at = open_overview()
    assert at.selectbox(key="currency_filter").value == "CNY"  # the demo's currency with the most rows
    end = latest_day(demo_db)
    assert card(at, "Revenue").value.startswith("¥")
    assert exact_money(card(at, "Revenue")) == pytest.approx(
        revenue_in(demo_db, "CNY", end - timedelta(days=29), end), abs=0.005
    )


def test_campaign_movers_table(demo_db: Path) -> None:
    at = open_tab(open_overview(cur="CNY"), "overview_movers", "Ad campaigns")
    tables = [d.value for d in at.dataframe]
    campaigns = [t for t in tables if "Campaign" in t.columns]
    assert len(campaigns) == 1
    frame = campaigns[0]
    changes = list(frame["Ad spend change"])
    assert changes == sorted(changes, key=abs, reverse=True) and 0 < len(frame) <= 5
    end = latest_day(demo_db)
    start, before_end = end - timedelta(days=29), end - timedelta(days=30)
    with duckdb.connect(str(demo_db)) as con:
        top = con.execute(
            "SELECT campaign, coalesce(sum(spend) FILTER (WHERE date >= ?), 0) "
            "- coalesce(sum(spend) FILTER (WHERE date <= ?), 0) AS d "
            "FROM ads WHERE store = ? AND platform = 'tmall' AND grain = 'campaign' AND date >= ? AND end_date <= ? "
            "GROUP BY campaign ORDER BY abs(d) DESC LIMIT 1",
            [start, before_end, DEMO, before_end - timedelta(days=29), end],
        ).fetchone()
    assert frame["Campaign"][0] == top[0]
    assert frame["Ad spend change"][0] == pytest.approx(top[1])


def test_empty_database_names_the_exports(empty_db: Path) -> None:
    at = open_overview()
    messages = [i.value for i in at.info]
    assert any(
        "No traffic, sales, order or ad data" in m
        and "生意参谋 流量来源" in m
        and "天猫 订单报表" in m
        and "Amazon Business Report" in m
        and "万相台" in m
        and "Google Ads" in m
        for m in messages
    ), messages
    assert not at.metric


def test_chinese_labels(demo_db: Path) -> None:
    at = open_overview(lang="zh", cur="CNY")
    assert at.title[0].value == "概览"
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["销售额", "访客数"] and "客单价" in labels and "推广花费" in labels
    assert [s.value for s in at.subheader] == ["异常", "销售额变化拆解", "主要变化"]
    assert any(m.value.startswith("**销售额") for m in at.markdown)
    assert [t.label for t in at.tabs] == ["流量来源", "商品", "推广计划"]


def test_url_reproduces_last_7_days_against_last_year(demo_db: Path) -> None:
    at = open_overview(range="last_7", compare="yoy", cur="CNY")
    end = latest_day(demo_db)
    start = end - timedelta(days=6)
    year_before = (start.replace(year=start.year - 1), end.replace(year=end.year - 1))
    assert any(f"{start} … {end}, compared with {year_before[0]} … {year_before[1]}" in c.value for c in at.caption)
    assert exact_money(card(at, "Revenue")) == pytest.approx(revenue_in(demo_db, "CNY", start, end), abs=0.005)
    # The demo has no data a year earlier: no change on any card, and the page says why.
    assert all(m.delta is None or m.delta == "" for m in at.metric)
    assert any("comparison period" in i.value and "no data" in i.value for i in at.info)
    assert at.query_params["range"] == "last_7" and at.query_params["compare"] == "yoy"
    at.run()  # a rerun keeps the view
    assert not at.exception
    assert exact_money(card(at, "Revenue")) == pytest.approx(revenue_in(demo_db, "CNY", start, end), abs=0.005)


def test_no_comparison_asks_for_one(demo_db: Path) -> None:
    at = open_overview(compare="none", cur="CNY")
    assert all(m.delta is None or m.delta == "" for m in at.metric)
    assert any("Choose a comparison" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 2  # trend and ad spend, no waterfall


def test_store_without_ads_names_the_ad_reports(demo_db: Path) -> None:
    with duckdb.connect(str(demo_db)) as con:
        con.execute("DELETE FROM ads")
    rebuild_rollups(demo_db)
    at = open_overview(cur="CNY")
    assert any("No ad data" in i.value and "万相台" in i.value and "Meta" in i.value for i in at.info)
    assert card(at, "Ad spend").value == "—" and card(at, "Revenue").value != "—"
    assert len(at.get("plotly_chart")) == 2  # trend and waterfall, no ad spend chart


def test_orders_card_is_empty_with_the_reason_when_the_reports_have_only_buyers(demo_db: Path) -> None:
    end = latest_day(demo_db)
    start = end - timedelta(days=29)
    with duckdb.connect(str(demo_db)) as con:
        with_orders, with_buyers = con.execute(
            "SELECT count(orders), count(buyers) FROM traffic WHERE store = ? AND currency = 'CNY' "
            "AND date >= ? AND end_date <= ?",
            [DEMO, start, end],
        ).fetchone()
    assert with_orders == 0 and with_buyers > 0  # the demo's 生意参谋 reports state paying buyers only
    at = open_overview(cur="CNY")
    orders = card(at, "Orders")
    assert orders.value == "—"
    assert card(at, "Paying buyers").value != "—"
    assert "“Orders” column" in orders.proto.help
    assert any(c.value.startswith("**Orders** shows —") for c in at.caption), [c.value for c in at.caption]
    # The demo has an order export too: the reason says where its orders are.
    assert "“Your order records”" in orders.proto.help

    zh = open_overview(cur="CNY", lang="zh")
    assert card(zh, "订单数").value == "—"
    assert any("“订单数”列" in c.value for c in zh.caption)


def test_orders_card_counts_the_orders_a_report_states(demo_db: Path) -> None:
    end = latest_day(demo_db)
    start = end - timedelta(days=29)
    with duckdb.connect(str(demo_db)) as con:
        ((orders,),) = con.execute(
            "SELECT sum(orders) FROM traffic WHERE store = ? AND platform = 'shopify' AND grain = 'shop' "
            "AND date >= ? AND end_date <= ?",
            [DEMO, start, end],
        ).fetchall()
    assert orders  # Shopify's sales-over-time report has an orders column
    at = open_overview(cur="USD")
    assert card(at, "Orders").value == f"{orders:,.0f}"
    assert not any(c.value.startswith("**Orders** shows —") for c in at.caption)
