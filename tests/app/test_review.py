"""The Review (复盘) page on a hand-made store with one injected anomaly: the alert is listed with the actual and
expected computed here apart from the code, a note saved on it marks it reviewed and is listed, a viewer cannot
write, an activity's lift equals the hand computation, and the page speaks Chinese."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from shopdata.accounts import User
from shopdata.engine import connect
from shopdata.formatting import format_value
from shopdata.journal import Journal
from shopdata.store import Warehouse
from tests.app.conftest import open_page
from tests.app.test_auth import add_team, crafted, sign_in
from tests.support.rollups import rebuild_rollups
from tests.unit.metrics.test_alerts import ratio_to_moving_average
from tests.unit.metrics.test_query import load

PAGE = "views/review.py"
STORE = "Shop"
FIRST, LAST = date(2024, 1, 1), date(2024, 3, 10)  # ten weeks, Monday to Sunday
ANOMALY = date(2024, 3, 6)  # the search source keeps 30% of its visitors, buyers and revenue
WEEK = {"store": STORE, "range": "custom", "from": "2024-03-04", "to": "2024-03-10", "cur": "USD"}
REVENUE_ALERT = "2024-03-06|revenue|store|"
ACTIVITY = (date(2024, 3, 8), date(2024, 3, 9))
OWNER = User("Olivia", "owner")


def source_rows() -> pd.DataFrame:
    """Per day and source: visitors, buyers, revenue (small deterministic wiggles so the range has a width)."""
    records = []
    for i in range((LAST - FIRST).days + 1):
        day = FIRST + timedelta(days=i)
        keep = 0.3 if day == ANOMALY else 1.0
        search_buyers = 40 + (i * 3) % 5
        records.append(
            dict(
                day=day,
                source="search",
                visitors=(800 + 8 * ((i * 7) % 5)) * keep,
                buyers=search_buyers * keep,
                revenue=(search_buyers * 100 + 10 * (i % 4)) * keep,
            )
        )
        direct_buyers = 10 + i % 2
        records.append(
            dict(day=day, source="direct", visitors=200 + 2 * (i % 3), buyers=direct_buyers, revenue=direct_buyers * 80)
        )
    return pd.DataFrame(records)


def store_revenue() -> pd.Series:
    return source_rows().groupby("day")["revenue"].sum()


@pytest.fixture
def shop_db(empty_db: Path) -> Path:
    with connect(str(empty_db)) as engine:
        warehouse = Warehouse(engine)
        records = [
            dict(
                platform="shopify",
                grain="source",
                currency="USD",
                date=r.day,
                end_date=r.day,
                source_1=r.source,
                source_level=1,
                visitors=float(r.visitors),
                buyers=float(r.buyers),
                revenue=float(r.revenue),
            )
            for r in source_rows().itertuples()
        ]
        load(warehouse, "traffic", records, "sources")
    # load() files the rows under store "S"; the page shows them under a readable name.
    with duckdb.connect(str(empty_db)) as con:
        for table in ("stores", "batches", "traffic"):
            con.execute(
                f"UPDATE {table} SET {'name' if table == 'stores' else 'store'} = ? WHERE "
                f"{'name' if table == 'stores' else 'store'} = 'S'",
                [STORE],
            )
    rebuild_rollups(empty_db)
    return empty_db


def table_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_injected_drop_is_listed_with_its_actual_and_expected(shop_db: Path) -> None:
    at = open_page(PAGE, **WEEK)
    alerts = table_with(at, "Impact")
    revenue = store_revenue()
    row = alerts[(alerts["KPI"] == "Revenue") & (alerts["Segment"] == "Store")]
    assert len(row) == 1
    assert row["Date"].iloc[0] == ANOMALY
    assert row["Actual"].iloc[0] == format_value(revenue[ANOMALY], "money", "USD")
    assert row["Expected"].iloc[0] == format_value(ratio_to_moving_average(revenue, ANOMALY), "money", "USD")
    assert row["Direction"].iloc[0] == "▼ below"
    search = alerts[(alerts["KPI"] == "Revenue") & (alerts["Segment"] == "search")]
    assert len(search) == 1 and search["Date"].iloc[0] == ANOMALY
    assert not alerts["Reviewed"].any()


def test_a_note_on_the_alert_marks_it_reviewed_and_is_listed(shop_db: Path) -> None:
    at = open_page(PAGE, **WEEK, alert=REVENUE_ALERT)
    at.text_area(key="review_note_found").input("Search fell after a rival's price cut")
    at.selectbox(key="review_note_cause").set_value("competitor")
    next(b for b in at.button if b.label == "Save note").click().run()
    assert not at.exception
    assert "Note saved." in [s.value for s in at.success]
    with connect(str(shop_db)) as engine:
        notes = Journal(Warehouse(engine)).notes(STORE)
    assert [(n["alert_key"], n["cause"], n["text"], n["author"]) for n in notes] == [
        (REVENUE_ALERT, "competitor", "Search fell after a rival's price cut", notes[0]["author"])
    ]
    # Open only: the reviewed alert has left the list; all: it is there, reviewed.
    assert not (table_with(at, "Impact")["KPI"].eq("Revenue") & table_with(at, "Impact")["Segment"].eq("Store")).any()
    at.radio(key="review_show").set_value("all").run()
    alerts = table_with(at, "Impact")
    assert alerts[(alerts["KPI"] == "Revenue") & (alerts["Segment"] == "Store")]["Reviewed"].tolist() == [True]
    listed = table_with(at, "Found")
    assert listed["Found"].tolist() == ["Search fell after a rival's price cut"]
    assert listed["Cause"].tolist() == ["Competitor"]


def test_a_viewer_reads_but_cannot_save_a_note(shop_db: Path) -> None:
    add_team(shop_db)
    at = sign_in(open_page(PAGE, **WEEK, alert=REVENUE_ALERT), "viewer")
    assert not at.exception
    save = next(b for b in at.button if b.label == "Save note")
    assert save.disabled and at.text_area(key="review_note_found").disabled
    crafted(at.text_area(key="review_note_found")).input("written by a viewer")
    crafted(save).click().run()
    assert not at.exception
    with connect(str(shop_db)) as engine:
        assert Journal(Warehouse(engine)).notes(STORE) == []
    assert any("members and owners" in i.value for i in at.info)


def test_an_activity_shows_the_lift_computed_by_hand(shop_db: Path) -> None:
    with connect(str(shop_db)) as engine:
        Journal(Warehouse(engine)).add_activity(OWNER, STORE, "Spring sale", *ACTIVITY)
    at = open_page(PAGE, **WEEK)
    activities = table_with(at, "Lift")
    row = activities[activities["Activity"] == "Spring sale"].iloc[0]
    revenue = store_revenue()
    days = [ACTIVITY[0], ACTIVITY[1]]
    actual = float(revenue.reindex(days).sum())
    expected = sum(ratio_to_moving_average(revenue[revenue.index < ACTIVITY[0]], d) for d in days)  # never its days
    assert row["Revenue"] == pytest.approx(actual)
    assert row["Expected revenue"] == pytest.approx(expected)
    assert row["Lift"] == pytest.approx(actual - expected)
    assert row["Lift %"] == pytest.approx((actual - expected) / expected)
    assert pd.isna(row["Incremental ROAS"])  # no ad spend in this store


def test_the_page_speaks_chinese(shop_db: Path) -> None:
    at = open_page(PAGE, **WEEK, lang="zh")
    assert [t.value for t in at.title] == ["复盘"]
    alerts = table_with(at, "金额影响")
    assert {"日期", "指标", "细分", "实际值", "预期值", "正常范围", "已复盘"} <= set(alerts.columns)
    assert "销售额" in set(alerts["指标"])
    assert "保存笔记" in [b.label for b in at.button]


def test_product_alerts_are_named_by_their_title(demo_db: Path) -> None:
    """The demo's serum (an item number in the data) is listed by its title from the raw 生意参谋 export,
    shortened in the table and the picker, whole with its ID in the explanation."""
    from shopdata.metrics.segment_names import TITLE_CHARACTERS
    from tests.unit.metrics.test_segment_names import raw_title

    serum = "A60318842271"
    title = raw_title(serum)
    key = f"2026-11-18|revenue|product|{serum}"
    day = {"range": "custom", "from": "2026-11-18", "to": "2026-11-18", "cur": "CNY", "alert": key}
    at = open_page(PAGE, **day)
    listed = at.dataframe[0].value
    products = listed[listed["Level"] == "Product"]
    assert len(products) and serum not in set(products["Segment"])
    assert f"{title[: TITLE_CHARACTERS - 1]}…" in set(products["Segment"])
    summary = next(m.value for m in at.markdown if "Revenue" in m.value and "expected" in m.value)
    assert f"{title} ({serum})" in summary
