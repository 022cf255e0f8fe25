"""Promotion: what the ads cost, what they brought back, and which campaigns earn their spend.

Every KPI comes from the metric records (domain ads) through `query.compute`, which counts each figure
once when campaign, placement and search-term reports of the same spend overlap. On top of that this
module adds what no platform exports: the break-even ROAS (1 ÷ gross margin before ads, a margin the
owner enters) and the profit left after ad spend (ad revenue × margin − spend).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import ibis
import pandas as pd

from shopdata import rollups, settings
from shopdata.errors import ReportError
from shopdata.formatting import is_missing
from shopdata.metrics import query
from shopdata.metrics.cache import cached, caches_results
from shopdata.metrics.periods import change
from shopdata.metrics.query import Scope

KPI_METRICS = (
    "spend",
    "impressions",
    "clicks",
    "ctr",
    "cpc",
    "cpm",
    "ad_conversions",
    "cvr",
    "cpa",
    "ad_revenue",
    "roas",
    "acos",
)
TREND_METRICS = ("spend", "ad_revenue", "roas")

# A page breakdown name -> the ads column it groups by.
BREAKDOWNS = {
    "platform": "platform",
    "campaign": "campaign",
    "ad_group": "ad_group",
    "keyword": "keyword",
    "product": "product_id",
}
REPORT_BY = ("platform", "campaign", "ad_group", "keyword", "product", "day")
REPORT_MEASURES = {
    "spend": "spend",
    "impressions": "impressions",
    "clicks": "clicks",
    "conversions": "ad_conversions",
    "revenue": "ad_revenue",
    "ctr": "ctr",
    "cpc": "cpc",
    "cpa": "cpa",
    "roas": "roas",
}

# Until the owner enters theirs: the registry's default (30 % gross margin before ads, break-even ROAS 3.33).
DEFAULT_MARGIN = settings.GROSS_MARGIN.default
# "Well above break-even": the 1.25 × break-even "safe line" PDD operators use (EXPORT_FORMATS.md §1), so a
# campaign is only recommended for more budget when a drop in ROAS after scaling still leaves it profitable.
SCALE_FACTOR = 1.25

ABOVE, BELOW = "above", "below"
# Spend with no sales value in the export (every row's revenue empty, not 0): whether it pays cannot be judged.
UNJUDGED = "unjudged"


# ---------------------------------------------------------------- margins


@dataclass(frozen=True)
class Margins:
    """Gross margin before ads, as fractions: the store's default and optional per-product overrides."""

    default: float = DEFAULT_MARGIN
    by_product: dict[str, float] = field(default_factory=dict)
    entered: bool = False  # False while the default is ours, not the owner's

    def for_product(self, product_id: str | None) -> float:
        if product_id is not None and product_id in self.by_product:
            return self.by_product[product_id]
        return self.default


def break_even_roas(margin: float | None) -> float | None:
    """ROAS at which the ad revenue's margin just pays for the spend; none when there is no margin to pay with."""
    if margin is None or margin <= 0:
        return None
    return 1.0 / margin


def load_margins(store, store_name: str | None) -> Margins:
    return Margins(
        default=settings.read(store, settings.GROSS_MARGIN, store_name),
        by_product=settings.read(store, settings.PRODUCT_MARGINS, store_name),
        entered=settings.is_saved(store, settings.GROSS_MARGIN, store_name),
    )


def save_margins(store, store_name: str | None, default: float, by_product: dict[str, float] | None = None) -> Margins:
    """Persist a store's margins (fractions). Products without a margin fall back to the default."""
    default = settings.fraction(default)
    cleaned = {
        str(pid).strip(): settings.fraction(m)
        for pid, m in (by_product or {}).items()
        if pid is not None and str(pid).strip() and _clean(m) is not None
    }
    settings.write(store, {settings.GROSS_MARGIN: default, settings.PRODUCT_MARGINS: cleaned}, store_name)
    return Margins(default, cleaned, entered=True)


# ---------------------------------------------------------------- campaign names


# The labelled ad rows' own rollup (see _CampaignLabelled): its breakdown columns beyond the ad rollups' keys.
LABELLED_ROLLUP = "rollup_ads_labelled"
LABELLED_BREAKDOWN = ("campaign", "attribution", "product_id", "sku")


class _CampaignLabelled(query.OwnRollups):
    """The backend with ads.campaign always filled: the name, else the name another report gives the same
    campaign ID, else the ID.

    Some exports name a campaign only by its ID (Meta's KAG export: xyz_campaign_id; 万相台 商品报表:
    计划ID), others only by name (Amazon, Google), 万相台 计划报表 by both. One label per campaign keeps a
    product report's rows in the same campaign as the campaign report's (so its spend is not counted a
    second time under the ID) and keeps ID-only rows in a campaign breakdown instead of dropping them.

    On a page the labelled rows are also summed per day, campaign label, attribution window, product and SKU into a
    rollup of its own (LABELLED_ROLLUP: a temporary table computed once per data generation), which answers what
    the campaign breakdowns and attribution windows ask of every period: a filter change then sums tens of
    thousands of rows instead of labelling a million.
    """

    def __init__(self, backend) -> None:
        self._backend = backend

    def own_rollup(self, domain: str, by: Sequence[str]) -> str | None:
        if domain != "ads" or not caches_results(self._backend):
            return None
        return LABELLED_ROLLUP if set(by) <= {*rollups.ROLLUP_KEYS["ads"], *LABELLED_BREAKDOWN} else None

    def table(self, name: str):
        if name == LABELLED_ROLLUP:
            return self._labelled_rollup()
        t = query.table(self._backend, name)
        if name != "ads":
            return t
        keys = ["store", "platform", "campaign_id"]
        named = t.filter(t.campaign.notnull() & t.campaign_id.notnull())
        names = named.group_by(keys).aggregate(_id_name=named.campaign.max())
        joined = t.left_join(names, keys)
        return joined.select(
            *[c for c in t.columns if c != "campaign"],
            campaign=ibis.coalesce(joined.campaign, joined._id_name, joined.campaign_id),
        )

    def _labelled_rollup(self):
        # Every store's rows: the expression has no scope parameter.
        return query.computed_once(
            self._backend, (LABELLED_ROLLUP,), lambda: rollups.summed(self.table("ads"), "ads", LABELLED_BREAKDOWN)
        )

    def __getattr__(self, name: str):
        return getattr(self._backend, name)


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Kpi:
    name: str
    value: float | None
    previous: float | None
    change: float | None


def _clean(value):
    if is_missing(value):
        return None
    return value


@cached
def has_ads(backend, scope: Scope) -> bool:
    return query.has_rows(backend, scope, "ads")  # on a page, from the ads' daily rollup


@cached
def kpis(backend, scope: Scope, compare_scope: Scope | None = None) -> list[Kpi]:
    """The whole scope's ad KPIs, with the comparison period's values when there is one."""
    if compare_scope:
        current, previous = query.totals_periods(backend, list(KPI_METRICS), (scope, compare_scope))
    else:
        current, previous = query.totals(backend, list(KPI_METRICS), scope), {}
    return [
        Kpi(
            name,
            _clean(current.get(name)),
            _clean(previous.get(name)),
            change(_clean(current.get(name)), _clean(previous.get(name))),
        )
        for name in KPI_METRICS
    ]


def _frame(backend, metrics: Sequence[str], scope: Scope, by: Sequence[str]) -> pd.DataFrame:
    table = query.compute(backend, list(metrics), scope, by=list(by))
    frame = table.to_pandas()
    if frame.empty:
        return pd.DataFrame(columns=[*by, *metrics])
    return frame


@cached
def _attributions(backend, scope: Scope, by: tuple[str, ...]) -> pd.DataFrame:
    """The attribution window(s) the exports state for each breakdown row, e.g. "14d" or "7d, 14d" (campaigns
    labelled as _CampaignLabelled does). Cached: the campaign breakdown and the attribution notes both ask."""
    backend = _CampaignLabelled(backend)
    t = query.scoped_rows(backend, "ads", scope, rollup=query.rollup_of(backend, "ads", [*by, "attribution"]))
    for column in by:
        t = t.filter(t[column].notnull())
    t = t.filter(t.attribution.notnull())
    found = query.run(backend, t.group_by([*by, "attribution"]).aggregate(n=t.count()), scope).to_pandas()
    if found.empty:
        return pd.DataFrame(columns=[*by, "attribution"])
    found = found.sort_values([*by, "attribution"], key=lambda s: s.map(_window_days) if s.name == "attribution" else s)
    return found.groupby(list(by), as_index=False, dropna=False)["attribution"].agg(", ".join)


def _window_days(window) -> float:
    digits = "".join(ch for ch in str(window) if ch.isdigit())
    return float(digits) if digits else math.inf


@cached
def breakdown(backend, scope: Scope, by: str, margins: Margins | None = None) -> pd.DataFrame:
    """One row per platform and breakdown value: every KPI, the attribution window, break-even and profit.

    Columns: platform, [the breakdown column], the KPI metric names, attribution, margin, break_even_roas,
    profit, status (above / below break-even; unjudged when there was spend but no row reported revenue; empty
    when there was no spend to earn back). Rows only count ad
    rows that have the breakdown column. Sorted by platform, then spend (largest first).
    """
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}; choose one of {sorted(BREAKDOWNS)}")
    margins = margins or Margins()
    keys = list(dict.fromkeys(["platform", BREAKDOWNS[by]]))
    frame = _frame(_CampaignLabelled(backend), KPI_METRICS, scope, keys)
    frame = frame.merge(_attributions(backend, scope, tuple(keys)), on=keys, how="left")
    if by == "product":
        frame["margin"] = [margins.for_product(pid) for pid in frame["product_id"]]
    else:
        frame["margin"] = margins.default
    frame = with_profit(frame)
    frame = frame.sort_values(["platform", "spend"], ascending=[True, False], na_position="last")
    return frame.reset_index(drop=True)


def with_profit(frame: pd.DataFrame) -> pd.DataFrame:
    """Add break_even_roas, profit (ad revenue × margin − spend) and status from spend, ad_revenue, roas, margin.

    Revenue that no row reported is unknown, not 0: such spend is UNJUDGED, never above or below break-even."""
    frame = frame.copy()
    frame["break_even_roas"] = _floats([break_even_roas(m) for m in frame["margin"]], frame.index)
    profits: list[float | None] = []
    statuses: list[str | None] = []
    for spend, revenue, roas, margin in zip(
        frame["spend"], frame["ad_revenue"], frame["roas"], frame["margin"], strict=False
    ):
        spend, revenue, roas = _clean(spend), _clean(revenue), _clean(roas)
        if revenue is None or spend is None:
            profits.append(None)
            statuses.append(UNJUDGED if revenue is None and spend else None)
            continue
        profits.append(revenue * margin - spend)
        even = break_even_roas(margin)
        if roas is None:  # no spend: nothing to earn back
            statuses.append(None)
        else:
            statuses.append(ABOVE if even is not None and roas >= even else BELOW)
    frame["profit"] = _floats(profits, frame.index)
    frame["status"] = pd.Series(statuses, dtype=object, index=frame.index)
    return frame


def _floats(values: list, index) -> pd.Series:
    return pd.Series([math.nan if v is None else float(v) for v in values], dtype="float64", index=index)


@dataclass(frozen=True)
class Ranking:
    scale: pd.DataFrame  # ROAS at least SCALE_FACTOR × break-even and profitable, largest profit first
    cut: pd.DataFrame  # below break-even, largest loss first
    unjudged: pd.DataFrame  # spend without any reported sales value: neither paying nor losing, largest spend first
    judged: int  # rows found above or below break-even: the all-clear "everything pays" needs at least one

    @property
    def all_pay(self) -> bool:
        """Every row with spend was judged and none is below break-even (false when nothing could be judged)."""
        return self.judged > 0 and self.cut.empty and self.unjudged.empty


def ranking(frame: pd.DataFrame) -> Ranking:
    """Which rows of a breakdown deserve more budget, which lose money after ad spend, and which cannot be
    judged because their export reports no sales value."""
    if frame.empty:
        return Ranking(frame, frame, frame, 0)
    even = frame["break_even_roas"]
    scale = frame[(frame["status"] == ABOVE) & (frame["profit"] > 0) & (frame["roas"] >= even * SCALE_FACTOR)]
    cut = frame[frame["status"] == BELOW]
    unjudged = frame[frame["status"] == UNJUDGED]
    return Ranking(
        scale.sort_values("profit", ascending=False).reset_index(drop=True),
        cut.sort_values("profit", ascending=True).reset_index(drop=True),
        unjudged.sort_values("spend", ascending=False).reset_index(drop=True),
        int(frame["status"].isin([ABOVE, BELOW]).sum()),
    )


@cached
def daily(backend, scope: Scope) -> pd.DataFrame:
    """date, spend, ad_revenue, roas per day (daily rows only: a report over a window has no single day)."""
    return _frame(backend, TREND_METRICS, scope, ["date"])


@cached
def scope_profit(backend, scope: Scope, margins: Margins) -> dict[str, float | None]:
    """Spend, ad revenue, ROAS, break-even ROAS and profit of the whole scope at the default margin."""
    values = query.totals(backend, ["spend", "ad_revenue", "roas"], scope)
    frame = with_profit(pd.DataFrame([{**{k: _clean(v) for k, v in values.items()}, "margin": margins.default}]))
    row = frame.iloc[0]
    return {
        "spend": _number(row["spend"]),
        "ad_revenue": _number(row["ad_revenue"]),
        "roas": _number(row["roas"]),
        "margin": margins.default,
        "break_even_roas": _number(row["break_even_roas"]),
        "profit": _number(row["profit"]),
        "status": row["status"],
    }


@cached
def attribution_windows(backend, scope: Scope) -> pd.DataFrame:
    """platform, campaign, attribution (empty when the export does not state it), spend — to read ROAS
    across platforms knowing each platform's window."""
    keys = ["platform", "campaign"]
    frame = _frame(_CampaignLabelled(backend), ["spend"], scope, keys)
    frame = frame.merge(_attributions(backend, scope, tuple(keys)), on=keys, how="left")
    frame["attribution"] = frame["attribution"].astype(object).where(frame["attribution"].notna(), None)
    return frame.sort_values(keys).reset_index(drop=True)[[*keys, "attribution", "spend"]]


def platform_windows(windows: pd.DataFrame) -> dict[str, dict[str | None, list[str]]]:
    """platform -> attribution window (None: not stated) -> campaigns, from `attribution_windows`."""
    found: dict[str, dict[str | None, list[str]]] = {}
    for row in windows.itertuples(index=False):
        for window in row.attribution.split(", ") if row.attribution else [None]:
            found.setdefault(row.platform, {}).setdefault(window, []).append(row.campaign)
    return found


@cached
def advertised_products(backend, scope: Scope) -> pd.DataFrame:
    """product_id and a name of every product with ad rows in the scope (for entering per-product margins)."""
    t = query.scoped_rows(backend, "ads", scope)
    t = t.filter(t.product_id.notnull())
    found = (
        t.group_by("product_id")
        .aggregate(name=t.ad_name.max(), spend=t.spend.sum())
        .order_by([ibis.desc("spend"), "product_id"])
    )
    return query.run(backend, found.select("product_id", "name"), scope).to_pandas()


# ---------------------------------------------------------------- command line


def report_records(
    backend, scope: Scope, compare_scope: Scope | None, by: str | None = None, language: str = "en"
) -> list[dict]:
    """`python -m shopdata report promotion`: one record per platform and campaign, or per `by`.

    Each record: platform, campaign, spend, impressions, clicks, conversions, revenue, ctr, cpc, cpa, roas.
    by="day": "date" (ISO) replaces "campaign" (one record per platform and day). by="ad_group", "keyword"
    or "product": that column is added (product as "product"), one record per platform, campaign and value.
    by="platform": one record per platform, with campaign empty (all campaigns together).
    The record carries no comparison or translated fields, so compare_scope and language do not change it.
    """
    by = by or "campaign"
    if by not in REPORT_BY:
        raise ReportError(f"the promotion report breaks down by {', '.join(REPORT_BY)}, not {by!r}")
    labelled = _CampaignLabelled(backend)
    if by == "day":
        keys = ["platform", "date"]
    elif by == "platform":
        keys = ["platform"]
    else:
        keys = list(dict.fromkeys(["platform", "campaign", BREAKDOWNS[by]]))
    frame = _frame(labelled, list(dict.fromkeys(REPORT_MEASURES.values())), scope, keys)
    records = []
    for row in frame.to_dict("records"):
        record: dict = {"platform": row["platform"]}
        if by == "day":
            day = row["date"]
            record["date"] = day.isoformat() if isinstance(day, date) else str(day)[:10]
        else:
            record["campaign"] = row.get("campaign")
        record.update({name: _number(row[metric]) for name, metric in REPORT_MEASURES.items()})
        if by in ("ad_group", "keyword", "product"):
            record[by] = row[BREAKDOWNS[by]]
        records.append(record)
    return records


def _number(value) -> float | None:
    value = _clean(value)
    return None if value is None else float(value)
