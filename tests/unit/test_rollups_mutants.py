"""Tests written from the mutation run of shopdata/rollups.py (README, "Mutation score"): the import-time check
that keeps the rollup tables in step with the measures and the base tables, and which rollup answers a
breakdown. Each case is one way the check must refuse (with its exact message) or accept."""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from shopdata import rollups
from shopdata.schema import ROLLUP_TABLES, TABLES
from tests.unit.test_rollups import D0, MAKERS, assert_rollups_are_their_base_rows, changed, load, log_records


def test_the_warehouses_schema_passes_the_check() -> None:
    # It runs at import, where a mutation run's forked tests never see it: called here, as a test.
    rollups._check_tables()


def test_a_rollup_whose_table_lacks_a_breakdown_column_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    wider = rollups.MeasureRollup("rollup_traffic_daily", "traffic", ("product_id",))
    monkeypatch.setattr(rollups, "MEASURE_ROLLUPS", (wider,))
    names = ROLLUP_TABLES["rollup_traffic_daily"].column_names
    keys = ["store", "platform", "date", "end_date", "grain", "source_level", "currency"]
    measures = list(rollups.measures_of("traffic"))
    expected = [*keys, "has_money", "product_id", "row_count", *measures]
    with pytest.raises(ValueError) as refused:
        rollups._check_tables()
    assert str(refused.value) == f"rollup_traffic_daily: columns {names}, expected {expected}"


def test_a_rollup_grouping_by_a_column_its_base_table_lacks_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # The rollup table has the column (so the order check passes); the base rows do not.
    shelf = rollups.MeasureRollup("rollup_ads_shelf", "ads", ("shelf",))
    columns = [*rollups.ROLLUP_KEYS["ads"], "has_money", "shelf", "row_count", *rollups.measures_of("ads")]
    monkeypatch.setattr(rollups, "MEASURE_ROLLUPS", (shelf,))
    monkeypatch.setattr(rollups, "ROLLUP_TABLES", {"rollup_ads_shelf": SimpleNamespace(column_names=columns)})
    with pytest.raises(ValueError) as refused:
        rollups._check_tables()
    assert str(refused.value) == "rollup_ads_shelf: ['shelf'] are not columns of ads"


@pytest.mark.parametrize(
    "natural_key",
    [
        ("campaign", "keyword"),  # neither day column
        ("date",),  # the first day only: a report of a week replaced by one ending elsewhere
    ],
    ids=["no-day", "first-day-only"],
)
def test_a_base_table_whose_natural_key_lacks_its_days_is_refused(
    monkeypatch: pytest.MonkeyPatch, natural_key: tuple[str, ...]
) -> None:
    """A replaced row could then lie on days the load does not refresh: its rollups would keep the old sums."""
    ads = dataclasses.replace(TABLES["ads"], natural_key=natural_key)
    monkeypatch.setattr(rollups, "MEASURE_ROLLUPS", tuple(r for r in rollups.MEASURE_ROLLUPS if r.domain == "ads"))
    monkeypatch.setattr(rollups, "TABLES", {**TABLES, "ads": ads})
    with pytest.raises(ValueError) as refused:
        rollups._check_tables()
    assert str(refused.value) == "ads: a replaced row could lie on a day the load does not refresh"


def test_a_natural_key_of_exactly_its_days_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The days need only be among the key's columns: a key of nothing but the days (first and last) is enough."""
    ads = dataclasses.replace(TABLES["ads"], natural_key=("date", "end_date"))
    monkeypatch.setattr(rollups, "TABLES", {**TABLES, "ads": ads})
    rollups._check_tables()


def test_a_breakdown_by_every_column_of_a_rollup_reads_that_rollup() -> None:
    for rollup in rollups.MEASURE_ROLLUPS:
        assert rollups.covering(rollup.domain, rollup.keys) == rollup
    daily, breakdown = (r for r in rollups.MEASURE_ROLLUPS if r.domain == "traffic")
    assert rollups.covering("traffic", ["date"]) == daily
    assert rollups.covering("traffic", ["source_1", "date"]) == breakdown
    assert rollups.covering("traffic", ["device"]) is None
    assert rollups.covering("events", []) is None


def test_deleting_an_upload_whose_rows_a_later_one_replaced_leaves_the_rollups_their_rows(store) -> None:
    """Such an upload has no rows left, so no days: the refresh of its deletion is one of no days (and of the
    rows without a day), on every rolled-up table, the event months included."""
    rng = random.Random(21)
    emptied = {}
    for kind, maker in MAKERS.items():
        first = [maker(rng, n, "S") for n in range(12)]
        emptied[kind] = load(store, "S", kind, first, f"{kind}-first")
        load(store, "S", kind, [changed(rng, r, kind) for r in first], f"{kind}-again")
    for kind, batch_id in emptied.items():
        assert rollups.batch_days(store.engine, kind, batch_id) == (None, None)
        store.delete_batch(batch_id)
        assert_rollups_are_their_base_rows(store.engine)
    assert store.engine.execute("SELECT count(*) FROM traffic").one()[0] == 12


def test_a_weekly_export_reaches_the_rollups(store) -> None:
    """A weekly report's rows each cover a week (date … end_date): the load refreshes the days its rows start on,
    not the days they end on, or a week would be missing from the rollups (and from every page)."""
    week = {"platform": "tmall", "date": D0, "end_date": D0 + timedelta(days=6), "grain": "shop", "currency": "CNY"}
    load(store, "S", "traffic", [{**week, "nk": "w1", "visitors": 700.0, "revenue": 3500.0}], "traffic-weekly")
    load(store, "S", "ads", [{**week, "nk": "a1", "grain": "campaign", "campaign": "c1", "spend": 80.0}], "ads-weekly")
    load(store, "S", "events", log_records([("u1", "view", datetime(2024, 5, 3, 10))]), "events")
    assert_rollups_are_their_base_rows(store.engine)
    stored = store.engine.execute("SELECT date, end_date, visitors, revenue FROM rollup_traffic_daily").rows
    assert [tuple(r) for r in stored] == [(D0, D0 + timedelta(days=6), 700.0, 3500.0)]
    spent = store.engine.execute("SELECT date, spend FROM rollup_ads_daily").rows
    assert [tuple(r) for r in spent] == [(D0, 80.0)]
