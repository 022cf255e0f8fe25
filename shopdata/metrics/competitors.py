"""Competitors beyond price (issue 15): rivals' figures from 生意参谋's 竞品/竞店/流失 exports, and the traffic our
store lost to them.

A figure is stored as its band (low, high, unit) and, when the export gave it exactly, its value
(shopdata.ingest.bands). Over several days, figures combine by interval arithmetic, never through a midpoint:

- counts and money (ADDITIVE_METRICS) add up: the period's low end is the sum of the days' low ends (an open
  low end counts 0: these figures are never negative), its high end the sum of the high ends when every day has
  one (else open); its value is the sum when every day's figure was exact.
- indices, rates and shares do not add up: the period's band is the span the figure stayed within (the lowest
  low end and the highest high end, open when a day's end was open); its value is the figure when every day
  gave the same exact one.
A day whose figure was "-" (unknown) leaves the period's ends open on the side it could have moved.

Which rows a breakdown reads: `--by rival` the rival shops' own figures (竞店) and the traffic lost to their
products (流失, summed per shop); `--by product` the rival products' figures (竞品) and the traffic lost to each;
`--by keyword` the rival products' search words. Without a breakdown, every stored figure of those, one record
per row. A rival product's figures are never summed into its shop: the products compared are a selection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from shopdata.errors import ReportError
from shopdata.ingest.layouts import RIVAL_LOSS_METRICS
from shopdata.metrics.query import Scope, run, scoped_rows

# Figures that add up over days and over products: counts of people and money.
ADDITIVE_METRICS = frozenset({"revenue", "visitors", "search_users", "buyers", "lost_revenue", "lost_visitors"})
BY = ("rival", "product", "keyword")
# The grains each breakdown reads (None: every figure, one record per stored row).
GRAINS: dict[str | None, tuple[str, ...]] = {
    None: ("shop", "product", "loss"),
    "rival": ("shop", "loss"),
    "product": ("product", "loss"),
    "keyword": ("keyword",),
}
RECORD_FIELDS = ("rival", "product", "metric", "low", "high", "value", "date_from", "date_to")
KEYWORD_FIELDS = (*RECORD_FIELDS[:2], "keyword", "keyword_rank", *RECORD_FIELDS[2:])  # the word after its product
LOSS_FIELDS = ("rival", "product", "lost_visitors", "lost_revenue")
_COLUMNS = ("date", "end_date", "grain", "rival_shop", "product_id", "product_name", "keyword", "keyword_rank")
_FIGURE = ("metric", "low", "high", "value")


@dataclass(frozen=True)
class Figure:
    """A figure over a period: its band and, when exact, its value (None ends: open or unknown)."""

    low: float | None
    high: float | None
    value: float | None


def combine(metric: str, figures: Sequence[Figure]) -> Figure:
    """The period's figure from the days' (or products') figures, by the rules of the module's docstring."""
    if not figures:
        return Figure(None, None, None)
    values = [f.value for f in figures]
    if metric in ADDITIVE_METRICS:
        low = sum(f.low or 0.0 for f in figures)
        highs = [f.high for f in figures]
        high = sum(h for h in highs if h is not None) if all(h is not None for h in highs) else None
        value = sum(v for v in values if v is not None) if all(v is not None for v in values) else None
        return Figure(low, high, value)
    lows, highs = [f.low for f in figures], [f.high for f in figures]
    span_low = min(x for x in lows if x is not None) if all(x is not None for x in lows) else None
    span_high = max(x for x in highs if x is not None) if all(x is not None for x in highs) else None
    same = values[0] if values[0] is not None and all(v == values[0] for v in values) else None
    return Figure(span_low, span_high, same)


def figure_rows(backend, scope: Scope, grains: Iterable[str]) -> list[dict[str, Any]]:
    """The stored figures of the scope at these grains, as dicts (product: its title, else its ID)."""
    t = scoped_rows(backend, "rival_metrics", scope)
    t = t.filter(t.grain.isin(list(grains))).select(*_COLUMNS, *_FIGURE)
    rows = run(backend, t, scope).to_pylist()
    for row in rows:
        row["rival"] = row["rival_shop"]
        row["product"] = row["product_name"] or row["product_id"]
    # Sorted here, not in SQL: PostgreSQL's collation would order Chinese names its own way.
    return sorted(rows, key=lambda r: _order(r, ("date", "rival", "product", "keyword", "metric")))


def _order(row: dict[str, Any], keys: Sequence[str]) -> tuple:
    return tuple((row[k] is None, row[k] if row[k] is not None else "") for k in keys)


def _day(value: Any) -> str:
    return (value.date() if hasattr(value, "date") and callable(value.date) else value).isoformat()


def _grouped(rows: list[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """One record per keys × metric over the rows' period, the figures combined."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in (*keys, "metric")), []).append(row)
    records = []
    for key, members in groups.items():
        metric = key[-1]
        figure = combine(metric, [Figure(m["low"], m["high"], m["value"]) for m in members])
        records.append(
            {
                **dict(zip((*keys, "metric"), key, strict=True)),
                "low": figure.low,
                "high": figure.high,
                "value": figure.value,
                "date_from": min(_day(m["date"]) for m in members),
                "date_to": max(_day(m["end_date"]) for m in members),
            }
        )
    return sorted(records, key=lambda r: _order(r, (*keys, "metric")))


def record_fields(by: str | None) -> tuple[str, ...]:
    return KEYWORD_FIELDS if by == "keyword" else RECORD_FIELDS


def report_records(
    backend, scope: Scope, compare_scope: Scope | None = None, by: str | None = None, language: str = "en"
) -> list[dict[str, Any]]:
    """`report competitors`: rivals' figures with both band ends and the exact value where there is one.
    Rival and product names are the export's, so language changes nothing; there is no comparison period."""
    if by not in GRAINS:
        raise ReportError(f"the competitors report cannot be broken down by {by!r}", f"--by one of: {', '.join(BY)}")
    rows = figure_rows(backend, scope, GRAINS[by])
    fields = record_fields(by)
    if by is None:
        return [
            {
                **{k: row[k] for k in ("rival", "product", "metric", "low", "high", "value")},
                "date_from": _day(row["date"]),
                "date_to": _day(row["end_date"]),
            }
            for row in rows
        ]
    if by == "rival":
        # Lost traffic is stored per product; the rival's total is their sum. The shop's own figures stand alone.
        records = _grouped([{**r, "product": None} for r in rows], ("rival", "product"))
    elif by == "product":
        records = _grouped(rows, ("rival", "product"))
    else:
        records = _grouped(rows, ("rival", "product", "keyword", "keyword_rank"))
    return [{k: r[k] for k in fields} for r in records]


def traffic_loss_records(
    backend, scope: Scope, compare_scope: Scope | None = None, by: str | None = None, language: str = "en"
) -> list[dict[str, Any]]:
    """`report traffic-loss`: per rival product our visitors left for (流失竞品), the visitors and money lost to it
    over the period, most money first. A banded or unknown 流失 figure has no single value: it is None there
    (`report competitors` keeps its band) and ranks by its known low end."""
    if by is not None:
        raise ReportError(f"the traffic-loss report has one record per rival product and no breakdown, not {by!r}")
    rows = [r for r in figure_rows(backend, scope, ("loss",)) if r["metric"] in RIVAL_LOSS_METRICS]
    combined = {(r["rival"], r["product"], r["metric"]): r for r in _grouped(rows, ("rival", "product"))}
    products = sorted({(rival, product) for rival, product, _ in combined}, key=lambda k: tuple(x or "" for x in k))

    def figure(rival: str, product: str, metric: str) -> dict[str, Any]:
        return combined.get((rival, product, metric), {"low": None, "value": None})

    records = [
        {
            "rival": rival,
            "product": product,
            "lost_visitors": figure(rival, product, "lost_visitors")["value"],
            "lost_revenue": figure(rival, product, "lost_revenue")["value"],
            "_rank": figure(rival, product, "lost_revenue")["low"] or 0.0,
        }
        for rival, product in products
    ]
    records.sort(key=lambda r: -r["_rank"])  # stable: ties keep rival, product order
    return [{k: r[k] for k in LOSS_FIELDS} for r in records]
