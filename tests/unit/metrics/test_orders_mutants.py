"""Order figures no test checked until a mutation run (`make mutation MODULES=orders`) changed them unnoticed.
Values worked out by hand, on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from shopdata.metrics import orders
from shopdata.metrics.query import Scope
from shopdata.store import Warehouse
from tests.unit.metrics.test_query import load

MARCH = Scope("S", date(2024, 3, 1), date(2024, 3, 31))


def test_an_order_refund_repeated_on_each_line_is_counted_once(store: Warehouse) -> None:
    # TikTok Shop's OrderSKUList writes the order's amount (100) and refund (40) on each of its two SKU lines.
    when = datetime(2024, 3, 10, 9)
    lines = [
        dict(platform="tiktok_shop", grain="line", order_id="T1", line_no=n, product_id=p, quantity=1.0,
             amount=100.0, refund_amount=40.0, order_time=when, order_date=when.date(), paid_time=when)
        for n, p in (("1", "SKU-A"), ("2", "SKU-B"))
    ]  # fmt: skip
    load(store, "orders", lines, "tiktok-orders")
    summary = orders.order_summary(store.engine.ibis(), MARCH)
    assert (summary["order_count"], summary["order_revenue"], summary["order_refund"]) == (1, 100.0, 40.0)
    assert summary["net_revenue"] == 60.0
    assert summary["order_units"] == 2.0


def test_an_unknown_breakdown_names_the_ones_there_are(store: Warehouse) -> None:
    expected = "orders break down by day, week, month, region, channel, status, product, platform, not 'colour'"
    with pytest.raises(ValueError, match=f"^{expected}$"):
        orders.orders_by(store.engine.ibis(), MARCH, "colour")


def test_an_order_row_tells_the_money_and_its_lines_the_units_even_when_they_disagree(store: Warehouse) -> None:
    # Order E1 from both exports. The order row: 45 paid after a discount, refund 10, shipping 5, 4 items (it
    # counts a bundle as two). Its lines: 20 + 30 before the discount, refunds 6 + 6, shipping 3 + 3, 1 + 2 units.
    # The money is the order row's (45, 10, 5), the units the lines' (3): never the larger of the two.
    when = datetime(2024, 3, 10, 9)
    common = dict(platform="ebay", order_id="E1", order_time=when, order_date=when.date(), paid_time=when)
    order = dict(common, grain="order", amount=45.0, refund_amount=10.0, shipping=5.0, quantity=4.0)
    lines = [
        dict(common, grain="line", line_no=n, product_id=p, quantity=q, amount=a, refund_amount=6.0, shipping=3.0)
        for n, p, q, a in (("1", "P1", 1.0, 20.0), ("2", "P2", 2.0, 30.0))
    ]
    load(store, "orders", lines, "ebay-items")
    load(store, "orders", [order], "ebay-orders")
    summary = orders.order_summary(store.engine.ibis(), MARCH)
    assert (summary["order_count"], summary["order_revenue"], summary["order_refund"]) == (1, 45.0, 10.0)
    assert (summary["order_shipping"], summary["order_units"]) == (5.0, 3.0)
