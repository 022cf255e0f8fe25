"""Traffic sources page through AppTest, checked against plain SQL on the demo database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.app.conftest import open_page as open_app_page

PAGE = "views/traffic.py"


def latest_day(db: Path) -> date:
    """The last day with data in any table: the default period ends there."""
    with duckdb.connect(str(db)) as con:
        return con.execute(
            "SELECT greatest((SELECT max(end_date) FROM traffic), (SELECT max(end_date) FROM ads), "
            "(SELECT max(end_date) FROM prices), (SELECT max(event_date) FROM events), "
            "(SELECT max(order_date) FROM orders))"
        ).fetchone()[0]


def tmall_visitors(db: Path, start: date, end: date, level: int, **sources: str) -> dict[str, float]:
    """Visitors per source on one level of the 生意参谋 rows, straight from the table."""
    column = f"source_{level}"
    where = " ".join(f"AND {name} = ?" for name in sources)
    with duckdb.connect(str(db)) as con:
        rows = con.execute(
            f"SELECT {column}, sum(visitors) FROM traffic WHERE platform = 'tmall' AND grain = 'source' "
            f"AND source_level = ? AND date >= ? AND end_date <= ? {where} GROUP BY 1",
            [level, start, end, *sources.values()],
        ).fetchall()
    return {name: value for name, value in rows}


def page(**params: str):
    return open_app_page(PAGE, **params)


def table_column(at, index: int, column: str) -> dict[str, float]:
    frame = at.dataframe[index].value
    return dict(zip(frame.iloc[:, 0], frame[column], strict=False))


def test_level_one_visitors_equal_the_summary_rows(demo_db: Path) -> None:
    at = page(cur="CNY")
    assert not at.exception
    assert at.title[0].value == "Traffic sources"
    end = latest_day(demo_db)
    start = end - timedelta(days=29)  # the default: last 30 days
    expected = tmall_visitors(demo_db, start, end, level=1)
    shown = table_column(at, 0, "Visitors")
    assert shown["淘内免费"] == expected["淘内免费"]
    assert shown == expected
    assert list(at.dataframe[0].value.columns) == [
        "Source",
        "Visitors",
        "Share of visitors",
        "Paying buyers",
        "Conversion rate",
        "Revenue",
        "Revenue per visitor",
    ]
    assert sum(table_column(at, 0, "Share of visitors").values()) == pytest.approx(1.0)
    assert at.radio(key="url_level1").value == ""
    charts = at.get("plotly_chart")
    assert len(charts) >= 1  # the daily trend
    assert at.metric[0].label == "Visitors" and at.metric[0].value == f"{sum(expected.values()):,.0f}"


def test_drilling_into_a_level_one_source(demo_db: Path) -> None:
    at = page(cur="CNY", level1="淘内免费")
    assert not at.exception
    assert at.radio(key="url_level1").value == "淘内免费"
    end = latest_day(demo_db)
    start = end - timedelta(days=29)
    shown = table_column(at, 0, "Visitors")
    assert "手淘搜索" in shown
    assert shown == tmall_visitors(demo_db, start, end, level=2, source_1="淘内免费")
    assert any("淘内免费" in c.value for c in at.caption)
    assert at.query_params["level1"] == "淘内免费"


def test_choosing_a_source_puts_it_in_the_url(demo_db: Path) -> None:
    at = page(cur="CNY")
    at.radio(key="url_level1").set_value("付费推广").run()
    assert not at.exception
    assert at.query_params["level1"] == "付费推广"
    assert set(table_column(at, 0, "Visitors")) == {"万相台", "淘宝客"}
    at.radio(key="url_level1").set_value("").run()
    assert "淘内免费" in table_column(at, 0, "Visitors")


def test_the_biggest_loss_is_named(demo_db: Path) -> None:
    at = page(cur="CNY", range="last_7")
    assert not at.exception
    end = latest_day(demo_db)
    now = tmall_visitors(demo_db, end - timedelta(days=6), end, level=1)
    before = tmall_visitors(demo_db, end - timedelta(days=13), end - timedelta(days=7), level=1)
    drops = {s: now.get(s, 0) - before[s] for s in before if now.get(s, 0) < before[s]}
    assert drops, "the week after 11-11 loses visitors in the demo store"
    worst = min(drops, key=drops.get)
    sentence = next(m.value for m in at.markdown if "lost the most" in m.value)
    assert sentence.startswith(f"{worst} lost the most visitors")
    assert f"{-drops[worst]:,.0f} fewer" in sentence
    changes = at.dataframe[1].value
    assert dict(zip(changes["Source"], changes["Visitors, change"], strict=False)) == {
        s: now.get(s, 0) - before[s] for s in before
    }


def test_the_shopify_sources_in_usd(demo_db: Path) -> None:
    at = page(cur="USD", level1="Search")
    assert not at.exception
    assert set(table_column(at, 0, "Visitors")) == {"Google", "Bing"}


def test_empty_database_names_the_exports(empty_db: Path) -> None:
    at = page()
    assert not at.exception
    message = " ".join(i.value for i in at.info)
    assert "No traffic by source" in message
    assert (
        "生意参谋 流量来源" in message
        and "Shopify sessions report" in message
        and "Google Analytics traffic acquisition" in message
    )
    assert not at.dataframe


def test_chinese_labels(demo_db: Path) -> None:
    at = page(cur="CNY", lang="zh")
    assert not at.exception
    assert at.title[0].value == "流量来源"
    columns = list(at.dataframe[0].value.columns)
    assert columns == ["来源", "访客数", "访客占比", "支付买家数", "支付转化率", "销售额", "UV价值"]
    assert at.radio(key="url_level1__zh").label == "一级来源"
    assert any("流失最多" in m.value or "没有来源" in m.value for m in at.markdown)
