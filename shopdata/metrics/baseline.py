"""The expected value and normal range of a daily KPI: a weekday factor on the current level (the classical
multiplicative decomposition, "ratio to moving average"), with a robust range.

Method (named in README "Alerts", explained on screen by the catalog key `alerts.method`), for a day D:
- the ratio of a day h is its value ÷ its centred 7-day mean (h − 3 … h + 3, the days with a value, at least
  MIN_WINDOW_DAYS of them): how far above or below the week around it that weekday runs;
- D's weekday factor is the median of the ratios on the same weekday in the WEEKS weeks before it (D − 7, D − 14,
  …, D − 7·WEEKS days), leaving out days without a value (no data, or inside a recorded activity);
- D's level is the mean of the last LEVEL_DAYS days with a value before D (at least MIN_WINDOW_DAYS of them):
  the last two weeks, or the two weeks before an activity;
- expected = level × factor. The spread is the median absolute deviation of those same-weekday ratios, scaled to
  a standard deviation (σ ≈ 1.4826 × MAD, exact for normal noise) and to the level; the normal range is
  expected ± K·σ·level, K = 3 (Hampel's identifier). The half-width is never narrower than MIN_RELATIVE_WIDTH of
  the expected value — a KPI that happened to repeat its rhythm exactly (MAD = 0) would otherwise flag any
  change at all — nor, for counts, than K·√expected (the Poisson noise of a count).

Why this method: the weekday factor keeps the weekly rhythm (Mondays against Mondays, as a share of their week),
and the level follows a store that grows or shrinks, where the median of the raw same-weekday values lags it by
about four weeks (a store growing 1% a day is expected ~30% too low, outside any range). The medians keep
it robust: last month's spike or outage does not move the factor. The level is a plain mean of the last two weeks:
it trails the store by a week (a store growing 1% a day is expected ~7% low, inside the range), and an abnormal
day moves the next two weeks' expected by a fourteenth of its deviation; over one week (measured on the demo
store and the Olist series) one heavy order moved the level enough to hide the injected search-source drop.
A day is judged only with at least MIN_WEEKS same-weekday ratios before it and a level (`enough`); otherwise it
says so — from the first day of data, the 15th day is the first judged (two weeks of history).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WEEKS = 8  # same-weekday ratios looked at
MIN_WEEKS = 2  # fewer same-weekday ratios: not judged ("too little history")
LEVEL_DAYS = 14  # the level: the mean of the last 14 days with a value (two whole weeks: every weekday twice)
MIN_WINDOW_DAYS = 4  # a 7-day mean (centred or the level) needs at least 4 days with a value
K = 3.0  # Hampel's identifier: outside expected ± 3σ
MAD_TO_SIGMA = 1.4826  # 1 / Φ⁻¹(3/4): the MAD of normal noise times this is its standard deviation
MIN_RELATIVE_WIDTH = 0.10  # the half-width is at least 10% of the expected value
# The days before the first judged day the baseline reads: 8 weeks of ratios, the oldest one's centred window
# reaching 3 days further back.
HISTORY_DAYS = 7 * WEEKS + 3

COLUMNS = ("expected", "low", "high", "enough")


def _daily(history: pd.DataFrame, days: pd.DatetimeIndex) -> pd.DataFrame:
    """`history` on every calendar day from HISTORY_DAYS before the first of `days` to the last (NaN: no value)."""
    if not (history.index.is_unique and history.index.is_monotonic_increasing):
        history = history[~history.index.duplicated(keep="last")].sort_index()
    first = min(days.min() - pd.Timedelta(days=HISTORY_DAYS), history.index.min() if len(history) else days.min())
    calendar = pd.date_range(first, days.max(), freq="D")
    # The alerts hand in every calendar day already: reindexing them again was a third of this function's time.
    return (history if history.index.equals(calendar) else history.reindex(calendar)).astype("float64")


def _centred_means(values: np.ndarray) -> np.ndarray:
    """values[d, s] → the mean of the days d − 3 … d + 3 that have a value (NaN with fewer than MIN_WINDOW_DAYS)."""
    padded = np.pad(values, ((4, 3), (0, 0)), constant_values=np.nan)  # one leading row more: the cumsum's zero
    valued = ~np.isnan(padded)
    sums = np.cumsum(np.where(valued, padded, 0.0), axis=0)
    counts = np.cumsum(valued, axis=0)
    window_sum, window_count = sums[7:] - sums[:-7], counts[7:] - counts[:-7]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(window_count >= MIN_WINDOW_DAYS, window_sum / window_count, np.nan)


def _nanmedian(lagged: np.ndarray) -> np.ndarray:
    """np.nanmedian(lagged, axis=0), bit for bit (the middle value, or the sum of the two middle values halved),
    without the masked arrays numpy uses below 600 rows: those took half of expected_ranges' time."""
    ordered = np.sort(lagged, axis=0)  # NaN sorts last
    n = np.sum(~np.isnan(lagged), axis=0)
    high = n // 2
    low = np.where(n % 2 == 1, high, high - 1)
    middle = np.take_along_axis(ordered, np.stack([np.maximum(low, 0), high]), axis=0)
    return np.where(n > 0, (middle[0] + middle[1]) / 2.0, np.nan)


def _levels(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """values[d, s] → for each row of `rows`, the mean of the last LEVEL_DAYS values of each series strictly before
    it (NaN with fewer than MIN_WINDOW_DAYS). Every series at once: its values moved up to its first rows, in
    order (a stable sort), so that the k-th row of their running sums is the sum of its first k values."""
    valued = ~np.isnan(values)
    order = np.argsort(~valued, axis=0, kind="stable")
    prefix = np.cumsum(np.take_along_axis(np.where(valued, values, 0.0), order, axis=0), axis=0)
    prefix = np.vstack([np.zeros((1, values.shape[1])), prefix])
    counted = np.vstack([np.zeros((1, values.shape[1]), dtype=np.int64), np.cumsum(valued, axis=0)])
    before = counted[rows]  # how many values lie before the row
    n = np.minimum(before, LEVEL_DAYS)
    sums = np.take_along_axis(prefix, before, axis=0) - np.take_along_axis(prefix, before - n, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n >= MIN_WINDOW_DAYS, sums / n, np.nan)


def expected_ranges(
    history: pd.DataFrame, days: pd.DatetimeIndex, counts: bool = False, weeks: int = WEEKS
) -> dict[str, pd.DataFrame]:
    """expected_range for every column of `history` at once (rows: days, columns: the series): a frame of
    days × series for each of expected, low, high and enough."""
    days = pd.DatetimeIndex(days)
    if not len(days):
        return {name: pd.DataFrame(index=days, columns=history.columns, dtype="float64") for name in COLUMNS}
    daily = _daily(history, days)
    found = expected_arrays(daily.to_numpy(dtype="float64"), daily.index.get_indexer(days), counts, weeks)
    return {name: pd.DataFrame(values, index=days, columns=history.columns) for name, values in found.items()}


def expected_arrays(
    values: np.ndarray, rows: np.ndarray, counts: bool | np.ndarray, weeks: int = WEEKS
) -> dict[str, np.ndarray]:
    """expected_ranges on arrays: `values[d, s]` on consecutive calendar days (NaN: no value), reaching at least
    7 × `weeks` days before the first of `rows`, the rows judged; `counts` for every series or per series (a
    boolean per column). Each column is judged on its own, so the series of many KPIs can be judged in one call
    (the alerts judge every KPI of a dimension at once: a call per KPI cost more in overhead than in work)."""
    centred = _centred_means(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratios = values / np.where(centred != 0, centred, np.nan)
    lagged = np.stack([ratios[rows - 7 * w] for w in range(1, weeks + 1)])
    n = np.sum(~np.isnan(lagged), axis=0)
    level = _levels(values, rows)
    factor = _nanmedian(lagged)  # NaN for a column without ratios (no history)
    sigma = MAD_TO_SIGMA * _nanmedian(np.abs(lagged - factor)) * level
    expected = level * factor
    half = np.maximum(K * sigma, MIN_RELATIVE_WIDTH * np.abs(expected))
    counted = np.broadcast_to(np.asarray(counts, dtype=bool), half.shape[1:])
    if counted.any():
        half = np.where(counted, np.maximum(half, K * np.sqrt(np.clip(expected, 0.0, None))), half)
    enough = (n >= MIN_WEEKS) & ~np.isnan(expected)
    expected = np.where(enough, expected, np.nan)
    low = np.where(enough, np.clip(expected - half, 0.0, None), np.nan)  # KPIs here are never negative
    high = np.where(enough, expected + half, np.nan)
    return {"expected": expected, "low": low, "high": high, "enough": enough}


def expected_range(history: pd.Series, days: pd.DatetimeIndex, counts: bool = False) -> pd.DataFrame:
    """For each of `days`: expected, low, high (NaN when not enough) and enough (at least MIN_WEEKS same-weekday
    ratios in the WEEKS weeks before it, and a level). `history` is indexed by day; a missing or NaN day is no
    value."""
    history = history.copy()
    history.index = pd.DatetimeIndex(history.index)
    wide = expected_ranges(history.to_frame("value"), days, counts=counts)
    out = pd.DataFrame({name: wide[name]["value"] for name in COLUMNS}, index=pd.DatetimeIndex(days))
    out["enough"] = out["enough"].astype(bool)
    return out
