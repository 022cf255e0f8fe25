"""Orders: the store's own records (order exports) as KPIs — orders placed and paid, revenue, refunds, buyers,
new and returning buyers, repeat rates, breakdowns by day/week/month/region/channel/status/product, cohorts.

What each figure is lives in shopdata/metrics/definitions.py (ORDER_METRICS); what each platform's export
means by its columns (paid statuses, money written once per order, paid amounts net of refunds) lives in
shopdata/ingest/layouts.py (ORDER_EXPORTS). This module counts:

1. `order_lines`: every row of the store's orders (store and currency scope, all dates) with what it says
   of its order filled in from the order's other rows — Olist's order items carry the money and its orders
   file the day, buyer, status and payment — and each row's paid flag and money.
2. Rows are grouped into order parts: one per order, or one per order and breakdown value (an Amazon order
   with a cancelled and a shipped line is a cancelled part and a shipped part). Within a part, money written
   once per order (Shopify's Total on every line) is taken once; money of a line export is summed. An order
   loaded both at order grain (Etsy's orders file: its total) and at line grain (its items file) is counted
   once: its money from the order row, its units (and a product breakdown's figures) from its lines.
3. Parts are kept when their order's day is in the period, then counted per breakdown value.

Buyer history (new, returning, repeat within N days) is read over all the store's data, not just the period:
a buyer's first paid order is their first in everything loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from shopdata.ingest.layouts import ORDER_EXPORTS
from shopdata.metrics.cache import cached, caches_results
from shopdata.metrics.definitions import ORDER_METRICS, measures_needed, metric
from shopdata.metrics.query import (
    Scope,
    computed_once,
    counts_distinct_by_grouping,
    for_currency,
    read_every_day,
    rows_in_period,
    run,
    scope_param,
    scoped_rows,
    shaped,
)

ORDER_KEY = ("store", "platform", "order_id")
REPEAT_DAYS = (30, 60, 90)

# --by of orders_by: the breakdown's column in the result, and the line column it groups by.
TIME_BY = {"day": "D", "week": "W", "month": "M"}  # bucketed by the order's day; the result column is `date`
COLUMN_BY = {"region": "region", "channel": "channel", "status": "status", "product": "product", "platform": "platform"}
BY = (*TIME_BY, *COLUMN_BY)

# The order metrics in the order orders_by returns them (ratios after their parts).
MEASURES = tuple(m.name for m in ORDER_METRICS if not m.is_ratio)
RATIOS = tuple(m.name for m in ORDER_METRICS if m.is_ratio)
METRIC_NAMES = (*MEASURES, *RATIOS)
# The measures that need each buyer's history (their first paid order and their second): reading it is a
# window and a join over all the store's orders, skipped when none of them is asked for.
HISTORY_MEASURES = (
    "new_buyers",
    "returning_buyers",
    *(f"repeat_buyers_{d}" for d in REPEAT_DAYS),
)

# `report orders`: the record's field -> the metric it prints (the names; the catalog's are unique
# across tables, where `orders`, `revenue`, `buyers` and `aov` are the traffic report's).
REPORT_FIELDS = {
    "orders": "order_count",
    "paid_orders": "paid_orders",
    "revenue": "order_revenue",
    "refund": "order_refund",
    "net_revenue": "net_revenue",
    "buyers": "order_buyers",
    "aov": "order_aov",
    "units": "order_units",
}


def _platforms(flag: str) -> list[str]:
    return sorted(p for p, export in ORDER_EXPORTS.items() if getattr(export, flag))


def _paid_by_status(t: ir.Table) -> ir.BooleanValue:
    # One lookup of "platform|status" (a platform's name has no "|"), not an IN list per platform: the row's
    # status is trimmed and lowered once.
    paid = [
        f"{platform}|{s.lower()}" for platform, export in sorted(ORDER_EXPORTS.items()) for s in export.paid_statuses
    ]
    return (t.platform.concat("|", t.status.strip().lower())).isin(paid).fill_null(False)


def order_lines(backend, scope: Scope, history: bool = True) -> ir.Table:
    """Every order row of the scope's store and currency (all dates: buyer history needs them), each with
    its order's day, time, buyer, region, channel and status where the row itself lacks them, whether the
    row is paid, its money, and (with `history`) its buyer's first paid order and the time of their second.

    Through a Source that caches results (a page), computed once per data generation (see _computed_once):
    every order query of every page starts from these rows, and deriving them is a window over all the
    store's orders and their buyers' histories."""
    return _computed_once(
        backend, scope, ("order_lines", history), lambda whole: _derived_lines(backend, whole, history)
    )


def _computed_once(backend, scope: Scope, key: tuple, build: Callable[[Scope], ir.Table]) -> ir.Table:
    """`build(whole)` — an expression over the scope's store and currency on every date — as a temporary table
    of the session's connection computed once per data generation, store, currency and `key`, where results
    are cached (a page: Source.materialized); otherwise the expression itself. Only the period's filter,
    applied after, changes with the filters, so a filter change reads these rows instead of deriving them."""
    whole = for_currency(backend, scope).undated()
    return computed_once(backend, (*key, whole), lambda: build(whole), [whole])


def lines_shape(backend, scope: Scope) -> tuple | None:
    """What an expression over _computed_once's tables depends on beyond the scope's shape: the temporary
    tables it reads (one per data generation, store and currency), or None where the rows are derived in
    the expression itself (the scope's values are then parameters)."""
    if not caches_results(backend):
        return None
    return (backend.generation, for_currency(backend, scope).undated())


def _product_key(t: ir.Table) -> ir.Value:
    """An order row's product: its ID, else its SKU, else its title."""
    return ibis.coalesce(t.product_id, t.sku, t.product_name)


def _derived_lines(backend, scope: Scope, history: bool) -> ir.Table:
    t = scoped_rows(backend, "orders", scope)
    order = ibis.window(group_by=[t[c] for c in ORDER_KEY])
    states_payment = t.paid_time.notnull() | t.paid_amount.notnull() | t.status.notnull()
    own_paid = t.paid_time.notnull() | (t.paid_amount.fill_null(0) > 0) | _paid_by_status(t)
    order_paid = own_paid.any().over(order)
    after_refunds = t.platform.isin(_platforms("paid_after_refunds") or [""])
    paid_money = ibis.ifelse(after_refunds, t.paid_amount + t.refund_amount.fill_null(0), t.paid_amount)
    one_unit = t.platform.isin(_platforms("line_is_unit") or [""]) & (t.grain == "line")
    t = t.mutate(
        order_date=t.order_date.min().over(order),
        order_time=t.order_time.min().over(order),
        buyer_id=ibis.coalesce(t.buyer_id, t.buyer_id.max().over(order)),
        region=ibis.coalesce(t.region, t.region.max().over(order)),
        channel=ibis.coalesce(t.channel, t.channel.max().over(order)),
        status=ibis.coalesce(t.status, t.status.max().over(order)),
        product=_product_key(t),
        paid=ibis.ifelse(states_payment, own_paid, order_paid),
        order_paid=order_paid,
        money=ibis.coalesce(paid_money, t.amount),
        units=ibis.coalesce(t.quantity, ibis.ifelse(one_unit, 1.0, ibis.null("float64"))),
        per_order=t.platform.isin(_platforms("money_per_order") or [""]),
    )
    if not history:
        return t
    # Each buyer's paid orders in time order: the first is when they became a buyer, the second a repeat.
    orders = (
        t.filter(t.order_paid & t.buyer_id.notnull())
        .group_by(["store", "platform", "buyer_id", "order_id"])
        .aggregate(at=t.order_time.min())
    )
    buyer = ibis.window(
        group_by=[orders.store, orders.platform, orders.buyer_id], order_by=[orders.at, orders.order_id]
    )
    ranked = orders.mutate(rank=ibis.row_number().over(buyer))
    history = ranked.group_by(["store", "platform", "buyer_id"]).aggregate(
        first_order=ranked.order_id.min(where=ranked["rank"] == 0),
        first_at=ranked.at.min(where=ranked["rank"] == 0),
        second_at=ranked.at.min(where=ranked["rank"] == 1),
    )
    joined = t.left_join(history, ["store", "platform", "buyer_id"])
    return joined.mutate(
        first_order=joined.order_id == joined.first_order,
        **{
            f"repeat_{days}": joined.second_at.notnull()
            & (joined.second_at <= joined.first_at + ibis.interval(days=days))
            for days in REPEAT_DAYS
        },
    ).drop([c for c in joined.columns if c.endswith("_right")] + ["first_at", "second_at"])


def product_keys(backend, scope: Scope) -> ir.Table:
    """The product key order_lines gives each order row of the period (ID, else SKU, else title), one row per
    key: `has_id`, whether any of its rows names it by ID or SKU, and `name`, its greatest title among those
    rows, else among all of them.

    Read, on a page, from each day's keys computed once per data generation (_computed_once): a filter change
    then groups a few rows per day and product instead of every order row."""

    def build(whole: Scope) -> ir.Table:
        t = scoped_rows(backend, "orders", whole)
        key = _product_key(t)
        t = t.mutate(key=key, has_id=t.product_id.notnull() | t.sku.notnull()).filter(key.notnull())
        return t.group_by(["order_date", "key"]).aggregate(
            has_id=t.has_id.any(), id_name=t.product_name.max(where=t.has_id), name=t.product_name.max()
        )

    days = in_period(_computed_once(backend, scope, ("product_keys",), build), scope)
    return days.group_by("key").aggregate(
        has_id=days.has_id.any(), name=ibis.coalesce(days.id_name.max(), days.name.max())
    )


def in_period(parts: ir.Table, scope: Scope, day: str = "order_date") -> ir.Table:
    """The rows whose `day` is in the scope's period."""
    if scope.start:
        parts = parts.filter(parts[day] >= scope_param(0, "start").cast("date"))
    if scope.end:
        parts = parts.filter(parts[day] <= scope_param(0, "end").cast("date"))
    return parts


def key_name(by: str | None) -> str:
    """The column a breakdown's values are in: `date` for day/week/month, else the breakdown's name."""
    return "date" if by is None or by in TIME_BY else by


def _key_of(lines: ir.Table, by: str | None) -> dict[str, ir.Value]:
    if by is None:
        return {}
    if by in TIME_BY:
        day = lines.order_date
        return {"date": day if by == "day" else day.truncate(TIME_BY[by])}
    if by in COLUMN_BY:
        return {by: lines[COLUMN_BY[by]]}
    raise ValueError(f"orders break down by {', '.join(BY)}, not {by!r}")


def order_parts(backend, scope: Scope, column: str | None = None, history: bool = True) -> ir.Table:
    """The scope's orders (all dates, as order_lines), one row per order — or per order and value of a
    breakdown `column` (COLUMN_BY) — with its day, whether it is paid, its buyer, its money, refund, shipping
    and units counted once, and (with `history`) whether it is its buyer's first and their repeats.

    Through a Source that caches results (a page), computed once per data generation (_computed_once) with
    every history column: each order figure of a page is then a filter on the period and a sum over these."""
    history = history or lines_shape(backend, scope) is not None
    return _computed_once(
        backend, scope, ("order_parts", column), lambda whole: _parts(backend, whole, column, history)
    )


def _parts(backend, scope: Scope, column: str | None, history: bool) -> ir.Table:
    lines = order_lines(backend, scope, history)
    key = _key_of(lines, column)
    lines = lines.mutate(**key)
    # Unpaid lines count 0 where the export has the figure, so a breakdown of unpaid orders shows 0, not empty.
    paid_money, paid_shipping, paid_units = (
        ibis.ifelse(lines.paid, value, value * 0) for value in (lines.money, lines.shipping, lines.units)
    )
    # One order may be loaded at order grain (its total, one row) and at line grain (its items) from two exports
    # of the store; its figures are then counted once: the money as its order row states it (the total the
    # buyer paid), else from its lines; its units from its lines (what a product breakdown counts), else the
    # order row's item count. Within a grain, money written once per order on every line (per_order: a
    # platform's way, the same on all of an order's rows) is taken once, else summed. One aggregation: each
    # grain's sums and maxima are its own filtered aggregates, so no per-grain rows are built first.
    part_key = [*ORDER_KEY, *(k for k in key if k not in ORDER_KEY)]
    at_order = (lines.grain == "order").fill_null(False)
    at_line = ~at_order
    per_order = lines.per_order.any()

    def told(value: ir.Value, first: ir.BooleanValue, then: ir.BooleanValue, once: ir.BooleanValue | None) -> ir.Value:
        def of(rows: ir.BooleanValue) -> ir.Value:
            total = value.sum(where=rows)
            return total if once is None else ibis.ifelse(once, value.max(where=rows), total)

        return ibis.coalesce(of(first), of(then))

    return lines.group_by(part_key).aggregate(
        order_date=lines.order_date.min(),
        paid=lines.paid.any(),
        buyer_id=lines.buyer_id.max(),
        **(
            {"first_order": lines.first_order.any(), **{f"repeat_{d}": lines[f"repeat_{d}"].any() for d in REPEAT_DAYS}}
            if history
            else {}
        ),
        revenue=told(paid_money, at_order, at_line, per_order),
        refund=told(lines.refund_amount, at_order, at_line, per_order),
        shipping=told(paid_shipping, at_order, at_line, per_order),
        units=told(paid_units, at_line, at_order, None),
    )


def _measured(backend, scope: Scope, by: str | None, metrics: tuple[str, ...] = METRIC_NAMES) -> ir.Table:
    """One row per breakdown value (one row without `by`) with the order metrics asked for."""
    needed = measures_needed(list(metrics))
    history = any(m in HISTORY_MEASURES for m in needed)
    # A day, week or month is the order's own day: the parts are one per order, as without a breakdown.
    column = by if by in COLUMN_BY else None
    parts = order_parts(backend, scope, column, history)
    key = _key_of(parts, by)
    parts = in_period(parts.mutate(**key), scope)
    # Which buyers count: paid ones, new ones (the order is their first), and new ones who came back within N days.
    new = parts.paid & parts.first_order.fill_null(False) if history else None
    flags = {"paid": parts.paid}
    if new is not None:
        flags |= {"new": new, **{f"repeat_{d}": new & parts[f"repeat_{d}"] for d in REPEAT_DAYS}}
    if counts_distinct_by_grouping(backend):
        # Each breakdown value's buyers one row each, with their orders' sums and whether any of their orders has
        # each flag: a buyer count is then a count of rows (query.counts_distinct_by_grouping says why). The
        # orders without a buyer are one row more, counted in the sums and in no buyer count.
        rows = parts.group_by([*key, "buyer_id"]).aggregate(
            parts=parts.count(),
            paid_parts=ibis.ifelse(parts.paid, 1, 0).sum(),
            **{c: parts[c].sum() for c in ("revenue", "refund", "shipping", "units")},
            **{f"buyer_{name}": flag.any() for name, flag in flags.items()},
        )
        order_count, paid_orders = rows.parts.sum().fill_null(0), rows.paid_parts.sum()

        def buyers(flag: str) -> ir.IntegerValue:
            return rows.count(where=rows[f"buyer_{flag}"] & rows.buyer_id.notnull())
    else:
        rows = parts.mutate(**{f"buyer_{name}": flag for name, flag in flags.items()})
        order_count, paid_orders = rows.count(), ibis.ifelse(rows.paid, 1, 0).sum()

        def buyers(flag: str) -> ir.IntegerValue:
            return rows.buyer_id.nunique(where=rows[f"buyer_{flag}"] & rows.buyer_id.notnull())

    revenue = rows.revenue.sum()
    refund = rows.refund.sum()
    has_buyers = rows.buyer_id.notnull().any()
    measures: dict[str, ir.Value] = {
        "order_count": order_count,
        "paid_orders": paid_orders,
        "order_revenue": revenue,
        "order_refund": refund,
        "net_revenue": revenue - refund,
        "order_shipping": rows.shipping.sum(),
        # Without buyer IDs in the export the buyer counts are unknown, not zero.
        "order_buyers": ibis.ifelse(has_buyers, buyers("paid"), ibis.null("int64")),
        "order_units": rows.units.sum(),
    }
    if history:
        new_buyers = buyers("new")
        measures |= {
            "new_buyers": ibis.ifelse(has_buyers, new_buyers, ibis.null("int64")),
            "returning_buyers": ibis.ifelse(has_buyers, buyers("paid") - new_buyers, ibis.null("int64")),
            **{
                f"repeat_buyers_{d}": ibis.ifelse(has_buyers, buyers(f"repeat_{d}"), ibis.null("int64"))
                for d in REPEAT_DAYS
            },
        }
    measures = {name: measures[name] for name in needed}
    grouped = rows.group_by(list(key)).aggregate(**measures) if key else rows.aggregate(**measures)
    ratios = {}
    for name in metrics:
        if name in RATIOS:
            numerator, denominator = metric(name).ratio or (name, name)
            ratios[name] = grouped[numerator].cast("float64") / grouped[denominator].nullif(0).cast("float64")
    return grouped.mutate(**ratios).select(*key, *metrics)


def _expression(backend, scope: Scope, by: str | None, metrics: tuple[str, ...] = METRIC_NAMES) -> ir.Table:
    """_measured, built once per shape and engine through a Source (the scope's values are parameters)."""
    return shaped(
        backend,
        ("orders", lines_shape(backend, scope), by, metrics),
        [scope],
        lambda: _measured(backend, scope, by, metrics),
    )


def _frame(backend, expr: ir.Table, scope: Scope) -> pd.DataFrame:
    frame = run(backend, expr, scope).to_pandas()
    for name in METRIC_NAMES:
        if name in frame.columns:
            frame[name] = frame[name].astype("float64")
    return frame


@cached
def orders_by(backend, scope: Scope, by: str, metrics: tuple[str, ...] = METRIC_NAMES) -> pd.DataFrame:
    """The order metrics (every one unless `metrics` names some) per breakdown value, ordered by it: `date`
    (the day, the week's Monday or the month's first day of the order) for day/week/month, else a column
    named as `by`. Values absent from the data (no region column, say) give no rows."""
    _check_known(metrics)
    if by == "day" and read_every_day(backend, scope):
        # A day's figures are the same whatever period asks for them (the period only keeps the orders of its
        # days), so on a page they are read from the store's every day, computed once per data generation: a
        # filter change, and the comparison period, then cost no query.
        return rows_in_period(orders_by(backend, scope.undated(), "day", metrics), scope)
    key = key_name(by)
    expr = _expression(backend, scope, by, tuple(metrics))
    if key != "date":
        expr = expr.filter(expr[key].notnull())
    return _frame(backend, expr.order_by(key), scope).reset_index(drop=True)


@cached
def order_summary(backend, scope: Scope, metrics: tuple[str, ...] = METRIC_NAMES) -> dict[str, float | None]:
    """The order metrics (every one unless `metrics` names some) over the scope: {metric: value}, None where it
    cannot be known. Naming the few a caller shows spares counting the rest (each buyer's history, say)."""
    _check_known(metrics)
    frame = _frame(backend, _expression(backend, scope, None, tuple(metrics)), scope)
    row = frame.iloc[0] if len(frame) else pd.Series(dtype="float64")
    return {name: _value(row.get(name)) for name in metrics}


def _check_known(metrics: tuple[str, ...]) -> None:
    unknown = set(metrics) - set(METRIC_NAMES)
    if unknown:
        raise ValueError(f"no order metric named {sorted(unknown)}")


def _value(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


@cached
def has_orders(backend, scope: Scope) -> bool:
    """Whether the scope has any order placed in its period."""
    if lines_shape(backend, scope) is not None:  # a page: the days' counts, read once per data generation
        return bool((orders_by(backend, scope, "day", ("order_count",))["order_count"] > 0).any())
    # Only the count: the whole summary also reads every buyer's history (seconds on a million lines).
    frame = _frame(backend, _expression(backend, scope, None, ("order_count",)), scope)
    return bool(len(frame)) and bool((_value(frame.iloc[0].get("order_count")) or 0) > 0)


@cached
def cohorts(backend, scope: Scope, months: int = 12) -> pd.DataFrame:
    """Buyers by month of first paid order (in the period) × months since: cohort (the month's first day),
    buyers (the cohort's size), then `m0`…`m{months}`: the share of the cohort with a paid order in that month
    after their first (m0 counts a second order in the first month)."""

    def build(whole: Scope) -> ir.Table:
        lines = order_lines(backend, whole)
        paid = lines.filter(lines.paid & lines.buyer_id.notnull())
        orders = paid.group_by([*ORDER_KEY, "buyer_id"]).aggregate(
            order_date=paid.order_date.min(), first_order=paid.first_order.any()
        )
        # Each order carries its buyer's first order's day, that day's month (the cohort) and the months since
        # it: a period's cohorts are then a filter on them, not a join of every order to the buyers' first
        # orders, nor a month's arithmetic on every order, on each filter change.
        buyer = ibis.window(group_by=[orders.store, orders.platform, orders.buyer_id])
        first = orders.first_order.fill_null(False)
        orders = orders.mutate(first_date=orders.order_date.min(where=first).over(buyer), first=first)
        cohort = orders.first_date.truncate("M")
        since = (orders.order_date.year() - cohort.year()) * 12 + orders.order_date.month() - cohort.month()
        return orders.mutate(cohort=cohort, since=since)

    orders = _computed_once(backend, scope, ("paid_buyer_orders",), build)
    first = in_period(orders.filter(orders.first), scope).select("buyer_id", "cohort")
    # The later orders of the buyers whose first order is in the period (first_date is its order_date).
    later = in_period(orders.filter(~orders.first), scope, "first_date")
    later = later.filter(later.since <= months)
    sizes = _distinct_buyers(backend, first, ["cohort"], "buyers")
    returned = _distinct_buyers(backend, later, ["cohort", "since"], "returned")
    size_frame = run(backend, sizes.order_by("cohort"), scope).to_pandas()
    back = run(backend, returned, scope).to_pandas()
    columns = ["cohort", "buyers", *(f"m{n}" for n in range(months + 1))]
    if size_frame.empty:
        return pd.DataFrame(columns=columns)
    table = back.pivot_table(index="cohort", columns="since", values="returned", aggfunc="sum")
    out = size_frame.set_index("cohort")
    for n in range(months + 1):
        counts = table[n] if n in table.columns else pd.Series(dtype="float64")
        out[f"m{n}"] = counts.reindex(out.index).fillna(0).astype("float64") / out["buyers"].astype("float64")
    return out.reset_index()[columns]


def _distinct_buyers(backend, rows: ir.Table, by: list[str], name: str) -> ir.Table:
    """How many distinct buyers `rows` (none without a buyer) holds per value of `by`, in column `name`: their
    distinct (value, buyer) pairs counted where the database counts faster so (counts_distinct_by_grouping)."""
    if counts_distinct_by_grouping(backend):
        pairs = rows.select(*by, "buyer_id").distinct()
        return pairs.group_by(by).aggregate(**{name: pairs.count()})
    return rows.group_by(by).aggregate(**{name: rows.buyer_id.nunique()})


def _orders_by_hour_of_day(backend, scope: Scope) -> ir.Table:
    """The orders placed in the scope's period counted per day, weekday (0 = Monday) and hour of their creation
    time (both null for an order without a time of day): placed, paid, and paid with any money refunded.

    Read, on a page, from every day's counts computed once per data generation (_computed_once): a filter change
    then sums a few rows per day instead of grouping every order."""

    def build(whole: Scope) -> ir.Table:
        lines = order_lines(backend, whole, history=False)
        orders = lines.group_by(list(ORDER_KEY)).aggregate(
            order_date=lines.order_date.min(),
            order_time=lines.order_time.min(),
            paid=lines.paid.any(),
            refunded=(lines.refund_amount.fill_null(0) > 0).any(),
        )
        return orders.group_by(
            "order_date", weekday=orders.order_time.day_of_week.index(), hour=orders.order_time.hour()
        ).aggregate(
            placed=orders.count(),
            paid=ibis.ifelse(orders.paid, 1, 0).sum(),
            refunded=ibis.ifelse(orders.paid & orders.refunded, 1, 0).sum(),
        )

    return in_period(_computed_once(backend, scope, ("orders_by_hour_of_day",), build), scope)


@cached
def order_stages(backend, scope: Scope) -> dict[str, int]:
    """Orders placed → paid → refunded (paid orders with any money refunded) in the period."""
    hours = _orders_by_hour_of_day(backend, scope)
    counted = hours.aggregate(**{stage: hours[stage].sum().fill_null(0) for stage in ("placed", "paid", "refunded")})
    row = run(backend, counted, scope).to_pylist()[0]
    return {stage: int(row[stage] or 0) for stage in ("placed", "paid", "refunded")}


@cached
def orders_by_hour(backend, scope: Scope) -> pd.DataFrame:
    """Orders placed per weekday (0 = Monday) × hour of day (0–23) of their creation time, as exported (the
    platform's clock); orders without a time of day (a date-only export) are left out. Columns: weekday, hour,
    orders — only the cells with orders."""
    hours = _orders_by_hour_of_day(backend, scope)
    hours = hours.filter(hours.hour.notnull())
    counted = hours.group_by(["weekday", "hour"]).aggregate(orders=hours.placed.sum())
    frame = run(backend, counted.order_by(["weekday", "hour"]), scope).to_pandas()
    return frame.astype({"weekday": "int64", "hour": "int64", "orders": "int64"})


# ---- CLI -----------------------------------------------------------------------------------------


def _records(frame: pd.DataFrame, key: str) -> list[dict]:
    records = []
    for row in frame.to_dict("records"):
        value = row[key]
        value = value.isoformat() if hasattr(value, "isoformat") else value
        records.append({key: value, **{field: _value(row[name]) for field, name in REPORT_FIELDS.items()}})
    return records


def report_records(
    backend, scope: Scope, compare_scope: Scope | None, by: str | None = None, language: str = "en"
) -> list[dict]:
    """`python -m shopdata report orders`: one record per breakdown value (per day without `by`) with
    orders, paid_orders, revenue, refund, net_revenue, buyers, aov and units. The breakdown's field is `date`
    for day/week/month, else the breakdown's name. Records carry numbers and names from the data only, so
    neither `language` nor the comparison period changes them."""
    by = by or "day"
    return _records(orders_by(backend, scope, by, tuple(REPORT_FIELDS.values())), key_name(by))


def record_fields(by: str | None) -> tuple[str, ...]:
    """The fields of a `report orders` record for one --by (None: per day)."""
    return (key_name(by), *REPORT_FIELDS)
