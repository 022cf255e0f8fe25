"""What `python -m shopdata report products` reads of the choices the pages saved — margins, the own shop, price
links — and what a product's row holds (revenue from the traffic report without an order export, buyers, names,
IDs, each export's keys, paid orders, margin, own price, why a rule cannot judge it, a store's cut-offs without
revenue, one product's trend), which no test checked until a mutation run (`make mutation MODULES=products`)
changed them unnoticed. On DuckDB and PostgreSQL."""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd
import pytest

from shopdata import settings
from shopdata.errors import ReportError
from shopdata.metrics import cache, products
from shopdata.metrics.promotion import DEFAULT_MARGIN, Margins
from shopdata.metrics.query import Scope
from shopdata.store import Warehouse
from tests.unit.metrics.test_products import (
    ADS,
    D1,
    D2,
    ORDERS,
    PRICES,
    SCOPE,
    TRAFFIC,
    ad,
    by_id,
    order,
    price,
    traffic,
)
from tests.unit.metrics.test_query import load


def test_the_report_reads_the_choices_saved_for_its_own_store(store: Warehouse) -> None:
    # Store S: our shop 我的店 and a rival 对手店 have price rows; the pages saved a 40 % margin, 25 % for P1, our
    # shop and P1's link to the rival's R9. Store T saved a 10 % margin and 我的店 as its shop (a shop of S's
    # price rows, none of T's); the whole database (no store) 50 %.
    load(store, "prices", [price("我的店", "P1"), price("对手店", "R9")], "prices")
    saved = {
        settings.GROSS_MARGIN: 0.4,
        settings.PRODUCT_MARGINS: {"P1": 0.25},
        settings.OWN_SHOP: "我的店",
        settings.PRICE_LINKS: {"P1": ["R9"]},
    }
    settings.write(store, saved, store="S")
    settings.write(store, {settings.GROSS_MARGIN: 0.1, settings.OWN_SHOP: "我的店"}, store="T")
    settings.write(store, {settings.GROSS_MARGIN: 0.5}, store=None)
    backend = store.engine.ibis()
    assert products.saved_choices(backend, Scope("S")) == (Margins(0.4, {"P1": 0.25}, True), "我的店", {"P1": ["R9"]})
    # T's margin, none of S's choices, and no own shop: 我的店 has no price rows in T.
    assert products.saved_choices(backend, Scope("T")) == (Margins(0.1, {}, True), None, {})
    # A store that saved nothing has the assumed margin, not another store's and not the database's.
    assert products.saved_choices(backend, Scope("U")) == (Margins(DEFAULT_MARGIN, {}, False), None, {})
    # Every store at once reads what was saved for no store in particular.
    assert products.saved_choices(backend, Scope(None))[0] == Margins(0.5, {}, True)


def test_the_report_never_saves_a_choice(store: Warehouse) -> None:
    reader = products._SavedSettings(store.engine.ibis(), Scope("S"))
    with pytest.raises(TypeError, match=r"^a report reads settings; only the pages save them$"):
        settings.write(reader, {settings.GROSS_MARGIN: 0.4}, store="S")


def classes(products_rows: dict[str, tuple[float, float, float]]) -> dict[str, str]:
    """product -> (revenue, conversion rate, visitors), each with a profit of ¥1 (never loss-making)."""
    frame = pd.DataFrame(
        [
            dict(product_id=p, revenue=r, conversion_rate=c, visitors=v, profit=1.0)
            for p, (r, c, v) in products_rows.items()
        ]
    )
    found = products.classify(frame, ("traffic", "orders", "ads"), "orders")
    return dict(zip(found["product_id"], found["class"], strict=True))


def test_each_class_at_its_exact_boundary() -> None:
    # Five products: top 20 % by revenue is 1 product, cut ¥300 (X); conversion median 0.03 (X and W have it);
    # visitors median 80 (Z and V have it).
    assert classes({
        "X": (300.0, 0.03, 100.0),  # at the revenue cut and at the conversion median: a best seller, no driver
        "Y": (200.0, 0.02, 50.0),
        "Z": (100.0, 0.04, 80.0),  # converts above the median but at the visitors median: not "potential"
        "W": (150.0, 0.03, 10.0),  # few visitors but conversion at the median, not above: not "potential"
        "V": (0.0, 0.01, 80.0),  # no sale with visitors: slow; at the visitors median: not a traffic driver
    }) == {"X": "best_seller", "Y": "regular", "Z": "regular", "W": "regular", "V": "slow_mover"}  # fmt: skip
    # A ¥1 product on top is still a best seller (and converts above the median with few visitors).
    assert classes({"P": (1.0, 0.5, 2.0), "Q": (0.0, 0.0, 10.0)}) == {
        "P": "best_seller, potential",
        "Q": "traffic_driver, slow_mover",
    }
    # Nothing sold anywhere: no best seller at a cut of ¥0; a product without visitors is not slow, one with a
    # single visitor is.
    assert classes({"R": (0.0, 0.0, 5.0), "S": (0.0, 0.0, 5.0), "T": (0.0, 0.0, 0.0), "U": (0.0, 0.0, 1.0)}) == {
        "R": "slow_mover", "S": "slow_mover", "T": "regular", "U": "slow_mover",
    }  # fmt: skip
    with pytest.raises(ValueError, match=r"^no rule named 'hero'$"):
        products._matches(
            "hero", {"revenue": 1.0, "conversion_rate": 0.1, "visitors": 1.0}, products.thresholds(pd.DataFrame())
        )


# ---------------------------------------------------------------- each product's row, joined across the exports


@pytest.fixture
def traffic_and_ads(store: Warehouse) -> Warehouse:
    """A store without an order export: test_products' traffic and ads, with P6 (listed, nobody visited), P7 (no
    title in the traffic report) and P8 (advertised only, its report giving spend and no ad revenue)."""
    nobody, untitled = traffic(D1, "P6", "Candle", 0, 0, 0), traffic(D1, "P7", None, 30, 3, 90)
    load(store, "traffic", [*TRAFFIC, nobody, untitled], "sycm-products")
    load(store, "ads", [*ADS, ad(20, None, product_id="P8")], "wxt-products")
    return store


def test_without_an_order_export_revenue_and_buyers_come_from_the_traffic_report(traffic_and_ads: Warehouse) -> None:
    found = products.product_table(traffic_and_ads.engine.ibis(), SCOPE, Margins(0.3), None, {})
    assert found.sources == ("traffic", "ads") and found.revenue_source == "traffic"
    rows = by_id(found)
    p1 = rows["P1"]
    assert p1["revenue"] == 1000 and p1["buyers"] == 10  # traffic rows of both days: 600 + 400; 6 + 4
    assert p1["profit"] == pytest.approx(1000 * 0.3 - 100)  # 200: the traffic revenue less the ¥100 spend
    assert rows["P2"]["revenue"] == 400 and rows["P2"]["buyers"] == 4
    # A traffic report says nothing of refunds, units or orders: empty, not 0 and not a blank text.
    for column in ("refund", "units", "paid_orders", "refund_rate"):
        assert pd.isna(p1[column]), column
    # A product the report lists without a title is still a product, named by its ID.
    assert rows["P7"]["visitors"] == 30 and rows["P7"]["revenue"] == 90 and pd.isna(rows["P7"]["product_name"])
    assert rows["P7"]["ids"] == "P7"  # the traffic report's product column holds IDs


def test_a_product_nobody_visited_has_no_conversion_rate(traffic_and_ads: Warehouse) -> None:
    p6 = by_id(products.product_table(traffic_and_ads.engine.ibis(), SCOPE, Margins(0.3), None, {}))["P6"]
    assert p6["visitors"] == 0 and p6["buyers"] == 0
    assert pd.isna(p6["conversion_rate"])  # 0 buyers of 0 visitors is no rate at all, not 0 %


def test_a_product_only_the_ad_report_lists_is_judged_by_no_rule_for_want_of_traffic(
    traffic_and_ads: Warehouse,
) -> None:
    p8 = by_id(products.product_table(traffic_and_ads.engine.ibis(), SCOPE, Margins(0.3), None, {}))["P8"]
    assert pd.isna(p8["product_name"])  # no export names it
    assert p8["spend"] == 20 and pd.isna(p8["roas"])  # spend without ad revenue: no return to state
    # Revenue comes from the traffic report, which does not list P8: every figure a rule needs is "not listed".
    assert pd.isna(p8["revenue"]) and pd.isna(p8["profit"]) and pd.isna(p8["buyers"])
    assert p8["class"] is None
    assert p8["not_judged"] == {
        "best_seller": "revenue:not_listed",
        "potential": "conversion_rate:not_listed",
        "traffic_driver": "visitors:not_listed",
        "slow_mover": "visitors:not_listed",
        "loss_making": "profit:not_listed",
    }


def test_a_store_with_only_an_ad_report_has_no_revenue_to_judge_or_rank_by(store: Warehouse) -> None:
    load(store, "ads", ADS, "wxt-products")
    found = products.product_table(store.engine.ibis(), SCOPE, Margins(0.3), None, {})
    assert found.sources == ("ads",) and found.revenue_source is None
    # No product has revenue, conversion or visitors: no cut-off to show, not a ¥0 or NaN one.
    assert found.thresholds == products.Thresholds(0, 0, None, None, None)
    rows = by_id(found)
    assert rows["P1"]["spend"] == 100 and rows["P1"]["roas"] == pytest.approx(5.0)  # 500 / 100
    for row in rows.values():
        assert row["class"] is None
        assert row["not_judged"]["best_seller"] == "revenue:no_export"
        assert row["not_judged"]["loss_making"] == "profit:no_export"  # ads alone: no revenue to take spend from


@pytest.fixture
def every_export(store: Warehouse) -> Warehouse:
    """test_products' store, with more:
    - our shop S lists L7 "Serum" (so traffic's P2, the title-only order line and L7 are one product) and P3 at
      ¥90 on D1, then ¥110 on D2;
    - P8 is advertised (¥20 spend, no ad revenue) and neither visited nor sold;
    - O8 names its product by SKU K7 only, as does an ad row of it;
    - O9 names its product by SKU "A-100" and O10 by a title reading "A-100" (one product for the order export)."""
    extra_orders = [
        order("O8", 30, "G", sku="K7", product_name="Candle"),
        order("O9", 40, "H", sku="A-100"),
        order("O10", 60, "I", product_name="A-100"),
    ]
    load(store, "traffic", TRAFFIC, "sycm-products")
    load(store, "orders", [*ORDERS, *extra_orders], "orders")
    load(store, "ads", [*ADS, ad(20, None, product_id="P8"), ad(5, 15, sku="K7")], "wxt-products")
    own = [price("S", "L7", name="Serum"), price("S", "P3", 90.0, D1, "Mask"), price("S", "P3", 110.0, D2, "Mask")]
    load(store, "prices", [*PRICES, *own], "prices")
    return store


def every_export_table(store: Warehouse) -> products.ProductTable:
    return products.product_table(store.engine.ibis(), SCOPE, Margins(0.3, {"P3": 0.5}), "S", {})


def test_each_product_names_its_title_ids_and_rows_in_every_export(every_export: Warehouse) -> None:
    found = every_export_table(every_export)
    rows = by_id(found)
    p1 = rows["P1"]
    assert p1["product_name"] == "Cream" and p1["ids"] == "P1"  # one ID, however many exports carry it
    assert (p1["traffic_keys"], p1["order_keys"], p1["ad_keys"], p1["price_keys"]) == (("P1",),) * 4
    # P2: traffic's ID first, then our listing's; the order line (title only) and the listing joined by title.
    p2 = rows["P2"]
    assert p2["product_name"] == "Serum" and p2["ids"] == "P2, L7"
    assert p2["matched_by"] == products.TITLE and p2["title_matched"] == "orders, prices"
    assert (p2["traffic_keys"], p2["order_keys"], p2["ad_keys"], p2["price_keys"]) == (("P2",), ("Serum",), (), ("L7",))
    assert rows["P5"]["ad_keys"] == ("P5",)  # the ad row names only the SKU
    assert rows["P9"]["ids"] == "P9" and rows["P9"]["exports"] == "orders"  # an order line's product ID is an ID
    # The order line and the ad row naming only SKU K7 are one product, with both figures.
    k7 = found.frame.query("product_id == 'K7'")
    assert len(k7) == 1 and k7["revenue"].item() == 30 and k7["spend"].item() == 5
    # O9's SKU and O10's title read "A-100": one product of the order export, its two orders counted once.
    a100 = found.frame.query("product_id == 'A-100'")
    assert len(a100) == 1 and a100["revenue"].item() == 100  # 40 + 60


def test_paid_orders_margin_and_latest_own_price_per_product(every_export: Warehouse) -> None:
    rows = by_id(every_export_table(every_export))
    assert rows["P1"]["paid_orders"] == 2  # O1 and O2
    assert rows["P1"]["margin"] == 0.3 and rows["P3"]["margin"] == 0.5  # the store's margin; P3's own
    assert rows["P3"]["profit"] == pytest.approx(200 * 0.5 - 300)  # −200 at P3's own margin
    assert rows["P1"]["price"] == 100  # our shop's ¥100, not rival X's ¥80
    assert rows["P3"]["price"] == 110 and rows["P3"]["price_keys"] == ("P3",)  # the latest day's, not the lowest


def test_a_product_advertised_but_never_sold_had_no_buyers(every_export: Warehouse) -> None:
    rows = by_id(every_export_table(every_export))
    p8 = rows["P8"]
    # The order export lists every sale: P8, in no order and no traffic report, sold nothing to nobody.
    assert p8["revenue"] == 0 and p8["units"] == 0 and p8["buyers"] == 0
    assert p8["spend"] == 20 and pd.isna(p8["roas"])  # spend without ad revenue: no return to state
    assert p8["profit"] == pytest.approx(0 * 0.3 - 20)
    assert pd.isna(p8["product_name"]) and p8["ids"] == "P8"  # the ad report's product column holds IDs
    # P9 sold (¥50) but no traffic report lists it: the best-seller rule lacks its conversion rate.
    assert rows["P9"]["not_judged"]["best_seller"] == "conversion_rate:not_listed"


def test_a_product_is_named_by_its_id_even_when_its_first_export_gives_only_the_title(store: Warehouse) -> None:
    # Orders come before prices; the order line of Serum has only the title, our listing L7 has an ID.
    load(store, "orders", ORDERS, "orders")
    load(store, "prices", [price("S", "L7", name="Serum")], "prices")
    rows = by_id(products.product_table(store.engine.ibis(), SCOPE, Margins(0.3), "S", {}))
    assert rows["L7"]["product_name"] == "Serum" and rows["L7"]["revenue"] == 250
    assert rows["L7"]["matched_by"] == products.TITLE and "Serum" not in rows


def test_the_report_gives_names_as_text_and_empty_figures_as_null(every_export: Warehouse) -> None:
    records = {r["product_id"]: r for r in products.report_records(every_export.engine.ibis(), SCOPE, None)}
    assert records["P1"]["product_name"] == "Cream"
    assert records["P9"]["product_name"] == "Lonely"
    assert records["P9"]["visitors"] is None and records["P9"]["price_index"] is None  # no traffic, no own price


def test_the_products_report_has_no_breakdown() -> None:
    with pytest.raises(
        ReportError, match=r"the products report has one record per product and no breakdown, not 'day'$"
    ):
        products.report_records(None, SCOPE, None, by="day")


def test_a_products_trend_reads_revenue_from_its_rows_in_the_revenue_export() -> None:
    # Serum: ID P2 in the traffic report, only its title in the order export.
    daily = pd.DataFrame(
        [
            (pd.Timestamp(D1), "Serum", "orders", 250.0, math.nan),
            (pd.Timestamp(D1), "P2", "traffic", 400.0, 200.0),
            (pd.Timestamp(D2), "P2", "traffic", 100.0, 50.0),
        ],
        columns=["date", "key", "source", "revenue", "visitors"],
    )
    row = {"order_keys": ("Serum",), "traffic_keys": ("P2",)}

    def trend(revenue_source: str) -> list[tuple]:
        found = products.product_trend(daily, row, revenue_source)
        return [(d.date(), None if pd.isna(r) else r, v) for d, r, v in found.itertuples(index=False)]

    # By the orders: D1's ¥250 order of "Serum", nothing sold on D2; visitors always from the traffic report.
    assert trend("orders") == [(D1, 250.0, 200.0), (D2, None, 50.0)]
    # Without an order export: the traffic report's revenue of P2.
    assert trend("traffic") == [(D1, 400.0, 200.0), (D2, 100.0, 50.0)]


def test_an_order_line_dated_after_the_period_keeps_its_product_one_row(store: Warehouse) -> None:
    # O12 is placed on 1 March (P1 ¥30); its second line, Z1 ¥70, is dated 3 March, after the period. The order
    # export counts the order in the period by its first line, so Z1's ¥70 is the period's; the traffic report
    # lists Z1 "Vase" with 10 visitors on 1 March. One Z1 row with both, not an ID-less ¥70 row beside a ¥0 one.
    later = datetime(2024, 3, 3, 9)
    lines = [
        order("O12", 30, "J", product_id="P1", product_name="Cream"),
        order("O12", 70, "J", product_id="Z1") | {"line_no": "2", "order_date": later.date(), "order_time": later},
    ]
    load(store, "orders", lines, "orders")
    load(store, "traffic", [traffic(D1, "Z1", "Vase", 10, 1, 70)], "sycm-products")
    found = products.product_table(store.engine.ibis(), SCOPE, Margins(0.3), None, {})
    z1 = found.frame[found.frame["product_id"] == "Z1"]
    assert len(z1) == 1
    assert z1["revenue"].item() == 70 and z1["visitors"].item() == 10 and z1["ids"].item() == "Z1"


@pytest.mark.parametrize("reverse", [False, True])
def test_a_key_that_is_a_sku_on_one_order_line_and_a_title_on_another_is_an_id(store: Warehouse, reverse) -> None:
    # O9 names SKU "A-100", O10 only a title reading "A-100", and an ad row names SKU "A-100": in whichever order
    # the lines come, the order export's "A-100" is an ID, so the ad row's product is the same one (not a second
    # "A-100" beside it).
    lines = [order("O9", 40, "H", sku="A-100", product_name="Vase"), order("O10", 60, "I", product_name="A-100")]
    load(store, "orders", lines[::-1] if reverse else lines, "orders")
    load(store, "ads", [ad(5, 0, sku="A-100")], "wxt-products")
    found = products.product_table(store.engine.ibis(), SCOPE, Margins(0.3), None, {})
    a100 = found.frame.query("product_id == 'A-100'")
    assert len(a100) == 1, found.frame[["product_id", "product_name", "revenue", "spend"]]
    assert a100["revenue"].item() == 100 and a100["spend"].item() == 5  # 40 + 60; the ad's ¥5
    assert a100["product_name"].item() == "Vase"  # the SKU line's title, not the SKU read as one


# ---------------------------------------------------------------- third part: the mutants the first run never reached
# (issue 16: the last 169 in mutmut's order, the functions the most tests call — classify's mutants 26–65,
# _clean_text, match_products and _AdsByProduct — run on their own; the survivors' tests below)


def test_classify_keeps_each_products_class_on_its_own_row_whatever_the_frames_index() -> None:
    # The rows left of a filtered and sorted table: index 7, 3, 5, none of them a position.
    frame = pd.DataFrame(
        {
            "product_id": ["X", "Y", "Z"],
            "revenue": [300.0, 0.0, 100.0],
            "conversion_rate": [0.05, 0.0, None],
            "visitors": [10.0, 50.0, None],
            "profit": [1.0, 1.0, -5.0],
        },
        index=[7, 3, 5],
    )
    found = products.classify(frame, ("traffic", "orders", "ads"), "orders")
    # Revenue known for 3 products: top ceil(0.2 × 3) = 1, cut ¥300 (X); conversions 0.05 and 0 -> median 0.025;
    # visitors 10 and 50 -> median 30.
    assert found.index.tolist() == [7, 3, 5]
    assert found["class"].to_dict() == {
        7: "best_seller, potential",  # X: 300 ≥ 300 and 0.05 ≥ 0.025; 0.05 > 0.025 with 10 < 30 visitors
        3: "traffic_driver, slow_mover",  # Y: 50 > 30 visitors at 0 < 0.025; 50 visitors, no sale
        5: "loss_making",  # Z: no traffic figures, profit −5 < 0
    }
    # Z lacks conversion and visitors, which the traffic report (the store has one) does not list.
    assert found["not_judged"].to_dict() == {
        7: {},
        3: {},
        5: {
            "best_seller": "conversion_rate:not_listed",
            "potential": "conversion_rate:not_listed",
            "traffic_driver": "visitors:not_listed",
            "slow_mover": "visitors:not_listed",
        },
    }


def test_match_products_returns_the_entries_numbered_by_position_with_their_product_and_how_it_joined() -> None:
    # Entries left of a larger list (index 10, 11, 12): the traffic report's P1 "Cream", an order line titled
    # "Cream" only, and the ad report's P1 without a title.
    entries = pd.DataFrame(
        [("traffic", "P1", True, "Cream"), ("orders", "Cream", False, "Cream"), ("ads", "P1", True, None)],
        columns=["source", "key", "has_id", "name"],
        index=[10, 11, 12],
    )
    matched = products.match_products(entries)
    # The entries as given, renumbered 0, 1, 2, with two columns more and no other (not the old index).
    assert list(matched.columns) == ["source", "key", "has_id", "name", "product", "matched_by"]
    assert matched.index.tolist() == [0, 1, 2]
    # Entry 2 has entry 0's ID P1: one group, numbered 0 (its first entry). "Cream" is carried by that group and
    # by entry 1, one entry of each export: entry 1 joins group 0 by the title.
    assert matched["product"].tolist() == [0, 0, 0]
    assert matched["matched_by"].tolist() == [products.ID, products.TITLE, products.ID]


def test_an_ad_row_with_a_blank_product_id_is_its_skus_and_one_with_neither_is_no_product(store: Warehouse) -> None:
    # The ad report's rows: an ID cell of one space with SKU K7 (¥5 spend, ¥15 ad revenue) is K7's; P1 with a
    # blank SKU (¥7, ¥21) is P1's; a row with both cells blank ("" and " ", ¥3) names no product at all.
    rows = [ad(5, 15, product_id=" ", sku="K7"), ad(7, 21, product_id="P1", sku=" "), ad(3, 0, product_id="", sku=" ")]
    load(store, "ads", rows, "wxt-products")
    backend = store.engine.ibis()
    found = products.product_table(backend, SCOPE, Margins(0.3), None, {})
    # Two products, not a third named "" with the blank rows' ¥5 + ¥3 or ¥3.
    assert {r["product_id"]: (r["spend"], r["ad_revenue"]) for r in found.frame.to_dict("records")} == {
        "K7": (5.0, 15.0),
        "P1": (7.0, 21.0),
    }
    # The product's ads by campaign read them alike: K7 and P1 in campaign C1, ROAS 15 / 5 = 3 and 21 / 7 = 3.
    ads = products.product_ads(backend, SCOPE, "campaign")
    assert [
        tuple(r) for r in ads[["product_id", "campaign", "spend", "ad_revenue", "roas"]].itertuples(index=False)
    ] == [
        ("K7", "C1", 5.0, 15.0, 3.0),
        ("P1", "C1", 7.0, 21.0, 3.0),
    ]


def test_a_products_ads_on_a_page_run_through_the_pages_own_runner(store: Warehouse, monkeypatch) -> None:
    # On a page the queries run through the Source (each expression's SQL compiled once per process), which the
    # ads wrapper hands on (query.run looks for the backend's run_compiled), not through Ibis's own execution.
    load(store, "ads", [ad(5, 15, sku="K7")], "wxt-products")
    ran: list = []
    original = cache.Source.run_compiled

    def counted(self, expr, values):
        ran.append(expr)
        return original(self, expr, values)

    monkeypatch.setattr(cache.Source, "run_compiled", counted)
    cache.RESULTS.clear()
    try:
        found = products.product_ads(cache.source(store), SCOPE, "campaign")
    finally:
        cache.RESULTS.clear()
    # The SKU-only row is K7's: ¥5 spend, ¥15 ad revenue, ROAS 15 / 5 = 3.
    assert [tuple(r) for r in found[["product_id", "spend", "ad_revenue", "roas"]].itertuples(index=False)] == [
        ("K7", 5.0, 15.0, 3.0)
    ]
    assert ran  # the product's ads were read by the Source's runner
