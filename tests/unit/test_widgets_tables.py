"""The shared table helper: an empty cell's reason reaches the column's tooltip, money columns follow one
cents rule (shopdata/ui/widgets.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from shopdata.ui import i18n, widgets


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a script run the helpers speak the language of the latest run, which an earlier test may have
    left in 中文; these tests read the English texts."""
    monkeypatch.setattr(i18n, "_latest_language", "en")


def test_a_column_with_an_empty_cell_says_why_in_its_tooltip() -> None:
    frame = pd.DataFrame({"Stage": ["Viewed", "Bought"], "From previous": [math.nan, 0.25], "Users": [10.0, 2.0]})
    config = {
        "From previous": widgets.percent_column("From previous", missing="the first stage has no stage before it."),
        "Users": widgets.count_column("Users", missing="never shown: no cell is empty"),
    }
    styled, shown = widgets._styled(frame, config)
    assert shown is not None
    assert "— means: the first stage has no stage before it." in shown["From previous"]["help"]
    assert "help" not in shown["Users"] or "never shown" not in (shown["Users"]["help"] or "")
    assert all(widgets.FORMAT_KEY not in entry and widgets.MISSING_KEY not in entry for entry in shown.values())
    cells = styled.to_html()  # type: ignore[attr-defined]
    assert ">25.00%<" in cells and ">—<" in cells


def test_a_column_without_its_own_reason_gets_the_general_one() -> None:
    frame = pd.DataFrame({"CPA": [math.nan, 5.0]})
    _, shown = widgets._styled(frame, {"CPA": widgets.money_column("CPA", "CNY")})
    assert shown is not None and "divide by zero" in shown["CPA"]["help"]


def test_a_money_column_keeps_cents_only_when_all_its_amounts_are_small() -> None:
    big = pd.DataFrame({"Spend": [12_345.67, 9_876.54]})
    small = pd.DataFrame({"Spend": [123.45, 9_876.54]})
    config = {"Spend": widgets.money_column("Spend", "CNY")}
    assert ">¥12,346<" in widgets._styled(big, config)[0].to_html()  # type: ignore[attr-defined]
    assert ">¥9,877<" in widgets._styled(big, config)[0].to_html()  # type: ignore[attr-defined]
    assert ">¥9,876.54<" in widgets._styled(small, config)[0].to_html()  # type: ignore[attr-defined]
