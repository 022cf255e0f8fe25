"""The daily / weekly report on the demo store: figures checked by SQL, HTML self-contained, PNG drawn; the CLI."""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from shopdata import digest
from shopdata.cli import main
from shopdata.demo import DEMO_STORE, load_demo
from shopdata.errors import ShopdataError
from shopdata.formatting import format_value
from shopdata.store import open_warehouse

DAY = date(2026, 11, 22)  # the demo's last day
TOKEN = "tok3n5ecretvalue0123456789abcdef"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("digest") / "demo.duckdb"
    warehouse = open_warehouse(str(path))
    with warehouse.engine:
        load_demo(warehouse)
    return path


def _sql_day(path: Path, day: date) -> tuple[float, float, float]:
    """Revenue and visitors from the shop's top-level traffic sources, spend from the campaigns (CNY, tmall)."""
    with duckdb.connect(str(path), read_only=True) as con:
        revenue, visitors = con.execute(
            "select sum(revenue), sum(visitors) from traffic where store = ? and date = ? and grain = 'source' "
            "and source_level = 1 and currency = 'CNY'",
            [DEMO_STORE, day],
        ).fetchone()
        (spend,) = con.execute(
            "select sum(spend) from ads where store = ? and date = ? and grain = 'campaign' and currency = 'CNY'",
            [DEMO_STORE, day],
        ).fetchone()
    return revenue, visitors, spend


def _build(path: Path, language: str, period: str = "day", **sections) -> digest.Digest:
    warehouse = open_warehouse(str(path))
    with warehouse.engine:
        return digest.build_digest(
            warehouse.engine.ibis(), DEMO_STORE, DAY, period, language, "CNY", warehouse=warehouse, **sections
        )


@pytest.mark.parametrize("language", ["en", "zh"])
def test_markdown_kpis_equal_sql(demo_db: Path, language: str) -> None:
    report = _build(demo_db, language)
    revenue, visitors, spend = _sql_day(demo_db, DAY)
    before_revenue, before_visitors, _ = _sql_day(demo_db, date(2026, 11, 21))
    values = {k.metric: k for k in report.kpis}
    assert values["revenue"].value == pytest.approx(revenue)
    assert values["revenue"].previous == pytest.approx(before_revenue)
    assert values["visitors"].value == pytest.approx(visitors)
    assert values["spend"].value == pytest.approx(spend)
    text = digest.to_markdown(report)
    # Amounts of ten thousand and more drop their cents, and the row of cards follows them (formatting.with_cents).
    assert format_value(revenue, "money", "CNY", cents=False) in text
    assert format_value(visitors, "count") in text
    assert f"{revenue / before_revenue - 1:+.1%}" in text
    assert "|" not in text  # lists, never tables
    assert ("Key figures" if language == "en" else "核心指标") in text


def test_sections_passed_in_are_shown_omitted_or_none(demo_db: Path) -> None:
    alert = {
        "date": "2026-11-22", "metric": "visitors", "dimension": "source", "segment": "手淘搜索", "actual": 900.0,
        "expected": 1500.0, "low": 1300.0, "high": 1700.0, "direction": "down", "impact": -3200.0, "reviewed": False,
    }  # fmt: skip
    report = _build(demo_db, "en", alerts=[alert], follow_ups=[])
    keys = [s.key for s in report.sections]
    assert "alerts" in keys and "follow_ups" in keys and "targets" not in keys and "activities" not in keys
    sections = {s.key: s for s in report.sections}
    assert sections["follow_ups"].lines == ("none",)
    assert "手淘搜索" in sections["alerts"].lines[0] and "-¥3,200.00" in sections["alerts"].lines[0]


def test_undercuts_and_ads_follow_the_pages_rules(demo_db: Path) -> None:
    report = _build(demo_db, "en")
    sections = {s.key: s for s in report.sections}
    # The demo links its serum to 竞品D's at ¥159 against its own ¥199 (sample_data/README.md).
    assert any("竞品D" in line and "20.10%" in line for line in sections["undercuts"].lines)
    assert all(line.startswith(("Scale:", "Cut:", "Cannot judge:", "…")) or "judged" in line or "pays" in line
               for line in sections["ads"].lines)  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh"])
def test_html_is_self_contained(demo_db: Path, language: str) -> None:
    page = digest.to_html(_build(demo_db, language, "week"))
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<polyline" in page
    without_svg_namespace = page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"https?://", without_svg_namespace)
    assert not re.search(r"<(script|link|img|iframe)\b", page)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_png_opens_with_its_size(demo_db: Path, language: str) -> None:
    from PIL import Image

    data = digest.to_png(_build(demo_db, language))
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (750, 1334)
        assert len(image.convert("L").getcolors(1 << 16) or []) > 10  # text drawn, not a blank page


def test_png_without_a_cjk_font_says_so(demo_db: Path) -> None:
    with pytest.raises(ShopdataError, match="no font that can draw Chinese"):
        digest.to_png(_build(demo_db, "zh"), fonts=("/nonexistent/font.ttc",))


class _Robot:
    def __init__(self, answer: tuple[int, str]) -> None:
        self.bodies: list[dict] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                robot.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(answer[0])
                self.end_headers()
                self.wfile.write(answer[1].encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/robot/send?access_token={TOKEN}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot(request: pytest.FixtureRequest) -> Iterator[_Robot]:
    fake = _Robot(request.param)
    yield fake
    fake.stop()


@pytest.mark.parametrize("robot", [(200, '{"errcode":0,"errmsg":"ok"}')], indirect=True)
def test_cli_delivers(demo_db: Path, robot: _Robot, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["digest", "--db", str(demo_db), "--send", "dingtalk", "--webhook", robot.url, "--secret", "SECabc123"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert robot.bodies[0]["msgtype"] == "markdown" and "Key figures" in robot.bodies[0]["markdown"]["text"]
    assert TOKEN not in out.out + out.err


@pytest.mark.parametrize("robot", [(200, '{"errcode":300001,"errmsg":"token is not exist"}')], indirect=True)
def test_cli_robot_error_exits_2(demo_db: Path, robot: _Robot, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["digest", "--db", str(demo_db), "--send", "dingtalk", "--webhook", robot.url, "--secret", "SECabc123"])
    out = capsys.readouterr()
    assert code == 2
    assert "300001" in out.err and "token is not exist" in out.err
    assert TOKEN not in out.out + out.err and "SECabc123" not in out.out + out.err


def test_cli_writes_the_formats(demo_db: Path, tmp_path: Path) -> None:
    for fmt in ("md", "html", "png"):
        out = tmp_path / f"report.{fmt}"
        assert main(["digest", "--db", str(demo_db), "--format", fmt, "--language", "zh", "--out", str(out)]) == 0
        assert out.stat().st_size > 0
    assert "日报" in (tmp_path / "report.md").read_text()
