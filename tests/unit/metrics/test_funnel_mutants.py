"""What the funnel says that no funnel test varied until a mutation run (`make mutation MODULES=funnel`) changed
it unnoticed: the export funnel's report by day, week, month, platform and source; a two-stage funnel; counts as
whole numbers; the breakdown table's order, columns and types; the biggest drop's ties and gaps; whether a funnel
has anyone. Values counted by hand, on DuckDB and PostgreSQL (the `store` fixture runs both)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from shopdata.errors import ReportError, ShopdataError
from shopdata.metrics import funnel
from shopdata.metrics.query import Scope
from shopdata.store import Warehouse
from tests.unit.metrics.test_funnel import LOG, PERIOD, SHOP, load_events, load_exports, tmall

# 生意参谋 sources (first level) and a JD source report, each with visitors, cart users and paying buyers:
#   Wed 28 Feb  Tmall 手淘搜索 100 / 10 / 4
#   Fri  1 Mar  Tmall 手淘搜索 200 / 30 / 6, Tmall 直通车 50 / 10 / 5, JD 京东搜索 80 / 8 / 2
#   Mon  4 Mar  Tmall 直通车 400 / 20 / 8
FEB_28, MAR_1, MAR_4 = date(2024, 2, 28), date(2024, 3, 1), date(2024, 3, 4)
EXPORTS = [
    tmall(FEB_28, "手淘搜索", 1, 100, None, 10, None, 4),
    tmall(MAR_1, "手淘搜索", 1, 200, None, 30, None, 6),
    tmall(MAR_1, "直通车", 1, 50, None, 10, None, 5),
    tmall(MAR_1, "京东搜索", 1, 80, None, 8, None, 2) | {"platform": "jd"},
    tmall(MAR_4, "直通车", 1, 400, None, 20, None, 8),
]
WEEKS = Scope(SHOP, date(2024, 2, 26), date(2024, 3, 10))


def stage_records(view: float, cart: float, purchase: float) -> list[dict]:
    """The report's view → cart → purchase records of one group, rates worked out from the counts."""
    return [
        {"stage": "view", "users": view, "rate_from_previous": None, "rate_from_start": 1.0},
        {"stage": "cart", "users": cart, "rate_from_previous": pytest.approx(cart / view),
         "rate_from_start": pytest.approx(cart / view)},
        {"stage": "purchase", "users": purchase, "rate_from_previous": pytest.approx(purchase / cart),
         "rate_from_start": pytest.approx(purchase / view)},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("by", "groups"),
    [
        (None, {None: (830, 78, 25)}),
        ("day", {FEB_28: (100, 10, 4), MAR_1: (330, 48, 13), MAR_4: (400, 20, 8)}),
        # Weeks start on Monday: 26 February holds the 28th and 1 March; 4 March starts the next.
        ("week", {date(2024, 2, 26): (430, 58, 17), MAR_4: (400, 20, 8)}),
        ("month", {date(2024, 2, 1): (100, 10, 4), MAR_1: (730, 68, 21)}),
        ("platform", {"jd": (80, 8, 2), "tmall": (750, 70, 23)}),
        ("source_1", {"京东搜索": (80, 8, 2), "手淘搜索": (300, 40, 10), "直通车": (450, 30, 13)}),
        ("source", {"京东搜索": (80, 8, 2), "手淘搜索": (300, 40, 10), "直通车": (450, 30, 13)}),
    ],
)
def test_the_export_funnel_report_by_time_platform_and_source(store: Warehouse, by, groups) -> None:
    backend = load_exports(store, EXPORTS)
    records = funnel.report_records(backend, WEEKS, None, by=by)
    expected = [({by: value} if by else {}) | r for value, counts in groups.items() for r in stage_records(*counts)]
    assert records == expected
    # Counts are whole numbers in the report (its JSON says 830, not 830.0).
    assert all(type(r["users"]) is int for r in records)


def test_a_funnel_of_two_stages_is_reported_and_a_stated_fraction_kept(store: Warehouse) -> None:
    # A report with visitors and paying buyers only (no cart column): view → purchase is still a funnel.
    rows = [tmall(MAR_1, "手淘搜索", 1, 12.5, None, None, None, 5)]
    backend = load_exports(store, rows, shop="Two")
    assert funnel.report_records(backend, Scope("Two", MAR_1, MAR_1), None) == [
        {"stage": "view", "users": 12.5, "rate_from_previous": None, "rate_from_start": 1.0},
        {"stage": "purchase", "users": 5, "rate_from_previous": 0.4, "rate_from_start": 0.4},
    ]


def test_a_breakdown_the_export_funnel_lacks_is_refused_with_the_ones_it_has(store: Warehouse) -> None:
    backend = load_exports(store, EXPORTS)
    # `category` is a behaviour-log breakdown: a store with exports only cannot have it.
    with pytest.raises(ShopdataError) as refused:
        funnel.report_records(backend, WEEKS, None, by="category")
    assert refused.value.message == "the export funnel cannot be broken down by 'category'"
    assert refused.value.hint == "choose one of source, source_1, source_2, product, device, platform, day, week, month"
    with pytest.raises(ReportError) as unknown:
        funnel.report_records(backend, WEEKS, None, by="hour")
    assert unknown.value.message == (
        "the funnel report breaks down by source, product, category, device, source_1, platform, source_2, day, "
        "week, month, not 'hour'"
    )


def test_the_export_breakdown_adds_a_source_two_platforms_share(store: Warehouse) -> None:
    # Tmall 搜索 100 / 10 / 5 and JD 搜索 60 / 6 / 3 on one day: the source 搜索 is both (160 / 16 / 8).
    rows = [
        tmall(MAR_1, "搜索", 1, 100, None, 10, None, 5),
        tmall(MAR_1, "搜索", 1, 60, None, 6, None, 3) | {"platform": "jd"},
    ]
    backend = load_exports(store, rows, shop="Both")
    table = funnel.export_breakdown_table(backend, Scope("Both", MAR_1, MAR_1), "source")
    assert table[["source", "visitors", "cart_users", "buyers"]].values.tolist() == [["搜索", 160, 16, 8]]


def test_a_product_favourited_but_never_viewed_has_no_favourite_rate(store: Warehouse) -> None:
    # u5 favourites product D on 2 March and never views it: 1 favourite, and no rate (nobody viewed D).
    load_events(store, LOG + [("u5", "D", "c2", "fav", datetime(2024, 3, 2, 11, 30), None)])
    records = funnel.report_records(store.engine.ibis(), PERIOD, None, by="product")
    d = [r for r in records if r["product"] == "D"]
    assert d == [
        {"product": "D", "stage": "view", "users": 0, "rate_from_previous": None, "rate_from_start": None},
        {"product": "D", "stage": "cart", "users": 0, "rate_from_previous": None, "rate_from_start": None},
        {"product": "D", "stage": "purchase", "users": 0, "rate_from_previous": None, "rate_from_start": None},
        {"product": "D", "stage": "favorite", "users": 1, "rate_from_previous": None, "rate_from_start": None},
    ]


def test_the_breakdown_table_s_order_columns_and_types(store: Warehouse) -> None:
    load_events(store, LOG)
    backend = store.engine.ibis()
    # By source: search (u1, u3) and ads (u2, u4) both have 2 viewers; a tie goes by name, whatever the carts
    # (search 2, ads 1).
    by_source = funnel.breakdown_table(backend, PERIOD, "source")
    assert list(by_source["source"]) == ["ads", "search"]
    columns = ["source", "view", "cart", "purchase", "rate_cart", "rate_purchase", "conversion"]
    assert list(by_source.columns) == columns
    assert [str(by_source[c].dtype) for c in columns[1:]] == ["int64"] * 3 + ["float64"] * 3
    # 4–10 March: u6 views and carts A, u9 carts C; nobody buys. Purchase is still a column, at 0.
    later = funnel.breakdown_table(backend, Scope(SHOP, MAR_4, date(2024, 3, 10)), "product")
    assert later[["product", "view", "cart", "purchase"]].values.tolist() == [["A", 1, 1, 0], ["C", 0, 1, 0]]
    assert later["rate_cart"].tolist()[0] == 1.0 and pd.isna(later["rate_cart"].tolist()[1])
    # 9 March: u9 carts C and nobody views anything; every step rate is missing, still a number column (NaN).
    unviewed = funnel.breakdown_table(backend, Scope(SHOP, date(2024, 3, 9), date(2024, 3, 9)), "product")
    assert unviewed[["product", "view", "cart", "purchase"]].values.tolist() == [["C", 0, 1, 0]]
    assert unviewed["rate_cart"].dtype == "float64" and unviewed["rate_cart"].isna().all()
    assert later["rate_purchase"].tolist() == [0.0, 0.0]
    # A period without events: no rows, the same columns.
    empty = funnel.breakdown_table(backend, Scope(SHOP, date(2024, 2, 1), date(2024, 2, 10)), "product")
    assert empty.empty and list(empty.columns) == ["product", *columns[1:]]


def test_the_biggest_drop_skips_a_step_without_a_rate_and_keeps_the_earlier_of_a_tie() -> None:
    stages = ["view", "cart", "purchase"]
    # Nobody viewed, one carted and bought: the first step has no rate, the second is the only drop (none lost).
    gap = funnel.biggest_drop(funnel.funnel_frame({"cart": 1, "purchase": 1}, stages))
    assert gap == funnel.DropOff("cart", "purchase", 1.0, 0)
    # 8 → 4 → 2: both steps keep half; the earlier one is named.
    tie = funnel.biggest_drop(funnel.funnel_frame({"view": 8, "cart": 4, "purchase": 2}, stages))
    assert tie == funnel.DropOff("view", "cart", 0.5, 4)


def test_a_funnel_has_users_when_its_first_stage_has_any(store: Warehouse) -> None:
    load_events(store, LOG)
    backend = store.engine.ibis()
    assert funnel.has_users(funnel.event_funnel(backend, PERIOD))
    assert not funnel.has_users(funnel.event_funnel(backend, Scope(SHOP, date(2024, 2, 1), date(2024, 2, 10))))
    assert funnel.has_users(funnel.funnel_frame({"view": 1}, ["view", "cart"]))  # one viewer, nobody carted
    assert not funnel.has_users(funnel.funnel_frame({"cart": 3}, ["view", "cart"]))  # nobody at its start
    assert not funnel.has_users(None)
    assert not funnel.has_users(pd.DataFrame(columns=funnel.FUNNEL_COLUMNS))
    # An export funnel of a scope without exports is empty, with the funnel's columns.
    nothing = funnel.export_funnel(backend, Scope(SHOP, date(2024, 2, 1), date(2024, 2, 10)))
    assert nothing.empty and list(nothing.columns) == funnel.FUNNEL_COLUMNS


def test_the_comparison_s_days_are_counted_from_its_own_source(store: Warehouse) -> None:
    # The log's events in 1–10 March fall on 1, 2, 3, 4 and 9 March (5 days); February has none.
    load_events(store, LOG)
    backend = store.engine.ibis()
    february = Scope(SHOP, date(2024, 2, 20), date(2024, 2, 29))
    coverage = funnel.comparison_coverage(backend, february, PERIOD, funnel.EVENTS)
    assert (coverage.current_days, coverage.comparison_days, coverage.comparison_length) == (0, 5, 10)
    # A comparison without both ends has no length to cover.
    open_ended = funnel.comparison_coverage(backend, PERIOD, Scope(SHOP, date(2024, 3, 1)), funnel.EVENTS)
    assert open_ended.comparison_length == 0


def test_the_behaviour_log_report_by_day_and_a_breakdown_only_exports_have(store: Warehouse) -> None:
    load_events(store, LOG)
    backend = store.engine.ibis()
    by_day = {(r["day"], r["stage"]): r["users"] for r in funnel.report_records(backend, PERIOD, None, by="day")}
    # Distinct users per day: 1 March views u1 u2 u3 u9, cart u1, purchases u1 u2; 2 March views u4 u5, cart and
    # purchase u4, favourite u5; 3 March u3 carts and buys; 4 March u6 views and carts; 9 March u9 carts.
    assert by_day == {
        **{(date(2024, 3, 1), s): n for s, n in (("view", 4), ("cart", 1), ("purchase", 2))},
        **{(date(2024, 3, 2), s): n for s, n in (("view", 2), ("cart", 1), ("purchase", 1), ("favorite", 1))},
        **{(date(2024, 3, 3), s): n for s, n in (("view", 0), ("cart", 1), ("purchase", 1))},
        **{(date(2024, 3, 4), s): n for s, n in (("view", 1), ("cart", 1), ("purchase", 0))},
        **{(date(2024, 3, 9), s): n for s, n in (("view", 0), ("cart", 1), ("purchase", 0))},
    }
    # 二级来源 is a column of the traffic exports; a behaviour log has no such column.
    with pytest.raises(ShopdataError) as refused:
        funnel.report_records(backend, PERIOD, None, by="source_2")
    assert refused.value.message == "the event funnel cannot be broken down by 'source_2'"
    assert refused.value.hint == "choose one of source, product, category, device, source_1, platform, day, week, month"


# ---- a stage an export does not state is unknown, not 0 (生意参谋 shows "-" for a source's small figures)

# 1 March: 手淘搜索 200 visitors / 30 carts / 6 buyers; 直通车 50 visitors, carts "-", 5 buyers. The whole funnel has
# cart users (手淘搜索 states them), so the stage stays; 直通车's carts are unknown.
UNSTATED = [tmall(MAR_1, "手淘搜索", 1, 200, None, 30, None, 6), tmall(MAR_1, "直通车", 1, 50, None, None, None, 5)]


def test_a_source_whose_export_does_not_state_a_stage_has_it_unknown_not_zero(store: Warehouse) -> None:
    backend = load_exports(store, UNSTATED, "Dash")
    table = funnel.export_breakdown_table(backend, Scope("Dash", MAR_1, MAR_1), "source").set_index("source")
    stated, dash = table.loc["手淘搜索"], table.loc["直通车"]
    assert (stated["visitors"], stated["cart_users"], stated["buyers"]) == (200, 30, 6)
    assert stated["rate_cart_users"] == pytest.approx(30 / 200) and stated["rate_buyers"] == pytest.approx(6 / 30)
    assert (dash["visitors"], dash["buyers"]) == (50, 5)
    # Not 0 carts (which would read "no one added to cart, then 5 bought"): unknown, and so both rates around it.
    assert pd.isna(dash["cart_users"]) and pd.isna(dash["rate_cart_users"]) and pd.isna(dash["rate_buyers"])
    assert dash["conversion"] == pytest.approx(5 / 50)  # buyers ÷ visitors: both stated
    # The report by source (stages named view, cart, purchase) says the same: null, not 0.
    records = funnel.report_records(backend, Scope("Dash", MAR_1, MAR_1), None, by="source")
    dash_records = {r["stage"]: r for r in records if r["source"] == "直通车"}
    assert dash_records["cart"]["users"] is None and dash_records["cart"]["rate_from_previous"] is None
    assert dash_records["purchase"]["users"] == 5 and dash_records["purchase"]["rate_from_previous"] is None
    assert dash_records["purchase"]["rate_from_start"] == pytest.approx(5 / 50)


def test_a_comparison_period_without_a_stage_has_it_unknown_not_zero(store: Warehouse) -> None:
    # The current period (1 March) states cart users; the comparison (28 February) does not: 100 visitors, 4 buyers.
    backend = load_exports(store, [*UNSTATED, tmall(FEB_28, "手淘搜索", 1, 100, None, None, None, 4)], "Dash")
    stages = funnel.export_stages(backend, Scope("Dash", MAR_1, MAR_1))
    assert stages == ["visitors", "cart_users", "buyers"]
    before = funnel.export_funnel(backend, Scope("Dash", FEB_28, FEB_28), stages).set_index("stage")
    assert before.loc["visitors", "users"] == 100 and before.loc["buyers", "users"] == 4
    assert pd.isna(before.loc["cart_users", "users"]) and pd.isna(before.loc["cart_users", "rate_from_previous"])
    assert pd.isna(before.loc["buyers", "rate_from_previous"])
    assert before.loc["buyers", "rate_from_start"] == pytest.approx(4 / 100)
    # The stage table's change for carts is unknown too (not −100 %).
    now = funnel.export_funnel(backend, Scope("Dash", MAR_1, MAR_1), stages)
    compared = funnel.compare_frames(now, before.reset_index()).set_index("stage")
    assert pd.isna(compared.loc["cart_users", "change"])
    assert compared.loc["visitors", "change"] == pytest.approx(250 / 100 - 1)  # 100 → 250 visitors


def test_a_behaviour_log_stage_without_events_is_still_nobody(store: Warehouse) -> None:
    # In a behaviour log no event is no one: a funnel of views with no carts has 0 at cart, not unknown.
    frame = funnel.funnel_frame({"view": 4, "purchase": 1}, ["view", "cart", "purchase"])
    assert list(frame["users"]) == [4, 0, 1]
    assert frame["rate_from_previous"].iloc[1] == 0.0 and pd.isna(frame["rate_from_previous"].iloc[2])


# ---- the store's figure for a stage some of its visitors' rows leave unstated is unknown too: SQL's SUM skips an
# empty cell, so the store would count 手淘搜索's 30 carts against 250 visitors (12 %, "220 are lost") while 直通车's
# 50 visitors' carts are not known.

MAR_2 = date(2024, 3, 2)


def test_the_store_funnel_does_not_count_a_stage_against_visitors_whose_rows_leave_it_unstated(
    store: Warehouse,
) -> None:
    backend = load_exports(store, UNSTATED, "Dash")
    day = Scope("Dash", MAR_1, MAR_1)
    frame = funnel.export_funnel(backend, day).set_index("stage")
    assert frame.loc["visitors", "users"] == 250 and frame.loc["buyers", "users"] == 5 + 6
    assert pd.isna(frame.loc["cart_users", "users"]) and pd.isna(frame.loc["cart_users", "rate_from_start"])
    assert pd.isna(frame.loc["buyers", "rate_from_previous"])  # buyers ÷ an unknown number of carts
    assert frame.loc["buyers", "rate_from_start"] == pytest.approx(11 / 250)
    # No step with both ends known: no biggest drop ("220 are lost" was not known).
    assert funnel.biggest_drop(frame.reset_index()) is None
    assert funnel.unstated_stages(backend, day) == [
        funnel.Unstated("cart_users", visitors=50, sources=("直通车",), days=0, stated=30)
    ]
    daily = funnel.daily_export_conversion(backend, day).set_index("date")
    assert pd.isna(daily.loc[MAR_1, "cart_users"]) and pd.isna(daily.loc[MAR_1, "cart_rate"])
    assert daily.loc[MAR_1, "purchase_rate"] == pytest.approx(11 / 250)
    # The report of the whole store, and by day, week and platform, the same.
    for by, key in ((None, None), ("day", MAR_1), ("week", date(2024, 2, 26)), ("platform", "tmall")):
        records = {r["stage"]: r for r in funnel.report_records(backend, day, None, by=by) if r.get(by) == key}
        assert records["cart"]["users"] is None and records["purchase"]["users"] == 11, by
        assert records["purchase"]["rate_from_start"] == pytest.approx(11 / 250), by


def test_a_source_that_leaves_a_stage_unstated_on_one_day_has_it_unknown_for_the_period(store: Warehouse) -> None:
    # 1 March 手淘搜索 200 / 30 / 6, 直通车 50 / 10 / 5; 2 March 手淘搜索 100 / 20 / 2, 直通车 40 / "-" / 1.
    rows = [
        tmall(MAR_1, "手淘搜索", 1, 200, None, 30, None, 6),
        tmall(MAR_1, "直通车", 1, 50, None, 10, None, 5),
        tmall(MAR_2, "手淘搜索", 1, 100, None, 20, None, 2),
        tmall(MAR_2, "直通车", 1, 40, None, None, None, 1),
    ]
    backend = load_exports(store, rows, "Dash")
    both = Scope("Dash", MAR_1, MAR_2)
    frame = funnel.export_funnel(backend, both).set_index("stage")
    assert (frame.loc["visitors", "users"], frame.loc["buyers", "users"]) == (390, 14)
    assert pd.isna(frame.loc["cart_users", "users"])  # not 60 of 390
    assert funnel.unstated_stages(backend, both) == [
        funnel.Unstated("cart_users", visitors=40, sources=("直通车",), days=0, stated=60)
    ]
    # By source: 直通车's carts are its 1 March 10 and an unknown number on 2 March, not 10 of 90 visitors.
    table = funnel.export_breakdown_table(backend, both, "source").set_index("source")
    assert (table.loc["手淘搜索", "visitors"], table.loc["手淘搜索", "cart_users"]) == (300, 50)
    assert table.loc["手淘搜索", "rate_buyers"] == pytest.approx(8 / 50)
    assert table.loc["直通车", "visitors"] == 90 and pd.isna(table.loc["直通车", "cart_users"])
    assert pd.isna(table.loc["直通车", "rate_buyers"]) and table.loc["直通车", "conversion"] == pytest.approx(6 / 90)
    # Each day on its own: 1 March is known (40 of 250), 2 March is not.
    daily = funnel.daily_export_conversion(backend, both).set_index("date")
    assert daily.loc[MAR_1, "cart_users"] == 40 and daily.loc[MAR_1, "cart_rate"] == pytest.approx(40 / 250)
    assert pd.isna(daily.loc[MAR_2, "cart_users"]) and daily.loc[MAR_2, "purchase_rate"] == pytest.approx(3 / 140)
    by_day = {(r["day"], r["stage"]): r["users"] for r in funnel.report_records(backend, both, None, by="day")}
    assert by_day[(MAR_1, "cart")] == 40 and by_day[(MAR_2, "cart")] is None
    # 1 March alone has nothing unknown.
    first = Scope("Dash", MAR_1, MAR_1)
    assert funnel.export_funnel(backend, first).set_index("stage").loc["cart_users", "users"] == 40
    assert funnel.unstated_stages(backend, first) == []


def test_a_day_on_which_no_row_states_a_stage_leaves_the_period_unknown(store: Warehouse) -> None:
    # 手淘搜索 only: 1 March 200 / 30 / 6, 2 March 100 / "-" / 2. The stage stays (1 March states it).
    rows = [tmall(MAR_1, "手淘搜索", 1, 200, None, 30, None, 6), tmall(MAR_2, "手淘搜索", 1, 100, None, None, None, 2)]
    backend = load_exports(store, rows, "Dash")
    both = Scope("Dash", MAR_1, MAR_2)
    assert funnel.export_stages(backend, both) == ["visitors", "cart_users", "buyers"]
    assert pd.isna(funnel.export_funnel(backend, both).set_index("stage").loc["cart_users", "users"])  # not 30 of 300
    assert funnel.unstated_stages(backend, both) == [
        funnel.Unstated("cart_users", visitors=100, sources=(), days=1, stated=30)
    ]
    by_month = {r["stage"]: r["users"] for r in funnel.report_records(backend, both, None, by="month")}
    assert by_month["cart"] is None and by_month["view"] == 300


def test_a_total_row_that_states_the_stage_keeps_the_store_figure(store: Warehouse) -> None:
    # A 全店 row above the sources states 35 carts of 250 visitors; 直通车's own carts are still "-".
    total = tmall(MAR_1, None, None, 250, None, 35, None, 11) | {"source_2": None}
    backend = load_exports(store, [total, *UNSTATED], "Dash")
    day = Scope("Dash", MAR_1, MAR_1)
    frame = funnel.export_funnel(backend, day).set_index("stage")
    assert frame.loc["cart_users", "users"] == 35 and frame.loc["cart_users", "rate_from_start"] == pytest.approx(0.14)
    assert funnel.unstated_stages(backend, day) == []
    table = funnel.export_breakdown_table(backend, day, "source").set_index("source")
    assert table.loc["手淘搜索", "cart_users"] == 30 and pd.isna(table.loc["直通车", "cart_users"])
