"""Competitor prices: price tracks per product and shop, who undercut us, and detected price drops.

A *track* is one product in one shop. Products are tracked by their ID where the export has one
(sellers retitle listings during promotions — 【双11预售】… — and it is still the same listing), shown
with the latest title it had in the scope; rows without an ID are tracked by their title.

An *observation* is one track on one day. Scrapes sometimes hold the same listing twice on a day;
the observation's price is then the lowest of them (what a shopper paid that day), and its sales and
comments the highest (they are cumulative counters).

The user names their own shop and links each of their products to competitors' products. The same
product ID sold by another shop (an ASIN with several sellers, a SKU across marketplaces) is a
competitor of ours without a link.

Prices are compared within one currency: the scope's currency when the price rows have it, else the
currency most price rows are in (a Tmall price scrape is in CNY even when the store's Shopify sells in USD).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import ibis
import numpy as np
import pandas as pd

from shopdata.errors import ReportError
from shopdata.metrics.cache import cached
from shopdata.metrics.query import Scope, read_every_day, rows_in_period, run, scoped_rows, table

UNDERCUT_THRESHOLD = 0.05
DROP_THRESHOLD = 0.10
# Gaps are compared after rounding, so 190 against 200 is exactly 5% and not 4.9999999%.
_PRECISION = 9

OBSERVATION_COLUMNS = [
    "date",
    "shop",
    "product",
    "product_id",
    "product_name",
    "price",
    "list_price",
    "sales",
    "comments",
    "available",
]


# --------------------------------------------------------------------------------------------------
# Reading observations


@cached
def price_currencies(backend, scope: Scope) -> list[str | None]:
    """Currencies of the price rows in the scope's store and dates, most rows first (None: rows without one)."""
    if read_every_day(backend, scope):
        # A page (an alert's explanation asks for each alert's days): the rows counted per first and last day
        # once per data generation, those inside the period summed here.
        found: dict[str | None, int] = {}
        for r in _currency_rows(backend, scope.undated()):
            if (scope.start is None or r["date"] >= scope.start) and (scope.end is None or r["end_date"] <= scope.end):
                found[r["currency"]] = found.get(r["currency"], 0) + r["n"]
    else:
        found = {r["currency"]: r["n"] for r in _currency_rows(backend, scope, ())}
    return sorted(found, key=lambda currency: (-found[currency], currency or ""))


@cached
def _currency_rows(backend, scope: Scope, by: tuple[str, ...] = ("date", "end_date")) -> list[dict]:
    """The scope's price rows counted per currency (and `by`): dicts of currency, n and the `by` columns."""
    t = scoped_rows(backend, "prices", replace(scope, currency=None))
    rows = run(backend, t.group_by(["currency", *by]).aggregate(n=t.count()), scope).to_pylist()
    return [{**r, **{c: _as_date(r[c]) for c in by}} for r in rows]


def price_currency(backend, scope: Scope) -> str | None:
    """The currency prices are compared in (see the module docstring)."""
    found = price_currencies(backend, scope)
    if scope.currency in found:
        return scope.currency
    named = [c for c in found if c is not None]
    return named[0] if named else None


def _rows(backend, scope: Scope, currency: str | None):
    """Price rows of the scope in one currency; rows that name no currency go with it."""
    t = scoped_rows(backend, "prices", replace(scope, currency=None))
    if currency is not None:
        t = t.filter((t.currency == currency) | t.currency.isnull())
    t = t.filter(t.price.notnull())
    t = t.mutate(product_id=t.product_id.strip().nullif(""), product_name=t.product_name.strip().nullif(""))
    t = t.mutate(product=ibis.coalesce(t.product_id, t.product_name))
    return t.filter(t.product.notnull() & t.shop.notnull())


@cached
def observations(backend, scope: Scope, currency: str | None = None) -> pd.DataFrame:
    """One row per day × shop × product, each with its track's latest title in the scope, ordered by date, shop,
    product.

    `currency` defaults to price_currency(backend, scope).
    """
    if currency is None:
        currency = price_currency(backend, scope)
    if read_every_day(backend, scope):
        # A page: each period's days are those of the store's every day, read once per data generation (a day's
        # figures do not depend on the period; only the latest title does, and it is found here per period) —
        # unless a row covers several days, which a period counts only when it holds all of them.
        every_day = _daily_observations(backend, scope.undated(), currency)
        if every_day["one_day"].all():
            return _titled(rows_in_period(every_day, scope))
    return _titled(_daily_observations(backend, scope, currency))


@cached
def _daily_observations(backend, scope: Scope, currency: str | None) -> pd.DataFrame:
    """observations before titling: with `day_name`, the day's title (the greatest, when a day has several), and
    `one_day`, whether each of its rows covers that day alone."""
    t = _rows(backend, scope, currency)
    daily = t.group_by(["date", "shop", "product"]).aggregate(
        one_day=(t.end_date == t.date).fill_null(False).all(),
        product_id=t.product_id.max(),
        day_name=t.product_name.max(),
        price=t.price.min(),
        list_price=t.list_price.max(),
        sales=t.sales.max(),
        comments=t.comments.max(),
        available=t.available.any(),
    )
    frame = run(backend, daily, scope).to_pandas()
    frame["date"] = [_as_date(d) for d in frame["date"].tolist()]
    # Sorted here, not in SQL: PostgreSQL's collation would order Chinese and mixed-case names its own way.
    return frame.sort_values(["date", "shop", "product"]).reset_index(drop=True)


def _titled(daily: pd.DataFrame) -> pd.DataFrame:
    """Each observation named by its track's latest title among `daily` (the title of its last day with one;
    the product itself, an ID or a title, when no day has one)."""
    latest = daily.groupby(["shop", "product"], sort=False)["day_name"].transform("last")  # in date order
    frame = daily.assign(product_name=latest.where(latest.notna(), daily["product"]))
    return frame[OBSERVATION_COLUMNS].reset_index(drop=True)


@cached
def shops(backend, store: str | None) -> list[str]:
    """Every shop with price rows in the store, at any date (the own-shop choice does not depend on the period)."""
    t = table(backend, "prices")
    if store:
        t = t.filter(t.store == store)
    t = t.filter(t.shop.notnull())
    return sorted(r["shop"] for r in t.select("shop").distinct().to_pyarrow().to_pylist())


def default_own_shop(known_shops: Sequence[str], store: str | None, saved: str | None) -> str | None:
    """The saved choice ("" means the user chose none); without one, the shop named like the store."""
    if saved is not None:
        return saved if saved in known_shops else None
    return store if store in known_shops else None


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# --------------------------------------------------------------------------------------------------
# Links between our products and competitors'


def links_to_rows(links: Mapping[str, Sequence[str]], own_products: Sequence[str]) -> pd.DataFrame:
    """The link editor's rows: one per own product, with the competitor products linked to it."""
    return pd.DataFrame(
        {"own_product": list(own_products), "competitors": [sorted(links.get(p, [])) for p in own_products]}
    )


def rows_to_links(rows: pd.DataFrame, previous: Mapping[str, Sequence[str]] | None = None) -> dict[str, list[str]]:
    """Links from the editor's rows; links of own products not shown in the editor (out of the period) are kept."""
    links = {k: list(v) for k, v in (previous or {}).items()}
    for own, competitors in zip(rows["own_product"], rows["competitors"], strict=False):
        chosen = sorted(
            {str(c).strip() for c in (competitors if competitors is not None else []) if str(c).strip()} - {own}
        )
        if chosen:
            links[own] = chosen
        else:
            links.pop(own, None)
    return links


def own_products(obs: pd.DataFrame, own_shop: str | None) -> list[str]:
    if not own_shop:
        return []
    return sorted(obs.loc[obs["shop"] == own_shop, "product"].unique())


def competitor_tracks(
    obs: pd.DataFrame,
    own_shop: str | None,
    links: Mapping[str, Sequence[str]],
    own_product: str,
    index: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> list[tuple[str, str]]:
    """(shop, product) of every competitor track of one own product: linked products, and the same ID elsewhere.

    `obs` needs shop and product only: callers pass latest_prices(obs), one row per track, which is far shorter.
    A caller asking for many products passes `index` (competitor_index of the same rows and shop) instead of
    filtering every row once per product."""
    if index is None:
        index = competitor_index(obs, own_shop)
    keys = {own_product, *links.get(own_product, [])}
    return sorted({track for key in keys for track in index.get(key, ())})


def competitor_index(obs: pd.DataFrame, own_shop: str | None) -> dict[str, list[tuple[str, str]]]:
    """product -> the (shop, product) tracks of other shops than `own_shop` selling it."""
    index: dict[str, list[tuple[str, str]]] = {}
    others = obs.loc[obs["shop"] != own_shop, ["shop", "product"]].drop_duplicates()
    for shop, product in zip(others["shop"], others["product"], strict=True):
        index.setdefault(product, []).append((shop, product))
    return index


# --------------------------------------------------------------------------------------------------
# Product groups for the chart


@dataclass(frozen=True)
class ProductGroup:
    id: str  # the product (key) the group is named after; also the URL value
    name: str  # its latest title
    shop: str  # the shop(s) selling it
    products: tuple[str, ...]  # product keys drawn together
    competitors: int  # competitor tracks (0 when the group is not one of ours)
    own: bool


def product_groups(obs: pd.DataFrame, own_shop: str | None, links: Mapping[str, Sequence[str]]) -> list[ProductGroup]:
    """Our products first (those with competitors before the others), then every other product on its own."""
    latest = latest_prices(obs)
    title = {(s, p): n for s, p, n in zip(latest["shop"], latest["product"], latest["product_name"], strict=False)}
    newest = latest.sort_values(["date", "shop"]).groupby("product", sort=False).tail(1)
    name_of = dict(zip(newest["product"], newest["product_name"], strict=False))
    shops_of = latest.groupby("product")["shop"].agg(lambda s: ", ".join(sorted(s))).to_dict()
    ours = own_products(obs, own_shop)
    index = competitor_index(latest, own_shop)
    groups = []
    for product in ours:
        linked = tuple(k for k in sorted(links.get(product, [])) if k in name_of and k != product)
        groups.append(
            ProductGroup(
                product,
                title[(own_shop, product)],
                own_shop or "",
                (product, *linked),
                len(competitor_tracks(latest, own_shop, links, product, index)),
                True,
            )
        )
    groups.sort(key=lambda g: (g.competitors == 0, g.name, g.id))
    others = sorted((p for p in name_of if p not in set(ours)), key=lambda p: (shops_of[p], name_of[p], p))
    groups += [ProductGroup(p, name_of[p], shops_of[p], (p,), 0, False) for p in others]
    return groups


def group_series(obs: pd.DataFrame, group: ProductGroup, own_shop: str | None) -> pd.DataFrame:
    """The group's tracks over time: date, shop, product, product_name, price, own, track (a legend label)."""
    rows = obs.loc[obs["product"].isin(group.products), ["date", "shop", "product", "product_name", "price"]].copy()
    rows["own"] = rows["shop"] == own_shop if own_shop else False
    same_name = rows.groupby("product_name")["product"].transform("nunique") > 1
    named = rows["product_name"].where(~same_name, rows["product_name"] + " (" + rows["product"] + ")")
    rows["track"] = rows["shop"] + " · " + named
    return rows.sort_values(["own", "shop", "product", "date"], ascending=[False, True, True, True]).reset_index(
        drop=True
    )


# A drawn track keeps at most this many points: a browser draws thousands of points per line slowly, and a
# chart a few hundred pixels wide cannot show more anyway.
MAX_POINTS_PER_TRACK = 400


def display_series(series: pd.DataFrame, max_points: int = MAX_POINTS_PER_TRACK) -> pd.DataFrame:
    """group_series' rows thinned for drawing: each track's first and last observation, and in each of about
    max_points / 2 equal runs of its observations the lowest and the highest price (so a track's exact minimum
    and maximum are always drawn). Tracks with at most max_points observations are kept whole."""
    if series.empty:
        return series
    position = series.groupby("track", sort=False).cumcount()
    length = series.groupby("track", sort=False)["track"].transform("size")
    runs = max(max_points // 2 - 1, 1)
    bucket = (position * runs // length).where(length > max_points, position)
    keyed = series.assign(_bucket=bucket, _position=position, _length=length)
    by_run = keyed.groupby(["track", "_bucket"], sort=False)["price"]
    kept = set(by_run.idxmin()) | set(by_run.idxmax())
    kept |= set(keyed.index[(keyed["_position"] == 0) | (keyed["_position"] == keyed["_length"] - 1)])
    return series.loc[sorted(kept)]


# --------------------------------------------------------------------------------------------------
# Position, undercuts, drops, ranges


def latest_prices(obs: pd.DataFrame) -> pd.DataFrame:
    """Each track's latest observation in the scope: shop, product, product_name, date, price."""
    # observations() come in date order: each track's last row is then its latest, without sorting dates (a
    # column of Python dates: most of this function's time). Other input is sorted first, stably.
    ordered = obs if obs["date"].is_monotonic_increasing else obs.sort_values("date", kind="stable")
    latest = ordered.drop_duplicates(["shop", "product"], keep="last")
    return latest[["shop", "product", "product_name", "date", "price"]].reset_index(drop=True)


def _by_track(tracks: pd.DataFrame) -> dict[tuple[str, str], tuple[Any, Any, float]]:
    """latest_prices' rows by (shop, product): (product_name, date, price). Looked up per competitor: a dict,
    since a frame's .loc per track took most of a product table's Python time."""
    return {
        (shop, product): (name, day, float(price))
        for shop, product, name, day, price in zip(
            tracks["shop"], tracks["product"], tracks["product_name"], tracks["date"], tracks["price"], strict=True
        )
    }


def price_position(obs: pd.DataFrame, own_shop: str | None, links: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """For each of our products that has competitors: our latest price against theirs.

    price_index = our price ÷ the competitors' median (empty without competitor prices); rank = 1 + the
    number of competitor prices below ours (1 is cheapest; equal prices share a rank), out of rank_of.
    """
    columns = [
        "product",
        "product_name",
        "date",
        "price",
        "competitors",
        "cheapest",
        "median",
        "dearest",
        "price_index",
        "rank",
        "rank_of",
    ]
    if not own_shop or obs.empty:
        return pd.DataFrame(columns=columns)
    tracks = latest_prices(obs)
    latest = _by_track(tracks)
    index = competitor_index(tracks, own_shop)
    out = []
    for product in own_products(obs, own_shop):
        rivals = competitor_tracks(tracks, own_shop, links, product, index)
        if not rivals and not links.get(product):
            continue
        name, day, price = latest[(own_shop, product)]
        theirs = [latest[track][2] for track in rivals]
        median = float(pd.Series(theirs).median()) if theirs else None
        out.append(
            {
                "product": product,
                "product_name": name,
                "date": day,
                "price": price,
                "competitors": len(theirs),
                "cheapest": min(theirs) if theirs else None,
                "median": median,
                "dearest": max(theirs) if theirs else None,
                "price_index": price / median if median else None,
                "rank": 1 + sum(1 for p in theirs if p < price),
                "rank_of": 1 + len(theirs),
            }
        )
    return pd.DataFrame(out, columns=columns)


# Why no undercut could be looked for; None when at least one own price was compared with a competitor's.
NO_OWN_SHOP = "no_own_shop"  # the user has not said which shop is theirs
NO_OWN_PRICES = "no_own_prices"  # their shop has no (positive) price observation in the scope
NO_LINKS = "no_links"  # none of their products is linked to a competitor's, and no other shop sells the same ID
NO_COMPETITOR_PRICES = "no_competitor_prices"  # linked competitor products have no observation in the scope
NOTHING_COMPARED_REASONS = (NO_OWN_SHOP, NO_OWN_PRICES, NO_LINKS, NO_COMPETITOR_PRICES)

UNDERCUT_COLUMNS = [
    "date",
    "shop",
    "product",
    "product_name",
    "price",
    "own_product",
    "own_product_name",
    "own_price",
    "gap",
]


@dataclass(frozen=True)
class UndercutCheck:
    """The undercut alerts, and how many (own product, competitor product) pairs they were looked for in.

    An empty `alerts` says "no competitor is cheaper" only when `compared` > 0; otherwise nothing could be
    compared and `reason` (one of NOTHING_COMPARED_REASONS) says why.
    """

    alerts: pd.DataFrame
    compared: int
    reason: str | None


def check_undercuts(
    obs: pd.DataFrame, own_shop: str | None, links: Mapping[str, Sequence[str]], threshold: float = UNDERCUT_THRESHOLD
) -> UndercutCheck:
    """Competitors whose latest price is below ours by more than `threshold` (a fraction of our price).

    gap = (our price − their price) ÷ our price. A gap exactly at the threshold is not an alert.
    """
    empty = pd.DataFrame(columns=UNDERCUT_COLUMNS)
    if not own_shop:
        return UndercutCheck(empty, 0, NO_OWN_SHOP)
    tracks = latest_prices(obs)
    latest = _by_track(tracks)
    index = competitor_index(tracks, own_shop)
    out, compared, priced = [], 0, 0
    for product in own_products(obs, own_shop):
        own_name, _, own_price = latest[(own_shop, product)]
        if own_price <= 0:
            continue
        priced += 1
        for shop, rival in competitor_tracks(tracks, own_shop, links, product, index):
            compared += 1
            name, day, price = latest[(shop, rival)]
            gap = (own_price - price) / own_price
            if round(gap, _PRECISION) > round(threshold, _PRECISION):
                out.append(
                    {
                        "date": day,
                        "shop": shop,
                        "product": rival,
                        "product_name": name,
                        "price": price,
                        "own_product": product,
                        "own_product_name": own_name,
                        "own_price": own_price,
                        "gap": gap,
                    }
                )
    reason = None
    if not compared:
        if not priced:
            reason = NO_OWN_PRICES
        elif any(links.get(product) for product in own_products(obs, own_shop)):
            reason = NO_COMPETITOR_PRICES
        else:
            reason = NO_LINKS
    frame = pd.DataFrame(out, columns=UNDERCUT_COLUMNS) if out else empty
    frame = frame.sort_values(["gap", "shop", "product"], ascending=[False, True, True]).reset_index(drop=True)
    return UndercutCheck(frame, compared, reason)


def undercuts(
    obs: pd.DataFrame, own_shop: str | None, links: Mapping[str, Sequence[str]], threshold: float = UNDERCUT_THRESHOLD
) -> pd.DataFrame:
    """The alerts of `check_undercuts` alone (an empty frame also when nothing could be compared)."""
    return check_undercuts(obs, own_shop, links, threshold).alerts


def price_drops(obs: pd.DataFrame, min_drop: float = DROP_THRESHOLD) -> pd.DataFrame:
    """Prices that fell by at least `min_drop` from the track's previous observation (promotions, price cuts).

    recovered_on is the first later day in the scope with the price back at or above the price before the drop.
    """
    columns = [
        "date",
        "shop",
        "product",
        "product_name",
        "previous_date",
        "before",
        "after",
        "drop",
        "recovered",
        "recovered_on",
    ]
    # Whole-frame shifts find the drops; only the drops are walked for their recovery day, each in its track's rows
    # (a track's rows are one run once sorted). Only the drops' own cells become Python values: every column as a
    # list, and a lookup of each track's rows, made most of the time on a period's 50k observations.
    ordered = obs.sort_values(["shop", "product", "date"]).reset_index(drop=True)
    same_track = ordered.groupby(["shop", "product"], sort=False)
    track = same_track.ngroup().to_numpy()
    before_at = same_track["price"].shift(1).astype(float).to_numpy()
    after_at = ordered["price"].astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        drop_at = np.where(before_at > 0, (before_at - after_at) / before_at, np.nan)
    found = np.flatnonzero(np.round(drop_at, _PRECISION) >= round(min_drop, _PRECISION))
    track_end = np.append(np.flatnonzero(track[1:] != track[:-1]) + 1, len(track))  # one past each track's last row
    ends = track_end[track[found]]
    last_name = same_track["product_name"].last().tolist()  # each track's latest title, in track order
    days = ordered["date"]
    rows = {c: ordered[c].take(found).tolist() for c in ("shop", "product", "date")}
    previous = days.take(found - 1).tolist()  # a drop has a previous row in its track
    back_at = []  # each drop's first later row in its track with the price back, or -1
    for i, end in zip(found, ends, strict=True):
        back = after_at[i + 1 : end] >= before_at[i]
        first = int(back.argmax()) if len(back) else 0
        back_at.append(i + 1 + first if len(back) and back[first] else -1)
    backs = [b for b in back_at if b >= 0]
    recovered = dict(zip(backs, days.take(backs).tolist(), strict=True))
    out = []
    for n, i in enumerate(found):
        back_on = recovered.get(back_at[n]) if back_at[n] >= 0 else None
        out.append(
            {
                "date": rows["date"][n],
                "shop": rows["shop"][n],
                "product": rows["product"][n],
                "product_name": last_name[track[i]],
                "previous_date": previous[n],
                "before": float(before_at[i]),
                "after": float(after_at[i]),
                "drop": float(drop_at[i]),
                "recovered": back_on is not None,
                "recovered_on": back_on,
            }
        )
    frame = pd.DataFrame(out, columns=columns)
    return frame.sort_values(["date", "shop", "product"]).reset_index(drop=True)


def product_ranges(obs: pd.DataFrame) -> pd.DataFrame:
    """Per track: observations, lowest / median / highest / latest price, and the sales increase over the period:
    what its cumulative sales counter rose by between consecutive snapshots (never their sum; a counter that falls,
    a relisted product, adds nothing for that step; fewer than two snapshots say nothing)."""
    columns = [
        "shop",
        "product",
        "product_name",
        "observations",
        "first_date",
        "last_date",
        "min_price",
        "median_price",
        "max_price",
        "latest_price",
        "sales_increase",
    ]
    if obs.empty:
        return pd.DataFrame(columns=columns)
    ordered = obs.sort_values(["shop", "product", "date"]).assign(price=lambda f: f["price"].astype(float))
    tracks = ordered.groupby(["shop", "product"], sort=True)
    out = tracks.agg(
        product_name=("product_name", "last"),
        observations=("price", "size"),
        first_date=("date", "first"),
        last_date=("date", "last"),
        min_price=("price", "min"),
        median_price=("price", "median"),
        max_price=("price", "max"),
        latest_price=("price", "last"),
    )
    # sales_increase per track, without a Python call per track: the counter's rises between snapshots.
    counted = ordered.dropna(subset=["sales"]).assign(sales=lambda f: f["sales"].astype(float))
    by_track = counted.groupby(["shop", "product"], sort=True)["sales"]
    rises = by_track.diff().clip(lower=0).groupby([counted["shop"], counted["product"]]).sum()
    enough = by_track.size() >= 2
    out["sales_increase"] = rises[enough[enough].index].reindex(out.index).astype(object)
    out["sales_increase"] = out["sales_increase"].where(out["sales_increase"].notna(), None)
    out = out.reset_index()
    out["observations"] = out["observations"].astype(int)
    return out[columns]


def shop_ranges(obs: pd.DataFrame, per_product: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per shop: products, observations, lowest / median / highest price, and its products' sales increase.

    per_product: product_ranges(obs), when the caller has it already."""
    columns = ["shop", "products", "observations", "min_price", "median_price", "max_price", "sales_increase"]
    if per_product is None:
        per_product = product_ranges(obs)
    out = []
    for shop, rows in obs.groupby("shop", sort=True):
        prices = rows["price"].astype(float)
        increases = per_product.loc[per_product["shop"] == shop, "sales_increase"].dropna()
        out.append(
            {
                "shop": shop,
                "products": rows["product"].nunique(),
                "observations": len(rows),
                "min_price": prices.min(),
                "median_price": float(prices.median()),
                "max_price": prices.max(),
                "sales_increase": float(increases.sum()) if len(increases) else None,
            }
        )
    return pd.DataFrame(out, columns=columns)


# --------------------------------------------------------------------------------------------------
# The page in one call, and the CLI


@dataclass(frozen=True)
class PricePage:
    currency: str | None
    observations: pd.DataFrame
    groups: list[ProductGroup]
    position: pd.DataFrame
    undercut_check: UndercutCheck
    drops: pd.DataFrame
    products: pd.DataFrame
    shops: pd.DataFrame

    @property
    def undercuts(self) -> pd.DataFrame:
        return self.undercut_check.alerts

    @property
    def drop_pairs(self) -> int:
        """Consecutive observations of one track a drop was looked for in; 0: no drop could be seen at all."""
        return len(self.observations) - len(self.products)

    @property
    def latest_date(self) -> date | None:
        return None if self.observations.empty else max(self.observations["date"])


@dataclass(frozen=True)
class PriceTracks:
    """The period's price observations and how they group into tracks: what a product's price chart draws."""

    currency: str | None
    observations: pd.DataFrame
    groups: list[ProductGroup]


@cached
def price_tracks(backend, scope: Scope, own_shop: str | None, links: Mapping[str, Sequence[str]]) -> PriceTracks:
    """The tracks alone: the products page draws one product's, and on a filter change at 10M events the price
    page's positions, undercuts, drops and ranges, which it does not show, took 0.5 s more."""
    currency = price_currency(backend, scope)
    obs = observations(backend, scope, currency)
    return PriceTracks(currency, obs, product_groups(obs, own_shop, links))


@cached
def price_page(
    backend,
    scope: Scope,
    own_shop: str | None,
    links: Mapping[str, Sequence[str]],
    threshold: float = UNDERCUT_THRESHOLD,
    min_drop: float = DROP_THRESHOLD,
) -> PricePage:
    tracks = price_tracks(backend, scope, own_shop, links)
    currency, obs = tracks.currency, tracks.observations
    per_product = product_ranges(obs)
    return PricePage(
        currency,
        obs,
        tracks.groups,
        price_position(obs, own_shop, links),
        check_undercuts(obs, own_shop, links, threshold),
        price_drops(obs, min_drop),
        per_product,
        shop_ranges(obs, per_product),
    )


def report_records(
    backend, scope: Scope, compare_scope: Scope | None, by: str | None = None, language: str = "en"
) -> list[dict]:
    """`report prices`: one record per price observation, ordered by date, shop, product.

    product is the product ID where the export has one, else its title; product_name is the latest title
    of that product in the scope. Observations are not compared across periods and titles are not
    translated, so compare_scope and language change nothing; there is no breakdown to choose.
    """
    if by is not None:
        raise ReportError(f"the prices report has one record per price observation and no breakdown, not {by!r}")
    obs = observations(backend, scope)
    # Whole columns to Python lists first: iterating Arrow-backed columns value by value took most of the report.
    columns = [obs[c].tolist() for c in ("date", "shop", "product", "product_name", "price")]
    return [
        {"date": d.isoformat(), "shop": s, "product": p, "product_name": n, "price": float(v)}
        for d, s, p, n, v in zip(*columns, strict=True)
    ]
