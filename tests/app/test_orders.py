"""The Orders page through AppTest: the demo store (its 天猫 订单报表), a store with only an order export, and an
empty store. Expected figures are read from the export itself with the csv module, not the order metrics."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.app.conftest import open_page as open_app_page
from tests.app.conftest import open_tab
from tests.conftest import ci_require

PAGE = "views/orders.py"
REPO = Path(__file__).resolve().parents[2]
DEMO_ORDERS = REPO / "sample_data" / "ExportOrderList20261123093015.csv"
LAST_DAY = date(2026, 11, 22)  # the demo's newest day (every export ends there)


def open_page(**params: str):
    return open_app_page(PAGE, **params)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def demo_orders(start: date, end: date) -> list[dict[str, str]]:
    with open(DEMO_ORDERS, encoding="gb18030", newline="") as fh:
        return [r for r in csv.DictReader(fh) if start <= date.fromisoformat(r["订单创建时间"][:10]) <= end]


def test_demo_store_shows_its_orders(demo_db: Path) -> None:
    at = open_page(range="last_30")
    start = LAST_DAY - timedelta(days=29)
    rows = demo_orders(start, LAST_DAY)
    paid = [r for r in rows if r["订单付款时间"]]
    shown = metrics(at)
    assert shown["Orders placed"] == f"{len(rows):,}"
    assert shown["Paid orders"] == f"{len(paid):,}"
    assert shown["Buyers (orders)"] == f"{len({r['买家会员名'] for r in paid}):,}"
    assert shown["Payment rate"] == f"{len(paid) / len(rows):.2%}"
    assert "AOV (per order)" in shown and any("is per order" in c.value for c in at.caption)
    assert all(shown[f"Repeat rate ({d} days)"] not in ("—", "0.00%") for d in (30, 60, 90))
    refunded = {r["宝贝标题"] for r in paid if float(r["退款金额"]) > 0}
    tables = [d.value for d in at.dataframe]
    refunds = next(f for f in tables if "Product" in f.columns and "Refunds" in f.columns)
    assert set(refunds["Product"]) == refunded
    # Only the open breakdown tab is drawn (Region first); the 订单报表 has no channel, and its tab says which
    # exports do; the status tab has the file's statuses.
    assert any("Region" in f.columns for f in tables) and not any("Status" in f.columns for f in tables)
    assert not any("no sales channel" in i.value for i in at.info)
    open_tab(at, "orders_breakdown", "Channel")
    assert any("no sales channel" in i.value and "Shopify orders" in i.value for i in at.info)
    assert not any("Region" in d.value.columns for d in at.dataframe)
    open_tab(at, "orders_breakdown", "Status")
    statuses = next(d.value for d in at.dataframe if "Status" in d.value.columns)
    assert set(statuses["Status"]) == {r["订单状态"] for r in rows}
    assert any("refund reason" in c.value for c in at.caption)
    # The stages sentence: placed, paid and refunded orders counted from the file.
    refunded_orders = sum(1 for r in paid if float(r["退款金额"]) > 0)
    sentence = next(m.value for m in at.markdown if "orders placed were paid" in m.value)
    assert f"{len(paid):,} of {len(rows):,}" in sentence and f"{refunded_orders:,} paid orders" in sentence
    # The stages chart labels each bar as the page writes counts (6,123, not plotly's 6.123k) with its share of
    # the orders placed.
    chart = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if '"funnel"' in c.proto.spec)
    counts = [len(rows), len(paid), refunded_orders]
    assert chart["data"][0]["x"] == counts
    assert chart["data"][0]["text"] == [f"{n:,}<br>{n / len(rows):.2%}" for n in counts]
    assert chart["data"][0]["textinfo"] == "text"


def test_grain_and_range_come_from_the_url_and_the_comparison_is_named(demo_db: Path) -> None:
    at = open_page(range="last_30", grain="week")
    assert at.radio(key="url_grain").value == "week"
    assert any("Weeks start on Monday" in c.value for c in at.caption)
    assert any("compared with 2026-09-24 – 2026-10-23" in c.value for c in at.caption)
    trend = json.loads(next(c.proto.spec for c in at.get("plotly_chart") if "by week" in c.proto.spec))
    names = {trace["name"] for trace in trend["data"]}
    assert "Revenue (orders), 24 Sep – 23 Oct 2026 (comparison)" in names
    assert [m.delta for m in at.metric if m.label == "Paid orders"][0]


def test_chinese(demo_db: Path) -> None:
    at = open_page(lang="zh")
    assert at.title[0].value == "订单分析"
    shown = metrics(at)
    assert "笔单价（按订单）" in shown and "支付订单数" in shown
    assert any("按订单计" in c.value for c in at.caption)


@pytest.fixture
def tmall_only_db(empty_db: Path) -> Path:
    """A store whose only upload is the real Tianchi 天猫 订单报表 (no buyer IDs, no status, no product)."""
    real = REPO.parent / "shared" / "realdata" / "tmall_orders_cn" / "tmall_order_report.csv"
    ci_require(real.exists(), f"real data file {real}")
    done = subprocess.run(
        [sys.executable, "-m", "shopdata", "ingest", "--db", str(empty_db), "--store", "Tmall", str(real)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return empty_db


def test_a_store_with_only_an_order_export(tmall_only_db: Path) -> None:
    at = open_page(range="all")
    with open(REPO.parent / "shared/realdata/tmall_orders_cn/tmall_order_report.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    paid = [r for r in rows if r["订单付款时间 "].strip() or float(r["买家实际支付金额"]) > 0]
    shown = metrics(at)
    assert shown["Orders placed"] == f"{len(rows):,}"
    assert shown["Paid orders"] == f"{len(paid):,}"
    assert shown["Buyers (orders)"] == "—"
    info = [i.value for i in at.info]
    assert any("have no buyer IDs" in i for i in info) and any("name no product" in i for i in info)
    regions = next(d.value for d in at.dataframe if "Region" in d.value.columns)
    assert set(regions["Region"]) == {r["收货地址 "].strip() for r in rows}
    open_tab(at, "orders_breakdown", "Status")
    assert any("no order status" in i.value for i in at.info)


def test_empty_store_names_the_order_exports(empty_db: Path) -> None:
    at = open_page()
    messages = [i.value for i in at.info]
    assert any("order export" in m and "Shopify orders export" in m and "Amazon order report" in m for m in messages)
    at = open_page(lang="zh")
    assert any("订单报表" in i.value for i in at.info)
