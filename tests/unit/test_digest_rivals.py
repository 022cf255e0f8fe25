"""The daily report's Rivals section (issue 15 item 4) on the hand-made rows of
tests/unit/metrics/test_rival_events.py (its docstring has the figures): on 11-14 甲家 cut X from 129 to 99,
started 淘客 and lost us 250 visitors against its usual 100; 乙品's 流失 has 2 earlier days only. Our shop, "Mine",
also cut a price that day: it is no rival's."""

from __future__ import annotations

from datetime import date

import pytest

from shopdata import digest, settings
from shopdata.store import Warehouse
from tests.unit.metrics.test_rival_events import LOSS, OWN, PRICES, PROMOTIONS, _load

D = date(2026, 11, 14)


def _rivals(warehouse: Warehouse, day: date, language: str = "en") -> digest.Section | None:
    report = digest.build_digest(warehouse.engine.ibis(), "S", day, "day", language, "CNY", warehouse=warehouse)
    return next((s for s in report.sections if s.key == "rivals"), None)


@pytest.fixture
def loaded(duck_store: Warehouse) -> Warehouse:
    _load(duck_store, "prices", [{**r, "currency": "CNY"} for r in PRICES], "prices")
    _load(duck_store, "rival_promotions", PROMOTIONS, "promotions")
    _load(duck_store, "rival_metrics", LOSS, "loss")
    settings.write(duck_store, {settings.OWN_SHOP: OWN}, "S")
    return duck_store


def test_the_rivals_section_lists_the_days_events_and_what_could_not_be_judged(loaded: Warehouse) -> None:
    section = _rivals(loaded, D)
    assert section is not None and section.title == "Rivals"
    assert section.lines == (
        "甲家 cut X from ¥129.00 to ¥99.00 (11-14)",
        "甲家 started 淘客 (甲家 焖烧杯, 11-14)",
        "visitors lost to 甲家: 250, 2.50× its usual 100 (median of 4 earlier periods) (11-14)",
        "visitors lost to 乙品 (11-14): too little history to tell a jump (2 earlier periods, 4 needed)",
    )
    markdown = digest.to_markdown(
        digest.build_digest(loaded.engine.ibis(), "S", D, "day", "en", "CNY", warehouse=loaded)
    )
    assert "甲家 cut X from ¥129.00 to ¥99.00 (11-14)" in markdown


def test_in_chinese(loaded: Warehouse) -> None:
    section = _rivals(loaded, D, "zh")
    assert section is not None and section.title == "竞品动态"
    assert section.lines[:2] == ("甲家 将 X 从 ¥129.00 降至 ¥99.00（11-14）", "甲家 开始使用淘客（甲家 焖烧杯，11-14）")
    assert section.lines[2] == "流失到 甲家 的访客：250，是其平时 100 的 2.50 倍（前 4 期的中位数）（11-14）"


def test_no_rival_data_no_section(loaded: Warehouse) -> None:
    assert _rivals(loaded, date(2026, 11, 20)) is None


def test_rival_data_without_events_says_none_and_what_was_looked_at(duck_store: Warehouse) -> None:
    rise = [r for r in PRICES if r["shop"] == "乙品"]  # 100 → 120: a rise is no cut
    _load(duck_store, "prices", [{**r, "currency": "CNY"} for r in rise], "prices")
    section = _rivals(duck_store, D)
    assert section is not None
    assert section.lines == (
        "No rival price cut, new promotion method or jump in lost traffic (looked at: competitor prices).",
    )
