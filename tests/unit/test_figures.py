"""Figures kept once built (shopdata/ui/widgets.py `figure`), and the figures drawn on top of them — notes and
activities marked, a normal range behind the lines (shopdata/ui/annotations.py) — kept the same way: a rerun that
shows the same data and marks draws the figure built before, and never one built from other data or marks."""

from __future__ import annotations

import gc
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import pytest

from shopdata.ui import annotations, i18n, widgets


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_latest_language", "en")


def _days(values: list[float]) -> pd.DataFrame:
    first = date(2024, 3, 1)
    return pd.DataFrame(
        {"day": [first + timedelta(days=n) for n in range(len(values))], "spend": values, "series": "spend"}
    )


def _line(values: list[float]):
    return widgets.line_figure(_days(values), "day", "spend", "Spend", unit="money", currency="CNY", color="series")


SALE = annotations.Mark("activity", date(2024, 3, 2), date(2024, 3, 3), "Spring sale", "Spring sale (2 days)")
NOTE = annotations.Mark("note", date(2024, 3, 4), date(2024, 3, 4), "📝 price up", "Price: price up (ann)")


def test_the_same_figure_with_the_same_marks_is_built_once_and_the_shared_one_is_left_unmarked() -> None:
    base = _line([10.0, 12.0, 9.0, 11.0])
    first = annotations.annotated(base, [SALE, NOTE])
    again = annotations.annotated(_line([10.0, 12.0, 9.0, 11.0]), (SALE, NOTE))
    assert again is first
    assert base.layout.shapes == () and base.layout.annotations == ()  # the kept line figure is not drawn on
    rect, line = first.layout.shapes
    # The sale covers 2 and 3 March: its range ends at midnight after the 3rd; the note is a line on the 4th.
    assert (rect.type, rect.x0, rect.x1) == ("rect", date(2024, 3, 2), date(2024, 3, 4))
    assert (line.type, line.x0, line.x1) == ("line", date(2024, 3, 4), date(2024, 3, 4))
    assert [a.text for a in first.layout.annotations] == ["Spring sale", "📝 price up"]
    assert list(first.data[0].y) == [10.0, 12.0, 9.0, 11.0]


def test_other_marks_or_other_data_give_another_figure() -> None:
    marked = annotations.annotated(_line([10.0, 12.0, 9.0, 11.0]), [SALE])
    other_marks = annotations.annotated(_line([10.0, 12.0, 9.0, 11.0]), [NOTE])
    other_data = annotations.annotated(_line([10.0, 12.0, 9.0, 99.0]), [SALE])
    assert other_marks is not marked and [s.type for s in other_marks.layout.shapes] == ["line"]
    assert other_data is not marked and list(other_data.data[0].y) == [10.0, 12.0, 9.0, 99.0]
    assert annotations.annotated(_line([1.0]), []) is _line([1.0])  # nothing to mark: the figure itself


def test_a_normal_range_behind_the_line_is_kept_per_range() -> None:
    band = pd.DataFrame(
        {
            "date": pd.to_datetime([date(2024, 3, 1), date(2024, 3, 2)]),
            "metric": "spend",
            "low": [8.0, 9.0],
            "high": [12.0, 13.0],
            "actual": [10.0, 14.0],
            "alert": [False, True],
        }
    )
    base = _line([10.0, 14.0])
    banded = annotations.with_bands(base, band, {"spend": widgets.SPEND_COLOR}, "CNY")
    assert annotations.with_bands(_line([10.0, 14.0]), band.copy(), {"spend": widgets.SPEND_COLOR}, "CNY") is banded
    low, high, alerts, line = banded.data  # the range's two edges and its alert days behind the line
    assert list(low.y) == [8.0, 9.0] and list(high.y) == [12.0, 13.0] and list(alerts.y) == [14.0]
    assert list(line.y) == [10.0, 14.0] and len(base.data) == 1
    wider = band.assign(high=[12.0, 20.0])
    assert list(annotations.with_bands(base, wider, {"spend": widgets.SPEND_COLOR}, "CNY").data[1].y) == [12.0, 20.0]
    assert annotations.with_bands(base, None, {"spend": widgets.SPEND_COLOR}, "CNY") is base


def test_a_figure_not_built_by_figure_is_refused_rather_than_kept_by_identity() -> None:
    with pytest.raises(TypeError):
        annotations.annotated(go.Figure(go.Scatter(x=[1], y=[2])), [NOTE])


def test_a_figure_gone_from_memory_takes_what_it_was_built_from_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python reuses a dead object's id: a figure built later at the same address must not inherit the first
    one's inputs, or a figure drawn on top of it would be served from the first one's data."""
    monkeypatch.setattr(widgets, "_FIGURES", widgets.OrderedDict())
    built = widgets.figure(lambda values: go.Figure(go.Scatter(y=values)), [1.0, 2.0])
    address = id(built)
    assert address in widgets._BUILT_FROM
    widgets._FIGURES.clear()
    del built
    gc.collect()
    assert address not in widgets._BUILT_FROM
