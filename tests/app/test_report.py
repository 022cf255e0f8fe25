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


def add_robot(db: Path, url: str, secret: str = "", name: str = "运营群") -> int:
    with connect(str(db)) as engine:
        return Journal(Warehouse(engine)).add_webhook(OWNER, "dingtalk", name, url, secret)


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


@pytest.mark.parametrize("language", ["en", "zh"])
def test_send_to_every_robot_reports_each_and_builds_the_digest_once(
    demo_db: Path, robot: Robot, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """Two robots on loopback, the second refusing: one click sends to both; each robot's outcome is its own line
    in the reader's language, without its token; the digest is built once for the page and the clicks (the send
    controls are a fragment, and the digest is kept for the data generation and journal state)."""
    from shopdata import digest

    built = []
    original = digest.build_digest
    monkeypatch.setattr(digest, "build_digest", lambda *a, **k: built.append(a) or original(*a, **k))
    with running_robot() as refusing:
        refusing.script = [(200, json.dumps({"errcode": 310000, "errmsg": f"sign not match, token {TOKEN}"}), {})]
        add_robot(demo_db, f"{robot.base}/robot/send?access_token={TOKEN}", SECRET, name="运营群")
        add_robot(demo_db, f"{refusing.base}/robot/send?access_token={TOKEN}", SECRET, name="老板群")
        at = open_page("views/report.py", store="Demo store", lang=language)
        expected = chat_text(at)
        every = at.button(key="report_send_all")
        assert every.label == ("Send to all 2 robots" if language == "en" else "发送到全部 2 个机器人")
        every.click().run()
        assert not at.exception
        assert len(robot.requests) == 1 and len(refusing.requests) == 1
    assert json.loads(robot.requests[0][1])["markdown"]["text"] == expected
    assert json.loads(refusing.requests[0][1])["markdown"]["text"] == expected
    delivered = "Delivered to the DingTalk robot" if language == "en" else "已发送到钉钉"
    refused = "refused the message" if language == "en" else "拒绝了这条消息"
    [ok] = [s.value for s in at.success]
    [failed] = [e.value for e in at.error]
    assert ok.startswith("运营群") and delivered in ok
    assert failed.startswith("老板群") and refused in failed and "310000" in failed
    assert TOKEN not in ok + failed and SECRET not in ok + failed
    assert len(built) == 1  # the click reused the page's digest
    at.button(key="report_send_all").click().run()
    assert len(built) == 1 and len(robot.requests) == 2

    with connect(str(demo_db)) as engine:  # a note the report lists is written: the next run shows it
        Journal(Warehouse(engine)).add_note(
            OWNER, "Demo store", latest_day(demo_db), "复盘：搜索", follow_up=latest_day(demo_db)
        )
    at.run()
    assert len(built) == 2 and "复盘：搜索" in chat_text(at)
