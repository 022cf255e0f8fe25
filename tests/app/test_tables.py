"""Tables and the trend as a reader meets them (issue 10 items 14, 15, 16, 19): the deciding columns first,
"—" with its reason instead of "None", and a comparison line named with its own dates."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from tests.app.conftest import open_page
from tests.app.test_overview import latest_day

OCTOBER = {"range": "custom", "from": "2026-10-01", "to": "2026-10-31", "cur": "CNY"}


def table_with(at, column: str):
    found = [d for d in at.dataframe if column in d.value.columns]
    assert found, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def column_help(table, label: str) -> str:
    """The tooltip Streamlit is told for a column (its column config travels as JSON)."""
    config = json.loads(table.proto.columns)
    return config.get(label, {}).get("help", "")


def test_promotion_breakdown_puts_roas_and_acos_right_after_the_names(demo_db: Path) -> None:
    at = open_page("views/promotion.py", **OCTOBER)
    columns = list(table_with(at, "ACOS").value.columns)
    names = [c for c in columns if c in ("Platform", "Campaign")]
    assert columns[: len(names) + 2] == [*names, "ROAS", "ACOS"], columns


def test_what_moved_shows_the_changes_before_the_values(demo_db: Path) -> None:
    at = open_page("views/overview.py", cur="CNY")
    columns = list(table_with(at, "Channel").value.columns)
    first_value = columns.index("Revenue, before")
    assert columns.index("Visitors change %") < first_value
    assert columns.index("Revenue change %") < first_value
    assert columns[: columns.index("Revenue change %")] == ["Platform", "Channel", "Source"]


def test_an_empty_cell_shows_a_dash_with_its_reason(demo_db: Path) -> None:
    at = open_page("views/funnel.py", **OCTOBER)
    stages = table_with(at, "From previous stage")
    assert pd.isna(stages.value["From previous stage"].iloc[0])  # the first stage has no stage before it
    assert stages.proto.placeholder == "—"
    assert "no stage before it" in column_help(stages, "From previous stage")
    assert all(d.proto.placeholder == "—" for d in at.dataframe)


def _comparison_span(first: date, last: date) -> str:
    if first.month == last.month:
        return f"{first.day}–{last.day} {last:%b} {last.year}"
    return f"{first.day} {first:%b} – {last.day} {last:%b} {last.year}"


def test_the_comparison_line_is_named_and_hovered_with_its_own_dates(demo_db: Path) -> None:
    at = open_page("views/overview.py", cur="CNY")
    end = latest_day(demo_db)
    compare_end, compare_start = end - timedelta(days=30), end - timedelta(days=59)  # the previous 30 days
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    traces = {trace["name"]: trace for trace in spec["data"]}
    assert f"Revenue, {_comparison_span(compare_start, compare_end)} (comparison)" in traces, list(traces)
    revenue = traces[f"Revenue, {_comparison_span(compare_start, compare_end)} (comparison)"]
    assert str(revenue["customdata"][0]).startswith(compare_start.isoformat())
    assert str(revenue["x"][0]).startswith((end - timedelta(days=29)).isoformat())  # drawn over this period
    assert "%b %-d} (comparison)" in revenue["hovertemplate"]
    assert "Revenue" in traces  # the current line keeps the plain name
    captions = " ".join(c.value for c in at.caption)
    assert _comparison_span(compare_start, compare_end) in captions
