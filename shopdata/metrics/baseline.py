"""The expected value and normal range of a daily KPI: a same-weekday Hampel filter.

Method (named in README "Alerts", explained on screen by the catalog key `alerts.method`): for a day D, take
the KPI on the same weekday in the WEEKS weeks before it (D − 7, D − 14, …, D − 7·WEEKS days); days without a
value (no data, or inside a recorded activity) are left out. The expected value is their median; the spread
is their median absolute deviation scaled to a standard deviation (σ ≈ 1.4826 × MAD, exact for normal noise)
and the normal range is expected ± K·σ, K = 3 (Hampel's identifier). The half-width is never narrower than
MIN_RELATIVE_WIDTH of the expected value — a KPI that happened to repeat itself exactly (MAD = 0) would
otherwise flag any change at all — nor, for counts, than K·√expected (the Poisson noise of a count).

Why this method: the same weekday keeps the weekly rhythm (Mondays against Mondays), and the median and MAD
are robust — last week's spike or outage does not move them, where a mean and standard deviation would take
them in. A day is judged only with at least MIN_WEEKS earlier values (`enough`); otherwise it says so.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

WEEKS = 8  # same-weekday values looked at
MIN_WEEKS = 2  # fewer earlier values: not judged ("too little history")
K = 3.0  # Hampel's identifier: outside median ± 3σ
MAD_TO_SIGMA = 1.4826  # 1 / Φ⁻¹(3/4): the MAD of normal noise times this is its standard deviation
MIN_RELATIVE_WIDTH = 0.10  # the half-width is at least 10% of the expected value

COLUMNS = ("expected", "low", "high", "enough")


def _lagged(history: pd.DataFrame, days: pd.DatetimeIndex, weeks: int) -> np.ndarray:
    """values[w, d, s]: series s on days[d] − 7·(w + 1) days (NaN where history has no value)."""
    history = history[~history.index.duplicated(keep="last")]
    return np.stack(
        [history.reindex(days - pd.Timedelta(days=7 * w)).to_numpy(dtype="float64") for w in range(1, weeks + 1)]
    )


def expected_ranges(
    history: pd.DataFrame, days: pd.DatetimeIndex, counts: bool = False, weeks: int = WEEKS
) -> dict[str, pd.DataFrame]:
    """expected_range for every column of `history` at once (rows: days, columns: the series): a frame of
    days × series for each of expected, low, high and enough."""
    days = pd.DatetimeIndex(days)
    lagged = _lagged(history.sort_index(), days, weeks)
    n = np.sum(~np.isnan(lagged), axis=0)
    with warnings.catch_warnings():  # an all-NaN column (no history) gives NaN, which is what it is
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanmedian(lagged, axis=0)
        sigma = MAD_TO_SIGMA * np.nanmedian(np.abs(lagged - expected), axis=0)
    half = np.maximum(K * sigma, MIN_RELATIVE_WIDTH * np.abs(expected))
    if counts:
        half = np.maximum(half, K * np.sqrt(np.clip(expected, 0.0, None)))
    enough = n >= MIN_WEEKS
    expected = np.where(enough, expected, np.nan)
    low = np.where(enough, np.clip(expected - half, 0.0, None), np.nan)  # KPIs here are never negative
    high = np.where(enough, expected + half, np.nan)
    frame = {"expected": expected, "low": low, "high": high, "enough": enough}
    return {name: pd.DataFrame(values, index=days, columns=history.columns) for name, values in frame.items()}


def expected_range(history: pd.Series, days: pd.DatetimeIndex, counts: bool = False) -> pd.DataFrame:
    """For each of `days`: expected, low, high (NaN when not enough) and enough (at least MIN_WEEKS same-weekday
    values in the WEEKS weeks before it). `history` is indexed by day; a missing or NaN day is no value."""
    history = history.copy()
    history.index = pd.DatetimeIndex(history.index)
    wide = expected_ranges(history.to_frame("value"), days, counts=counts)
    out = pd.DataFrame({name: wide[name]["value"] for name in COLUMNS}, index=pd.DatetimeIndex(days))
    out["enough"] = out["enough"].astype(bool)
    return out
