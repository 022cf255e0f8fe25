"""`python -m shopdata digest` fills its journal sections from the store (alerts with drivers, target pace,
activities, open follow-ups) and sends to the robots configured for the store when no --webhook is given."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from shopdata.accounts import User
from shopdata.cli import main
from shopdata.demo import DEMO_STORE, load_demo
from shopdata.formatting import format_value
from shopdata.journal import Journal
from shopdata.store import open_warehouse

DAY = date(2026, 11, 18)  # the demo's search-traffic drop: alerts on the day
OWNER = User("boss", "owner")
REVENUE_TARGET = 1_000_000.0


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("digest-journal") / "demo.duckdb"
    warehouse = open_warehouse(str(path))
    with warehouse.engine:
        load_demo(warehouse)
        journal = Journal(warehouse)
        journal.set_target(OWNER, DEMO_STORE, "2026-11", "revenue", REVENUE_TARGET, "CNY")
        journal.add_activity(OWNER, DEMO_STORE, "Winter warm-up", date(2026, 11, 16), date(2026, 11, 17))
        journal.add_note(OWNER, DEMO_STORE, DAY, "search traffic fell", follow_up=date(2026, 11, 20))
        done = journal.add_note(OWNER, DEMO_STORE, DAY, "checked the ad budget", follow_up=date(2026, 11, 19))
        journal.update_note(OWNER, done, follow_up_done=True)
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_file, path)
    return path


def _month_revenue(db: Path) -> float:
    with duckdb.connect(str(db), read_only=True) as con:
        (revenue,) = con.execute(
            "select sum(revenue) from traffic where store = ? and grain = 'source' and source_level = 1"
            " and currency = 'CNY' and date between ? and ?",
            [DEMO_STORE, date(2026, 11, 1), DAY],
        ).fetchone()
    return float(revenue)


def _digest(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    capsys.readouterr()
    assert main(["digest", "--db", str(db), "--date", DAY.isoformat(), *extra]) == 0
    return capsys.readouterr().out


def _section(text: str, title: str) -> list[str]:
    lines = text.split(f"**{title}**\n\n", 1)[1].split("\n\n", 1)[0]
    return [line.removeprefix("- ") for line in lines.splitlines()]


def test_the_digest_fills_the_journal_sections(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _digest(demo_db, capsys)
    capsys.readouterr()
    assert main(["report", "alerts", "--db", str(demo_db), "--from", DAY.isoformat(), "--to", DAY.isoformat()]) == 0
    alerts = json.loads(capsys.readouterr().out)
    assert alerts and alerts[0]["date"] == DAY.isoformat()
    shown = _section(text, "Alerts")
    top = alerts[0]
    assert shown[0].startswith(f"{DAY} ")
    assert format_value(top["impact"], "money", "CNY", signed=True) in shown[0]
    assert "drivers: Visitors" in shown[0]  # a revenue or buyers alert on the day: visitors × conversion × 客单价

    revenue = _month_revenue(demo_db)
    projected = revenue * 30 / DAY.day
    # The demo's own November targets are revenue (replaced by this test's) and visitors.
    (target,) = [line for line in _section(text, "Targets") if line.startswith("2026-11 Revenue")]
    assert format_value(revenue, "money", "CNY") in target and format_value(REVENUE_TARGET, "money", "CNY") in target
    assert format_value(projected, "money", "CNY") in target
    assert format_value(projected / REVENUE_TARGET, "percent") in target

    assert _section(text, "Activities") == ["none"]  # the day's report: the warm-up ended the day before
    assert _section(text, "Open follow-ups") == ["2026-11-20: search traffic fell"]


def test_the_week_shows_its_activities(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    activities = _section(_digest(demo_db, capsys, "--period", "week"), "Activities")
    # The demo's own 双11 campaign ends on the week's first day; the warm-up is this test's.
    assert len(activities) == 2
    assert activities[0].startswith("双11预售+大促+返场 2026-10-20 – 2026-11-12")
    assert activities[1].startswith("Winter warm-up 2026-11-16 – 2026-11-17")


class _Robot:
    def __init__(self, answer: str) -> None:
        self.bodies: list[dict] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                robot.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(answer.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/robot/send?access_token=tok3n0123456789"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robots() -> Iterator[dict[str, _Robot]]:
    found = {
        "dingtalk": _Robot('{"errcode":0,"errmsg":"ok"}'),
        "slack": _Robot("ok"),
        "broken": _Robot('{"errcode":300001,"errmsg":"token is not exist"}'),
    }
    yield found
    for robot in found.values():
        robot.stop()


def _configure(db: Path, *webhooks: tuple[str, str]) -> None:
    warehouse = open_warehouse(str(db))
    with warehouse.engine:
        for kind, url in webhooks:
            Journal(warehouse).add_webhook(OWNER, kind, f"{kind} robot", url, store=DEMO_STORE)


def test_send_kind_goes_to_the_configured_robots_of_that_kind(
    demo_db: Path, robots: dict[str, _Robot], capsys: pytest.CaptureFixture[str]
) -> None:
    _configure(demo_db, ("dingtalk", robots["dingtalk"].url), ("slack", robots["slack"].url))
    assert main(["digest", "--db", str(demo_db), "--send", "dingtalk"]) == 0
    assert len(robots["dingtalk"].bodies) == 1 and robots["slack"].bodies == []
    assert "**Alerts**" in robots["dingtalk"].bodies[0]["markdown"]["text"]
    assert main(["digest", "--db", str(demo_db), "--send", "all"]) == 0
    assert len(robots["dingtalk"].bodies) == 2 and len(robots["slack"].bodies) == 1


def test_send_all_exits_2_when_one_robot_refuses(
    demo_db: Path, robots: dict[str, _Robot], capsys: pytest.CaptureFixture[str]
) -> None:
    _configure(demo_db, ("dingtalk", robots["broken"].url), ("slack", robots["slack"].url))
    capsys.readouterr()
    assert main(["digest", "--db", str(demo_db), "--send", "all"]) == 2
    assert len(robots["slack"].bodies) == 1  # the others are still sent
    err = capsys.readouterr().err
    assert "300001" in err and "tok3n0123456789" not in err


def test_send_without_a_configured_robot_says_so(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["digest", "--db", str(demo_db), "--send", "wecom"]) == 2
    err = capsys.readouterr().err
    assert "no wecom group robot is configured" in err and len(err.splitlines()) == 1


def test_a_product_alert_is_named_by_its_title(demo_db: Path) -> None:
    """The day's alerts on the demo's serum (an item number in the data) read with its title from the raw
    生意参谋 export, in the Markdown and the HTML alike."""
    from shopdata import digest
    from shopdata.metrics.cache import uncached_source
    from shopdata.metrics.segment_names import TITLE_CHARACTERS
    from tests.unit.metrics.test_segment_names import raw_title

    serum = "A60318842271"
    title = raw_title(serum)
    warehouse = open_warehouse(str(demo_db))
    with warehouse.engine:
        backend = uncached_source(warehouse.engine)
        sections = digest.journal_sections(backend, DEMO_STORE, DAY, "day", "en")
        products = [row for row in sections["alerts"] if row["dimension"] == "product" and row["segment"] == serum]
        assert products  # the drop reached the serum
        report = digest.build_digest(backend, DEMO_STORE, DAY, "day", "en", warehouse=warehouse, alerts=products)
    (alerts,) = [s for s in report.sections if s.key == "alerts"]
    shortened = f"{title[: TITLE_CHARACTERS - 1]}…"
    assert all(
        f" · {shortened}: " in line and serum not in line
        for line in alerts.lines[: min(len(products), digest.ALERTS_TOP)]
    )
    assert shortened in digest.to_markdown(report) and shortened in digest.to_html(report)
