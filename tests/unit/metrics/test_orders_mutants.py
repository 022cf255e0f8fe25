"""Order figures no test checked until a mutation run (`make mutation MODULES=orders`) changed them unnoticed.
Values worked out by hand, on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from shopdata.metrics import cache, orders
from shopdata.metrics.query import Scope, run
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


def paid_order(order_id: str, buyer: str, when: datetime, paid: bool = True, amount: float = 10.0, **more) -> dict:
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


def placed(order_id: str, day: int, hour: int, amount: float, buyer: str, paid: bool = True, **more) -> dict:
    return paid_order(order_id, buyer, datetime(2024, 3, day, hour), paid, amount, **more)


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


def page_recording(store: Warehouse, monkeypatch, function: str) -> tuple:
    """REPORTED loaded, a page's Source, and the third argument of every call of `orders.<function>` from now on
    (the breakdown column of `_parts`, the history flag of `_derived_lines`)."""
    load(store, "orders", REPORTED, "webshop-orders")
    cache.RESULTS.clear()
    calls: list = []
    real = getattr(orders, function)
    monkeypatch.setattr(orders, function, lambda *args: calls.append(args[2]) or real(*args))
    return cache.source(store), calls


def test_a_page_builds_the_order_parts_once_per_data_generation(store: Warehouse, monkeypatch) -> None:
    # The parts every order figure starts from are a temporary table of the page's connection: a later period,
    # breakdown or figure reads it without building its expression (a window over all orders) again.
    source, built = page_recording(store, monkeypatch, "_parts")
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


def line(order_id: str, line_no: str, product: str, amount: float, quantity: float | None = 1.0, **more) -> dict:
    return dict(
        platform="webshop", grain="line", order_id=order_id, line_no=line_no, product_id=product, amount=amount,
        quantity=quantity, **more,
    )  # fmt: skip


def told(day: int, buyer: str, status: str, **more) -> dict:
    """What an order's first line tells of the whole order: its day and time, buyer, status and payment."""
    when = datetime(2024, 3, day, 10)
    return dict(order_date=when.date(), order_time=when, paid_time=when, buyer_id=buyer, status=status, **more)


def figures(frame, key: str, *fields: str) -> dict:
    return {row[key]: tuple(row[f] for f in fields) for row in frame.to_dict("records")}


def test_an_order_s_lines_take_what_they_lack_from_its_other_rows_and_keep_what_they_state(store: Warehouse) -> None:
    # W1's second line states only its product, units and money (as Olist's items and Shopify's later lines do):
    # its day, buyer, region, channel, status and payment are W1's, told by its first line. W3's lines state
    # regions and channels of their own (an order shipped to two addresses): each keeps its own. W2's buyer,
    # region, channel and status sort after every other, so a line filled from the whole store would get them.
    load(
        store,
        "orders",
        [
            line("W1", "1", "P1", 30.0, **told(2, "a", "paid", region="CA", channel="search")),
            line("W1", "2", "P2", 20.0, quantity=2.0),
            line("W2", "1", "P3", 10.0, **told(3, "z", "shipped", region="TX", channel="video")),
            line("W3", "1", "P1", 5.0, **told(4, "b", "paid", region="NV", channel="live")),
            line("W3", "2", "P2", 7.0, **told(4, "b", "paid", region="AZ", channel="ads")),
        ],
        "webshop-lines",
    )
    backend = store.engine.ibis()
    summary = orders.order_summary(backend, MARCH)
    assert [summary[f] for f in ("order_count", "paid_orders", "order_revenue", "order_buyers", "order_units")] == [
        3.0, 3.0, 72.0, 3.0, 6.0,
    ]  # fmt: skip
    fields = ("order_count", "paid_orders", "order_revenue", "order_buyers", "order_units")
    assert figures(orders.orders_by(backend, MARCH, "product"), "product", *fields) == {
        "P1": (2.0, 2.0, 35.0, 2.0, 2.0),  # W1 (a) and W3 (b)
        "P2": (2.0, 2.0, 27.0, 2.0, 3.0),  # W1's bare line, paid and bought by a on 2 March, and W3's
        "P3": (1.0, 1.0, 10.0, 1.0, 1.0),
    }
    assert figures(orders.orders_by(backend, MARCH, "region"), "region", "order_count", "order_revenue") == {
        "AZ": (1.0, 7.0), "CA": (1.0, 50.0), "NV": (1.0, 5.0), "TX": (1.0, 10.0),
    }  # fmt: skip
    assert figures(orders.orders_by(backend, MARCH, "channel"), "channel", "order_count", "order_revenue") == {
        "ads": (1.0, 7.0), "live": (1.0, 5.0), "search": (1.0, 50.0), "video": (1.0, 10.0),
    }  # fmt: skip
    assert figures(orders.orders_by(backend, MARCH, "status"), "status", "order_count", "order_revenue") == {
        "paid": (2.0, 62.0), "shipped": (1.0, 10.0),
    }  # fmt: skip


def test_a_row_is_paid_by_its_own_word_and_a_silent_line_by_its_order_s(store: Warehouse) -> None:
    # W4 (6 March): its first line paid 40 (no payment time or status: the paid amount says it); its second line
    # states a paid amount of 0 — that line was not paid, whatever its order's other line says. W5: an order row
    # that paid 1.00 and says nothing else: paid.
    day = dict(order_date=date(2024, 3, 6), order_time=datetime(2024, 3, 6, 9))
    load(
        store,
        "orders",
        [
            line("W4", "1", "P1", 40.0, paid_amount=40.0, **day),
            line("W4", "2", "P2", 15.0, paid_amount=0.0, **day),
            dict(platform="webshop", grain="order", order_id="W5", amount=1.0, paid_amount=1.0, **day),
        ],
        "webshop-paid",
    )
    backend = store.engine.ibis()
    summary = orders.order_summary(backend, MARCH)
    assert (summary["order_count"], summary["paid_orders"], summary["order_revenue"]) == (2.0, 2.0, 41.0)
    by_product = orders.orders_by(backend, MARCH, "product")
    assert figures(by_product[by_product["product"].notna()], "product", "paid_orders", "order_revenue") == {
        "P1": (1.0, 40.0),
        "P2": (0.0, 0.0),
    }


def test_the_money_is_the_amount_paid_and_tmall_s_paid_amount_is_after_refunds(store: Warehouse) -> None:
    # Tmall's 买家实际支付金额 is net of refunds (ORDER_EXPORTS): T1 paid 80 after a refund of 20 took 100; T2
    # paid 50 and its export states no refund: 50. Neither row has a 总金额. G1 (no platform rule) paid 45
    # of an amount of 50: 45.
    paid = dict(order_date=date(2024, 3, 7), paid_time=datetime(2024, 3, 7, 9), grain="order")
    load(
        store,
        "orders",
        [
            dict(platform="tmall", order_id="T1", paid_amount=80.0, refund_amount=20.0, **paid),
            dict(platform="tmall", order_id="T2", paid_amount=50.0, **paid),
        ],
        "tmall-orders",
    )
    load(store, "orders", [dict(platform="webshop", order_id="G1", amount=50.0, paid_amount=45.0, **paid)], "web")
    by_platform = orders.orders_by(store.engine.ibis(), MARCH, "platform").set_index("platform")
    assert by_platform.loc["tmall", ["order_revenue", "order_refund", "net_revenue"]].tolist() == [150.0, 20.0, 130.0]
    assert by_platform.loc["webshop", "order_revenue"] == 45.0
    assert pd.isna(by_platform.loc["webshop", "order_refund"])  # G1's export states no refund: unknown, not 0


def test_a_line_without_units_is_one_unit_only_where_the_export_has_a_row_per_unit(store: Warehouse) -> None:
    # Olist's order items: one row per unit sold, no quantity column. A webshop line without a quantity says
    # nothing of its units: unknown, not 1.
    day = dict(order_date=date(2024, 3, 8), paid_time=datetime(2024, 3, 8, 9), amount=9.0)
    load(store, "orders", [dict(platform="olist", grain="line", order_id="O1", line_no="1", **day)], "olist-items")
    load(store, "orders", [line("U1", "1", "P1", quantity=None, **day)], "web-lines")
    by_platform = orders.orders_by(store.engine.ibis(), MARCH, "platform").set_index("platform")
    assert by_platform.loc["olist", ["order_count", "order_revenue", "order_units"]].tolist() == [1.0, 9.0, 1.0]
    assert by_platform.loc["webshop", ["order_count", "order_revenue"]].tolist() == [1.0, 9.0]
    assert pd.isna(by_platform.loc["webshop", "order_units"])


def test_a_period_counts_the_orders_of_its_first_and_last_day_and_none_outside(store: Warehouse) -> None:
    placed_on = [(date(2024, 2, 29), 1.0), (date(2024, 3, 1), 2.0), (date(2024, 3, 31), 4.0), (date(2024, 4, 1), 8.0)]
    load(
        store,
        "orders",
        [
            dict(platform="webshop", grain="order", order_id=f"D{n}", order_date=day, amount=money, paid_amount=money)
            for n, (day, money) in enumerate(placed_on)
        ],
        "web-days",
    )
    for backend in (store.engine.ibis(), cache.uncached_source(store.engine)):
        summary = orders.order_summary(backend, MARCH, ("order_count", "order_revenue"))
        assert summary == {"order_count": 2.0, "order_revenue": 6.0}
        assert orders.order_stages(backend, MARCH) == {"placed": 2, "paid": 2, "refunded": 0}


def test_a_page_derives_the_order_lines_once_per_data_generation(store: Warehouse, monkeypatch) -> None:
    # Every derived table of a page's orders (the parts of whole orders, per region, the paid buyers' orders
    # for cohorts) starts from the order lines: a temporary table of their own, derived once, with the history.
    source, derived = page_recording(store, monkeypatch, "_derived_lines")
    assert orders.order_summary(source, MARCH, ("order_revenue",))["order_revenue"] == 100.0
    assert orders.orders_by(source, MARCH, "region", ("order_count",))["order_count"].tolist() == [2.0, 1.0]
    assert orders.cohorts(source, MARCH)["buyers"].tolist() == [2]
    assert derived == [True]
    cache.RESULTS.clear()


def test_a_line_without_an_id_or_sku_is_its_product_by_name(store: Warehouse) -> None:
    day = dict(order_date=date(2024, 3, 9), paid_time=datetime(2024, 3, 9, 9))
    load(
        store,
        "orders",
        [
            dict(platform="webshop", grain="line", order_id="N1", line_no="1", product_name="Blue mug", amount=12.0, **day),
            dict(platform="webshop", grain="line", order_id="N1", line_no="2", sku="CUP-1", product_name="Cup", amount=8.0, **day),
        ],
        "web-names",
    )  # fmt: skip
    by_product = orders.orders_by(store.engine.ibis(), MARCH, "product")
    assert figures(by_product, "product", "order_count", "order_revenue") == {
        "Blue mug": (1.0, 12.0),
        "CUP-1": (1.0, 8.0),
    }


def test_a_buyer_s_first_order_is_their_earliest_paid_one(store: Warehouse) -> None:
    # q placed Q1 on 2 March and never paid it, then paid Q2 on 5 March: q became a buyer on 5 March.
    # y paid Z9 on 2 March and A1 on 10 March: the first is the earlier, not the one whose ID sorts first.
    load(
        store,
        "orders",
        [
            paid_order("Q1", "q", datetime(2024, 3, 2, 9), paid=False),
            paid_order("Q2", "q", datetime(2024, 3, 5, 9)),
            paid_order("Z9", "y", datetime(2024, 3, 2, 10)),
            paid_order("A1", "y", datetime(2024, 3, 10, 10)),
        ],
        "web-buyers",
    )
    by_day = orders.orders_by(store.engine.ibis(), MARCH, "day")
    assert figures(by_day, "date", "order_count", "paid_orders", "new_buyers", "returning_buyers") == {
        date(2024, 3, 2): (2.0, 1.0, 1.0, 0.0),  # Q1 unpaid, Z9 y's first
        date(2024, 3, 5): (1.0, 1.0, 1.0, 0.0),  # Q2 q's first paid order
        date(2024, 3, 10): (1.0, 1.0, 0.0, 1.0),  # A1 y again
    }


def test_a_repeat_within_n_days_counts_from_the_first_paid_order_to_the_second_inclusive(store: Warehouse) -> None:
    # r came back after 120 days, s after 38, t after exactly 30 days to the minute.
    january = Scope("S", date(2024, 1, 1), date(2024, 1, 31))
    visits = {"r": (datetime(2024, 1, 2, 10), datetime(2024, 5, 1, 10)),
              "s": (datetime(2024, 1, 3, 10), datetime(2024, 2, 10, 10)),
              "t": (datetime(2024, 1, 4, 10), datetime(2024, 2, 3, 10))}  # fmt: skip
    load(
        store,
        "orders",
        [paid_order(f"{b}{n}", b, when) for b, times in visits.items() for n, when in enumerate(times)],
        "web-repeats",
    )
    summary = orders.order_summary(store.engine.ibis(), january)
    assert [summary[f] for f in ("new_buyers", "repeat_buyers_30", "repeat_buyers_60", "repeat_buyers_90")] == [
        3.0, 1.0, 2.0, 2.0,
    ]  # fmt: skip


def test_a_refund_on_a_row_without_revenue_has_no_refund_rate_and_no_order_value(store: Warehouse) -> None:
    """A breakdown row whose only order was refunded without being counted as paid (CA: 30 placed, never paid,
    5 refunded) has revenue 0 and no paid order: its refund rate and average order value are unknown, not an
    infinite or NaN-derived figure, and PostgreSQL must not fail dividing by zero. NY: 70 paid, 7 refunded."""
    load(
        store,
        "orders",
        [
            placed("O1", 2, 10, 30.0, "a", paid=False, refund_amount=5.0, region="CA"),
            placed("O2", 3, 11, 70.0, "b", refund_amount=7.0, region="NY"),
        ],
        "webshop-orders",
    )
    frame = orders.orders_by(store.engine.ibis(), MARCH, "region")
    rows = {row["region"]: row for row in frame.to_dict("records")}
    assert (rows["CA"]["order_revenue"], rows["CA"]["order_refund"], rows["CA"]["paid_orders"]) == (0.0, 5.0, 0)
    assert pd.isna(rows["CA"]["refund_rate"]) and pd.isna(rows["CA"]["order_aov"])
    assert rows["NY"]["refund_rate"] == pytest.approx(0.1) and rows["NY"]["order_aov"] == 70.0


def test_a_product_key_is_named_by_the_title_of_its_rows_with_an_id(store: Warehouse) -> None:
    """An order row's product is its ID, else its SKU, else its title. Key "MUG": two rows name it by ID (titles
    "Blue mug" and "Blue mug 350ml") and one, without ID or SKU, by the title "MUG". Its name is the greatest
    title among the rows with an ID ("Blue mug 350ml"), not among all ("MUG" sorts after both). Key "Tea
    towel" has no ID at all: its own title."""
    rows = [
        placed("O1", 2, 10, 10.0, "a", product_id="MUG", product_name="Blue mug"),
        placed("O2", 3, 10, 10.0, "b", product_id="MUG", product_name="Blue mug 350ml"),
        placed("O3", 4, 10, 10.0, "c", product_name="MUG"),
        placed("O4", 5, 10, 10.0, "d", product_name="Tea towel"),
    ]
    load(store, "orders", rows, "webshop-orders")
    backend = store.engine.ibis()
    keys = run(backend, orders.product_keys(backend, MARCH), MARCH).to_pandas()
    found = {row["key"]: (bool(row["has_id"]), row["name"]) for row in keys.to_dict("records")}
    assert found == {"MUG": (True, "Blue mug 350ml"), "Tea towel": (False, "Tea towel")}
