"""Order figures no test checked until a mutation run (`make mutation MODULES=orders`) changed them unnoticed.
Values worked out by hand, on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from shopdata.metrics import cache, orders
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


def placed(order_id: str, day: int, hour: int, amount: float, buyer: str, paid: bool = True, **more) -> dict:
    when = datetime(2024, 3, day, hour)
    return dict(
        platform="webshop",  # no platform rule applies: paid is a payment time, money the amount paid
        grain="order",
        order_id=order_id,
        order_time=when,
        order_date=when.date(),
        paid_time=when if paid else None,
        amount=amount,
        paid_amount=amount if paid else 0.0,
        buyer_id=buyer,
        **more,
    )


# 2 March: O1 30 paid by a (2 units), O2 70 paid by c (1 unit) and refunded 10; 5 March: O3 50, never paid, by b.
REPORTED = [
    placed("O1", 2, 10, 30.0, "a", quantity=2.0, refund_amount=0.0, region="CA"),
    placed("O2", 2, 15, 70.0, "c", quantity=1.0, refund_amount=10.0, region="NY"),
    placed("O3", 5, 9, 50.0, "b", paid=False, quantity=1.0, refund_amount=0.0, region="CA"),
]


def test_the_order_report_has_a_record_per_day_with_its_fields(store: Warehouse) -> None:
    load(store, "orders", REPORTED, "webshop-orders")
    fields = ("orders", "paid_orders", "revenue", "refund", "net_revenue", "buyers", "aov", "units")
    assert orders.record_fields(None) == orders.record_fields("week") == ("date", *fields)
    assert orders.record_fields("region") == ("region", *fields)
    records = orders.report_records(store.engine.ibis(), MARCH, None)
    assert records == [
        dict(date="2024-03-02", orders=2.0, paid_orders=2.0, revenue=100.0, refund=10.0, net_revenue=90.0,
             buyers=2.0, aov=50.0, units=3.0),
        # An unpaid order counts as placed, with no money, buyer or units paid for; no paid order, no AOV.
        dict(date="2024-03-05", orders=1.0, paid_orders=0.0, revenue=0.0, refund=0.0, net_revenue=0.0,
             buyers=0.0, aov=None, units=0.0),
    ]  # fmt: skip
    by_week = orders.report_records(store.engine.ibis(), MARCH, None, by="week")
    assert [(r["date"], r["orders"], r["revenue"]) for r in by_week] == [
        ("2024-02-26", 2.0, 100.0),
        ("2024-03-04", 1.0, 0.0),
    ]
    by_region = orders.report_records(store.engine.ibis(), MARCH, None, by="region")
    assert [(r["region"], r["orders"], r["revenue"], r["buyers"]) for r in by_region] == [
        ("CA", 2.0, 30.0, 1.0),
        ("NY", 1.0, 70.0, 1.0),
    ]


def test_a_paid_order_is_refunded_when_any_money_went_back_however_little(store: Warehouse) -> None:
    load(
        store,
        "orders",
        [
            placed("R1", 3, 10, 20.0, "a", refund_amount=0.5),  # fifty cents back: refunded
            placed("R2", 3, 11, 20.0, "b", refund_amount=None),  # the export says nothing: not refunded
            placed("R3", 3, 12, 20.0, "c", refund_amount=0.0),
        ],
        "webshop-orders",
    )
    assert orders.order_stages(store.engine.ibis(), MARCH) == {"placed": 3, "paid": 3, "refunded": 1}


def test_a_page_asking_without_buyer_history_first_still_gets_it_next(store: Warehouse) -> None:
    # A page's Source keeps one table of order parts per data generation: asked first for revenue alone (no
    # history needed), it must still hold each buyer's history for the new-buyer count asked next.
    load(store, "orders", REPORTED, "webshop-orders")
    cache.RESULTS.clear()
    source = cache.source(store)
    assert orders.orders_by(source, MARCH, "day", ("order_revenue",))["order_revenue"].tolist() == [100.0, 0.0]
    summary = orders.order_summary(source, MARCH)
    assert (summary["new_buyers"], summary["order_buyers"], summary["order_revenue"]) == (2.0, 2.0, 100.0)
    cache.RESULTS.clear()


def test_a_page_reads_a_period_s_days_from_the_store_s_every_day(store: Warehouse, queries) -> None:
    # REPORTED, and on 9 March O4: 40 paid by a again (a returning buyer: her first order was on 2 March).
    load(store, "orders", [*REPORTED, placed("O4", 9, 10, 40.0, "a", quantity=1.0)], "webshop-orders")
    cache.RESULTS.clear()
    source = cache.source(store)
    fields = ["date", "order_count", "paid_orders", "order_revenue", "new_buyers", "returning_buyers"]

    def days(scope: Scope) -> list[tuple]:
        return [tuple(row) for row in orders.orders_by(source, scope, "day")[fields].itertuples(index=False)]

    assert days(Scope("S", date(2024, 3, 4), date(2024, 3, 9))) == [
        (date(2024, 3, 5), 1.0, 0.0, 0.0, 0.0, 0.0),  # O3, never paid
        (date(2024, 3, 9), 1.0, 1.0, 40.0, 0.0, 1.0),  # O4: a bought before the period, so she is returning
    ]
    asked = len(queries)
    assert asked  # the store's every day, once
    # Another period, the comparison's, and whether a period has orders: read from the same days, no query.
    assert days(Scope("S", date(2024, 3, 1), date(2024, 3, 3))) == [(date(2024, 3, 2), 2.0, 2.0, 100.0, 2.0, 0.0)]
    assert days(Scope("S", date(2024, 3, 6), date(2024, 3, 8))) == []
    assert len(queries) == asked
    assert orders.has_orders(source, Scope("S", date(2024, 3, 5), date(2024, 3, 5)))  # placed, unpaid: an order
    assert not orders.has_orders(source, Scope("S", date(2024, 3, 6), date(2024, 3, 8)))
    assert not orders.has_orders(source, Scope("S", date(2024, 3, 10), date(2024, 3, 31)))
    assert orders.has_orders(source, Scope("S", date(2024, 3, 9), date(2024, 3, 31)))
    # The same figures as a period's own query (a command's Source computes each period by itself).
    alone = orders.orders_by(cache.uncached_source(store.engine), Scope("S", date(2024, 3, 4), date(2024, 3, 9)), "day")
    assert [tuple(row) for row in alone[fields].itertuples(index=False)] == days(
        Scope("S", date(2024, 3, 4), date(2024, 3, 9))
    )
    cache.RESULTS.clear()


def test_a_summary_of_some_order_figures_counts_only_those(store: Warehouse) -> None:
    # REPORTED in March: 3 orders placed, 2 paid (30 + 70) by a and c; the unpaid one by b.
    load(store, "orders", REPORTED, "webshop-orders")
    wanted = ("order_revenue", "paid_orders", "order_buyers", "order_aov")
    for backend in (store.engine.ibis(), cache.uncached_source(store.engine)):
        assert orders.order_summary(backend, MARCH, wanted) == {
            "order_revenue": 100.0, "paid_orders": 2.0, "order_buyers": 2.0, "order_aov": 50.0,
        }  # fmt: skip
        assert orders.order_summary(backend, MARCH)["order_count"] == 3.0
    with pytest.raises(ValueError, match=r"^no order metric named \['buyers'\]$"):
        orders.order_summary(store.engine.ibis(), MARCH, ("order_revenue", "buyers"))


def test_a_page_builds_the_order_parts_once_per_data_generation(store: Warehouse, monkeypatch) -> None:
    # The parts every order figure starts from are a temporary table of the page's connection: a later period,
    # breakdown or figure reads it without building its expression (a window over all orders) again.
    load(store, "orders", REPORTED, "webshop-orders")
    cache.RESULTS.clear()
    source = cache.source(store)
    built = []
    real = orders._parts
    monkeypatch.setattr(orders, "_parts", lambda *args: built.append(args[2]) or real(*args))
    assert orders.order_summary(source, MARCH, ("order_revenue",))["order_revenue"] == 100.0
    assert built == [None]  # the parts of whole orders
    early = Scope("S", date(2024, 3, 1), date(2024, 3, 4))
    assert orders.order_summary(source, early, ("order_count", "new_buyers")) == {"order_count": 2.0, "new_buyers": 2.0}
    assert orders.orders_by(source, early, "week", ("order_revenue",))["order_revenue"].tolist() == [100.0]
    assert built == [None]
    by_region = orders.orders_by(source, MARCH, "region", ("order_count",))
    assert by_region[["region", "order_count"]].to_numpy().tolist() == [["CA", 2.0], ["NY", 1.0]]
    assert built == [None, "region"]  # a region's parts are their own table, built once too
    assert orders.orders_by(source, early, "region", ("order_count",))["order_count"].tolist() == [1.0, 1.0]
    assert built == [None, "region"]
    cache.RESULTS.clear()


def test_an_activity_of_a_store_with_orders_alone_counts_its_paid_orders(store: Warehouse, queries) -> None:
    # No traffic report: an activity's revenue and orders are the order export's paid money and paid orders, a day
    # between the store's first and last order without one counts zero, and a day outside them is unknown.
    # REPORTED: 2 March O1 30 + O2 70 paid; 5 March O3 placed, never paid.
    from shopdata.metrics.activities import activity_lift

    load(store, "orders", REPORTED, "webshop-orders")
    for backend in (store.engine.ibis(), cache.source(store)):
        lifts = {
            (first, last): activity_lift(backend, MARCH, date(2024, 3, first), date(2024, 3, last), hangover_days=0)
            for first, last in ((2, 3), (3, 4), (5, 6), (1, 1))
        }
        assert [(f["revenue"], f["orders"], f["visitors"], f["spend"]) for f in lifts.values()] == [
            (100.0, 2.0, None, None),
            (0.0, 0.0, None, None),  # between the first and last order, no order: zero
            (0.0, 0.0, None, None),
            (None, None, None, None),  # before the first order: not known, not zero
        ]
        assert all(f["expected_revenue"] is None and f["lift"] is None for f in lifts.values())  # no history
