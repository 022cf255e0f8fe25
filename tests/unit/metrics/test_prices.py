"""Competitor prices on hand-made price rows, on DuckDB and PostgreSQL.

The shops and prices (latest day D4; "Mine" is ours):

    track                     D1     D2     D3     D4     notes
    Mine / M1 My serum        200    200    200    200    sales 1000 → 1010 → 1030 → 1060
    Mine / M2 My cream        100     .      .     100    linked to X9, which has no rows
    Mine / M3 My toner         .      .      .      50    no link, no competitor
    RivalA / A1               210    189    189    190    retitled on D2 and D4; D4 scraped twice (190, 195)
    RivalB / B1               200    150    200    189
    RivalC / "C serum"        250     .      .     250    no product ID (one row "", one null)
    RivalD / M1                .      .      .     180    the same ID as ours: a competitor without a link

Links: M1 → A1, B1, "C serum"; M2 → X9.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pyarrow as pa
import pytest

from shopdata.errors import ReportError
from shopdata.metrics import prices
from shopdata.metrics.query import Scope
from shopdata.store import TABLES, BatchInfo, Warehouse

D1, D2, D3, D4 = (date(2024, 11, d) for d in (1, 2, 3, 4))
SCOPE = Scope("S", D1, D4, "CNY")
LINKS = {"M1": ["A1", "B1", "C serum"], "M2": ["X9"]}

ARROW = {
    "text": pa.string(),
    "double": pa.float64(),
    "bigint": pa.int64(),
    "integer": pa.int32(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "boolean": pa.bool_(),
}


def price(day, shop, product_id, name, value, sales=None, currency="CNY", **extra) -> dict:
    return dict(
        date=day,
        end_date=day,
        shop=shop,
        product_id=product_id,
        product_name=name,
        price=value,
        sales=sales,
        currency=currency,
        **extra,
    )


ROWS = [
    price(D1, "Mine", "M1", "My serum", 200.0, 1000.0),
    price(D2, "Mine", "M1", "My serum", 200.0, 1010.0),
    price(D3, "Mine", "M1", "My serum", 200.0, 1030.0),
    price(D4, "Mine", "M1", "My serum", 200.0, 1060.0),
    price(D1, "Mine", "M2", "My cream", 100.0),
    price(D4, "Mine", "M2", "My cream", 100.0),
    price(D4, "Mine", "M3", "My toner", 50.0),
    price(D1, "RivalA", "A1", "A serum", 210.0, 500.0),
    price(D2, "RivalA", "A1", "【预售】A serum", 189.0, 520.0),
    price(D3, "RivalA", "A1", "【预售】A serum", 189.0),
    price(D4, "RivalA", "A1", "A serum 2.0", 190.0, 560.0),
    price(D4, "RivalA", "A1", "A serum 2.0", 195.0, 560.0),
    price(D1, "RivalB", "B1", "B serum", 200.0),
    price(D2, "RivalB", "B1", "B serum", 150.0),
    price(D3, "RivalB", "B1", "B serum", 200.0),
    price(D4, "RivalB", "B1", "B serum", 189.0),
    price(D1, "RivalC", "", "C serum", 250.0),
    price(D4, "RivalC", None, "C serum", 250.0),
    price(D4, "RivalD", "M1", "Serum (sold by D)", 180.0),
]


def load(store: Warehouse, records: list[dict], name: str = "prices", store_name: str = "S") -> None:
    columns = sorted({c.name for c in TABLES["prices"].columns} - {"store", "batch_id"})
    schema = pa.schema([(c, ARROW[TABLES["prices"].column(c).type]) for c in columns])
    table = pa.Table.from_pylist(
        [{c: r.get(c) for c in columns} | {"platform": "taobao", "nk": f"{name}-{n}"} for n, r in enumerate(records)],
        schema=schema,
    )
    store.load(BatchInfo(store_name, name, name, 1, "taobao", "prices", "generic_prices", {}), table)


@pytest.fixture
def backend(store: Warehouse):
    load(store, ROWS)
    return store.engine.ibis()


def test_renamed_listing_is_one_track_with_its_latest_title(backend) -> None:
    obs = prices.observations(backend, SCOPE)
    a1 = obs[obs["product"] == "A1"]
    assert list(a1["date"]) == [D1, D2, D3, D4]
    assert set(a1["product_name"]) == {"A serum 2.0"}
    # Two rows of A1 on D4 are one observation at the lower price.
    assert list(a1["price"]) == [210.0, 189.0, 189.0, 190.0]
    # Rows without an ID ("" or null) are tracked by their title.
    c = obs[obs["shop"] == "RivalC"]
    assert list(c["product"]) == ["C serum", "C serum"] and c["product_id"].isna().all()
    # The same ID in two shops is two tracks, each with its own title.
    m1 = obs[(obs["product"] == "M1") & (obs["date"] == D4)]
    assert dict(zip(m1["shop"], m1["product_name"], strict=False)) == {
        "Mine": "My serum",
        "RivalD": "Serum (sold by D)",
    }
    assert len(obs) == 18


def test_a_page_titles_each_period_s_tracks_with_the_period_s_latest_title(store: Warehouse, queries) -> None:
    # A page reads the store's every day once and takes each period's days from them: A1 is "A serum" on D1,
    # "【预售】A serum" on D2–D3 and "A serum 2.0" on D4, so each period names it by its own last day.
    from shopdata.metrics import cache

    load(store, ROWS)
    cache.RESULTS.clear()
    source = cache.source(store)

    def a1(start: date, end: date, backend=source) -> list[tuple]:
        obs = prices.observations(backend, replace(SCOPE, start=start, end=end), "CNY")
        return [(d, n, p) for d, n, p in obs.loc[obs["product"] == "A1", ["date", "product_name", "price"]].to_numpy()]

    assert a1(D1, D1) == [(D1, "A serum", 210.0)]
    asked = len(queries)
    assert a1(D2, D3) == [(D2, "【预售】A serum", 189.0), (D3, "【预售】A serum", 189.0)]
    assert a1(D1, D3) == [
        (D1, "【预售】A serum", 210.0),
        (D2, "【预售】A serum", 189.0),
        (D3, "【预售】A serum", 189.0),
    ]
    assert [n for _, n, _ in a1(D3, D4)] == ["A serum 2.0", "A serum 2.0"]
    assert len(queries) == asked  # the later periods cost no query
    # A track without a title on its period's days is named by the product (its ID), as a period's own query does.
    load(store, [price(D3, "RivalE", "E1", None, 99.0), price(D4, "RivalE", "E1", "E lotion", 98.0)], "later")
    cache.RESULTS.clear()
    source = cache.source(store)
    for backend in (source, store.engine.ibis()):
        obs = prices.observations(backend, replace(SCOPE, start=D3, end=D3), "CNY")
        assert obs.loc[obs["shop"] == "RivalE", "product_name"].tolist() == ["E1"]
        obs = prices.observations(backend, SCOPE, "CNY")
        assert obs.loc[obs["shop"] == "RivalE", "product_name"].tolist() == ["E lotion", "E lotion"]
    # A row over D2–D4 (a weekly price list) is in a period only when the period holds all its days.
    load(store, [{**price(D2, "RivalF", "F1", "F mask", 60.0), "end_date": D4}], "weekly")
    cache.RESULTS.clear()
    source = cache.source(store)
    for backend in (source, store.engine.ibis()):
        for start, end, expected in ((D1, D3, []), (D2, D4, [(D2, 60.0)]), (D1, D4, [(D2, 60.0)])):
            obs = prices.observations(backend, replace(SCOPE, start=start, end=end), "CNY")
            assert [(d, p) for d, p in obs.loc[obs["shop"] == "RivalF", ["date", "price"]].to_numpy()] == expected
    cache.RESULTS.clear()


def test_a_page_counts_a_period_s_price_currencies_from_the_store_s_every_day(store: Warehouse, queries) -> None:
    # D1: 2 rows in USD, 1 in CNY; D2: 2 in CNY; D3: 1 without a currency; D2–D4: 3 rows in EUR (a weekly list,
    # in a period only when the period holds all of D2–D4).
    from shopdata.metrics import cache

    rows = [
        price(D1, "A", "a1", None, 1.0, currency="USD"),
        price(D1, "A", "a2", None, 1.0, currency="USD"),
        price(D1, "B", "b1", None, 1.0, currency="CNY"),
        price(D2, "B", "b1", None, 1.0, currency="CNY"),
        price(D2, "B", "b2", None, 1.0, currency="CNY"),
        price(D3, "C", "c1", None, 1.0, currency=None),
        *({**price(D2, "E", f"e{n}", None, 1.0, currency="EUR"), "end_date": D4} for n in range(3)),
    ]
    load(store, rows)
    cache.RESULTS.clear()
    source = cache.source(store)
    expected = {
        (D1, D1): ["USD", "CNY"],
        (D1, D2): ["CNY", "USD"],  # 3 CNY against 2 USD
        (D2, D3): ["CNY", None],
        (D1, D4): ["CNY", "EUR", "USD", None],  # 3 CNY and 3 EUR: a tie goes by name
        (D4, D4): [],
    }
    for (start, end), currencies in expected.items():
        assert prices.price_currencies(source, Scope("S", start, end)) == currencies, (start, end)
        assert queries == [1]  # one count of the store's every day, for every period
    for (start, end), currencies in expected.items():
        assert prices.price_currencies(store.engine.ibis(), Scope("S", start, end)) == currencies
    cache.RESULTS.clear()


def test_report_records_one_per_observation_in_order(backend) -> None:
    records = prices.report_records(backend, SCOPE, None)
    assert len(records) == 18
    assert set(records[0]) == {"date", "shop", "product", "product_name", "price"}
    keys = [(r["date"], r["shop"], r["product"]) for r in records]
    assert keys == sorted(keys)
    assert records[0] == {
        "date": "2024-11-01",
        "shop": "Mine",
        "product": "M1",
        "product_name": "My serum",
        "price": 200.0,
    }
    assert {r["product_name"] for r in records if r["product"] == "A1"} == {"A serum 2.0"}
    assert [r["price"] for r in records if r["product"] == "A1"] == [210.0, 189.0, 189.0, 190.0]
    # A scope of one day keeps that day's observations only, titled as they were within it.
    d2 = prices.report_records(backend, replace(SCOPE, start=D2, end=D2), None)
    assert [(r["shop"], r["product"], r["product_name"], r["price"]) for r in d2] == [
        ("Mine", "M1", "My serum", 200.0),
        ("RivalA", "A1", "【预售】A serum", 189.0),
        ("RivalB", "B1", "B serum", 150.0),
    ]
    with pytest.raises(ReportError, match="no breakdown"):
        prices.report_records(backend, SCOPE, None, by="shop")


def test_price_position_index_and_rank(backend) -> None:
    obs = prices.observations(backend, SCOPE)
    position = prices.price_position(obs, "Mine", LINKS).set_index("product")
    assert list(position.index) == ["M1", "M2"]  # M3 has no competitor
    m1 = position.loc["M1"]
    # Competitors' latest prices: A1 190, B1 189, C serum 250, RivalD's M1 180 → median (189 + 190) / 2.
    assert m1["competitors"] == 4
    assert (m1["cheapest"], m1["dearest"]) == (180.0, 250.0)
    assert m1["median"] == pytest.approx(189.5)
    assert m1["price_index"] == pytest.approx(200 / 189.5)
    assert (m1["rank"], m1["rank_of"]) == (4, 5)  # three competitors are cheaper
    assert m1["date"] == D4


def test_linked_competitor_without_prices_divides_by_nothing(backend) -> None:
    obs = prices.observations(backend, SCOPE)
    m2 = prices.price_position(obs, "Mine", LINKS).set_index("product").loc["M2"]
    assert m2["price"] == 100.0 and m2["competitors"] == 0
    assert pd.isna(m2["median"]) and pd.isna(m2["cheapest"]) and pd.isna(m2["price_index"])
    assert (m2["rank"], m2["rank_of"]) == (1, 1)


def test_undercut_threshold_is_strict(backend) -> None:
    obs = prices.observations(backend, SCOPE)
    alerts = prices.undercuts(obs, "Mine", LINKS, 0.05)
    # RivalA at 190 is exactly 5% below our 200: no alert.
    assert list(zip(alerts["shop"], alerts["product"], strict=False)) == [("RivalD", "M1"), ("RivalB", "B1")]
    assert list(alerts["gap"]) == pytest.approx([0.10, 0.055])
    assert list(alerts["price"]) == [180.0, 189.0] and set(alerts["own_price"]) == {200.0}
    assert list(alerts["product_name"]) == ["Serum (sold by D)", "B serum"]
    assert list(prices.undercuts(obs, "Mine", LINKS, 0.10)["shop"]) == []  # 10% exactly: none
    assert list(prices.undercuts(obs, "Mine", LINKS, 0.0999)["shop"]) == ["RivalD"]
    assert list(prices.undercuts(obs, "Mine", LINKS, 0.0499)["shop"]) == ["RivalD", "RivalB", "RivalA"]


def test_no_own_shop_means_tracks_only(backend) -> None:
    obs = prices.observations(backend, SCOPE)
    assert prices.price_position(obs, None, LINKS).empty
    assert prices.undercuts(obs, None, LINKS).empty
    groups = prices.product_groups(obs, None, LINKS)
    assert not any(g.own for g in groups)
    # Ordered by the shops selling them, then title: M1 is sold by Mine and RivalD.
    assert [g.id for g in groups] == ["M2", "M3", "M1", "A1", "B1", "C serum"]
    assert [g.shop for g in groups][:3] == ["Mine", "Mine", "Mine, RivalD"]


def test_price_drops_with_recovery(backend) -> None:
    drops = prices.price_drops(prices.observations(backend, SCOPE), 0.10)
    assert list(zip(drops["date"], drops["shop"], drops["product"], strict=False)) == [
        (D2, "RivalA", "A1"),
        (D2, "RivalB", "B1"),
    ]
    a1, b1 = drops.iloc[0], drops.iloc[1]
    # 210 → 189 is a drop of exactly 10%: listed. It never gets back to 210.
    assert (a1["before"], a1["after"], a1["drop"]) == (210.0, 189.0, pytest.approx(0.10))
    assert not a1["recovered"] and a1["recovered_on"] is None and a1["product_name"] == "A serum 2.0"
    # 200 → 150, back to 200 on D3; the later 200 → 189 (5.5%) is no drop.
    assert (b1["before"], b1["after"], b1["drop"]) == (200.0, 150.0, pytest.approx(0.25))
    assert b1["recovered"] and b1["recovered_on"] == D3 and b1["previous_date"] == D1


def test_drop_compares_with_the_previous_observation_not_the_previous_day(store: Warehouse) -> None:
    load(store, [price(D1, "X", "P", "p", 100.0), price(D4, "X", "P", "p", 80.0)])
    drops = prices.price_drops(prices.observations(store.engine.ibis(), SCOPE))
    assert list(zip(drops["previous_date"], drops["date"], drops["drop"], strict=False)) == [
        (D1, D4, pytest.approx(0.2))
    ]


def test_ranges_and_cumulative_sales_increase(backend) -> None:
    obs = prices.observations(backend, SCOPE)
    per_product = prices.product_ranges(obs).set_index(["shop", "product"])
    m1 = per_product.loc[("Mine", "M1")]
    assert m1["sales_increase"] == 60.0  # 1060 − 1000, not the sum of the snapshots
    a1 = per_product.loc[("RivalA", "A1")]
    assert (a1["min_price"], a1["median_price"], a1["max_price"], a1["latest_price"]) == (189.0, 189.5, 210.0, 190.0)
    assert a1["sales_increase"] == 60.0  # 500 → 520 → (no count) → 560
    assert a1["observations"] == 4 and a1["product_name"] == "A serum 2.0"
    assert pd.isna(per_product.loc[("RivalB", "B1"), "sales_increase"])  # no sales counts at all
    per_shop = prices.shop_ranges(obs).set_index("shop")
    mine = per_shop.loc["Mine"]
    # Mine: 200 ×4, 100 ×2, 50 → median 200; only M1 has sales counts.
    assert (mine["products"], mine["observations"]) == (3, 7)
    assert (mine["min_price"], mine["median_price"], mine["max_price"]) == (50.0, 200.0, 200.0)
    assert mine["sales_increase"] == 60.0
    assert pd.isna(per_shop.loc["RivalC", "sales_increase"])


def test_groups_and_series_for_the_chart(backend) -> None:
    obs = prices.observations(backend, SCOPE)
    groups = prices.product_groups(obs, "Mine", LINKS)
    # Ours first: those with competitors, then by title.
    assert [(g.id, g.own, g.competitors) for g in groups[:4]] == [
        ("M1", True, 4),
        ("M2", True, 0),
        ("M3", True, 0),
        ("A1", False, 0),
    ]
    m1 = next(g for g in groups if g.id == "M1")
    assert m1.products == ("M1", "A1", "B1", "C serum") and m1.competitors == 4 and m1.name == "My serum"
    series = prices.group_series(obs, m1, "Mine")
    assert set(series.loc[series["own"], "shop"]) == {"Mine"}
    assert series.groupby("track").size().to_dict() == {
        "Mine · My serum": 4,
        "RivalA · A serum 2.0": 4,
        "RivalB · B serum": 4,
        "RivalC · C serum": 2,
        "RivalD · Serum (sold by D)": 1,
    }


def test_currency_of_the_price_rows(store: Warehouse) -> None:
    load(store, ROWS)
    load(store, [price(D4, "US shop", "B0X", "Thing", 9.99, currency="USD")], name="usd")
    backend = store.engine.ibis()
    # The store's sidebar currency is used when the price rows have it …
    assert prices.price_currency(backend, replace(SCOPE, currency="USD")) == "USD"
    assert prices.report_records(backend, replace(SCOPE, currency="USD"), None) == [
        {"date": "2024-11-04", "shop": "US shop", "product": "B0X", "product_name": "Thing", "price": 9.99}
    ]
    # … else the currency most price rows are in; prices are never mixed across currencies.
    assert prices.price_currency(backend, replace(SCOPE, currency="EUR")) == "CNY"
    assert prices.price_currency(backend, replace(SCOPE, currency=None)) == "CNY"
    assert len(prices.report_records(backend, replace(SCOPE, currency=None), None)) == 18


def test_store_and_period_are_respected(store: Warehouse) -> None:
    load(store, ROWS)
    load(store, [price(D1, "Elsewhere", "Z", "z", 1.0)], name="other", store_name="Other store")
    backend = store.engine.ibis()
    assert prices.shops(backend, "S") == ["Mine", "RivalA", "RivalB", "RivalC", "RivalD"]
    assert prices.shops(backend, "Other store") == ["Elsewhere"]
    assert {r["date"] for r in prices.report_records(backend, replace(SCOPE, start=D3), None)} == {
        "2024-11-03",
        "2024-11-04",
    }


def test_empty_scope(store: Warehouse) -> None:
    load(store, ROWS)
    backend = store.engine.ibis()
    empty = replace(SCOPE, start=date(2025, 1, 1), end=date(2025, 1, 31))
    page = prices.price_page(backend, empty, "Mine", LINKS)
    assert page.observations.empty and page.latest_date is None
    assert page.groups == [] and page.position.empty and page.undercuts.empty and page.drops.empty
    assert page.products.empty and page.shops.empty
    assert prices.report_records(backend, empty, None) == []


def test_default_own_shop_and_links_round_trip() -> None:
    shops = ["Demo", "RivalA"]
    assert prices.default_own_shop(shops, "Demo", None) == "Demo"  # named like the store
    assert prices.default_own_shop(shops, "Demo store", None) is None  # no such shop: none chosen
    assert prices.default_own_shop(shops, "Demo store", "RivalA") == "RivalA"
    assert prices.default_own_shop(shops, "Demo", "") is None  # the user chose none
    assert prices.default_own_shop(shops, "Demo", "Gone") is None
    rows = prices.links_to_rows({"M1": ["B1", "A1"], "OLD": ["Z"]}, ["M1", "M2"])
    assert rows.to_dict("list") == {"own_product": ["M1", "M2"], "competitors": [["A1", "B1"], []]}
    rows.at[0, "competitors"] = ["A1"]
    rows.at[1, "competitors"] = [" C9 ", "M2", ""]
    # Links of products out of the editor (OLD) are kept; a product is never its own competitor.
    assert prices.rows_to_links(rows, {"M1": ["B1", "A1"], "OLD": ["Z"]}) == {"M1": ["A1"], "OLD": ["Z"], "M2": ["C9"]}
    rows.at[0, "competitors"] = []
    assert "M1" not in prices.rows_to_links(rows, {"M1": ["A1"]})


def test_undercut_check_tells_none_below_from_nothing_compared(backend) -> None:
    obs = prices.observations(backend, SCOPE)
    # Compared, none below: M1 against A1, B1, "C serum" and RivalD's M1 (X9, linked to M2, has no rows).
    none_below = prices.check_undercuts(obs, "Mine", LINKS, 0.5)
    assert none_below.alerts.empty and none_below.compared == 4 and none_below.reason is None
    assert prices.check_undercuts(obs, "Mine", LINKS, 0.05).compared == 4

    def nothing(check: prices.UndercutCheck) -> tuple[int, int, str | None]:
        return len(check.alerts), check.compared, check.reason

    assert nothing(prices.check_undercuts(obs, None, LINKS)) == (0, 0, prices.NO_OWN_SHOP)
    assert nothing(prices.check_undercuts(obs, "Not a shop here", LINKS)) == (0, 0, prices.NO_OWN_PRICES)
    # D2–D3: our M1 has prices, RivalD's M1 (same ID, no link needed) only appears on D4.
    early = prices.observations(backend, replace(SCOPE, start=D2, end=D3))
    assert nothing(prices.check_undercuts(early, "Mine", {})) == (0, 0, prices.NO_LINKS)
    assert nothing(prices.check_undercuts(early, "Mine", {"M1": ["X9"]})) == (0, 0, prices.NO_COMPETITOR_PRICES)
    # The same day range with the links: compared, A1 at 189 and B1 at 200 (D3's latest) are not 10% below 200.
    linked = prices.check_undercuts(early, "Mine", LINKS, 0.10)
    assert (len(linked.alerts), linked.compared, linked.reason) == (0, 2, None)


def test_price_page_carries_the_undercut_check(store: Warehouse) -> None:
    load(store, ROWS)
    backend = store.engine.ibis()
    page = prices.price_page(backend, replace(SCOPE, start=D2, end=D3), "Mine", {})
    assert page.undercuts.empty and page.undercut_check.reason == prices.NO_LINKS
