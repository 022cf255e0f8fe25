"""The demo store's order export agrees with its other files: the products are the shop's own (titles of the
price scrape's 示例美妆旗舰店 rows), and each day's paid revenue is close to the 生意参谋 file's 支付金额
(close, not equal: the store's records and platform analytics differ). Read straight from the files."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
ORDERS = SAMPLES / "ExportOrderList20261123093015.csv"
TRAFFIC = SAMPLES / "【生意参谋平台】店铺来源_2026-08-25_2026-11-22.xlsx"
PRICES = SAMPLES / "竞品价格监控_2026-08-25_2026-11-22.xlsx"


@pytest.fixture(scope="module")
def orders() -> list[dict[str, str]]:
    with open(ORDERS, encoding="gb18030", newline="") as fh:
        return list(csv.DictReader(fh))


def test_products_are_the_shops_own(orders: list[dict[str, str]]) -> None:
    sheet = list(load_workbook(PRICES, read_only=True).active.iter_rows(values_only=True))
    own = {row[2] for row in sheet[1:] if row[6] == "示例美妆旗舰店"}
    # every own product but the slow-moving mist (sample_data/README.md) sells
    assert {row["宝贝标题"] for row in orders} == own - {"示例美妆 玫瑰保湿喷雾150ml 补水定妆 舒缓爽肤"}
    assert {row["店铺名称"] for row in orders} == {"示例美妆旗舰店"}


def test_daily_paid_revenue_is_close_to_the_traffic_reports(orders: list[dict[str, str]]) -> None:
    sheet = list(load_workbook(TRAFFIC, read_only=True).active.iter_rows(values_only=True))
    col = {name: i for i, name in enumerate(sheet[4])}
    analytics: Counter[str] = Counter()
    for row in sheet[5:]:
        if row[col["二级来源"]] == "汇总":
            analytics[row[0]] += row[col["支付金额"]]
    paid: Counter[str] = Counter()
    for row in orders:
        if row["订单付款时间"]:
            paid[row["订单付款时间"][:10]] += float(row["总金额"])
    assert sorted(paid) == sorted(analytics)
    ratios = [paid[day] / analytics[day] for day in analytics]
    assert all(0.85 < r < 1.1 for r in ratios), (min(ratios), max(ratios))
    assert any(r != 1 for r in ratios)
    assert max(paid, key=paid.__getitem__) == "2026-11-11"


def test_money_and_statuses_follow_the_exports_rules(orders: list[dict[str, str]]) -> None:
    for row in orders:
        total, paid, refund = float(row["总金额"]), float(row["买家实际支付金额"]), float(row["退款金额"])
        if row["订单付款时间"]:
            assert total == pytest.approx(paid + refund)
        else:
            assert paid == refund == 0 and row["订单状态"] in ("交易关闭", "等待买家付款")
    full_refunds = [r for r in orders if r["订单关闭原因"] == "退款"]
    assert full_refunds and all(float(r["买家实际支付金额"]) == 0 and r["订单付款时间"] for r in full_refunds)
    buyers = Counter(r["买家会员名"] for r in orders if r["订单付款时间"])
    assert sum(1 for n in buyers.values() if n > 1) > 0.05 * len(buyers)
