"""Promotion page through Streamlit's AppTest, checked against plain SQL on the demo database.

The default gross margin is 30 % (break-even ROAS 3.33) until the owner enters one; the demo's
内容营销-新品 returns about 0.7 and is below break-even at any margin under 100 %.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.app.conftest import open_page

PAGE = "views/promotion.py"
DEMO = "Demo store"
OCTOBER = {"range": "custom", "from": "2026-10-01", "to": "2026-10-31", "cur": "CNY"}


def sql(db: Path, query: str, params: list | None = None):
    with duckdb.connect(str(db)) as con:  # same process as the app: same configuration
        return con.execute(query, params or []).fetchall()


def table_with(at, column: str) -> pd.DataFrame:
    """The breakdown table: the first dataframe with that column and a break-even status."""
    for frame in at.dataframe:
        value = frame.value
        if column in value.columns and any(c in value.columns for c in ("vs break-even", "与保本线相比")):
            return value
    raise AssertionError(f"no table with {column!r}: {[list(f.value.columns) for f in at.dataframe]}")


def row(frame: pd.DataFrame, column: str, value: str) -> pd.Series:
    found = frame[frame[column] == value]
    assert len(found) == 1, frame
    return found.iloc[0]


def test_demo_campaigns_against_sql(demo_db: Path) -> None:
    at = open_page(PAGE, **OCTOBER)
    assert at.title[0].value == "Promotion"
    spend = sql(
        demo_db,
        "SELECT sum(spend), sum(revenue) FROM ads WHERE store = ? AND platform = 'tmall' AND grain = 'campaign' "
        "AND date >= '2026-10-01' AND end_date <= '2026-10-31'",
        [DEMO],
    )[0]
    cards = {m.label: m.value for m in at.metric}
    # Between 10,000 and a million a card drops the cents; its tooltip has every digit.
    assert 10_000 <= spend[0] < 1_000_000
    assert cards["Ad spend"] == f"¥{spend[0]:,.0f}"
    assert f"Exactly ¥{spend[0]:,.2f}" in next(m.proto.help for m in at.metric if m.label == "Ad spend")
    assert cards["ROAS"] == f"{spend[1] / spend[0]:,.2f}"
    assert at.radio(key="url_ads_by").value == "campaign"

    campaigns = table_with(at, "Campaign")
    assert set(campaigns["Platform"]) == {"Tmall"}
    new = row(campaigns, "Campaign", "内容营销-新品")
    ((new_spend, new_revenue),) = sql(
        demo_db,
        "SELECT sum(spend), sum(revenue) FROM ads WHERE store = ? AND campaign = '内容营销-新品' AND grain = 'campaign' "
        "AND date >= '2026-10-01' AND end_date <= '2026-10-31'",
        [DEMO],
    )
    assert new["Ad spend"] == pytest.approx(new_spend)
    assert new["Ad revenue"] == pytest.approx(new_revenue)
    assert new["Break-even ROAS"] == pytest.approx(1 / 0.30)
    assert new["vs break-even"] == "🔻 below break-even"
    assert new["Profit after ad spend"] == pytest.approx(new_revenue * 0.30 - new_spend)
    assert any("using 30.00% (break-even ROAS 3.33)" in c.value for c in at.caption)
    assert any(m.value.startswith("These return less than their break-even ROAS") for m in at.markdown)
    assert any("**Tmall**: attribution window not stated" in m.value for m in at.markdown)
    assert len(at.get("plotly_chart")) == 2


def test_usd_shows_google_ads_and_what_to_scale(demo_db: Path) -> None:
    at = open_page(PAGE, cur="USD")
    campaigns = table_with(at, "Campaign")
    assert set(campaigns["Platform"]) == {"Google Ads"}  # money is never added across currencies
    assert row(campaigns, "Campaign", "Display | Remarketing")["vs break-even"] == "🔻 below break-even"
    brand = row(campaigns, "Campaign", "Brand Search | Demo Beauty")
    assert brand["vs break-even"] == "✅ above break-even" and brand["ROAS"] > 1.25 / 0.30
    scale = next(
        f.value for f in at.dataframe if "Campaign" in f.value.columns and "Impressions" not in f.value.columns
    )
    assert list(scale["Campaign"]) == ["Brand Search | Demo Beauty"]


def test_margin_is_saved_and_survives_a_new_session(demo_db: Path) -> None:
    at = open_page(PAGE, **OCTOBER)
    at.number_input(key=f"promotion_margin_{DEMO}").set_value(80.0)
    at.button(key="promotion_margin_save").click().run()
    assert not at.exception, at.exception
    ((saved,),) = sql(demo_db, "SELECT value FROM settings WHERE store = ? AND key = 'gross_margin'", [DEMO])
    assert json.loads(saved) == pytest.approx(0.80)
    cream = row(table_with(at, "Campaign"), "Campaign", "人群推广-面霜")  # ROAS ≈ 1.9: above 1.25, below 3.33
    assert cream["Break-even ROAS"] == pytest.approx(1.25)
    assert cream["vs break-even"] == "✅ above break-even"

    again = open_page(PAGE, **OCTOBER)
    assert again.number_input(key=f"promotion_margin_{DEMO}").value == pytest.approx(80.0)
    assert not any("using 30.00%" in c.value for c in again.caption)
    campaigns = table_with(again, "Campaign")
    assert row(campaigns, "Campaign", "人群推广-面霜")["vs break-even"] == "✅ above break-even"
    assert row(campaigns, "Campaign", "内容营销-新品")["vs break-even"] == "🔻 below break-even"


def test_empty_database_names_the_exports_to_upload(empty_db: Path) -> None:
    at = open_page(PAGE)
    text = " ".join(i.value for i in at.info)
    assert "No ad data for this store and period yet" in text
    for export in (
        "天猫 万相台 / 直通车 报表",
        "拼多多 推广报表",
        "Amazon Ads — Sponsored Products report",
        "Google Ads report",
        "Meta (Facebook) Ads Manager export",
    ):
        assert export in text
    assert not at.metric


def test_chinese_labels(demo_db: Path) -> None:
    at = open_page(PAGE, lang="zh", **OCTOBER)
    assert at.title[0].value == "推广效果"
    assert {"推广花费", "投产比 (ROI)", "ACOS（费比）"} <= {m.label for m in at.metric}
    campaigns = table_with(at, "计划")
    assert row(campaigns, "计划", "内容营销-新品")["与保本线相比"] == "🔻 低于保本线"
    assert set(campaigns["平台"]) == {"天猫"}
    assert any("**天猫**：导出文件未注明归因窗口" in m.value for m in at.markdown)


def test_query_parameters_reproduce_the_breakdown(demo_db: Path) -> None:
    at = open_page(PAGE, range="last_7", ads_by="platform", cur="CNY")
    assert at.radio(key="url_ads_by").value == "platform"
    assert at.query_params["ads_by"] == ["platform"] or at.query_params["ads_by"] == "platform"
    platforms = table_with(at, "Platform")
    assert list(platforms.columns[:3]) == ["Platform", "ROAS", "ACOS"]
    ((spend,),) = sql(
        demo_db,
        "SELECT sum(spend) FROM ads WHERE store = ? AND platform = 'tmall' AND grain = 'campaign' "
        "AND date >= DATE '2026-11-16' AND end_date <= DATE '2026-11-22'",
        [DEMO],
    )
    assert row(platforms, "Platform", "Tmall")["Ad spend"] == pytest.approx(spend)

    at.radio(key="url_ads_by").set_value("product").run()
    assert not at.exception
    assert "ads_by=product" in _query_string(at)
    # the demo's 万相台 商品报表 names the advertised products
    ((advertised,),) = sql(
        demo_db,
        "SELECT list(DISTINCT product_id ORDER BY product_id) FROM ads WHERE store = ? AND product_id IS NOT NULL "
        "AND date >= DATE '2026-11-16' AND end_date <= DATE '2026-11-22'",
        [DEMO],
    )
    assert sorted(table_with(at, "Product")["Product"]) == advertised and len(advertised) == 4


def _query_string(at) -> str:
    return "&".join(f"{k}={v[0] if isinstance(v, list) else v}" for k, v in at.query_params.items())


ALL_CLEAR = ("Everything here pays for its ad spend", "这里所有推广都能赚回推广花费")


def _load_meta_ads_without_revenue(db: Path, paying: bool = False) -> None:
    """A store whose ads are a Meta export with spend and no revenue column (revenue NULL on every row), and
    with paying=True also an Amazon campaign that spent 100 and brought back 1,000."""
    from datetime import date

    from shopdata.store import BatchInfo, open_warehouse
    from tests.unit.metrics.test_query import rows

    day = date(2026, 3, 2)
    records = [
        dict(platform="meta", grain="campaign", currency="USD", date=day, end_date=day, campaign=name, spend=spend)
        for name, spend in (("Reels | Spring", 300.0), ("Lookalike | 1%", 120.0))
    ]
    if paying:
        records.append(
            dict(
                platform="amazon",
                grain="campaign",
                currency="USD",
                date=day,
                end_date=day,
                campaign="SP | Serum",
                spend=100.0,
                revenue=1000.0,
            )
        )
    warehouse = open_warehouse(str(db))
    try:
        warehouse.load(
            BatchInfo("My shop", "meta.csv", "meta", 2, "meta", "ads", "meta_ads", {}), rows("ads", records, "meta")
        )
    finally:
        warehouse.engine.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ads_without_sales_value_are_listed_as_cannot_judge(empty_db: Path, lang: str) -> None:
    _load_meta_ads_without_revenue(empty_db)
    at = open_page(
        PAGE, store="My shop", range="custom", **{"from": "2026-03-01", "to": "2026-03-31"}, cur="USD", lang=lang
    )
    texts = [e.value for kind in ("markdown", "caption", "info", "success", "warning") for e in at.get(kind)]
    assert not any(clear in text for text in texts for clear in ALL_CLEAR), texts
    assert not any("—: —" in text for text in texts), texts
    assert any(("no sales value" if lang == "en" else "没有报告成交金额") in w.value for w in at.warning), texts
    title = "Cannot judge" if lang == "en" else "无法判断"
    assert any(title in h.value for h in at.subheader), [h.value for h in at.subheader]
    campaign = "Campaign" if lang == "en" else "计划"
    unjudged = next(
        f.value
        for f in at.dataframe
        if list(f.value.columns)[:2] == ["Platform" if lang == "en" else "平台", campaign] and len(f.value.columns) == 4
    )
    assert sorted(unjudged[campaign]) == ["Lookalike | 1%", "Reels | Spring"]
    spend = "Ad spend" if lang == "en" else "推广花费"
    assert dict(zip(unjudged[campaign], unjudged[spend], strict=True)) == {
        "Reels | Spring": 300.0,
        "Lookalike | 1%": 120.0,
    }


def test_paying_campaigns_beside_unjudged_ones_are_no_all_clear(empty_db: Path) -> None:
    _load_meta_ads_without_revenue(empty_db, paying=True)
    at = open_page(PAGE, store="My shop", range="custom", **{"from": "2026-03-01", "to": "2026-03-31"}, cur="USD")
    texts = [e.value for kind in ("markdown", "caption", "info", "success", "warning") for e in at.get(kind)]
    assert not any(ALL_CLEAR[0] in text for text in texts), texts
    assert any(c.value.startswith("None of the rows that could be judged is below break-even") for c in at.caption)
    # ROAS of the period: 1,000 ÷ (100 + 300 + 120); the note says $420 of that spend has no sales value.
    summary = next(s.value for s in [*at.success, *at.warning] if "This period's ads returned ROAS" in s.value)
    assert f"**{1000 / 520:.2f}**" in summary
    assert "This includes $420.00 spent by 2 campaigns whose exports report no sales value" in summary


def test_the_trend_charts_mark_notes_activities_and_the_normal_range(demo_db: Path) -> None:
    """The spend and ROAS charts carry the overview's marks: a note recorded here (through the journal, as the
    Review page writes it) on its day, the demo's recorded activity, and spend's and ROAS's normal range."""
    from datetime import date

    from shopdata.accounts import User
    from shopdata.demo import DEMO_ACTIVITY
    from shopdata.engine import connect
    from shopdata.journal import Journal
    from shopdata.store import Warehouse

    day = date(2026, 11, 20)
    with connect(str(demo_db)) as engine:
        owner = User("owner", "owner")
        Journal(Warehouse(engine)).add_note(owner, DEMO, day, "Raised the 直通车 bids", cause="ad_change")
    at = open_page(PAGE, range="custom", **{"from": "2026-11-01", "to": "2026-11-30", "cur": "CNY"})
    money, roas = (json.loads(chart.proto.spec) for chart in at.get("plotly_chart")[:2])
    for chart in (money, roas):
        notes = [
            a for a in chart["layout"].get("annotations", []) if "Raised the 直通车 bids" in a.get("hovertext", "")
        ]
        assert len(notes) == 1 and str(notes[0]["x"]).startswith(str(day))
        assert any(DEMO_ACTIVITY[0] in a.get("hovertext", "") for a in chart["layout"]["annotations"])
    assert "Ad spend: normal range" in [trace.get("name") for trace in money["data"]]
    assert "ROAS: normal range" in [trace.get("name") for trace in roas["data"]]


def test_the_page_judges_only_the_ad_reports_kpis(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its trend marks spend's and ROAS's alerts: the traffic and order tables are not judged for it (the overview
    judges them; through the results cache it reuses the ad table's cells)."""
    from shopdata.metrics import alerts, cache

    judged: list[str] = []
    real = alerts._domain_cells

    def counted(backend, scope, domain, masked):
        judged.append(domain)
        return real(backend, scope, domain, masked)

    cache.RESULTS.clear()
    monkeypatch.setattr(alerts, "_domain_cells", counted)
    at = open_page(PAGE, range="last_30")
    assert not at.exception
    assert judged == ["ads"]
    assert "ROAS: normal range" in [t.get("name") for t in json.loads(at.get("plotly_chart")[1].proto.spec)["data"]]
