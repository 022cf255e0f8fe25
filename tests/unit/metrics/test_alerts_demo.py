"""Alerts on the demo store (sample_data/): its planted search-traffic drop is the top alert, and the other cells of
its last 30 days outside the recorded campaign stay under a stated false-alert budget.

Measured on the last 30 days (2026-10-24 … 11-22; the campaign 10-20 … 11-12 judged by its lift, not as alerts),
the 10 days after the campaign without the drop day: 72 alerts in 684 judged day × KPI × segment cells (10.5%);
the same-weekday median baseline gave 78 in 702 (11.1%). Most are the ten largest products' and the campaigns'
noisy days and the week after the campaign (its hangover: the level is still the two weeks before it). The
budget held here is 12%.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from shopdata.demo import DEMO_STORE, load_demo
from shopdata.generation import data_generation
from shopdata.journal import Journal
from shopdata.metrics import cache
from shopdata.metrics.alerts import detect_alerts, explain_alert, judged_cells
from shopdata.metrics.cache import Source
from shopdata.metrics.query import Scope, data_range
from shopdata.store import open_warehouse

DROP_DAY = date(2026, 11, 18)  # sample_data/README.md: 手淘搜索 falls after 竞品B's price cut on 11-17
FALSE_ALERT_BUDGET = 0.12  # measured 10.5%: see the module docstring


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    warehouse = open_warehouse(str(tmp_path_factory.mktemp("alerts_demo") / "demo.duckdb"))
    with warehouse.engine:
        load_demo(warehouse)
        yield warehouse


def last_30_days(demo) -> tuple[object, Scope, tuple]:
    """The demo store's backend, its last 30 days and the activities recorded in them."""
    backend = demo.engine.ibis()
    _, last = data_range(backend, DEMO_STORE, ("traffic",))
    assert last is not None
    start = last - timedelta(days=29)
    activities, _ = Journal(demo).alert_context(DEMO_STORE, start, last)
    return backend, Scope(DEMO_STORE, start, last, "CNY"), activities


def test_the_demo_drop_is_the_top_alert_and_the_other_days_stay_under_the_budget(demo) -> None:
    backend = demo.engine.ibis()
    _, last = data_range(backend, DEMO_STORE, ("traffic",))
    assert last is not None
    start = last - timedelta(days=29)
    activities, _ = Journal(demo).alert_context(DEMO_STORE, start, last)
    assert activities, "the demo records its campaign"
    scope = Scope(DEMO_STORE, start, last, "CNY")
    found = detect_alerts(backend, scope, activities)
    top = found.iloc[0]
    assert (top["date"], top["metric"], top["dimension"], top["direction"]) == (DROP_DAY, "revenue", "store", "down")

    inside = {day.date() for first, end in activities for day in pd.date_range(first, end)}
    cells = judged_cells(backend, scope, activities)
    clean = cells[cells["enough"] & ~cells["date"].isin(inside | {DROP_DAY})]
    false_alerts = found[~found["date"].isin(inside | {DROP_DAY})]
    assert not found["date"].isin(inside).any()
    assert len(clean) > 500  # ten days × ~70 KPI × segment cells
    assert len(false_alerts) / len(clean) <= FALSE_ALERT_BUDGET, (len(false_alerts), len(clean))


def test_a_day_judged_inside_its_period_has_the_cells_it_has_judged_alone(demo) -> None:
    """explain_alert reads an alert's day from the period's cells (already computed for the page) instead of
    judging the day alone: the same values, since a day's expected range reads only the days before it. Checked
    here against the day judged alone, for every day of the demo's last 30 and every cell of the store and of
    its sources (fewer than the segments kept, so the same segments either way)."""
    backend = demo.engine.ibis()
    _, last = data_range(backend, DEMO_STORE, ("traffic",))
    assert last is not None
    start = last - timedelta(days=29)
    activities, _ = Journal(demo).alert_context(DEMO_STORE, start, last)
    period = judged_cells(backend, Scope(DEMO_STORE, start, last, "CNY"), activities)
    columns = ["metric", "dimension", "segment", "actual", "expected", "low", "high", "enough", "impact"]
    compared = 0
    for day in pd.date_range(start, last).date:
        alone = judged_cells(backend, Scope(DEMO_STORE, day, day, "CNY"), activities)
        for found in (period[period["date"] == day], alone):
            assert found["date"].eq(day).all()
        keep = ["store", "source"]
        inside = period[(period["date"] == day) & period["dimension"].isin(keep)][columns]
        alone = alone[alone["dimension"].isin(keep)][columns]
        key = ["metric", "dimension", "segment"]
        pd.testing.assert_frame_equal(
            inside.sort_values(key).reset_index(drop=True),
            alone.sort_values(key).reset_index(drop=True),
            check_dtype=False,
        )
        compared += len(alone)
    assert compared > 300  # 30 days × the store's and its sources' KPIs (activity days are not judged)


def test_explanations_read_through_the_page_cache_are_each_their_own_days(demo) -> None:
    """A page explains its largest alerts through the results cache, which keeps an alert day's cells and the
    price drops before it for the other alerts of that day: two alerts of one day and two of other days, read
    in turn, are each explained as without any cache."""
    backend, scope, activities = last_30_days(demo)
    found = detect_alerts(backend, scope, activities).to_dict("records")
    by_day: dict[date, list[dict]] = {}
    for row in found:  # largest first
        by_day.setdefault(row["date"], []).append(row)
    shared = next(day for day, its in by_day.items() if len(its) > 1)
    others = [its[0] for day, its in by_day.items() if day != shared][:2]
    rows = [by_day[shared][0], others[0], by_day[shared][1], others[1]]  # a day read again after another day
    assert len({row["date"] for row in rows}) == 3 and len(rows) == 4
    page = Source(demo.engine, data_generation(demo.engine))
    cache.RESULTS.clear()
    try:
        in_turn = [explain_alert(page, scope, row, activities) for row in rows]  # one cache, as a page reads them
        for row, through_cache in zip(rows, in_turn, strict=True):
            cache.RESULTS.clear()  # nothing kept from another alert
            alone = explain_alert(page, scope, row, activities)
            assert through_cache.drivers == alone.drivers, row
            for part in ("segments", "price_drops", "spend_changes"):
                pd.testing.assert_frame_equal(getattr(through_cache, part), getattr(alone, part))
        assert any(len(found.price_drops) for found in in_turn)
        assert in_turn[0].drivers != in_turn[1].drivers  # two days, two explanations
    finally:
        cache.RESULTS.clear()


def test_one_tables_alerts_are_that_tables_rows_of_all_alerts(demo) -> None:
    """The promotion page judges only the ad report's KPIs (alerts.judged_cells / detect_alerts with `domains`):
    the same cells and alerts, in the same order, as judging every table and keeping the ad KPIs' rows. Through a
    page's results cache, the overview judging every table afterwards reuses the ad table's cells."""
    from shopdata.metrics import alerts

    backend, scope, activities = last_30_days(demo)
    ad_kpis = ["spend", "roas", "cpc", "ctr"]  # the ad report's KPIs the alerts judge (module docstring)
    every_cell = judged_cells(backend, scope, activities)
    every_alert = detect_alerts(backend, scope, activities)
    ad_cells = judged_cells(backend, scope, activities, ("ads",))
    ad_alerts = detect_alerts(backend, scope, activities, frozenset(), ("ads",))
    assert set(ad_cells["metric"]) == set(ad_kpis) and len(ad_alerts) > 0
    pd.testing.assert_frame_equal(
        ad_cells.reset_index(drop=True), every_cell[every_cell["metric"].isin(ad_kpis)].reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(
        ad_alerts.reset_index(drop=True), every_alert[every_alert["metric"].isin(ad_kpis)].reset_index(drop=True)
    )

    judged: list[str] = []
    real = alerts._domain_cells

    def counted(backend, scope, domain, masked):
        judged.append(domain)
        return real(backend, scope, domain, masked)

    page = Source(demo.engine, data_generation(demo.engine))
    cache.RESULTS.clear()
    alerts._domain_cells = counted
    try:
        judged_cells(page, scope, activities, ("ads",))
        assert judged == ["ads"]
        judged_cells(page, scope, activities)
        assert judged == ["ads", "traffic", "orders"]  # the ad table's cells read from the cache
    finally:
        alerts._domain_cells = real
        cache.RESULTS.clear()
