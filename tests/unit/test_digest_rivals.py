"""The daily report's Rivals section (issue 15 item 4) on the hand-made rows of
tests/unit/metrics/test_rival_events.py (its docstring has the figures): on 11-14 甲家 cut X from 129 to 99,
started 淘客 and lost us 250 visitors against its usual 100; 乙品's 流失 has 2 earlier days only. Our shop, "Mine",
also cut a price that day: it is no rival's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from shopdata import digest, settings
from shopdata.cli import main
from shopdata.demo import DEMO_OWN_SHOP, DEMO_STORE, load_demo
from shopdata.store import Warehouse, open_warehouse
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


# ---- the demo store: its 11-18 search drop follows 竞品B's serum cut on 11-17 (sample_data/README.md)

DROP_DAY = date(2026, 11, 18)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("digest-rivals") / "demo.duckdb"
    warehouse = open_warehouse(str(path))
    with warehouse.engine:
        load_demo(warehouse)
    return path


def _rival_drops(db: Path, day: date) -> list[tuple[str, str, float, float]]:
    """Rival prices that fell by 10% or more from the day before to `day`, by SQL."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT a.shop, a.product_name, b.price, a.price FROM prices a JOIN prices b ON a.shop = b.shop "
            "AND a.product_id = b.product_id AND b.date = a.date - 1 WHERE a.store = ? AND a.date = ? "
            "AND a.shop <> ? AND a.price <= 0.9 * b.price ORDER BY a.shop",
            [DEMO_STORE, day, DEMO_OWN_SHOP],
        ).fetchall()


def _section(text: str, title: str) -> list[str]:
    lines = text.split(f"**{title}**\n\n", 1)[1].split("\n\n", 1)[0]
    return [line.removeprefix("- ") for line in lines.splitlines()]


def test_the_days_first_alert_carries_the_rival_cut_before_it(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [(shop, product, before, after)] = _rival_drops(demo_file, date(2026, 11, 17))
    assert _rival_drops(demo_file, DROP_DAY) == []
    capsys.readouterr()
    assert main(["digest", "--db", str(demo_file), "--date", DROP_DAY.isoformat()]) == 0
    text = capsys.readouterr().out
    alerts = [line for line in _section(text, "Alerts") if line.startswith(str(DROP_DAY))]
    prefix = "; around the same time (context, not a proven cause): "
    cut = f"{shop} cut {product} from ¥{before:,.2f} to ¥{after:,.2f} (11-17)"
    # The cut comes first; the demo's 生意参谋 流失 export and promotion sheet add that rival's other events.
    assert prefix + cut in alerts[0]
    assert all("around the same time" not in line for line in alerts[1:])  # once a day, with its largest alert
    # The report's own day has no price cut (checked by SQL above); its rival lines are the demo's jump in
    # traffic lost to the rival that cut its price the day before, nothing about a cut.
    rivals = _section(text, "Rivals")
    assert rivals and all(line.endswith("(11-18)") and f"lost to {shop}" in line for line in rivals)
