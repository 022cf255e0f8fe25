"""An activity's (活动) lift: what a date range brought beyond the store's expected days. Pure: it takes the dates;
storing activities is another module's job.

- revenue, orders, visitors and spend: sums over the activity's days (revenue and orders from the traffic report
  where the store has one, else from the order export: revenue (orders) and paid orders).
- expected_revenue: the sum over the activity's days of baseline.expected_range's expected revenue, computed from
  the days BEFORE the activity only (the activity's own days are left out of the history, so a long activity
  is not measured against itself); None if any activity day has too little history.
- lift = revenue − expected_revenue; lift_pct = lift ÷ expected_revenue.
- incremental_roas = lift ÷ spend during the activity: the revenue beyond normal days per unit of ad spend
  during it (all the spend of the activity is counted as its cost, not just the spend above normal, which
  would divide by a small and noisy difference). None without spend.
- hangover: the hangover_days after the activity, revenue_after against expected_after (same baseline, still
  without the activity's days): a negative hangover is demand the activity pulled forward.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd

from shopdata.metrics import baseline, orders
from shopdata.metrics.query import Scope, compute, data_range

FIELDS = (
    "date_from",
    "date_to",
    "revenue",
    "orders",
    "visitors",
    "spend",
    "expected_revenue",
    "lift",
    "lift_pct",
    "incremental_roas",
    "revenue_after",
    "expected_after",
    "hangover",
)


def _daily(backend, scope: Scope) -> pd.DataFrame:
    """revenue, orders, visitors, spend per day of the scope (NaN where unknown)."""
    days = pd.date_range(scope.start, scope.end, freq="D")
    out = pd.DataFrame(index=days, columns=["revenue", "orders", "visitors", "spend"], dtype="float64")
    traffic = compute(backend, ["revenue", "orders", "buyers", "visitors"], scope, by=["date"], daily=True).to_pandas()
    traffic = traffic.set_index(pd.to_datetime(traffic["date"]))
    # Visitors from the traffic reports whichever export the money comes from (a sessions report beside orders).
    out["visitors"] = traffic["visitors"].reindex(days)
    if len(traffic) and traffic["revenue"].notna().any():
        out["revenue"] = traffic["revenue"].reindex(days)
        out["orders"] = traffic["orders"].fillna(traffic["buyers"]).reindex(days)
    elif orders.has_orders(backend, scope):
        found = orders.orders_by(backend, scope, "day", ("order_revenue", "paid_orders"))
        found = found.set_index(pd.to_datetime(found["date"]))
        first, last = data_range(backend, scope.store, ("orders",))
        covered = days[(days >= pd.Timestamp(first)) & (days <= pd.Timestamp(last))]
        out.loc[covered, "revenue"] = found["order_revenue"].reindex(covered).fillna(0.0)
        out.loc[covered, "orders"] = found["paid_orders"].reindex(covered).fillna(0.0)
    ads = compute(backend, ["spend"], scope, by=["date"], daily=True).to_pandas()
    if len(ads):
        out["spend"] = ads.set_index(pd.to_datetime(ads["date"]))["spend"].reindex(days)
    return out


def _sum(values: pd.Series) -> float | None:
    return float(values.sum()) if values.notna().any() else None


def _expected(history: pd.Series, days: pd.DatetimeIndex) -> float | None:
    ranges = baseline.expected_range(history, days)
    return float(ranges["expected"].sum()) if len(days) and bool(ranges["enough"].all()) else None


def activity_lift(backend, scope: Scope, date_from: date, date_to: date, hangover_days: int = 7) -> dict[str, Any]:
    """The activity's figures (FIELDS; see the module docstring) for the store and currency of `scope`."""
    history_start = date_from - timedelta(days=baseline.HISTORY_DAYS)
    after_end = date_to + timedelta(days=hangover_days)
    daily = _daily(backend, scope.shifted(history_start, after_end))
    during_days = pd.date_range(date_from, date_to, freq="D")
    after_days = pd.date_range(date_to + timedelta(days=1), after_end, freq="D")
    during = daily.loc[during_days]
    history = daily["revenue"].where(daily.index < pd.Timestamp(date_from))  # never the activity's own days
    revenue, spend = _sum(during["revenue"]), _sum(during["spend"])
    expected = _expected(history, during_days)
    lift = None if revenue is None or expected is None else revenue - expected
    revenue_after = _sum(daily.loc[after_days, "revenue"]) if hangover_days else None
    expected_after = _expected(history, after_days) if hangover_days else None
    return {
        "date_from": date_from,
        "date_to": date_to,
        "revenue": revenue,
        "orders": _sum(during["orders"]),
        "visitors": _sum(during["visitors"]),
        "spend": spend,
        "expected_revenue": expected,
        "lift": lift,
        "lift_pct": None if lift is None or not expected else lift / expected,
        "incremental_roas": None if lift is None or not spend else lift / spend,
        "revenue_after": revenue_after,
        "expected_after": expected_after,
        "hangover": None if revenue_after is None or expected_after is None else revenue_after - expected_after,
    }
