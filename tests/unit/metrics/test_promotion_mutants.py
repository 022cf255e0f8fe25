"""Promotion verdicts no test checked until a mutation run (`make mutation MODULES=promotion`) changed them unnoticed:
which campaigns to scale, cut or leave unjudged, and in what order; break-even exactly met; spend of 0 with no
revenue; attribution windows without a number of days; the report by ad group. Values worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from shopdata.metrics import cache, promotion
from shopdata.metrics.query import Scope
from shopdata.store import Warehouse
from tests.unit.metrics.test_promotion import load_ads

D1, D2 = date(2024, 3, 1), date(2024, 3, 2)
SCOPE = Scope("Shop", D1, D2)


def judged(rows: list[tuple[str, float, float | None, float]]) -> pd.DataFrame:
    """A breakdown as `breakdown` hands it to `with_profit`: campaign, spend, ad revenue, ROAS, margin."""
    frame = pd.DataFrame(
        [
            {"campaign": c, "spend": s, "ad_revenue": r, "roas": None if r is None or not s else r / s, "margin": m}
            for c, s, r, m in rows
        ]
    )
    return promotion.with_profit(frame)


def test_scale_cut_and_unjudged_in_the_order_an_owner_acts_on_them() -> None:
    frame = judged(
        [
            ("tiny", 2.0, 9.0, 0.30),  # ROAS 4.5 ≥ 1.25 × 3.33; profit 2.70 − 2 = 0.70: small, but it pays
            ("even", 50.0, 200.0, 0.25),  # ROAS 4.0 exactly break-even: above it (profit 0), not worth scaling
            ("big", 100.0, 600.0, 0.30),  # ROAS 6; profit 80
            ("loss40", 100.0, 200.0, 0.30),  # profit 60 − 100 = −40
            ("loss10", 100.0, 300.0, 0.30),  # profit 90 − 100 = −10
            ("unj10", 10.0, None, 0.30),  # spend, no revenue reported
            ("unj30", 30.0, None, 0.30),
            ("idle", 0.0, None, 0.30),  # nothing spent and nothing reported: nothing to judge
        ]
    )
    status = dict(zip(frame["campaign"], frame["status"], strict=True))
    assert status == {
        "tiny": "above", "even": "above", "big": "above", "loss40": "below", "loss10": "below",
        "unj10": "unjudged", "unj30": "unjudged", "idle": None,
    }  # fmt: skip
    profit = dict(zip(frame["campaign"], frame["profit"], strict=True))
    assert profit["tiny"] == pytest.approx(0.7) and profit["even"] == pytest.approx(0.0)
    assert pd.isna(profit["unj10"]) and pd.isna(profit["idle"])
    ranked = promotion.ranking(frame)
    assert list(ranked.scale["campaign"]) == ["big", "tiny"]  # largest profit first
    assert list(ranked.cut["campaign"]) == ["loss40", "loss10"]  # largest loss first
    assert list(ranked.unjudged["campaign"]) == ["unj30", "unj10"]  # largest spend first
    assert ranked.judged == 5 and not ranked.all_pay
    for part in (ranked.scale, ranked.cut, ranked.unjudged):  # the page shows them as they are: no stray column
        assert list(part.columns) == list(frame.columns)
        assert part.index.tolist() == list(range(len(part)))


def load(store: Warehouse, rows: list[dict]) -> None:
    columns = sorted({c for r in rows for c in r})
    load_ads(store, {c: [r.get(c) for r in rows] for c in columns}, first_day=D1)


def ad(day: date, campaign: str, spend: float, revenue: float, **more) -> dict:
    return dict(platform="amazon", date=day, end_date=day, grain="campaign", campaign=campaign, spend=spend,
                revenue=revenue, clicks=10.0, impressions=100.0) | more  # fmt: skip


def test_a_campaign_s_attribution_windows_in_days_and_one_without_days_last(store: Warehouse) -> None:
    # W's rows state three windows: 14 days, 7 days and one named without a number of days.
    load(
        store,
        [
            ad(D1, "W", 10.0, 30.0, attribution="14d"),
            ad(D2, "W", 20.0, 50.0, attribution="7d"),
            ad(D2, "W", 5.0, 5.0, grain="keyword", keyword="mug", attribution="view-through"),
            ad(D1, "V", 1.0, 2.0, attribution="7d"),
        ],
    )
    for backend in (store.engine.ibis(), cache.source(store)):
        windows = promotion.attribution_windows(backend, SCOPE)
        assert windows[["campaign", "attribution"]].to_numpy().tolist() == [
            ["V", "7d"], ["W", "7d, 14d, view-through"],
        ]  # fmt: skip
        assert promotion.platform_windows(windows) == {
            "amazon": {"7d": ["V", "W"], "14d": ["W"], "view-through": ["W"]}
        }
    cache.RESULTS.clear()


def test_the_report_by_ad_group_names_each_group(store: Warehouse) -> None:
    load(
        store,
        [
            ad(D1, "A", 10.0, 40.0, grain="ad_group", ad_group="G1"),
            ad(D1, "A", 30.0, 60.0, grain="ad_group", ad_group="G2"),
        ],
    )
    records = promotion.report_records(store.engine.ibis(), SCOPE, None, by="ad_group")
    assert [(r["campaign"], r["ad_group"], r["spend"], r["revenue"]) for r in records] == [
        ("A", "G1", 10.0, 40.0),
        ("A", "G2", 30.0, 60.0),
    ]


def test_labelled_campaigns_answer_only_the_ads_a_page_asks_them_for(store: Warehouse) -> None:
    load(store, [ad(D1, "A", 10.0, 40.0)])
    page = promotion._CampaignLabelled(cache.source(store))
    assert page.own_rollup("ads", ["campaign", "date"]) == promotion.LABELLED_ROLLUP
    assert page.own_rollup("traffic", ["date"]) is None  # another domain's figures never come from the ads
    assert page.own_rollup("ads", ["campaign", "keyword"]) is None  # a keyword is not in that rollup
    assert promotion._CampaignLabelled(store.engine.ibis()).own_rollup("ads", ["campaign"]) is None  # no page
    cache.RESULTS.clear()
