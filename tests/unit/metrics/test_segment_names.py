"""A product's name in alert lines: the latest title the store's data has for its ID (traffic, orders, prices by
their day; the catalogue where nothing dated names it), on DuckDB and PostgreSQL; the demo's from its raw file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from shopdata.metrics.segment_names import TITLE_CHARACTERS, SegmentNames, product_titles
from shopdata.store import Warehouse
from tests.unit.metrics.test_query import load

SAMPLES = Path(__file__).resolve().parents[3] / "sample_data"
SYCM_PRODUCTS = SAMPLES / "【生意参谋平台】商品_全部_2026-08-25_2026-11-22.xlsx"  # the demo's product traffic


def raw_title(product_id: str) -> str:
    """The product's title on the latest day of the demo's 生意参谋 product export, read from the file itself."""
    frame = pd.read_excel(SYCM_PRODUCTS, header=4, dtype=str, engine="openpyxl")
    rows = frame[frame["商品ID"] == product_id].sort_values("统计日期")
    return str(rows.iloc[-1]["商品名称"])


def test_the_latest_dated_title_wins_and_the_catalogue_fills_in(store: Warehouse) -> None:
    tmall = dict(platform="tmall", grain="product", currency="CNY", source_level=1, visitors=10.0)
    load(store, "traffic", [
        dict(tmall, date=date(2024, 3, 1), end_date=date(2024, 3, 1), product_id="A1", product_name="Old serum"),
        dict(tmall, date=date(2024, 3, 5), end_date=date(2024, 3, 5), product_id="A1", product_name="Serum 30ml"),
        dict(tmall, date=date(2024, 3, 5), end_date=date(2024, 3, 5), product_id="A2", product_name="  "),
    ], "sycm")  # fmt: skip
    load(store, "orders", [
        dict(platform="tmall", grain="line", order_id="o1", line_no="1", order_date=date(2024, 3, 3),
             product_id="A1", product_name="Serum (March)", currency="CNY", amount=5.0),
        dict(platform="tmall", grain="line", order_id="o2", line_no="1", order_date=date(2024, 3, 9),
             sku="SKU-9", product_name="Cream 50g", currency="CNY", amount=5.0),
    ], "orders")  # fmt: skip
    load(store, "products", [
        dict(platform="tmall", product_id="A1", name="Catalogue serum"),
        dict(platform="tmall", product_id="A2", name="Catalogue toner"),
    ], "catalogue")  # fmt: skip

    titles = product_titles(store.engine.ibis(), "S")
    # A1: traffic on Mar 5 is later than the order of Mar 3; the catalogue never overrides a dated title.
    # A2: its only dated title is blank, so the catalogue names it. SKU-9: an order line named only by its SKU.
    assert titles == {"A1": "Serum 30ml", "A2": "Catalogue toner", "SKU-9": "Cream 50g"}
    assert product_titles(store.engine.ibis(), "Another store") == {}


def test_labels_shorten_long_titles_and_fall_back_to_the_id() -> None:
    title = "示例美妆 玻尿酸修护精华液30ml 补水保湿 修护屏障 精华正品"
    names = SegmentNames({"A1": title, "A2": "Short"})
    assert names.label("product", "A1") == title[: TITLE_CHARACTERS - 1] + "…"
    assert len(names.label("product", "A1")) == TITLE_CHARACTERS
    assert names.full("product", "A1") == f"{title} (A1)"
    assert names.label("product", "A2") == "Short" and names.full("product", "A2") == "Short (A2)"
    assert names.label("product", "A3") == names.full("product", "A3") == "A3"  # no title known: the ID
    assert names.label("source", "A1") == "A1"  # only products are looked up
