"""What an alert's segment is called: a product's title instead of its ID (issue 12's alert lines on the overview,
the Review page, the digest and `report alerts` all name segments through `segment_names`).

Alerts group products by the traffic report's product_id (shopdata/metrics/alerts.py), a SKU or a platform's item
number. A product's title is the latest one the store's data gives that ID: the traffic report, the order export
and the price observations by their day (the latest day wins, then the latest upload), the product catalogue
(undated) only where none of them names it. Sources, campaigns and platforms are names already."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import ibis
import pandas as pd

from shopdata.metrics import query
from shopdata.metrics.cache import cached
from shopdata.metrics.query import Scope, scope_param

# table -> (ID columns, title column, day column or None): where the store's data names a product.
TITLE_SOURCES: dict[str, tuple[tuple[str, ...], str, str | None]] = {
    "traffic": (("product_id",), "product_name", "date"),
    "orders": (("product_id", "sku"), "product_name", "order_date"),
    "prices": (("product_id",), "product_name", "date"),
    "products": (("product_id", "sku"), "name", None),
}
TITLE_CHARACTERS = 24  # a title longer than this is cut in a line; the explanation and the hover have it whole


@cached
def product_titles(backend, store: str) -> dict[str, str]:
    """product ID (or SKU) -> the latest title the store's data has for it (see the module's docstring)."""
    scope = Scope(store)
    found = []
    for name, (ids, title, day) in TITLE_SOURCES.items():
        t = query.table(backend, name)
        t = t.filter(t.store == scope_param(0, "store"))
        for id_column in ids:
            rows = t.filter(t[id_column].notnull() & t[title].notnull()).mutate(
                key=t[id_column].cast("string").strip(),
                title=t[title].strip(),
                day=t[day].cast("date") if day else ibis.null("date"),
            )
            rows = rows.filter((rows.key != "") & (rows.title != ""))
            grouped = rows.group_by(["key", "title"]).aggregate(day=rows.day.max(), batch=rows.batch_id.max())
            frame = query.run(backend, grouped, scope).to_pandas()
            frame["dated"] = day is not None
            found.append(frame)
    every = pd.concat(found, ignore_index=True)
    if every.empty:
        return {}
    every["day"] = pd.to_datetime(every["day"])
    latest = every.sort_values(["dated", "day", "batch", "title"], ascending=True, na_position="first")
    return dict(zip(latest["key"], latest["title"], strict=True))  # the last (latest) title of each key wins


def shortened(text: str, limit: int = TITLE_CHARACTERS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class SegmentNames:
    """The names of a store's segments; `label` for a line, `full` for an explanation or a hover."""

    titles: Mapping[str, str]

    def title(self, dimension: str, segment: str) -> str | None:
        """The product's whole title; None for another dimension or a product no data names."""
        return self.titles.get(segment) if dimension == "product" and segment else None

    def label(self, dimension: str, segment: str) -> str:
        """The product's title, shortened; the segment itself otherwise (an ID without a title included)."""
        title = self.title(dimension, segment)
        return shortened(title) if title else segment

    def full(self, dimension: str, segment: str) -> str:
        """ "Whole title (ID)" for a named product; the segment itself otherwise."""
        title = self.title(dimension, segment)
        return f"{title} ({segment})" if title else segment


def segment_names(backend, store: str | None) -> SegmentNames:
    return SegmentNames(product_titles(backend, store) if store else {})
