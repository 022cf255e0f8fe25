"""Conversion funnels on hand-made rows, on DuckDB and PostgreSQL (the `store` fixture runs both).

The behaviour log below is built so that the open and the closed funnels differ, and every expected
number is counted by hand from the story of each user:

    u1  view A 03-01 10:00 (twice: a duplicate line), cart A 10:30, purchase A 11:00   search
    u2  purchase B 03-01 09:00, then view B 12:00 (bought before viewing)               ads
    u3  view A 03-01 08:00, cart A 03-03 09:00 (49 h later), purchase A 03-03 09:30     search
    u4  view B 03-02 10:00, cart B 10:20 and 10:40, purchase B 12:00 (1 h 40 after the first cart)  ads
    u5  view C 03-02 11:00, fav C 11:05
    u6  cart A 03-04 09:00, then view A 10:00 (carted before viewing)
    u9  view C 03-01 07:00, cart C 03-09 08:00 (8 days later)
    plus a view outside the period (03-20) and a purchase in another store.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pyarrow as pa
import pytest

from shopdata.errors import ShopdataError
from shopdata.metrics import funnel
from shopdata.metrics.query import Scope
from shopdata.store import BatchInfo, Warehouse

SHOP = "Shop"
PERIOD = Scope(SHOP, date(2024, 3, 1), date(2024, 3, 10))

# user, item, category, behaviour, time, source
LOG = [
    ("u1", "A", "c1", "view", datetime(2024, 3, 1, 10, 0), "search"),
    ("u1", "A", "c1", "view", datetime(2024, 3, 1, 10, 0), "search"),
    ("u1", "A", "c1", "cart", datetime(2024, 3, 1, 10, 30), "search"),
    ("u1", "A", "c1", "purchase", datetime(2024, 3, 1, 11, 0), "search"),
    ("u2", "B", "c1", "purchase", datetime(2024, 3, 1, 9, 0), "ads"),
    ("u2", "B", "c1", "view", datetime(2024, 3, 1, 12, 0), "ads"),
    ("u3", "A", "c1", "view", datetime(2024, 3, 1, 8, 0), "search"),
    ("u3", "A", "c1", "cart", datetime(2024, 3, 3, 9, 0), "search"),
    ("u3", "A", "c1", "purchase", datetime(2024, 3, 3, 9, 30), "search"),
    ("u4", "B", "c1", "view", datetime(2024, 3, 2, 10, 0), "ads"),
    ("u4", "B", "c1", "cart", datetime(2024, 3, 2, 10, 20), "ads"),
    ("u4", "B", "c1", "cart", datetime(2024, 3, 2, 10, 40), "ads"),
    ("u4", "B", "c1", "purchase", datetime(2024, 3, 2, 12, 0), "ads"),
    ("u5", "C", "c2", "view", datetime(2024, 3, 2, 11, 0), None),
    ("u5", "C", "c2", "fav", datetime(2024, 3, 2, 11, 5), None),
    ("u6", "A", "c1", "cart", datetime(2024, 3, 4, 9, 0), None),
    ("u6", "A", "c1", "view", datetime(2024, 3, 4, 10, 0), None),
    ("u9", "C", "c2", "view", datetime(2024, 3, 1, 7, 0), None),
    ("u9", "C", "c2", "cart", datetime(2024, 3, 9, 8, 0), None),
    ("u7", "A", "c1", "view", datetime(2024, 3, 20, 10, 0), None),
]
OTHER_STORE = [("u1", "A", "c1", "purchase", datetime(2024, 3, 2, 10, 0), "search")]

# A log with checkout: k1 goes through in 30 minutes, k2 reaches checkout 2 h 50 after the cart, k3 skips it.
CHECKOUT_LOG = [
    ("k1", "A", "c1", "view", datetime(2024, 3, 1, 10, 0), "ga"),
    ("k1", "A", "c1", "cart", datetime(2024, 3, 1, 10, 10), "ga"),
    ("k1", "A", "c1", "checkout", datetime(2024, 3, 1, 10, 20), "ga"),
    ("k1", "A", "c1", "purchase", datetime(2024, 3, 1, 10, 30), "ga"),
    ("k2", "A", "c1", "view", datetime(2024, 3, 1, 10, 0), "ga"),
    ("k2", "A", "c1", "cart", datetime(2024, 3, 1, 10, 10), "ga"),
    ("k2", "A", "c1", "checkout", datetime(2024, 3, 1, 13, 0), "ga"),
    ("k2", "A", "c1", "purchase", datetime(2024, 3, 1, 13, 10), "ga"),
    ("k3", "A", "c1", "view", datetime(2024, 3, 1, 11, 0), "ga"),
    ("k3", "A", "c1", "cart", datetime(2024, 3, 1, 11, 10), "ga"),
    ("k3", "A", "c1", "purchase", datetime(2024, 3, 1, 11, 20), "ga"),
]


def events_table(rows: list[tuple], prefix: str) -> pa.Table:
    return pa.table(
        {
            "platform": ["taobao"] * len(rows),
            "nk": [f"{prefix}{i}" for i in range(len(rows))],
            "user_id": [r[0] for r in rows],
            "item_id": [r[1] for r in rows],
            "category_id": [r[2] for r in rows],
            "behavior": [r[3] for r in rows],
            "event_time": pa.array([r[4] for r in rows], pa.timestamp("us")),
            "event_date": pa.array([r[4].date() for r in rows], pa.date32()),
            "source": pa.array([r[5] for r in rows], pa.string()),
            "device": pa.array([None] * len(rows), pa.string()),
        }
    )


def load_events(store: Warehouse, rows: list[tuple], shop: str = SHOP, prefix: str = "e") -> None:
    batch = BatchInfo(shop, f"{prefix}.csv", f"sha-{shop}-{prefix}", 1, "taobao", "events", "taobao_userbehavior", {})
    store.load(batch, events_table(rows, prefix))


@pytest.fixture
def log(store: Warehouse):
    load_events(store, LOG)
    load_events(store, OTHER_STORE, shop="Other", prefix="o")
    return store.engine.ibis()


def users(frame: pd.DataFrame) -> dict[str, float]:
    return dict(zip(frame["stage"], frame["users"], strict=False))


def test_open_funnel_counts_distinct_users_in_any_order(log) -> None:
    frame = funnel.event_funnel(log, PERIOD)
    assert list(frame["stage"]) == ["view", "cart", "purchase"]  # no checkout in this log
    assert users(frame) == {"view": 7, "cart": 5, "purchase": 4}
    assert frame["rate_from_previous"].isna().iloc[0]
    assert list(frame["rate_from_previous"].iloc[1:]) == pytest.approx([5 / 7, 4 / 5])
    assert list(frame["rate_from_start"]) == pytest.approx([1.0, 5 / 7, 4 / 7])
    assert funnel.favorite_users(log, PERIOD) == 1


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("1h", {"view": 7, "cart": 2, "purchase": 1}),  # u1; u4's purchase is 1 h 40 after its first cart
        ("1d", {"view": 7, "cart": 2, "purchase": 2}),  # u1, u4; u3's cart is 49 h after the view
        ("7d", {"view": 7, "cart": 3, "purchase": 3}),  # + u3; u9's cart is 8 days after the view
        ("period", {"view": 7, "cart": 4, "purchase": 3}),  # + u9's cart; u2 (bought first) and u6 never count
    ],
)
def test_closed_funnel_follows_the_order_and_the_window(log, window: str, expected: dict) -> None:
    frame = funnel.event_funnel(log, PERIOD, window)
    assert users(frame) == expected
    assert list(frame["rate_from_start"]) == pytest.approx([1.0, expected["cart"] / 7, expected["purchase"] / 7])


def test_unknown_window_is_refused(log) -> None:
    with pytest.raises(ShopdataError, match="window"):
        funnel.closed_counts(log, PERIOD, "2w", ["view", "cart"])


def test_checkout_is_a_stage_only_when_the_log_has_it(store: Warehouse) -> None:
    load_events(store, CHECKOUT_LOG, shop="GA shop", prefix="k")
    backend = store.engine.ibis()
    scope = Scope("GA shop", date(2024, 3, 1), date(2024, 3, 1))
    opened = funnel.event_funnel(backend, scope)
    assert list(opened["stage"]) == ["view", "cart", "checkout", "purchase"]
    assert users(opened) == {"view": 3, "cart": 3, "checkout": 2, "purchase": 3}
    assert list(opened["rate_from_previous"].iloc[1:]) == pytest.approx([1.0, 2 / 3, 3 / 2])
    assert users(funnel.event_funnel(backend, scope, "1h")) == {"view": 3, "cart": 3, "checkout": 1, "purchase": 1}
    assert users(funnel.event_funnel(backend, scope, "1d")) == {"view": 3, "cart": 3, "checkout": 2, "purchase": 2}
    assert funnel.report_records(backend, scope, None) == [
        {"stage": "view", "users": 3, "rate_from_previous": None, "rate_from_start": 1.0},
        {"stage": "cart", "users": 3, "rate_from_previous": 1.0, "rate_from_start": 1.0},
        {
            "stage": "checkout",
            "users": 2,
            "rate_from_previous": pytest.approx(2 / 3),
            "rate_from_start": pytest.approx(2 / 3),
        },
        {"stage": "purchase", "users": 3, "rate_from_previous": 1.5, "rate_from_start": 1.0},
    ]


def test_biggest_drop_off_is_the_lowest_step_rate(log) -> None:
    drop = funnel.biggest_drop(funnel.event_funnel(log, PERIOD, "1h"))  # 7 → 2 → 1: 2/7 < 1/2
    assert (drop.from_stage, drop.to_stage, drop.lost) == ("view", "cart", 5)
    assert drop.rate == pytest.approx(2 / 7)


def test_breakdowns_offered_only_for_columns_with_values(log) -> None:
    assert funnel.breakdown_options(log, PERIOD) == ["source", "product", "category"]  # device is empty


def test_breakdown_by_source_and_product(log) -> None:
    by_source = funnel.breakdown_table(log, PERIOD, "source").set_index("source")
    assert by_source.loc["search", ["view", "cart", "purchase"]].tolist() == [2, 2, 2]
    assert by_source.loc["ads", ["view", "cart", "purchase"]].tolist() == [2, 1, 2]
    assert by_source.loc["ads", "rate_cart"] == pytest.approx(0.5)
    assert by_source.loc["ads", "rate_purchase"] == pytest.approx(2.0)
    assert by_source.loc["ads", "conversion"] == pytest.approx(1.0)

    by_product = funnel.breakdown_table(log, PERIOD, "product")
    assert list(by_product["product"]) == ["A", "B", "C"]  # most viewers first
    assert by_product[["view", "cart", "purchase"]].values.tolist() == [[3, 3, 2], [2, 1, 2], [2, 1, 0]]
    closed = funnel.breakdown_table(log, PERIOD, "product", "1d")
    assert closed[["view", "cart", "purchase"]].values.tolist() == [[3, 1, 1], [2, 1, 1], [2, 0, 0]]
    assert closed["rate_purchase"].isna().iloc[2]  # product C: nobody carted


def test_daily_conversion_and_a_day_without_viewers(log) -> None:
    daily = funnel.daily_event_conversion(log, PERIOD).set_index("date")
    assert daily.loc[date(2024, 3, 1), ["viewers", "carters", "purchasers"]].tolist() == [4, 1, 2]
    assert daily.loc[date(2024, 3, 1), "purchase_rate"] == pytest.approx(0.5)
    assert daily.loc[date(2024, 3, 1), "cart_rate"] == pytest.approx(0.25)
    assert daily.loc[date(2024, 3, 4), ["cart_rate", "purchase_rate"]].tolist() == [1.0, 0.0]
    assert daily.loc[date(2024, 3, 3), "viewers"] == 0  # u3 carted and bought, nobody viewed
    assert pd.isna(daily.loc[date(2024, 3, 3), "purchase_rate"])
    assert sorted(daily.index) == [date(2024, 3, d) for d in (1, 2, 3, 4, 9)]


def test_a_page_reads_a_period_s_daily_conversion_from_the_store_s_every_day(store: Warehouse, queries) -> None:
    # The log above: 1 March has 4 viewers (u1, u2, u3, u9), 1 carter (u1) and 2 purchasers (u1, u2); 2 March
    # viewers u4, u5, carter and purchaser u4; 20 March one viewer (u7). The other store's purchase is not here.
    from shopdata.metrics import cache

    load_events(store, LOG)
    load_events(store, OTHER_STORE, shop="Other", prefix="o")
    cache.RESULTS.clear()
    source = cache.source(store)

    def days(start: date, end: date) -> list[tuple]:
        daily = funnel.daily_event_conversion(source, Scope(SHOP, start, end))
        return [tuple(row) for row in daily[["date", "viewers", "carters", "purchasers"]].itertuples(index=False)]

    assert days(date(2024, 3, 1), date(2024, 3, 2)) == [(date(2024, 3, 1), 4, 1, 2), (date(2024, 3, 2), 2, 1, 1)]
    asked = len(queries)
    assert days(date(2024, 3, 2), date(2024, 3, 2)) == [(date(2024, 3, 2), 2, 1, 1)]
    assert days(date(2024, 3, 10), date(2024, 3, 31)) == [(date(2024, 3, 20), 1, 0, 0)]
    assert days(date(2024, 3, 5), date(2024, 3, 8)) == []
    assert len(queries) == asked  # each later period is a slice of the days read once
    # The breakdowns offered: a source is recorded on 1–3 March only, products and categories every day.
    offered = {
        (date(2024, 3, 2), date(2024, 3, 2)): ["source", "product", "category"],
        (date(2024, 3, 4), date(2024, 3, 31)): ["product", "category"],
        (date(2024, 3, 5), date(2024, 3, 8)): [],
    }
    for (start, end), names in offered.items():
        assert funnel.breakdown_options(source, Scope(SHOP, start, end)) == names
    assert len(queries) == asked + 1  # the days' columns, once
    for (start, end), names in offered.items():
        assert funnel.breakdown_options(store.engine.ibis(), Scope(SHOP, start, end)) == names
    cache.RESULTS.clear()


def test_no_viewers_gives_empty_rates_not_an_error(log) -> None:
    day = Scope(SHOP, date(2024, 3, 3), date(2024, 3, 3))
    frame = funnel.event_funnel(log, day)
    assert users(frame) == {"view": 0, "cart": 1, "purchase": 1}
    assert frame["rate_from_start"].isna().all()
    assert pd.isna(frame["rate_from_previous"].iloc[1])
    assert frame["rate_from_previous"].iloc[2] == pytest.approx(1.0)
    records = funnel.report_records(log, day, None)
    assert records[0] == {"stage": "view", "users": 0, "rate_from_previous": None, "rate_from_start": None}


def test_empty_store_has_no_funnel(store: Warehouse) -> None:
    backend = store.engine.ibis()
    nobody = Scope("Nobody", date(2024, 3, 1), date(2024, 3, 10))
    assert funnel.funnel_sources(backend, nobody) == []
    assert funnel.report_records(backend, nobody, None) == []
    assert users(funnel.event_funnel(backend, nobody, "1d")) == {"view": 0, "cart": 0, "purchase": 0}
    assert funnel.daily_event_conversion(backend, nobody).empty
    assert funnel.biggest_drop(funnel.event_funnel(backend, nobody)) is None


def test_report_records_with_favorite_and_breakdowns(log) -> None:
    assert funnel.report_records(log, PERIOD, None) == [
        {"stage": "view", "users": 7, "rate_from_previous": None, "rate_from_start": 1.0},
        {
            "stage": "cart",
            "users": 5,
            "rate_from_previous": pytest.approx(5 / 7),
            "rate_from_start": pytest.approx(5 / 7),
        },
        {
            "stage": "purchase",
            "users": 4,
            "rate_from_previous": pytest.approx(4 / 5),
            "rate_from_start": pytest.approx(4 / 7),
        },
        {
            "stage": "favorite",
            "users": 1,
            "rate_from_previous": pytest.approx(1 / 7),
            "rate_from_start": pytest.approx(1 / 7),
        },
    ]
    by_product = funnel.report_records(log, PERIOD, None, by="product")
    c = {r["stage"]: r for r in by_product if r["product"] == "C"}
    assert c["favorite"]["users"] == 1 and c["favorite"]["rate_from_start"] == pytest.approx(1 / 2)
    assert "favorite" not in {r["stage"] for r in by_product if r["product"] == "A"}
    # Weeks start on Monday: 02-26 holds 03-01..03-03, 03-04 holds 03-04..03-10 (PostgreSQL's date_trunc
    # returns a timestamp; the bucket must still be a date).
    by_week = {(r["week"], r["stage"]): r["users"] for r in funnel.report_records(log, PERIOD, None, by="week")}
    assert by_week == {
        (date(2024, 2, 26), "view"): 6,
        (date(2024, 2, 26), "cart"): 3,
        (date(2024, 2, 26), "purchase"): 4,
        (date(2024, 2, 26), "favorite"): 1,
        (date(2024, 3, 4), "view"): 1,
        (date(2024, 3, 4), "cart"): 2,
        (date(2024, 3, 4), "purchase"): 0,
    }
    with pytest.raises(ShopdataError, match="campaign"):
        funnel.report_records(log, PERIOD, None, by="campaign")
    with pytest.raises(ShopdataError, match="no device values") as refused:  # the log has no device column
        funnel.report_records(log, PERIOD, None, by="device")
    assert "source, product, category, source_1, platform" in refused.value.hint


def test_comparison_side_by_side(log) -> None:
    first_days = funnel.event_funnel(log, Scope(SHOP, date(2024, 3, 1), date(2024, 3, 2)))
    later_days = funnel.event_funnel(log, Scope(SHOP, date(2024, 3, 3), date(2024, 3, 10)))
    compared = funnel.compare_frames(later_days, first_days).set_index("stage")
    # 03-01..02: views u1 u2 u3 u9 u4 u5, carts u1 u4, purchases u1 u2 u4;
    # 03-03..10: view u6, carts u3 u6 u9, purchase u3
    assert compared["users_previous"].tolist() == [6, 2, 3]
    assert compared["users"].tolist() == [1, 3, 1]
    assert compared["change"].tolist() == pytest.approx([(1 - 6) / 6, (3 - 2) / 2, (1 - 3) / 3])
    assert compared["rate_from_start_previous"].tolist() == pytest.approx([1.0, 2 / 6, 3 / 6])


def test_comparison_coverage_counts_days_with_events(log) -> None:
    # SHOP's log (LOG) has events on 03-01..04, 03-09 and 03-20; none in February.
    march = Scope(SHOP, date(2024, 3, 1), date(2024, 3, 10))
    days = {r[4].date() for r in LOG if date(2024, 3, 1) <= r[4].date() <= date(2024, 3, 10)}
    assert len(days) == 5
    february = Scope(SHOP, date(2024, 2, 20), date(2024, 2, 29))
    assert funnel.days_with_data(log, march, funnel.EVENTS) == len(days)
    coverage = funnel.comparison_coverage(log, march, february, funnel.EVENTS)
    assert (coverage.current_days, coverage.comparison_days, coverage.comparison_length) == (len(days), 0, 10)
    assert not coverage.comparable
    assert funnel.comparison_coverage(log, february, march, funnel.EVENTS).comparable


# ---------------------------------------------------------------- exports


def traffic_table(rows: list[dict], prefix: str) -> pa.Table:
    columns = [
        "platform",
        "date",
        "end_date",
        "grain",
        "source_1",
        "source_2",
        "source_level",
        "visitors",
        "sessions",
        "product_visitors",
        "cart_users",
        "checkout_sessions",
        "order_buyers",
        "buyers",
        "orders",
        "currency",
    ]
    types = {"date": pa.date32(), "end_date": pa.date32(), "source_level": pa.int32()}
    data = {
        c: pa.array(
            [r.get(c) for r in rows],
            types.get(
                c, pa.float64() if c not in ("platform", "grain", "source_1", "source_2", "currency") else pa.string()
            ),
        )
        for c in columns
    }
    data["nk"] = pa.array([f"{prefix}{i}" for i in range(len(rows))])
    return pa.table(data)


def tmall(day: date, source: str, level: int, visitors, clicks, carts, ordered, paid, source_2="汇总") -> dict:
    return {
        "platform": "tmall",
        "date": day,
        "end_date": day,
        "grain": "source",
        "source_1": source,
        "source_2": source_2,
        "source_level": level,
        "visitors": visitors,
        "product_visitors": clicks,
        "cart_users": carts,
        "order_buyers": ordered,
        "buyers": paid,
        "currency": "CNY",
    }


D1, D2 = date(2024, 3, 1), date(2024, 3, 2)
TMALL = [
    tmall(D1, "手淘搜索", 1, 1000, 600, 100, 40, 30),
    tmall(D1, "手淘搜索", 2, 700, 400, 70, 30, 20, "搜索A"),  # children of the subtotal: never added to it
    tmall(D1, "手淘搜索", 2, 300, 200, 30, 10, 10, "搜索B"),
    tmall(D1, "直通车", 1, 200, 100, 20, 5, 4),
    tmall(D2, "手淘搜索", 1, 500, 300, 50, 20, 10),
]
SHOPIFY = [
    {
        "platform": "shopify",
        "date": D1,
        "end_date": D1,
        "grain": "source",
        "source_1": "Search",
        "source_2": "Google",
        "source_level": 2,
        "visitors": 300,
        "sessions": 400,
        "cart_users": 40,
        "checkout_sessions": 20,
        "orders": 10,
    },
    {"platform": "shopify", "date": D1, "end_date": D1, "grain": "shop", "orders": 10, "currency": "USD"},
]


def load_exports(store: Warehouse, rows: list[dict], shop: str = SHOP) -> object:
    """A 生意参谋 source export of `rows` loaded for `shop`; the backend to ask."""
    store.load(
        BatchInfo(shop, "t.csv", f"sha-{shop}", 1, "tmall", "traffic", "sycm_sources", {}), traffic_table(rows, "t")
    )
    return store.engine.ibis()


@pytest.fixture
def exports(store: Warehouse):
    return load_exports(store, TMALL + SHOPIFY)


def test_export_funnel_uses_the_stages_every_platform_reports(exports) -> None:
    cny = Scope(SHOP, D1, D2, "CNY")
    assert funnel.export_stages(exports, cny) == [
        "visitors",
        "product_visitors",
        "cart_users",
        "checkout_sessions",
        "buyers",
    ]
    frame = funnel.export_funnel(exports, cny)
    assert users(frame) == {
        "visitors": 1700,
        "product_visitors": 1000,
        "cart_users": 170,
        "checkout_sessions": 65,
        "buyers": 44,
    }
    assert list(frame["rate_from_previous"].iloc[1:]) == pytest.approx([1000 / 1700, 170 / 1000, 65 / 170, 44 / 65])
    # Both platforms: Shopify has no product views, so that stage goes; the rest add up.
    both = funnel.export_funnel(exports, Scope(SHOP, D1, D2))
    assert users(both) == {"visitors": 2000, "cart_users": 210, "checkout_sessions": 85, "buyers": 54}
    usd = funnel.export_funnel(exports, Scope(SHOP, D1, D2, "USD"))
    assert users(usd) == {"visitors": 300, "cart_users": 40, "checkout_sessions": 20, "buyers": 10}
    assert funnel.funnel_sources(exports, cny) == [funnel.EXPORTS]


def test_export_records_daily_and_breakdown(exports) -> None:
    cny = Scope(SHOP, D1, D2, "CNY")
    assert funnel.report_records(exports, cny, None) == [
        {"stage": "view", "users": 1700, "rate_from_previous": None, "rate_from_start": 1.0},
        {
            "stage": "cart",
            "users": 170,
            "rate_from_previous": pytest.approx(0.1),
            "rate_from_start": pytest.approx(0.1),
        },
        {
            "stage": "checkout",
            "users": 65,
            "rate_from_previous": pytest.approx(65 / 170),
            "rate_from_start": pytest.approx(65 / 1700),
        },
        {
            "stage": "purchase",
            "users": 44,
            "rate_from_previous": pytest.approx(44 / 65),
            "rate_from_start": pytest.approx(44 / 1700),
        },
    ]
    daily = funnel.daily_export_conversion(exports, cny).set_index("date")
    assert daily.loc[D1, ["visitors", "cart_users", "buyers"]].tolist() == [1200, 120, 34]
    assert daily.loc[D2, "purchase_rate"] == pytest.approx(10 / 500)
    assert daily.loc[D1, "cart_rate"] == pytest.approx(0.1)
    assert funnel.export_breakdown_options(exports, cny) == ["source"]
    by_source = funnel.export_breakdown_table(exports, cny, "source").set_index("source")
    assert list(by_source.index) == ["手淘搜索", "直通车"]
    assert by_source.loc["手淘搜索", ["visitors", "cart_users", "buyers"]].tolist() == [1500, 150, 40]
    assert by_source.loc["直通车", "conversion"] == pytest.approx(4 / 200)


def test_one_stage_is_not_a_funnel(store: Warehouse) -> None:
    sales_only = [{"platform": "shopify", "date": D1, "end_date": D1, "grain": "shop", "orders": 10, "currency": "USD"}]
    store.load(
        BatchInfo("Sales", "s.csv", "sha-s", 1, "shopify", "traffic", "shopify_sales", {}),
        traffic_table(sales_only, "s"),
    )
    backend = store.engine.ibis()
    scope = Scope("Sales", D1, D1)
    assert funnel.export_stages(backend, scope) == []
    assert funnel.funnel_sources(backend, scope) == []
    assert funnel.report_records(backend, scope, None) == []


def test_events_win_over_exports_in_the_report(store: Warehouse) -> None:
    load_events(store, LOG)
    store.load(BatchInfo(SHOP, "t.csv", "sha-t", 1, "tmall", "traffic", "sycm_sources", {}), traffic_table(TMALL, "t"))
    backend = store.engine.ibis()
    assert funnel.funnel_sources(backend, PERIOD) == [funnel.EVENTS, funnel.EXPORTS]
    assert [r["users"] for r in funnel.report_records(backend, PERIOD, None)] == [7, 5, 4, 1]
