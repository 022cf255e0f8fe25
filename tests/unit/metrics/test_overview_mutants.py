"""What the overview says of a store's orders — their daily series and why revenue changed, in words — which no
overview test varied until a mutation run (`make mutation MODULES=overview`) changed it unnoticed. Values worked
out by hand, on DuckDB and PostgreSQL."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from shopdata.errors import ReportError
from shopdata.metrics import cache, overview
from shopdata.metrics.query import Scope
from shopdata.store import BatchInfo, Warehouse
from tests.unit.metrics.test_orders_mutants import paid_order
from tests.unit.metrics.test_overview import D1, D3, D4, campaign, src
from tests.unit.metrics.test_query import load, rows


def test_the_trend_s_orders_count_zero_between_the_first_and_last_order_and_are_unknown_outside(
    store: Warehouse,
) -> None:
    # S's orders: 2 March one paid (10), 5 March two paid (20) and one unpaid; another store's on 8 March.
    # 1–10 March: 2–5 March are covered by S's order exports (3 and 4 March: no order, zero); 1 March and
    # 6–10 March lie outside them (unknown, not zero).
    load(
        store,
        "orders",
        [
            paid_order("A", "a", datetime(2024, 3, 2, 9)),
            paid_order("B", "b", datetime(2024, 3, 5, 9)),
            paid_order("C", "c", datetime(2024, 3, 5, 10)),
            paid_order("D", "d", datetime(2024, 3, 5, 11), paid=False),
        ],
        "web-orders",
    )
    # S's traffic report covers 1 and 9 March: it says nothing of orders on those days.
    visits = [dict(platform="webshop", grain="shop", date=date(2024, 3, d), end_date=date(2024, 3, d), visitors=100.0)
              for d in (1, 9)]  # fmt: skip
    load(store, "traffic", visits, "web-traffic")
    other = rows("orders", [paid_order("X", "x", datetime(2024, 3, 8, 9))], "other")
    store.load(BatchInfo("T", "other", "other", 1, "webshop", "orders", "other", {}), other)
    expected = [math.nan, 10.0, 0.0, 0.0, 20.0, *[math.nan] * 5], [math.nan, 1.0, 0.0, 0.0, 2.0, *[math.nan] * 5]
    scope = Scope("S", date(2024, 3, 1), date(2024, 3, 10))
    for backend in (store.engine.ibis(), cache.source(store)):
        trend = overview.trend(backend, scope, None)
        assert [d.date() for d in trend["period_date"]] == [date(2024, 3, d) for d in range(1, 11)]
        assert trend["visitors"].fillna(-1).tolist() == [100.0, *[-1.0] * 7, 100.0, -1.0]
        for column, values in zip(("order_revenue", "paid_orders"), expected, strict=True):
            got = trend[column].tolist()
            assert [None if math.isnan(v) else v for v in got] == [None if math.isnan(v) else v for v in values]
    # A period the orders do not reach at all: no order figures, not zeros.
    for backend in (store.engine.ibis(), cache.source(store)):
        later = overview.trend(backend, Scope("S", date(2024, 3, 20), date(2024, 3, 22)), None)
        assert later["order_revenue"].isna().all() and later["paid_orders"].isna().all()
    cache.RESULTS.clear()


def orders_in(day: int, month: int, count: int, each: float) -> list[dict]:
    return [
        paid_order(f"{month}-{day}-{n}", f"buyer-{month}-{n}", datetime(2024, month, day, 9 + n), amount=each)
        for n in range(count)
    ]


FEBRUARY, MARCH = Scope("S", date(2024, 2, 1), date(2024, 2, 29)), Scope("S", date(2024, 3, 1), date(2024, 3, 31))


@pytest.mark.parametrize(
    ("february", "march", "parts", "sentences"),
    [
        # 2 orders of 10 → 3 of 15: revenue 20 → 45. LMDI: L(45, 20) = 25 / ln 2.25 and ln 1.5 = ½ ln 2.25, so
        # each factor explains half of the 25.
        ((2, 10.0), (3, 15.0), (12.5, 12.5), (
            "Revenue rose ¥25.00: more paid orders +¥12.50, higher average order value +¥12.50.",
            "销售额增加 ¥25.00：支付订单增加 +¥12.50，笔单价提高 +¥12.50。",
        )),
        # 2 of 10 → 4 of 5: revenue 20 both times; L(20, 20) = 20, ± 20 ln 2 = 13.86.
        ((2, 10.0), (4, 5.0), (13.86, -13.86), (
            "Revenue did not change: more paid orders +¥13.86, lower average order value −¥13.86.",
            "销售额没有变化：支付订单增加 +¥13.86，笔单价降低 −¥13.86。",
        )),
        # 2 of 15 → 2 of 10: the orders stayed, 30 → 20 is all the order value.
        ((2, 15.0), (2, 10.0), (0.0, -10.0), (
            "Revenue fell ¥10.00: same paid orders +¥0.00, lower average order value −¥10.00.",
            "销售额减少 ¥10.00：支付订单持平 +¥0.00，笔单价降低 −¥10.00。",
        )),
    ],
)  # fmt: skip
def test_a_store_with_orders_alone_splits_its_revenue_change_into_orders_and_order_value(
    store: Warehouse, february, march, parts, sentences
) -> None:
    load(store, "orders", orders_in(10, 2, *february) + orders_in(10, 3, *march), "web-orders")
    for backend in (store.engine.ibis(), cache.source(store)):
        result = overview.revenue_decomposition(backend, MARCH, FEBRUARY)
        assert (result.formula, result.method) == ("orders", "lmdi")
        assert (result.revenue_previous, result.revenue) == (february[0] * february[1], march[0] * march[1])
        assert result.factors == {"paid_orders": (february[0], march[0]), "order_aov": (february[1], march[1])}
        assert [round(v, 2) for v in result.contributions.values()] == list(parts)
        assert list(result.contributions) == ["paid_orders", "order_aov"]
        for language, sentence in zip(("en", "zh"), sentences, strict=True):
            assert overview.decomposition_sentence(result, "CNY", language) == sentence
    assert (
        overview.revenue_decomposition(store.engine.ibis(), MARCH, Scope("S", date(2024, 1, 1), date(2024, 1, 31)))
        is None
    )
    cache.RESULTS.clear()


def test_a_factor_or_a_revenue_at_zero_is_split_by_substitution_not_logarithms() -> None:
    # Conversion 0 → 2 % (a traffic report that states revenue without buyers the period before): logarithms of
    # 0 do not exist. Visitors swapped in first (100 × 0 × 50 = 0), then conversion (100 × 0.02 × 50 = 100).
    result = overview.decompose(
        10.0, 100.0, {"visitors": 100.0, "conversion_rate": 0.0, "aov": 50.0},
        {"visitors": 100.0, "conversion_rate": 0.02, "aov": 50.0},
    )  # fmt: skip
    assert result.method == "sequential"
    assert result.contributions == pytest.approx({"visitors": -10.0, "conversion_rate": 100.0, "aov": 0.0})
    # Small but positive revenues are split by logarithms: L(2, 0.5) ln 2 = 1.5 / ln 4 × ln 2 = 0.75 each.
    small = overview.decompose(
        0.5, 2.0, {"paid_orders": 1.0, "order_aov": 0.5}, {"paid_orders": 2.0, "order_aov": 1.0}, "orders"
    )
    assert small.method == "lmdi" and small.contributions == pytest.approx({"paid_orders": 0.75, "order_aov": 0.75})
    # And back down to 0.5: −0.75 each (sequential substitution would say −1.00 and −0.50).
    down = overview.decompose(
        2.0, 0.5, {"paid_orders": 2.0, "order_aov": 1.0}, {"paid_orders": 1.0, "order_aov": 0.5}, "orders"
    )
    assert down.method == "lmdi" and down.contributions == pytest.approx({"paid_orders": -0.75, "order_aov": -0.75})
    assert (overview.signed_money(0.5, "CNY"), overview.signed_money(0.0, "CNY")) == ("+¥0.50", "+¥0.00")


def shop_day(day: date, **measures: float) -> dict:
    """One day of a webshop's shop-level traffic report in CNY, stating only `measures`."""
    return dict(platform="webshop", grain="shop", currency="CNY", date=day, end_date=day, **measures)


# ---- `report overview`, records beside the report, movers: the branches the first run found untested ----------


def sources_and_ads(store: Warehouse) -> None:
    """3–4 March. Tmall: 淘内免费 150 visitors / 3 buyers / ¥450 (its child 手淘搜索 the same: one level counts),
    付费推广 90 / 4 / ¥480; JD: 京东搜索 40 / 2 / ¥120. 万相台: A ¥80 → ¥320, C ¥30 → ¥90."""
    load(store, "traffic", [
        src(D3, 1, "淘内免费", None, 150, 3, 450), src(D3, 2, "淘内免费", "手淘搜索", 150, 3, 450),
        src(D4, 1, "付费推广", None, 90, 4, 480),
    ], "sycm")  # fmt: skip
    load(store, "traffic", [src(D3, 1, "京东搜索", None, 40, 2, 120, "jd")], "jd")
    load(store, "ads", [campaign(D3, "A", 80, 320), campaign(D4, "C", 30, 90)], "wxt")


def test_a_report_by_platform_or_campaign_without_a_comparison_is_the_period_alone(store: Warehouse) -> None:
    sources_and_ads(store)
    now = Scope("S", D3, D4, "CNY")
    records = overview.report_records(store.engine.ibis(), now, None, by="platform")
    assert all(r["previous"] is None and r["change"] is None for r in records)
    found = {(r["platform"], r["metric"]): r["value"] for r in records}
    # Traffic's KPIs per platform in platform order, then the ads' (only Tmall has ads).
    assert list(dict.fromkeys(found)) == [
        *[("jd", m) for m in ("revenue", "visitors", "buyers", "orders", "conversion_rate", "aov")],
        *[("tmall", m) for m in ("revenue", "visitors", "buyers", "orders", "conversion_rate", "aov")],
        ("tmall", "spend"), ("tmall", "roas"),
    ]  # fmt: skip
    assert found == {
        ("jd", "revenue"): 120.0, ("jd", "visitors"): 40.0, ("jd", "buyers"): 2.0, ("jd", "orders"): None,
        ("jd", "conversion_rate"): pytest.approx(2 / 40), ("jd", "aov"): 60.0,
        ("tmall", "revenue"): 930.0, ("tmall", "visitors"): 240.0, ("tmall", "buyers"): 7.0, ("tmall", "orders"): None,
        ("tmall", "conversion_rate"): pytest.approx(7 / 240), ("tmall", "aov"): pytest.approx(930 / 7),
        ("tmall", "spend"): 110.0, ("tmall", "roas"): pytest.approx(410 / 110),
    }  # fmt: skip
    campaigns = overview.report_records(store.engine.ibis(), now, None, by="campaign")
    assert [(r["campaign"], r["metric"], r["value"]) for r in campaigns] == [
        ("A", "spend", 80.0), ("A", "roas", 4.0), ("C", "spend", 30.0), ("C", "roas", 3.0),
    ]  # fmt: skip


def test_a_report_by_month_numbers_the_months_across_a_new_year(store: Warehouse) -> None:
    # Revenue 20 and 31 December ¥100 + ¥50, 5 January ¥70, 2 February ¥30; the period starts 15 December, so
    # its first month starts there and the next ones on the 1st.
    days = {date(2023, 12, 20): 100.0, date(2023, 12, 31): 50.0, date(2024, 1, 5): 70.0, date(2024, 2, 2): 30.0}
    shop = [shop_day(d, revenue=r, visitors=10.0) for d, r in days.items()]
    load(store, "traffic", shop, "web-traffic")
    scope = Scope("S", date(2023, 12, 15), date(2024, 2, 10))
    records = overview.report_records(store.engine.ibis(), scope, None, by="month")
    revenue = {r["date"]: r["value"] for r in records if r["metric"] == "revenue"}
    assert revenue == {"2023-12-15": 150.0, "2024-01-01": 70.0, "2024-02-01": 30.0}
    assert {r["date"]: r["value"] for r in records if r["metric"] == "visitors"} == dict.fromkeys(revenue, None) | {
        "2023-12-15": 20.0, "2024-01-01": 10.0, "2024-02-01": 10.0,
    }  # fmt: skip
    # A bucket's first day needs the period's: the guard says so instead of numbering from nowhere.
    for build in (lambda: overview._bucket_day(Scope("S"), "month", 1),
                  lambda: overview._buckets(store.engine.ibis(), "traffic", ["revenue"], Scope("S"), "day")):  # fmt: skip
        with pytest.raises(ValueError, match=r"^buckets are numbered from the period's first day; the scope has none$"):
            build()


def test_the_report_of_a_store_with_orders_alone_takes_its_cards_from_the_orders(store: Warehouse) -> None:
    # February: 2 orders of ¥10 by two buyers; March: 3 of ¥15 by three buyers. No traffic or ad report.
    load(store, "orders", orders_in(10, 2, 2, 10.0) + orders_in(10, 3, 3, 15.0), "web-orders")
    records = overview.report_records(store.engine.ibis(), MARCH, FEBRUARY)
    found = {r["metric"]: (r["value"], r["previous"], r["change"], r["source"]) for r in records}
    assert found == {
        "revenue": (45.0, 20.0, pytest.approx(1.25), "orders"),
        "visitors": (None, None, None, "traffic"),
        "buyers": (3.0, 2.0, pytest.approx(0.5), "orders"),
        "orders": (3.0, 2.0, pytest.approx(0.5), "orders"),
        "conversion_rate": (None, None, None, "traffic"),
        "aov": (15.0, 10.0, pytest.approx(0.5), "orders"),  # per order: the orders' 口径
        "spend": (None, None, None, "ads"),
        "roas": (None, None, None, "ads"),
    }
    alone = {r["metric"]: (r["value"], r["previous"], r["change"]) for r in overview.report_records(
        store.engine.ibis(), MARCH, None)}  # fmt: skip
    assert alone["revenue"] == (45.0, None, None)
    cache.RESULTS.clear()


def test_an_unknown_breakdown_is_refused_with_the_ones_there_are(store: Warehouse) -> None:
    with pytest.raises(ReportError) as refused:
        overview.report_records(store.engine.ibis(), MARCH, None, by="hour")
    assert str(refused.value) == (
        "report: the overview report breaks down by day, week, month, platform, product, source_1, source_2, "
        "campaign, ad_group, keyword, not 'hour'"
    )


def test_the_days_the_report_and_the_orders_cover_are_counted_apart(store: Warehouse) -> None:
    # Traffic report on 1, 2, 3 and 5 March (¥100 each, 20 visitors); paid orders on 2 March (¥30) and 4 March
    # (¥50): the order export covers 2–4 March (3 days, 3 March at zero).
    shop = [shop_day(date(2024, 3, d), revenue=100.0, visitors=20.0, buyers=2.0) for d in (1, 2, 3, 5)]
    load(store, "traffic", shop, "web-traffic")
    load(store, "orders", [paid_order("A", "a", datetime(2024, 3, 2, 9), amount=30.0),
                           paid_order("B", "b", datetime(2024, 3, 4, 9), amount=50.0)], "web-orders")  # fmt: skip
    # The week before has a report day of its own (¥999): the comparison the page draws.
    load(store, "traffic", [shop_day(date(2024, 2, 25), revenue=999.0, visitors=50.0, buyers=5.0)], "web-feb")
    week = Scope("S", date(2024, 3, 1), date(2024, 3, 7))
    beside = overview.records_beside(store.engine.ibis(), week)
    assert beside.report_days == overview.DaysCovered(4, date(2024, 3, 1), date(2024, 3, 5))
    assert beside.order_days == overview.DaysCovered(3, date(2024, 3, 2), date(2024, 3, 4))
    assert not beside.same_days
    assert {b.card: (b.report, b.records) for b in beside.figures} == {
        "revenue": (400.0, 80.0), "orders": (None, 2.0), "buyers": (8.0, 2.0), "aov": (50.0, 40.0),
    }  # fmt: skip
    # Read beside the page's trend and cards, which lay the week before on this one: the same figures and days
    # (the comparison's report day is not this week's).
    before = week.shifted(date(2024, 2, 23), date(2024, 2, 29))
    assert overview.records_beside(store.engine.ibis(), week, before, before) == beside
    assert overview.records_beside(store.engine.ibis(), week, before, None) == beside
    # A day with a report row that states neither revenue nor visitors is not a day the report covers.
    cache.RESULTS.clear()
    load(store, "traffic", [shop_day(date(2024, 3, 9), orders=3.0)], "web-sales")
    load(store, "orders", [paid_order("C", "c", datetime(2024, 3, 9, 9), amount=25.0)], "web-orders-9")
    ninth = overview.records_beside(store.engine.ibis(), Scope("S", date(2024, 3, 9), date(2024, 3, 9)))
    assert ninth.report_days == overview.DaysCovered(0, None, None)
    assert ninth.order_days == overview.DaysCovered(1, date(2024, 3, 9), date(2024, 3, 9))
    cache.RESULTS.clear()


def ad(day: date, name: str, spend: float | None, revenue: float) -> dict:
    return campaign(day, name, spend, revenue) | {"spend": spend}  # type: ignore[arg-type]


def test_campaign_movers_count_a_missing_period_as_zero_leave_the_unchanged_out_and_break_ties_by_name(
    store: Warehouse,
) -> None:
    # Spend on 1 March → 3 March. Aardvark states no spend either time (ad revenue only): not ranked, and the
    # rows after it keep their own figures. Beta did not change (left out); Alpha moved by exactly ¥1 (kept).
    # Delta stopped (¥7 → nothing = −7), Gamma started (nothing → ¥3, no percentage); Echo and Zulu both moved
    # ¥2: by name.
    before = {"Aardvark": None, "Alpha": 10.0, "Beta": 5.0, "Delta": 7.0, "Echo": 6.0, "Zulu": 4.0}
    now = {"Aardvark": None, "Alpha": 11.0, "Beta": 5.0, "Echo": 4.0, "Gamma": 3.0, "Zulu": 6.0}
    load(store, "ads", [ad(D1, n, s, 50.0) for n, s in before.items()]
         + [ad(D3, n, s, 60.0) for n, s in now.items()], "wxt")  # fmt: skip
    frame = overview.movers(store.engine.ibis(), Scope("S", D3, D3, "CNY"), Scope("S", D1, D1, "CNY"), "campaigns")
    assert list(frame["campaign"]) == ["Delta", "Gamma", "Echo", "Zulu", "Alpha"]
    assert list(frame["spend_previous"]) == [7.0, 0.0, 6.0, 4.0, 10.0]
    assert list(frame["spend"]) == [0.0, 3.0, 4.0, 6.0, 11.0]
    assert list(frame["spend_change"]) == [-7.0, 3.0, -2.0, 2.0, 1.0]
    pct = frame["spend_change_pct"].tolist()
    assert pct[0] == -1.0 and math.isnan(pct[1]) and pct[2:] == pytest.approx([-1 / 3, 0.5, 0.1])
    assert list(frame["ad_revenue_change"]) == [-50.0, 60.0, 10.0, 10.0, 10.0]


def test_movers_of_campaigns_all_new_have_no_percentages_as_numbers_not_objects(store: Warehouse) -> None:
    # 1 March: Old spent ¥0; 3 March: Old ¥0 again and New ¥5. Nothing had a spend before: no percentage at all.
    load(store, "ads", [ad(D1, "Old", 0.0, 0.0), ad(D3, "Old", 0.0, 0.0), ad(D3, "New", 5.0, 9.0)], "wxt")
    frame = overview.movers(store.engine.ibis(), Scope("S", D3, D3, "CNY"), Scope("S", D1, D1, "CNY"), "campaigns")
    assert list(frame["campaign"]) == ["New"]
    assert frame["spend_change_pct"].dtype == "float64" and frame["spend_change_pct"].isna().all()


def test_source_movers_of_a_report_without_sources_are_none(store: Warehouse) -> None:
    # Both periods have a shop-level traffic report and no source rows: nothing to rank, no error.
    shop = [shop_day(d, revenue=100.0, visitors=20.0) for d in (D1, D3)]
    load(store, "traffic", shop, "web-traffic")
    now, before = Scope("S", D3, D3, "CNY"), Scope("S", D1, D1, "CNY")
    assert overview.movers(store.engine.ibis(), now, before, "sources").empty
    assert overview.movers_basis(store.engine.ibis(), now, before, "sources").compared == 0


def test_a_report_whose_factors_cannot_account_for_its_revenue_is_split_from_the_orders_or_not_at_all(
    store: Warehouse,
) -> None:
    # A shop report with visitors and revenue and no buyers: February 100 visitors / ¥10, March 200 / ¥20.
    # Conversion and 客单价 are unknown both times: the report cannot say what the doubled visitors explain.
    report = [shop_day(d, visitors=v, revenue=r) for d, v, r in ((date(2024, 2, 10), 100.0, 10.0),
                                                                  (date(2024, 3, 10), 200.0, 20.0))]  # fmt: skip
    load(store, "traffic", report, "web-traffic")
    assert overview.revenue_decomposition(store.engine.ibis(), MARCH, FEBRUARY) is None
    # With the order export in both periods (2 orders of ¥10 → 3 of ¥15) its revenue is split instead.
    load(store, "orders", orders_in(10, 2, 2, 10.0) + orders_in(10, 3, 3, 15.0), "web-orders")
    cache.RESULTS.clear()
    result = overview.revenue_decomposition(store.engine.ibis(), MARCH, FEBRUARY)
    assert (result.formula, result.revenue_previous, result.revenue) == ("orders", 20.0, 45.0)
    assert result.contributions == pytest.approx({"paid_orders": 12.5, "order_aov": 12.5})
    cache.RESULTS.clear()


@pytest.mark.parametrize(
    ("parts", "sentences"),
    [
        ((0.5, 0.0), ("Revenue rose ¥0.50: more paid orders +¥0.50, same average order value +¥0.00.",
                      "销售额增加 ¥0.50：支付订单增加 +¥0.50，笔单价持平 +¥0.00。")),
        ((-0.5, 0.0), ("Revenue fell ¥0.50: fewer paid orders −¥0.50, same average order value +¥0.00.",
                       "销售额减少 ¥0.50：支付订单减少 −¥0.50，笔单价持平 +¥0.00。")),
    ],
)  # fmt: skip
def test_a_change_under_one_unit_of_money_still_has_its_direction(parts, sentences) -> None:
    change = sum(parts)
    result = overview.Decomposition(
        10.0, 10.0 + change, {"paid_orders": (1.0, 1.0), "order_aov": (10.0, 10.0)},
        dict(zip(("paid_orders", "order_aov"), parts, strict=True)), "sequential", "orders",
    )  # fmt: skip
    for language, sentence in zip(("en", "zh"), sentences, strict=True):
        assert overview.decomposition_sentence(result, "CNY", language) == sentence


def test_a_comparison_whose_orders_state_no_money_has_no_order_split(store: Warehouse) -> None:
    # February: one paid order from an export without amounts (order revenue unknown); March: 3 paid of ¥15.
    moneyless = paid_order("F", "f", datetime(2024, 2, 10, 9)) | {"amount": None, "paid_amount": None}
    load(store, "orders", [moneyless, *orders_in(10, 3, 3, 15.0)], "web-orders")
    backend = store.engine.ibis()
    assert overview.order_kpis(backend, FEBRUARY, None)[0].value is None  # the revenue card: unknown, not ¥0
    assert overview.revenue_decomposition(backend, MARCH, FEBRUARY) is None
    cache.RESULTS.clear()
