"""A copied link reopens the same view in another browser: same sidebar choices, same table."""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlsplit

import pytest

from shopdata.i18n import translate
from tests.e2e.support import checked_radio, choose_radio, error_boxes, main, select, selected, sidebar, table_rows

pytestmark = pytest.mark.e2e

LINK = "/traffic?range=last_7&compare=yoy&cur=CNY&level1=淘内免费"
CHOICES = {"range": "last_7", "compare": "yoy", "cur": "CNY", "level1": "淘内免费"}
DEMO_STORE = "Demo store"


def label(key: str) -> str:
    return translate(key, "en")


def sources_rows(page) -> list[list[str]]:
    return table_rows(main(page).get_by_test_id("stDataFrame").first)


def choices_of(page) -> dict:
    """The sidebar filters and the level-1 choice as the user sees them."""
    return {
        "store": selected(sidebar(page), label("app.store")),
        "range": selected(sidebar(page), label("filters.range")),
        "compare": selected(sidebar(page), label("filters.compare")),
        "cur": selected(sidebar(page), label("filters.currency")),
        "level1": checked_radio(main(page), label("traffic.level.1")),
    }


def same_cells(a: str, b: str) -> bool:
    """Equal text, or equal numbers: the grid holds raw doubles, and DuckDB's parallel sums may differ in the
    last bit between runs (16074.65 vs 16074.650000000001) while the page shows the same rounded value."""
    if a == b:
        return True
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9)
    except ValueError:
        return False


def same_rows(left: list[list[str]], right: list[list[str]]) -> bool:
    return len(left) == len(right) and all(
        len(x) == len(y) and all(same_cells(a, b) for a, b in zip(x, y, strict=False))
        for x, y in zip(left, right, strict=False)
    )


def test_copied_link_opens_the_same_view(open_app) -> None:
    clicked = open_app("/traffic")
    default_rows = sources_rows(clicked)
    select(clicked, sidebar(clicked), label("filters.range"), label("filters.range.last_7"))
    select(clicked, sidebar(clicked), label("filters.compare"), label("filters.compare.yoy"))
    select(clicked, sidebar(clicked), label("filters.currency"), "CNY")
    choose_radio(clicked, main(clicked), label("traffic.level.1"), "淘内免费")
    assert error_boxes(clicked) == []
    expected = {
        "store": DEMO_STORE,
        "range": label("filters.range.last_7"),
        "compare": label("filters.compare.yoy"),
        "cur": "CNY",
        "level1": "淘内免费",
    }
    assert choices_of(clicked) == expected
    rows = sources_rows(clicked)
    assert len(rows) > 1 and not same_rows(rows, default_rows)  # the choices changed the table
    # The address bar after clicking is LINK plus the (default) store: LINK is what a teammate copies.
    copied = {key: values[0] for key, values in parse_qs(urlsplit(clicked.url).query).items()}
    assert copied == {**CHOICES, "store": DEMO_STORE}

    opened = open_app(LINK)

    assert error_boxes(opened) == []
    assert choices_of(opened) == expected
    opened_rows = sources_rows(opened)
    assert same_rows(opened_rows, rows), (opened_rows, rows)
