"""Baseline behaviours no test checked until a mutation run (`make mutation MODULES=baseline`) changed them
unnoticed. Every expected value is worked out by hand from the method in baseline.py's docstring."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopdata.metrics.baseline import expected_arrays, expected_range, expected_ranges

START = pd.Timestamp("2024-01-01")


def flat(value: float, days: int) -> pd.Series:
    return pd.Series(value, index=pd.date_range(START, periods=days, freq="D"))


def test_a_flat_kpi_is_expected_at_its_value_from_the_first_judged_day() -> None:
    # Data from day 0: the oldest ratios' 7-day windows reach before it, where there is no value (not zeros):
    # every ratio is 1, the level 10, so day 14 (the first judged) expects 10, ± 10 % (MAD 0).
    out = expected_range(flat(10.0, 14), pd.DatetimeIndex([START + pd.Timedelta(days=14)]))
    assert list(out.index) == [START + pd.Timedelta(days=14)]
    assert out["enough"].dtype == bool and out["enough"].iloc[0]
    assert (out["expected"].iloc[0], out["low"].iloc[0], out["high"].iloc[0]) == (10.0, 9.0, 11.0)


def test_a_kpi_of_exactly_one_has_ratios_too() -> None:
    out = expected_range(flat(1.0, 28), pd.DatetimeIndex([START + pd.Timedelta(days=28)]))
    assert out["enough"].iloc[0] and out["expected"].iloc[0] == 1.0


def test_a_day_given_twice_counts_its_later_value() -> None:
    # Day 20 first says 1000, then (a corrected export) 10: the history is flat at 10.
    history = pd.concat([flat(10.0, 28), pd.Series([1000.0], index=[START + pd.Timedelta(days=20)])])
    history = pd.concat([history, pd.Series([10.0], index=[START + pd.Timedelta(days=20)])])
    out = expected_range(history, pd.DatetimeIndex([START + pd.Timedelta(days=28)]))
    assert out["expected"].iloc[0] == 10.0


def test_money_gets_no_poisson_floor_unless_it_is_a_count() -> None:
    # Flat at 4: MAD 0, so the half-width is 10 % of 4 = 0.4; as a count it is at least 3·√4 = 6 (low clipped
    # at 0). A count expected under one: 3·√0.25 = 1.5.
    history = pd.DataFrame({"revenue": flat(4.0, 28), "orders": flat(0.25, 28)})
    day = pd.DatetimeIndex([START + pd.Timedelta(days=28)])
    money = expected_ranges(history, day)
    assert (money["low"]["revenue"].iloc[0], money["high"]["revenue"].iloc[0]) == (3.6, 4.4)
    counted = expected_ranges(history, day, counts=True)
    assert (counted["low"]["revenue"].iloc[0], counted["high"]["revenue"].iloc[0]) == (0.0, 10.0)
    assert counted["high"]["orders"].iloc[0] == 1.75


def test_series_judged_side_by_side_each_get_their_own_poisson_floor() -> None:
    # The alerts judge every KPI of a dimension in one call, counts beside money: flat at 4 for 28 days, the
    # same series twice, the first a count. Day 28: expected 4; the count's half-width is 3·√4 = 6 (low clipped
    # at 0), the money's 10 % of 4 = 0.4 — a count's floor must not reach its neighbour, nor be lost beside it.
    values = np.full((29, 2), 4.0)
    values[28] = np.nan  # the judged day's own value is not read
    found = expected_arrays(values, np.array([28]), np.array([True, False]))
    assert found["expected"].tolist() == [[4.0, 4.0]]
    assert found["low"].tolist() == [[0.0, 3.6]]
    assert found["high"].tolist() == [[10.0, 4.4]]
    assert found["enough"].tolist() == [[True, True]]
    # The same series judged alone, as a count and not, give the same columns.
    alone = [expected_arrays(values[:, [0]], np.array([28]), counts)["high"][0, 0] for counts in (True, False)]
    assert alone == [10.0, 4.4]


def test_no_days_asked_gives_empty_frames_of_the_series() -> None:
    history = pd.DataFrame({"revenue": flat(4.0, 28), "orders": flat(1.0, 28)})
    found = expected_ranges(history, pd.DatetimeIndex([]))
    assert set(found) == {"expected", "low", "high", "enough"}
    for frame in found.values():
        assert frame.empty and isinstance(frame.index, pd.DatetimeIndex)
        assert list(frame.columns) == ["revenue", "orders"]
        assert all(dtype == np.float64 for dtype in frame.dtypes)
