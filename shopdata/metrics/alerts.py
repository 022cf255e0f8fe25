"""Alerts (异常): the days a KPI left its normal range, ranked by what the deviation cost or earned in money.

What is judged. Every daily KPI of ALERT_METRICS the store has (a KPI whose store-level series has a value in
the judged period), at store level and per segment of each DIMENSIONS entry of its table: traffic report KPIs
per traffic source (source_1), product and platform; ad KPIs per campaign and platform; order-export KPIs at
store level (orders.py counts them per day or per breakdown, not per day and breakdown). Per dimension, the
MAX_SEGMENTS largest segments over the looked-at days (by revenue; by spend for ads) are judged.

How. The normal range of each day comes from shopdata/metrics/baseline.py (ratio to moving average: the
weekday's median ratio to its centred 7-day mean over the last 8 weeks × the mean of the last 14 days; the scaled
MAD of those ratios, Hampel's 3σ). A day the table has rows for counts a segment without rows as zero; a day
the table has no rows for is unknown (neither judged nor history). A ratio is judged only on days whose
expected volume reaches RATIO_VOLUME (the conversion of 5 buyers is noise); only days whose own volume reaches it
make its history.
A day with fewer than 2 same-weekday ratios (or no level) before it is not judged: `history_status` says how many.

Activities. Days inside a recorded activity (date ranges passed in) are judged against the activity, not as
surprises: they are never alerts (the activity's lift reports them, shopdata/metrics/activities.py) and they
are left out of every later day's history, so a festival does not widen the next weeks' ranges.

Impact. IMPACT says for each KPI how its deviation becomes money in the scope's currency, as the effect on the
store (positive: it earned, negative: it cost): impact = sign × (actual − expected) × the product of its
factors, each the actual or the expected value of a KPI of the same segment and day, or an expected ratio
(expected numerator ÷ expected denominator). Alerts are ranked by |impact|, largest first, so a small source
doubling never outranks the main channel halving.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from shopdata.metrics import baseline, orders, prices
from shopdata.metrics.cache import cached
from shopdata.metrics.definitions import METRICS_BY_NAME
from shopdata.metrics.overview import Decomposition, decompose
from shopdata.metrics.promotion import _CampaignLabelled
from shopdata.metrics.query import Scope, compute, data_range, for_currency

# table -> (the measures read, the ratios computed from them, each as in the catalog)
DOMAIN_MEASURES: dict[str, tuple[str, ...]] = {
    "traffic": ("visitors", "buyers", "orders", "revenue"),
    "ads": ("spend", "clicks", "impressions", "ad_revenue"),
    "orders": ("order_count", "paid_orders", "order_revenue", "order_refund"),
}
# The KPIs judged, per table (catalog names; `orders` is the traffic report's paid orders).
ALERT_METRICS: dict[str, tuple[str, ...]] = {
    "traffic": ("revenue", "visitors", "buyers", "orders", "conversion_rate", "aov"),
    "ads": ("spend", "roas", "cpc", "ctr"),
    "orders": ("order_revenue", "order_count", "paid_orders", "order_aov", "order_refund"),
}
# dimension -> the column it groups by, per table (the store level has none).
DIMENSIONS: dict[str, dict[str, str | None]] = {
    "traffic": {"store": None, "source": "source_1", "product": "product_id", "platform": "platform"},
    "ads": {"store": None, "campaign": "campaign", "platform": "platform"},
    "orders": {"store": None},
}
SIZE_MEASURE = {"traffic": "revenue", "ads": "spend", "orders": "order_revenue"}  # which segments are largest
MAX_SEGMENTS = 50
# ratio -> (a count it rests on, the least value of it on a day for the ratio to be judged or count as history):
# a ratio's noise shrinks as 1/√(the count), so with fewer than ~20 buyers a conversion rate or 客单价 moves
# by a third from chance alone.
RATIO_VOLUME: dict[str, tuple[str, float]] = {
    "conversion_rate": ("buyers", 20),
    "aov": ("buyers", 20),
    "order_aov": ("paid_orders", 20),
    "roas": ("clicks", 50),
    "cpc": ("clicks", 50),
    "ctr": ("impressions", 1000),
}
COUNT_METRICS = frozenset(
    {"visitors", "buyers", "orders", "clicks", "impressions", "order_count", "paid_orders", "order_buyers"}
)


@dataclass(frozen=True)
class Impact:
    """impact = sign × (actual − expected) × Π factors; a factor is ("actual", kpi), ("expected", kpi) or
    ("ratio", numerator, denominator): expected numerator ÷ expected denominator."""

    sign: int
    factors: tuple[tuple[str, ...], ...] = ()
    definition: str = ""


IMPACT: dict[str, Impact] = {
    "revenue": Impact(+1, (), "the revenue above or below the expected"),
    "order_revenue": Impact(+1, (), "the order revenue above or below the expected"),
    "visitors": Impact(+1, (("ratio", "revenue", "visitors"),), "extra visitors × the expected revenue per visitor"),
    "buyers": Impact(+1, (("ratio", "revenue", "buyers"),), "extra buyers × the expected revenue per buyer"),
    "orders": Impact(+1, (("ratio", "revenue", "orders"),), "extra orders × the expected revenue per order"),
    "conversion_rate": Impact(
        +1,
        (("actual", "visitors"), ("ratio", "revenue", "buyers")),
        "the conversion change × the day's visitors × the expected revenue per buyer",
    ),
    "aov": Impact(+1, (("actual", "buyers"),), "the change in revenue per buyer × the day's buyers"),
    "order_count": Impact(
        +1, (("ratio", "order_revenue", "order_count"),), "extra orders placed × the expected revenue per order placed"
    ),
    "paid_orders": Impact(
        +1, (("ratio", "order_revenue", "paid_orders"),), "extra paid orders × the expected revenue per paid order"
    ),
    "order_aov": Impact(+1, (("actual", "paid_orders"),), "the change in revenue per order × the day's paid orders"),
    "order_refund": Impact(-1, (), "refunds above the expected (a cost)"),
    "spend": Impact(-1, (), "spend above the expected (a cost)"),
    "roas": Impact(+1, (("actual", "spend"),), "the day's spend × (actual − expected ROAS): ad revenue gained or lost"),
    "cpc": Impact(-1, (("actual", "clicks"),), "the day's clicks × the change in cost per click (a cost when up)"),
    "ctr": Impact(
        +1,
        (("actual", "impressions"), ("ratio", "ad_revenue", "clicks")),
        "the CTR change × the day's impressions × the expected ad revenue per click",
    ),
}

ALERT_COLUMNS = (
    "date",
    "metric",
    "dimension",
    "segment",
    "actual",
    "expected",
    "low",
    "high",
    "direction",
    "impact",
    "reviewed",
    "key",
)
CELL_COLUMNS = ("date", "metric", "dimension", "segment", "actual", "expected", "low", "high", "enough", "impact")


def alert_key(day: date, metric: str, dimension: str, segment: str) -> str:
    """How notes refer to an alert."""
    return f"{day:%Y-%m-%d}|{metric}|{dimension}|{segment}"


def _activity_days(activities: Sequence[tuple[date, date]]) -> set[pd.Timestamp]:
    days: set[pd.Timestamp] = set()
    for start, end in activities:
        days.update(pd.date_range(start, end, freq="D"))
    return days


def _period(backend, scope: Scope, domain: str) -> tuple[date, date] | None:
    first, last = data_range(backend, scope.store, (domain,))
    start, end = scope.start or first, scope.end or last
    if first is None or last is None or start is None or end is None:
        return None
    return start, end


def _raw(backend, domain: str, scope: Scope, column: str | None) -> pd.DataFrame:
    """Long frame: date, segment, every measure of the table (no rows on days without data).

    Sliced from the store's whole daily series (_daily_series): each row is one day's sums, so the days of any
    period are the same rows whatever period they are read for, and a new period — a filter change, an alert's
    own day explained — costs no query until the data changes."""
    frame = _daily_series(backend, domain, scope.undated(), column)
    days = frame["date"].to_numpy()
    inside = np.ones(len(frame), dtype=bool)
    if scope.start is not None:
        inside &= days >= np.datetime64(scope.start, "ns")
    if scope.end is not None:
        inside &= days <= np.datetime64(scope.end, "ns")
    return frame[inside].reset_index(drop=True)


@cached
def _daily_series(backend, domain: str, scope: Scope, column: str | None) -> pd.DataFrame:
    """_raw over every day of the scope (a store's whole data when the scope has no dates)."""
    measures = list(DOMAIN_MEASURES[domain])
    if domain == "orders":  # no order placed in the scope: no rows (not a query of its own to ask first)
        frame = orders.orders_by(backend, scope, "day", tuple(measures))[["date", *measures]].copy()
        frame["segment"] = ""
    else:
        by = ["date"] if column is None else [column, "date"]
        if column == "campaign":  # one label per campaign (ID-only rows under its name), as on the promotion page
            backend = _CampaignLabelled(backend)
        frame = compute(backend, measures, scope, by=by, daily=True).to_pandas()
        frame["segment"] = "" if column is None else frame.pop(column).astype(str)
    frame["date"] = pd.to_datetime(frame["date"])
    for m in measures:
        frame[m] = frame[m].astype("float64")
    return frame


def _wide(
    raw: pd.DataFrame, measures: Sequence[str], days: pd.DatetimeIndex, segments: list[str], known: pd.DataFrame
) -> dict[str, np.ndarray]:
    """days × segments of each measure (an array, rows: days, columns: segments): the sum of a day's rows of the
    segment (NaN values count nothing) where one of them has the figure; else zero on a day the store has the
    measure (the segment had none of it) and NaN on a day the store does not have it — a segment whose rows lack
    the figure that day is unknown, never 0. (Placed by position in numpy: a pivot table per page took a third of
    judging the alerts.)"""
    rows = days.get_indexer(pd.DatetimeIndex(raw["date"]))
    columns = pd.Index(segments, dtype=object).get_indexer(raw["segment"])
    kept = (rows >= 0) & (columns >= 0)
    rows, columns = rows[kept], columns[kept]
    out = {}
    for measure in measures:
        found = raw[measure].to_numpy(dtype="float64")[kept]
        valued = ~np.isnan(found)
        has_value = np.zeros((len(days), len(segments)), dtype=bool)
        has_value[rows[valued], columns[valued]] = True
        sums = np.zeros(has_value.shape)
        np.add.at(sums, (rows, columns), np.nan_to_num(found, nan=0.0))
        has_measure = known[measure].reindex(days).notna().to_numpy()
        out[measure] = np.where(has_value | has_measure[:, None], sums, np.nan)
    return out


def _per(above: np.ndarray, below: np.ndarray) -> np.ndarray:
    """above ÷ below, NaN where below is zero or unknown (a ratio without its denominator is unknown, not infinite)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return above / np.where(below != 0, below, np.nan)


def _ratio_of(metric: str, values: dict[str, np.ndarray]) -> np.ndarray:
    """The ratio KPI from its measures' arrays: NaN where the denominator is zero or unknown."""
    numerator, denominator = METRICS_BY_NAME[metric].ratio or ("", "")
    return _per(values[numerator], values[denominator]) * METRICS_BY_NAME[metric].scale


def _with_volume(metric: str, ratio: np.ndarray, volumes: dict[str, np.ndarray]) -> np.ndarray:
    """The ratio where its RATIO_VOLUME count reaches the least value (NaN elsewhere)."""
    volume = RATIO_VOLUME.get(metric)
    if volume is None:
        return ratio
    with np.errstate(invalid="ignore"):
        return np.where(volumes[volume[0]] >= volume[1], ratio, np.nan)


def _impact(metric: str, actual: dict[str, np.ndarray], expected: dict[str, np.ndarray]) -> np.ndarray:
    rule = IMPACT[metric]
    out = (actual[metric] - expected[metric]) * rule.sign
    for factor in rule.factors:
        if factor[0] == "ratio":
            out = out * _per(expected[factor[1]], expected[factor[2]])
        else:
            out = out * (actual if factor[0] == "actual" else expected)[factor[1]]
    return out


def _domain_cells(backend, scope: Scope, domain: str, masked: set[pd.Timestamp]) -> pd.DataFrame:
    period = _period(backend, scope, domain)
    if period is None:
        return pd.DataFrame(columns=list(CELL_COLUMNS))
    start, end = period
    history_start = start - timedelta(days=baseline.HISTORY_DAYS)
    looked = scope.shifted(history_start, end)
    judged = pd.date_range(start, end, freq="D")
    store_raw = _raw(backend, domain, looked, None)
    known = store_raw.set_index("date")
    known = known[~known.index.isin(list(masked))]
    every_day = pd.date_range(history_start, end, freq="D")
    rows = every_day.get_indexer(judged)  # the judged days' rows: the last ones, after HISTORY_DAYS of history
    in_activity = every_day.isin(list(masked))
    metrics = [m for m in ALERT_METRICS[domain] if _has(known, m, judged)]
    outside_activities = ~in_activity[rows]
    parts: list[dict[str, np.ndarray]] = []
    for dimension, column in DIMENSIONS[domain].items():
        raw = store_raw if column is None else _raw(backend, domain, looked, column)
        if raw.empty or not metrics:
            continue
        size = raw.groupby("segment")[SIZE_MEASURE[domain]].sum().sort_values(ascending=False, kind="stable")
        segments = list(size.index[:MAX_SEGMENTS])
        width = len(segments)
        actual = _wide(raw, DOMAIN_MEASURES[domain], every_day, segments, known)
        for values in actual.values():  # an activity's days are no later day's history
            values[in_activity] = np.nan
        for m in metrics:
            if METRICS_BY_NAME[m].is_ratio:
                actual[m] = _ratio_of(m, actual)
        wanted = [*DOMAIN_MEASURES[domain], *(m for m in metrics if METRICS_BY_NAME[m].is_ratio)]
        # A ratio's history is the days with enough volume; the judged day's own value stays as it is, so a
        # collapse in buyers cannot hide by pushing the count under the line. Every KPI of the dimension is
        # judged in one call, side by side (width columns each).
        history = np.hstack([_with_volume(m, actual[m], actual) for m in wanted])
        counts = np.repeat([m in COUNT_METRICS for m in wanted], width)
        ranges = baseline.expected_arrays(history, rows, counts)
        of = {m: slice(i * width, (i + 1) * width) for i, m in enumerate(wanted)}
        expected = {m: ranges["expected"][:, of[m]] for m in wanted}
        now = {m: actual[m][rows] for m in wanted}
        for m in metrics:
            impact = _impact(m, now, expected)
            enough = ranges["enough"][:, of[m]]
            if m in RATIO_VOLUME:  # judged only where the day's expected volume reaches the line
                volume, least = RATIO_VOLUME[m]
                with np.errstate(invalid="ignore"):
                    enough = enough & (expected[volume] >= least)
            actual_values = now[m].ravel()
            kept = ~np.isnan(actual_values) & np.repeat(outside_activities, width)
            parts.append(
                {
                    "date": np.repeat(judged.to_numpy(), width)[kept],
                    "metric": np.full(kept.sum(), m, dtype=object),
                    "dimension": np.full(kept.sum(), dimension, dtype=object),
                    "segment": np.tile(np.asarray(segments, dtype=object), len(judged))[kept],
                    "actual": actual_values[kept],
                    "expected": expected[m].ravel()[kept],
                    "low": ranges["low"][:, of[m]].ravel()[kept],
                    "high": ranges["high"][:, of[m]].ravel()[kept],
                    "enough": enough.ravel()[kept],
                    "impact": impact.ravel()[kept],
                }
            )
    if not parts:
        return pd.DataFrame(columns=list(CELL_COLUMNS))
    # One frame from the parts' columns (a frame per KPI and dimension, filtered and concatenated, cost a
    # quarter of judging the alerts).
    cells = pd.DataFrame({column: np.concatenate([part[column] for part in parts]) for column in CELL_COLUMNS})
    cells["date"] = cells["date"].dt.date
    return cells


@cached
def _judged_domain(backend, scope: Scope, domain: str, activities: tuple[tuple[date, date], ...]) -> pd.DataFrame:
    """One table's judged cells (_domain_cells): kept per table, so a page judging one table's KPIs (the promotion
    page's spend and ROAS) and one judging them all (the overview) share what either judged first."""
    return _domain_cells(backend, scope, domain, _activity_days(activities))


def _has(known: pd.DataFrame, metric: str, judged: pd.DatetimeIndex) -> bool:
    parts = METRICS_BY_NAME[metric].ratio or (metric,)
    inside = known[known.index.isin(judged)]
    return bool(len(inside)) and all(p in inside and inside[p].notna().any() for p in parts)


@cached
def judged_cells(
    backend, scope: Scope, activities: Sequence[tuple[date, date]] = (), domains: Sequence[str] | None = None
) -> pd.DataFrame:
    """Every day × KPI × segment looked at in the scope's period (outside activities), with its range: date,
    metric, dimension, segment, actual, expected, low, high, enough (judged at all) and impact. `domains`: the
    tables whose KPIs are judged (every one of DOMAIN_MEASURES when None)."""
    scope = for_currency(backend, scope)  # the platforms' currencies looked up once, not by each query
    wanted = [d for d in DOMAIN_MEASURES if domains is None or d in domains]
    frames = [_judged_domain(backend, scope, domain, tuple(activities)) for domain in wanted]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=list(CELL_COLUMNS))
    return pd.concat(frames, ignore_index=True)


@cached
def detect_alerts(
    backend,
    scope: Scope,
    activities: Sequence[tuple[date, date]] = (),
    reviewed: frozenset[str] = frozenset(),
    domains: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The alerts of the scope's period, largest |impact| first (see the module docstring); columns ALERT_COLUMNS.
    `reviewed`: the keys (alert_key) of the alerts a note is attached to; `domains` as for judged_cells (an alert
    is judged within its table: those of some tables are the same rows as among all)."""
    cells = judged_cells(backend, scope, tuple(activities), None if domains is None else tuple(domains))
    if cells.empty:
        return pd.DataFrame(columns=list(ALERT_COLUMNS))
    judged = cells[cells["enough"]]
    outside = judged[(judged["actual"] < judged["low"]) | (judged["actual"] > judged["high"])].copy()
    outside["direction"] = ["up" if a > h else "down" for a, h in zip(outside["actual"], outside["high"], strict=True)]
    outside["key"] = [
        alert_key(d, m, dim, s)
        for d, m, dim, s in zip(
            outside["date"], outside["metric"], outside["dimension"], outside["segment"], strict=True
        )
    ]
    outside["reviewed"] = outside["key"].isin(list(reviewed))
    outside = _without_repeats(outside)
    outside["_rank"] = outside["impact"].abs()
    outside = outside.sort_values(["_rank", "date", "key"], ascending=[False, True, True], na_position="last")
    return outside[list(ALERT_COLUMNS)].reset_index(drop=True)


def _without_repeats(found: pd.DataFrame) -> pd.DataFrame:
    """The alerts without repeats: a segment's alert with the same day, KPI, actual and expected as the store's
    (the store's only platform, say) says nothing the store's does not, and would be counted twice."""
    if found.empty:
        return found
    store_level = found.loc[found["dimension"] == "store", ["date", "metric", "actual", "expected"]]
    same = found.merge(store_level, on=["date", "metric"], how="left", suffixes=("", "_store"))
    repeat = (
        (same["dimension"] != "store")
        & np.isclose(same["actual_store"], same["actual"], rtol=1e-9, atol=0.0)
        & np.isclose(same["expected_store"], same["expected"], rtol=1e-9, atol=0.0)
    )
    return found[~np.asarray(repeat, dtype=bool)]


@dataclass(frozen=True)
class HistoryStatus:
    """How much of the period could be judged: per table, its days with data in the period and how many of them
    had too little history (< 2 same-weekday ratios before them, or no level) to judge."""

    domain: str
    days: int
    not_judged: int
    judged_from: date | None  # the first day judged


@cached
def history_status(backend, scope: Scope, activities: Sequence[tuple[date, date]] = ()) -> tuple[HistoryStatus, ...]:
    """For each table with data in the scope, its store-level days and those not judged for too little history."""
    cells = judged_cells(backend, scope, tuple(activities))
    out = []
    for domain, metrics in ALERT_METRICS.items():
        head = cells[(cells["dimension"] == "store") & cells["metric"].isin(metrics)]
        if head.empty:
            continue
        per_day = head.groupby("date")["enough"].any()
        judged = per_day[per_day]
        out.append(
            HistoryStatus(domain, int(len(per_day)), int((~per_day).sum()), min(judged.index) if len(judged) else None)
        )
    return tuple(out)


# ---- why: an alert's explanation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """An alert's drivers (the day's revenue against the expected, split into visitors × conversion × revenue per
    buyer — or paid orders × revenue per order — by overview.decompose), the segments accounting for it (the
    same KPI's deviation in each source, product, campaign or platform that day, largest |impact| first), and
    the context of the date: price drops observed in the 7 days up to it, and the ad spend by campaign that day
    against its expected."""

    alert: dict[str, Any]
    drivers: Decomposition | None
    segments: pd.DataFrame = field(default_factory=pd.DataFrame)
    price_drops: pd.DataFrame = field(default_factory=pd.DataFrame)
    spend_changes: pd.DataFrame = field(default_factory=pd.DataFrame)


DRIVER_FORMULA = {"traffic": "traffic", "orders": "orders"}
SEGMENTS_TOP = 5
PRICE_DROP_DAYS = 7


def _cell(cells: pd.DataFrame, day: date, metric: str, dimension: str, segment: str) -> dict[str, float | None]:
    found = cells[
        (cells["date"] == day)
        & (cells["metric"] == metric)
        & (cells["dimension"] == dimension)
        & (cells["segment"] == segment)
    ]
    if found.empty:
        return {"actual": None, "expected": None}
    row = found.iloc[0]
    return {k: _number(row[k]) for k in ("actual", "expected")}


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _drivers(cells: pd.DataFrame, domain: str, day: date, dimension: str, segment: str) -> Decomposition | None:
    if domain == "traffic":
        revenue = _cell(cells, day, "revenue", dimension, segment)
        visitors = _cell(cells, day, "visitors", dimension, segment)
        buyers = _cell(cells, day, "buyers", dimension, segment)
        values = {"revenue": revenue, "visitors": visitors, "buyers": buyers}

        def factors(kind: str) -> dict[str, float | None]:
            r, v, b = (values[n][kind] for n in ("revenue", "visitors", "buyers"))
            return {"visitors": v, "conversion_rate": _div(b, v), "aov": _div(r, b)}

        r0, r1 = revenue["expected"], revenue["actual"]
        if r0 is None or r1 is None:
            return None
        return decompose(r0, r1, factors("expected"), factors("actual"), "traffic")
    if domain == "orders":
        revenue = _cell(cells, day, "order_revenue", dimension, segment)
        paid = _cell(cells, day, "paid_orders", dimension, segment)
        r0, r1 = revenue["expected"], revenue["actual"]
        if r0 is None or r1 is None:
            return None
        before = {"paid_orders": paid["expected"], "order_aov": _div(r0, paid["expected"])}
        now = {"paid_orders": paid["actual"], "order_aov": _div(r1, paid["actual"])}
        return decompose(r0, r1, before, now, "orders")
    return None


def _div(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 or math.isnan(b) else a / b


def domain_of(metric: str) -> str:
    """The table whose KPIs include `metric` (ALERT_METRICS)."""
    return next(d for d, names in ALERT_METRICS.items() if metric in names)


@cached
def explain_alert(
    backend, scope: Scope, alert_row: dict[str, Any], activities: Sequence[tuple[date, date]] = ()
) -> Explanation:
    """Why an alert (a row of detect_alerts, as a dict) happened: see Explanation. `activities`: those the alert
    was detected with, so that the expected values are the alert's."""
    day = alert_row["date"]
    day = day.date() if isinstance(day, pd.Timestamp) else day
    metric, dimension, segment = alert_row["metric"], alert_row["dimension"], alert_row["segment"]
    domain = domain_of(metric)
    # The alert's day as the period judged it (the cells its alerts came from, already computed for the page)
    # when the day is in the scope's period: a day's expected range reads only the days before it, so judging
    # the day alone gives its cells the same values (tests/unit/metrics/test_alerts_demo.py), at the cost of
    # every query and range again; the segments beside it are among the period's MAX_SEGMENTS largest, those
    # the alert itself was found among.
    in_period = scope.start is not None and scope.end is not None and scope.start <= day <= scope.end
    cells = _day_cells(backend, scope if in_period else scope.shifted(day, day), tuple(activities), day)
    drivers = _drivers(cells, domain, day, dimension, segment)
    same = cells[(cells["metric"] == metric) & (cells["dimension"] != "store") & cells["enough"]]
    if dimension != "store":
        same = same.iloc[0:0]
    same = same.assign(change=same["actual"] - same["expected"], _rank=same["impact"].abs())
    segments = (
        same.sort_values("_rank", ascending=False, na_position="last")
        .groupby("dimension", sort=False)
        .head(SEGMENTS_TOP)[["dimension", "segment", "actual", "expected", "change", "impact"]]
        .reset_index(drop=True)
    )
    spend = cells[(cells["metric"] == "spend") & (cells["dimension"] == "campaign")]
    spend = spend.assign(change=spend["actual"] - spend["expected"], _rank=(spend["actual"] - spend["expected"]).abs())
    spend_changes = spend.sort_values("_rank", ascending=False, na_position="last")[
        ["segment", "actual", "expected", "change"]
    ].rename(columns={"segment": "campaign"})
    drops = _price_drops_in(backend, scope.shifted(day - timedelta(days=PRICE_DROP_DAYS), day))
    return Explanation(dict(alert_row), drivers, segments, drops, spend_changes.reset_index(drop=True))


# A page explains its largest alerts, often several of one day (a day's revenue, buyers and a source's all
# fall together): the day's cells and the price drops before it are found once for all of them.


@cached
def _day_cells(backend, scope: Scope, activities: tuple[tuple[date, date], ...], day: date) -> pd.DataFrame:
    """judged_cells' rows of one day of the scope's period."""
    cells = judged_cells(backend, scope, activities)
    return cells[cells["date"].to_numpy() == day]  # numpy's compare of the dates: a sixth of pandas' time


@cached
def _price_drops_in(backend, window: Scope) -> pd.DataFrame:
    """prices.price_drops over the window's observations (an empty frame without any)."""
    observed = prices.observations(backend, window)
    return prices.price_drops(observed) if len(observed) else pd.DataFrame()


# ---- `python -m shopdata report alerts` --------------------------------------------------------------

REPORT_FIELDS = tuple(column for column in ALERT_COLUMNS if column != "key")  # the key is derived from the fields


def report_records(
    backend,
    scope: Scope,
    compare_scope: Scope | None,
    by: str | None = None,
    language: str = "en",
    *,
    activities: Sequence[tuple[date, date]] = (),
    reviewed: frozenset[str] = frozenset(),
) -> list[dict]:
    """`report alerts`: one record per alert, largest |impact| first; `activities` and `reviewed` as for
    detect_alerts (shopdata/reports.py reads them from the store's journal). Neither the comparison period nor
    the language changes the records (numbers and names from the data)."""
    found = detect_alerts(backend, scope, tuple(activities), frozenset(reviewed))
    records = []
    for row in found.to_dict("records"):
        records.append(
            {
                **{k: row[k] for k in ("metric", "dimension", "segment", "direction")},
                "date": row["date"].isoformat(),
                **{k: _number(row[k]) for k in ("actual", "expected", "low", "high", "impact")},
                "reviewed": bool(row["reviewed"]),
            }
        )
    return [{k: r[k] for k in REPORT_FIELDS} for r in records]
