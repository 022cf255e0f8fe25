"""Monthly targets against the month so far: actual, pace and a linear run-rate projection.

The projection is the month-to-date figure divided by the days elapsed and multiplied by the days in the month
(a ratio such as ROAS is projected as its month-to-date value); the sentence the pages show for it is
`loop.targets.method` in shopdata/i18n/loop.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shopdata.journal import TARGET_METRICS, month_bounds
from shopdata.metrics import orders
from shopdata.metrics.overview import available
from shopdata.metrics.query import Scope, for_currency, run, table, totals

# A target metric -> (the traffic or ads metric, the order export's metric for a store without traffic rows).
ACTUAL_METRIC: dict[str, tuple[str, str | None]] = {
    "revenue": ("revenue", "order_revenue"),
    "orders": ("orders", "paid_orders"),
    "visitors": ("visitors", None),
    "spend": ("spend", None),
    "roas": ("roas", None),
}
RECORD_FIELDS = ("month", "metric", "target", "actual", "pace", "projected", "projected_pct")


def stored_targets(backend, store: str, month: str) -> list[dict[str, Any]]:
    """The store's targets of the month, read afresh (targets are never cached: see shopdata/journal.py)."""
    t = table(backend, "targets")
    found = run(backend, t.select("store", "month", "metric", "value", "currency")).to_pylist()
    chosen = [r for r in found if r["store"] == store and r["month"] == month and r["metric"] in TARGET_METRICS]
    order = list(TARGET_METRICS)
    return sorted(chosen, key=lambda r: order.index(r["metric"]))


def elapsed_days(month: str, today: date) -> tuple[int, int]:
    """(days of the month counted so far, up to and including `today`; days in the month)."""
    first, last = month_bounds(month)
    days = (last - first).days + 1
    if today < first:
        return 0, days
    return min((today - first).days + 1, days), days


def _actual(backend, store: str, first: date, through: date, metric: str, currency: str | None) -> float | None:
    scope = for_currency(backend, Scope(store, first, through, currency))
    traffic_metric, order_metric = ACTUAL_METRIC[metric]
    if order_metric is not None and not available(backend, scope)["traffic"]:
        value = orders.order_summary(backend, scope)[order_metric]
    else:
        value = totals(backend, (traffic_metric,), scope)[traffic_metric]
    return None if value is None else float(value)


def target_progress(backend, store: str, month: str, today: date, currency: str | None) -> list[dict[str, Any]]:
    """One record per target of the month: target, actual (month start through `today`, the last complete day),
    pace (where the figure would be today, were the target spread evenly over the month's days), projected
    (linear run-rate to the month's end) and projected_pct (projected ÷ target). A money target is measured in
    its own currency; the others in `currency`. Before the month starts nothing is measured (None)."""
    first, _ = month_bounds(month)
    elapsed, days = elapsed_days(month, today)
    records = []
    for target in stored_targets(backend, store, month):
        spec = TARGET_METRICS[target["metric"]]
        value = float(target["value"])
        actual = projected = pace = None
        if elapsed:
            through = first.replace(day=elapsed)
            actual = _actual(backend, store, first, through, spec.name, target["currency"] or currency)
            if spec.additive:
                pace = value * elapsed / days
                projected = None if actual is None else actual * days / elapsed
            else:
                pace, projected = value, actual
        records.append(
            {
                "month": month,
                "metric": spec.name,
                "target": value,
                "actual": actual,
                "pace": pace,
                "projected": projected,
                "projected_pct": None if projected is None else projected / value,
            }
        )
    return records


def months_of(start: date, end: date) -> list[str]:
    """'YYYY-MM' of every month start..end touches, in order."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def report_records(
    backend, scope: Scope, compare_scope: Scope | None, by: str | None = None, language: str = "en"
) -> list[dict[str, Any]]:
    """`report targets`: target_progress of every month the period touches, its last day counted as today."""
    if scope.store is None or scope.start is None or scope.end is None:
        return []
    return [
        record
        for month in months_of(scope.start, scope.end)
        for record in target_progress(backend, scope.store, month, scope.end, scope.currency)
    ]
