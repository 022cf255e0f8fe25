"""Compute metrics from the canonical tables with Ibis — the same expressions on DuckDB and PostgreSQL.

Exports overlap: a Shopify store has a sessions report (by source) and a sales report (by day), an
Amazon seller has campaign, placement and search-term reports of the same spend, 生意参谋 writes
subtotal rows above their children. `measure_table` counts each figure once:
1. rows are limited to the store, the dates and (if asked) a currency (for_currency says which rows);
2. breakdown columns must be present, and within each grain only the top source level is kept, so
   a 汇总 row and its children are never added together;
3. for every platform and day each measure comes from the first grain, in GRAIN_PRIORITY order, that
   has it — so spend comes from the campaign report and not also from the search-term report, while
   visitors may come from the sessions report and revenue from the sales report.
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from shopdata.engine import counts_distinct_by_grouping as engine_counts_distinct_by_grouping
from shopdata.metrics.cache import Source, cached, caches_results
from shopdata.metrics.definitions import METRICS_BY_NAME, measures_needed
from shopdata.rollups import HAS_MONEY, ROW_COUNT, covering
from shopdata.rollups import has_money as has_money
from shopdata.schema import TABLES

GRAIN_PRIORITY = {
    "traffic": ("shop", "source", "product", "landing_page"),
    "ads": ("campaign", "account", "ad_group", "product", "ad", "keyword", "search_term", "placement"),
}


# The currency choice for money whose rows state none (a Meta export imported without one). Never an ISO
# code (those are three capitals), so it can never be mistaken for, or added to, a known currency.
UNKNOWN_CURRENCY = "unknown"
# The tables whose currencies make a store's currency choices and whose money the currency rule splits.
CURRENCY_TABLES = ("traffic", "ads", "orders")


@dataclass(frozen=True)
class Scope:
    """Which rows a question is about."""

    store: str | None
    start: date | None = None
    end: date | None = None
    currency: str | None = None  # an ISO code, UNKNOWN_CURRENCY, or None for every row
    # (platform, currency) for the platforms whose rows state one currency only (see for_currency); looked up
    # once per scope instead of in every query, which made a page run dozens of extra queries.
    platform_currencies: tuple[tuple[str, str], ...] | None = None

    def shifted(self, start: date | None, end: date | None) -> Scope:
        return replace(self, start=start, end=end)

    def undated(self) -> Scope:
        """The same scope over every date: what a page reads once per data generation and slices per period
        (rows_in_period) where a day's figures do not depend on the period asking for them."""
        return replace(self, start=None, end=None)

    def inheriting_platforms(self) -> tuple[str, ...]:
        """The platforms whose rows without a currency are in this scope's currency."""
        return tuple(p for p, c in self.platform_currencies or () if c == self.currency)


def read_every_day(backend, scope: Scope) -> bool:
    """Whether a figure per day for `scope` is read for the store's every day (`scope.undated()`) and sliced to
    the period (`rows_in_period`): on a page (results cached per data generation) and for a scope with a period.
    A day's figure is the same whatever period asks for it, so a filter change, and the comparison period, then
    cost no query."""
    return caches_results(backend) and bool(scope.start or scope.end)


def rows_in_period(frame: pd.DataFrame, scope: Scope, column: str = "date") -> pd.DataFrame:
    """The rows of `frame` whose day (`column`: dates, or pandas datetimes) lies in the scope's period, renumbered."""
    # pandas compares a datetime column with Timestamps only (a date raises "Invalid comparison").
    bound = pd.Timestamp if pd.api.types.is_datetime64_any_dtype(frame[column]) else (lambda day: day)
    inside = pd.Series(True, index=frame.index)
    if scope.start:
        inside &= frame[column] >= bound(scope.start)
    if scope.end:
        inside &= frame[column] <= bound(scope.end)
    return frame[inside].reset_index(drop=True)


def for_currency(backend, scope: Scope) -> Scope:
    """The scope with its store's platform currencies looked up (a no-op without a currency).

    A row's money is in the currency the row states. A row that states none is in the currency of its
    platform when every other row of that platform in the store states one and the same currency (an
    Amazon placement report without a currency column beside the campaign report that has one: the same
    seller account; a Shopify sessions report beside its sales report in USD). Otherwise — a platform that
    never states its currency (Meta), or states several — its money is in an unknown currency, never added
    to a known one, and its rows without money (visitors only) count in every currency: they hold nothing
    to convert."""
    if scope.currency is None or scope.platform_currencies is not None:
        return scope
    return replace(scope, platform_currencies=tuple(sorted(platform_currencies(backend, scope.store).items())))


def table(backend, name: str) -> ir.Table:
    """A canonical table. A Source (shopdata/metrics/cache.py) or a wrapper deriving its own tables answers
    itself (a Source from its engine's table cache); a bare Ibis backend is asked each time."""
    return backend.table(name)


class OwnRollups(abc.ABC):
    """A wrapper around a backend that derives its own rows of a table (promotion's campaign labels) and sums
    them into a rollup of its own, which it names to `rollup_of` and hands out from its `table`. Only a wrapper
    of this class is asked: one that forwards attributes to such a wrapper derives other rows.

    Its tables depend on nothing but its class, the backend it wraps (`_backend`) and the rollups it named, so
    `shaped` keeps the expressions built over it per shape too (see there)."""

    _backend: Any

    @abc.abstractmethod
    def own_rollup(self, domain: str, by: Sequence[str]) -> str | None:
        """The name of its rollup answering a question on `domain` grouped by `by` exactly, or None."""


def counts_distinct_by_grouping(backend) -> bool:
    """Whether `backend`'s database counts distinct values per group faster by grouping on them first
    (shopdata.engine.counts_distinct_by_grouping): a Source's engine's, a wrapper's backend's, an Ibis backend's."""
    while isinstance(backend, OwnRollups):
        backend = backend._backend
    return engine_counts_distinct_by_grouping(backend.engine if isinstance(backend, Source) else backend)


def rollup_of(backend, domain: str, by: Sequence[str] = ()) -> str | None:
    """The rollup table that answers a question on `domain` grouped by `by` exactly, when the backend reads
    rollups: a Source (shopdata.rollups), a wrapper with its own (OwnRollups); another wrapper deriving its own
    tables, or a bare backend, reads the base rows."""
    if isinstance(backend, OwnRollups):
        return backend.own_rollup(domain, by)
    found = covering(domain, by) if isinstance(backend, Source) else None
    return found.table if found else None


@cached
def _currency_rows(backend, store: str | None) -> dict[tuple[str, str | None], int]:
    """(platform, currency) -> rows; currency None counts the rows with money but no currency.

    One query over the three tables with the store a parameter, so its SQL is compiled once per process:
    every scope with a currency asks this first, and three queries compiled afresh each time were most
    of a report's run on a store of a million rows."""
    parts = []
    for name in CURRENCY_TABLES:
        rollup = rollup_of(backend, name)
        t = table(backend, rollup or name)
        if store:
            t = t.filter(t.store == scope_param(0, "store"))
        t = t.filter(t.currency.notnull() | (t[HAS_MONEY] if rollup else has_money(t, name)))
        n = (t[ROW_COUNT].sum() if rollup else t.count()).cast("int64")
        parts.append(t.group_by(["platform", "currency"]).aggregate(n=n))
    counts: dict[tuple[str, str | None], int] = {}
    for row in run(backend, ibis.union(*parts, distinct=False), Scope(store=store)).to_pylist():
        key = (row["platform"], row["currency"])
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


def platform_currencies(backend, store: str | None) -> dict[str, str]:
    """The platforms whose rows state exactly one currency, with it (see for_currency)."""
    stated: dict[str, set[str]] = {}
    for platform, currency in _currency_rows(backend, store):
        if currency is not None:
            stated.setdefault(platform, set()).add(currency)
    return {platform: next(iter(found)) for platform, found in stated.items() if len(found) == 1}


def currencies(backend, store: str | None) -> list[str]:
    """Currencies of a store, the one with the most traffic, ad and order rows first (the default view);
    UNKNOWN_CURRENCY last when some money states no currency and cannot take its platform's."""
    rows: dict[str, int] = {}
    sole = platform_currencies(backend, store)
    for (platform, currency), n in _currency_rows(backend, store).items():
        if currency is None and platform in sole:
            continue
        key = currency or UNKNOWN_CURRENCY
        rows[key] = rows.get(key, 0) + n
    known = sorted((c for c in rows if c != UNKNOWN_CURRENCY), key=lambda c: (-rows[c], c))
    return known + ([UNKNOWN_CURRENCY] if UNKNOWN_CURRENCY in rows else [])


@cached
def unknown_currency_batches(backend, store: str | None) -> tuple[dict[str, Any], ...]:
    """The uploads holding money in an unknown currency (see for_currency), oldest first: batch_id,
    file_name, platform, kind and rows (how many of its rows hold such money)."""
    settled = list(platform_currencies(backend, store)) or [""]
    counts: dict[int, int] = {}
    for name in CURRENCY_TABLES:
        t = table(backend, name)
        if store:
            t = t.filter(t.store == store)
        t = t.filter(t.currency.isnull() & has_money(t, name) & ~t.platform.isin(settled))
        for row in t.group_by("batch_id").aggregate(n=t.count()).to_pyarrow().to_pylist():
            counts[row["batch_id"]] = counts.get(row["batch_id"], 0) + row["n"]
    if not counts:
        return ()
    b = table(backend, "batches")
    found = b.filter(b.batch_id.isin(list(counts))).select("batch_id", "file_name", "platform", "kind")
    return tuple(
        {**row, "rows": counts[row["batch_id"]]}
        for row in sorted(found.to_pyarrow().to_pylist(), key=lambda r: r["batch_id"])
    )


# The scope's values enter expressions as parameters, one per scope field and slot (the n-th scope of an
# expression that reads several), never as literals: expressions of one shape are then equal whatever the
# store and dates, so their SQL is compiled once (Engine.ibis_arrow) and the values are bound each time.
SCOPE_FIELDS = ("store", "start", "end", "currency")
_SCOPE_PARAMS: dict[tuple[int, str], ir.Scalar] = {}
_PARAM_SLOTS: dict[ops.ScalarParameter, tuple[int, str]] = {}
_SCOPE_PARAMS_LOCK = threading.Lock()


def scope_param(slot: int, field: str) -> ir.Scalar:
    """The parameter standing for `field` of the slot-th scope (text; dates are cast where used)."""
    with _SCOPE_PARAMS_LOCK:
        if (slot, field) not in _SCOPE_PARAMS:
            param = ibis.param("string")
            _SCOPE_PARAMS[(slot, field)] = param
            _PARAM_SLOTS[param.op()] = (slot, field)
        return _SCOPE_PARAMS[(slot, field)]


def scope_values(expr: ir.Expr, scopes: Sequence[Scope]) -> dict[ops.ScalarParameter, str]:
    """The values of the scope parameters `expr` holds, from `scopes` (slot n is scopes[n])."""
    values = {}
    for node in expr.op().find(ops.ScalarParameter):
        slot, field = _PARAM_SLOTS[node]
        value = getattr(scopes[slot], field)
        if value is None:
            raise ValueError(f"the expression reads the {field} of scope {slot}, which has none")
        values[node] = value.isoformat() if isinstance(value, date) else str(value)
    return values


def run(backend, expr: ir.Expr, *scopes: Scope) -> Any:
    """Execute an expression built on `scopes` (in slot order): an Arrow table, or a scalar for a scalar
    expression. Through a Source, the SQL of each expression shape is compiled once per process."""
    values = scope_values(expr, scopes)
    runner = getattr(backend, "run_compiled", None)  # a Source, or a wrapper around one
    if runner is not None:
        return runner(expr, values)
    return expr.to_pyarrow(params={node.to_expr(): value for node, value in values.items()})


def computed_once(backend, key: tuple, build: Callable[[], ir.Table], scopes: Sequence[Scope] = ()) -> ir.Table:
    """`build()` as a temporary table of the session's connection, computed once per data generation and `key`,
    where results are cached (a page: Source.materialized; its scope parameters bound from `scopes`); otherwise
    the expression itself. The table is looked up before the expression is built (Engine.existing_materialized).
    (getattr: a wrapper of the Source, as products' is, hands these on.)"""
    existing, materialize = getattr(backend, "existing_materialized", None), getattr(backend, "materialized", None)
    if existing is None or materialize is None:
        return build()
    found = existing(key)
    if found is not None:
        return found
    expr = build()
    made = materialize(key, expr, scope_values(expr, scopes))
    return expr if made is None else made


def to_pandas(backend, expr: ir.Table, *scopes: Scope) -> pd.DataFrame:
    """`expr.to_pandas()` (Ibis's own conversion of types) with the scope parameters bound."""
    return expr.to_pandas(params={node.to_expr(): value for node, value in scope_values(expr, scopes).items()})


def scoped_rows(
    backend, domain: str, scope: Scope, daily: bool = False, slot: int = 0, rollup: str | None = None
) -> ir.Table:
    """Rows of one table inside the scope. Window-scoped rows count only when their whole window is inside.
    The scope's values are parameters of slot `slot` (see scope_param); run binds them.

    With `rollup` (a table of shopdata.rollups over `domain`), its rows inside the scope: they keep every
    column this filters by, with has_money stored."""
    t = table(backend, rollup or domain)
    if scope.store:
        t = t.filter(t.store == scope_param(slot, "store"))
    day, end_col = TABLES[domain].day_columns()
    if scope.start:
        t = t.filter(t[day] >= scope_param(slot, "start").cast("date"))
    if scope.end:
        t = t.filter(t[end_col] <= scope_param(slot, "end").cast("date"))
    if daily and end_col != day:
        t = t.filter(t[day] == t[end_col])
    if scope.currency and domain in CURRENCY_TABLES:
        # for_currency says where a row without a currency counts: with its platform's sole currency; else
        # in every currency when it holds no money, and with the unknown currency when it does.
        scope = for_currency(backend, scope)
        settled = [p for p, _ in scope.platform_currencies or ()] or [""]
        unsettled = t.currency.isnull() & ~t.platform.isin(settled)
        money = t[HAS_MONEY] if rollup else has_money(t, domain)
        if scope.currency == UNKNOWN_CURRENCY:
            t = t.filter(unsettled)
        else:
            inheriting = list(scope.inheriting_platforms()) or [""]
            t = t.filter(
                (t.currency == scope_param(slot, "currency"))
                | (t.currency.isnull() & t.platform.isin(inheriting))
                | (unsettled & ~money)
            )
    return t


@cached
def has_rows(backend, scope: Scope, domain: str) -> bool:
    """Whether the scope has any row of the table (in its currency, for the tables that have money)."""
    count = run(backend, scoped_rows(backend, domain, scope, rollup=rollup_of(backend, domain)).count(), scope)
    # An Arrow scalar is truthy whatever it holds: its value decides.
    return (count.as_py() if isinstance(count, pa.Scalar) else count) > 0


def _row_expr(measure: str):
    row = METRICS_BY_NAME[measure].row
    if row is None:
        raise ValueError(f"{measure} is a ratio, not a measure summed over rows")
    return row


PERIOD = "_period"  # which of several scopes a row of compute_periods belongs to (0, 1, …)


def measure_table(
    backend, domain: str, scope: Scope, measures: Sequence[str], by: Sequence[str] = (), daily: bool = False
) -> ir.Table:
    """One row per breakdown value with each measure summed once (see the module docstring)."""
    return _measured(backend, domain, (scope,), measures, by, daily, periods=False)


def scope_shape(backend, scope: Scope) -> tuple:
    """What of a scope shapes its expressions: which fields are set, whether the currency is unknown, and
    the platforms settled in a currency and those in the scope's (literals in the expression); the values
    themselves are parameters."""
    if not scope.currency:
        return (bool(scope.store), bool(scope.start), bool(scope.end), False)
    scope = for_currency(backend, scope)
    settled = tuple(p for p, _ in scope.platform_currencies or ())
    unknown = scope.currency == UNKNOWN_CURRENCY
    return (bool(scope.store), bool(scope.start), bool(scope.end), True, unknown, settled, scope.inheriting_platforms())


def _measured(
    backend,
    domain: str,
    scopes: Sequence[Scope],
    measures: Sequence[str],
    by: Sequence[str],
    daily: bool,
    periods: bool,
) -> ir.Table:
    """measure_table over the rows of every scope, each row tagged with its scope's number (PERIOD) when
    `periods`: a row in two overlapping periods counts in both, and the periods never mix.

    Built once per shape and engine: building the expression took as long as running its query, and with
    the scope's values as parameters, every scope of one shape gives the same expression.

    Through a Source, a rollup (shopdata.rollups) answers when it has every column the question reads, and
    through a wrapper with rollups of its own (OwnRollups), one of those; another wrapper deriving its own
    tables, or a bare backend, reads the base rows."""
    rollup = rollup_of(backend, domain, by)
    return shaped(
        backend,
        ("measured", domain, tuple(measures), tuple(by), daily, periods, rollup),
        scopes,
        lambda: _build_measured(backend, domain, scopes, measures, by, daily, periods, rollup),
    )


def shaped(backend, key: tuple, scopes: Sequence[Scope], build: Callable[[], ir.Table]) -> ir.Table:
    """`build()`, built once per engine and shape through a Source: `key` says what the expression depends on
    besides the scopes' shapes (scope_shape; their values are parameters), including any rollup it reads.

    Through wrappers with rollups of their own (OwnRollups) around a Source, once per shape, wrappers' classes
    and data generation: their rollups are temporary tables of one generation. Building the expression over
    a wrapper's derived tables took 18 of the 31 ms and 44 of the 98 ms of the products' ad queries at 10M.
    Another wrapper, or a bare backend, builds it each time."""
    source, wrappers = backend, []
    while isinstance(source, OwnRollups):
        wrappers.append(type(source))
        source = source._backend
    if not isinstance(source, Source):
        return build()
    shape = (*key, tuple(scope_shape(source, s) for s in scopes))
    if wrappers:
        shape = (tuple(wrappers), source.generation, *shape)
    return source.engine.ibis_expression(shape, build)


def _build_measured(
    backend,
    domain: str,
    scopes: Sequence[Scope],
    measures: Sequence[str],
    by: Sequence[str],
    daily: bool,
    periods: bool,
    rollup: str | None = None,
) -> ir.Table:
    by = list(by)
    daily = daily or "date" in by
    parts = [scoped_rows(backend, domain, scope, daily=daily, slot=n, rollup=rollup) for n, scope in enumerate(scopes)]
    if periods:
        parts = [part.mutate(**{PERIOD: ibis.literal(n, type="int16")}) for n, part in enumerate(parts)]
    t = parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
    for column in by:
        if column != "date":
            t = t.filter(t[column].notnull())
    # A rollup's measure columns hold the sums of the measures' row expressions.
    t = t.mutate(**{f"_m_{m}": t[m] if rollup else _row_expr(m)(t) for m in measures})
    tagged = [PERIOD] if periods else []
    if domain == "traffic":
        level_group = [*tagged, "store", "platform", "date", "end_date", "grain"]
        # A row without a source level is a total above every source (a product's day in 商品效果 next to the
        # same product split by source in 商品来源): level 0, so its split is not added to it.
        level = t.source_level.fill_null(0)
        t = t.mutate(_top=level.min().over(ibis.window(group_by=[t[c] for c in level_group])))
        t = t.filter(level == t._top)
    keys = list(dict.fromkeys([*tagged, "store", "platform", "date", "end_date", *by]))
    per_grain = t.group_by([*keys, "grain"]).aggregate(**{m: t[f"_m_{m}"].sum() for m in measures})
    priority = GRAIN_PRIORITY[domain]
    chosen = per_grain.group_by(keys).aggregate(
        **{m: ibis.coalesce(*(per_grain[m].max(where=per_grain.grain == g) for g in priority)) for m in measures}
    )
    if by or tagged:
        return chosen.group_by([*tagged, *by]).aggregate(**{m: chosen[m].sum() for m in measures})
    return chosen.aggregate(**{m: chosen[m].sum() for m in measures})


def with_ratios(measured: ir.Table, metrics: Sequence[str]) -> ir.Table:
    """Add ratio metrics on top of their measures; a zero or empty denominator gives empty."""
    extra = {}
    for name in metrics:
        m = METRICS_BY_NAME[name]
        if m.ratio is not None:
            numerator, denominator = m.ratio
            extra[name] = measured[numerator] / measured[denominator].nullif(0) * m.scale
    return measured.mutate(**extra) if extra else measured


def metric_expr(backend, metrics: Sequence[str], scope: Scope, by: Sequence[str] = (), daily: bool = False) -> ir.Table:
    """An Ibis expression with columns *by + metrics, for one domain."""
    domains = {METRICS_BY_NAME[m].domain for m in metrics}
    if len(domains) != 1:
        raise ValueError(f"metrics from one table at a time, got {sorted(domains)}")
    domain = domains.pop()
    measured = measure_table(backend, domain, scope, measures_needed(list(metrics)), by, daily)
    return with_ratios(measured, metrics).select(*by, *metrics)


@cached
def compute(
    backend,
    metrics: Sequence[str],
    scope: Scope,
    by: Sequence[str] = (),
    daily: bool = False,
    order_by: Sequence[str] | None = None,
) -> pa.Table:
    """Metrics as an Arrow table (grouped by `by`), for pages, the CLI and tests."""
    expr = metric_expr(backend, metrics, scope, by, daily)
    if order_by:
        expr = expr.order_by(list(order_by))
    elif by:
        expr = expr.order_by(list(by))
    return run(backend, expr, scope)


@cached
def compute_periods(
    backend, metrics: Sequence[str], scopes: Sequence[Scope], by: Sequence[str] = (), daily: bool = False
) -> tuple[pa.Table, ...]:
    """`compute` for several periods (scopes) in one query — one compile, one scan — one table per scope,
    each ordered by `by`."""
    domains = {METRICS_BY_NAME[m].domain for m in metrics}
    if len(domains) != 1:
        raise ValueError(f"metrics from one table at a time, got {sorted(domains)}")
    measured = _measured(backend, domains.pop(), scopes, measures_needed(list(metrics)), by, daily, periods=True)
    expr = with_ratios(measured, metrics).select(PERIOD, *by, *metrics).order_by([PERIOD, *by])
    found = run(backend, expr, *scopes)
    return tuple(found.filter(pc.equal(found[PERIOD], n)).drop_columns([PERIOD]) for n in range(len(scopes)))


@cached
def totals_periods(backend, metrics: Sequence[str], scopes: Sequence[Scope]) -> tuple[dict[str, float | None], ...]:
    """`totals` for several periods, one query per table."""
    out: list[dict[str, float | None]] = [{} for _ in scopes]
    by_domain: dict[str, list[str]] = {}
    for name in metrics:
        by_domain.setdefault(METRICS_BY_NAME[name].domain, []).append(name)
    for names in by_domain.values():
        for values, found in zip(out, compute_periods(backend, names, scopes), strict=True):
            row = found.to_pylist()
            values.update({n: (row[0] if row else {}).get(n) for n in names})
    return tuple({n: values.get(n) for n in metrics} for values in out)


@cached
def totals(backend, metrics: Sequence[str], scope: Scope) -> dict[str, float | None]:
    """Whole-scope values of metrics from any tables (grouped per table behind the scenes)."""
    out: dict[str, float | None] = {}
    by_domain: dict[str, list[str]] = {}
    for name in metrics:
        by_domain.setdefault(METRICS_BY_NAME[name].domain, []).append(name)
    for names in by_domain.values():
        row = compute(backend, names, scope).to_pylist()
        values = row[0] if row else {}
        out.update({n: values.get(n) for n in names})
    return {n: out.get(n) for n in metrics}


@cached
def data_range(
    backend,
    store: str | None,
    domains: Sequence[str] = ("traffic", "ads", "events", "prices", "rival_metrics", "rival_promotions", "orders"),
) -> tuple[date | None, date | None]:
    """First and last day with data for a store (the default period ends at the latest date, not today)."""
    first, last = None, None
    for domain in domains:
        t = table(backend, rollup_of(backend, domain) or domain)  # the same first and last day
        if store:
            t = t.filter(t.store == store)
        day, end_col = TABLES[domain].day_columns()
        row = t.aggregate(lo=t[day].min(), hi=t[end_col].max()).to_pyarrow().to_pylist()[0]
        lo, hi = _as_date(row["lo"]), _as_date(row["hi"])
        first = lo if first is None or (lo and lo < first) else first
        last = hi if last is None or (hi and hi > last) else last
    return first, last


def _as_date(value) -> date | None:
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value
