"""Names from uploaded data never become markdown links, images or directives on any page (issue 9 item 5).

A hostile database — the demo store renamed, and hostile traffic sources, campaigns, products, price
shops, file names, zip member names and warnings quoting a cell — is drawn on every page; every element
body Streamlit renders as markdown (text elements, alerts, toasts, labels, tooltips, radio options,
expander and tab labels) is rendered with markdown-it-py, and none holds a link or an image."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from shopdata.schema import TABLES
from tests.app.conftest import open_page
from tests.support.rollups import rebuild_rollups


def image(host: str) -> str:
    return f"![x](http://{host}/beacon.png)"


def link(host: str) -> str:
    return f"[Session expired - sign in again](http://{host}/x)"


DIRECTIVE = ":red[alert] :material/lock:"
HOST = "127.0.0.1:9"  # nothing listens there; tests/e2e/test_markdown_injection.py counts requests to a real one
IMAGE, LINK = image(HOST), link(HOST)
MARKER = "127.0.0.1"
PAGES = (
    "views/overview.py",
    "views/funnel.py",
    "views/traffic.py",
    "views/promotion.py",
    "views/prices.py",
    "views/competitors.py",
    "views/data.py",
    "views/team.py",
)
RENDER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def make_hostile(db: Path, host: str = HOST) -> None:
    """The demo store as an attacker's uploads would leave it: every name that reaches a page is hostile."""
    hostile_image, hostile_link = image(host), link(host)
    hostile_store = f"[Session expired](http://{host}/x) {DIRECTIVE}"
    with duckdb.connect(str(db)) as con:
        [demo] = con.execute("SELECT name FROM stores").fetchone()
        con.execute("UPDATE stores SET name = ?", [hostile_store])
        for table in ("batches", "settings", *TABLES):
            con.execute(f"UPDATE {table} SET store = ? WHERE store = ?", [hostile_store, demo])
        con.execute("UPDATE traffic SET source_1 = ? WHERE source_1 = '淘外流量'", [hostile_image])
        con.execute("UPDATE traffic SET source_2 = ? WHERE source_2 IS NOT NULL", [hostile_link])
        con.execute("UPDATE traffic SET product_name = ?, campaign = ?", [hostile_image, hostile_link])
        con.execute("UPDATE ads SET campaign = ? WHERE campaign = '关键词推广-精华液'", [hostile_image])
        con.execute(
            "UPDATE ads SET ad_group = ?, keyword = ?, search_term = ?", [hostile_link, hostile_image, DIRECTIVE]
        )
        con.execute("UPDATE ads SET attribution = ? WHERE platform = 'google_ads'", [hostile_link])
        con.execute("UPDATE prices SET shop = ? WHERE shop = '竞品A旗舰店'", [hostile_image])
        con.execute("UPDATE prices SET product_name = ?", [hostile_link])
        con.execute("UPDATE rival_metrics SET rival_shop = ? WHERE rival_shop = '竞品A旗舰店'", [hostile_image])
        con.execute("UPDATE rival_metrics SET product_name = ?, keyword = ?", [hostile_link, DIRECTIVE])
        con.execute("UPDATE rival_metrics SET source = ? WHERE source IS NOT NULL", [hostile_link])
        con.execute("UPDATE rival_promotions SET rival_shop = ?, method = ?", [hostile_image, hostile_link])
        con.execute("UPDATE events SET source = ?, device = ?", [hostile_image, hostile_link])
        con.execute(
            "UPDATE orders SET product_name = ?, channel = ?, region = ?", [hostile_image, hostile_link, DIRECTIVE]
        )
        con.execute("UPDATE products SET name = ?, category = ?", [hostile_image, hostile_link])
        warnings = [
            f"row 7: the value {hostile_image} is not a date",  # a warning quoting a cell
            {"key": "warn.other_sheet", "params": {"sheet": hostile_link}, "text": f"other sheet {hostile_link}"},
        ]
        con.execute(
            "UPDATE batches SET file_name = ?, warnings = ?, skipped_reasons = ?",
            [f"{hostile_link}.csv", json.dumps(warnings), json.dumps({hostile_image: 3})],
        )
    rebuild_rollups(db)


def _blocks(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _blocks(child)


def markdown_bodies(at: AppTest) -> list[str]:
    """Every text the page gives Streamlit to render as markdown."""
    found: list[str] = []
    for node in _blocks(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = type(node).__name__
        for field in ("body", "label", "help", "placeholder", "caption"):
            value = getattr(proto, field, None)
            if isinstance(value, str) and value and kind not in ("Code", "Text", "Json"):
                found.append(value)
        if kind == "Radio":
            found.extend(proto.options)
        for holder in ("expandable", "tab", "popover"):
            if (
                proto.HasField(holder)
                if hasattr(proto, "HasField") and holder in proto.DESCRIPTOR.fields_by_name
                else False
            ):
                found.append(getattr(proto, holder).label)
    return found


# What remark-gfm links in text once markdown escapes are resolved: bare URLs and e-mail addresses.
AUTOLINK = re.compile(r"(?i)https?://|www\.|[\w.+-]+@[\w-]+\.")
DIRECTIVE_SYNTAX = re.compile(r":[a-z-]+\[|:material/")


def assert_no_link_or_image(at: AppTest) -> int:
    """Fails on any hostile text that renders as a link, an image, an autolinked URL or a Streamlit
    directive; returns how many hostile texts the page drew (escaped)."""
    assert not at.exception, at.exception
    hostile = [body for body in markdown_bodies(at) if MARKER in body]
    for body in hostile:
        html = RENDER.render(body)
        assert "<a " not in html and "<img" not in html, body
        unescaped = re.sub(r"\\(.)", r"\1", body)  # the text remark-gfm's autolinker searches
        assert not AUTOLINK.search(unescaped), body
        assert not DIRECTIVE_SYNTAX.search(re.sub(r"\\.", "", body)), body  # an escaped ":" or "[" forms none
    return len(hostile)


@pytest.fixture
def hostile_db(demo_db: Path) -> Path:
    make_hostile(demo_db)
    return demo_db


@pytest.mark.parametrize("page", PAGES)
def test_hostile_names_never_render_as_links_on_any_page(hostile_db: Path, page: str) -> None:
    at = open_page(page)
    drawn = assert_no_link_or_image(at)
    if page == "views/data.py":
        # The upload list draws the file names, quoted cells and skipped reasons, escaped.
        assert drawn >= 3


def test_the_traffic_drill_down_into_a_hostile_source(hostile_db: Path) -> None:
    at = open_page("views/traffic.py", level1=IMAGE)
    assert assert_no_link_or_image(at) >= 1  # the path caption and the radio option name it


def test_a_hostile_file_name_and_zip_member_on_the_data_page(hostile_db: Path) -> None:
    at = open_page("views/data.py")
    csv = b"Day,Campaign,Cost\n2026-11-01,Brand,10\n"
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr(f"{IMAGE}.csv", csv)
        archive.writestr(f"{LINK}.txt", b"not a report")
    at.file_uploader(key="uploads").upload(f"{LINK}.zip", bundle.getvalue(), "application/zip").run()
    assert assert_no_link_or_image(at) >= 2
