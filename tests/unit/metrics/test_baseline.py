"""The same-weekday Hampel baseline, worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from shopdata.metrics.baseline import expected_range


def test_median_and_scaled_mad_of_the_same_weekday_with_the_minimum_width() -> None:
    # Wednesdays 2024-01-03 … 2024-02-21 (8 weeks) before Wednesday 2024-02-28; other weekdays are noise that
    # must not count. Values 90, 100, 110, 100, 100, 95, 105, 1000 (one spike).
    wednesdays = pd.date_range("2024-01-03", periods=8, freq="7D")
    history = pd.Series([90, 100, 110, 100, 100, 95, 105, 1000], index=wednesdays, dtype=float)
    others = pd.Series(5000.0, index=wednesdays + pd.Timedelta(days=1))
    found = expected_range(pd.concat([history, others]), pd.DatetimeIndex(["2024-02-28"]))
    # median of the 8 = (100 + 100) / 2 = 100; |x − 100| = 10, 0, 10, 0, 0, 5, 5, 900 → median 5 →
    # σ = 1.4826 × 5 = 7.413; 3σ = 22.239 > 10% of 100: the range is 100 ± 22.239. The spike moves nothing.
    row = found.iloc[0]
    assert row["expected"] == pytest.approx(100.0)
    assert row["low"] == pytest.approx(100 - 3 * 1.4826 * 5)
    assert row["high"] == pytest.approx(100 + 3 * 1.4826 * 5)
    assert bool(row["enough"])


def test_a_flat_history_gets_the_minimum_width_and_counts_their_poisson_width() -> None:
    mondays = pd.date_range("2024-01-01", periods=4, freq="7D")
    flat = pd.Series(400.0, index=mondays)
    day = pd.DatetimeIndex(["2024-01-29"])
    money = expected_range(flat, day).iloc[0]
    assert (money["low"], money["high"]) == pytest.approx((360.0, 440.0))  # MAD 0 → ±10% of 400
    visits = expected_range(pd.Series(25.0, index=mondays), day, counts=True).iloc[0]
    # 25 visitors: 10% is 2.5, Poisson 3 × √25 = 15 → 10 … 40
    assert (visits["low"], visits["high"]) == pytest.approx((10.0, 40.0))


def test_fewer_than_two_same_weekday_values_is_not_a_guess() -> None:
    history = pd.Series([100.0, 120.0], index=pd.DatetimeIndex(["2024-03-04", "2024-03-05"]))  # Mon, Tue
    found = expected_range(history, pd.DatetimeIndex(["2024-03-11", "2024-03-18"]))  # Mondays
    # 03-11 sees one Monday (03-04); 03-18 sees 03-11 (no value) and 03-04: still one.
    assert not found["enough"].any()
    assert found[["expected", "low", "high"]].isna().all().all()
    two = pd.concat([history, pd.Series([80.0], index=pd.DatetimeIndex(["2024-02-26"]))])
    row = expected_range(two, pd.DatetimeIndex(["2024-03-11"])).iloc[0]
    assert bool(row["enough"]) and row["expected"] == pytest.approx(90.0)  # median of 100 and 80
