"""Products page through Streamlit's AppTest: the demo store (prices tracked against linked competitors), a
store with an order export only (figures by hand), and an empty store."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.app.conftest import open_page
from tests.support.charts import values
from tests.unit.metrics.test_products import ORDERS

PAGE = "views/products.py"
OCTOBER = {"range": "custom", "from": "2026-10-01", "to": "2026-10-31", "cur": "CNY"}
OWN = "示例美妆旗舰店"


def product_table(at, language: str = "en") -> pd.DataFrame:
    column = {"en": "Matched by", "zh": "匹配方式"}[language]
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError([list(f.value.columns) for f in at.dataframe])


def latest_prices(db: Path, shop: str, products: list[str]) -> list[float]:
    """Each product's lowest price on its latest October day in the shop, by SQL on the raw rows."""
    with duckdb.connect(str(db)) as con:
        found = con.execute(
            """SELECT product_id, min(price) FROM prices p
               WHERE shop = ? AND product_id IN (SELECT unnest(?)) AND date >= DATE '2026-10-01'
                 AND end_date <= DATE '2026-10-31'
                 AND date = (SELECT max(date) FROM prices q WHERE q.shop = p.shop AND q.product_id = p.product_id
                             AND q.date >= DATE '2026-10-01' AND q.end_date <= DATE '2026-10-31')
               GROUP BY product_id""",
            [shop, products],
        ).fetchall()
    return [price for _, price in found]


def test_demo_store_price_index_against_sql(demo_db: Path) -> None:
    at = open_page(PAGE, **OCTOBER)
    assert at.title[0].value == "Products"
    table = product_table(at).set_index("Product")
    with duckdb.connect(str(demo_db)) as con:
        links = con.execute("SELECT value FROM settings WHERE key = 'price_links'").fetchone()[0]

    for product, competitors in json.loads(links).items():
        with duckdb.connect(str(demo_db)) as con:
            shops = con.execute(
                "SELECT DISTINCT shop FROM prices WHERE product_id IN (SELECT unnest(?)) AND shop <> ?",
                [competitors, OWN],
            ).fetchall()
        theirs = [p for (shop,) in shops for p in latest_prices(demo_db, shop, competitors)]
        ours = latest_prices(demo_db, OWN, [product])[0]
        assert table.loc[product, "Price index"] == pytest.approx(ours / statistics.median(theirs))
    rules = " ".join(m.value for m in at.markdown)
    assert "Best-seller" in rules and "top 20%" in rules and "Loss-making after ads" in rules


def test_demo_store_product_detail_draws_its_price_track(demo_db: Path) -> None:
    at = open_page(PAGE, item="A60318842271", **OCTOBER)
    picker = next(s for s in at.selectbox if s.label == "Product")
    assert picker.value == "A60318842271"  # the product from the link
    assert "not one of your shop's tracked products" not in " ".join(i.value for i in at.info)
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("products_price_chart"))
    traces = json.loads(chart.proto.spec)["data"]
    ours = [trace for trace in traces if trace["name"].startswith(f"{OWN} · ")]
    assert len(ours) == 1 and len(traces) > 1  # our track and the competitors' linked to it
    with duckdb.connect(str(demo_db)) as con:
        days = con.execute(
            "SELECT date, min(price) FROM prices WHERE store = 'Demo store' AND shop = ? AND product_id = ? "
            "AND date BETWEEN ? AND ? GROUP BY date ORDER BY date",
            [OWN, "A60318842271", OCTOBER["from"], OCTOBER["to"]],
        ).fetchall()
    assert len(days) == 31
    assert ours[0]["x"] == [day.isoformat() for day, _ in days]
    assert values(ours[0]["y"]) == pytest.approx([price for _, price in days])


def _orders_only(db: Path) -> None:
    from shopdata.store import BatchInfo, open_warehouse
    from tests.unit.metrics.test_query import rows

    warehouse = open_warehouse(str(db))
    try:
        warehouse.load(
            BatchInfo("My shop", "orders.csv", "orders", 1, "myshop", "orders", "orders", {}),
            rows("orders", ORDERS, "orders"),
        )
    finally:
        warehouse.engine.close()


MARCH = {"store": "My shop", "range": "custom", "from": "2024-03-01", "to": "2024-03-31", "cur": "CNY"}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_orders_only_store(empty_db: Path, language: str) -> None:
    _orders_only(empty_db)
    at = open_page(PAGE, lang=language, **MARCH)
    table = product_table(at, language)
    product, revenue, klass = {"en": ("Product", "Revenue", "Class"), "zh": ("商品", "销售额", "分类")}[language]
    found = dict(zip(table[product], table[revenue], strict=True))
    # by hand from the order lines: P1 600 + 300; the title-only line "Serum" 250; P3 200; P5 150; P9 50
    assert found == {"P1": 900, "Serum": 250, "P3": 200, "P5": 150, "P9": 50}
    assert set(table[klass]) == {"—"}  # no traffic and no ads: no rule can judge
    not_judged = table[{"en": "Not judged", "zh": "未判断"}[language]].iloc[0]
    assert {"en": "no product visitors in your exports", "zh": "报表中没有商品访客数"}[language] in not_judged
    assert not at.exception


def test_orders_only_store_detail(empty_db: Path) -> None:
    _orders_only(empty_db)
    at = open_page(PAGE, item="P1", **MARCH)
    info = " ".join(i.value for i in at.info)
    assert "product × source export" in info  # says which export has a product's traffic sources
    assert "No ad row names this product" in info
    assert at.get("plotly_chart")  # its revenue per day


def test_empty_store_names_the_exports(empty_db: Path) -> None:
    at = open_page(PAGE)
    text = " ".join(i.value for i in at.info)
    assert "No product data" in text or "product data" in text
    assert not at.dataframe
