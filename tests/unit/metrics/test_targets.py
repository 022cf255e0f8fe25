"""Monthly targets (shopdata/metrics/targets.py) beyond the run-rate case in tests/unit/test_journal.py: which
targets a month holds and in what order, the months a period touches, the days counted, where the actual comes
from (traffic, or the order export without traffic) and in which currency. Every figure is worked out by hand
from the rows loaded here."""

from __future__ import annotations

from datetime import date

import pytest

from shopdata.accounts import User
from shopdata.journal import TARGET_METRICS, Journal
from shopdata.metrics.query import Scope
from shopdata.metrics.targets import (
    RECORD_FIELDS,
    elapsed_days,
    months_of,
    report_records,
    stored_targets,
    target_progress,
)
from shopdata.store import Warehouse
from tests.unit.metrics.test_orders_mutants import placed
from tests.unit.metrics.test_query import load
from tests.unit.metrics.test_query_mutants import load as load_in

OWNER = User("olga", "owner")


@pytest.fixture
def journal(store: Warehouse) -> Journal:
    store.ensure_store("S")
    store.ensure_store("Other")
    return Journal(store)


def test_months_a_period_touches_in_order_across_a_year_end() -> None:
    assert months_of(date(2024, 11, 15), date(2025, 2, 3)) == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert months_of(date(2024, 12, 31), date(2025, 1, 1)) == ["2024-12", "2025-01"]
    assert months_of(date(2024, 3, 5), date(2024, 3, 9)) == ["2024-03"]
    assert months_of(date(2024, 3, 5), date(2024, 2, 9)) == []


@pytest.mark.parametrize(
    "month, today, expected",
    [
        ("2024-02", date(2024, 1, 31), (0, 29)),  # before the month: nothing counted yet
        ("2024-02", date(2024, 2, 1), (1, 29)),  # its first day counts
        ("2024-02", date(2024, 2, 29), (29, 29)),  # a leap February
        ("2023-02", date(2023, 2, 10), (10, 28)),
        ("2024-02", date(2024, 3, 10), (29, 29)),  # after the month: all of it, never more
        ("2024-12", date(2025, 1, 1), (31, 31)),
    ],
)
def test_days_counted_so_far_and_days_in_the_month(month: str, today: date, expected: tuple[int, int]) -> None:
    assert elapsed_days(month, today) == expected


def test_a_month_s_targets_are_its_store_s_only_in_the_fixed_metric_order(journal: Journal) -> None:
    # Set in the reverse of TARGET_METRICS' order; other stores' and months' targets beside them.
    for metric, value in (("roas", 3.0), ("spend", 500.0), ("visitors", 9000.0), ("orders", 80.0), ("revenue", 1e4)):
        journal.set_target(OWNER, "S", "2024-03", metric, value, currency="CNY")
    journal.set_target(OWNER, "Other", "2024-03", "orders", 7.0)
    journal.set_target(OWNER, "S", "2024-04", "orders", 8.0)
    backend = journal.engine.ibis()
    found = stored_targets(backend, "S", "2024-03")
    assert [t["metric"] for t in found] == list(TARGET_METRICS) == ["revenue", "orders", "visitors", "spend", "roas"]
    assert [t["value"] for t in found] == [1e4, 80.0, 9000.0, 500.0, 3.0]
    assert {(t["store"], t["month"]) for t in found} == {("S", "2024-03")}
    assert [t["value"] for t in stored_targets(backend, "Other", "2024-03")] == [7.0]
    assert stored_targets(backend, "S", "2024-05") == []


# Paid: 2 March 30, 5 March 70, 20 March 900 (after "today"); 6 March placed, never paid.
SOLD = [("A", 2, 30.0, True), ("B", 5, 70.0, True), ("C", 6, 40.0, False), ("D", 20, 900.0, True)]


def test_a_store_with_orders_and_no_traffic_counts_its_order_export(journal: Journal) -> None:
    orders = [placed(i, d, 10, amount, "b", paid=p, currency="USD") for i, d, amount, p in SOLD]
    load(journal.warehouse, "orders", orders, "shopify-orders")
    journal.set_target(OWNER, "S", "2024-03", "revenue", 1000.0, currency="USD")
    journal.set_target(OWNER, "S", "2024-03", "orders", 10.0)
    journal.set_target(OWNER, "S", "2024-03", "visitors", 600.0)
    records = {r["metric"]: r for r in target_progress(journal.engine.ibis(), "S", "2024-03", date(2024, 3, 10), None)}
    # 10 of 31 days: paid revenue 30 + 70, 2 paid orders; no traffic export, so no visitors (not 0).
    assert records["revenue"]["actual"] == pytest.approx(100.0)
    assert records["revenue"]["projected"] == pytest.approx(100.0 * 31 / 10)
    assert records["revenue"]["projected_pct"] == pytest.approx(310.0 / 1000.0)
    assert records["orders"]["actual"] == pytest.approx(2.0)
    assert records["orders"]["pace"] == pytest.approx(10.0 * 10 / 31)
    assert (records["visitors"]["actual"], records["visitors"]["projected"]) == (None, None)
    assert records["visitors"]["projected_pct"] is None
    assert records["visitors"]["pace"] == pytest.approx(600.0 * 10 / 31)
    assert all(list(r) == list(RECORD_FIELDS) and r["month"] == "2024-03" for r in records.values())


def shop_traffic(platform: str, day: date, visitors: float, revenue: float, currency: str) -> dict:
    return {
        "platform": platform,
        "grain": "shop",
        "date": day,
        "end_date": day,
        "visitors": visitors,
        "revenue": revenue,
        "currency": currency,
    }


def test_a_money_target_is_measured_in_its_own_currency_the_others_in_the_page_s(journal: Journal) -> None:
    # 1–4 March: Tmall 100 visitors and 1 000 CNY a day; Shopify 10 visitors and 50 USD a day. With traffic the
    # order export is not read: its 5 000 USD order must not count.
    days = [date(2024, 3, d) for d in range(1, 5)]
    load(journal.warehouse, "traffic", [shop_traffic("tmall", d, 100.0, 1000.0, "CNY") for d in days], "tmall")
    load(journal.warehouse, "traffic", [shop_traffic("shopify", d, 10.0, 50.0, "USD") for d in days], "shopify")
    load(journal.warehouse, "orders", [placed("X", 2, 10, 5000.0, "b", currency="USD")], "shopify-orders")
    # Another store's traffic on the same days, in both currencies: never this store's.
    other = [shop_traffic(p, d, 7000.0, 7000.0, c) for d in days for p, c in (("tmall", "CNY"), ("shopify", "USD"))]
    load_in(journal.warehouse, "Other", other, "o", kind="traffic")
    journal.set_target(OWNER, "S", "2024-03", "revenue", 3000.0, currency="USD")
    journal.set_target(OWNER, "S", "2024-03", "visitors", 3000.0)
    backend = journal.engine.ibis()
    records = {r["metric"]: r for r in target_progress(backend, "S", "2024-03", date(2024, 3, 3), "CNY")}
    assert records["revenue"]["actual"] == pytest.approx(150.0)  # 3 days × 50 USD, whatever the page's currency
    assert records["visitors"]["actual"] == pytest.approx(300.0)  # 3 days of the CNY platform's visitors
    in_usd = {r["metric"]: r for r in target_progress(backend, "S", "2024-03", date(2024, 3, 3), "USD")}
    assert in_usd["visitors"]["actual"] == pytest.approx(30.0)


def test_the_report_measures_each_month_the_period_touches_through_the_period_s_last_day(journal: Journal) -> None:
    days = [date(2024, 3, d) for d in range(25, 32)] + [date(2024, 4, d) for d in range(1, 16)]
    load(journal.warehouse, "traffic", [shop_traffic("tmall", d, 100.0, 1000.0, "CNY") for d in days], "tmall")
    # A USD shop's visitors beside them: the report asks in CNY, so they are not counted.
    load(journal.warehouse, "traffic", [shop_traffic("shopify", d, 10.0, 50.0, "USD") for d in days], "shopify")
    journal.set_target(OWNER, "S", "2024-03", "visitors", 2000.0)
    journal.set_target(OWNER, "S", "2024-04", "visitors", 4000.0)
    journal.set_target(OWNER, "S", "2024-05", "visitors", 9000.0)  # a month the period does not touch
    backend = journal.engine.ibis()
    records = report_records(backend, Scope("S", date(2024, 3, 28), date(2024, 4, 10), "CNY"), None)
    # March is over by 10 April: its 7 loaded days in full (25–31), not only those in the period; April 1–10.
    assert [(r["month"], r["target"], r["actual"]) for r in records] == [
        ("2024-03", 2000.0, pytest.approx(700.0)),
        ("2024-04", 4000.0, pytest.approx(1000.0)),
    ]
    assert records[1]["projected"] == pytest.approx(1000.0 * 30 / 10)
    for incomplete in (
        Scope(None, date(2024, 3, 1), date(2024, 4, 10), "CNY"),
        Scope("S", None, date(2024, 4, 10), "CNY"),
        Scope("S", date(2024, 3, 1), None, "CNY"),
    ):
        assert report_records(backend, incomplete, None) == []
