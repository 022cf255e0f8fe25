"""The funnel page through AppTest: demo store, empty database, Chinese, and choices reproduced from the URL.

Expected numbers come from the demo database itself, read with plain SQL and Python (not the funnel code).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from tests.app.conftest import open_page as open_app_page

PAGE = "views/funnel.py"
DEMO = "Demo store"


def latest_day(db: Path) -> date:
    """The default period ends on the latest day with data in any table (see the shared filters)."""
    with duckdb.connect(str(db)) as con:
        return con.execute(
            "SELECT max(d) FROM (SELECT max(event_date) AS d FROM events UNION ALL SELECT max(end_date) FROM traffic "
            "UNION ALL SELECT max(end_date) FROM ads UNION ALL SELECT max(end_date) FROM prices "
            "UNION ALL SELECT max(order_date) FROM orders)"
        ).fetchone()[0]


def distinct_users(db: Path, behavior: str, start: date, end: date) -> int:
    with duckdb.connect(str(db)) as con:
        return con.execute(
            "SELECT count(DISTINCT user_id) FROM events WHERE store = ? AND behavior = ? "
            "AND event_date BETWEEN ? AND ?",
            [DEMO, behavior, start, end],
        ).fetchone()[0]


def closed_funnel_by_hand(db: Path, start: date, end: date, window: timedelta) -> list[int]:
    """view → cart → purchase per user in Python: first view, then the first cart within the window, then the
    first purchase within the window of that cart."""
    with duckdb.connect(str(db)) as con:
        rows = con.execute(
            "SELECT user_id, behavior, event_time FROM events WHERE store = ? AND event_date BETWEEN ? AND ?",
            [DEMO, start, end],
        ).fetchall()
    times: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for user, behavior, at in rows:
        times[user][behavior].append(at)
    reached = [0, 0, 0]
    for by_behavior in times.values():
        if not by_behavior["view"]:
            continue
        reached[0] += 1
        t1 = min(by_behavior["view"])
        carts = [t for t in by_behavior["cart"] if t1 <= t <= t1 + window]
        if not carts:
            continue
        reached[1] += 1
        t2 = min(carts)
        if any(t2 <= t <= t2 + window for t in by_behavior["purchase"]):
            reached[2] += 1
    return reached


def funnel_charts(at) -> list[dict]:
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return [c for c in charts if c["data"] and c["data"][0].get("type") == "funnel"]


def metric_values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def open_page(**params: str):
    """The funnel page on the first run, as a link with these query parameters opens it."""
    return open_app_page(PAGE, **params)


def test_demo_store_shows_the_event_funnel(demo_db: Path) -> None:
    at = open_page()
    assert at.title[0].value == "Conversion funnel"
    end = latest_day(demo_db)
    start = end - timedelta(days=29)  # default: the last 30 days
    viewers = distinct_users(demo_db, "view", start, end)
    buyers = distinct_users(demo_db, "purchase", start, end)
    assert viewers > 1000
    values = metric_values(at)
    assert values["Viewed"] == f"{viewers:,}"
    assert values["Purchased"] == f"{buyers:,}"
    assert values["Favourited"] == f"{distinct_users(demo_db, 'fav', start, end):,}"
    assert values["Overall conversion"] == f"{buyers / viewers:.2%}"

    charts = funnel_charts(at)
    assert len(charts) == 2  # this period and the comparison, side by side
    current = charts[0]["data"][0]
    assert current["y"] == ["Viewed", "Added to cart", "Purchased"]
    assert current["x"][0] == viewers
    assert "#E45756" in current["marker"]["color"]  # the biggest drop-off is highlighted
    assert any("biggest drop-off" in w.value for w in at.warning)

    stages = at.dataframe[0].value
    assert list(stages["Stage"]) == ["Viewed", "Added to cart", "Purchased"]
    assert list(stages["Users"]) == [viewers, distinct_users(demo_db, "cart", start, end), buyers]
    previous_end = start - timedelta(days=1)
    assert stages["Users (comparison)"].iloc[0] == distinct_users(
        demo_db, "view", previous_end - timedelta(days=29), previous_end
    )
    assert [r.value for r in at.radio if r.label == "Funnel from"] == ["events"]  # both kinds of data


def test_window_breakdown_and_range_come_from_the_url(demo_db: Path) -> None:
    at = open_page(range="last_7", window="1d", breakdown="category")
    assert {r.label: r.value for r in at.radio if r.label in ("Counting", "Break down by")} == {
        "Counting": "1d",
        "Break down by": "category",
    }
    end = latest_day(demo_db)
    start = end - timedelta(days=6)
    viewers, carted, bought = closed_funnel_by_hand(demo_db, start, end, timedelta(days=1))
    values = metric_values(at)
    assert values["Viewed"] == f"{viewers:,}"
    assert values["Purchased"] == f"{bought:,}"
    stages = at.dataframe[0].value
    assert list(stages["Users"]) == [viewers, carted, bought]

    by_category = at.dataframe[1].value
    assert list(by_category.columns[:4]) == ["Category", "Viewed", "Added to cart", "Purchased"]
    with duckdb.connect(str(demo_db)) as con:
        categories = con.execute(
            "SELECT count(DISTINCT category_id) FROM events WHERE store = ? AND event_date BETWEEN ? AND ?",
            [DEMO, start, end],
        ).fetchone()[0]
    assert len(by_category) == categories
    assert at.query_params["window"] == "1d" and at.query_params["breakdown"] == "category"


def test_export_funnel_from_the_url(demo_db: Path) -> None:
    at = open_page(funnel="exports", cur="CNY")
    end = latest_day(demo_db)
    start = end - timedelta(days=29)
    with duckdb.connect(str(demo_db)) as con:  # 生意参谋: only the top source level, never its children
        visitors, buyers = con.execute(
            "SELECT sum(visitors), sum(buyers) FROM traffic WHERE store = ? AND platform = 'tmall' "
            "AND source_level = 1 AND date BETWEEN ? AND ?",
            [DEMO, start, end],
        ).fetchone()
    values = metric_values(at)
    assert values["Visitors"] == f"{visitors:,.0f}"
    assert values["Paying buyers"] == f"{buyers:,.0f}"
    chart = funnel_charts(at)[0]["data"][0]
    assert chart["y"] == ["Visitors", "Product views", "Added to cart", "Reached checkout", "Paying buyers"]


def test_empty_database_names_the_exports_to_upload(empty_db: Path) -> None:
    at = open_page()
    messages = [i.value for i in at.info]
    assert any(
        "No behaviour log or traffic export with funnel stages" in m
        and "UserBehavior" in m
        and "Shopify sessions report" in m
        and "生意参谋 流量来源, 生意参谋 商品效果" in m
        for m in messages
    ), messages
    assert not funnel_charts(at)


def test_chinese_labels(demo_db: Path) -> None:
    at = open_page(lang="zh")
    assert at.title[0].value == "转化漏斗"
    assert {"浏览", "购买", "总体转化率", "收藏"} <= set(metric_values(at))
    assert funnel_charts(at)[0]["data"][0]["y"] == ["浏览", "加购", "购买"]
    assert list(at.dataframe[0].value.columns[:3]) == ["环节", "人数", "环节转化率"]


def test_a_comparison_period_with_two_stray_days_shows_no_change(empty_db: Path) -> None:
    """30 days of views, and in the 30 days before them only two days of stray early timestamps: the page must
    not present the 30-day total as a rise of thousands of percent against those."""
    from datetime import datetime

    import pyarrow as pa

    from shopdata.engine import connect
    from shopdata.store import BatchInfo, Warehouse

    end = date(2024, 11, 30)
    current = [end - timedelta(days=n) for n in range(30)]  # the default "last 30 days"
    stray = [end - timedelta(days=50), end - timedelta(days=51)]  # inside the previous 30 days
    rows = [(f"u{day}-{n}", "view", day) for day in current for n in range(10)]
    rows += [(f"u{day}-{n}", "purchase", day) for day in current for n in range(2)]
    rows += [(f"early{n}", "view", day) for day in stray for n in range(3)]
    table = pa.table(
        {
            "platform": ["taobao"] * len(rows),
            "nk": [f"e{i}" for i in range(len(rows))],
            "user_id": [r[0] for r in rows],
            "item_id": ["A"] * len(rows),
            "category_id": ["c"] * len(rows),
            "behavior": [r[1] for r in rows],
            "event_time": pa.array([datetime.combine(r[2], datetime.min.time()) for r in rows], pa.timestamp("us")),
            "event_date": pa.array([r[2] for r in rows], pa.date32()),
            "source": pa.array([None] * len(rows), pa.string()),
            "device": pa.array([None] * len(rows), pa.string()),
        }
    )
    with connect(str(empty_db)) as engine:
        store = Warehouse(engine)
        store.load(BatchInfo("My shop", "log.csv", "sha-log", 1, "taobao", "events", "taobao_userbehavior", {}), table)

    at = open_page()
    viewers, early_viewers = 300, 3  # 10 new users a day for 30 days; the same 3 users on the 2 stray days
    assert (viewers - early_viewers) / early_viewers == 99  # what the page used to show as "↑ +9900.0%"
    values = metric_values(at)
    assert "300" in values.values()
    assert all(not m.delta for m in at.metric), [(m.label, m.delta) for m in at.metric]
    note = next(w.value for w in at.warning if w.value.startswith("The comparison period is incomplete"))
    assert "data on 2 of 30 days, against 30 days" in note
    stages = next(d.value for d in at.dataframe if "Stage" in d.value.columns)
    assert not any("change" in c.lower() for c in stages.columns)

    at = open_page(lang="zh")
    assert all(not m.delta for m in at.metric)
    assert any("对比期数据不完整" in w.value for w in at.warning)


def test_a_source_whose_export_shows_a_dash_has_no_number_rather_than_zero(empty_db: Path, tmp_path: Path) -> None:
    """生意参谋 shows "-" for a source's small figures: 直通车's cart users here. The breakdown by source must not
    show 0 carts (and a 0 % step, then buyers out of nobody), but no number, with the reason in its tooltip."""
    import io
    from contextlib import redirect_stdout

    from shopdata import cli

    export = tmp_path / "sources.csv"
    export.write_text(
        "统计日期,一级来源,访客数,加购人数,支付买家数\n2024-03-01,手淘搜索,200,30,6\n2024-03-01,直通车,50,-,5\n",
        encoding="utf-8",
    )
    with redirect_stdout(io.StringIO()):
        assert cli.main(["ingest", str(export), "--db", str(empty_db), "--store", "Dash"]) == 0
    day = {"store": "Dash", "range": "custom", "from": "2024-03-01", "to": "2024-03-01", "cur": "CNY"}
    for language, cart, reason in (
        ("en", "Added to cart", "the export does not state this stage here"),
        ("zh", "加购", "导出文件此处没有给出这一环节的数据"),
    ):
        at = open_page(funnel="exports", breakdown="source", lang=language, **day)
        table = at.dataframe[-1]
        by_source = table.value.set_index(table.value.columns[0])
        carts = next(c for c in by_source.columns if c.startswith(cart))
        assert by_source.loc["手淘搜索", carts] == 30
        assert pd.isna(by_source.loc["直通车", carts])  # not 0
        assert reason in json.loads(table.proto.columns)[carts]["help"]
        # The store's carts are unknown too (not 手淘搜索's 30 against both sources' 250 visitors), and the page says
        # whose figures are missing and what the rest state.
        stages = at.dataframe[0].value.set_index(at.dataframe[0].value.columns[0])
        assert pd.isna(stages.loc[next(s for s in stages.index if s.startswith(cart)), stages.columns[0]])
        whose, rest = {
            "en": ("for 50 of the 250 visitors (直通车)", "the rows that state it count 30."),
            "zh": ("250 位访客中 50 位的这一项（直通车）", "给出这一项的行合计 30。"),
        }[language]
        assert any(whose in i.value and rest in i.value for i in at.info), [i.value for i in at.info]
        assert not at.warning  # no biggest drop: no step has both ends known
        chart = funnel_charts(at)[0]["data"][0]
        assert chart["text"][1] == {"en": "— not stated", "zh": "— 未给出"}[language]
        assert chart["text"][2] == "11"
