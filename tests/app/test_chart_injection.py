"""Names from uploaded data never become links in charts (issue 9 item 5, the charts' side).

Plotly draws category labels, legend entries and hover text through its own small HTML subset, in which
`<a href=…>` is a live link: a traffic source, campaign, product or price shop named with one would put a
link to anywhere on every teammate's chart. The hostile database of test_markdown_injection gets HTML
names too; every chart spec of every page is searched for a tag the data brought."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_page
from tests.app.test_markdown_injection import PAGES, _blocks
from tests.support.rollups import rebuild_rollups

HTML_LINK = '<a href="http://127.0.0.1:9/x">Session expired</a>'


def make_html_hostile(db: Path) -> None:
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE traffic SET source_1 = ? WHERE source_1 = '淘外流量'", [HTML_LINK])
        con.execute("UPDATE ads SET campaign = ? WHERE campaign = '关键词推广-精华液'", [HTML_LINK])
        con.execute("UPDATE prices SET shop = ? WHERE shop = '竞品A旗舰店'", [HTML_LINK])
        con.execute("UPDATE events SET source = ?", [HTML_LINK])
    rebuild_rollups(db)


def chart_specs(at: AppTest) -> list[str]:
    specs = []
    for node in _blocks(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and type(proto).__name__ == "PlotlyChart":
            specs.append(proto.spec)
    return specs


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


@pytest.fixture
def html_hostile_db(demo_db: Path) -> Path:
    make_html_hostile(demo_db)
    return demo_db


@pytest.mark.parametrize("page", PAGES)
def test_hostile_html_names_never_reach_a_chart_as_tags(html_hostile_db: Path, page: str) -> None:
    at = open_page(page)
    assert not at.exception, at.exception
    texts = [s for spec in chart_specs(at) for s in strings(json.loads(spec))]
    assert not [s for s in texts if "<a " in s.lower()]


def test_the_escaped_names_are_still_drawn(html_hostile_db: Path) -> None:
    """The traffic page's source chart still names the hostile source, as text (entities Plotly decodes)."""
    at = open_page("views/traffic.py")
    texts = [s for spec in chart_specs(at) for s in strings(json.loads(spec))]
    assert any("&lt;a href=" in s for s in texts)
