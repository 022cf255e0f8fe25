"""Promotion metrics on small hand-made ad tables, on DuckDB and PostgreSQL (the `store` fixture).

The rows (store "Shop", 2024-03-01 and 03-02):
  amazon  D1  campaign     A  impr 1000 clicks 50 spend 100 conv 5 rev 400   14d
  amazon  D1  search_term  A  serum  impr 600 clicks 30 spend 60 conv 3 rev 250   (the same spend as
  amazon  D1  search_term  A  cream  impr 400 clicks 20 spend 40 conv 2 rev 150    campaign A's row)
  amazon  D1  campaign     B  impr  500 clicks  0 spend   0 conv 0 rev   0   14d
  amazon  D1  campaign     C  impr  200 clicks  0 spend  10 conv 0 rev   0    7d
  amazon  D2  campaign     A  impr  800 clicks 40 spend  80 conv 4 rev 480   14d
  tmall   D1  campaign     T1 (ID 9001) impr 2000 clicks 100 spend 200 conv 10 rev 1000
  tmall   D1  product      ID 9001, no name: P1 spend 120 rev 900; P2 spend 80 rev 100 (the same spend as T1)
  meta    D1..D2 (one window row)  ad, campaign ID 916 only: impr 3000 clicks 3 spend 30 conv 2, no revenue
and one row before the period (2024-02-29): amazon campaign A spend 50 rev 100.
"""

from __future__ import annotations

from datetime import date

import ibis.expr.operations as ops
import pandas as pd
import pyarrow as pa
import pytest

from shopdata.engine import connect
from shopdata.errors import ReportError
from shopdata.metrics import cache, promotion
from shopdata.metrics.promotion import Margins
from shopdata.metrics.query import Scope
from shopdata.store import BatchInfo, Warehouse

D0, D1, D2 = date(2024, 2, 29), date(2024, 3, 1), date(2024, 3, 2)
SCOPE = Scope("Shop", D1, D2)
BEFORE = Scope("Shop", date(2024, 2, 28), D0)
EVEN_30 = 1 / 0.30

COLUMNS = (
    "platform",
    "date",
    "end_date",
    "grain",
    "campaign_id",
    "campaign",
    "keyword",
    "search_term",
    "product_id",
    "ad_name",
    "impressions",
    "clicks",
    "spend",
    "conversions",
    "revenue",
    "attribution",
)
ROWS = (
    ("amazon", D1, D1, "campaign", None, "A", None, None, None, None, 1000, 50, 100, 5, 400, "14d"),
    ("amazon", D1, D1, "search_term", None, "A", "serum", "serum", None, None, 600, 30, 60, 3, 250, "14d"),
    ("amazon", D1, D1, "search_term", None, "A", "cream", "cream", None, None, 400, 20, 40, 2, 150, "14d"),
    ("amazon", D1, D1, "campaign", None, "B", None, None, None, None, 500, 0, 0, 0, 0, "14d"),
    ("amazon", D1, D1, "campaign", None, "C", None, None, None, None, 200, 0, 10, 0, 0, "7d"),
    ("amazon", D2, D2, "campaign", None, "A", None, None, None, None, 800, 40, 80, 4, 480, "14d"),
    ("amazon", D0, D0, "campaign", None, "A", None, None, None, None, 300, 10, 50, 1, 100, "14d"),
    ("tmall", D1, D1, "campaign", "9001", "T1", None, None, None, None, 2000, 100, 200, 10, 1000, None),
    ("tmall", D1, D1, "product", "9001", None, None, None, "P1", "精华液", 1200, 60, 120, 7, 900, None),
    ("tmall", D1, D1, "product", "9001", None, None, None, "P2", "面霜", 800, 40, 80, 3, 100, None),
    ("meta", D1, D2, "ad", "916", None, None, None, None, None, 3000, 3, 30, 2, None, None),
)


def load_ads(store: Warehouse, data: dict[str, list], shop: str = "Shop", first_day=D0) -> None:
    """Ad rows (column → values) as one Amazon ad report of `shop` in CNY, covering `first_day` to D2."""
    rows = len(next(iter(data.values())))
    for number in ("impressions", "clicks", "spend", "conversions", "revenue"):
        if number in data:
            data[number] = pa.array([None if v is None else float(v) for v in data[number]], pa.float64())
    data["nk"] = [f"{shop}-{n}" for n in range(rows)]
    data["currency"] = ["CNY"] * rows
    store.load(
        BatchInfo(shop, "ads.csv", f"sha-{shop}", 100, "amazon", "ads", "test", {}, date_from=first_day, date_to=D2),
        pa.table(data),
    )


def load(store: Warehouse, rows=ROWS, shop: str = "Shop") -> None:
    load_ads(store, {c: [r[i] for r in rows] for i, c in enumerate(COLUMNS)}, shop)


@pytest.fixture
def ads(store: Warehouse):
    load(store)
    return store.engine.ibis()


def by_key(frame, *keys) -> dict:
    return {tuple(row[k] for k in keys) if len(keys) > 1 else row[keys[0]]: row for row in frame.to_dict("records")}


def test_kpis_count_overlapping_grains_once(ads) -> None:
    spend, impressions, clicks, conversions, revenue = 420.0, 7500.0, 193.0, 21.0, 1880.0
    values = {k.name: k for k in promotion.kpis(ads, SCOPE, BEFORE)}
    expected = {
        "spend": spend,
        "impressions": impressions,
        "clicks": clicks,
        "ad_conversions": conversions,
        "ad_revenue": revenue,
        "ctr": clicks / impressions,
        "cpc": spend / clicks,
        "cpm": 56.0,
        "cvr": conversions / clicks,
        "cpa": 20.0,
        "roas": revenue / spend,
        "acos": spend / revenue,
    }
    assert list(values) == list(promotion.KPI_METRICS)
    for name, value in expected.items():
        assert values[name].value == pytest.approx(value), name
    assert values["spend"].previous == pytest.approx(50.0)
    assert values["spend"].change == pytest.approx((420 - 50) / 50)
    assert values["roas"].previous == pytest.approx(2.0)


def test_campaign_breakdown_marks_break_even_and_profit(ads) -> None:
    rows = by_key(promotion.breakdown(ads, SCOPE, "campaign", Margins(0.30)), "platform", "campaign")
    assert set(rows) == {("amazon", "A"), ("amazon", "B"), ("amazon", "C"), ("tmall", "T1"), ("meta", "916")}
    a = rows[("amazon", "A")]
    assert (a["spend"], a["clicks"], a["ad_revenue"]) == pytest.approx((180.0, 90.0, 880.0))
    assert a["roas"] == pytest.approx(880 / 180)
    assert a["break_even_roas"] == pytest.approx(EVEN_30)
    assert a["profit"] == pytest.approx(880 * 0.30 - 180)
    assert a["status"] == "above"
    assert a["attribution"] == "14d"
    # The product report's rows carry only the ID 9001: they belong to T1 and are not added to it again.
    t1 = rows[("tmall", "T1")]
    assert (t1["spend"], t1["ad_revenue"], t1["profit"], t1["status"]) == pytest.approx((200.0, 1000.0, 100.0, "above"))
    assert t1["attribution"] is None or t1["attribution"] != t1["attribution"]
    c = rows[("amazon", "C")]
    assert (c["roas"], c["profit"], c["status"], c["attribution"]) == (0.0, pytest.approx(-10.0), "below", "7d")
    meta = rows[("meta", "916")]  # campaign named by its ID; no revenue reported
    assert meta["spend"] == pytest.approx(30.0)
    assert meta["status"] == "unjudged" and meta["profit"] != meta["profit"]


def test_division_by_zero_gives_empty_not_an_error(ads) -> None:
    rows = by_key(promotion.breakdown(ads, SCOPE, "campaign"), "platform", "campaign")
    b, c = rows[("amazon", "B")], rows[("amazon", "C")]
    assert b["ctr"] == 0.0 and c["ctr"] == 0.0
    for name in ("cpc", "cvr", "cpa"):  # no clicks, no conversions
        assert b[name] != b[name] and c[name] != c[name], name
    assert b["roas"] != b["roas"] and b["acos"] != b["acos"]  # no spend, no revenue
    assert c["acos"] != c["acos"]
    assert b["status"] is None and b["profit"] == 0.0


def test_ranking_scale_by_profit_and_cut_by_loss(ads) -> None:
    ranked = promotion.ranking(promotion.breakdown(ads, SCOPE, "campaign", Margins(0.30)))
    assert list(ranked.scale["campaign"]) == ["T1", "A"]  # ROAS 5.0 and 4.89 ≥ 1.25 × 3.33; profit 100, 84
    assert list(ranked.cut["campaign"]) == ["C"]
    assert list(ranked.unjudged["campaign"]) == ["916"]  # meta: spend, no revenue column
    # At 25 %: break-even 4, so A (4.89) is above it but under 1.25 × 4 = 5 and is neither scaled nor cut.
    ranked = promotion.ranking(promotion.breakdown(ads, SCOPE, "campaign", Margins(0.25)))
    assert list(ranked.scale["campaign"]) == ["T1"]
    assert ranked.scale["profit"].iloc[0] == pytest.approx(1000 * 0.25 - 200)
    assert list(ranked.cut["campaign"]) == ["C"]


# Three campaigns on one day: N's export has no revenue column (revenue NULL), Z reported revenue 0, P pays.
VERDICT_ROWS = (
    ("meta", D1, D1, "campaign", None, "N", None, None, None, None, 900, 9, 50, 1, None, None),
    ("meta", D1, D1, "campaign", None, "N", None, None, None, None, 100, 1, 25, 0, None, None),
    ("amazon", D1, D1, "campaign", None, "Z", None, None, None, None, 500, 5, 20, 0, 0, "14d"),
    ("amazon", D1, D1, "campaign", None, "P", None, None, None, None, 700, 7, 40, 4, 400, "14d"),
)


def test_revenue_never_reported_is_unjudged_not_paying_or_cut(store: Warehouse) -> None:
    load(store, VERDICT_ROWS)
    backend = store.engine.ibis()
    frame = promotion.breakdown(backend, SCOPE, "campaign", Margins(0.30))
    rows = by_key(frame, "campaign")
    assert rows["N"]["status"] == "unjudged" and rows["N"]["spend"] == pytest.approx(75.0)
    assert rows["N"]["profit"] != rows["N"]["profit"]  # unknown, not a loss of 75
    assert (rows["Z"]["status"], rows["Z"]["profit"]) == ("below", pytest.approx(-20.0))  # 0 reported: a loss
    assert (rows["P"]["status"], rows["P"]["profit"]) == ("above", pytest.approx(400 * 0.30 - 40))
    ranked = promotion.ranking(frame)
    assert list(ranked.scale["campaign"]) == ["P"]  # ROAS 10 ≥ 1.25 × 3.33
    assert list(ranked.cut["campaign"]) == ["Z"]
    assert list(ranked.unjudged["campaign"]) == ["N"]
    assert ranked.judged == 2 and not ranked.all_pay
    # Without the losing campaign nothing judged is below break-even, yet N keeps it from being an all-clear.
    without_loss = promotion.ranking(frame[frame["campaign"] != "Z"])
    assert without_loss.cut.empty and list(without_loss.unjudged["campaign"]) == ["N"]
    assert not without_loss.all_pay
    only_unjudged = promotion.ranking(frame[frame["campaign"] == "N"])
    assert only_unjudged.judged == 0 and not only_unjudged.all_pay
    assert promotion.ranking(frame[frame["campaign"] == "P"]).all_pay


def test_scope_without_any_reported_revenue_is_unjudged(store: Warehouse) -> None:
    load(store, VERDICT_ROWS[:2])
    total = promotion.scope_profit(store.engine.ibis(), SCOPE, Margins(0.30))
    assert total["spend"] == pytest.approx(75.0)
    assert total["ad_revenue"] is None and total["roas"] is None and total["profit"] is None
    assert total["status"] == "unjudged"


def test_product_breakdown_uses_per_product_margins(ads) -> None:
    default_only = by_key(promotion.breakdown(ads, SCOPE, "product", Margins(0.30)), "product_id")
    assert set(default_only) == {"P1", "P2"}
    assert (default_only["P1"]["profit"], default_only["P1"]["status"]) == (pytest.approx(900 * 0.3 - 120), "above")
    assert (default_only["P2"]["profit"], default_only["P2"]["status"]) == (pytest.approx(100 * 0.3 - 80), "below")

    margins = Margins(0.30, {"P1": 0.10, "P2": 0.90})
    rows = by_key(promotion.breakdown(ads, SCOPE, "product", margins), "product_id")
    assert rows["P1"]["break_even_roas"] == pytest.approx(10.0)
    assert (rows["P1"]["roas"], rows["P1"]["profit"], rows["P1"]["status"]) == (
        pytest.approx(7.5),
        pytest.approx(900 * 0.10 - 120),
        "below",
    )
    assert (rows["P2"]["roas"], rows["P2"]["profit"], rows["P2"]["status"]) == (
        pytest.approx(1.25),
        pytest.approx(100 * 0.90 - 80),
        "above",
    )
    # Per-product margins do not apply to other breakdowns.
    assert by_key(promotion.breakdown(ads, SCOPE, "campaign", margins), "campaign")["T1"]["margin"] == 0.30


def test_keyword_breakdown_counts_only_rows_with_a_keyword(ads) -> None:
    rows = by_key(promotion.breakdown(ads, SCOPE, "keyword"), "keyword")
    assert set(rows) == {"serum", "cream"}
    assert rows["serum"]["spend"] == pytest.approx(60.0)
    assert rows["serum"]["ctr"] == pytest.approx(30 / 600)
    assert rows["cream"]["roas"] == pytest.approx(150 / 40)
    platforms = by_key(promotion.breakdown(ads, SCOPE, "platform"), "platform")
    spend = {p: r["spend"] for p, r in platforms.items()}
    assert spend == pytest.approx({"amazon": 190.0, "tmall": 200.0, "meta": 30.0})


def test_daily_trend_and_scope_profit(ads) -> None:
    trend = promotion.daily(ads, SCOPE)
    days = {str(r["date"])[:10]: r for r in trend.to_dict("records")}
    assert set(days) == {"2024-03-01", "2024-03-02"}  # the meta window row covers no single day
    assert days["2024-03-01"]["spend"] == pytest.approx(310.0)
    assert days["2024-03-02"]["roas"] == pytest.approx(6.0)
    total = promotion.scope_profit(ads, SCOPE, Margins(0.5))
    assert total["break_even_roas"] == pytest.approx(2.0)
    assert total["profit"] == pytest.approx(1880 * 0.5 - 420)
    assert total["status"] == "above"


def test_attribution_windows_per_platform_and_campaign(ads) -> None:
    windows = promotion.platform_windows(promotion.attribution_windows(ads, SCOPE))
    assert {w: sorted(c) for w, c in windows["amazon"].items()} == {"14d": ["A", "B"], "7d": ["C"]}
    assert windows["tmall"] == {None: ["T1"]}
    assert windows["meta"] == {None: ["916"]}


def test_a_page_reads_labelled_campaigns_from_their_own_rollup_and_gets_the_base_rows_answers(
    store: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a page (a caching Source) the campaign breakdowns and attribution windows sum the labelled rows' rollup,
    computed once per data generation; the bare backend labels the base rows each time. Both give one answer."""
    load(store)
    load(store, ROWS[:2], shop="Other")  # another store's rows share the rollup and stay out of Shop's answers
    cache.RESULTS.clear()
    bare, page = store.engine.ibis(), cache.source(store)
    read: list[set[str]] = []  # the tables each query read
    real = store.engine.ibis_arrow
    monkeypatch.setattr(
        store.engine,
        "ibis_arrow",
        lambda expr, values: read.append({t.name for t in expr.op().find(ops.DatabaseTable)}) or real(expr, values),
    )
    scopes = (SCOPE, BEFORE, Scope("Shop", D1, D1), Scope("Shop", D1, D2, currency="CNY"), Scope("Shop", D0, D2))
    for scope in scopes:
        for by in promotion.BREAKDOWNS:  # keyword and ad group are not in the labelled rollup: the base rows
            expected = promotion.breakdown(bare, scope, by, Margins(0.30))
            got = promotion.breakdown(page, scope, by, Margins(0.30))
            pd.testing.assert_frame_equal(got, expected, check_dtype=False)
        expected = promotion.attribution_windows(bare, scope)
        pd.testing.assert_frame_equal(promotion.attribution_windows(page, scope), expected, check_dtype=False)
    # A page's campaign figures for 1–2 March, checked by hand: A 100+80 spend (its search terms are the same money
    # as its campaign row), T1 200 with its ID-only product rows inside it, meta's ID-only campaign 916 30.
    rows = by_key(promotion.breakdown(page, SCOPE, "campaign", Margins(0.30)), "platform", "campaign")
    assert {k: r["spend"] for k, r in rows.items()} == {
        ("amazon", "A"): 180.0, ("amazon", "B"): 0.0, ("amazon", "C"): 10.0, ("tmall", "T1"): 200.0, ("meta", "916"): 30.0
    }  # fmt: skip
    rollup = store.engine.existing_materialized(page.generation, (promotion.LABELLED_ROLLUP,))
    assert rollup is not None
    # One row per store, day, platform, grain, currency, label, window and product: Shop's 11 rows give 10 (A's two
    # search terms on 1 March share all of those), Other's 2 (A's campaign row and one search term) give 2.
    assert rollup.count().execute() == 12
    merged = rollup.filter((rollup.store == "Shop") & (rollup.grain == "search_term")).to_pyarrow().to_pylist()
    assert [(r["campaign"], r["row_count"], r["spend"], r["ad_revenue"]) for r in merged] == [("A", 2, 100.0, 400.0)]
    name = rollup.get_name()
    assert sum(name in tables for tables in read) >= len(scopes) * 2  # every period's campaign figures read it
    # Whether a period has ads at all (a page asks the ads' daily rollup): Other's rows are all on 1 March, and
    # meta's window row of 1–2 March lies in no one-day period.
    only_window = [r for r in ROWS if r[0] == "meta"]
    load(store, only_window, shop="Window")
    page = cache.source(store)  # the data changed: a new generation
    for scope, has in ((SCOPE, True), (Scope("Other", D2, D2), False), (Scope("Window", D1, D1), False),
                       (Scope("Window", D1, D2), True), (Scope("Shop", date(2025, 1, 1)), False)):  # fmt: skip
        assert promotion.has_ads(page, scope) is has and promotion.has_ads(bare, scope) is has


def test_report_records(ads) -> None:
    records = promotion.report_records(ads, SCOPE, BEFORE)
    assert all(
        set(r)
        == {
            "platform",
            "campaign",
            "spend",
            "impressions",
            "clicks",
            "conversions",
            "revenue",
            "ctr",
            "cpc",
            "cpa",
            "roas",
        }
        for r in records
    )
    rows = {(r["platform"], r["campaign"]): r for r in records}
    assert set(rows) == {("amazon", "A"), ("amazon", "B"), ("amazon", "C"), ("tmall", "T1"), ("meta", "916")}
    a = rows[("amazon", "A")]
    assert a == pytest.approx(
        {
            "platform": "amazon",
            "campaign": "A",
            "spend": 180.0,
            "impressions": 1800.0,
            "clicks": 90.0,
            "conversions": 9.0,
            "revenue": 880.0,
            "ctr": 0.05,
            "cpc": 2.0,
            "cpa": 20.0,
            "roas": 880 / 180,
        }
    )
    assert rows[("amazon", "B")]["cpc"] is None and rows[("meta", "916")]["revenue"] is None

    days = {(r["platform"], r["date"]): r for r in promotion.report_records(ads, SCOPE, None, by="day")}
    assert set(next(iter(days.values()))) == {
        "platform",
        "date",
        "spend",
        "impressions",
        "clicks",
        "conversions",
        "revenue",
        "ctr",
        "cpc",
        "cpa",
        "roas",
    }
    assert days[("amazon", "2024-03-01")]["spend"] == pytest.approx(110.0)
    assert days[("tmall", "2024-03-01")]["spend"] == pytest.approx(200.0)
    assert ("meta", "2024-03-01") not in days

    keywords = {r["keyword"]: r for r in promotion.report_records(ads, SCOPE, None, by="keyword")}
    assert keywords["serum"]["campaign"] == "A" and keywords["serum"]["spend"] == pytest.approx(60.0)
    products = {r["product"]: r for r in promotion.report_records(ads, SCOPE, None, by="product")}
    assert products["P1"]["campaign"] == "T1" and products["P2"]["revenue"] == pytest.approx(100.0)
    platforms = {r["platform"]: r for r in promotion.report_records(ads, SCOPE, None, by="platform")}
    assert platforms["amazon"]["spend"] == pytest.approx(190.0) and platforms["amazon"]["campaign"] is None
    expected = (
        "the promotion report breaks down by platform, campaign, ad_group, keyword, product, day, not 'placement'"
    )
    with pytest.raises(ReportError, match=f"^report: {expected}$"):
        promotion.report_records(ads, SCOPE, None, by="placement")


def test_other_stores_rows_stay_out(store: Warehouse) -> None:
    load(store)
    load(store, ROWS[:1], shop="Other")
    backend = store.engine.ibis()
    assert promotion.kpis(backend, SCOPE)[0].value == pytest.approx(420.0)
    assert promotion.kpis(backend, Scope("Other", D1, D2))[0].value == pytest.approx(100.0)


def test_empty_data(store: Warehouse) -> None:
    backend = store.engine.ibis()
    assert not promotion.has_ads(backend, SCOPE)
    assert all(k.value is None and k.change is None for k in promotion.kpis(backend, SCOPE, BEFORE))
    frame = promotion.breakdown(backend, SCOPE, "campaign")
    assert frame.empty and {"spend", "roas", "profit", "status"} <= set(frame.columns)
    ranked = promotion.ranking(frame)
    assert ranked.scale.empty and ranked.cut.empty and ranked.unjudged.empty
    assert not ranked.all_pay  # nothing judged: no all-clear
    assert promotion.daily(backend, SCOPE).empty
    assert promotion.report_records(backend, SCOPE, None) == []
    assert promotion.platform_windows(promotion.attribution_windows(backend, SCOPE)) == {}
    load(store)
    assert promotion.has_ads(backend, SCOPE) and not promotion.has_ads(backend, Scope("Shop", date(2025, 1, 1)))


def test_break_even_roas() -> None:
    assert promotion.break_even_roas(0.25) == pytest.approx(4.0)
    assert promotion.break_even_roas(0.30) == pytest.approx(3.3333333)
    assert promotion.break_even_roas(0) is None


def test_margins_are_saved_per_store(store: Warehouse, warehouse_url: str) -> None:
    assert promotion.load_margins(store, "Shop") == Margins(promotion.DEFAULT_MARGIN, {}, entered=False)
    saved = promotion.save_margins(store, "Shop", 0.42, {"P1": 0.1, " P2 ": 0.55, "": 0.3, "P3": None})
    assert saved == Margins(0.42, {"P1": 0.1, "P2": 0.55}, entered=True)  # what the page shows next
    assert store.get_setting("gross_margin", store="Shop") == pytest.approx(0.42)
    assert store.get_setting("gross_margin_by_product", store="Shop") == {"P1": 0.1, "P2": 0.55}
    with connect(warehouse_url) as engine:  # another connection sees what was saved
        again = promotion.load_margins(Warehouse(engine), "Shop")
    assert again == Margins(0.42, {"P1": 0.1, "P2": 0.55}, entered=True)
    assert promotion.load_margins(store, "Other").entered is False
    promotion.save_margins(store, "Shop", 0.35)
    assert promotion.load_margins(store, "Shop") == Margins(0.35, {}, entered=True)
    for bad in (0, 1.5, -0.2):
        with pytest.raises(ValueError):
            promotion.save_margins(store, "Shop", bad)
    with pytest.raises(ValueError):
        promotion.save_margins(store, "Shop", 0.3, {"P1": 2.0})
    assert promotion.load_margins(store, "Shop").default == pytest.approx(0.35)
