"""An activity's (活动) lift (shopdata/metrics/activities.py) on small hand-made stores, on DuckDB and PostgreSQL.

Every figure is worked out by hand from the module's docstring and baseline.py's rule for a day D: expected =
level × factor, the level the mean of the last 14 values before D, the factor the median of the ratios (value ÷
its centred 7-day mean) on D's weekday 1…8 weeks before, judged with at least 2 such ratios. So a history that
repeats one week exactly expects each day at its weekday's value (every ratio is p ÷ the week's mean, the level
two whole weeks' mean), and a flat history at its value."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from shopdata.metrics.activities import FIELDS, activity_lift
from shopdata.metrics.query import Scope
from shopdata.store import BatchInfo, Warehouse
from tests.unit.metrics.test_query import load, rows

# What pandas 4 removes (the day alias "d" for "D", say) fails here, not on an owner's page after an upgrade.
pytestmark = pytest.mark.filterwarnings("error::pandas.errors.Pandas4Warning")

SCOPE = Scope("S")  # every currency: the scope's dates are the activity's to choose
START = date(2024, 3, 1)  # a Friday
# A week that repeats exactly, Monday to Sunday: its mean is 100, so day D is expected at WEEK[D.weekday()].
WEEK = (70.0, 80.0, 90.0, 100.0, 110.0, 120.0, 130.0)


def day(n: int) -> date:
    """The day n days after START (n < 0: before it)."""
    return START + timedelta(days=n)


def shop(n: int, **figures: float | None) -> dict:
    """A sales-report row (Shopify's shop grain) for day n."""
    return dict(platform="shopify", grain="shop", currency="USD", date=day(n), end_date=day(n), **figures)


def ad(n: int, spend: float) -> dict:
    return dict(platform="google", grain="campaign", campaign="C", currency="USD", date=day(n), end_date=day(n),
                spend=spend)  # fmt: skip


def order(order_id: str, n: int, amount: float, paid: bool = True) -> dict:
    """An order placed at 10:00 on day n (no platform rule applies: its money is the amount paid)."""
    when = datetime.combine(day(n), datetime.min.time()).replace(hour=10)
    return dict(platform="webshop", grain="order", order_id=order_id, order_time=when, order_date=when.date(),
                paid_time=when if paid else None, amount=amount, paid_amount=amount if paid else 0.0,
                buyer_id=f"b{order_id}")  # fmt: skip


def flat_history(first: int, revenue: float = 100.0) -> list[dict]:
    """Sales-report rows of `revenue` on every day from day `first` (< 0) to the day before START."""
    return [shop(n, revenue=revenue) for n in range(first, 0)]


def lift(store: Warehouse, first: int, last: int, **kwargs) -> dict:
    found = activity_lift(store.engine.ibis(), SCOPE, day(first), day(last), **kwargs)
    assert tuple(found) == FIELDS
    return found


def test_an_activity_is_summed_over_its_days_and_measured_against_the_weeks_before(store: Warehouse) -> None:
    # History: the repeating WEEK from 24 Dec to 29 Feb (a Thursday). The activity, 1–3 March (Fri–Sun):
    #   1 Mar: revenue 400, orders 8, visitors 300, spend 50
    #   2 Mar: revenue 500, no orders: its 6 buyers count, visitors 350, spend 70
    #   3 Mar: revenue 600, orders 10 (buyers 9: not added), visitors 400, no spend row
    # revenue 400 + 500 + 600 = 1500, orders 8 + 6 + 10 = 24, visitors 1050, spend 120 (not 29 Feb's 999 nor
    # 4 March's 888). Expected: Fri 110 + Sat 120 + Sun 130 = 360 (never measured against its own 400–600 days).
    # lift 1500 − 360 = 1140, lift_pct 1140 ÷ 360 = 19/6, incremental_roas 1140 ÷ 120 = 9.5.
    # After it, Mon 4 March … Mon 11 March: 40, 80, 95, 100, 110, 120, 130, 1000.
    history = [shop(n, revenue=WEEK[day(n).weekday()]) for n in range(-67, 0)]
    during = [
        shop(0, revenue=400.0, orders=8.0, buyers=7.0, visitors=300.0),
        shop(1, revenue=500.0, buyers=6.0, visitors=350.0),
        shop(2, revenue=600.0, orders=10.0, buyers=9.0, visitors=400.0),
    ]
    after = [
        shop(n, revenue=r)
        for n, r in zip(range(3, 11), (40.0, 80.0, 95.0, 100.0, 110.0, 120.0, 130.0, 1000.0), strict=True)
    ]
    load(store, "traffic", history + during + after, "sales")
    load(store, "ads", [ad(-1, 999.0), ad(0, 50.0), ad(1, 70.0), ad(3, 888.0)], "campaigns")

    two = lift(store, 0, 2, hangover_days=2)
    assert (two["date_from"], two["date_to"]) == (day(0), day(2))
    assert (two["revenue"], two["orders"], two["visitors"], two["spend"]) == (1500.0, 24.0, 1050.0, 120.0)
    assert two["expected_revenue"] == pytest.approx(360.0)
    assert two["lift"] == pytest.approx(1140.0)
    assert two["lift_pct"] == pytest.approx(19 / 6)
    assert two["incremental_roas"] == pytest.approx(9.5)
    # Two days after: Mon 40 + Tue 80 = 120 against Mon 70 + Tue 80 = 150: 30 pulled forward.
    assert two["revenue_after"] == 120.0
    assert two["expected_after"] == pytest.approx(150.0)
    assert two["hangover"] == pytest.approx(-30.0)

    # Seven days after by default (4–10 March, not 11 March's 1000): 40 + 80 + 95 + 100 + 110 + 120 + 130 = 675
    # against a whole week, 700.
    week = lift(store, 0, 2)
    assert (week["revenue_after"], week["expected_after"], week["hangover"]) == pytest.approx((675.0, 700.0, -25.0))
    assert week["lift"] == pytest.approx(1140.0)  # the hangover leaves the activity's own figures alone

    # No hangover asked: none measured.
    none = lift(store, 0, 2, hangover_days=0)
    assert (none["revenue_after"], none["expected_after"], none["hangover"]) == (None, None, None)
    assert none["lift"] == pytest.approx(1140.0)

    # One day, 1 March alone: expected Fri 110, lift 290, roas 290 ÷ 50 = 5.8. The day after, Sat 2 March: 500
    # against 120 (its history stops before 1 March too).
    one = lift(store, 0, 0, hangover_days=1)
    assert (one["revenue"], one["orders"], one["visitors"], one["spend"]) == (400.0, 8.0, 300.0, 50.0)
    assert (one["expected_revenue"], one["lift"], one["incremental_roas"]) == pytest.approx((110.0, 290.0, 5.8))
    assert (one["revenue_after"], one["expected_after"], one["hangover"]) == pytest.approx((500.0, 120.0, 380.0))


def test_the_activity_s_own_days_never_enter_its_history(store: Warehouse) -> None:
    # A flat 100 a day for 9 weeks, then a 3-day activity of 1000 a day and a day after of 100. Every day of
    # the activity and the day after is expected at 100: had 1 March's 1000 entered the history, 2 and 3
    # March's level would be (13 × 100 + 1000) ÷ 14 ≈ 164 (and more with 2 March's too).
    load(store, "traffic", [*flat_history(-63), *(shop(n, revenue=1000.0) for n in range(3)), shop(3, revenue=100.0)],
         "sales")  # fmt: skip
    found = lift(store, 0, 2, hangover_days=1)
    assert (found["revenue"], found["expected_revenue"], found["lift"]) == (3000.0, 300.0, 2700.0)
    assert found["lift_pct"] == 9.0
    assert (found["revenue_after"], found["expected_after"], found["hangover"]) == (100.0, 100.0, 0.0)
    # No ads at all: spend unknown, so no return on it.
    assert (found["spend"], found["incremental_roas"]) == (None, None)
    assert (found["orders"], found["visitors"]) == (None, None)  # the rows state neither


@pytest.mark.parametrize(
    ("history_days", "expected", "expected_after"),
    [
        # Day 0 (1 March) needs ratios on 23 Feb and 16 Feb: 13 days of history start on 17 Feb, so it has one
        # only; day 1 has two (24 Feb; 17 Feb, whose window 14–20 Feb holds 4 days with a value). One activity day
        # without enough history leaves the whole expected revenue unknown. The day after (3 March) has two too.
        (13, None, 100.0),
        # 11 days (from 19 Feb): no activity day and not the day after has a ratio two weeks back.
        (11, None, None),
        # 14 days (from 16 Feb): each day has two ratios, the level 100: expected 100 a day.
        (14, 200.0, 100.0),
    ],
)
def test_an_activity_day_without_enough_history_leaves_the_expected_revenue_unknown(
    store: Warehouse, history_days: int, expected: float | None, expected_after: float | None
) -> None:
    # A flat 100 a day for `history_days` days, then 1–2 March at 250 and 350 with 40 of spend, 3 March at 90.
    load(store, "traffic", [*flat_history(-history_days), shop(0, revenue=250.0), shop(1, revenue=350.0),
                            shop(2, revenue=90.0)], "sales")  # fmt: skip
    load(store, "ads", [ad(0, 40.0)], "campaigns")
    found = lift(store, 0, 1, hangover_days=1)
    assert (found["revenue"], found["spend"], found["revenue_after"]) == (600.0, 40.0, 90.0)
    assert (found["expected_revenue"], found["expected_after"]) == (expected, expected_after)
    if expected is None:  # no lift to measure, whatever was spent
        assert (found["lift"], found["lift_pct"], found["incremental_roas"]) == (None, None, None)
    else:  # 600 − 200 = 400, 400 ÷ 200 = 2, 400 ÷ 40 = 10
        assert (found["lift"], found["lift_pct"], found["incremental_roas"]) == (400.0, 2.0, 10.0)
    assert found["hangover"] == (None if expected_after is None else 90.0 - expected_after)


def test_an_activity_on_days_without_figures_is_unknown_not_zero(store: Warehouse) -> None:
    # A flat 100 a day for 9 weeks up to 29 Feb, then nothing from the sales report: the activity (1–2 March)
    # and the days after are not known, though the history expects 200 and 100. Its spend (30) is known.
    load(store, "traffic", flat_history(-63), "sales")
    load(store, "ads", [ad(0, 30.0)], "campaigns")
    found = lift(store, 0, 1, hangover_days=1)
    assert (found["revenue"], found["orders"], found["visitors"], found["spend"]) == (None, None, None, 30.0)
    assert (found["expected_revenue"], found["expected_after"]) == (200.0, 100.0)
    assert (found["lift"], found["lift_pct"], found["incremental_roas"]) == (None, None, None)
    assert (found["revenue_after"], found["hangover"]) == (None, None)


def test_zero_is_a_figure_and_no_spend_no_expected_revenue_give_no_ratio(store: Warehouse) -> None:
    # A flat 100 a day for 9 weeks up to 29 Feb. 1 March: revenue 100 (exactly as expected) with spend 0;
    # 2 March: revenue 100 with spend 20; 3 March: revenue 0, orders 0, visitors 0, spend 0.
    load(store, "traffic", [*flat_history(-63), shop(0, revenue=100.0), shop(1, revenue=100.0),
                            shop(2, revenue=0.0, orders=0.0, visitors=0.0)], "sales")  # fmt: skip
    load(store, "ads", [ad(0, 0.0), ad(1, 20.0), ad(2, 0.0)], "campaigns")
    as_expected = lift(store, 0, 0, hangover_days=0)
    # Spend 0 is known, and so is a lift of 0 (and its 0 %), but no return can be told on no money.
    assert (as_expected["spend"], as_expected["expected_revenue"], as_expected["lift"]) == (0.0, 100.0, 0.0)
    assert (as_expected["lift_pct"], as_expected["incremental_roas"]) == (0.0, None)
    paid_for = lift(store, 1, 1, hangover_days=0)
    assert (paid_for["spend"], paid_for["lift"], paid_for["incremental_roas"]) == (20.0, 0.0, 0.0)
    nothing_sold = lift(store, 2, 2, hangover_days=0)
    # Zero revenue, orders and visitors stated: 0, not unknown; the lift −100, −100 %.
    assert (nothing_sold["revenue"], nothing_sold["orders"], nothing_sold["visitors"]) == (0.0, 0.0, 0.0)
    assert (nothing_sold["spend"], nothing_sold["lift"], nothing_sold["lift_pct"]) == (0.0, -100.0, -1.0)
    assert nothing_sold["incremental_roas"] is None


def test_a_store_that_sold_nothing_for_two_weeks_expects_zero_and_has_no_lift_percentage(store: Warehouse) -> None:
    # 100 a day from 1 Jan (−60) to 15 Feb (−15), then 0 a day for the 14 days before 1 March. The level is 0;
    # the factor is still known: 1 March's Friday ratios are none 1 week back (23 Feb's window is all zeros),
    # 0 two weeks back (16 Feb: 0 ÷ (3 × 100 ÷ 7)) and 1 three to eight weeks back: 7 ratios, median 1.
    # Expected 0 × 1 = 0, known. The activity sells 50 with 10 of spend: lift 50, incremental_roas 5, and no
    # percentage of nothing.
    history = [shop(n, revenue=100.0 if n < -14 else 0.0) for n in range(-60, 0)]
    load(store, "traffic", [*history, shop(0, revenue=50.0)], "sales")
    load(store, "ads", [ad(0, 10.0)], "campaigns")
    found = lift(store, 0, 0, hangover_days=0)
    assert (found["revenue"], found["expected_revenue"], found["lift"]) == (50.0, 0.0, 50.0)
    assert (found["lift_pct"], found["incremental_roas"]) == (None, 5.0)


# Orders alone, no sales report. 1 Jan … 29 Feb: one paid order of 100 a day (the first on 1 Jan).
# 1 March: paid orders of 150 and 250; 2 March: one order of 80, never paid; 3 March: none; 4 March: a paid
# order of 60, the store's last.
ORDERS = [
    *(order(f"H{n}", n, 100.0) for n in range(-60, 0)),
    order("A1", 0, 150.0),
    order("A2", 0, 250.0),
    order("A3", 1, 80.0, paid=False),
    order("A4", 3, 60.0),
]


def test_a_store_with_orders_alone_counts_its_paid_orders_and_zero_between_its_first_and_last(
    store: Warehouse,
) -> None:
    load(store, "orders", ORDERS, "webshop-orders")
    # Ads on 31 Dec and 6 March, outside the orders' days: their days stay unknown, never zero.
    load(store, "ads", [ad(-61, 5.0), ad(5, 7.0)], "campaigns")
    found = lift(store, 0, 1, hangover_days=2)
    # 1–2 March: 150 + 250 + 0 (unpaid) = 400 from 2 paid orders; expected 100 + 100; lift 200, +100 %.
    assert (found["revenue"], found["orders"], found["visitors"], found["spend"]) == (400.0, 2.0, None, None)
    assert (found["expected_revenue"], found["lift"], found["lift_pct"]) == (200.0, 200.0, 1.0)
    assert found["incremental_roas"] is None  # no spend
    # 3 March, no order but inside the orders' days: 0; 4 March: 60 (the last order's day counts). Expected
    # 200 (3 March's history: every day a zero-free 100, 1–2 March left out).
    assert (found["revenue_after"], found["expected_after"], found["hangover"]) == (60.0, 200.0, -140.0)
    # The first order's day counts.
    first = lift(store, -60, -60, hangover_days=0)
    assert (first["revenue"], first["orders"]) == (100.0, 1.0)
    assert (first["expected_revenue"], first["lift"]) == (None, None)  # nothing before it
    # 3 March alone is a zero. Its history now holds 1 and 2 March (days before it), zeros counted: the last 14
    # days, 18 Feb … 2 March, are 12 × 100 + 400 + 0 = 1600, the level 1600 ÷ 14; the Sunday ratios are all 1.
    empty = lift(store, 2, 2, hangover_days=0)
    assert (empty["revenue"], empty["orders"]) == (0.0, 0.0)
    assert (empty["expected_revenue"], empty["lift"]) == pytest.approx((1600 / 14, -1600 / 14))
    # After the last order (5–6 March) and before the first (31 Dec): not known, though 6 March and 31 Dec
    # have spend.
    later = lift(store, 4, 5, hangover_days=0)
    assert (later["revenue"], later["orders"], later["spend"], later["lift"]) == (None, None, 7.0, None)
    # Expected from the days before 5 March: the last 14, 20 Feb … 4 March, are 10 × 100 + 400 + 0 + 0 + 60 =
    # 1460; each day's factor is 1 (of its 8 ratios only the one a week back is off 1: the median is 1).
    assert later["expected_revenue"] == pytest.approx(2 * 1460 / 14)
    earlier = lift(store, -61, -61, hangover_days=0)
    assert (earlier["revenue"], earlier["orders"], earlier["spend"]) == (None, None, 5.0)


def test_another_store_s_orders_neither_count_nor_stretch_this_store_s_days(store: Warehouse) -> None:
    # Store T, in the same warehouse, has orders on 31 Dec, 1 March (999) and 10 March: S's first and last
    # orders stay 1 Jan and 4 March, so S's 31 Dec and 5–6 March are still unknown, and 1 March still 400.
    load(store, "orders", ORDERS, "webshop-orders")
    theirs = [order("T1", -61, 999.0), order("T2", 0, 999.0), order("T3", 9, 999.0)]
    store.load(BatchInfo("T", "t", "t", 1, "webshop", "orders", "t", {}), rows("orders", theirs, "t"))
    ours = lift(store, 0, 0, hangover_days=0)
    assert (ours["revenue"], ours["orders"]) == (400.0, 2.0)
    for first, last in ((-61, -61), (4, 5)):
        found = lift(store, first, last, hangover_days=0)
        assert (found["revenue"], found["orders"]) == (None, None)


def test_a_sales_report_without_money_leaves_revenue_and_orders_to_the_order_export(store: Warehouse) -> None:
    # A sessions report (visitors only, no revenue) beside the orders: the revenue and orders are the orders'.
    load(store, "orders", ORDERS, "webshop-orders")
    load(store, "traffic", [shop(0, visitors=500.0), shop(1, visitors=300.0)], "sessions")
    found = lift(store, 0, 1, hangover_days=0)
    assert (found["revenue"], found["orders"], found["expected_revenue"], found["lift"]) == (400.0, 2.0, 200.0, 200.0)


def test_a_store_with_orders_and_a_sessions_report_keeps_its_visitors(store: Warehouse) -> None:
    # The docstring: visitors are summed over the activity's days; only revenue and orders fall back to the
    # order export. 500 + 300 visitors are in the store (the order-export route did not read them until 2026-12-06).
    load(store, "orders", ORDERS, "webshop-orders")
    load(store, "traffic", [shop(0, visitors=500.0), shop(1, visitors=300.0)], "sessions")
    assert lift(store, 0, 1, hangover_days=0)["visitors"] == 800.0
