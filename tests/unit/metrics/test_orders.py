"""Order metrics on hand-made exports, on DuckDB and PostgreSQL: order- and line-level rows, money written
once per order on every line (Shopify), an order's money on its item rows and its payment on its order row
(Olist), unpaid, refunded and cancelled orders, and a buyer's second order across a month boundary.

Every expected value is worked out by hand in the comment beside it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from shopdata.metrics import cache, orders, overview, query
from shopdata.metrics.definitions import ORDER_METRICS, metric
from shopdata.metrics.query import Scope
from shopdata.store import Warehouse
from tests.unit.metrics.test_query import load

MARCH, APRIL = (date(2024, 3, 1), date(2024, 3, 31)), (date(2024, 4, 1), date(2024, 4, 30))
SPRING = (date(2024, 3, 1), date(2024, 4, 30))


def at(day: int, month: int = 3, hour: int = 10) -> datetime:
    return datetime(2024, month, day, hour)


def order_row(**values) -> dict:
    when = values.get("order_time")
    return {"grain": "order", "order_date": when.date() if when else None, **values}


TMALL = [  # one row per order; 买家实际支付金额 is net of refunds (总金额 = 实付 + 退款)
    order_row(
        platform="tmall",
        order_id="T1",
        order_time=at(30),
        paid_time=at(30),
        buyer_id="A",
        region="浙江",
        amount=100.0,
        paid_amount=100.0,
        refund_amount=0.0,
        currency="CNY",
    ),
    order_row(  # placed, never paid
        platform="tmall",
        order_id="T2",
        order_time=at(31),
        buyer_id="B",
        region="上海",
        amount=50.0,
        paid_amount=0.0,
        refund_amount=0.0,
        currency="CNY",
    ),
    order_row(  # paid, then refunded in full: paid 0 after refunds
        platform="tmall",
        order_id="T3",
        order_time=at(31, hour=12),
        paid_time=at(31, hour=12),
        buyer_id="C",
        region="浙江",
        amount=80.0,
        paid_amount=0.0,
        refund_amount=80.0,
        currency="CNY",
    ),
    order_row(  # A's second order, 3 days after the first, in the next month
        platform="tmall",
        order_id="T4",
        order_time=at(2, 4),
        paid_time=at(2, 4),
        buyer_id="A",
        region="浙江",
        amount=60.0,
        paid_amount=60.0,
        refund_amount=0.0,
        currency="CNY",
    ),
]
SHOPIFY = [  # one row per line; Total and Shipping are the order's, repeated on each of its lines
    dict(
        platform="shopify",
        grain="line",
        order_id="#1001",
        line_no=str(n),
        sku=sku,
        quantity=q,
        order_time=at(5),
        order_date=date(2024, 3, 5),
        paid_time=at(5),
        status="paid",
        buyer_id="x@example.com",
        amount=120.0,
        shipping=10.0,
        currency="USD",
    )
    for n, (sku, q) in enumerate((("MUG", 1.0), ("CUP", 2.0)))
] + [
    dict(
        platform="shopify",
        grain="line",
        order_id="#1002",
        line_no="0",
        sku="MUG",
        quantity=1.0,
        order_time=at(6),
        order_date=date(2024, 3, 6),
        status="pending",
        buyer_id="y@example.com",
        amount=30.0,
        shipping=10.0,
        currency="USD",
    )
]
OLIST_ORDERS = [
    order_row(
        platform="olist",
        order_id="O1",
        buyer_id="U",
        status="delivered",
        order_time=at(15),
        paid_time=at(15, hour=11),
        currency="BRL",
    ),
    order_row(platform="olist", order_id="O2", buyer_id="V", status="created", order_time=at(16), currency="BRL"),
]
OLIST_ITEMS = [  # one row per unit, no date: the order row has it
    dict(platform="olist", grain="line", order_id=o, line_no=n, product_id=p, amount=a, shipping=s, currency="BRL")
    for o, n, p, a, s in (("O1", "1", "P1", 10.0, 2.0), ("O1", "2", "P2", 15.0, 2.0), ("O2", "1", "P1", 40.0, 5.0))
]
AMAZON = [  # one row per line with its own amount and status
    dict(
        platform="amazon",
        grain="line",
        order_id="A1",
        sku="K1",
        status="Shipped",
        quantity=1.0,
        amount=300.0,
        order_time=at(20),
        order_date=date(2024, 3, 20),
        region="KARNATAKA",
        currency="INR",
    ),
    dict(
        platform="amazon",
        grain="line",
        order_id="A1",
        sku="K2",
        status="Cancelled",
        quantity=0.0,
        amount=200.0,
        order_time=at(20),
        order_date=date(2024, 3, 20),
        region="KARNATAKA",
        currency="INR",
    ),
]


@pytest.fixture
def loaded(store: Warehouse) -> Warehouse:
    load(store, "orders", TMALL, "tmall")
    load(store, "orders", SHOPIFY, "shopify")
    load(store, "orders", OLIST_ORDERS, "olist-orders")
    load(store, "orders", OLIST_ITEMS, "olist-items")
    load(store, "orders", AMAZON, "amazon")
    return store


# Each test below runs on both routes a page or a command may take: "ibis" derives the order lines inside
# every query (a bare Ibis backend; the CLI's uncached Source does the same); "page" is a Source that caches
# results, whose order lines are computed once per data generation into a temporary table (order_lines).
ROUTES = ("ibis", "page")


@pytest.fixture(params=ROUTES)
def route(request: pytest.FixtureRequest):
    cache.RESULTS.clear()  # a PostgreSQL URL may come back in a later test at the same generation
    yield request.param
    cache.RESULTS.clear()


def backend_of(warehouse: Warehouse, route: str):
    return warehouse.engine.ibis() if route == "ibis" else cache.source(warehouse)


def scope(currency: str, period=SPRING) -> Scope:
    return Scope("S", period[0], period[1], currency)


EXPECTED = {
    # T1, T3, T4 paid of 4; revenue before refunds 100 + (0 + 80) + 60; buyers A and C, both new; A came back
    # after 3 days, C never.
    ("CNY", SPRING): dict(
        order_count=4,
        paid_orders=3,
        order_revenue=240,
        order_refund=80,
        net_revenue=160,
        order_buyers=2,
        order_aov=80,
        new_buyers=2,
        returning_buyers=0,
        repeat_buyers_30=1,
        repeat_rate_30=0.5,
        repeat_rate_90=0.5,
        payment_rate=0.75,
        refund_rate=80 / 240,
        order_units=None,
        order_shipping=None,
    ),
    # March alone: A's repeat in April still counts (the window runs on all data loaded).
    ("CNY", MARCH): dict(
        order_count=3,
        paid_orders=2,
        order_revenue=180,
        order_buyers=2,
        new_buyers=2,
        returning_buyers=0,
        repeat_rate_30=0.5,
    ),
    # April alone: A is a returning buyer.
    ("CNY", APRIL): dict(
        order_count=1,
        paid_orders=1,
        order_revenue=60,
        order_buyers=1,
        new_buyers=0,
        returning_buyers=1,
        repeat_rate_30=None,
        payment_rate=1.0,
    ),
    # #1001's 120 once (not 240 from its two lines); #1002 unpaid; units 1 + 2; shipping once.
    ("USD", SPRING): dict(
        order_count=2,
        paid_orders=1,
        order_revenue=120,
        order_units=3,
        order_shipping=10,
        order_buyers=1,
        order_aov=120,
        payment_rate=0.5,
        order_refund=None,
        net_revenue=None,
    ),
    # O1 paid (approved): items 10 + 15, freight 2 + 2, two units; O2 only created.
    ("BRL", SPRING): dict(
        order_count=2,
        paid_orders=1,
        order_revenue=25,
        order_shipping=4,
        order_units=2,
        order_buyers=1,
        new_buyers=1,
    ),
    # A1's shipped line only: the cancelled line is not charged.
    ("INR", SPRING): dict(order_count=1, paid_orders=1, order_revenue=300, order_units=1, order_buyers=None),
}


@pytest.mark.parametrize("currency, period", list(EXPECTED), ids=[f"{c}-{p[0]:%m}-{p[1]:%m}" for c, p in EXPECTED])
def test_order_metrics_on_hand_made_exports(loaded: Warehouse, currency: str, period, route: str) -> None:
    found = orders.order_summary(backend_of(loaded, route), scope(currency, period))
    expected = EXPECTED[(currency, period)]
    assert {k: found[k] for k in expected} == {
        k: pytest.approx(v) if v is not None else None for k, v in expected.items()
    }


def test_a_page_reads_new_orders_after_a_load_and_each_store_its_own(loaded: Warehouse) -> None:
    cache.RESULTS.clear()
    before = cache.source(loaded)
    # CNY in March: T1 100 and T3 80 paid (EXPECTED); the lines of this generation are now a temporary table.
    assert orders.order_summary(before, scope("CNY", MARCH))["order_revenue"] == pytest.approx(180)
    assert loaded.engine._materialized, "a page's order lines are a temporary table"
    late = order_row(
        platform="tmall", order_id="T9", order_time=at(20), paid_time=at(20), buyer_id="Z", amount=7.0,
        paid_amount=7.0, refund_amount=0.0, currency="CNY",
    )  # fmt: skip
    load(loaded, "orders", [late], "tmall-late")
    after = cache.source(loaded)
    assert after.generation != before.generation
    found = orders.order_summary(after, scope("CNY", MARCH))
    assert (found["order_revenue"], found["order_count"], found["new_buyers"]) == (pytest.approx(187), 4, 3)
    # Another store's scope with the same currency and dates reads its own rows (it has none).
    assert orders.order_summary(after, Scope("Other", MARCH[0], MARCH[1], "CNY"))["order_count"] in (0, None)
    cache.RESULTS.clear()


def test_every_order_metric_is_checked_somewhere() -> None:
    checked = {name for values in EXPECTED.values() for name in values}
    assert {m.name for m in ORDER_METRICS} - checked <= {"repeat_buyers_60", "repeat_buyers_90", "repeat_rate_60"}


def test_breakdowns_count_each_order_once_per_value(loaded: Warehouse, route: str) -> None:
    backend = backend_of(loaded, route)
    by_month = orders.orders_by(backend, scope("CNY"), "month")
    assert [
        (str(r["date"])[:10], r["order_count"], r["paid_orders"], r["order_revenue"])
        for r in by_month.to_dict("records")
    ] == [
        ("2024-03-01", 3, 2, 180),
        ("2024-04-01", 1, 1, 60),
    ]
    by_region = orders.orders_by(backend, scope("CNY"), "region").set_index("region")
    assert by_region.loc["浙江", ["order_count", "order_revenue"]].tolist() == [3, 240]
    assert by_region.loc["上海", ["order_count", "paid_orders", "order_revenue"]].tolist() == [1, 0, 0]
    by_status = orders.orders_by(backend, scope("INR"), "status").set_index("status")
    assert by_status.loc["Shipped", ["order_count", "paid_orders", "order_revenue"]].tolist() == [1, 1, 300]
    assert by_status.loc["Cancelled", ["order_count", "paid_orders", "order_revenue"]].tolist() == [1, 0, 0]
    by_product = orders.orders_by(backend, scope("USD"), "product").set_index("product")
    assert by_product.loc["CUP", "order_units"] == 2 and by_product.loc["MUG", "order_count"] == 2
    by_day = orders.orders_by(backend, scope("BRL"), "day")
    assert [(str(r["date"])[:10], r["order_revenue"]) for r in by_day.to_dict("records")] == [
        ("2024-03-15", 25),
        ("2024-03-16", 0),
    ]


def test_stages_and_hours_of_the_orders_placed_in_the_period(loaded: Warehouse, route: str) -> None:
    backend = backend_of(loaded, route)
    # CNY: T1 paid, T2 never paid, T3 paid then refunded in full (March); T4 paid (April 2).
    assert orders.order_stages(backend, scope("CNY")) == {"placed": 4, "paid": 3, "refunded": 1}
    assert orders.order_stages(backend, scope("CNY", MARCH)) == {"placed": 3, "paid": 2, "refunded": 1}
    # 2024-03-30 is a Saturday (5), 03-31 a Sunday (6), 04-02 a Tuesday (1); Monday is 0.
    hours = orders.orders_by_hour(backend, scope("CNY"))
    assert [tuple(r) for r in hours[["weekday", "hour", "orders"]].to_numpy().tolist()] == [
        (1, 10, 1),
        (5, 10, 1),
        (6, 10, 1),
        (6, 12, 1),
    ]
    assert orders.orders_by_hour(backend, scope("CNY", APRIL))["orders"].tolist() == [1]


def test_cohort_table(loaded: Warehouse, route: str) -> None:
    table = orders.cohorts(backend_of(loaded, route), scope("CNY"))
    # March's buyers A and C; A paid again in April (1 month after March).
    march = table.iloc[0]
    assert (str(march["cohort"])[:10], march["buyers"], march["m0"], march["m1"]) == ("2024-03-01", 2, 0.0, 0.5)
    assert len(table) == 1


def test_overview_takes_the_cards_from_orders_without_a_traffic_report(loaded: Warehouse) -> None:
    backend = loaded.engine.ibis()
    records = {r["metric"]: r for r in overview.report_records(backend, scope("CNY", APRIL), scope("CNY", MARCH))}
    assert (records["revenue"]["value"], records["revenue"]["previous"], records["revenue"]["source"]) == (
        60.0,
        180.0,
        "orders",
    )
    assert (records["orders"]["value"], records["buyers"]["value"], records["aov"]["value"]) == (1.0, 1.0, 60.0)
    assert records["visitors"]["value"] is None and records["visitors"]["source"] == "traffic"


def test_order_labels_are_english_in_english() -> None:
    for m in ORDER_METRICS:
        assert all(ord(ch) < 0x2E80 for ch in m.label["en"]), m.name
        assert m.label["zh"] and m.definition["zh"]
    assert "per order" in metric("order_aov").definition["en"] and "客单价" in metric("order_aov").definition["zh"]


def test_a_breakdown_of_some_metrics_counts_them_as_every_metric_does(loaded: Warehouse) -> None:
    # `report orders` and the product table ask for a few metrics (then no buyer history is read).
    backend = loaded.engine.ibis()
    asked = ("order_count", "order_revenue", "order_aov", "order_buyers")
    by_month = orders.orders_by(backend, scope("CNY"), "month", asked)
    assert list(by_month.columns) == ["date", *asked]
    # March: T1, T2 (unpaid), T3 placed; T1 100 + T3 80 paid by A and C. April: A's 60.
    assert [(str(r["date"])[:10], *(r[m] for m in asked)) for r in by_month.to_dict("records")] == [
        ("2024-03-01", 3, 180, 90, 2),
        ("2024-04-01", 1, 60, 60, 1),
    ]
    # A ratio of history measures alone: of March's new buyers A and C, A came back within 30 days.
    march = orders.orders_by(backend, scope("CNY", MARCH), "month", ("repeat_rate_30",))
    assert march["repeat_rate_30"].tolist() == [0.5]
    with pytest.raises(ValueError, match="no order metric"):
        orders.orders_by(backend, scope("CNY"), "month", ("revenue",))


def test_a_status_pays_only_on_the_platform_that_lists_it_trimmed_and_in_any_case() -> None:
    import ibis

    from shopdata.ingest.layouts import ORDER_EXPORTS
    from shopdata.metrics.orders import _paid_by_status

    platforms = sorted(ORDER_EXPORTS)
    statuses = sorted({s for export in ORDER_EXPORTS.values() for s in export.paid_statuses} | {"cancelled"})
    rows = [(p, written) for p in platforms for s in statuses for written in (s, f"  {s.upper()} ")] + [
        (p, None) for p in platforms
    ]
    table = ibis.memtable({"platform": [p for p, _ in rows], "status": [s for _, s in rows]})
    found = table.mutate(paid=_paid_by_status(table)).to_pandas()
    expected = [
        s is not None and s.strip().lower() in {x.lower() for x in ORDER_EXPORTS[p].paid_statuses} for p, s in rows
    ]
    assert found["paid"].tolist() == expected
    assert sum(expected) > len(platforms)  # paid and unpaid rows both present


def test_an_order_loaded_at_order_and_at_line_grain_is_counted_once(store: Warehouse) -> None:
    # The store's order export (one row: the total the buyer paid, 55 with 5 shipping) and its item export (two
    # lines, 20 × 1 and 30 × 2 before shipping) both hold order E1. Counted once: 1 order, revenue 55 and
    # shipping 5 from the order row, 3 units from the lines; by product the lines' 20 and 30.
    when = at(10)
    order = order_row(platform="ebay", order_id="E1", order_time=when, paid_time=when, amount=55.0, shipping=5.0)
    lines = [
        dict(
            platform="ebay",
            grain="line",
            order_id="E1",
            line_no=n,
            product_id=p,
            quantity=q,
            amount=a,
            order_time=when,
            order_date=when.date(),
            paid_time=when,
        )
        for n, p, q, a in (("1", "P1", 1.0, 20.0), ("2", "P2", 2.0, 30.0))
    ]
    load(store, "orders", lines, "ebay-items")
    load(store, "orders", [order], "ebay-orders")
    backend = store.engine.ibis()
    summary = orders.order_summary(backend, Scope("S", *MARCH))
    assert (summary["order_count"], summary["order_revenue"], summary["order_shipping"], summary["order_units"]) == (
        1,
        55,
        5,
        3,
    )
    by_product = orders.orders_by(backend, Scope("S", *MARCH), "product").set_index("product")
    assert by_product["order_revenue"].to_dict() == {"P1": 20, "P2": 30}
    assert by_product["order_units"].to_dict() == {"P1": 1, "P2": 2}


def _random_lines(seed: int) -> list[dict]:
    """Order lines of two platforms over March and April: buyers with one to four orders days or weeks apart, the
    same buyer ID on both platforms, orders without a buyer, unpaid and refunded orders, an order's lines of
    two products and regions."""
    import random

    rng = random.Random(seed)
    lines = []
    for n in range(160):
        platform = rng.choice(("shopify", "ebay"))
        when = datetime(2024, 3, 1, 9) + timedelta(days=rng.randrange(61), hours=rng.randrange(12))
        paid = rng.random() < 0.8
        buyer = None if rng.random() < 0.15 else f"B{rng.randrange(40)}"
        for line in range(rng.choice((1, 1, 2, 3))):
            amount = float(rng.randrange(5, 200))
            lines.append(
                dict(
                    platform=platform,
                    grain="line",
                    order_id=f"O{n}",
                    line_no=str(line),
                    product_id=rng.choice(("P1", "P2", "P3", "P4")),
                    quantity=float(rng.randrange(1, 4)),
                    amount=amount,
                    refund_amount=amount if paid and rng.random() < 0.1 else 0.0,
                    order_time=when,
                    order_date=when.date(),
                    paid_time=when if paid else None,
                    buyer_id=buyer,
                    region=rng.choice(("North", "South", None)),
                    channel=rng.choice(("web", "app")),
                    status=rng.choice(("paid", "shipped")),
                    currency="USD",
                )
            )
    return lines


@pytest.mark.parametrize("seed", [1])
def test_buyers_counted_by_grouping_agree_with_distinct_counts(
    store: Warehouse, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The two ways of counting distinct buyers (query.counts_distinct_by_grouping: PostgreSQL groups by buyer
    # first, DuckDB counts distinct values) give every metric and cohort alike, for every breakdown and for a
    # period that cuts buyers' histories, on both engines.
    load(store, "orders", _random_lines(seed), "lines")
    backend = store.engine.ibis()
    # PostgreSQL's pages and its bare backend take the grouped route, DuckDB's count distinct values.
    grouping = store.engine.dialect == "postgres"
    assert query.counts_distinct_by_grouping(backend) is grouping
    assert query.counts_distinct_by_grouping(cache.source(store)) is grouping

    def both(read):
        found = []
        for grouping in (False, True):
            monkeypatch.setattr(orders, "counts_distinct_by_grouping", lambda _backend, g=grouping: g)
            found.append(read())
        return found

    for period in (SPRING, (date(2024, 3, 20), date(2024, 4, 10))):
        within = Scope("S", *period, "USD")
        direct, grouped = both(lambda within=within: orders.order_summary(backend, within))
        assert direct == pytest.approx(grouped, nan_ok=True)
        assert direct["order_buyers"] and direct["new_buyers"] and direct["repeat_buyers_30"]
        direct, grouped = both(lambda within=within: orders.cohorts(backend, within))
        pd.testing.assert_frame_equal(direct, grouped, check_exact=False)
        assert direct["buyers"].sum() > 0 and direct["m1"].sum() > 0
        for by in orders.BY:
            direct, grouped = both(lambda within=within, by=by: orders.orders_by(backend, within, by))
            pd.testing.assert_frame_equal(direct, grouped, check_exact=False)
            assert direct["order_buyers"].sum() > 0
    # A period without orders: 0 orders either way and no other figure (nothing to count buyers or money in).
    empty = Scope("S", date(2023, 1, 1), date(2023, 1, 31), "USD")
    direct, grouped = both(lambda: orders.order_summary(backend, empty))
    assert direct == grouped
    assert direct["order_count"] == 0
    assert all(value is None for name, value in direct.items() if name != "order_count")
    direct, grouped = both(lambda: orders.cohorts(backend, empty))
    assert direct.empty and grouped.empty
    for by in orders.BY:
        direct, grouped = both(lambda by=by: orders.orders_by(backend, empty, by))
        assert direct.empty and grouped.empty, by


def test_stages_count_orders_without_a_time_of_day_and_hours_sum_their_days(store: Warehouse, route: str) -> None:
    # Five orders: Monday 4 March 10:15 (paid) and 10:50 (unpaid), Monday 11 March 10:40 (paid, refunded) share
    # the cell Monday × 10; Tuesday 12 March 23:05 unpaid; one of 13 March exported with its day only (paid):
    # placed 5, paid 3, refunded 1, and four orders in the weekday × hour table (two cells), the date-only one in
    # none.
    def line(order_id: str, day: date, when: datetime | None, paid: bool, refund: float = 0.0) -> dict:
        return dict(
            platform="ebay",
            grain="order",
            order_id=order_id,
            order_date=day,
            order_time=when,
            paid_time=(when or datetime.combine(day, datetime.min.time())) if paid else None,
            amount=50.0,
            refund_amount=refund,
        )

    load(
        store,
        "orders",
        [
            line("M1", date(2024, 3, 4), datetime(2024, 3, 4, 10, 15), True),
            line("M3", date(2024, 3, 4), datetime(2024, 3, 4, 10, 50), False),
            line("M2", date(2024, 3, 11), datetime(2024, 3, 11, 10, 40), True, refund=50.0),
            line("T1", date(2024, 3, 12), datetime(2024, 3, 12, 23, 5), False),
            line("W1", date(2024, 3, 13), None, True),
        ],
        "ebay-orders",
    )
    backend = backend_of(store, route)
    march = Scope("S", *MARCH)
    assert orders.order_stages(backend, march) == {"placed": 5, "paid": 3, "refunded": 1}
    hours = orders.orders_by_hour(backend, march)
    assert [tuple(r) for r in hours[["weekday", "hour", "orders"]].to_numpy().tolist()] == [(0, 10, 3), (1, 23, 1)]
    # 5–12 March: M2 and T1 only.
    assert orders.order_stages(backend, Scope("S", date(2024, 3, 5), date(2024, 3, 12))) == {
        "placed": 2,
        "paid": 1,
        "refunded": 1,
    }
