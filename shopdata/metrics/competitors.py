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

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from shopdata.errors import ReportError
from shopdata.ingest.layouts import RIVAL_LOSS_METRICS
from shopdata.metrics.cache import cached
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
_COLUMNS = (
    "date",
    "end_date",
    "grain",
    "rival_shop",
    "product_id",
    "product_name",
    "keyword",
    "keyword_rank",
    "source",
)
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
    return sorted(rows, key=lambda r: _order(r, ("date", "rival", "product", "keyword", "source", "metric")))


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


# ---- The Competitors page (issue 15 items 2 and 3). Every function below is what one section of the page shows;
# the figures stay bands (low, high, value) from here to the drawing, never a midpoint.

# "This week" of the traffic-loss answer: the last days of 流失 data the scope holds, ending at its latest day.
WEEK_DAYS = 7
# The figures drawn over time for rival shops and rival products: what 生意参谋 shows banded (支付金额, 访客数).
TREND_METRICS = ("revenue", "visitors")
TREND_GRAINS = ("shop", "product")
# How a band is drawn: an exact value as a point, both ends as a range, one end as an open range.
EXACT, BAND, BELOW, ABOVE, UNKNOWN_FIGURE = "exact", "band", "below", "above", "unknown"
SERIES_COLUMNS = ("rival", "product", "track", "date", "metric", "low", "high", "value", "shape")
KEYWORD_COLUMNS = (
    "rival",
    "product",
    "keyword",
    "rank",
    "rank_before",
    "rank_change",
    "visitors_low",
    "visitors_high",
    "visitors",
    "trade_index_low",
    "trade_index_high",
    "trade_index",
    "first_seen",
    "last_seen",
    "status",
)
SOURCE_COLUMNS = (
    "rival",
    "product",
    "source",
    "visitors_low",
    "visitors_high",
    "visitors",
    "trade_index_low",
    "trade_index_high",
    "trade_index",
    "date_from",
    "date_to",
)
PROMOTION_COLUMNS = ("date", "end_date", "rival", "product", "method", "discount", "note", "new_method")
LOSS_COLUMNS = (
    "rival",
    "product",
    "lost_revenue_low",
    "lost_revenue_high",
    "lost_revenue",
    "lost_visitors_low",
    "lost_visitors_high",
    "lost_visitors",
    "date_from",
    "date_to",
)
COMPARISON_COLUMNS = (
    "keyword",
    "they_win",
    "our_clicks",
    "our_conversions",
    "our_rank",
    "rivals",
    "best_rival",
    "best_rank",
    "rival_ranks",
)
# A keyword's status over the period: seen on the first and the last keyword day, only later, or no longer.
KEPT, NEW, GONE = "kept", "new", "gone"
# Where our own keywords come from: ad reports' keyword and search-term rows, and 生意参谋 keyword rows of our
# own shop (a 竞品分析 入店搜索词 export lists 本店 beside the rivals, under our shop's name).
OWN_FROM_ADS, OWN_FROM_SYCM = "ads", "sycm"
AD_WORD_GRAINS = ("keyword", "search_term")


@dataclass(frozen=True)
class TrafficTaker:
    """Who took our traffic this week: the rival whose products our visitors left for with the most money (its
    known low end; then visitors), over the last WEEK_DAYS days of 流失 data."""

    rival: str
    lost_revenue: Figure
    lost_visitors: Figure
    products: int
    date_from: str
    date_to: str
    runner_up: str | None  # the next rival, so "the most" can be read against someone


def _as_day(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def shape_of(figure: Figure) -> str:
    """How a figure is drawn (figures here are never negative, so an open low end is drawn from 0)."""
    if figure.value is not None:
        return EXACT
    if figure.low is not None and figure.high is not None:
        return BAND
    if figure.high is not None:
        return BELOW
    if figure.low is not None:
        return ABOVE
    return UNKNOWN_FIGURE


@cached
def has_figures(backend, scope: Scope) -> dict[str, bool]:
    """Which kinds of competitor data the scope holds: each grain of rival_metrics, and promotions."""
    t = scoped_rows(backend, "rival_metrics", scope)
    grains = {row["grain"] for row in run(backend, t.select("grain").distinct(), scope).to_pylist()}
    p = scoped_rows(backend, "rival_promotions", scope)
    count = run(backend, p.count(), scope)
    promotions = (count.as_py() if hasattr(count, "as_py") else count) > 0
    return {**{g: g in grains for g in ("shop", "product", "keyword", "source", "loss")}, "promotions": promotions}


@cached
def money_currency(backend, scope: Scope) -> str | None:
    """The currency of the rivals' money figures when they state one (生意参谋: CNY); None when none or several."""
    t = scoped_rows(backend, "rival_metrics", scope)
    t = t.filter(t.currency.notnull()).select("currency").distinct()
    found = [row["currency"] for row in run(backend, t, scope).to_pylist()]
    return found[0] if len(found) == 1 else None


def _loss_groups(rows: list[dict[str, Any]], keys: Sequence[str]) -> dict[tuple, dict[str, Any]]:
    """(keys…) -> {metric: combined record} of the 流失 money and visitors."""
    groups: dict[tuple, dict[str, Any]] = {}
    for record in _grouped(rows, keys):
        groups.setdefault(tuple(record[k] for k in keys), {})[record["metric"]] = record
    return groups


def _figure_of(record: dict[str, Any] | None) -> Figure:
    return Figure(record["low"], record["high"], record["value"]) if record else Figure(None, None, None)


def _loss_rank(metrics: dict[str, Any]) -> tuple[float, float]:
    """Most money first by its known low end (a band's money is at least that), then most visitors."""
    return (_figure_of(metrics.get("lost_revenue")).low or 0.0, _figure_of(metrics.get("lost_visitors")).low or 0.0)


@cached
def traffic_taker(backend, scope: Scope) -> TrafficTaker | None:
    """The rival that took the most of our traffic in the last WEEK_DAYS days of 流失 data (None: no such data)."""
    rows = [r for r in figure_rows(backend, scope, ("loss",)) if r["metric"] in ("lost_revenue", "lost_visitors")]
    if not rows:
        return None
    last = max(_as_day(r["end_date"]) for r in rows)
    first = last - timedelta(days=WEEK_DAYS - 1)
    week = [r for r in rows if _as_day(r["date"]) >= first]
    per_rival = _loss_groups([{**r, "product": None} for r in week], ("rival",))
    ranked = sorted(per_rival, key=lambda k: (tuple(-x for x in _loss_rank(per_rival[k])), k[0] or ""))
    (rival,) = ranked[0]
    metrics = per_rival[ranked[0]]
    return TrafficTaker(
        rival=rival,
        lost_revenue=_figure_of(metrics.get("lost_revenue")),
        lost_visitors=_figure_of(metrics.get("lost_visitors")),
        products=len({r["product"] for r in week if r["rival"] == rival}),
        date_from=min(_as_day(r["date"]) for r in week).isoformat(),
        date_to=last.isoformat(),
        runner_up=ranked[1][0] if len(ranked) > 1 else None,
    )


@cached
def loss_table(backend, scope: Scope) -> pd.DataFrame:
    """Per rival product our visitors left for: the money and visitors lost to it over the period (bands kept),
    most money first (by the known low end, then visitors)."""
    rows = [r for r in figure_rows(backend, scope, ("loss",)) if r["metric"] in ("lost_revenue", "lost_visitors")]
    groups = _loss_groups(rows, ("rival", "product"))
    ordered = sorted(groups, key=lambda k: (tuple(-x for x in _loss_rank(groups[k])), *(x or "" for x in k)))
    records = []
    for key in ordered:
        metrics = groups[key]
        money, people = _figure_of(metrics.get("lost_revenue")), _figure_of(metrics.get("lost_visitors"))
        members = list(metrics.values())
        records.append(
            (
                *key,
                money.low,
                money.high,
                money.value,
                people.low,
                people.high,
                people.value,
                min(m["date_from"] for m in members),
                max(m["date_to"] for m in members),
            )
        )
    return pd.DataFrame.from_records(records, columns=list(LOSS_COLUMNS))


@cached
def band_series(backend, scope: Scope, grain: str) -> pd.DataFrame:
    """Rival shops' (grain "shop") or rival products' ("product") 支付金额 and 访客数 per day, as stored: each a band,
    an exact value or unknown, with how it is drawn (shape_of). track: the shop, or "shop · product"."""
    if grain not in TREND_GRAINS:
        raise ValueError(f"grain must be one of {TREND_GRAINS}, not {grain!r}")
    records = []
    for row in figure_rows(backend, scope, (grain,)):
        if row["metric"] not in TREND_METRICS:
            continue
        product = row["product"] if grain == "product" else None
        figure = Figure(row["low"], row["high"], row["value"])
        track = row["rival"] if product is None else f"{row['rival']} · {product}"
        records.append(
            (
                row["rival"],
                product,
                track,
                _as_day(row["date"]),
                row["metric"],
                *_figure_tuple(figure),
                shape_of(figure),
            )
        )
    return pd.DataFrame.from_records(records, columns=list(SERIES_COLUMNS))


def _figure_tuple(figure: Figure) -> tuple[float | None, float | None, float | None]:
    return figure.low, figure.high, figure.value


@cached
def keyword_changes(backend, scope: Scope, own_shop: str | None = None) -> pd.DataFrame:
    """Rivals' search words (入店搜索词) per rival product: the rank on the word's last day and on its first, how far
    it moved (positive: up the list), its visitors and 交易指数 on its last day, and whether it is new (first seen
    after the period's first keyword day), gone (not on its last) or kept. Our own shop's words are left out."""
    rows = [r for r in figure_rows(backend, scope, ("keyword",)) if r["rival"] != own_shop]
    if not rows:
        return pd.DataFrame(columns=list(KEYWORD_COLUMNS))
    first_day = min(_as_day(r["date"]) for r in rows)
    last_day = max(_as_day(r["date"]) for r in rows)
    words: dict[tuple, dict[date, dict[str, Any]]] = {}
    for row in rows:
        days = words.setdefault((row["rival"], row["product"], row["keyword"]), {})
        day = days.setdefault(_as_day(row["date"]), {"rank": row["keyword_rank"]})
        day[row["metric"]] = Figure(row["low"], row["high"], row["value"])
    records = []
    for (rival, product, keyword), days in words.items():
        seen = sorted(days)
        latest, earliest = days[seen[-1]], days[seen[0]]
        rank, before = latest["rank"], earliest["rank"] if len(seen) > 1 else None
        change = before - rank if rank is not None and before is not None else None
        status = NEW if seen[0] > first_day else GONE if seen[-1] < last_day else KEPT
        visitors = latest.get("visitors", Figure(None, None, None))
        trade = latest.get("trade_index", Figure(None, None, None))
        records.append(
            (
                rival,
                product,
                keyword,
                rank,
                before,
                change,
                *_figure_tuple(visitors),
                *_figure_tuple(trade),
                seen[0],
                seen[-1],
                status,
            )
        )
    frame = pd.DataFrame.from_records(records, columns=list(KEYWORD_COLUMNS))
    frame["_rank"] = frame["rank"].fillna(float("inf"))
    frame = frame.sort_values(["rival", "product", "_rank", "keyword"], kind="stable").drop(columns="_rank")
    return frame.reset_index(drop=True)


@cached
def source_table(backend, scope: Scope, own_shop: str | None = None) -> pd.DataFrame:
    """Rivals' traffic sources (入店来源) per rival product over the period: visitors (banded, summed over days) and
    交易指数 (the span it stayed within); per product, most visitors (known low end) first."""
    rows = [r for r in figure_rows(backend, scope, ("source",)) if r["rival"] != own_shop]
    if not rows:
        return pd.DataFrame(columns=list(SOURCE_COLUMNS))
    groups: dict[tuple, dict[str, Any]] = {}
    for record in _grouped(rows, ("rival", "product", "source")):
        groups.setdefault((record["rival"], record["product"], record["source"]), {})[record["metric"]] = record
    records = []
    for key, metrics in groups.items():
        members = list(metrics.values())
        records.append(
            (
                *key,
                *_figure_tuple(_figure_of(metrics.get("visitors"))),
                *_figure_tuple(_figure_of(metrics.get("trade_index"))),
                min(m["date_from"] for m in members),
                max(m["date_to"] for m in members),
            )
        )
    frame = pd.DataFrame.from_records(records, columns=list(SOURCE_COLUMNS))
    frame["_most"] = -frame["visitors_low"].fillna(0.0)
    frame = frame.sort_values(["rival", "product", "_most", "source"], kind="stable").drop(columns="_most")
    return frame.reset_index(drop=True)


@cached
def promotion_table(backend, scope: Scope) -> pd.DataFrame:
    """The rivals' promotions (the hand-kept sheet) in date order; new_method: the rival's first use of this method
    in the period after it had used another (its first recorded day sets what it already did)."""
    t = scoped_rows(backend, "rival_promotions", scope)
    t = t.select("date", "end_date", "rival_shop", "product_id", "product_name", "method", "discount", "note")
    rows = run(backend, t, scope).to_pylist()
    rows.sort(key=lambda r: (_as_day(r["date"]), *(r[k] or "" for k in ("rival_shop", "product_name", "method"))))
    first_day: dict[str, date] = {}
    seen: set[tuple[str, str]] = set()
    records = []
    for row in rows:
        rival, day, method = row["rival_shop"], _as_day(row["date"]), row["method"]
        first_day.setdefault(rival, day)
        new = (rival, method) not in seen and day > first_day[rival]
        seen.add((rival, method))
        product = row["product_name"] or row["product_id"]
        records.append((day, _as_day(row["end_date"]), rival, product, method, row["discount"], row["note"], new))
    return pd.DataFrame.from_records(records, columns=list(PROMOTION_COLUMNS))


@dataclass(frozen=True)
class KeywordComparison:
    """Our search words beside the rivals'. table: COMPARISON_COLUMNS, the words rivals win and we do not first;
    own_sources: where our words came from (OWN_FROM_ADS, OWN_FROM_SYCM), empty when we have none."""

    table: pd.DataFrame
    own_sources: tuple[str, ...]


def word_key(word: str) -> str:
    """Words match whatever their case and spacing ("Vitamin C serum" and "vitamin c  serum")."""
    return " ".join(word.split()).casefold()


@cached
def keyword_comparison(backend, scope: Scope, own_shop: str | None = None) -> KeywordComparison:
    """Per search word: our ads' clicks and conversions on it (keyword and search-term rows of every platform),
    our shop's best 生意参谋 rank for it (keyword rows under own_shop), and each rival's best rank over the period.
    A rival wins a word we do not when it ranks for it while our ads converted nothing on it and 生意参谋 does not
    rank our shop for it."""
    ads = scoped_rows(backend, "ads", dataclasses.replace(scope, currency=None, platform_currencies=None))
    ads = ads.filter(ads.grain.isin(list(AD_WORD_GRAINS))).select(
        "grain", "keyword", "search_term", "clicks", "conversions"
    )
    spelled: dict[str, str] = {}
    ours: dict[str, dict[str, float]] = {}
    for row in run(backend, ads, dataclasses.replace(scope, currency=None, platform_currencies=None)).to_pylist():
        word = row["search_term"] if row["grain"] == "search_term" else row["keyword"]
        if not word or not word.strip():
            continue
        key = word_key(word)
        spelled.setdefault(key, word.strip())
        totals = ours.setdefault(key, {"clicks": 0.0, "conversions": 0.0})
        totals["clicks"] += row["clicks"] or 0.0
        totals["conversions"] += row["conversions"] or 0.0
    our_rank: dict[str, int] = {}
    rival_rank: dict[str, dict[str, int | None]] = {}
    for row in figure_rows(backend, scope, ("keyword",)):
        if not row["keyword"]:
            continue
        key = word_key(row["keyword"])
        spelled[key] = row["keyword"].strip() if row["rival"] != own_shop else spelled.get(key, row["keyword"].strip())
        rank = row["keyword_rank"]
        if row["rival"] == own_shop:
            if rank is not None:
                our_rank[key] = min(rank, our_rank.get(key, rank))
            continue
        ranks = rival_rank.setdefault(key, {})
        known = [r for r in (ranks.get(row["rival"]), rank) if r is not None]
        ranks[row["rival"]] = min(known) if known else None
    sources = tuple(name for name, found in ((OWN_FROM_ADS, ours), (OWN_FROM_SYCM, our_rank)) if found)
    records = []
    for key in spelled:
        ranks = rival_rank.get(key, {})
        ranked = sorted(ranks.items(), key=lambda item: (item[1] is None, item[1] or 0, item[0]))
        clicks = ours[key]["clicks"] if key in ours else None
        conversions = ours[key]["conversions"] if key in ours else None
        we_win = (conversions or 0) > 0 or key in our_rank
        records.append(
            (
                spelled[key],
                bool(ranks) and not we_win,
                clicks,
                conversions,
                our_rank.get(key),
                len(ranks),
                ranked[0][0] if ranked else None,
                ranked[0][1] if ranked else None,
                " · ".join(f"{rival} #{rank}" if rank is not None else rival for rival, rank in ranked),
            )
        )
    frame = pd.DataFrame.from_records(records, columns=list(COMPARISON_COLUMNS))
    if frame.empty:
        return KeywordComparison(frame, sources)
    frame["_best"] = frame["best_rank"].fillna(float("inf"))
    frame = frame.sort_values(
        ["they_win", "rivals", "_best", "keyword"], ascending=[False, False, True, True], kind="stable"
    ).drop(columns="_best")
    return KeywordComparison(frame.reset_index(drop=True), sources)
