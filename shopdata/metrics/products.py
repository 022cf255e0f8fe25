"""Products (商品分析): one row per product, joined across every export the store has.

Each export names a product its own way: product-grain traffic reports (生意参谋 商品效果, 京东商智, 拼多多) by
product ID, order exports by product ID, SKU or only the title, ad reports by product ID / ASIN or SKU, price
scrapes of the own shop by listing ID or title. A product is:

1. matched by ID: the same ID (product ID, SKU, ASIN, 商品ID, 宝贝ID — whatever the export's canonical
   product column holds) in several exports is one product;
2. else matched by exact title within the store: products carrying the very same title (spaces at the ends
   ignored) in different exports are one product, but only when no export has two products of that title
   (then the title does not say which one is meant, and nothing is joined). Such a join is shown
   (`matched_by` = "title", `title_matched` names the exports joined by title), never made silently.

Figures per product: traffic (visitors, views, cart users, buyers, conversion — product-grain rows only),
orders (paid orders, units, revenue, refund, refund rate, buyers — shopdata.metrics.orders), ads (spend, ad
revenue, ROAS — product-grain ad rows), profit after ads (revenue × the product's gross margin from the
promotion page − ad spend) and the price index against the linked competitor tracks (shopdata.metrics.prices).

An order export lists every sale, so a product it does not list sold nothing (0); a product-grain ad report
lists every advertised product, so a product it does not list had no spend (0). A traffic report may list only
some products: a product missing from it has unknown visitors (empty), never 0. A store without an export of a
kind has that kind's columns empty.

The classes and their rules are data (RULES, TOP_SHARE); `classify` applies them and says, for each product,
why a rule could not judge it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from shopdata import settings
from shopdata.errors import ReportError
from shopdata.formatting import is_missing
from shopdata.metrics import orders, prices, query
from shopdata.metrics.cache import cached
from shopdata.metrics.promotion import Margins
from shopdata.metrics.query import Scope

# The exports a product can come from, in the order its ID and name are taken from.
SOURCES = ("traffic", "orders", "ads", "prices")
ID, TITLE = "id", "title"

TRAFFIC_METRICS = ("visitors", "page_views", "product_visitors", "cart_users", "buyers", "revenue", "conversion_rate")
AD_METRICS = ("spend", "ad_revenue", "roas")
# The order metrics a product row reads (orders.orders_by computes only these: no buyer history).
ORDER_METRICS = ("order_revenue", "order_refund", "order_units", "paid_orders", "order_buyers")

# ---------------------------------------------------------------- classes, as data

# A product's revenue is rounded to ten-thousandths before ranking: below any currency's smallest unit (see
# product_table).
REVENUE_DIGITS = 4
TOP_SHARE = 0.2  # "top revenue": the top 20 % of products by revenue (rounded up to whole products)


@dataclass(frozen=True)
class Rule:
    name: str  # the class; its label and rule text are i18n keys products.class.<name>, products.rule.<name>
    needs: tuple[str, ...]  # the columns it reads: a product lacking one is not judged by it


RULES = (
    # revenue in the top TOP_SHARE of products and conversion at or above the store's median
    Rule("best_seller", ("revenue", "conversion_rate")),
    # conversion above the median, visitors below the median: give it traffic
    Rule("potential", ("conversion_rate", "visitors")),
    # visitors above the median, conversion below the median
    Rule("traffic_driver", ("visitors", "conversion_rate")),
    # visitors in the period and no sales (revenue 0)
    Rule("slow_mover", ("visitors", "revenue")),
    # revenue × gross margin − ad spend below 0
    Rule("loss_making", ("profit",)),
)
REGULAR = "regular"  # judged by at least one rule, and none of them matched

# Why a product's column is empty: the store has no such export, or the export does not list the product.
NO_EXPORT, NOT_LISTED = "no_export", "not_listed"

# `report products`: the record's field -> the product table's column.
REPORT_FIELDS = (
    "product_id",
    "product_name",
    "visitors",
    "buyers",
    "conversion_rate",
    "units",
    "revenue",
    "refund",
    "spend",
    "roas",
    "profit",
    "price_index",
    "class",
)


@dataclass(frozen=True)
class Thresholds:
    """The store's cut-offs the rules compare with (None where no product has the figure)."""

    products: int  # products with revenue known
    top_count: int  # how many of them are "top revenue" (ceil(TOP_SHARE × products))
    revenue_cut: float | None  # the lowest revenue among the top ones
    conversion_median: float | None  # over products with a conversion rate
    visitors_median: float | None  # over products with visitors known


# ---------------------------------------------------------------- reading each export


class _AdsByProduct(query.OwnRollups):
    """The backend with ads.product_id filled from the SKU where a report names products by SKU only.

    Around a backend with rollups of its own (promotion's campaign labels on a page) that keep product ID and SKU,
    their rows get the same product ID: a group of one product ID and SKU stays one group."""

    def __init__(self, backend) -> None:
        self._backend = backend
        self._filled: set[str] = {"ads"}  # the tables whose product ID is filled from the SKU

    def own_rollup(self, domain: str, by: Sequence[str]) -> str | None:
        if not isinstance(self._backend, query.OwnRollups):
            return None
        found = self._backend.own_rollup(domain, [*by, "sku"])
        if found is not None:
            self._filled.add(found)
        return found

    def table(self, name: str) -> ir.Table:
        t = query.table(self._backend, name)
        if name not in self._filled:
            return t
        return t.mutate(product_id=ibis.coalesce(t.product_id.strip().nullif(""), t.sku.strip().nullif("")))

    def __getattr__(self, name: str):
        return getattr(self._backend, name)


def _clean_text(value) -> str | None:
    if is_missing(value):
        return None
    text = str(value).strip()
    return text or None


def _traffic(backend, scope: Scope) -> pd.DataFrame:
    """key (the product ID), has_id, name and the traffic metrics of every product in product-grain rows."""
    found = query.compute(backend, list(TRAFFIC_METRICS), scope, by=["product_id"]).to_pandas()
    t = query.scoped_rows(backend, "traffic", scope)
    t = t.filter(t.product_id.notnull() & t.product_name.notnull())
    names = query.run(backend, t.group_by("product_id").aggregate(name=t.product_name.max()), scope).to_pandas()
    frame = found.merge(names, on="product_id", how="left").rename(columns={"product_id": "key"})
    frame["has_id"] = True
    return frame


def _order_keys(backend, scope: Scope) -> pd.DataFrame:
    """The product key orders.order_lines gives each order row (ID, else SKU, else title), with whether it is
    an ID and the product's title: one row per key. A key that is a SKU on some lines and the bare title on
    others (the title column holding the SKU) is an ID, titled as its ID lines title it."""
    return query.run(backend, orders.product_keys(backend, scope), scope).to_pandas()


def _orders(backend, scope: Scope) -> pd.DataFrame:
    found = orders.orders_by(backend, scope, "product", ORDER_METRICS)
    if found.empty:
        return pd.DataFrame(columns=["key", "has_id", "name"])
    # orders_by counts a whole order in the period of its first line, so a later line's product is the period's
    # too: a key the period's lines do not give is looked up after it (within the period only, it had no ID and
    # was split from the same product in the other exports). Only then: for an old period, reading every later
    # line took 0.1 s of 1M.
    keys = _order_keys(backend, scope)
    later = set(found["product"]) - set(keys["key"])
    if later and scope.end is not None:
        after = _order_keys(backend, scope.shifted(scope.end + timedelta(days=1), None))
        keys = pd.concat([keys, after[after["key"].isin(later)]], ignore_index=True)
    frame = found.rename(columns={"product": "key"}).merge(keys, on="key", how="left")
    frame["has_id"] = frame["has_id"].fillna(False).astype(bool)
    return frame


def _ads(backend, scope: Scope) -> pd.DataFrame:
    found = query.compute(_AdsByProduct(backend), list(AD_METRICS), scope, by=["product_id"]).to_pandas()
    frame = found.rename(columns={"product_id": "key"})
    frame["has_id"] = True
    frame["name"] = None
    return frame


def _prices(backend, scope: Scope, own_shop: str | None, links: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """The own shop's products in the price exports, with their price index against the linked competitors.

    Only the observations and the position of prices.price_page: the rest of that page (undercuts, drops,
    ranges) took most of a product table's time. The observations are asked with price_page's arguments, so
    a page that shows both reads them once from the results cache."""
    if not own_shop:
        return pd.DataFrame(columns=["key", "has_id", "name", "price", "price_index"])
    obs = prices.observations(backend, scope, prices.price_currency(backend, scope))
    position = prices.price_position(obs, own_shop, links)
    ours = obs[obs["shop"] == own_shop]
    latest = ours.sort_values("date").groupby("product", sort=False).tail(1)
    frame = pd.DataFrame(
        {
            "key": latest["product"].tolist(),
            "has_id": latest["product_id"].notna().tolist(),
            "name": latest["product_name"].tolist(),
            "price": latest["price"].astype("float64").tolist(),
        }
    )
    index = dict(zip(position["product"], position["price_index"], strict=False))
    frame["price_index"] = [index.get(k) for k in frame["key"]]
    frame["price_index"] = frame["price_index"].astype("float64")
    return frame


# ---------------------------------------------------------------- matching


def match_products(entries: pd.DataFrame) -> pd.DataFrame:
    """Which product each export's entry is. entries: source, key, has_id, name (one row per source and key).

    Returns entries with `product` (the product's number), `matched_by` (ID or TITLE: how this entry joined
    its product; ID for an entry alone) — see the module docstring for the rules."""
    entries = entries.reset_index(drop=True).copy()
    entries["name"] = [_clean_text(n) for n in entries["name"]]
    group: dict[int, int] = {}  # entry -> group (a union-find over entries)

    def find(i: int) -> int:
        while group.get(i, i) != i:
            i = group[i]
        return i

    def join(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            group[max(ra, rb)] = min(ra, rb)

    by_id: dict[str, int] = {}
    for i, row in entries.iterrows():
        if row["has_id"]:
            first = by_id.setdefault(str(row["key"]), int(i))
            join(first, int(i))
    matched_by = [ID] * len(entries)
    # By title: the groups carrying a title, joined when no export has two of them.
    titled: dict[str, set[int]] = {}
    for i, name in enumerate(entries["name"]):
        if name is not None:
            titled.setdefault(name, set()).add(find(i))
    for groups in titled.values():
        if len(groups) < 2:
            continue
        members = [i for i in range(len(entries)) if find(i) in groups]
        sources = [entries.at[i, "source"] for i in members]
        if len(sources) != len(set(sources)):
            continue  # an export has two products of this title: the title does not say which
        anchor = min(groups)
        for g in groups:
            if g != anchor:
                for i in members:
                    if find(i) == g:
                        matched_by[i] = TITLE
                join(anchor, g)
    entries["product"] = [find(i) for i in range(len(entries))]
    entries["matched_by"] = matched_by
    return entries


# ---------------------------------------------------------------- the product table


def _number(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


@dataclass(frozen=True)
class ProductTable:
    frame: pd.DataFrame  # one row per product (see product_table)
    thresholds: Thresholds
    sources: tuple[str, ...]  # the kinds of export the store has product rows in, in SOURCES order
    revenue_source: str | None  # "orders" or "traffic": where revenue, units and refunds come from


COLUMNS = [
    "product_id",
    "product_name",
    "class",
    "not_judged",
    "revenue",
    "conversion_rate",
    "visitors",
    "buyers",
    "profit",
    "spend",
    "roas",
    "price_index",
    "units",
    "refund",
    "refund_rate",
    "paid_orders",
    "page_views",
    "product_visitors",
    "cart_users",
    "ad_revenue",
    "margin",
    "price",
    "matched_by",
    "title_matched",
    "ids",
    "exports",
    "traffic_keys",
    "order_keys",
    "ad_keys",
    "price_keys",
]


@cached
def product_table(
    backend,
    scope: Scope,
    margins: Margins | None = None,
    own_shop: str | None = None,
    links: Mapping[str, Sequence[str]] | None = None,
) -> ProductTable:
    """One row per product of the scope's store (see the module docstring), classified, revenue first.

    Columns (COLUMNS): product_id (its ID as the first export in SOURCES order names it, else its title),
    product_name, class (the classes it falls in, comma-separated; REGULAR when judged and none matched; empty
    when no rule could judge it), not_judged (rule -> the column it lacked and why), the figures, matched_by,
    title_matched (exports joined by title), ids, exports, and each export's keys (to find its rows)."""
    margins = margins or Margins()
    parts = {
        "traffic": _traffic(backend, scope),
        "orders": _orders(backend, scope),
        "ads": _ads(backend, scope),
    }
    parts["prices"] = _prices(backend, scope, own_shop, links or {})
    entries = pd.concat(
        [part.assign(source=source)[["source", "key", "has_id", "name"]] for source, part in parts.items()],
        ignore_index=True,
    )
    sources = tuple(s for s in SOURCES if not parts[s].empty)
    revenue_source = "orders" if "orders" in sources else ("traffic" if "traffic" in sources else None)
    if entries.empty:
        empty = pd.DataFrame(columns=COLUMNS)
        return ProductTable(empty, thresholds(empty), sources, revenue_source)
    matched = match_products(entries)
    rows_by_key = {source: _by_key(part) for source, part in parts.items()}
    # Each product's entries as plain records, in the order products first appear (pandas per product and
    # figure took most of a product table's time).
    members_of: dict[Any, list[dict]] = {}
    for entry in matched.to_dict("records"):
        members_of.setdefault(entry["product"], []).append(entry)
    rows = [_product_row(members, rows_by_key, sources, revenue_source, margins) for members in members_of.values()]
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if c not in ("class", "not_judged")])
    # A revenue summed by the engine carries the last bits of its order of addition, which changes between
    # runs (349.9 or 349.90000000000003): products of equal revenue swapped places, and one at the top-revenue
    # cut could change class. Rounded far below any currency's smallest unit, then ties broken by name and ID.
    frame["revenue"] = frame["revenue"].astype("float64").round(REVENUE_DIGITS)
    frame = classify(frame, sources, revenue_source)
    frame = frame.sort_values(
        ["revenue", "visitors", "product_name", "product_id"], ascending=[False, False, True, True]
    )
    frame = frame.reset_index(drop=True)[COLUMNS]
    return ProductTable(frame, thresholds(frame), sources, revenue_source)


# An export's rows by key, each with its position in the export: a product's figures are looked up here
# instead of filtering the export's frame once per product and figure (most of a product table's time).
RowsByKey = dict[Any, list[tuple[int, dict]]]


def _by_key(part: pd.DataFrame) -> RowsByKey:
    found: RowsByKey = {}
    for position, row in enumerate(part.to_dict("records")):
        found.setdefault(row["key"], []).append((position, row))
    return found


def _values(rows: RowsByKey, keys: Sequence[str], column: str) -> list[float]:
    """The known values of a column in the export's rows of these keys, in the export's row order."""
    listed = sorted((entry for key in keys for entry in rows.get(key, ())), key=lambda entry: entry[0])
    values = [_number(row[column]) for _, row in listed]
    return [v for v in values if v is not None]


def _figure(rows: RowsByKey, keys: Sequence[str], column: str) -> float | None:
    """The sum of a measure over the export's rows of these keys (None when none of them has it)."""
    known = _values(rows, keys, column)
    return sum(known) if known else None


def _product_row(
    members: list[dict],
    parts: Mapping[str, RowsByKey],
    sources: Sequence[str],
    revenue_source: str | None,
    margins: Margins,
) -> dict:
    """One product's row from its entries (match_products' records: source, key, has_id, name, matched_by)."""
    keys = {s: sorted(str(m["key"]) for m in members if m["source"] == s) for s in SOURCES}
    ordered = sorted(members, key=lambda m: (SOURCES.index(m["source"]), m["key"]))
    ids = list(dict.fromkeys(str(m["key"]) for m in ordered if m["has_id"]))
    names = [m["name"] for m in ordered if m["name"] is not None]
    row: dict = {
        "product_id": ids[0] if ids else str(ordered[0]["key"]),
        "product_name": names[0] if names else None,
        "matched_by": TITLE if any(m["matched_by"] == TITLE for m in members) else ID,
        "title_matched": ", ".join(
            s for s in SOURCES if any(m["source"] == s and m["matched_by"] == TITLE for m in members)
        )
        or None,
        "ids": ", ".join(ids) or None,
        "exports": ", ".join(s for s in SOURCES if keys[s]),
        **{
            f"{short}_keys": tuple(keys[s])
            for short, s in (("traffic", "traffic"), ("order", "orders"), ("ad", "ads"), ("price", "prices"))
        },
    }
    traffic, order_part, ads, price_part = (parts[s] for s in SOURCES)
    for column in ("visitors", "page_views", "product_visitors", "cart_users"):
        row[column] = _figure(traffic, keys["traffic"], column)
    traffic_buyers = _figure(traffic, keys["traffic"], "buyers")
    visitors = row["visitors"]
    row["conversion_rate"] = traffic_buyers / visitors if traffic_buyers is not None and visitors else None
    if revenue_source == "orders":
        listed = bool(keys["orders"])
        for column, name in (
            ("revenue", "order_revenue"),
            ("refund", "order_refund"),
            ("units", "order_units"),
            ("paid_orders", "paid_orders"),
        ):
            # An order export lists every sale: a product it does not list sold nothing.
            row[column] = _figure(order_part, keys["orders"], name) if listed else 0.0
        order_buyers = _figure(order_part, keys["orders"], "order_buyers") if listed else 0.0
        row["buyers"] = traffic_buyers if traffic_buyers is not None else order_buyers
        revenue, refund = row["revenue"], row["refund"]
        row["refund_rate"] = refund / revenue if refund is not None and revenue else None
    else:
        row["revenue"] = _figure(traffic, keys["traffic"], "revenue")
        row["buyers"] = traffic_buyers
        row["refund"] = row["units"] = row["paid_orders"] = row["refund_rate"] = None
    if "ads" in sources:
        # A product-grain ad report lists every advertised product: one it does not list had no spend.
        row["spend"] = _figure(ads, keys["ads"], "spend") or 0.0
        row["ad_revenue"] = _figure(ads, keys["ads"], "ad_revenue")
        row["roas"] = row["ad_revenue"] / row["spend"] if row["ad_revenue"] is not None and row["spend"] else None
    else:
        row["spend"] = row["ad_revenue"] = row["roas"] = None
    margin = next((margins.by_product[i] for i in ids if i in margins.by_product), margins.default)
    row["margin"] = margin
    revenue = row["revenue"]
    row["profit"] = revenue * margin - row["spend"] if revenue is not None and row["spend"] is not None else None
    listed_prices = _values(price_part, keys["prices"], "price")
    listed_indexes = _values(price_part, keys["prices"], "price_index")
    row["price"] = min(listed_prices) if listed_prices else None
    row["price_index"] = min(listed_indexes) if listed_indexes else None
    return row


# ---------------------------------------------------------------- classification


def _known(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype("float64").dropna()


def thresholds(frame: pd.DataFrame) -> Thresholds:
    revenue = _known(frame, "revenue") if "revenue" in frame else pd.Series(dtype="float64")
    top_count = math.ceil(TOP_SHARE * len(revenue)) if len(revenue) else 0
    ranked = revenue.sort_values(ascending=False)
    conversion = _known(frame, "conversion_rate") if "conversion_rate" in frame else pd.Series(dtype="float64")
    visitors = _known(frame, "visitors") if "visitors" in frame else pd.Series(dtype="float64")
    return Thresholds(
        products=len(revenue),
        top_count=top_count,
        revenue_cut=float(ranked.iloc[top_count - 1]) if top_count else None,
        conversion_median=float(conversion.median()) if len(conversion) else None,
        visitors_median=float(visitors.median()) if len(visitors) else None,
    )


def _matches(rule: str, row: Mapping, cut: Thresholds) -> bool:
    revenue, conversion, visitors = row["revenue"], row["conversion_rate"], row["visitors"]
    if rule == "best_seller":
        return (
            revenue > 0
            and cut.revenue_cut is not None
            and revenue >= cut.revenue_cut
            and (cut.conversion_median is not None and conversion >= cut.conversion_median)
        )
    if rule == "potential":
        return conversion > cut.conversion_median and visitors < cut.visitors_median
    if rule == "traffic_driver":
        return visitors > cut.visitors_median and conversion < cut.conversion_median
    if rule == "slow_mover":
        return visitors > 0 and revenue == 0
    if rule == "loss_making":
        return row["profit"] < 0
    raise ValueError(f"no rule named {rule!r}")


def missing_reason(column: str, sources: Sequence[str], revenue_source: str | None) -> str:
    """Why a column of the product table can be empty: NO_EXPORT when the store has no export giving it,
    else NOT_LISTED (the export does not list the product, or its rows lack the figure)."""
    needs = {
        "visitors": "traffic",
        "conversion_rate": "traffic",
        "revenue": revenue_source,
        "profit": "ads" if revenue_source else None,
    }
    source = needs.get(column)
    return NOT_LISTED if source is not None and source in sources else NO_EXPORT


def classify(frame: pd.DataFrame, sources: Sequence[str], revenue_source: str | None) -> pd.DataFrame:
    """Add `class` and `not_judged` (rule -> "column:reason", see missing_reason) by RULES."""
    frame = frame.copy()
    cut = thresholds(frame)
    classes, unjudged = [], []
    for row in frame.to_dict("records"):
        row = {k: _number(row.get(k)) for k in ("revenue", "conversion_rate", "visitors", "profit")}
        found, lacking = [], {}
        for rule in RULES:
            absent = [c for c in rule.needs if row[c] is None]
            if absent:
                lacking[rule.name] = f"{absent[0]}:{missing_reason(absent[0], sources, revenue_source)}"
            elif _matches(rule.name, row, cut):
                found.append(rule.name)
        judged = len(lacking) < len(RULES)
        classes.append(", ".join(found) if found else (REGULAR if judged else None))
        unjudged.append(lacking)
    frame["class"] = pd.Series(classes, index=frame.index, dtype=object)
    frame["not_judged"] = pd.Series(unjudged, index=frame.index, dtype=object)
    return frame


# ---------------------------------------------------------------- one product


@cached
def product_daily(backend, scope: Scope) -> pd.DataFrame:
    """date, key, source ("traffic" or "orders"), revenue, visitors per product key and day: paid revenue from
    the orders (each order's part of the product, as orders_by by product counts it: order_parts), visitors
    and revenue from daily product-grain traffic rows."""
    if query.read_every_day(backend, scope):
        # A day's figures are the same whatever period asks for them (one-day traffic rows; an order by its own
        # day): on a page they are the store's every day, read once per data generation and sliced, so a
        # filter change costs no query here (two, 0.06–0.09 s at 10M, before).
        return query.rows_in_period(product_daily(backend, scope.undated()), scope)
    found = query.compute(backend, ["visitors", "revenue"], scope, by=["date", "product_id"]).to_pandas()
    traffic = found.rename(columns={"product_id": "key"}).assign(source="traffic")
    parts = orders.order_parts(backend, scope, "product")
    parts = orders.in_period(parts.filter(parts.product.notnull()), scope)
    daily = parts.group_by(date=parts.order_date, product=parts.product).aggregate(revenue=parts.revenue.sum())
    sold = query.run(backend, daily, scope).to_pandas().rename(columns={"product": "key"})
    sold = sold.assign(source="orders", visitors=math.nan)
    frame = pd.concat([traffic, sold], ignore_index=True)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame[["date", "key", "source", "revenue", "visitors"]].sort_values(["date", "source", "key"])


def product_trend(daily: pd.DataFrame, row: Mapping, revenue_source: str | None) -> pd.DataFrame:
    """date, revenue, visitors of one product (a row of product_table) per day."""
    sold = daily[(daily["source"] == (revenue_source or "traffic")) & daily["key"].isin(_keys(row, revenue_source))]
    seen = daily[(daily["source"] == "traffic") & daily["key"].isin(row["traffic_keys"])]
    revenue = sold.groupby("date")["revenue"].sum(min_count=1)
    visitors = seen.groupby("date")["visitors"].sum(min_count=1)
    out = pd.concat([revenue.rename("revenue"), visitors.rename("visitors")], axis=1).sort_index()
    return out.rename_axis("date").reset_index()


def _keys(row: Mapping, source: str | None) -> tuple[str, ...]:
    return tuple(row["order_keys"] if source == "orders" else row["traffic_keys"])


@cached
def has_product_sources(backend, scope: Scope) -> bool:
    """Whether the traffic rows of the scope break products down by traffic source (商品来源)."""
    t = query.scoped_rows(backend, "traffic", scope)
    t = t.filter(t.product_id.notnull() & t.source_1.notnull())
    return bool(query.run(backend, t.count(), scope).as_py())


@cached
def product_sources(backend, scope: Scope) -> pd.DataFrame:
    """product_id, source_1, visitors, buyers, revenue, conversion_rate per product and traffic source."""
    metrics = ["visitors", "buyers", "revenue", "conversion_rate"]
    return query.compute(backend, metrics, scope, by=["product_id", "source_1"]).to_pandas()


@cached
def product_ads(backend, scope: Scope, by: str) -> pd.DataFrame:
    """product_id, `by` (campaign or keyword), spend, ad_revenue, roas per advertised product and `by`."""
    from shopdata.metrics.promotion import _CampaignLabelled  # one label per campaign, as on the promotion page

    labelled = _AdsByProduct(_CampaignLabelled(backend))
    found = query.compute(labelled, list(AD_METRICS), scope, by=["product_id", by]).to_pandas()
    return found.sort_values(["product_id", "spend"], ascending=[True, False]).reset_index(drop=True)


# ---------------------------------------------------------------- command line


class _SavedSettings:
    """settings.read's table, read through the metrics backend (the command line has no Warehouse there)."""

    def __init__(self, backend, scope: Scope) -> None:
        self._backend, self._scope = backend, scope

    def get_setting(self, key: str, store: str = "", default: Any = None) -> Any:
        t = query.table(self._backend, "settings")
        mine = t.store == (query.scope_param(0, "store") if store else ibis.literal(""))
        found = query.run(self._backend, t.filter(mine & (t.key == key)).select("value"), self._scope).to_pylist()
        return json.loads(found[0]["value"]) if found else default

    def set_settings(self, values: dict[str, Any], store: str = "") -> None:
        raise TypeError("a report reads settings; only the pages save them")


def saved_choices(backend, scope: Scope) -> tuple[Margins, str | None, dict[str, list[str]]]:
    """The store's margins, own shop and price links as the promotion and prices pages saved them."""
    saved = _SavedSettings(backend, scope)
    margins = Margins(
        default=settings.read(saved, settings.GROSS_MARGIN, scope.store),
        by_product=settings.read(saved, settings.PRODUCT_MARGINS, scope.store),
        entered=settings.is_saved(saved, settings.GROSS_MARGIN, scope.store),
    )
    own_shop = prices.default_own_shop(
        prices.shops(backend, scope.store), scope.store, settings.read(saved, settings.OWN_SHOP, scope.store)
    )
    return margins, own_shop, settings.read(saved, settings.PRICE_LINKS, scope.store)


def report_records(
    backend,
    scope: Scope,
    compare_scope: Scope | None,
    by: str | None = None,
    language: str = "en",
) -> list[dict]:
    """`python -m shopdata report products`: one record per product (REPORT_FIELDS), revenue first; null where
    the store lacks the data. `class` holds the class names (comma-separated). Neither the comparison period nor
    the language changes a record. Margins, the own shop and the price links are those the pages saved."""
    if by is not None:
        raise ReportError(f"the products report has one record per product and no breakdown, not {by!r}")
    # The store's platform currencies looked up once, not by each of the table's queries (three queries each).
    scope = query.for_currency(backend, scope)
    table = product_table(backend, scope, *saved_choices(backend, scope))
    records = []
    for row in table.frame.to_dict("records"):
        record = {}
        for field in REPORT_FIELDS:
            value = row[field]
            record[field] = value if field in ("product_id", "product_name", "class") else _number(value)
        records.append(record)
    return records
