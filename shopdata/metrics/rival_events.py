"""Rival events for the daily loop (issue 15, item 4): what a rival did that an operator reading an alert or the
daily report should know about. Three kinds, each dated on the day it was seen:

- price_cut: a rival's product whose price fell by at least prices.DROP_THRESHOLD from its previous observation
  (shopdata.metrics.prices.price_drops, the Competitor prices page's drops; the user's own shop left out). The
  previous observation may lie up to PRICE_LOOKBACK_DAYS before the period. A price rise is never a cut.
- new_method: a promotion method (直通车, 钻展, 淘客, 直播 …, from the hand-kept rival_promotions sheet) recorded
  for a rival for the first time, on a day after that rival's first recorded promotion. A method recorded
  for the rival before is not new, and neither is anything on the first day the sheet has the rival: there
  is nothing to be new against (the sheet only starts there).
- loss_jump: the traffic lost to one rival (流失: lost visitors or lost revenue, summed over the rival's products
  the 流失 export lists for the period) at least JUMP_RATIO times that rival's usual level — the median of its
  earlier periods of the same length (days, or weeks for a weekly export) that start within the
  JUMP_HISTORY_DAYS before. It needs JUMP_MIN_HISTORY such earlier periods; with fewer, the rival's 流失 is
  reported as not judged (`RivalEvents.unjudged`), never as a jump. Banded figures count honestly: the period's
  figure is its low end (at least that much was lost), each earlier period's its high end (at most that much;
  a period whose high end is open is no history), so a band never makes a jump it might not be.
  Lost visitors below JUMP_MIN_VISITORS are never a jump (from 3 to 9 people is chance).

These are context, never causes: the pages and the report list them as happening "around the same time".
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from shopdata.metrics import prices
from shopdata.metrics.cache import cached
from shopdata.metrics.competitors import Figure, combine
from shopdata.metrics.query import Scope, run, scoped_rows

KINDS = ("price_cut", "new_method", "loss_jump")
LOSS_METRICS = ("lost_visitors", "lost_revenue")
PRICE_LOOKBACK_DAYS = 14
JUMP_RATIO = 2.0
JUMP_HISTORY_DAYS = 35  # five weeks: four or five earlier weeks of a weekly export, up to 35 days of a daily one
JUMP_MIN_HISTORY = 4
JUMP_MIN_VISITORS = 30.0
# What each kind is read from, in the order a report names them ("checked: prices, promotions, 流失").
SOURCES = ("prices", "promotions", "loss")


@dataclass(frozen=True)
class RivalEvent:
    """One thing a rival did. price_cut: before/after are the prices (in `currency`); loss_jump: before is the
    rival's usual level (the median of `history` earlier periods), after the period's figure (its low end);
    new_method: `method`, and the product it was first recorded on."""

    day: date
    kind: str
    rival: str
    product: str | None = None
    method: str | None = None
    metric: str | None = None
    before: float | None = None
    after: float | None = None
    currency: str | None = None
    history: int = 0

    @property
    def ratio(self) -> float | None:
        """A loss jump's multiple of the usual level."""
        return None if not self.before or self.after is None else self.after / self.before


@dataclass(frozen=True)
class UnjudgedLoss:
    """A rival whose 流失 in the period could not be judged: only `history` earlier periods (of JUMP_MIN_HISTORY)."""

    rival: str
    metric: str
    day: date
    history: int


@dataclass(frozen=True)
class RivalEvents:
    events: tuple[RivalEvent, ...]  # by day, then kind (KINDS order), rival, product
    unjudged: tuple[UnjudgedLoss, ...]
    checked: tuple[str, ...]  # the SOURCES with rival data in the period

    def around(self, day: date, days: int) -> tuple[RivalEvent, ...]:
        """The events of `day` and the `days` before it."""
        return tuple(e for e in self.events if day - timedelta(days=days) <= e.day <= day)


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _order(event: RivalEvent) -> tuple:
    return (
        event.day,
        KINDS.index(event.kind),
        event.rival,
        event.product or "",
        event.method or "",
        event.metric or "",
    )


# ---- price cuts


def price_cuts(backend, scope: Scope, own_shop: str | None) -> tuple[list[RivalEvent], bool]:
    """The rivals' price drops dated in the scope, and whether any rival price was observed in it."""
    assert scope.start is not None
    lookback = scope.shifted(scope.start - timedelta(days=PRICE_LOOKBACK_DAYS), scope.end)
    currency = prices.price_currency(backend, lookback)
    observed = prices.observations(backend, lookback, currency)
    observed = observed[observed["shop"] != own_shop] if own_shop else observed
    inside = observed[observed["date"] >= scope.start]
    if inside.empty:
        return [], False
    drops = prices.price_drops(observed)
    drops = drops[drops["date"] >= scope.start]
    # Read column by column (a record per drop from to_dict cost a third of this function on 2,400 drops).
    columns = (drops[name].tolist() for name in ("date", "shop", "product_name", "before", "after"))
    events = [
        RivalEvent(
            _as_date(day),
            "price_cut",
            shop,
            product=product,  # observations name every track (its title, else the product itself)
            before=float(before),
            after=float(after),
            currency=currency,
        )
        for day, shop, product, before, after in zip(*columns, strict=True)
    ]
    return events, True


# ---- new promotion methods


def _method(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def promotion_rows(backend, scope: Scope) -> list[dict[str, Any]]:
    """The store's rows of the rivals' promotion sheet up to the scope's end (from the first, for what came
    before): date, rival, product (its title, else its ID), method (spaces collapsed; None when blank)."""
    upto = replace(scope, start=None)
    t = scoped_rows(backend, "rival_promotions", upto)
    t = t.select("date", "rival_shop", "product_id", "product_name", "method")
    rows = run(backend, t, upto).to_pylist()
    return [
        {
            "date": _as_date(r["date"]),
            "rival": r["rival_shop"],
            "product": r["product_name"] or r["product_id"],
            "method": _method(r["method"]),
        }
        for r in rows
        if r["rival_shop"]
    ]


def new_methods(rows: Sequence[dict[str, Any]], start: date, end: date, own_shop: str | None) -> list[RivalEvent]:
    """The methods first recorded for a rival on a day in start..end, after the rival's first recorded day."""
    first_day: dict[str, date] = {}
    first_use: dict[tuple[str, str], date] = {}
    for r in rows:
        first_day[r["rival"]] = min(first_day.get(r["rival"], r["date"]), r["date"])
        if r["method"] is not None:
            key = (r["rival"], r["method"].casefold())
            first_use[key] = min(first_use.get(key, r["date"]), r["date"])
    events = []
    for (rival, folded), day in first_use.items():
        if rival == own_shop or not start <= day <= end or day <= first_day[rival]:
            continue
        that_day = sorted(
            (r for r in rows if r["rival"] == rival and r["date"] == day and (r["method"] or "").casefold() == folded),
            key=lambda r: (r["method"], r["product"] is None, r["product"] or ""),  # a named product first
        )
        events.append(
            RivalEvent(day, "new_method", rival, product=that_day[0]["product"], method=that_day[0]["method"])
        )
    return events


# ---- jumps in 流失


def loss_periods(backend, scope: Scope) -> list[dict[str, Any]]:
    """The traffic lost to each rival per stored period and metric (LOSS_METRICS), its products' figures combined
    (competitors.combine): rival, metric, date, end_date, low, high, currency. From JUMP_HISTORY_DAYS before the
    scope's start, for the history."""
    assert scope.start is not None
    looked = scope.shifted(scope.start - timedelta(days=JUMP_HISTORY_DAYS), scope.end)
    t = scoped_rows(backend, "rival_metrics", looked)
    t = t.filter((t.grain == "loss") & t.metric.isin(list(LOSS_METRICS)) & t.rival_shop.notnull())
    t = t.select("date", "end_date", "rival_shop", "metric", "low", "high", "value", "currency")
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in run(backend, t, looked).to_pylist():
        key = (r["rival_shop"], r["metric"], _as_date(r["date"]), _as_date(r["end_date"]))
        groups.setdefault(key, []).append(r)
    out = []
    for (rival, metric, first, last), members in groups.items():
        figure = combine(metric, [Figure(m["low"], m["high"], m["value"]) for m in members])
        currency = next((m["currency"] for m in members if m["currency"]), None)
        out.append(
            {
                "rival": rival,
                "metric": metric,
                "date": first,
                "end_date": last,
                "low": figure.low,
                "high": figure.high,
                "currency": currency,
            }
        )
    return sorted(out, key=lambda p: (p["rival"], p["metric"], p["date"], p["end_date"]))


def loss_jumps(
    periods: Sequence[dict[str, Any]], start: date, end: date, own_shop: str | None
) -> tuple[list[RivalEvent], list[UnjudgedLoss]]:
    """The jumps (module docstring) among the periods starting in start..end, and the rivals' periods there that
    had too little history to be judged (the latest of each rival and metric)."""
    events, unjudged = [], {}
    for p in periods:
        if p["rival"] == own_shop or not start <= p["date"] <= end:
            continue
        length = p["end_date"] - p["date"]
        earlier = [
            q["high"]
            for q in periods
            if q["rival"] == p["rival"]
            and q["metric"] == p["metric"]
            and q["end_date"] - q["date"] == length
            and p["date"] - timedelta(days=JUMP_HISTORY_DAYS) <= q["date"] < p["date"]
            and q["high"] is not None
        ]
        if len(earlier) < JUMP_MIN_HISTORY:
            unjudged[(p["rival"], p["metric"])] = UnjudgedLoss(p["rival"], p["metric"], p["date"], len(earlier))
            continue
        usual = statistics.median(earlier)
        now = p["low"] or 0.0
        if usual <= 0 or now < JUMP_RATIO * usual:
            continue
        if p["metric"] == "lost_visitors" and now < JUMP_MIN_VISITORS:
            continue
        events.append(
            RivalEvent(
                p["date"],
                "loss_jump",
                p["rival"],
                metric=p["metric"],
                before=float(usual),
                after=float(now),
                currency=p["currency"] if p["metric"] == "lost_revenue" else None,
                history=len(earlier),
            )
        )
    return events, sorted(unjudged.values(), key=lambda u: (u.rival, u.metric))


# ---- all of them


@cached
def rival_events(backend, scope: Scope, own_shop: str | None = None) -> RivalEvents:
    """The rival events dated in the scope's period (it needs its start and end), and what was looked at."""
    if scope.start is None or scope.end is None:
        raise ValueError("rival events are looked for in a period: the scope needs its start and end")
    start, end = scope.start, scope.end
    events, checked = [], []
    cuts, any_price = price_cuts(backend, scope, own_shop)
    events += cuts
    if any_price:
        checked.append("prices")
    promotions = promotion_rows(backend, scope)
    events += new_methods(promotions, start, end, own_shop)
    if any(start <= r["date"] <= end and r["rival"] != own_shop for r in promotions):
        checked.append("promotions")
    periods = loss_periods(backend, scope)
    jumps, unjudged = loss_jumps(periods, start, end, own_shop)
    events += jumps
    if any(start <= p["date"] <= end and p["rival"] != own_shop for p in periods):
        checked.append("loss")
    return RivalEvents(tuple(sorted(events, key=_order)), tuple(unjudged), tuple(checked))
