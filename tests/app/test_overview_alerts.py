"""The overview's "What is abnormal" section, its targets row and its chart marks on the demo store (issue 12).

Expected figures come from the demo's traffic table by plain SQL and the method written out here (the median of
the same weekday in the 8 weeks before, leaving out the days of the demo's recorded activities), not from
shopdata.metrics.alerts."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from shopdata.demo import DEMO_ACTIVITY, DEMO_NOTE, DEMO_STORE, DEMO_TARGETS
from shopdata.metrics.segment_names import TITLE_CHARACTERS
from tests.app.conftest import open_page
from tests.unit.metrics.test_alerts import ratio_to_moving_average
from tests.unit.metrics.test_segment_names import raw_title

PAGE = "views/overview.py"
DROP_DAY = date(2026, 11, 18)  # sample_data/README.md: the 手淘搜索 drop after 竞品B's price cut on 11-17
SERUM = "A60318842271"  # the demo's serum, the product behind the drop
DOUBLE11 = date(2026, 11, 11)  # the festival calendar's Singles' Day
STORE_REVENUE = (
    "SELECT sum(revenue) FROM traffic WHERE store = ? AND platform = 'tmall' AND source_level = 1 AND date = ?"
)


def revenue_on(db: Path, day: date) -> float:
    with duckdb.connect(str(db)) as con:
        return float(con.execute(STORE_REVENUE, [DEMO_STORE, day]).fetchone()[0])


def in_activity(day: date) -> bool:
    _, first, last = DEMO_ACTIVITY
    return first <= day <= last or day == DOUBLE11


def expected_revenue(db: Path, day: date) -> float:
    """The ratio to moving average (tests/unit/metrics/test_alerts.py) of the store's revenue, never from an
    activity's day."""
    with duckdb.connect(str(db)) as con:
        rows = con.execute(
            STORE_REVENUE.replace("date = ?", "date BETWEEN ? AND ? GROUP BY date").replace("SELECT", "SELECT date,"),
            [DEMO_STORE, day - timedelta(days=80), day - timedelta(days=1)],
        ).fetchall()
    return ratio_to_moving_average(pd.Series({d: float(v) for d, v in rows if not in_activity(d)}), day)


def section(at) -> list[str]:
    return [m.value for m in at.markdown if " · " in m.value and "impact" in m.value]


def test_the_search_drop_is_the_first_alert_with_its_why(demo_db: Path) -> None:
    at = open_page(PAGE)
    assert [s.value for s in at.subheader][:1] == ["What is abnormal"]
    lines = section(at)
    assert lines, [m.value for m in at.markdown]
    actual, expected = revenue_on(demo_db, DROP_DAY), expected_revenue(demo_db, DROP_DAY)
    assert actual < 0.7 * expected  # the drop the demo was given
    first = lines[0]
    assert first.startswith("18 Nov 2026 · Revenue, the store ↓")
    assert f"¥{actual:,.0f}" in first and f"expected ¥{expected:,.0f}" in first
    assert f"impact -¥{expected - actual:,.0f}" in first
    why = [c.value for c in at.caption if "Mostly" in c.value][0]
    # 手淘搜索 is a second-level source of 淘内免费 (alerts judge first-level sources), feeding our serum
    # the product by its title from the raw 生意参谋 export, shortened; its ID is no longer the name shown
    serum = raw_title(SERUM)
    assert len(serum) > TITLE_CHARACTERS and SERUM not in why
    assert "source 淘内免费" in why and f"product {serum[: TITLE_CHARACTERS - 1]}…" in why
    # 竞品B's cut the day before is no part of the why: it is listed under it as context (test_alert_rivals.py).
    assert "竞品B旗舰店" not in why
    [first_link, *_] = at.get("page_link")  # a page link: the URL parameters never become markdown
    assert first_link.proto.page == "review" and first_link.proto.label == "Open in Review"
    assert "alert=2026-11-18%7Crevenue%7Cstore%7C" in first_link.proto.query_string


def test_a_note_on_an_alert_marks_it_reviewed_and_shows_on_the_trend_chart(demo_db: Path) -> None:
    at = open_page(PAGE)
    at.text_area(key="overview_alert_text_0").input("Search rank lost to 竞品B's cut")
    at.selectbox(key="overview_alert_cause_0").set_value("competitor")
    at.button[[b.label for b in at.button].index("Save the note")].click()
    at.run()
    assert not at.exception
    assert section(at)[0].endswith("— reviewed")
    with duckdb.connect(str(demo_db)) as con:
        saved = con.execute("SELECT alert_key, cause, date_from FROM notes WHERE text LIKE 'Search rank%'").fetchall()
    assert saved == [("2026-11-18|revenue|store|", "competitor", DROP_DAY)]
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    hover = [a.get("hovertext", "") for a in chart["layout"].get("annotations", [])]
    assert any("Search rank lost to 竞品B" in h for h in hover)


def test_the_trend_chart_has_the_normal_range_and_the_recorded_activity(demo_db: Path) -> None:
    at = open_page(PAGE)
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [trace.get("name", "") for trace in chart["data"]]
    assert "Revenue: normal range" in names and "Visitors: normal range" in names
    alert_days = next(t for t in chart["data"] if t.get("name") == "Revenue: alert days")
    assert str(DROP_DAY) in " ".join(map(str, alert_days["x"]))
    hover = " ".join(a.get("hovertext", "") for a in chart["layout"].get("annotations", []))
    assert DEMO_ACTIVITY[0] in hover
    rects = [s for s in chart["layout"].get("shapes", []) if s["type"] == "rect"]
    assert rects and str(DEMO_ACTIVITY[1]) in str(rects[0]["x0"])


def test_targets_row_states_progress_and_method(demo_db: Path) -> None:
    at = open_page(PAGE)
    with duckdb.connect(str(demo_db)) as con:
        last = con.execute("SELECT max(date) FROM traffic WHERE store = ?", [DEMO_STORE]).fetchone()[0]
        month_revenue = con.execute(
            "SELECT sum(revenue) FROM traffic WHERE store = ? AND platform = 'tmall' AND source_level = 1"
            " AND date >= ? AND date <= ?",
            [DEMO_STORE, last.replace(day=1), last],
        ).fetchone()[0]
    target = DEMO_TARGETS["revenue"][0]
    share, projected = month_revenue / target, month_revenue / last.day * 30 / target
    row = [m.value for m in at.markdown if m.value.startswith(f"Day {last.day} of 30")]
    assert row, [m.value for m in at.markdown]
    assert f"{share:.0%} of the Revenue target, on pace for {projected:.0%}" in row[0]
    assert any(c.value.startswith("Projection: the month so far") for c in at.caption)
    assert DEMO_NOTE  # the demo's note is on 10-01, before the default period: not on this chart
