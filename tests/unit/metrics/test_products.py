"""The product table on hand-made exports, on DuckDB and PostgreSQL: products joined by ID across traffic,
orders, ads (by product ID and by SKU) and prices, an order line with only a title joined by exact title (and
shown), every class rule, loss after ads, and empty figures where the store has no such data.

Every expected value is worked out by hand in the comment beside it."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from shopdata.metrics import products
from shopdata.metrics.promotion import Margins
from shopdata.metrics.query import Scope
from shopdata.store import Warehouse
from tests.unit.metrics.test_query import load

D1, D2 = date(2024, 3, 1), date(2024, 3, 2)
SCOPE = Scope("S", D1, D2, "CNY")


def traffic(day: date, pid: str, name: str, visitors: float, buyers: float, revenue: float) -> dict:
    return dict(
        platform="tmall",
        grain="product",
        date=day,
        end_date=day,
        product_id=pid,
        product_name=name,
        visitors=visitors,
        buyers=buyers,
        revenue=revenue,
        currency="CNY",
    )


TRAFFIC = [
    traffic(D1, "P1", "Cream", 60, 6, 600),
    traffic(D2, "P1", "Cream", 40, 4, 400),  # P1: 100 visitors, 10 buyers
    traffic(D1, "P2", "Serum", 200, 4, 400),
    traffic(D1, "P3", "Mask", 20, 4, 200),
    traffic(D1, "P4", "Toner", 50, 0, 0),
    traffic(D1, "P5", "Lotion", 80, 2, 150),
]


def order(oid: str, paid: float, buyer: str, qty: float = 1.0, refund: float = 0.0, **product) -> dict:
    return dict(
        platform="myshop",  # no platform rules: paid by its payment time, money as written
        grain="line",
        order_id=oid,
        line_no="1",
        order_time=datetime(2024, 3, 1, 10),
        order_date=D1,
        paid_time=datetime(2024, 3, 1, 10),
        buyer_id=buyer,
        quantity=qty,
        paid_amount=paid,
        refund_amount=refund,
        currency="CNY",
        **product,
    )


ORDERS = [
    order("O1", 600, "A", qty=2, product_id="P1", product_name="Cream"),
    order("O2", 300, "B", refund=100, product_id="P1", product_name="Cream"),
    order("O3", 250, "C", product_name="Serum"),  # no ID: joined with traffic's P2 by its exact title
    order("O5", 200, "D", product_id="P3", product_name="Mask"),
    order("O6", 150, "E", product_id="P5", product_name="Lotion"),
    order("O7", 50, "F", product_id="P9", product_name="Lonely"),  # in no traffic report
]


def ad(spend: float, revenue: float, **product) -> dict:
    return dict(
        platform="tmall",
        grain="product",
        date=D1,
        end_date=D1,
        campaign="C1",
        spend=spend,
        revenue=revenue,
        currency="CNY",
        **product,
    )


ADS = [ad(100, 500, product_id="P1"), ad(300, 100, product_id="P3"), ad(10, 40, sku="P5")]


def price(
    shop: str, product_id: str, amount: float = 99.0, day: date = D1, name: str | None = None, platform: str = "taobao"
) -> dict:
    """A price export's row: `shop`'s `product_id` at `amount` CNY on `day`."""
    return dict(
        platform=platform,
        date=day,
        end_date=day,
        shop=shop,
        product_id=product_id,
        product_name=name,
        price=amount,
        currency="CNY",
    )


PRICES = [
    price("S", "P1", 100.0, D1, "Cream", platform="scrape"),
    price("X", "P1", 80.0, D1, "Cream", platform="scrape"),
]


@pytest.fixture
def loaded(store: Warehouse) -> Warehouse:
    load(store, "traffic", TRAFFIC, "sycm-products")
    load(store, "orders", ORDERS, "orders")
    load(store, "ads", ADS, "wxt-products")
    load(store, "prices", PRICES, "prices")
    return store


def table(store: Warehouse, **kwargs) -> products.ProductTable:
    return products.product_table(store.engine.ibis(), SCOPE, Margins(0.3), "S", {}, **kwargs)


def by_id(found: products.ProductTable) -> dict[str, dict]:
    return {row["product_id"]: row for row in found.frame.to_dict("records")}


def test_products_joined_by_id_and_by_title(loaded: Warehouse) -> None:
    rows = by_id(table(loaded))
    assert sorted(rows) == ["P1", "P2", "P3", "P4", "P5", "P9"]  # the title-only order line is P2, not a 7th
    p1 = rows["P1"]
    assert p1["exports"] == "traffic, orders, ads, prices"
    assert p1["matched_by"] == products.ID
    assert p1["visitors"] == 100 and p1["buyers"] == 10 and p1["conversion_rate"] == pytest.approx(0.1)
    assert p1["revenue"] == 900 and p1["refund"] == 100 and p1["units"] == 3  # 600 + 300; 2 + 1
    assert p1["refund_rate"] == pytest.approx(100 / 900)
    assert p1["spend"] == 100 and p1["roas"] == pytest.approx(5.0)
    assert p1["profit"] == pytest.approx(900 * 0.3 - 100)
    assert p1["price_index"] == pytest.approx(100 / 80)  # the same ID in shop X is a competitor
    p2 = rows["P2"]
    assert p2["matched_by"] == products.TITLE and p2["title_matched"] == "orders"
    assert p2["revenue"] == 250 and p2["visitors"] == 200
    assert rows["P5"]["spend"] == 10 and rows["P5"]["roas"] == pytest.approx(4.0)  # the ad row names only its SKU


def test_missing_data_is_empty_not_zero(loaded: Warehouse) -> None:
    rows = by_id(table(loaded))
    assert rows["P4"]["revenue"] == 0 and rows["P4"]["units"] == 0  # the order export lists no sale of it
    assert rows["P2"]["spend"] == 0  # the product ad report does not list it: no spend
    assert pd.isna(rows["P9"]["visitors"]) and pd.isna(rows["P9"]["conversion_rate"])  # no traffic row
    assert rows["P9"]["buyers"] == 1  # from the orders, as no traffic report has it
    assert pd.isna(rows["P2"]["price_index"])  # no own price of it


def test_each_class_rule(loaded: Warehouse) -> None:
    found = table(loaded)
    # revenue of the 6 products: 900, 250, 200, 150, 50, 0 -> top ceil(0.2 × 6) = 2: cut 250;
    # conversions 0.1, 0.02, 0.2, 0, 0.025 -> median 0.025; visitors 100, 200, 20, 50, 80 -> median 80
    assert found.thresholds == products.Thresholds(6, 2, 250.0, pytest.approx(0.025), 80.0)
    classes = {pid: row["class"] for pid, row in by_id(found).items()}
    assert classes == {
        "P1": "best_seller",  # 900 ≥ 250 and 0.1 ≥ 0.025
        "P2": "traffic_driver",  # 250 ≥ 250 but 0.02 < 0.025; 200 visitors > 80
        "P3": "potential, loss_making",  # 0.2 > 0.025 with 20 < 80 visitors; 200 × 0.3 − 300 = −240
        "P4": "slow_mover",  # 50 visitors, no sale
        "P5": products.REGULAR,  # at the medians exactly; 150 × 0.3 − 10 = 35
        "P9": products.REGULAR,  # only the profit rule could judge it: 50 × 0.3 − 0 = 15
    }
    lacking = by_id(found)["P9"]["not_judged"]
    assert set(lacking) == {"best_seller", "potential", "traffic_driver", "slow_mover"}
    assert lacking["slow_mover"] == "visitors:not_listed"


def test_a_store_without_ads_or_traffic_leaves_those_columns_empty(store: Warehouse) -> None:
    load(store, "orders", ORDERS, "orders")
    found = products.product_table(store.engine.ibis(), SCOPE, Margins(0.3), None, {})
    assert found.sources == ("orders",) and found.revenue_source == "orders"
    rows = by_id(found)
    assert sorted(rows) == ["P1", "P3", "P5", "P9", "Serum"]  # without traffic, the title-only line stays apart
    for row in rows.values():
        assert pd.isna(row["visitors"]) and pd.isna(row["spend"]) and pd.isna(row["profit"])
        assert row["class"] is None  # no rule has its data
        assert row["not_judged"]["loss_making"] == "profit:no_export"
        assert row["not_judged"]["best_seller"] == "conversion_rate:no_export"
    assert rows["Serum"]["revenue"] == 250 and rows["Serum"]["matched_by"] == products.ID


def test_a_title_two_products_share_joins_nothing() -> None:
    entries = pd.DataFrame(
        [
            ("traffic", "T1", True, "Gift box"),
            ("traffic", "T2", True, "Gift box"),
            ("orders", "Gift box", False, "Gift box"),
            ("orders", "Q1", True, " Mug "),
            ("ads", "A7", True, "Mug"),
        ],
        columns=["source", "key", "has_id", "name"],
    )
    matched = products.match_products(entries)
    product = dict(zip(matched["key"], matched["product"], strict=True))
    assert len({product["T1"], product["T2"], product["Gift box"]}) == 3  # which Gift box? none is guessed
    assert product["Q1"] == product["A7"]  # one Mug in each export: joined by the title, spaces ignored
    assert matched.loc[matched["key"] == "A7", "matched_by"].item() == products.TITLE


def test_report_records(loaded: Warehouse) -> None:
    records = products.report_records(loaded.engine.ibis(), SCOPE, None)
    assert [r["product_id"] for r in records][:2] == ["P1", "P2"]  # revenue first
    assert tuple(records[0]) == products.REPORT_FIELDS
    p1 = records[0]
    # the default 30 % margin; the own shop is the shop named like the store
    assert p1["profit"] == pytest.approx(900 * 0.3 - 100) and p1["price_index"] == pytest.approx(1.25)
    assert p1["class"] == "best_seller"


def test_equal_revenues_rank_the_same_whatever_the_last_bits_of_their_sums(store: Warehouse) -> None:
    # Two products of equal revenue in cents: "Balm" sold 0.1 + 0.2 (summed in floating point: 0.30000000000000004),
    # "Apron" 0.3 in one line. Equal revenue ranks by name, so Apron comes first; unrounded, Balm's larger last
    # bits put it first, and which of two such sums is larger changes with the engine's order of addition.
    load(
        store,
        "orders",
        [
            order("B1", 0.1, "X", product_id="PB", product_name="Balm"),
            order("B2", 0.2, "Y", product_id="PB", product_name="Balm"),
            order("A1", 0.3, "Z", product_id="PA", product_name="Apron"),
        ],
        "orders",
    )
    found = products.product_table(store.engine.ibis(), SCOPE, Margins(0.3), None, {})
    assert found.frame["product_id"].tolist() == ["PA", "PB"]
    assert found.frame["revenue"].tolist() == [0.3, 0.3]
