"""Alerts judged on a small hand-made store (shopdata/metrics/alerts.py), every figure worked out by hand: the
cells a day is judged by, the alerts found and their order, `report alerts`' records, what an activity hides, the
period and the segments judged; then the rules the cells are built from, each on a few values (a segment's day,
each KPI's impact, a ratio and its volume line, a segment's alert repeating the store's, an activity's days).
Written from a mutation run (`make mutation MODULES=alerts`): the real-data and demo tests check what the alerts
find, but too loosely to notice most wrong figures, and each of their runs takes about a minute.

The store (`steady`): two traffic sources on one platform, the same figures every day for 60 days before the
judged day J (so every same-weekday ratio is 1: the weekday factor is 1, the MAD 0, and the expected value is
the two weeks' mean, i.e. the daily figure; the half-width of the range is 10% of it, or 3√expected for a count
when that is wider — shopdata/metrics/baseline.py):
    source A: 400 visitors, 40 buyers, revenue 4 000 a day; on J 360 visitors, 16 buyers, revenue 1 500;
    source B: 100 visitors, 10 buyers, revenue 500 every day (fewer than the 20 buyers a ratio needs).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from shopdata.metrics import alerts
from shopdata.metrics.query import Scope
from shopdata.store import Warehouse
from tests.unit.metrics.test_query import load

J = date(2024, 6, 3)
FIRST = J - timedelta(days=60)
ON_J = Scope("S", J, J, "USD")
BEFORE = {"A": (400.0, 40.0, 4000.0), "B": (100.0, 10.0, 500.0)}  # visitors, buyers, revenue
ON_DAY_J = {"A": (360.0, 16.0, 1500.0), "B": (100.0, 10.0, 500.0)}


def traffic_rows(changed: dict[date, dict[str, tuple[float, float, float]]]) -> list[dict]:
    out = []
    for k in range((J - FIRST).days + 1):
        day = FIRST + timedelta(days=k)
        figures = changed.get(day, BEFORE)
        for source, (visitors, buyers, revenue) in figures.items():
            out.append(
                dict(
                    platform="shopify",
                    grain="source",
                    currency="USD",
                    date=day,
                    end_date=day,
                    source_1=source,
                    source_level=1,
                    visitors=visitors,
                    buyers=buyers,
                    revenue=revenue,
                )
            )
    return out


@pytest.fixture
def steady(duck_store: Warehouse):
    load(duck_store, "traffic", traffic_rows({J: ON_DAY_J}), "sources")
    return duck_store.engine.ibis()


def records(frame: pd.DataFrame, columns: list[str]) -> dict[tuple, dict]:
    """Each row's `columns` by (metric, dimension, segment), NaN as None (so that two records compare)."""
    out = {}
    for row in frame.to_dict("records"):
        out[(row["metric"], row["dimension"], row["segment"])] = {
            c: None if isinstance(row[c], float) and math.isnan(row[c]) else row[c] for c in columns
        }
    return out


def cell(actual, expected, low, high, enough, impact) -> dict:
    return dict(actual=actual, expected=expected, low=low, high=high, enough=enough, impact=impact)


# The cells of day J, worked out by hand. R500 … R10: 3√expected, a count's Poisson half-width.
R500, R50, R40, R10 = 3 * math.sqrt(500), 3 * math.sqrt(50), 3 * math.sqrt(40), 3 * math.sqrt(10)
STORE = {  # A + B: 500 visitors, 50 buyers, 4 500 a day; on J 460, 26, 2 000
    # revenue: ±10% of 4 500; impact: the revenue's own change 2 000 − 4 500
    "revenue": cell(2000.0, 4500.0, 4050.0, 4950.0, True, -2500.0),
    # visitors: 3√500 = 67.08 > 50; impact (460 − 500) × 4 500 / 500 expected revenue per visitor = −360
    "visitors": cell(460.0, 500.0, 500 - R500, 500 + R500, True, -360.0),
    # buyers: 3√50 = 21.21 > 5; impact (26 − 50) × 4 500 / 50 = −24 × 90 = −2 160
    "buyers": cell(26.0, 50.0, 50 - R50, 50 + R50, True, -2160.0),
    # conversion 50 / 500 = 0.1 ± 0.01; on J 26 / 460; impact (26/460 − 0.1) × 460 visitors × 90 = (26 − 46) × 90
    "conversion_rate": cell(26 / 460, 0.1, 0.09, 0.11, True, -1800.0),
    # revenue per buyer 90 ± 9; on J 2 000 / 26 = 76.92; impact (2000/26 − 90) × 26 buyers = 2 000 − 2 340
    "aov": cell(2000 / 26, 90.0, 81.0, 99.0, True, -340.0),
}
SOURCE_A = {
    "revenue": cell(1500.0, 4000.0, 3600.0, 4400.0, True, -2500.0),
    # 3√400 = 60 > 40; impact (360 − 400) × 4 000 / 400 = −400
    "visitors": cell(360.0, 400.0, 340.0, 460.0, True, -400.0),
    # 3√40 = 18.97 > 4; impact (16 − 40) × 4 000 / 40 = −2 400
    "buyers": cell(16.0, 40.0, 40 - R40, 40 + R40, True, -2400.0),
    # judged on J although J's own 16 buyers are under 20: its expected 40 buyers reach the line.
    # impact (16/360 − 0.1) × 360 × 100 = (16 − 36) × 100
    "conversion_rate": cell(16 / 360, 0.1, 0.09, 0.11, True, -2000.0),
    # 1 500 / 16 = 93.75, inside 100 ± 10; impact (93.75 − 100) × 16 = −100
    "aov": cell(1500 / 16, 100.0, 90.0, 110.0, True, -100.0),
}
SOURCE_B = {
    "revenue": cell(500.0, 500.0, 450.0, 550.0, True, 0.0),
    "visitors": cell(100.0, 100.0, 70.0, 130.0, True, 0.0),  # 3√100 = 30 > 10
    "buyers": cell(10.0, 10.0, 10 - R10, 10 + R10, True, 0.0),  # 3√10 = 9.49 > 1
    # never 20 buyers: no day is history for its ratios, nothing expected, not judged
    "conversion_rate": cell(0.1, None, None, None, False, None),
    "aov": cell(50.0, None, None, None, False, None),
}
COLUMNS = ["actual", "expected", "low", "high", "enough", "impact"]


def test_a_day_is_judged_per_kpi_and_segment_against_its_steady_history(steady) -> None:
    found = alerts.judged_cells(steady, ON_J)
    assert set(found["date"]) == {J}
    expected = {}
    # The store's only platform has the store's figures; no product figures, no paid orders (the traffic
    # report's `orders` is not judged), no ads or order exports: nothing else.
    for dimension, segment, kpis in (
        ("store", "", STORE),
        ("platform", "shopify", STORE),
        ("source", "A", SOURCE_A),
        ("source", "B", SOURCE_B),
    ):
        expected.update({(m, dimension, segment): values for m, values in kpis.items()})
    got = records(found, COLUMNS)
    assert got.keys() == expected.keys()
    for key, values in expected.items():
        assert got[key] == pytest.approx(values, nan_ok=True), key
    assert len(found) == len(expected)
    assert list(found.columns) == list(alerts.CELL_COLUMNS)


def test_the_alerts_are_the_cells_out_of_range_largest_cost_first_without_the_platforms_repeat(steady) -> None:
    key = f"{J:%Y-%m-%d}|revenue|store|"
    found = alerts.detect_alerts(steady, ON_J, reviewed=frozenset({key}))
    assert list(found.columns) == list(alerts.ALERT_COLUMNS)
    # Out of range on J: the store's revenue, buyers, conversion and revenue per buyer, source A's revenue,
    # buyers and conversion (its visitors and revenue per buyer are inside). The platform's cells repeat the
    # store's: left out. Ranked by |impact|; the two −2 500 by key ("…|source|A" before "…|store|").
    assert [(r.metric, r.dimension, r.segment, r.direction, r.impact) for r in found.itertuples()] == [
        ("revenue", "source", "A", "down", pytest.approx(-2500.0)),
        ("revenue", "store", "", "down", pytest.approx(-2500.0)),
        ("buyers", "source", "A", "down", pytest.approx(-2400.0)),
        ("buyers", "store", "", "down", pytest.approx(-2160.0)),
        ("conversion_rate", "source", "A", "down", pytest.approx(-2000.0)),
        ("conversion_rate", "store", "", "down", pytest.approx(-1800.0)),
        ("aov", "store", "", "down", pytest.approx(-340.0)),
    ]
    assert found["key"].tolist() == [f"{J:%Y-%m-%d}|{r.metric}|{r.dimension}|{r.segment}" for r in found.itertuples()]
    assert found["reviewed"].tolist() == [False, True, False, False, False, False, False]
    assert set(found["date"]) == {J}
    revenue = found.iloc[1]
    assert (revenue["actual"], revenue["expected"], revenue["low"], revenue["high"]) == pytest.approx(
        (2000.0, 4500.0, 4050.0, 4950.0)
    )


def test_report_records_are_the_alerts_as_plain_values(steady) -> None:
    key = f"{J:%Y-%m-%d}|buyers|store|"
    found = alerts.report_records(steady, ON_J, None, reviewed=frozenset({key}))
    # The same seven alerts as above, in the same order; numbers as floats, the day as ISO text, no key.
    assert [(r["metric"], r["dimension"], r["segment"]) for r in found] == [
        ("revenue", "source", "A"),
        ("revenue", "store", ""),
        ("buyers", "source", "A"),
        ("buyers", "store", ""),
        ("conversion_rate", "source", "A"),
        ("conversion_rate", "store", ""),
        ("aov", "store", ""),
    ]
    assert found[3] == {
        "date": "2024-06-03",
        "metric": "buyers",
        "dimension": "store",
        "segment": "",
        "actual": 26.0,
        "expected": pytest.approx(50.0),
        "low": pytest.approx(50 - R50),
        "high": pytest.approx(50 + R50),
        "direction": "down",
        "impact": pytest.approx(-2160.0),
        "reviewed": True,
    }
    assert list(found[3]) == list(alerts.REPORT_FIELDS)
    assert [r["reviewed"] for r in found] == [False, False, False, True, False, False, False]
    assert all(type(r[k]) is float for r in found for k in ("actual", "expected", "low", "high", "impact"))
    assert (
        found[0]["direction"] == "down"
        and found[0]["actual"] == 1500.0
        and found[0]["expected"] == pytest.approx(4000.0)
    )


def test_an_activity_day_is_neither_judged_nor_any_later_days_history(duck_store: Warehouse) -> None:
    # A week before J source A had a festival: ten times its revenue, recorded as an activity on that day.
    festival = J - timedelta(days=7)
    load(
        duck_store,
        "traffic",
        traffic_rows({J: ON_DAY_J, festival: {"A": (400.0, 40.0, 40000.0), "B": BEFORE["B"]}}),
        "t",
    )
    backend = duck_store.engine.ibis()
    week = Scope("S", festival, J, "USD")
    cells = alerts.judged_cells(backend, week, ((festival, festival),))
    # The festival day has no cells; J is judged on the steady days only: A expected 4 000 (with the festival in
    # its history its two weeks' level would be (13 × 4 000 + 40 000) / 14 = 6 571).
    assert festival not in set(cells["date"])
    assert set(cells["date"]) == {festival + timedelta(days=k) for k in range(1, 8)}
    on_j = records(cells[cells["date"] == J], COLUMNS)
    assert on_j[("revenue", "source", "A")] == pytest.approx(SOURCE_A["revenue"])
    assert on_j[("revenue", "store", "")] == pytest.approx(STORE["revenue"])
    # Recorded as an activity on J itself, J is not judged at all.
    assert alerts.judged_cells(backend, ON_J, ((J, J),)).empty
    assert alerts.detect_alerts(backend, ON_J, ((J - timedelta(days=1), J),)).empty
    # Unrecorded, the festival is judged like any day: A's revenue 40 000 against 4 000 expected.
    plain = records(alerts.judged_cells(backend, Scope("S", festival, festival, "USD")), COLUMNS)
    assert plain[("revenue", "source", "A")] == pytest.approx(cell(40000.0, 4000.0, 3600.0, 4400.0, True, 36000.0))


def test_every_day_of_the_period_is_judged_per_segment_from_the_fifteenth_day_of_data(steady) -> None:
    # Data from J − 60 (FIRST). A day is judged with two same-weekday ratios before it, each a day's value over
    # its centred week (at least 4 days of data): the earliest ratio is FIRST's (its week FIRST − 3 … FIRST + 3
    # holds 4 days of data), so the first day with ratios 7 and 14 days before it is FIRST + 14 = J − 46; the
    # 14 days before it are counted as not judged. Every segment's and every day's own figures are in the cells.
    whole = Scope("S", FIRST, J, "USD")
    assert alerts.history_status(steady, whole) == (
        alerts.HistoryStatus("traffic", 61, 14, FIRST + timedelta(days=14)),
    )
    cells = alerts.judged_cells(steady, whole)
    assert set(cells["date"]) == {FIRST + timedelta(days=k) for k in range(61)}
    by_cell = {(r.date, r.metric, r.dimension, r.segment): r for r in cells.itertuples()}
    assert len(by_cell) == len(cells)  # one cell per day, KPI and segment
    for day in (J - timedelta(days=1), FIRST + timedelta(days=14)):
        for segment, (visitors, buyers, revenue) in BEFORE.items():
            for metric, value in (("visitors", visitors), ("buyers", buyers), ("revenue", revenue)):
                found = by_cell[(day, metric, "source", segment)]
                assert (found.actual, found.expected, found.enough) == (value, pytest.approx(value), True)
    for segment, (visitors, buyers, revenue) in ON_DAY_J.items():
        assert by_cell[(J, "revenue", "source", segment)].actual == revenue
        assert by_cell[(J, "visitors", "source", segment)].actual == visitors
        assert by_cell[(J, "buyers", "source", segment)].actual == buyers
    first = by_cell[(FIRST + timedelta(days=13), "revenue", "store", "")]
    assert (first.actual, first.enough) == (4500.0, False) and math.isnan(first.expected)
    # No start or no end given: the store's first or last day of data; no data: no period, no cells.
    assert alerts._period(steady, Scope("S", currency="USD"), "traffic") == (FIRST, J)
    assert alerts._period(steady, Scope("S", None, J - timedelta(days=1)), "traffic") == (FIRST, J - timedelta(days=1))
    assert alerts._period(steady, Scope("S", J - timedelta(days=1), None), "traffic") == (J - timedelta(days=1), J)
    assert alerts._period(steady, Scope("S", J, J), "ads") is None
    assert alerts._period(steady, Scope("nobody", J, J), "traffic") is None
    assert alerts.judged_cells(steady, Scope("nobody", J, J, "USD")).empty


def test_the_largest_segments_of_the_days_looked_at_are_judged(steady, duck_store: Warehouse, monkeypatch) -> None:
    # One segment per dimension: the largest by revenue over the days read for J (J − 59 … J) is A (4 000 a day
    # against B's 500). B's revenue the day before them (J − 60) and the day after J is huge, and counts for nothing.
    for day in (FIRST, J + timedelta(days=1)):
        load(
            duck_store,
            "traffic",
            [dict(traffic_rows({})[0], date=day, end_date=day, source_1="B", revenue=1e7)],
            f"b{day}",
        )
    monkeypatch.setattr(alerts, "MAX_SEGMENTS", 1)
    cells = alerts.judged_cells(steady, ON_J)
    assert set(cells["date"]) == {J}
    assert set(zip(cells["dimension"], cells["segment"], strict=True)) == {
        ("store", ""),
        ("platform", "shopify"),
        ("source", "A"),
    }
    assert records(cells[cells["dimension"] == "source"], COLUMNS) == {
        (m, "source", "A"): pytest.approx(values, nan_ok=True) for m, values in SOURCE_A.items()
    }


def test_a_ratio_is_judged_where_its_volume_reaches_the_line_and_it_has_a_history(duck_store: Warehouse) -> None:
    # Source C has exactly 20 buyers every day (200 visitors, revenue 2 000): the line itself, so its conversion
    # and revenue per buyer have a history and are judged. Source D's 30 buyers a day (revenue 3 000) came
    # without visitors until J (300): its revenue per buyer is judged, its conversion has no history — expected
    # 30 buyers reach the line, but there is nothing to expect the rate from. The day before J has no rows at
    # all: nothing is judged on it.
    steady = {"C": (200.0, 20.0, 2000.0), "D": (0.0, 30.0, 3000.0)}
    rows = [
        dict(r, visitors=300.0) if r["date"] == J and r["source_1"] == "D" else r
        for r in traffic_rows({})
        if r["source_1"] == "A" and r["date"] != J - timedelta(days=1)
    ]
    for r in rows:  # the same days, C's and D's figures in place of A's (B's are not used)
        r.update(source_1="C", visitors=steady["C"][0], buyers=steady["C"][1], revenue=steady["C"][2])
    others = [
        dict(r, source_1="D", visitors=300.0 if r["date"] == J else 0.0, buyers=30.0, revenue=3000.0) for r in rows
    ]
    load(duck_store, "traffic", rows + others, "cd")
    cells = alerts.judged_cells(duck_store.engine.ibis(), Scope("S", J - timedelta(days=1), J, "USD"))
    assert set(cells["date"]) == {J}
    got = records(cells, COLUMNS)
    # C: 20 / 200 = 0.1 ± 0.01 and 2 000 / 20 = 100 ± 10, as every day: no change, no money.
    assert got[("conversion_rate", "source", "C")] == pytest.approx(cell(0.1, 0.1, 0.09, 0.11, True, 0.0), abs=1e-9)
    assert got[("aov", "source", "C")] == pytest.approx(cell(100.0, 100.0, 90.0, 110.0, True, 0.0), abs=1e-9)
    # D: 3 000 / 30 = 100 ± 10 judged; 30 / 300 = 0.1 with no rate to expect: not judged.
    assert got[("aov", "source", "D")] == pytest.approx(cell(100.0, 100.0, 90.0, 110.0, True, 0.0), abs=1e-9)
    assert got[("conversion_rate", "source", "D")] == pytest.approx(
        cell(0.1, None, None, None, False, None), nan_ok=True
    )


# ---- the rules the judging is built from, each on a few hand-made values -----------------------------------

D0, D1, D2 = pd.Timestamp("2024-06-01"), pd.Timestamp("2024-06-02"), pd.Timestamp("2024-06-03")


def test_a_segments_day_is_the_sum_of_its_rows_zero_without_one_and_unknown_where_the_store_has_nothing() -> None:
    days = pd.DatetimeIndex([D0, D1, D2])
    raw = pd.DataFrame(
        [
            (D0, "x", 1.0),
            (D0, "x", 2.0),  # two rows of one day: 1 + 2
            (D0, "y", math.nan),  # a row without the figure counts nothing: 0
            (D1, "x", 5.0),
            (D1, "z", 7.0),  # a segment not among the largest: not placed
            (pd.Timestamp("2024-06-04"), "x", 9.0),  # a day not looked at: not placed
        ],
        columns=["date", "segment", "revenue"],
    )
    known = pd.DataFrame({"revenue": [3.0, 12.0]}, index=pd.DatetimeIndex([D0, D1]))  # the store: nothing on D2
    wide = alerts._wide(raw, ["revenue"], days, ["x", "y"], known)
    # x: 3 on D0, 5 on D1; y: 0 on D0 (its row had no figure) and on D1 (no row; the store has revenue);
    # D2: the store has no revenue, so neither segment's is known.
    expected = np.array([[3.0, 0.0], [5.0, 0.0], [math.nan, math.nan]])  # rows: days; columns: x, y
    np.testing.assert_array_equal(wide["revenue"], expected)
    assert list(wide) == ["revenue"]


def test_a_segment_whose_rows_lack_the_figure_on_a_day_the_store_lacks_it_is_unknown_not_zero() -> None:
    """A traffic export whose rows of a day carry no visitors: the store's visitors that day are unknown, and so
    is each source's — a source judged at 0 visitors would raise an alert the data cannot support. A source's own
    figure still counts on a day the store's total row lacks it (the by-source rows are another level)."""
    days = pd.DatetimeIndex([D0, D1])
    raw = pd.DataFrame(
        [(D0, "x", math.nan), (D0, "y", math.nan), (D1, "x", 4.0), (D1, "y", math.nan)],
        columns=["date", "segment", "visitors"],
    )
    known = pd.DataFrame({"visitors": [math.nan, math.nan]}, index=days)  # the store has no visitors either day
    wide = alerts._wide(raw, ["visitors"], days, ["x", "y"], known)
    # D0: no row has the figure -> both unknown; D1: x's row has 4, y's row has none -> unknown.
    expected = np.array([[math.nan, math.nan], [4.0, math.nan]])  # rows: days; columns: x, y
    np.testing.assert_array_equal(wide["visitors"], expected)


def frame(value: float) -> np.ndarray:
    return np.array([[value]])  # one day of one segment


def test_each_kpis_deviation_is_turned_into_money_by_its_own_rule() -> None:
    # A segment's day: expected 100 visitors, 10 buyers, revenue 1 000; actual 80, 6, 600. Ad figures: expected
    # 40 clicks, ad revenue 200; actual 2 000 impressions, 50 clicks, spend 30.
    actual = {
        "revenue": 600.0,
        "visitors": 80.0,
        "buyers": 6.0,
        "conversion_rate": 0.075,
        "aov": 90.0,
        "spend": 30.0,
        "clicks": 50.0,
        "impressions": 2000.0,
        "cpc": 0.6,
        "ctr": 0.025,
        "roas": 4.0,
        "order_revenue": 300.0,
        "paid_orders": 3.0,
        "order_count": 4.0,
        "order_refund": 15.0,
        "order_aov": 100.0,
    }
    expected = {
        "revenue": 1000.0,
        "visitors": 100.0,
        "buyers": 10.0,
        "conversion_rate": 0.1,
        "aov": 100.0,
        "spend": 20.0,
        "clicks": 40.0,
        "impressions": 1000.0,
        "cpc": 0.5,
        "ctr": 0.04,
        "roas": 5.0,
        "ad_revenue": 200.0,
        "order_revenue": 50.0,
        "paid_orders": 1.0,
        "order_count": 2.0,
        "order_refund": 5.0,
        "order_aov": 50.0,
    }
    worked_out = {
        "revenue": 600 - 1000,
        "visitors": (80 - 100) * 1000 / 100,  # × the expected revenue per visitor
        "buyers": (6 - 10) * 1000 / 10,  # × the expected revenue per buyer
        "conversion_rate": (0.075 - 0.1) * 80 * 1000 / 10,  # × the day's visitors × expected revenue per buyer
        "aov": (90 - 100) * 6,  # × the day's buyers
        "spend": -(30 - 20),  # a cost
        "cpc": -(0.6 - 0.5) * 50,  # × the day's clicks, a cost when up
        "ctr": (0.025 - 0.04) * 2000 * 200 / 40,  # × the day's impressions × expected ad revenue per click
        "roas": (4.0 - 5.0) * 30,  # × the day's spend
        "order_revenue": 300 - 50,
        "paid_orders": (3 - 1) * 50 / 1,  # × the expected revenue per paid order (one expected: 50 / 1)
        "order_count": (4 - 2) * 50 / 2,
        "order_refund": -(15 - 5),
        "order_aov": (100 - 50) * 3,  # × the day's paid orders
    }
    now = {k: frame(v) for k, v in actual.items()}
    before = {k: frame(v) for k, v in expected.items()}
    for metric, value in worked_out.items():
        assert alerts._impact(metric, now, before)[0, 0] == pytest.approx(value), metric
    # No expected visitors: no expected revenue per visitor, so the money of a visitors change is unknown.
    before["visitors"] = frame(0.0)
    assert math.isnan(alerts._impact("visitors", now, before)[0, 0])


def test_a_ratio_is_unknown_without_its_denominator_and_history_only_with_enough_volume() -> None:
    # Three days of one segment (rows: days).
    buyers = np.array([[20.0], [19.0], [3.0]])
    visitors = np.array([[200.0], [100.0], [0.0]])
    ratio = alerts._ratio_of("conversion_rate", {"buyers": buyers, "visitors": visitors})
    # 20 / 200, 19 / 100, and no visitors: unknown (not infinite)
    np.testing.assert_array_equal(ratio, np.array([[0.1], [0.19], [math.nan]]))
    one = alerts._ratio_of("aov", {"revenue": np.array([[70.0]]), "buyers": np.array([[1.0]])})
    assert one[0, 0] == 70.0  # one buyer: revenue per buyer is the revenue
    # As history, a conversion rate counts on days with at least 20 buyers: 20 is enough, 19 is not.
    history = alerts._with_volume("conversion_rate", ratio, {"buyers": buyers})
    np.testing.assert_array_equal(history, np.array([[0.1], [math.nan], [math.nan]]))
    # A KPI without a volume rule keeps every day.
    np.testing.assert_array_equal(alerts._with_volume("revenue", buyers, {"buyers": buyers}), buyers)


def test_a_segments_alert_repeating_the_stores_is_left_out_and_one_that_differs_at_all_is_kept() -> None:
    day, other_day = date(2024, 6, 3), date(2024, 6, 4)
    found = pd.DataFrame(
        [
            (day, "revenue", "store", "", 2000.0, 4000.0),
            (day, "revenue", "platform", "shopify", 2000.0, 4000.0),  # the store's only platform: a repeat
            (day, "revenue", "source", "A", 2000.01, 4000.0),  # a cent more
            (day, "revenue", "source", "B", 2000.0, 4000.01),  # a cent more expected
            (day, "revenue", "source", "C", 1999.5, 4000.0),  # 0.50 less
            (day, "buyers", "source", "A", 2000.0, 4000.0),  # another KPI
            (other_day, "revenue", "source", "A", 2000.0, 4000.0),  # another day (the store's is not an alert)
        ],
        columns=["date", "metric", "dimension", "segment", "actual", "expected"],
    )
    kept = alerts._without_repeats(found)
    assert kept.index.tolist() == [0, 2, 3, 4, 5, 6]
    pd.testing.assert_frame_equal(kept, found.drop(index=[1]))
    assert alerts._without_repeats(found.iloc[0:0]).empty


def test_an_activity_covers_every_day_from_its_first_to_its_last() -> None:
    found = alerts._activity_days(((date(2024, 6, 1), date(2024, 6, 3)), (date(2024, 6, 10), date(2024, 6, 10))))
    assert found == {pd.Timestamp(f"2024-06-{d:02d}") for d in (1, 2, 3, 10)}
    assert alerts._activity_days(()) == set()


# ---- written from the mutation run of the array helpers (_wide, _per, _ratio_of, _with_volume, _impact,
# _domain_cells) after their rewrite on numpy arrays ------------------------------------------------------------


def test_a_ratio_kpi_is_its_measures_ratio_times_the_catalogs_scale() -> None:
    # CPM is spend per thousand impressions (scale 1 000): 5 spent on 2 000 impressions is 5 / 2 000 × 1 000 = 2.5;
    # without impressions it is unknown.
    cpm = alerts._ratio_of("cpm", {"spend": np.array([[5.0], [3.0]]), "impressions": np.array([[2000.0], [0.0]])})
    np.testing.assert_array_equal(cpm, np.array([[2.5], [math.nan]]))


def test_a_segments_figures_are_read_as_numbers_from_an_untyped_column() -> None:
    # A column of objects (None for an empty cell): x's 2 + 3 on D0; y's empty cell counts nothing, so y has 0
    # (the store has revenue that day).
    days = pd.DatetimeIndex([D0])
    raw = pd.DataFrame({"date": [D0, D0, D0], "segment": ["x", "x", "y"]})
    raw["revenue"] = pd.Series([2.0, 3.0, None], dtype=object)
    known = pd.DataFrame({"revenue": [5.0]}, index=days)
    wide = alerts._wide(raw, ["revenue"], days, ["x", "y"], known)
    np.testing.assert_array_equal(wide["revenue"], np.array([[5.0, 0.0]]))


def test_a_table_without_data_or_without_figures_in_the_period_has_no_cells_but_their_columns(steady) -> None:
    no_ads = alerts._domain_cells(steady, ON_J, "ads", set())  # no ad report loaded: no period
    later = J + timedelta(days=5)  # traffic rows before it (its history) but none on it: no KPI to judge
    nothing_that_day = alerts._domain_cells(steady, Scope("S", later, later, "USD"), "traffic", set())
    for found in (no_ads, nothing_that_day):
        assert found.empty and list(found.columns) == list(alerts.CELL_COLUMNS)


def test_segments_of_equal_size_are_judged_in_the_order_of_their_names(duck_store: Warehouse, monkeypatch) -> None:
    # One day, 20 sources: every third one (s00, s03, … s18: seven) with revenue 100, the others 50. With ten
    # segments judged, the seven largest come first, then the first three of the equal ones by name: s01, s02, s04
    # (the same segments on every run, never a tie broken at random).
    revenue = {f"s{k:02d}": 100.0 if k % 3 == 0 else 50.0 for k in range(20)}
    day_rows = [
        dict(traffic_rows({})[0], date=J, end_date=J, source_1=s, visitors=10.0, buyers=1.0, revenue=r)
        for s, r in revenue.items()
    ]
    load(duck_store, "traffic", day_rows, "twenty")
    monkeypatch.setattr(alerts, "MAX_SEGMENTS", 10)
    cells = alerts.judged_cells(duck_store.engine.ibis(), ON_J)
    by_source = cells[(cells["dimension"] == "source") & (cells["metric"] == "revenue")]
    assert by_source["segment"].tolist() == [
        *("s00", "s03", "s06", "s09", "s12", "s15", "s18"),
        *("s01", "s02", "s04"),
    ]
    assert by_source["actual"].tolist() == [100.0] * 7 + [50.0] * 3


def test_an_impact_factor_can_be_a_kpis_expected_value(monkeypatch) -> None:
    # No KPI's rule uses one yet, but Impact allows ("expected", kpi): a rule "extra visitors × the expected
    # buyers" gives (80 − 100) × 10 = −200, not (80 − 100) × 6 with the day's own buyers.
    monkeypatch.setitem(alerts.IMPACT, "visitors", alerts.Impact(+1, (("expected", "buyers"),)))
    now = {"visitors": frame(80.0), "buyers": frame(6.0)}
    before = {"visitors": frame(100.0), "buyers": frame(10.0)}
    assert alerts._impact("visitors", now, before)[0, 0] == pytest.approx(-200.0)
