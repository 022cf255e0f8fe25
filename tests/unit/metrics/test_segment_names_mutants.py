"""What segment names say that no test varied until a mutation run (`make mutation MODULES=segment_names`)
changed it unnoticed: `segment_names`, the entry every alert line goes through, reading the store's titles (and
none without a store), and a title of exactly the line's length kept whole. Values by hand; on DuckDB and
PostgreSQL."""

from __future__ import annotations

from datetime import date

from shopdata.metrics.segment_names import TITLE_CHARACTERS, segment_names, shortened
from shopdata.store import Warehouse
from tests.unit.metrics.test_query import load


def test_segment_names_reads_the_store_s_titles_and_none_without_a_store(store: Warehouse) -> None:
    day = date(2024, 3, 5)
    row = dict(platform="tmall", grain="product", currency="CNY", source_level=1, visitors=10.0, date=day, end_date=day)
    load(store, "traffic", [dict(row, product_id="A1", product_name="Serum 30ml")], "sycm")
    names = segment_names(store.engine.ibis(), "S")
    assert names.label("product", "A1") == "Serum 30ml" and names.full("product", "A1") == "Serum 30ml (A1)"
    unnamed = segment_names(store.engine.ibis(), None)  # no store chosen: no titles, the IDs themselves
    assert dict(unnamed.titles) == {} and unnamed.label("product", "A1") == "A1"


def test_a_title_of_exactly_the_line_s_length_is_kept_whole() -> None:
    exact = "x" * TITLE_CHARACTERS
    assert shortened(exact) == exact
    assert shortened(exact + "y") == "x" * (TITLE_CHARACTERS - 1) + "…"
    assert shortened("  Serum \n 30ml  ") == "Serum 30ml"  # spaces collapsed
