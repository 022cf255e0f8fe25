"""What the Competitor prices page tells a store owner that no test checked until a mutation run (`make mutation
MODULES=prices`) changed it unnoticed: the titles a track is named by, whom an undercut names and in which order,
an own price of 0 or 1, our position against a rival at our own price, a drop from a price below 1, the ranges and
sales increases per track and shop, the chart's groups, tracks and thinning, and the link editor's empty cells.
Values worked out by hand; on DuckDB and PostgreSQL where a warehouse is read."""

from __future__ import annotations

import pandas as pd
import pytest

from shopdata.metrics import prices
from shopdata.store import Warehouse
from tests.unit.metrics.test_prices import D1, D2, D3, D4, SCOPE, load, price
from tests.unit.metrics.test_prices_display import track


def observed(store: Warehouse, rows: list[dict]) -> pd.DataFrame:
    load(store, rows)
    return prices.observations(store.engine.ibis(), SCOPE)


def test_titles_are_trimmed_and_a_blank_title_is_no_title(store: Warehouse) -> None:
    obs = observed(
        store,
        [
            price(D3, "RivalE", "E2", "E two", 30.0),
            price(D4, "RivalE", "E2", "  ", 29.0),  # a blank title on the last day: the track keeps "E two"
            price(D4, "RivalE", None, "  E lotion ", 12.0),  # no ID: tracked by its trimmed title
            price(D4, "RivalE", "", "", 5.0),  # neither an ID nor a title: no track
            price(D4, None, "Z1", "Zed", 1.0),  # no shop: no track
        ],
    )
    assert [tuple(r) for r in obs[["date", "shop", "product", "product_name", "price"]].to_numpy()] == [
        (D3, "RivalE", "E2", "E two", 30.0),
        (D4, "RivalE", "E lotion", "E lotion", 12.0),
        (D4, "RivalE", "E2", "E two", 29.0),
    ]
    assert obs["product_id"].isna().tolist() == [False, True, False]


def test_undercuts_name_both_products_the_rival_s_day_and_sort_ties_by_shop_then_product(store: Warehouse) -> None:
    # Our P: 120 on D1, 100 on D2 (latest). A1 and A2 (RivalA) and B1 (RivalB) at 80: 20 % below us; C1 (RivalC)
    # at 60 on D1 and 50 on D3: 50 % below.
    obs = observed(
        store,
        [
            price(D1, "Mine", "P", "Our balm", 120.0),
            price(D2, "Mine", "P", "Our balm", 100.0),
            price(D2, "RivalA", "A2", "A balm mini", 80.0),
            price(D2, "RivalA", "A1", "A balm", 80.0),
            price(D1, "RivalB", "B1", "B balm", 80.0),
            price(D1, "RivalC", "C1", "C balm", 60.0),
            price(D3, "RivalC", "C1", "C balm", 50.0),
        ],
    )
    check = prices.check_undercuts(obs, "Mine", {"P": ["A1", "A2", "B1", "C1"]})
    assert (check.compared, check.reason) == (4, None)
    alerts = check.alerts
    assert list(alerts.columns) == prices.UNDERCUT_COLUMNS
    ours = ("P", "Our balm", 100.0)
    assert [
        (r["date"], r["shop"], r["product"], r["product_name"], r["price"], r["own_product"], r["own_product_name"])
        + (r["own_price"],)
        for r in alerts.to_dict("records")
    ] == [
        (D3, "RivalC", "C1", "C balm", 50.0, *ours),
        (D2, "RivalA", "A1", "A balm", 80.0, *ours),
        (D2, "RivalA", "A2", "A balm mini", 80.0, *ours),
        (D1, "RivalB", "B1", "B balm", 80.0, *ours),
    ]
    assert alerts["gap"].tolist() == pytest.approx([0.5, 0.2, 0.2, 0.2])


def test_an_own_price_of_0_is_not_compared_and_one_of_1_is(store: Warehouse) -> None:
    # P0, a free sample (0), comes first; P1 costs 1 and RivalB sells R1 at 0.5: 50 % below.
    obs = observed(
        store,
        [
            price(D1, "Mine", "P0", "Free sample", 0.0),
            price(D1, "Mine", "P1", "Sample", 1.0),
            price(D1, "RivalA", "R0", "Their sample", 0.5),
            price(D1, "RivalB", "R1", "Their other sample", 0.5),
        ],
    )
    links = {"P0": ["R0"], "P1": ["R1"]}
    check = prices.check_undercuts(obs, "Mine", links)
    assert (check.compared, check.reason) == (1, None)
    assert [(r["shop"], r["product"], r["own_product"]) for r in check.alerts.to_dict("records")] == [
        ("RivalB", "R1", "P1")
    ]
    assert check.alerts["gap"].tolist() == pytest.approx([0.5])
    # Our only product free: nothing could be compared, for want of an own price.
    free = prices.check_undercuts(obs[obs["product"] != "P1"], "Mine", links)
    assert (len(free.alerts), free.compared, free.reason) == (0, 0, prices.NO_OWN_PRICES)


def test_position_against_a_rival_at_our_price_after_an_unlinked_product(store: Warehouse) -> None:
    # K1 (ours, first by ID) has no competitor; M1 "Mask" is 20 on D2 (22 on D1), against R1 at 20, R2 at 15
    # and R3 at 25: median 20, index 1.0, one rival cheaper, so rank 2 of 4 (R1 at our price shares our rank).
    obs = observed(
        store,
        [
            price(D1, "Mine", "K1", "Kit", 30.0),
            price(D1, "Mine", "M1", "Mask", 22.0),
            price(D2, "Mine", "M1", "Mask", 20.0),
            price(D2, "RivalA", "R1", "Rival mask", 20.0),
            price(D2, "RivalB", "R2", "B mask", 15.0),
            price(D1, "RivalC", "R3", "C mask", 25.0),
        ],
    )
    links = {"M1": ["R1", "R2", "R3"]}
    position = prices.price_position(obs, "Mine", links)
    assert position.to_dict("records") == [
        {
            "product": "M1",
            "product_name": "Mask",
            "date": D2,
            "price": 20.0,
            "competitors": 3,
            "cheapest": 15.0,
            "median": 20.0,
            "dearest": 25.0,
            "price_index": 1.0,
            "rank": 2,
            "rank_of": 4,
        }
    ]
    # No product of ours with a competitor, no observations, no own shop: no rows, but the same columns (the
    # Products page reads them from the position).
    for empty in (
        prices.price_position(obs, "Mine", {}),
        prices.price_position(obs.iloc[0:0], "Mine", links),
        prices.price_position(obs, None, links),
    ):
        assert empty.empty and list(empty.columns) == list(position.columns)


def test_competitor_tracks_without_an_index() -> None:
    # Linked A1, and M1 sold by RivalD (the same ID); our own M1 and the unobserved X9 are not competitors.
    tracks = pd.DataFrame({"shop": ["Mine", "RivalA", "RivalD", "RivalB"], "product": ["M1", "A1", "M1", "B1"]})
    found = prices.competitor_tracks(tracks, "Mine", {"M1": ["A1", "X9"]}, "M1")
    assert found == [("RivalA", "A1"), ("RivalD", "M1")]


def test_a_drop_from_a_price_below_1(store: Warehouse) -> None:
    obs = observed(
        store,
        [
            price(D1, "RivalA", "U1", "Clip", 0.9),
            price(D2, "RivalA", "U1", "Clip", 0.45),
            price(D3, "RivalA", "U1", "Clip", 0.9),
        ],
    )
    drops = prices.price_drops(obs)
    assert [
        (r["date"], r["previous_date"], r["before"], r["after"], r["recovered"], r["recovered_on"])
        for r in drops.to_dict("records")
    ] == [(D2, D1, 0.9, 0.45, True, D3)]
    assert drops["drop"].tolist() == pytest.approx([0.5])


def test_a_recovery_two_days_on_and_none_borrowed_from_the_next_track() -> None:
    # price_drops alone, on observations as a frame. A/P1: 10, 8 (a 20 % drop), 8, 9, 10: back at 10 only on the
    # 5th, three rows after the drop (not the next row). A/P2: 10, 5 (50 %), 5: never back, although the next
    # track (B/P0, sorted right after it) starts at 20, above A/P2's 10 — a recovery is its own track's.
    d5 = D4 + (D4 - D3)
    cream = zip((D1, D2, D3, D4, d5), (10.0, 8.0, 8.0, 9.0, 10.0), strict=True)
    gel = zip((D1, D2, D3), (10.0, 5.0, 5.0), strict=True)
    rows = [
        *(("A", "P1", "Cream", day, value) for day, value in cream),
        *(("A", "P2", "Gel", day, value) for day, value in gel),
        ("B", "P0", "Oil", D1, 20.0),
    ]
    obs = pd.DataFrame(rows, columns=["shop", "product", "product_name", "date", "price"]).sort_values(
        ["date", "shop", "product"], ignore_index=True
    )
    drops = prices.price_drops(obs)
    assert list(drops.columns) == [
        "date", "shop", "product", "product_name", "previous_date", "before", "after", "drop", "recovered",
        "recovered_on",
    ]  # fmt: skip
    assert [tuple(r.values()) for r in drops.to_dict("records")] == [
        (D2, "A", "P1", "Cream", D1, 10.0, 8.0, pytest.approx(0.2), True, d5),
        (D2, "A", "P2", "Gel", D1, 10.0, 5.0, pytest.approx(0.5), False, None),
    ]


def test_ranges_per_track_and_shop(store: Warehouse) -> None:
    # Z shop appears first (D1) but is listed after A shop. Sales counters: F1 100 → 130 → 90 (relisted) → 95
    # rises 30 + 0 + 5 = 35; F2 10 → 10 → 15 rises 0 + 5 = 5; F3's two counts 50 → 70 rise 20.
    obs = observed(
        store,
        [
            price(D1, "Z shop", "F1", "Fan", 10.0, 100.0),
            price(D2, "Z shop", "F1", "Fan", 10.0, 130.0),
            price(D3, "Z shop", "F1", "Fan", 12.0, 90.0),
            price(D4, "Z shop", "F1", "Fan", 11.0, 95.0),
            price(D1, "Z shop", "F3", "Fridge", 50.0, 50.0),
            price(D2, "Z shop", "F3", "Fridge", 40.0, 70.0),
            price(D2, "A shop", "F2", "Fan too", 9.0, 10.0),
            price(D3, "A shop", "F2", "Fan too", 9.0, 10.0),
            price(D4, "A shop", "F2", "Fan too", 9.5, 15.0),
            price(D1, "A shop", "F4", "Fan four", 7.0, 12.0),  # one sales count: no increase to state
        ],
    )
    per_product = prices.product_ranges(obs)
    assert [tuple(r.values()) for r in per_product.to_dict("records")] == [
        ("A shop", "F2", "Fan too", 3, D2, D4, 9.0, 9.0, 9.5, 9.5, 5.0),
        ("A shop", "F4", "Fan four", 1, D1, D1, 7.0, 7.0, 7.0, 7.0, None),
        ("Z shop", "F1", "Fan", 4, D1, D4, 10.0, 10.5, 12.0, 11.0, 35.0),
        ("Z shop", "F3", "Fridge", 2, D1, D2, 40.0, 45.0, 50.0, 40.0, 20.0),
    ]
    assert all(type(n) is int for n in per_product["observations"].tolist())  # counts, not 4.0
    # A shop's four prices 7, 9, 9, 9.5: median 9; its sales F2's 5 (F4 has none). Z shop's six prices 10, 10, 12,
    # 11, 50, 40: median (11 + 12) / 2; its sales 35 + 20.
    assert [tuple(r.values()) for r in prices.shop_ranges(obs).to_dict("records")] == [
        ("A shop", 2, 4, 7.0, 9.0, 9.5, 5.0),
        ("Z shop", 2, 6, 10.0, 11.5, 50.0, 55.0),
    ]


def test_chart_groups_and_tracks(store: Warehouse) -> None:
    # Our P "Balm" linked to A1 and A2 (both "Lip balm" at RivalA: told apart by their IDs) and B1 at RivalB.
    obs = observed(
        store,
        [
            price(D1, "Mine", "P", "Balm", 10.0),
            price(D2, "Mine", "P", "Balm", 11.0),
            price(D1, "RivalB", "B1", "B balm", 9.0),
            price(D1, "RivalA", "A2", "Lip balm", 8.0),
            price(D2, "RivalA", "A2", "Lip balm", 7.0),
            price(D2, "RivalA", "A1", "Lip balm", 12.0),
        ],
    )
    links = {"P": ["A1", "A2", "B1"]}
    groups = prices.product_groups(obs, "Mine", links)
    assert groups == [
        prices.ProductGroup("P", "Balm", "Mine", ("P", "A1", "A2", "B1"), 3, True),
        prices.ProductGroup("A1", "Lip balm", "RivalA", ("A1",), 0, False),
        prices.ProductGroup("A2", "Lip balm", "RivalA", ("A2",), 0, False),
        prices.ProductGroup("B1", "B balm", "RivalB", ("B1",), 0, False),
    ]
    # Ours first, then by shop, product and date.
    series = prices.group_series(obs, groups[0], "Mine")
    assert [tuple(r) for r in series[["track", "date", "price", "own"]].to_numpy()] == [
        ("Mine · Balm", D1, 10.0, True),
        ("Mine · Balm", D2, 11.0, True),
        ("RivalA · Lip balm (A1)", D2, 12.0, False),
        ("RivalA · Lip balm (A2)", D1, 8.0, False),
        ("RivalA · Lip balm (A2)", D2, 7.0, False),
        ("RivalB · B balm", D1, 9.0, False),
    ]
    # Without an own shop no track is ours.
    assert not prices.group_series(obs, groups[0], None)["own"].any()


def test_thinning_keeps_each_run_s_extremes_and_both_ends() -> None:
    values = [5.0, 9.0, 1.0, 6.0, 4.0, 2.0, 8.0, 3.0]
    # max_points 6: 6 // 2 - 1 = 2 runs of 4: [5, 9, 1, 6] keeps 9 and 1, [4, 2, 8, 3] keeps 2 and 8; and the ends.
    assert prices.display_series(track("t", values), max_points=6)["price"].tolist() == [5.0, 9.0, 1.0, 2.0, 8.0, 3.0]
    # max_points 4: one run of all 8, its 9 and 1, and the ends.
    assert prices.display_series(track("t", values), max_points=4)["price"].tolist() == [5.0, 9.0, 1.0, 3.0]
    # A track of exactly max_points observations is kept whole.
    assert prices.display_series(track("t", values[:6]), max_points=6)["price"].tolist() == values[:6]


def test_an_empty_link_cell_removes_the_link() -> None:
    # The editor hands back None for a cleared cell, and [] for a product that never had a link.
    rows = pd.DataFrame({"own_product": ["M1", "M2"], "competitors": [None, []]})
    assert prices.rows_to_links(rows, {"M1": ["A1"], "OLD": ["Z"]}) == {"OLD": ["Z"]}
