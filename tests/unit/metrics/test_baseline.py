"""The ratio-to-moving-average baseline (weekday factor × level), worked out by hand."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from shopdata.metrics.baseline import _nanmedian, expected_range

JUDGED = pd.Timestamp("2024-03-06")  # a Wednesday


def days_before(day: pd.Timestamp, first: int) -> pd.DatetimeIndex:
    """day − first … day − 1."""
    return pd.date_range(day - pd.Timedelta(days=first), day - pd.Timedelta(days=1), freq="D")


def weekly(day: pd.Timestamp, first: int, wednesdays: dict[int, float], other: float) -> pd.Series:
    """`other` on every day of day − first … day − 1, the Wednesday `day − 7·w` at wednesdays[w]."""
    series = pd.Series(other, index=days_before(day, first))
    for weeks, value in wednesdays.items():
        series[day - pd.Timedelta(days=7 * weeks)] = value
    return series


def test_a_store_that_doubled_is_expected_at_its_new_level() -> None:
    # 59 days before the judged Wednesday: 100 a day and 200 on Wednesdays, doubled for the last 14 days (200, and
    # 400 on the Wednesdays D − 14 and D − 7).
    history = weekly(JUDGED, 59, {w: 200.0 for w in range(3, 9)} | {1: 400.0, 2: 400.0}, 100.0)
    history[(history.index >= JUDGED - pd.Timedelta(days=14)) & (history.index.day_of_week != 2)] = 200.0
    found = expected_range(history, pd.DatetimeIndex([JUDGED])).iloc[0]
    # A Wednesday in an undoubled week: its centred 7 days sum 6 × 100 + 200 = 800 → ratio 200 ÷ (800 / 7) = 1.75;
    # D − 7 (all 7 days doubled) also 1.75; D − 14: D − 17 … D − 15 at 100, D − 14 at 400, D − 13 … D − 11 at 200
    # → 300 + 400 + 600 = 1300 → 400 × 7 / 1300 = 2.1538. Median of seven 1.75 and one 2.1538: 1.75; MAD 0.
    # Level: the 14 days before, 12 × 200 + 2 × 400 = 3200 → 3200 / 14. Expected 1.75 × 3200 / 14 = 400; MAD 0 →
    # ±10%. (The median of the same weekdays, 200, was half the new level: the old baseline alerted here.)
    assert found["expected"] == pytest.approx(1.75 * 3200 / 14)
    assert found["expected"] == pytest.approx(400.0)
    assert (found["low"], found["high"]) == pytest.approx((360.0, 440.0))
    assert bool(found["enough"])


def test_the_median_of_the_ratios_ignores_a_spike_and_their_mad_sets_the_width() -> None:
    # Every other day 100; the Wednesdays D − 56 … D − 7: 1000 (a spike), 50, 200, 100, 50, 200, 100, 100.
    values = {8: 1000.0, 7: 50.0, 6: 200.0, 5: 100.0, 4: 50.0, 3: 200.0, 2: 100.0, 1: 100.0}
    found = expected_range(weekly(JUDGED, 59, values, 100.0), pd.DatetimeIndex([JUDGED])).iloc[0]
    # ratio of a Wednesday w = w ÷ ((600 + w) / 7): 1000 → 7000/1600 = 4.375, 50 → 350/650 = 7/13, 200 → 1.75,
    # 100 → 1. Sorted: 7/13, 7/13, 1, 1, 1, 1.75, 1.75, 4.375 → median 1; |r − 1| sorted: 0, 0, 0, 6/13, 6/13,
    # 0.75, 0.75, 3.375 → MAD 6/13. Level: the last 14 days are all 100 (both Wednesdays 100) → 100.
    # Expected 1 × 100; σ = 1.4826 × 6/13 × 100; half 3σ = 205.3 → low clipped at 0.
    sigma = 1.4826 * 6 / 13 * 100
    assert found["expected"] == pytest.approx(100.0)
    assert found["low"] == pytest.approx(0.0)
    assert found["high"] == pytest.approx(100 + 3 * sigma)


def test_a_flat_history_gets_the_minimum_width_and_counts_their_poisson_width() -> None:
    day = pd.DatetimeIndex([JUDGED])
    money = expected_range(pd.Series(400.0, index=days_before(JUDGED, 21)), day).iloc[0]
    assert (money["low"], money["high"]) == pytest.approx((360.0, 440.0))  # ratios all 1, MAD 0 → ±10% of 400
    visits = expected_range(pd.Series(25.0, index=days_before(JUDGED, 21)), day, counts=True).iloc[0]
    # 25 visitors: 10% is 2.5, Poisson 3 × √25 = 15 → 10 … 40
    assert (visits["low"], visits["high"]) == pytest.approx((10.0, 40.0))


def test_the_fifteenth_day_of_data_is_the_first_judged() -> None:
    two_weeks = pd.Series(100.0, index=pd.date_range("2024-03-04", "2024-03-17", freq="D"))  # Mon 4 … Sun 17
    # Sun 17 (13 days before it) has one Sunday ratio (the 10th; the 3rd has no value); Mon 18 has two: the 11th
    # and the 4th (its centred days 4 … 7: four days, enough for a mean).
    found = expected_range(two_weeks, pd.DatetimeIndex(["2024-03-17", "2024-03-18"]))
    assert found["enough"].tolist() == [False, True]
    assert np.isnan(found.iloc[0]["expected"]) and np.isnan(found.iloc[0]["low"]) and np.isnan(found.iloc[0]["high"])
    assert found.iloc[1]["expected"] == pytest.approx(100.0)


def test_after_an_activity_the_level_is_the_two_weeks_before_it() -> None:
    # 100 a day and 170 on Wednesdays for 8 weeks, then an activity's 10 days (no value) before the judged day.
    history = weekly(JUDGED, 66, {w: 170.0 for w in range(2, 10)}, 100.0)
    history[history.index >= JUDGED - pd.Timedelta(days=10)] = np.nan
    found = expected_range(history, pd.DatetimeIndex([JUDGED])).iloc[0]
    # Ratios at D − 14 … D − 56 (D − 7 is inside the activity): 170 ÷ ((600 + 170) / 7) = 1190/770 each. D − 14's
    # centred days D − 17 … D − 11 all have values. Level: the 14 valued days D − 24 … D − 11, two Wednesdays:
    # (12 × 100 + 2 × 170) / 14 = 110. Expected 110 × 1190/770 = 170.
    assert found["expected"] == pytest.approx(110 * 1190 / 770)
    assert found["expected"] == pytest.approx(170.0)


def test_the_median_of_the_lags_is_numpys_nanmedian_bit_for_bit() -> None:
    # The weekday factor and its MAD are medians over up to 8 lags with gaps; _nanmedian replaces np.nanmedian
    # for speed and must give the very same floats (odd and even counts, ties, all-NaN columns).
    rng = np.random.default_rng(7)
    lagged = rng.gamma(2.0, 1.0, (8, 60, 40)) * np.logspace(-3, 6, 40)
    lagged[:, :20] = np.round(lagged[:, :20], 1)  # ties
    lagged[rng.random(lagged.shape) < np.linspace(0.0, 1.0, 60)[None, :, None]] = np.nan
    lagged[:, 0, 0] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy warns on the all-NaN columns
        expected = np.nanmedian(lagged, axis=0)
    found = _nanmedian(lagged)
    assert np.isnan(found[0, 0])
    np.testing.assert_array_equal(found, expected)
