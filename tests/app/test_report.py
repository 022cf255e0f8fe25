"""The Report page (日报 / 周报) on the demo store: the chat text's figures, sending it to a group robot, and a
robot's error shown plainly without its token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from shopdata.accounts import User
from shopdata.engine import connect
from shopdata.journal import Journal
from shopdata.store import Warehouse
from tests.app.conftest import open_page
from tests.support.robot import Robot, running_robot

TOKEN = "rep0rtt0ken5a9c7e3b1d2f4a6c8e0b9d7"
SECRET = "SECreportc0ffee1234567890abcdefsec"
OWNER = User("Olivia", "owner")


@pytest.fixture
def robot() -> Iterator[Robot]:
    with running_robot() as fake:
        yield fake


def latest_day(db: Path) -> date:
    with duckdb.connect(str(db)) as con:
        return con.execute("SELECT max(date) FROM traffic WHERE store = 'Demo store'").fetchone()[0]


def traffic_totals(db: Path, first: date, last: date) -> tuple[float, int]:
    """Revenue and visitors in CNY (the demo's first currency) summed straight from the traffic table: its source
    grain's top level (every visitor once; the product rows count a visitor of two products twice)."""
    with duckdb.connect(str(db)) as con:
        revenue, visitors = con.execute(
            "SELECT sum(revenue), sum(visitors) FROM traffic WHERE store = 'Demo store' AND currency = 'CNY'"
            " AND grain = 'source' AND source_level = 1 AND date BETWEEN ? AND ?",
            [first, last],
        ).fetchone()
    return float(revenue), int(visitors)


def chat_text(at) -> str:
    return at.code[0].value


def add_robot(db: Path, url: str, secret: str = "") -> int:
    with connect(str(db)) as engine:
        return Journal(Warehouse(engine)).add_webhook(OWNER, "dingtalk", "运营群", url, secret)


def test_the_days_markdown_holds_the_warehouses_figures(demo_db: Path) -> None:
    at = open_page("views/report.py", store="Demo store")
    day = latest_day(demo_db)
    revenue, visitors = traffic_totals(demo_db, day, day)
    text = chat_text(at)
    assert text.startswith(f"### Demo store · daily report {day.isoformat()}")
    assert f"- Revenue: ¥{revenue:,.0f} (" in text
    assert f"- Visitors: {visitors:,}" in text
    assert "**Alerts**" in text and "**Open follow-ups**" in text
    assert any("WeChat, DingTalk and Feishu" in c.value for c in at.caption)


def test_the_week_covers_seven_days(demo_db: Path) -> None:
    at = open_page("views/report.py", store="Demo store")
    at.radio(key="report_period").set_value("week").run()
    assert not at.exception
    day = latest_day(demo_db)
    first = date.fromordinal(day.toordinal() - 6)
    _, visitors = traffic_totals(demo_db, first, day)
    text = chat_text(at)
    assert text.startswith(f"### Demo store · weekly report {first.isoformat()} – {day.isoformat()}")
    assert f"- Visitors: {visitors:,}" in text


def test_a_follow_up_written_in_the_journal_is_in_the_report(demo_db: Path) -> None:
    day = latest_day(demo_db)
    with connect(str(demo_db)) as engine:
        Journal(Warehouse(engine)).add_note(
            OWNER, "Demo store", day, "搜索流量下降", action="加大直通车预算", follow_up=day
        )
    text = chat_text(open_page("views/report.py", store="Demo store"))
    follow_ups = text.split("**Open follow-ups**", 1)[1]
    assert f"- {day.isoformat()}: 搜索流量下降" in follow_ups


def test_send_to_the_group_delivers_the_markdown(demo_db: Path, robot: Robot) -> None:
    add_robot(demo_db, f"{robot.base}/robot/send?access_token={TOKEN}", SECRET)
    at = open_page("views/report.py", store="Demo store")
    expected = chat_text(at)
    send = next(b for b in at.button if b.key and b.key.startswith("report_send_"))
    assert "运营群" in send.label
    send.click().run()
    assert not at.exception
    assert len(robot.requests) == 1
    path, body = robot.requests[0]
    assert f"access_token={TOKEN}" in path and "sign=" in path
    sent = json.loads(body)
    assert sent["msgtype"] == "markdown" and sent["markdown"]["text"] == expected
    assert at.success and "Delivered to the DingTalk robot" in at.success[0].value
    assert TOKEN not in at.success[0].value


def test_a_robots_error_is_plain_and_keeps_the_token_out(demo_db: Path, robot: Robot) -> None:
    robot.script = [(200, json.dumps({"errcode": 310000, "errmsg": f"sign not match, token {TOKEN}"}), {})]
    add_robot(demo_db, f"{robot.base}/robot/send?access_token={TOKEN}", SECRET)
    at = open_page("views/report.py", store="Demo store")
    next(b for b in at.button if b.key and b.key.startswith("report_send_")).click().run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "refused the message" in shown and "310000" in shown
    assert TOKEN not in shown and SECRET not in shown
    everything = " ".join(str(e.value) for e in (*at.markdown, *at.caption, *at.error, *at.code))
    assert TOKEN not in everything and SECRET not in everything


def test_chinese_report(demo_db: Path) -> None:
    at = open_page("views/report.py", store="Demo store", lang="zh")
    day = latest_day(demo_db)
    _, visitors = traffic_totals(demo_db, day, day)
    text = chat_text(at)
    assert text.startswith(f"### Demo store · 日报 {day.isoformat()}")
    assert f"{visitors:,}" in text
