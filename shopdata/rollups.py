"""Rollups: per store, daily sums of the traffic and ad measures, and each user's first time at each behaviour
per day, kept in the same transaction as the rows they sum so that they never disagree with them.

A measure rollup groups the base rows by every column `query.measure_table` filters, ranks or groups by —
store, platform, the period, grain, source level, currency and whether the row holds money (the currency rule
of `query.for_currency` reads these three) — plus, in its breakdown table, the breakdown columns the pages
read; each measure column holds the sum of that measure's row expression (definitions.py). Sums of sums are
sums and a minimum of minima is a minimum, so measure_table run over a rollup instead of the base rows gives
the same answer whenever the rollup has every column the question reads (`covering`); otherwise the base
rows answer. The event rollup answers distinct-user counts (open funnels, daily conversion, favourites) by
store, platform and day; a closed funnel needs every event time (the first step at or after the previous
one), so it reads the base rows. The event rollup folds each user's days of a month into one row more
(EVENT_USER_MONTHS: bit d - 1 of `days` set when the user had the behaviour on day d): whether a user had a
behaviour in a period is a test of the month rows' bits against the period's days, over a sixth of the rows
of the daily one on a log of 10M events (users come back on many days of a month).

Loads, replaces, deletes and currency changes refresh the store's days they touched (`refresh_batch_days`,
`refresh_days`; the month rows of those days' whole months); deleting a store forgets its rollups; a restore and
migrations 9 and 10 fill them whole.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import ibis

from shopdata.engine import quote_identifier
from shopdata.metrics.definitions import METRICS
from shopdata.schema import ROLLUP_TABLES, TABLES

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from shopdata.engine import Engine


HAS_MONEY = "has_money"
ROW_COUNT = "row_count"
EVENT_USERS = "rollup_event_users"
EVENT_USER_MONTHS = "rollup_event_user_months"


# The base columns every measure rollup of a table groups by: what measure_table filters and ranks by.
ROLLUP_KEYS = {
    "traffic": ("store", "platform", "date", "end_date", "grain", "source_level", "currency"),
    "ads": ("store", "platform", "date", "end_date", "grain", "currency"),
}


@dataclass(frozen=True)
class MeasureRollup:
    table: str
    domain: str
    breakdown: tuple[str, ...]  # base columns it groups by beyond ROLLUP_KEYS

    @property
    def keys(self) -> tuple[str, ...]:
        return (*ROLLUP_KEYS[self.domain], *self.breakdown)

    @property
    def measures(self) -> tuple[str, ...]:
        return measures_of(self.domain)


# Smallest first: `covering` picks the first that answers.
MEASURE_ROLLUPS = (
    MeasureRollup("rollup_traffic_daily", "traffic", ()),
    MeasureRollup(
        "rollup_traffic_breakdown", "traffic", ("source_1", "source_2", "source_3", "source_4", "product_id")
    ),
    MeasureRollup("rollup_ads_daily", "ads", ()),
    MeasureRollup("rollup_ads_breakdown", "ads", ("campaign", "product_id")),
)
ROLLED_UP_DOMAINS = ("traffic", "ads", "events")


def measures_of(domain: str) -> tuple[str, ...]:
    """The summed measures of definitions.py that read `domain` (ratios are divided afterwards)."""
    return tuple(m.name for m in METRICS if m.domain == domain and m.row is not None)


def _check_tables() -> None:
    """Each rollup table of shopdata.schema has its keys, has_money, its breakdown, row_count and its domain's
    measures, in that order, and they are base columns; a measure added to definitions.py fails here (at
    import, so in every test) until the schema and a migration give it a column."""
    for rollup in MEASURE_ROLLUPS:
        names = ROLLUP_TABLES[rollup.table].column_names
        expected = [*ROLLUP_KEYS[rollup.domain], HAS_MONEY, *rollup.breakdown, ROW_COUNT, *rollup.measures]
        if names != expected:
            raise ValueError(f"{rollup.table}: columns {names}, expected {expected}")
        missing = set(rollup.keys) - set(TABLES[rollup.domain].column_names)
        if missing:
            raise ValueError(f"{rollup.table}: {sorted(missing)} are not columns of {rollup.domain}")
        # A load refreshes the days of its own rows; the rows it replaces share its natural key, so its days
        # (for events: event_time is in the natural key, and event_date is its day).
        if not set(TABLES[rollup.domain].day_columns()) <= set(TABLES[rollup.domain].natural_key):
            raise ValueError(f"{rollup.domain}: a replaced row could lie on a day the load does not refresh")


_check_tables()


def covering(domain: str, by: Sequence[str]) -> MeasureRollup | None:
    """The smallest measure rollup holding every column a measure_table grouped by `by` reads, or None."""
    for rollup in MEASURE_ROLLUPS:
        if rollup.domain == domain and set(by) <= set(rollup.keys):
            return rollup
    return None


def has_money(t: ir.Table, domain: str) -> ir.BooleanValue:
    """Whether a base row holds any money (schema.Table.money says which columns are money)."""
    return functools.reduce(operator.or_, (t[c].notnull() for c in TABLES[domain].money))


def _select_sql(engine: Engine, table: str) -> str:
    """The SELECT computing a rollup table from its base table, whole; callers filter it by store and days
    (both databases push such a filter on grouping columns below the GROUP BY)."""
    return _compiled_selects(engine)[table]


# Engine class -> rollup table -> its SELECT: compiled by Ibis from the measures' row expressions (the one
# definition of each), once per kind of database (the SQL holds no value, only names).
_SELECTS: dict[type, dict[str, str]] = {}


def summed(t: ir.Table, domain: str, breakdown: Sequence[str]) -> ir.Table:
    """The rows of a measure rollup of `domain` (its keys, has_money, `breakdown`, row_count, its measures) summed
    from `t`, base rows of `domain` or rows derived from them with the same columns."""
    t = t.mutate(**{HAS_MONEY: has_money(t, domain)})
    rows = {m.name: m.row for m in METRICS if m.row is not None}
    return t.group_by([*ROLLUP_KEYS[domain], HAS_MONEY, *breakdown]).aggregate(
        **{ROW_COUNT: t.count()},
        **{m: rows[m](t).sum() for m in measures_of(domain)},
    )


def month_start(day: ir.DateValue) -> ir.DateValue:
    """The first day of `day`'s month: EVENT_USER_MONTHS' month, and what a period's days are matched with.
    Through a timestamp and back, so both databases get a DATE (PostgreSQL's date_trunc of a date is a
    timestamp with a zone, and Ibis drops a cast of a date to a date)."""
    return day.cast("timestamp").truncate("M").cast("date")


def _compiled_selects(engine: Engine) -> dict[str, str]:
    if type(engine) not in _SELECTS:
        selects = {}
        for rollup in MEASURE_ROLLUPS:
            expr = summed(engine.ibis_table(rollup.domain), rollup.domain, rollup.breakdown)
            selects[rollup.table] = str(engine.ibis().compile(expr.select(*ROLLUP_TABLES[rollup.table].column_names)))
        events = engine.ibis_table("events")
        events = events.filter(events.user_id.notnull(), events.behavior.notnull())
        firsts = events.group_by(["store", "platform", "event_date", "user_id", "behavior"]).aggregate(
            first_time=events.event_time.min()
        )
        selects[EVENT_USERS] = str(engine.ibis().compile(firsts))
        users = engine.ibis_table(EVENT_USERS)
        day_bit = ibis.literal(1).cast("int64") << (users.event_date.day() - 1).cast("int32")
        months = users.group_by(
            [
                "store",
                "platform",
                month_start(users.event_date).name("month"),
                "user_id",
                "behavior",
            ]
        ).aggregate(days=day_bit.bit_or())
        selects[EVENT_USER_MONTHS] = str(engine.ibis().compile(months))
        _SELECTS[type(engine)] = selects
    return _SELECTS[type(engine)]


def tables_of(domain: str) -> tuple[tuple[str, str], ...]:
    """(rollup table, its day column) for each rollup of a base table."""
    if domain == "events":
        # EVENT_USERS first: the months are folded from its rows.
        return ((EVENT_USERS, "event_date"), (EVENT_USER_MONTHS, "month"))
    return tuple((r.table, TABLES[domain].day_columns()[0]) for r in MEASURE_ROLLUPS if r.domain == domain)


def refresh_days(engine: Engine, domain: str, store: str, first: date | None, last: date | None) -> None:
    """Recompute a store's rollups of `domain` for the days first…last (and its rows without a day) from the
    base rows. Run inside the transaction that changed those rows."""
    for table, day in tables_of(domain):
        # A month's row holds its every day: refresh the whole month.
        since = first.replace(day=1) if first and table == EVENT_USER_MONTHS else first
        name, column = quote_identifier(table), quote_identifier(day)
        where = f"store = ? AND ({column} IS NULL" + (f" OR {column} BETWEEN ? AND ?)" if since else ")")
        params: list[Any] = [store, since, last] if since else [store]
        engine.execute(f"DELETE FROM {name} WHERE {where}", params)
        columns = ", ".join(quote_identifier(c) for c in ROLLUP_TABLES[table].column_names)
        engine.execute(
            f"INSERT INTO {name} ({columns}) SELECT {columns} FROM ({_select_sql(engine, table)}) AS r WHERE {where}",
            params,
        )


def batch_days(engine: Engine, domain: str, batch_id: int) -> tuple[date | None, date | None]:
    """The first and last day of a batch's rows in `domain` (None, None when it has none with a day)."""
    if domain not in ROLLED_UP_DOMAINS:
        return None, None
    day = quote_identifier(TABLES[domain].day_columns()[0])
    found = engine.execute(
        f"SELECT min({day}), max({day}) FROM {quote_identifier(domain)} WHERE batch_id = ?", [batch_id]
    ).one()
    return _as_date(found[0]), _as_date(found[1])


def refresh_batch_days(engine: Engine, domain: str, store: str, days: tuple[date | None, date | None]) -> None:
    """refresh_days for the days a batch covered (batch_days, read before its rows changed or after)."""
    if domain in ROLLED_UP_DOMAINS:
        refresh_days(engine, domain, store, *days)


def forget_store(engine: Engine, store: str) -> None:
    """Remove a store's rollups (its base rows are being deleted in the same transaction)."""
    for table in ROLLUP_TABLES:
        engine.execute(f"DELETE FROM {quote_identifier(table)} WHERE store = ?", [store])


def rebuild(engine: Engine) -> None:
    """Recompute every rollup from the base rows (a restore; a warehouse written by other means)."""
    for table in ROLLUP_TABLES:
        name = quote_identifier(table)
        columns = ", ".join(quote_identifier(c) for c in ROLLUP_TABLES[table].column_names)
        engine.execute(f"DELETE FROM {name}")
        engine.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM ({_select_sql(engine, table)}) AS r")


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value
