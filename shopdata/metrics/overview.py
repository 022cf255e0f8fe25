"""The Overview: KPI cards, daily trend, the revenue change split into its drivers, and what moved.

Everything here is computed from the catalog metrics (shopdata/metrics/definitions.py) through
shopdata/metrics/query.py, so the same numbers reach the page, `python -m shopdata report overview`
and the tests, on DuckDB and PostgreSQL alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import ibis
import ibis.expr.types as ir
import pandas as pd

from shopdata.errors import ReportError
from shopdata.formatting import format_value, with_cents
from shopdata.i18n import translate
from shopdata.metrics import orders
from shopdata.metrics.cache import cached
from shopdata.metrics.definitions import measures_needed, metric
from shopdata.metrics.periods import Coverage, change
from shopdata.metrics.query import (
    Scope,
    compute,
    compute_periods,
    data_range,
    measure_table,
    rollup_of,
    run,
    scoped_rows,
    shaped,
    to_pandas,
    totals_periods,
    with_ratios,
)

KPI_METRICS = ("revenue", "visitors", "buyers", "orders", "conversion_rate", "aov", "spend", "roas")
TREND_METRICS = {"traffic": ("revenue", "visitors"), "ads": ("spend",), "orders": ("order_revenue", "paid_orders")}
# 销售额 = 访客数 × 转化率 × 客单价, in the order sequential substitution swaps them in.
FACTORS = ("visitors", "conversion_rate", "aov")
# Without visitors, the order export's revenue = paid orders × average order value (per order).
ORDER_FACTORS = ("paid_orders", "order_aov")
FORMULAS = {"traffic": FACTORS, "orders": ORDER_FACTORS}
MOVERS_TOP = 5
CURRENT, COMPARISON = "current", "comparison"


@dataclass(frozen=True)
class Kpi:
    metric: str
    value: float | None
    previous: float | None
    change: float | None


def _clean(value) -> float | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


DOMAINS = ("traffic", "ads")


@cached
def availability(backend, scopes: Sequence[Scope]) -> tuple[dict[str, bool], ...]:
    """For each scope, whether it has any traffic rows and any ads rows (the page's empty states), in one query:
    of the daily rollups where the backend reads them (a rollup has a row wherever its table has one)."""
    rollups = {domain: rollup_of(backend, domain) for domain in DOMAINS}

    def build() -> ir.Table:
        parts = []
        for n, scope in enumerate(scopes):
            for domain in DOMAINS:
                t = scoped_rows(backend, domain, scope, slot=n, rollup=rollups[domain])
                parts.append(
                    t.aggregate(rows=t.count()).mutate(n=ibis.literal(n, type="int16"), domain=ibis.literal(domain))
                )
        return ibis.union(*parts, distinct=False)

    counted = run(
        backend, shaped(backend, ("availability", tuple(rollups.items())), scopes, build), *scopes
    ).to_pylist()
    found = {(r["n"], r["domain"]): r["rows"] > 0 for r in counted}
    return tuple({domain: found[(n, domain)] for domain in DOMAINS} for n in range(len(scopes)))


@cached
def sources(backend, scopes: Sequence[Scope]) -> tuple[dict[str, bool], ...]:
    """For each scope, whether it has traffic rows, ads rows and orders placed: what the page can be built from."""
    return tuple(
        {**found, "orders": orders.has_orders(backend, scope)}
        for found, scope in zip(availability(backend, scopes), scopes, strict=True)
    )


def available(backend, scope: Scope) -> dict[str, bool]:
    """Whether the scope has any traffic rows and any ads rows (the page's empty states)."""
    return availability(backend, (scope,))[0]


def _both(scope: Scope, compare_scope: Scope | None) -> tuple[Scope, ...]:
    return (scope,) if compare_scope is None else (scope, compare_scope)


@cached
def _kpi_totals(
    backend, scope: Scope, compare_scope: Scope | None
) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """The KPI totals of the period and of the comparison period ({} without one), in one query per table."""
    found = totals_periods(backend, KPI_METRICS, _both(scope, compare_scope))
    return found[0], (found[1] if compare_scope else {})


@cached
def kpis(backend, scope: Scope, compare_scope: Scope | None) -> list[Kpi]:
    now, before = _kpi_totals(backend, scope, compare_scope)
    cards = []
    for name in KPI_METRICS:
        value, previous = _clean(now.get(name)), _clean(before.get(name))
        cards.append(Kpi(name, value, previous, change(value, previous) if compare_scope else None))
    return cards


def missing_reason(kpi: Kpi, has: dict[str, bool]) -> str | None:
    """The catalog key saying why a card has no value, given which tables the period has rows in (see
    `availability`); None when it has a value or is a ratio (a ratio is empty when its parts are).

    A figure the exports do not have is shown empty with this reason, never stood in for by another figure.
    """
    if kpi.value is not None:
        return None
    m = metric(kpi.metric)
    if m.is_ratio:
        return None
    if not has.get(m.domain):
        return f"overview.missing.no_rows.{m.domain}"
    if kpi.metric in ORDER_CARDS and has.get("orders"):
        # The store's order export has this figure: say where it is instead of leaving the owner to wonder.
        return "overview.missing.in_order_records"
    return f"overview.missing.no_column.{m.domain}"


# ---- daily trend ---------------------------------------------------------------------------------


def _daily(backend, scopes: tuple[Scope, ...]) -> list[pd.DataFrame]:
    """For each scope, one row per day with revenue, visitors and spend (empty where a day has no data)."""
    frames = [pd.DataFrame({"period_date": pd.date_range(scope.start, scope.end, freq="D")}) for scope in scopes]
    for domain, names in TREND_METRICS.items():
        if domain == "orders":
            parts = [_order_days(backend, scope) for scope in scopes]
        else:
            parts = [part.to_pandas() for part in compute_periods(backend, list(names), scopes, by=["date"])]
        for n, days in enumerate(parts):
            days["period_date"] = pd.to_datetime(days.pop("date"))
            frames[n] = frames[n].merge(days, on="period_date", how="left")
    return frames


def _order_days(backend, scope: Scope) -> pd.DataFrame:
    """Order revenue and paid orders by the orders' day. A day the store's order exports cover (between its first
    and last order) without an order counts zero; days outside them are unknown (no rows)."""
    names = list(TREND_METRICS["orders"])
    first, last = data_range(backend, scope.store, ("orders",))
    days = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), **{m: pd.Series(dtype="float64") for m in names}})
    if first is None or last is None or scope.start is None or scope.end is None:
        return days
    covered = pd.date_range(max(first, scope.start), min(last, scope.end), freq="D")
    if covered.empty:
        return days
    found = orders.orders_by(backend, scope, "day", tuple(names)) if orders.has_orders(backend, scope) else days
    found = found.assign(date=pd.to_datetime(found["date"])).set_index("date")
    return found.reindex(covered, fill_value=0.0).rename_axis("date").reset_index()


@cached
def trend(backend, scope: Scope, compare_scope: Scope | None) -> pd.DataFrame:
    """Daily revenue, visitors and spend, and the order export's revenue and paid orders; the comparison period
    is laid on the current one by day offset.

    Columns: series (current / comparison), day (offset from the period's first day), date (the current
    period's day it is drawn at), period_date (the day the values belong to), revenue, visitors, spend,
    order_revenue, paid_orders.
    """
    daily = _daily(backend, _both(scope, compare_scope))
    current = daily[0]
    current["series"], current["day"] = CURRENT, range(len(current))
    current["date"] = current["period_date"]
    frames = [current]
    if compare_scope:
        previous = daily[1]
        previous["series"], previous["day"] = COMPARISON, range(len(previous))
        # A year-earlier period can be a day longer or shorter (29 February): only overlapping offsets are drawn.
        previous = previous[previous["day"] < len(current)].copy()
        previous["date"] = pd.Timestamp(scope.start) + pd.to_timedelta(previous["day"], unit="D")
        frames.append(previous)
    columns = ["series", "day", "date", "period_date", *[m for names in TREND_METRICS.values() for m in names]]
    return pd.concat(frames, ignore_index=True)[columns]


def trend_coverage(trend_frame: pd.DataFrame) -> Coverage:
    """Days with any revenue, visitors, spend or orders in each series of `trend`, and the comparison's days drawn."""
    metrics = [m for names in TREND_METRICS.values() for m in names]
    with_data = trend_frame[metrics].notna().any(axis=1)
    is_comparison = trend_frame["series"] == COMPARISON
    return Coverage(
        int((with_data & ~is_comparison).sum()), int((with_data & is_comparison).sum()), int(is_comparison.sum())
    )


# ---- revenue change decomposition ----------------------------------------------------------------


@dataclass(frozen=True)
class Decomposition:
    revenue_previous: float
    revenue: float
    factors: dict[str, tuple[float | None, float | None]]  # factor -> (previous, current), in FORMULAS order
    contributions: dict[str, float]  # factor -> money, summing to the revenue change
    method: str  # "lmdi" or "sequential"
    formula: str = "traffic"  # a key of FORMULAS: which product of factors revenue was split into

    @property
    def change(self) -> float:
        return self.revenue - self.revenue_previous


def _log_mean(a: float, b: float) -> float:
    """Logarithmic mean L(a, b) = (a − b) / ln(a / b), with its limit L(a, a) = a."""
    if a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b)):
        return a
    return (a - b) / math.log1p((a - b) / b)


def _lmdi(
    r0: float, r1: float, before: dict[str, float], now: dict[str, float], names: Sequence[str]
) -> dict[str, float]:
    weight = _log_mean(r1, r0)
    return {f: weight * math.log(now[f] / before[f]) for f in names}


def _sequential(
    r0: float, r1: float, before: dict[str, float | None], now: dict[str, float | None], names: Sequence[str]
) -> dict[str, float] | None:
    """Swap the factors in one at a time, in their formula's order (visitors, then conversion, then 客单价).

    A factor missing in one period (no buyers → no 客单价) takes the other period's value, so it is not
    blamed for a change nobody can see; the steps start at the real previous revenue and end at the real
    current revenue, so the parts always add up to the change.

    None when the factors cannot account for a period's revenue: a factor missing in both periods, or one
    borrowed from the other period whose product with the rest is not that period's revenue (no visitors
    before but ¥600 of sales). The last step would otherwise take the whole difference and blame a factor that
    did not move ("lower 客单价" at ¥100 both times, "fewer visitors" when they doubled).
    """
    if any(before[f] is None and now[f] is None for f in names):
        return None

    def filled(values: dict, other: dict) -> dict[str, float]:
        return {f: values[f] if values[f] is not None else other[f] for f in names}

    x0, x1 = filled(before, now), filled(now, before)
    for values, known, revenue in ((before, x0, r0), (now, x1, r1)):
        borrowed = any(values[f] is None for f in names)
        if borrowed and not math.isclose(math.prod(known.values()), revenue, rel_tol=1e-9, abs_tol=1e-9):
            return None
    steps = [r0]
    for i in range(1, len(names)):
        mixed = [x1[f] if j < i else x0[f] for j, f in enumerate(names)]
        steps.append(math.prod(mixed))
    steps.append(r1)
    return {f: steps[i + 1] - steps[i] for i, f in enumerate(names)}


def decompose(
    revenue_previous: float,
    revenue: float,
    before: dict[str, float | None],
    now: dict[str, float | None],
    formula: str = "traffic",
) -> Decomposition | None:
    """Split a revenue change into the parts of one of FORMULAS (visitors, conversion rate and 客单价; or paid
    orders and average order value) that add up exactly; None when the factors cannot account for it (see
    _sequential).

    LMDI (logarithmic mean Divisia index): part_i = ΔR × ln(x1_i / x0_i) / ln(R1 / R0). It needs every
    factor and both revenues positive; otherwise sequential substitution is used.
    """
    names = FORMULAS[formula]
    values = [before.get(f) for f in names] + [now.get(f) for f in names]
    positive = all(v is not None and v > 0 for v in values) and revenue_previous > 0 and revenue > 0
    if positive:
        known_before = {f: float(before[f] or 0.0) for f in names}  # all positive: checked just above
        known_now = {f: float(now[f] or 0.0) for f in names}
        parts, method = _lmdi(revenue_previous, revenue, known_before, known_now, names), "lmdi"
    else:
        substituted = _sequential(revenue_previous, revenue, before, now, names)
        if substituted is None:
            return None
        parts, method = substituted, "sequential"
    factors = {f: (before.get(f), now.get(f)) for f in names}
    return Decomposition(revenue_previous, revenue, factors, parts, method, formula)


@cached
def revenue_decomposition(backend, scope: Scope, compare_scope: Scope | None) -> Decomposition | None:
    """The decomposition between the two periods; None without a comparison, without revenue in either, or
    without factors that account for it.

    It splits the traffic report's revenue (visitors × conversion × 客单价) when those factors account for it;
    otherwise (no visitors in either period, no buyers, or no report revenue in one period) the order export's
    revenue when both periods have orders (paid orders × average order value).
    """
    if compare_scope is None:
        return None
    names = ["revenue", *FACTORS]
    found_now, found_before = _kpi_totals(backend, scope, compare_scope)  # the cards' query: FACTORS are KPIs
    now = {k: _clean(found_now[k]) for k in names}
    before = {k: _clean(found_before[k]) for k in names}
    revenue_now, revenue_before = now["revenue"], before["revenue"]
    if revenue_now is None or revenue_before is None:
        return _order_decomposition(backend, scope, compare_scope)
    split = decompose(revenue_before, revenue_now, {f: before[f] for f in FACTORS}, {f: now[f] for f in FACTORS})
    if split is None:
        # The report's visitors, conversion and 客单价 cannot account for its revenue (none in either period,
        # say): the order export's may.
        return _order_decomposition(backend, scope, compare_scope)
    return split


def _order_decomposition(backend, scope: Scope, compare_scope: Scope) -> Decomposition | None:
    """Order revenue = paid orders × average order value, when both periods have orders."""
    if not (orders.has_orders(backend, scope) and orders.has_orders(backend, compare_scope)):
        return None
    now, before = orders.order_summary(backend, scope), orders.order_summary(backend, compare_scope)
    if now["order_revenue"] is None or before["order_revenue"] is None:
        return None
    return decompose(before["order_revenue"], now["order_revenue"], before, now, "orders")


def signed_money(value: float, currency: str | None, cents: bool = True) -> str:
    return ("+" if value >= 0 else "−") + format_value(abs(value), "money", currency, cents=cents)


def decomposition_sentence(result: Decomposition, currency: str | None, language: str = "en") -> str:
    """ "Revenue fell ¥12,300.00: fewer visitors −¥9,000.00, lower conversion −¥4,100.00, higher 客单价 +¥800.00".

    Its amounts are read together, so they follow the cards' one cents rule (formatting.with_cents): all with
    cents, or, when any reaches ten thousand, none."""
    cents = with_cents([result.change, *result.contributions.values()])
    parts = []
    for factor, amount in result.contributions.items():
        way = "up" if amount > 0 else "down" if amount < 0 else "same"
        parts.append(
            translate(
                "overview.decomp.part",
                language,
                factor=translate(f"overview.factor.{factor}.{way}", language),
                amount=signed_money(amount, currency, cents),
            )
        )
    joined = translate("overview.decomp.sep", language).join(parts)
    total = result.change
    key = "overview.decomp.rose" if total > 0 else "overview.decomp.fell" if total < 0 else "overview.decomp.flat"
    return translate(key, language, amount=format_value(abs(total), "money", currency, cents=cents), parts=joined)


def decomposition_steps(result: Decomposition) -> pd.DataFrame:
    """Waterfall rows: step (previous, the three factors, current), kind, amount.

    kind follows the waterfall's own terms: the previous revenue is an absolute bar, the factors are
    relative steps from it, and the current revenue is the running total they reach.
    """
    steps = [("revenue_previous", "absolute", result.revenue_previous)]
    steps += [(f, "relative", amount) for f, amount in result.contributions.items()]
    steps.append(("revenue", "total", result.revenue))
    return pd.DataFrame(steps, columns=["step", "kind", "amount"])


# ---- what moved ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoverSpec:
    domain: str
    by: tuple[str, ...]
    rank: str  # the metric movers are ranked by (absolute change)
    also: tuple[str, ...]  # shown beside it


MOVERS = {
    "sources": MoverSpec("traffic", ("platform", "source_1", "source_2"), "revenue", ("visitors",)),
    "products": MoverSpec("traffic", ("platform", "product_id"), "revenue", ("visitors",)),
    "campaigns": MoverSpec("ads", ("platform", "campaign"), "spend", ("ad_revenue",)),
}


@cached
def _two_periods(backend, names: Sequence[str], scope: Scope, compare_scope: Scope, by: Sequence[str]) -> pd.DataFrame:
    found_now, found_before = compute_periods(backend, list(names), (scope, compare_scope), by=list(by))
    now, before = found_now.to_pandas(), found_before.to_pandas()
    before = before.rename(columns={m: f"{m}_previous" for m in names})
    # Plain object keys: pandas cannot join Arrow-backed text columns when one side has no rows.
    keys = {c: object for c in by}
    return now.astype(keys).merge(before.astype(keys), on=list(by), how="outer")


def _source_rows(backend, names: Sequence[str], scope: Scope, compare_scope: Scope) -> pd.DataFrame:
    """Sources at 二级来源 where the platform reports it, else at 一级来源 (GA channel groups, generic reports).

    A 一级来源 that has children is shown only through them, so a subtotal and its parts are never both listed.
    """
    deep = _two_periods(backend, names, scope, compare_scope, ["platform", "source_1", "source_2"])
    shallow = _two_periods(backend, names, scope, compare_scope, ["platform", "source_1"])
    has_children = set(zip(deep["platform"], deep["source_1"], strict=False))
    keep = [(p, s) not in has_children for p, s in zip(shallow["platform"], shallow["source_1"], strict=False)]
    shallow = shallow[keep].assign(source_2=None)
    frames = [f for f in (deep, shallow) if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else deep


@cached
def _product_names(backend, scope: Scope, compare_scope: Scope) -> pd.DataFrame:
    """Each product's title over both periods (a product renamed between them keeps one name)."""
    starts = [d for d in (scope.start, compare_scope.start) if d is not None]
    ends = [d for d in (scope.end, compare_scope.end) if d is not None]
    both = scope.shifted(min(starts) if len(starts) == 2 else None, max(ends) if len(ends) == 2 else None)
    t = scoped_rows(backend, "traffic", both)
    t = t.filter(t.product_id.notnull())
    return run(
        backend, t.group_by(["platform", "product_id"]).aggregate(product_name=t.product_name.max()), both
    ).to_pandas()


@dataclass(frozen=True)
class MoversBasis:
    """What a movers table compared: whether both periods have rows of its table, how many rows (sources,
    products, campaigns) were compared, and the measures they report, the ranking one first (a Shopify
    referrer report has visitors but no revenue: it is ranked by visitors)."""

    both_periods: bool
    compared: int
    measures: tuple[str, ...]

    @property
    def rank(self) -> str | None:
        return self.measures[0] if self.measures else None


@cached
def _mover_rows(backend, scope: Scope, compare_scope: Scope, kind: str) -> pd.DataFrame:
    """Every row of one kind in either period, with the measures of MOVERS[kind] now and before."""
    spec = MOVERS[kind]
    names = [spec.rank, *spec.also]
    if kind == "sources":
        frame = _source_rows(backend, names, scope, compare_scope)
    else:
        frame = _two_periods(backend, names, scope, compare_scope, spec.by)
    if kind == "products":
        names_of = _product_names(backend, scope, compare_scope).astype({"platform": object, "product_id": object})
        frame = frame.merge(names_of, on=["platform", "product_id"], how="left")
    return frame


@cached
def movers_basis(backend, scope: Scope, compare_scope: Scope | None, kind: str) -> MoversBasis:
    spec = MOVERS[kind]
    # Without rows in both periods a "change" would only show which exports were uploaded.
    if compare_scope is None or not all(a[spec.domain] for a in availability(backend, (scope, compare_scope))):
        return MoversBasis(False, 0, ())
    frame = _mover_rows(backend, scope, compare_scope, kind)
    measures = tuple(
        m for m in (spec.rank, *spec.also) if frame[m].notna().any() or frame[f"{m}_previous"].notna().any()
    )
    if not measures:
        return MoversBasis(True, 0, ())
    compared = frame[
        frame[list(measures)].notna().any(axis=1) | frame[[f"{m}_previous" for m in measures]].notna().any(axis=1)
    ]
    return MoversBasis(True, len(compared), measures)


@cached
def movers(backend, scope: Scope, compare_scope: Scope | None, kind: str, top: int = MOVERS_TOP) -> pd.DataFrame:
    """The biggest movers of one kind (sources, products, campaigns) by absolute change of the first measure
    the rows report (movers_basis: revenue, or visitors where a report has no revenue).

    Columns: the breakdown (platform, source_1, source_2 | product_id, product_name | campaign), then for each
    reported measure m, the ranking one first: m_previous, m, m_change, m_change_pct. A measure neither period
    reports is left out (never shown as zeros). Something present in one period only counts as zero in the
    other; rows whose ranking measure did not change are left out.
    """
    spec = MOVERS[kind]
    basis = movers_basis(backend, scope, compare_scope, kind)
    names = list(basis.measures) or [spec.rank, *spec.also]
    columns = list(spec.by) + (["product_name"] if kind == "products" else [])
    for m in names:
        columns += [f"{m}_previous", m, f"{m}_change", f"{m}_change_pct"]
    if compare_scope is None or basis.rank is None:
        return pd.DataFrame(columns=columns)
    frame = _mover_rows(backend, scope, compare_scope, kind)
    return _ranked(frame, names, basis.rank, list(spec.by), top)[columns]


def _ranked(frame: pd.DataFrame, names: Sequence[str], rank: str, by: list[str], top: int) -> pd.DataFrame:
    """The `top` rows by absolute change of `rank`, with each measure's change and change %; something present
    in one period only counts as zero in the other, and rows whose `rank` did not change are left out."""
    frame = frame[frame[rank].notna() | frame[f"{rank}_previous"].notna()].copy()
    for m in names:
        now, before = frame[m].astype(float).fillna(0.0), frame[f"{m}_previous"].astype(float).fillna(0.0)
        frame[m], frame[f"{m}_previous"] = now, before
        frame[f"{m}_change"] = now - before
        frame[f"{m}_change_pct"] = pd.Series(
            [change(a, b) for a, b in zip(now, before, strict=False)], index=frame.index, dtype=float
        )
    frame = frame[frame[f"{rank}_change"] != 0]
    frame = frame.assign(_size=frame[f"{rank}_change"].abs())
    frame = frame.sort_values(["_size", *by], ascending=[False, *[True] * len(by)], na_position="last")
    return frame.head(top).reset_index(drop=True)


# ---- a store with orders and no traffic report -----------------------------------------------------

# The cards the store's own orders stand in for when the period has no traffic report: card -> order metric
# (shopdata/metrics/orders.py). Their 口径 differ (aov from orders is per order, 客单价 per buyer), so
# whoever shows them says the source.
ORDER_CARDS = {"revenue": "order_revenue", "orders": "paid_orders", "buyers": "order_buyers", "aov": "order_aov"}


@cached
def order_kpis(backend, scope: Scope, compare_scope: Scope | None) -> list[Kpi]:
    """The ORDER_CARDS from orders when the period has orders but no traffic rows; [] otherwise."""
    if available(backend, scope)["traffic"] or not orders.has_orders(backend, scope):
        return []
    now = orders.order_summary(backend, scope)
    before = orders.order_summary(backend, compare_scope) if compare_scope else {}
    cards = []
    for card, name in ORDER_CARDS.items():
        value, previous = now[name], before.get(name)
        cards.append(Kpi(card, value, previous, change(value, previous) if compare_scope else None))
    return cards


# The page's cards for a period with orders and no traffic report, in the order shown: the order export's own
# figures under their own names (orders placed beside paid ones; average order value is per order).
ORDER_PAGE_CARDS = ("order_revenue", "order_count", "paid_orders", "order_buyers", "order_aov")


@cached
def order_cards(backend, scope: Scope, compare_scope: Scope | None) -> list[Kpi]:
    """ORDER_PAGE_CARDS from the order export, against the comparison period when there is one."""
    now = orders.order_summary(backend, scope)
    before = orders.order_summary(backend, compare_scope) if compare_scope else {}
    cards = []
    for name in ORDER_PAGE_CARDS:
        value, previous = now[name], before.get(name)
        cards.append(Kpi(name, value, previous, change(value, previous) if compare_scope else None))
    return cards


@dataclass(frozen=True)
class Beside:
    """One traffic-report card and the order export's figure for the same thing."""

    card: str  # the traffic report's metric (a key of ORDER_CARDS)
    order_metric: str
    report: float | None
    records: float | None

    @property
    def difference(self) -> float | None:
        """The order records minus the traffic report."""
        return None if self.report is None or self.records is None else self.records - self.report

    @property
    def difference_pct(self) -> float | None:
        return None if self.difference is None else change(self.records, self.report)


@dataclass(frozen=True)
class DaysCovered:
    days: int
    first: date | None
    last: date | None


@dataclass(frozen=True)
class RecordsBeside:
    """The traffic report's revenue, orders, buyers and AOV beside the order export's, and the days each
    covers in the period (different days are the first cause of a difference to rule out)."""

    figures: list[Beside]
    report_days: DaysCovered
    order_days: DaysCovered

    @property
    def same_days(self) -> bool:
        return self.report_days == self.order_days


def _days(values: pd.DataFrame, columns: Sequence[str]) -> DaysCovered:
    days = pd.to_datetime(values.loc[values[list(columns)].notna().any(axis=1), "period_date"])
    if days.empty:
        return DaysCovered(0, None, None)
    return DaysCovered(int(days.nunique()), days.min().date(), days.max().date())


@cached
def records_beside(
    backend, scope: Scope, trend_compare: Scope | None = None, cards_compare: Scope | None = None
) -> RecordsBeside | None:
    """The order records beside the traffic report's cards; None unless the period has both. Only the scope's
    own period is read; `trend_compare` and `cards_compare` are the comparisons the page asked `trend` and
    `kpis` for, so that their results (cached) are read again instead of the same figures queried anew."""
    found = sources(backend, (scope,))[0]
    if not (found["traffic"] and found["orders"]):
        return None
    report = {k.metric: k.value for k in kpis(backend, scope, cards_compare)}
    records = orders.order_summary(backend, scope, tuple(ORDER_CARDS.values()))
    figures = [Beside(card, name, report.get(card), records[name]) for card, name in ORDER_CARDS.items()]
    daily = trend(backend, scope, trend_compare)
    daily = daily[daily["series"] == CURRENT]
    return RecordsBeside(figures, _days(daily, TREND_METRICS["traffic"]), _days(daily, TREND_METRICS["orders"]))


# Movers from the order export, for a store whose traffic and ad reports have none: kind -> the orders_by
# breakdown. Ranked by order revenue, paid orders beside it.
ORDER_MOVERS = {"order_products": "product", "order_regions": "region", "order_channels": "channel"}
ORDER_MOVER_MEASURES = ("order_revenue", "paid_orders")


@cached
def order_movers(
    backend, scope: Scope, compare_scope: Scope, kind: str, top: int = MOVERS_TOP
) -> tuple[MoversBasis, pd.DataFrame]:
    """The biggest movers of one ORDER_MOVERS kind and what was compared (as `movers` and `movers_basis`)."""
    by = ORDER_MOVERS[kind]
    names = list(ORDER_MOVER_MEASURES)
    columns = [by] + [f"{m}{suffix}" for m in names for suffix in ("_previous", "", "_change", "_change_pct")]
    if not (orders.has_orders(backend, scope) and orders.has_orders(backend, compare_scope)):
        return MoversBasis(False, 0, ()), pd.DataFrame(columns=columns)
    now = orders.orders_by(backend, scope, by)[[by, *names]]
    before = orders.orders_by(backend, compare_scope, by)[[by, *names]]
    before = before.rename(columns={m: f"{m}_previous" for m in names})
    keys = {by: object}
    frame = now.astype(keys).merge(before.astype(keys), on=by, how="outer")
    if frame.empty:
        return MoversBasis(True, 0, ()), pd.DataFrame(columns=columns)
    basis = MoversBasis(True, len(frame), tuple(names))
    return basis, _ranked(frame, names, names[0], [by], top)[columns]


# ---- CLI -----------------------------------------------------------------------------------------

# `report overview --by`: for each breakdown, the columns it reads from each table. A KPI whose table
# lacks the breakdown is left out (spend has no traffic source; visitors have no ad campaign).
REPORT_BY: dict[str, dict[str, tuple[str, ...]]] = {
    "platform": {"traffic": ("platform",), "ads": ("platform",)},
    "product": {"traffic": ("product_id",), "ads": ("product_id",)},
    "source_1": {"traffic": ("source_1",)},
    "source_2": {"traffic": ("source_1", "source_2")},
    "campaign": {"ads": ("campaign",)},
    "ad_group": {"ads": ("campaign", "ad_group")},
    "keyword": {"ads": ("campaign", "keyword")},
}
TIME_BY = ("day", "week", "month")


def _record(keys: dict, name: str, value, previous, compared: bool) -> dict:
    value, previous = _clean(value), _clean(previous)
    return {
        **keys,
        "metric": name,
        "value": value,
        "previous": previous,
        "change": change(value, previous) if compared else None,
    }


def _by_columns(backend, scope: Scope, compare_scope: Scope | None, by: str) -> list[dict]:
    records: list[dict] = []
    for domain, columns in REPORT_BY[by].items():
        names = [m for m in KPI_METRICS if metric(m).domain == domain]
        if compare_scope:
            frame = _two_periods(backend, names, scope, compare_scope, columns)
        else:
            frame = compute(backend, names, scope, by=list(columns)).to_pandas()
        for row in frame.sort_values(list(columns)).to_dict("records"):
            keys = {c: row[c] for c in columns}
            records += [
                _record(keys, m, row.get(m), row.get(f"{m}_previous"), compare_scope is not None) for m in names
            ]
    return records


def _buckets(backend, domain: str, names: list[str], scope: Scope, by: str) -> pd.DataFrame:
    """The KPIs per day, 7-day block or calendar month of a period, numbered from the period's start."""
    if scope.start is None:
        raise ValueError("buckets are numbered from the period's first day; the scope has none")
    measured = measure_table(backend, domain, scope, measures_needed(names), by=["date"])
    start = ibis.literal(scope.start)
    if by == "day":
        bucket = measured["date"].delta(start, unit="day")
    elif by == "week":
        bucket = measured["date"].delta(start, unit="day") // 7
    else:
        bucket = (measured["date"].year() - scope.start.year) * 12 + measured["date"].month() - scope.start.month
    grouped = measured.group_by(bucket=bucket).aggregate(**{m: measured[m].sum() for m in measures_needed(names)})
    return to_pandas(backend, with_ratios(grouped, names).select("bucket", *names), scope)


def _bucket_day(scope: Scope, by: str, index: int) -> date:
    start = scope.start
    if start is None:
        raise ValueError("buckets are numbered from the period's first day; the scope has none")
    if by == "day":
        return start + timedelta(days=index)
    if by == "week":
        return start + timedelta(days=7 * index)
    months = start.month - 1 + index
    first = date(start.year + months // 12, months % 12 + 1, 1)
    return max(first, start)


def _by_time(backend, scope: Scope, compare_scope: Scope | None, by: str) -> list[dict]:
    """One record per KPI and day/week/month; the comparison's bucket with the same number is `previous`
    (the same day offset, the same 7-day block, the same month of the period)."""
    if scope.start is None:
        return []
    rows: dict[int, dict] = {}
    for domain in dict.fromkeys(metric(m).domain for m in KPI_METRICS):
        names = [m for m in KPI_METRICS if metric(m).domain == domain]
        for row in _buckets(backend, domain, names, scope, by).to_dict("records"):
            rows.setdefault(int(row["bucket"]), {}).update({m: row[m] for m in names})
        if compare_scope and compare_scope.start:
            for row in _buckets(backend, domain, names, compare_scope, by).to_dict("records"):
                if int(row["bucket"]) in rows:
                    rows[int(row["bucket"])].update({f"{m}_previous": row[m] for m in names})
    records = []
    for index in sorted(rows):
        keys = {"date": _bucket_day(scope, by, index).isoformat()}
        records += [
            _record(keys, m, rows[index].get(m), rows[index].get(f"{m}_previous"), compare_scope is not None)
            for m in KPI_METRICS
        ]
    return records


def report_records(
    backend, scope: Scope, compare_scope: Scope | None, by: str | None = None, language: str = "en"
) -> list[dict]:
    """`python -m shopdata report overview`: one record per KPI card {metric, value, previous, change, source}.

    source is the table a card's value comes from: traffic, ads, or orders where the period has no traffic
    report and its orders stand in (ORDER_CARDS; e.g. aov is then per order).

    previous and change are None without a comparison. With `by`, one record per KPI and breakdown value,
    the breakdown first: "date" (the bucket's first day) for day/week/month, else the breakdown's columns
    (see REPORT_BY). Records carry numbers and canonical names only, so `language` changes nothing.
    """
    if by is None:
        from_orders = {k.metric: k for k in order_kpis(backend, scope, compare_scope)}
        return [
            _record({}, k.metric, k.value, k.previous, compare_scope is not None)
            | {"source": "orders" if k.metric in from_orders else metric(k.metric).domain}
            for k in (from_orders.get(card.metric, card) for card in kpis(backend, scope, compare_scope))
        ]
    if by in TIME_BY:
        return _by_time(backend, scope, compare_scope, by)
    if by in REPORT_BY:
        return _by_columns(backend, scope, compare_scope, by)
    raise ReportError(f"the overview report breaks down by {', '.join([*TIME_BY, *REPORT_BY])}, not {by!r}")
