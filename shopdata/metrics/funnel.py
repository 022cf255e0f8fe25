"""Conversion funnels: distinct users per stage from behaviour logs, and stage counts from exports.

Two sources, two kinds of numbers:
* a behaviour log (table events) names each user, so a stage is *distinct users*. The open funnel counts
  everyone who did a stage in the period, in any order; the closed funnel counts a user at a stage only
  when they reached it after the previous stage, within a window (per user: first view t1, first cart in
  [t1, t1 + window] → t2, first purchase in [t2, t2 + window], with checkout between when the log has it);
* aggregated exports (table traffic: 生意参谋, Shopify sessions, GA) already count visitors, carts and
  buyers per day; their funnel is the sum of those measures (metric records in definitions.py).
Favourites are not a stage (nobody must favourite to buy): they are counted beside the funnel.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import ibis
import ibis.expr.types as ir
import pandas as pd

from shopdata.errors import ReportError, ShopdataError
from shopdata.metrics.cache import Source, cached
from shopdata.metrics.periods import Coverage, change
from shopdata.metrics.query import (
    Scope,
    compute,
    read_every_day,
    rows_in_period,
    run,
    scope_param,
    scoped_rows,
    table,
)
from shopdata.rollups import EVENT_USER_MONTHS, EVENT_USERS, month_start

EVENT_STAGES = ("view", "cart", "checkout", "purchase")
FAVORITE = "fav"
OPTIONAL_STAGES = ("checkout",)  # a stage only when the log has any
OPEN = "open"
WINDOWS: dict[str, timedelta | None] = {
    OPEN: None,
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
    "7d": timedelta(days=7),
    "period": None,
}

# Page breakdowns of the behaviour log, by the events column behind each.
BREAKDOWNS = {"source": "source", "product": "item_id", "category": "category_id", "device": "device"}
# `report funnel --by` names: the page's, the traffic-style source_1, platform and calendar buckets.
EVENT_BY = {**BREAKDOWNS, "source_1": "source", "platform": "platform"}
EXPORT_BREAKDOWNS = {"source": "source_1", "product": "product_id", "device": "device"}
EXPORT_BY = {
    "source": "source_1",
    "source_1": "source_1",
    "source_2": "source_2",
    "product": "product_id",
    "device": "device",
    "platform": "platform",
}
TIME_BY = {"day": None, "week": "W", "month": "M"}

# Export stages in funnel order: the metric behind each (definitions.py) and its CLI stage name.
EXPORT_STAGES = ("visitors", "product_visitors", "cart_users", "checkout_sessions", "buyers")
EXPORT_RECORD_STAGE = {"visitors": "view", "cart_users": "cart", "checkout_sessions": "checkout", "buyers": "purchase"}
RECORD_FAVORITE = "favorite"

EVENTS, EXPORTS = "events", "exports"
FUNNEL_COLUMNS = ["stage", "users", "rate_from_previous", "rate_from_start"]


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator ÷ denominator; empty when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or pd.isna(numerator) or pd.isna(denominator) or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def funnel_frame(users: Mapping[str, float | None], stages: Sequence[str], unstated: float | None = 0) -> pd.DataFrame:
    """Stage counts → stage, users, rate_from_previous, rate_from_start (no previous, or zero: empty).

    unstated: the users of a stage `users` has no number for. In a behaviour log that is nobody (0: no one did
    it); an export that does not state a stage has not said it was nobody, so it stays unknown (None: NaN), and
    so do the rates to and from it."""
    rows, first, previous = [], None, None
    for index, stage in enumerate(stages):
        value = users.get(stage)
        value = unstated if value is None or pd.isna(value) else value
        if index == 0:
            first = value
        rows.append(
            {
                "stage": stage,
                "users": value,
                "rate_from_previous": None if index == 0 else ratio(value, previous),
                "rate_from_start": ratio(value, first),
            }
        )
        previous = value
    # An unknown count is NaN in a float column (None in an object column would not compare with a number).
    counts = [] if unstated is not None else ["users"]
    return _floats(pd.DataFrame(rows, columns=FUNNEL_COLUMNS), [*counts, "rate_from_previous", "rate_from_start"])


def _floats(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Rates as floats (an empty rate is NaN), so tables show them as numbers, not objects."""
    return frame.astype({c: "float64" for c in columns})


def has_users(frame: pd.DataFrame | None) -> bool:
    """Whether a funnel has anyone at its first stage (a comparison period before the data has not)."""
    return frame is not None and not frame.empty and bool(frame["users"].iloc[0] > 0)


@dataclass(frozen=True)
class DropOff:
    """The step where the largest share of people leaves."""

    from_stage: str
    to_stage: str
    rate: float  # share that goes on to to_stage
    lost: float  # people at from_stage who did not reach to_stage


def biggest_drop(frame: pd.DataFrame) -> DropOff | None:
    """The step with the lowest conversion from the previous stage (ties: the earlier step)."""
    best: DropOff | None = None
    rows = frame.to_dict("records")
    for previous, row in zip(rows, rows[1:], strict=False):
        rate = row["rate_from_previous"]
        if rate is None or pd.isna(rate):
            continue
        if best is None or rate < best.rate:
            best = DropOff(previous["stage"], row["stage"], float(rate), max(previous["users"] - row["users"], 0))
    return best


# ---------------------------------------------------------------- behaviour log


def _events(backend, scope: Scope, by: str | None = None, whole_rows: bool = False, dated: bool = False) -> ir.Table:
    """The scope's events with a user and a behaviour. Through a Source, a rollup answers (distinct users per
    behaviour and platform, and per day, are the same counted from it) unless the breakdown needs a column
    it lacks or `whole_rows` asks for the events themselves: every event's time (a closed funnel takes the
    first step at or after the previous one), or the columns the rollups do not keep. Rows that need their
    day (`dated`, a breakdown by day, week or month) come from each user's first time per behaviour,
    platform and day; the others from each user's days of a month (_user_months), a sixth as many rows."""
    rolled_up = by is None or by in TIME_BY or EVENT_BY.get(by) == "platform"
    if _reads_rollup(backend) and rolled_up and not whole_rows:
        if dated or by in TIME_BY:
            return scoped_rows(backend, "events", scope, rollup=EVENT_USERS)
        return _user_months(backend, scope)
    t = scoped_rows(backend, "events", scope)
    return t.filter(t.user_id.notnull(), t.behavior.notnull())


def _user_months(backend, scope: Scope) -> ir.Table:
    """The rows of EVENT_USER_MONTHS (platform, user_id, behavior, …) of the users who had the behaviour on a
    day of the scope: its store, the months the period touches, and a day bit inside the period. In the
    period's first month the bits from its first day on count, in its last month those up to its last day,
    in the months between every bit; one row of a user and behaviour is one distinct pair per month, so
    counts need the DISTINCT the daily rows need."""
    t = table(backend, EVENT_USER_MONTHS)
    kept = []
    if scope.store:
        kept.append(t.store == scope_param(0, "store"))
    one = ibis.literal(1).cast("int64")
    low: ir.IntegerValue = ibis.literal(0)  # the first day's bit: days before it are outside the period
    high: ir.IntegerValue = ibis.literal(31)  # bits from the last day's + 1 on are outside
    if scope.start:
        start = scope_param(0, "start").cast("date")
        first_month = month_start(start)
        kept.append(t.month >= first_month)
        low = ibis.ifelse(t.month == first_month, start.day().cast("int64") - 1, 0)
    if scope.end:
        end = scope_param(0, "end").cast("date")
        kept.append(t.month <= end)
        high = ibis.ifelse(t.month == month_start(end), end.day().cast("int64"), 31)
    if scope.start or scope.end:
        # bits low … high - 1; the shifts by INTEGER, which both databases take (PostgreSQL's day is NUMERIC)
        inside = (one << high.cast("int32")) - (one << low.cast("int32"))
        kept.append((t.days & inside) != 0)
    return t.filter(*kept) if kept else t


def _reads_rollup(backend) -> bool:
    """Whether _events answers from the event rollups (each user's first time per behaviour, platform and day,
    and each user's days of a month)."""
    return isinstance(backend, Source)


@cached
def _event_platforms(backend, store: str | None) -> tuple[str, ...]:
    """The platforms of a store's behaviour log (every store's without one)."""
    t = table(backend, EVENT_USER_MONTHS if _reads_rollup(backend) else "events")
    if store:
        t = t.filter(t.store == scope_param(0, "store"))
    found = run(backend, t.select("platform").distinct(), Scope(store))
    return tuple(sorted(p for p in found.column("platform").to_pylist() if p is not None))


def _by_expr(t: ir.Table, by: str | None) -> dict[str, ir.Value]:
    if by is None:
        return {}
    if by in TIME_BY:
        unit = TIME_BY[by]
        return {by: t.event_date if unit is None else t.event_date.truncate(unit)}
    if by not in EVENT_BY:
        raise ShopdataError(
            f"the event funnel cannot be broken down by {by!r}", f"choose one of {', '.join([*EVENT_BY, *TIME_BY])}"
        )
    return {by: t[EVENT_BY[by]]}


def _with_by(t: ir.Table, by: str | None) -> ir.Table:
    """Rows with the breakdown value as column `by`; rows without a value are out of a breakdown."""
    extra = _by_expr(t, by)
    if not extra:
        return t
    t = t.mutate(**extra)
    return t.filter(t[by].notnull())


def _as_day(value):
    """A date from a date, a datetime or a pandas Timestamp (a datetime too)."""
    return value.date() if isinstance(value, datetime) else value


def _frame(backend, expr: ir.Table, scope: Scope, by: str | None) -> pd.DataFrame:
    frame = run(backend, expr, scope).to_pandas()
    if by in TIME_BY and not frame.empty:
        # PostgreSQL's date_trunc turns a date into a timestamp: bring buckets back to days.
        frame[by] = frame[by].map(_as_day)
    return frame


@cached
def has_events(backend, scope: Scope) -> bool:
    t = _events(backend, scope)
    return bool(run(backend, t.limit(1).count(), scope).as_py())


@cached
def event_stages(backend, scope: Scope) -> list[str]:
    """view → cart → (checkout, when the log has any) → purchase.

    Read off the open funnel's counts, which hold every behaviour of the period: the open funnel (the page's
    default) needs them anyway, and a query of their own took 0.25 s on PostgreSQL for 90 days of 10M events."""
    found = set(open_counts(backend, scope)["behavior"])
    return [s for s in EVENT_STAGES if s not in OPTIONAL_STAGES or s in found]


@cached
def open_counts(backend, scope: Scope, by: str | None = None) -> pd.DataFrame:
    """Distinct users per behaviour (and breakdown value): columns [by], behavior, users.

    Dedupe first, then count: one DISTINCT over (user, behaviour) pairs measured about twice as fast as a
    count(DISTINCT …) FILTER per behaviour.
    """
    t = _with_by(_events(backend, scope, by), by)
    keys = [by] if by else []
    pairs = t.select("user_id", "behavior", *keys).distinct()
    return _frame(backend, pairs.group_by([*keys, "behavior"]).aggregate(users=pairs.count()), scope, by)


@cached
def closed_counts(backend, scope: Scope, window: str, stages: Sequence[str], by: str | None = None) -> pd.DataFrame:
    """Users who reached each stage after the previous one within the window: columns [by], behavior, users.

    Per user (and breakdown value): the first time of the first stage, then for each next stage the first
    time at or after the previous stage's time and at most `window` later. Plain joins on the user, so it
    runs on any Ibis backend.
    """
    if window not in WINDOWS or window == OPEN:
        raise ShopdataError(
            f"unknown funnel window {window!r}", f"choose one of {', '.join(w for w in WINDOWS if w != OPEN)}"
        )
    limit = WINDOWS[window]
    t = _with_by(_events(backend, scope, by, whole_rows=True), by)
    keys = ["user_id", *([by] if by else [])]

    def count(reached: ir.Table, stage: str) -> ir.Table:
        counted = (
            reached.group_by(keys[1:]).aggregate(users=reached.count())
            if by
            else reached.aggregate(users=reached.count())
        )
        return counted.mutate(behavior=ibis.literal(stage))

    first = t.filter(t.behavior == stages[0])
    reached = first.group_by(keys).aggregate(at=first.event_time.min())
    levels = [count(reached, stages[0])]
    for stage in stages[1:]:
        step = t.filter(t.behavior == stage)
        step = step.select(**{f"_k{i}": step[k] for i, k in enumerate(keys)}, _at=step.event_time).distinct()
        condition = [reached[k] == step[f"_k{i}"] for i, k in enumerate(keys)] + [step._at >= reached.at]
        if limit is not None:
            condition.append(step._at <= reached.at + ibis.interval(seconds=int(limit.total_seconds())))
        joined = reached.inner_join(step, condition)
        reached = joined.group_by(keys).aggregate(at=joined._at.min())
        levels.append(count(reached, stage))
    return _frame(backend, ibis.union(*levels), scope, by)


@cached
def event_funnel(backend, scope: Scope, window: str = OPEN, stages: Sequence[str] | None = None) -> pd.DataFrame:
    """The whole-scope funnel: stage, users, rate_from_previous, rate_from_start."""
    stages = list(stages or event_stages(backend, scope))
    counts = open_counts(backend, scope) if window == OPEN else closed_counts(backend, scope, window, stages)
    return funnel_frame(dict(zip(counts["behavior"], counts["users"], strict=False)), stages)


@cached
def favorite_users(backend, scope: Scope) -> int:
    """Distinct users who favourited in the period: the open funnel's count of that behaviour (see event_stages;
    a query of its own took 0.4 s on PostgreSQL)."""
    counts = open_counts(backend, scope)
    return int(counts.loc[counts["behavior"] == FAVORITE, "users"].sum())


@cached
def breakdown_options(backend, scope: Scope) -> list[str]:
    """The breakdowns whose column has a value somewhere in the scope (empty columns are not offered)."""
    if read_every_day(backend, scope):
        # A page: which columns have a value on each day of the store's log, read once per data generation
        # (each period scanned the events themselves, a sixth of a filter change on a log of 10M events).
        days = rows_in_period(_breakdown_days(backend, scope.undated()), scope, "event_date")
        return [name for name in BREAKDOWNS if bool(days[name].any())]
    t = _events(backend, scope, whole_rows=True)
    present = t.aggregate(**{name: t[column].notnull().any() for name, column in BREAKDOWNS.items()})
    row = run(backend, present, scope).to_pylist()[0]
    return [name for name in BREAKDOWNS if row[name]]


@cached
def _breakdown_days(backend, scope: Scope) -> pd.DataFrame:
    """Per day of the scope's events: event_date, and for each breakdown whether its column has a value."""
    t = _events(backend, scope, whole_rows=True)
    present = t.group_by("event_date").aggregate(
        **{name: t[column].notnull().any() for name, column in BREAKDOWNS.items()}
    )
    frame = run(backend, present, scope).to_pandas()
    frame["event_date"] = frame["event_date"].map(_as_day)
    return frame


def _wide(counts: pd.DataFrame, by: str, stages: Sequence[str], whole: bool = True) -> pd.DataFrame:
    """One row per breakdown value: users per stage, step rates (rate_<stage>) and overall conversion.

    whole: a behaviour log's counts, where a stage without a count is nobody (0). Otherwise an export's figures,
    where a stage a value's rows do not state stays unknown (NaN), not 0 (生意参谋 shows "-" for a source's
    small figures)."""
    columns = [by, *stages, *(f"rate_{s}" for s in stages[1:]), "conversion"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    unstated = 0 if whole else None
    wide = counts.pivot_table(index=by, columns="behavior", values="users", aggfunc="sum", fill_value=unstated)
    wide = wide.reindex(columns=list(stages), fill_value=unstated)
    wide = (wide.astype("int64") if whole else wide.astype("float64")).reset_index()
    wide.columns.name = None
    for previous, stage in zip(stages, stages[1:], strict=False):
        wide[f"rate_{stage}"] = [ratio(n, d) for n, d in zip(wide[stage], wide[previous], strict=False)]
    wide["conversion"] = [ratio(n, d) for n, d in zip(wide[stages[-1]], wide[stages[0]], strict=False)]
    wide = wide.sort_values([stages[0], by], ascending=[False, True], kind="stable").reset_index(drop=True)
    return _floats(wide[columns], columns[len(stages) + 1 :])


@cached
def breakdown_table(
    backend, scope: Scope, by: str, window: str = OPEN, stages: Sequence[str] | None = None
) -> pd.DataFrame:
    """The funnel per breakdown value (most viewers first). A closed funnel follows each value on its own:
    by product, a user counts at cart only when they carted the product they viewed."""
    stages = list(stages or event_stages(backend, scope))
    counts = open_counts(backend, scope, by) if window == OPEN else closed_counts(backend, scope, window, stages, by)
    return _wide(counts[counts["behavior"].isin(stages)], by, stages)


@cached
def daily_event_conversion(backend, scope: Scope) -> pd.DataFrame:
    """Per day: distinct viewers, carters and purchasers, cart ÷ view and purchase ÷ view."""
    if read_every_day(backend, scope):
        # A day's users are the same whatever period asks for them: on a page, each period's days are read from
        # the store's every day, counted once per data generation.
        return rows_in_period(daily_event_conversion(backend, scope.undated()), scope)
    t = _events(backend, scope, dated=True)
    t = t.filter(t.behavior.isin(["view", "cart", "purchase"]))
    if _reads_rollup(backend) and scope.store and len(_event_platforms(backend, scope.store)) <= 1:
        # A rollup row is one user's behaviour on one day and platform: with one platform, each row is a
        # distinct user of its day and behaviour (the DISTINCT took seconds on a log of millions).
        pairs = t
    else:
        pairs = t.select("event_date", "user_id", "behavior").distinct()
    counts = run(backend, pairs.group_by(["event_date", "behavior"]).aggregate(users=pairs.count()), scope).to_pandas()
    columns = ["date", "viewers", "carters", "purchasers", "cart_rate", "purchase_rate"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    wide = counts.pivot_table(index="event_date", columns="behavior", values="users", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=["view", "cart", "purchase"], fill_value=0).astype("int64").sort_index()
    frame = pd.DataFrame(
        {
            "date": [_as_day(d) for d in wide.index],
            "viewers": wide["view"].to_numpy(),
            "carters": wide["cart"].to_numpy(),
            "purchasers": wide["purchase"].to_numpy(),
        }
    )
    frame["cart_rate"] = [ratio(n, d) for n, d in zip(frame["carters"], frame["viewers"], strict=False)]
    frame["purchase_rate"] = [ratio(n, d) for n, d in zip(frame["purchasers"], frame["viewers"], strict=False)]
    return _floats(frame[columns], ["cart_rate", "purchase_rate"])


# ---------------------------------------------------------------- aggregated exports


@cached
def _export_by_platform(backend, scope: Scope, extra_by: Sequence[str] = ()) -> pd.DataFrame:
    return compute(backend, list(EXPORT_STAGES), scope, by=["platform", *extra_by]).to_pandas()


def _funnel_platforms(per_platform: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The platforms that count visitors, and the stages every one of them reports.

    Adding Tmall's 商品点击人数 to Tmall + Shopify visitors would make a step of two populations, so a
    stage is kept only when every platform in the funnel has it; a platform without visitors (a sales
    report only) has no funnel to add.
    """
    if per_platform.empty:
        return [], []
    totals = per_platform.groupby("platform")[list(EXPORT_STAGES)].agg(lambda s: s.sum(min_count=1))
    with_visitors = totals[totals["visitors"].notna()]
    if with_visitors.empty:
        return [], []
    stages = [s for s in EXPORT_STAGES if with_visitors[s].notna().all()]
    return sorted(with_visitors.index), stages


@cached
def export_stages(backend, scope: Scope) -> list[str]:
    """The export funnel's stages (metric names) this scope has; fewer than two means no funnel."""
    return _funnel_platforms(_export_by_platform(backend, scope))[1]


def _bucket(day, by: str):
    """The day, its week (from Monday) or its month: the group a day belongs to in a breakdown by time."""
    unit = TIME_BY[by]
    if unit is None:
        return day
    return day - timedelta(days=day.weekday()) if unit == "W" else day.replace(day=1)


def _export_rows(backend, scope: Scope, by: str | None = None) -> tuple[list[str], pd.DataFrame]:
    """The funnel's stages, and its platforms' measure rows per platform (and breakdown value, column `by`), a
    stage empty (NaN) in the rows of a group where some of its visitors' figure for the stage is not stated (see
    _unknown_parts)."""
    per_platform = _export_by_platform(backend, scope)
    platforms, stages = _funnel_platforms(per_platform)
    if by is None:
        rows = per_platform
    elif by in TIME_BY:
        rows = _export_by_platform(backend, scope, ["date"])
        rows[by] = rows["date"].map(lambda d: _bucket(_as_day(d), by))
    elif by in EXPORT_BY:
        column = EXPORT_BY[by]
        rows = _export_by_platform(backend, scope, [] if column == "platform" else [column])
        rows[by] = rows[column]
    else:
        raise ShopdataError(
            f"the export funnel cannot be broken down by {by!r}", f"choose one of {', '.join([*EXPORT_BY, *TIME_BY])}"
        )
    rows = rows[rows["platform"].isin(platforms)]
    return stages, _without_unknown(rows, by, _unknown_parts(backend, scope))


# A first-level source's rows: the level a 生意参谋 source export states (or leaves "-") each stage at.
SOURCE_COLUMN = EXPORT_BY["source"]


def _unstated(rows: pd.DataFrame, stage: str) -> pd.Series:
    """The rows whose visitors are stated and `stage` is not (never any for the first stage, visitors)."""
    if stage == "visitors":
        return pd.Series(False, index=rows.index)
    return rows["visitors"].notna() & rows[stage].isna()


@cached
def _unknown_parts(backend, scope: Scope) -> pd.DataFrame:
    """Where the funnel's figure for a stage leaves out visitors whose figure for it is not stated.

    SQL's SUM skips an empty cell, so a day's cart users are those of the sources that state them: with 直通车's
    carts "-", the store's day would count 手淘搜索's 30 carts against both sources' 250 visitors. One row per
    platform, day, stage and first-level source whose visitors are stated and the stage is not (source empty: the
    platform's whole day states the stage nowhere): its visitors, and `store` — whether the store's figure for
    that day is the sum of the source rows that state it (a total row of another export stating it instead
    would make it complete)."""
    columns = ["platform", "date", "stage", SOURCE_COLUMN, "visitors", "store"]
    per_platform = _export_by_platform(backend, scope)
    platforms, stages = _funnel_platforms(per_platform)
    if len(stages) < 2:
        return pd.DataFrame(columns=columns)
    days = _export_by_platform(backend, scope, ["date"])
    sources = _export_by_platform(backend, scope, ["date", SOURCE_COLUMN])
    days, sources = (f[f["platform"].isin(platforms)].assign(date=f["date"].map(_as_day)) for f in (days, sources))
    day_figures = days.set_index(["platform", "date"])
    parts = []
    for stage in stages[1:]:
        unstated_days = days[_unstated(days, stage)]
        parts += [
            {"platform": p, "date": d, "stage": stage, SOURCE_COLUMN: None, "visitors": v, "store": True}
            for p, d, v in zip(unstated_days["platform"], unstated_days["date"], unstated_days["visitors"], strict=True)
        ]
        unstated = sources[_unstated(sources, stage)]
        if unstated.empty:
            continue
        stated = sources.groupby(["platform", "date"])[stage].sum(min_count=1)
        for row in unstated.to_dict("records"):
            key = (row["platform"], row["date"])
            store_figure = day_figures[stage].get(key)
            short = pd.notna(store_figure) and key in stated.index and math.isclose(store_figure, stated[key])
            parts.append(
                {
                    "platform": row["platform"],
                    "date": row["date"],
                    "stage": stage,
                    SOURCE_COLUMN: row[SOURCE_COLUMN],
                    "visitors": row["visitors"],
                    "store": bool(short),
                }
            )
    return pd.DataFrame(parts, columns=columns)


def _part_matches(rows: pd.DataFrame, by: str | None, part: dict) -> pd.Series:
    """The rows of a breakdown by `by` a part of _unknown_parts falls in."""
    matches = rows["platform"] == part["platform"]
    if by in TIME_BY:
        matches &= rows[by] == _bucket(part["date"], by)
    elif by is not None and EXPORT_BY[by] == SOURCE_COLUMN:
        matches &= rows[by] == part[SOURCE_COLUMN]
    return matches


def _without_unknown(rows: pd.DataFrame, by: str | None, parts: pd.DataFrame) -> pd.DataFrame:
    """`rows` with a stage empty (NaN) where the group's figure for it leaves out visitors who have no figure.

    By source: a source's stage where it states it on some days and not on others. Otherwise (the whole store, a
    platform, a day, week or month) where the store's figure is short for one of its days (parts' `store`). By
    second-level source, product or device the rows are other exports' or other levels': left as they are."""
    by_source = by is not None and by not in TIME_BY and EXPORT_BY[by] == SOURCE_COLUMN
    if parts.empty or (by is not None and by not in TIME_BY and by != "platform" and not by_source):
        return rows
    relevant = parts[parts[SOURCE_COLUMN].notna()] if by_source else parts[parts["store"]]
    if relevant.empty:
        return rows
    rows = rows.copy()
    for part in relevant.to_dict("records"):
        rows.loc[_part_matches(rows, by, part), part["stage"]] = float("nan")
    return rows


def _total(rows: pd.DataFrame, stage: str) -> float:
    """A stage summed over rows: unknown (NaN) when a row with visitors does not state it, else the sum (NaN when
    no row states it)."""
    if _unstated(rows, stage).any():
        return float("nan")
    return rows[stage].sum(min_count=1)


def _group_totals(rows: pd.DataFrame, by: str, stages: Sequence[str]) -> pd.DataFrame:
    """Per value of `by` (in order): each stage's _total over its rows."""
    stages = list(stages)
    totals = rows.groupby(by, sort=True)[stages].sum(min_count=1)
    for stage in stages:
        unknown = _unstated(rows, stage).groupby(rows[by], sort=True).any()
        totals.loc[unknown, stage] = float("nan")
    return totals.reset_index()[[by, *stages]]


@dataclass(frozen=True)
class Unstated:
    """A stage whose figure for the period is unknown: some visitors' exports do not state it."""

    stage: str
    visitors: float  # the visitors whose figure for the stage is not stated
    sources: tuple[str, ...]  # the first-level sources among them (sorted)
    days: int  # the days no export of a platform states the stage at all
    stated: float | None  # the stage as the rows that state it count it


@cached
def unstated_stages(backend, scope: Scope, stages: Sequence[str] | None = None) -> list[Unstated]:
    """The funnel's stages whose figure is unknown (NaN in export_funnel), in funnel order, with whose figures
    are missing and what the rest state."""
    per_platform = _export_by_platform(backend, scope)
    platforms, found = _funnel_platforms(per_platform)
    parts = _unknown_parts(backend, scope)
    if parts.empty:
        return []
    short = parts[parts["store"]]
    stated_rows = per_platform[per_platform["platform"].isin(platforms)]
    out = []
    for stage in stages or found:
        mine = short[short["stage"] == stage]
        if mine.empty:
            continue
        named = mine[SOURCE_COLUMN].dropna()
        out.append(
            Unstated(
                stage=stage,
                visitors=float(mine["visitors"].sum()),
                sources=tuple(sorted(set(named))),
                days=int(mine[SOURCE_COLUMN].isna().sum()),
                stated=_count(stated_rows[stage].sum(min_count=1)) if stage in stated_rows else None,
            )
        )
    return out


@cached
def export_funnel(backend, scope: Scope, stages: Sequence[str] | None = None) -> pd.DataFrame:
    """visitors → product views → cart → checkout → paying buyers, with only the stages the data has."""
    found, rows = _export_rows(backend, scope)
    stages = list(stages or found)
    return funnel_frame({s: _total(rows, s) for s in stages}, stages, unstated=None)


@cached
def daily_export_conversion(backend, scope: Scope) -> pd.DataFrame:
    """Per day: visitors, cart users, paying buyers, cart ÷ visitors and buyers ÷ visitors."""
    stages, rows = _export_rows(backend, scope, "day")
    columns = ["date", "visitors", "cart_users", "buyers", "cart_rate", "purchase_rate"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    frame = _group_totals(rows, "day", ["visitors", "cart_users", "buyers"])
    frame = frame.rename(columns={"day": "date"}).sort_values("date").reset_index(drop=True)
    frame["cart_rate"] = [
        ratio(n, d) if "cart_users" in stages else None
        for n, d in zip(frame["cart_users"], frame["visitors"], strict=False)
    ]
    frame["purchase_rate"] = [
        ratio(n, d) if "buyers" in stages else None for n, d in zip(frame["buyers"], frame["visitors"], strict=False)
    ]
    return _floats(frame[columns], ["cart_rate", "purchase_rate"])


@cached
def export_breakdown_options(backend, scope: Scope) -> list[str]:
    """Export breakdowns whose column has a value somewhere in the scope's traffic rows."""
    t = scoped_rows(backend, "traffic", scope)
    present = t.aggregate(**{name: t[column].notnull().any() for name, column in EXPORT_BREAKDOWNS.items()})
    row = run(backend, present, scope).to_pylist()[0]
    return [name for name in EXPORT_BREAKDOWNS if row[name]]


@cached
def export_breakdown_table(backend, scope: Scope, by: str) -> pd.DataFrame:
    """The export funnel per source, product or device (most visitors first)."""
    stages, rows = _export_rows(backend, scope, by)
    long = _group_totals(rows, by, stages).melt(
        id_vars=[by], value_vars=stages, var_name="behavior", value_name="users"
    )
    return _wide(long.dropna(subset=["users"]), by, stages, whole=False)


# ---------------------------------------------------------------- both


@cached
def funnel_sources(backend, scope: Scope) -> list[str]:
    """Which funnels the scope can show: the event funnel when it has events, the export funnel when
    its traffic has at least two funnel stages."""
    found = []
    if has_events(backend, scope):
        found.append(EVENTS)
    if len(export_stages(backend, scope)) >= 2:
        found.append(EXPORTS)
    return found


@cached
def days_with_data(backend, scope: Scope, source: str) -> int:
    """Days in the scope with funnel data of this source: behaviour events, or the exports' stage counts."""
    if source != EVENTS:
        return len(daily_export_conversion(backend, scope))
    days = _events(backend, scope, dated=True).select("event_date").distinct()
    return int(run(backend, days.aggregate(n=days.count()), scope).to_pylist()[0]["n"])


def comparison_coverage(backend, scope: Scope, compare_scope: Scope, source: str) -> Coverage:
    """How much of the comparison period has data, against the current period (see periods.Coverage)."""
    length = (compare_scope.end - compare_scope.start).days + 1 if compare_scope.start and compare_scope.end else 0
    return Coverage(days_with_data(backend, scope, source), days_with_data(backend, compare_scope, source), length)


def compare_frames(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Two periods side by side: users and rate from start for each, and the change in users."""
    out = current[["stage", "users", "rate_from_previous", "rate_from_start"]].copy()
    if previous is None:
        return out
    before = previous.set_index("stage")
    out["users_previous"] = [before["users"].get(s) for s in out["stage"]]
    out["rate_from_start_previous"] = [before["rate_from_start"].get(s) for s in out["stage"]]
    out["change"] = [change(c, p) for c, p in zip(out["users"], out["users_previous"], strict=False)]
    return _floats(out, ["rate_from_start_previous", "change"])


def _records(frame: pd.DataFrame, stage_names: dict[str, str] | None = None) -> list[dict]:
    records = []
    for row in frame.to_dict("records"):
        records.append(
            {
                "stage": (stage_names or {}).get(row["stage"], row["stage"]),
                "users": _count(row["users"]),
                "rate_from_previous": _rate(row["rate_from_previous"]),
                "rate_from_start": _rate(row["rate_from_start"]),
            }
        )
    return records


def _count(value) -> float | int | None:
    if value is None or pd.isna(value):
        return None
    value = float(value)
    return int(value) if value.is_integer() else value


def _rate(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _favorite_record(favorites: float, viewers: float) -> dict:
    rate = ratio(favorites, viewers)
    return {"stage": RECORD_FAVORITE, "users": _count(favorites), "rate_from_previous": rate, "rate_from_start": rate}


def _event_records(backend, scope: Scope, by: str | None) -> list[dict]:
    stages = event_stages(backend, scope)
    counts = open_counts(backend, scope, by)
    if by is not None and counts.empty:
        # The scope has events, so an empty answer would only hide that this log lacks the column.
        offered = [
            b for b, column in EVENT_BY.items() if column in {BREAKDOWNS[o] for o in breakdown_options(backend, scope)}
        ]
        raise ShopdataError(
            f"the behaviour log has no {by} values in this period",
            f"break it down by one of {', '.join([*offered, 'platform', *TIME_BY])}",
        )
    groups = [(None, counts)] if by is None else sorted(counts.groupby(by), key=lambda g: str(g[0]))
    records = []
    for value, part in groups:
        users = dict(zip(part["behavior"], part["users"], strict=False))
        rows = _records(funnel_frame(users, stages))
        if users.get(FAVORITE):
            rows.append(_favorite_record(users[FAVORITE], users.get(stages[0], 0)))
        records += [{by: value, **r} for r in rows] if by else rows
    return records


def _export_records(backend, scope: Scope, by: str | None) -> list[dict]:
    stages, rows = _export_rows(backend, scope, by)
    stages = [s for s in stages if s in EXPORT_RECORD_STAGE]
    if len(stages) < 2:
        return []
    groups = [(None, rows)] if by is None else sorted(rows.groupby(by), key=lambda g: str(g[0]))
    records = []
    for value, part in groups:
        users = {s: _total(part, s) for s in stages}
        rows_out = _records(funnel_frame(users, stages, unstated=None), EXPORT_RECORD_STAGE)
        records += [{by: value, **r} for r in rows_out] if by else rows_out
    return records


def report_records(
    backend, scope: Scope, compare_scope: Scope | None, by: str | None = None, language: str = "en"
) -> list[dict]:
    """`report funnel`: {stage, users, rate_from_previous, rate_from_start} per stage (view, cart, checkout
    when present, purchase, then favorite beside the funnel), from the behaviour log's open funnel when the
    scope has events, else from the export funnel. With `by`, each record starts with the breakdown value.

    Stage names are canonical keys in every language, and the funnel record has no comparison fields, so
    `compare_scope` and `language` do not change the records (the signature is the one every report has).
    """
    if by is not None and by not in {**EVENT_BY, **EXPORT_BY, **TIME_BY}:
        raise ReportError(
            f"the funnel report breaks down by {', '.join({**EVENT_BY, **EXPORT_BY, **TIME_BY})}, not {by!r}"
        )
    if has_events(backend, scope):
        return _event_records(backend, scope, by)
    return _export_records(backend, scope, by)
