"""Notes and activities on the time charts: a shaded range for a period of more than a day, a dotted line for a
day, each with a short label at the top and the whole text on hover (issue 12: "notes and activities appear as
annotations on every time chart"). Read afresh from the journal on every rerun: a handful of rows, and notes are
cached nowhere (shopdata/journal.py).

Also a judged KPI's normal range as a band behind its line, with its alert days marked (band_frame,
band_traces, with_bands): the overview's trend and the promotion page's spend and ROAS draw them alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from shopdata.formatting import plotly_format
from shopdata.journal import Journal
from shopdata.metrics.definitions import metric
from shopdata.metrics.query import Scope
from shopdata.ui import widgets
from shopdata.ui.i18n import current_language, t
from shopdata.ui.session import get_warehouse

LABEL_CHARACTERS = 18  # a label longer than this is cut; the hover has it whole
NOTE_COLOR = "#9467bd"
ACTIVITY_COLOR = "rgba(255, 187, 120, 0.18)"
ACTIVITY_LINE = "#ff7f0e"
ALERT_COLOR = "#d62728"
BAND_OPACITY = 0.15


@dataclass(frozen=True)
class Mark:
    """A note or an activity as a chart shows it."""

    kind: str  # "note" or "activity"
    first: date
    last: date
    label: str  # short, at the top of the chart
    text: str  # whole, on hover


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "…"


def marks(scope: Scope) -> list[Mark]:
    """The store's activities and notes overlapping the scope's period, activities first."""
    if scope.store is None or scope.start is None or scope.end is None:
        return []
    journal = Journal(get_warehouse())
    language = current_language()
    found = []
    for activity in journal.activities(scope.store, scope.start, scope.end, language):
        kind = t(f"loop.kind.{activity['kind']}")
        found.append(
            Mark(
                "activity",
                activity["date_from"],
                activity["date_to"],
                _short(activity["name"]),
                f"{activity['name']} ({kind}, {widgets.date_span(activity['date_from'], activity['date_to'])})",
            )
        )
    for note in reversed(journal.notes(scope.store, scope.start, scope.end)):
        cause = t(f"loop.cause.{note['cause']}")
        text = note["text"] + (f" — {note['action']}" if note["action"] else "")
        found.append(
            Mark(
                "note",
                note["date_from"],
                note["date_to"],
                _short(f"📝 {note['text']}"),
                f"{cause}: {text} ({note['author']})",
            )
        )
    return found


def annotated(fig: Any, found: Sequence[Mark]) -> Any:
    """A copy of the figure with the marks drawn (the figure itself is shared: widgets.figure keeps it), built
    once per process for the same figure and marks."""
    if not found:
        return fig
    return widgets.figure(_annotated, fig, tuple(found))


def _annotated(fig: Any, found: tuple[Mark, ...]) -> Any:
    shapes, labels = [], []
    for n, mark in enumerate(found):
        # Plotly draws a range's edges at midnight: the last day is covered through its end.
        x0, x1 = mark.first, mark.last + timedelta(days=1) if mark.last > mark.first else mark.first
        if mark.kind == "activity":
            shapes.append({
                "type": "rect", "x0": x0, "x1": x1, "y0": 0, "y1": 1, "xref": "x", "yref": "paper", "layer": "below",
                "fillcolor": ACTIVITY_COLOR, "line": {"width": 0}, "name": "activity",
            })  # fmt: skip
            color = ACTIVITY_LINE
        else:
            shapes.append({
                "type": "line", "x0": x0, "x1": x0, "y0": 0, "y1": 1, "xref": "x", "yref": "paper",
                "line": {"color": NOTE_COLOR, "width": 1.5, "dash": "dot"}, "name": "note",
            })  # fmt: skip
            color = NOTE_COLOR
        labels.append(
            {
                "x": x0,
                "y": 1 - 0.07 * (n % 3),  # neighbouring labels step down instead of covering each other
                "xref": "x",
                "yref": "paper",
                "text": widgets.chart_text(mark.label),
                "hovertext": widgets.chart_text(mark.text),
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "top",
                "font": {"size": 11, "color": color},
                "bgcolor": "rgba(255,255,255,0.7)",
                "name": mark.kind,
            }
        )
    # A copy with the marks after any the figure has, given in one step (Plotly checks each added shape and
    # label again when they are added one by one).
    marked = go.Figure(fig)
    marked.update_layout(shapes=[*marked.layout.shapes, *shapes], annotations=[*marked.layout.annotations, *labels])
    return marked


def current_marks() -> list[Mark]:
    """The marks of the period the sidebar's filters chose."""
    from shopdata.ui.filters import current  # the filters import the pages' widgets; read them when drawing

    return marks(current().scope)


# ---- the normal range and the alert days -------------------------------------------------------------


def band_frame(cells: pd.DataFrame, found: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """The store-level normal range of the named KPIs by day (judged days only, from alerts.judged_cells) with
    whether the day is an alert: date, metric, low, high, actual, alert."""
    head = cells[(cells["dimension"] == "store") & cells["metric"].isin(names) & cells["enough"]]
    alerted = set(zip(found.loc[found["dimension"] == "store", "date"], found.loc[found["dimension"] == "store", "metric"],
                      strict=True))  # fmt: skip
    band = head[["date", "metric", "low", "high", "actual"]].copy()
    band["alert"] = [(d, m) in alerted for d, m in zip(band["date"], band["metric"], strict=True)]
    band["date"] = pd.to_datetime(band["date"])
    return band.sort_values(["metric", "date"]).reset_index(drop=True)


def band_traces(part: pd.DataFrame, name: str, currency: str | None, color: str) -> list[dict]:
    """The normal range of KPI `name` (part: its rows of band_frame) as a shaded band (its upper edge filled
    down to the lower) in the line's colour, and the alert days as red markers on the line: Plotly traces as
    dictionaries, which the figure they go into checks once."""
    if part.empty:
        return []
    label = metric(name).text(current_language())
    number_format, prefix = plotly_format(metric(name).unit, currency)
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    fill = f"rgba({red}, {green}, {blue}, {BAND_OPACITY})"
    group = f"band_{name}"
    low = {
        "type": "scatter", "x": part["date"], "y": part["low"], "mode": "lines", "line": {"width": 0},
        "hoverinfo": "skip", "showlegend": False, "legendgroup": group, "name": f"{group}_low",
    }  # fmt: skip
    high = {
        "type": "scatter",
        "x": part["date"],
        "y": part["high"],
        "customdata": part["low"],
        "mode": "lines",
        "line": {"width": 0},
        "fill": "tonexty",
        "fillcolor": fill,
        "name": t("overview.trend.band", metric=label),
        "legendgroup": group,
        "hovertemplate": f"{prefix}%{{customdata:{number_format}}} … {prefix}%{{y:{number_format}}}"
        "<extra>%{fullData.name}</extra>",
    }
    alerts = part[part["alert"]]
    marked = {
        "type": "scatter",
        "x": alerts["date"],
        "y": alerts["actual"],
        "mode": "markers",
        "marker": {"color": ALERT_COLOR, "size": 10, "symbol": "circle-open", "line": {"width": 2}},
        "name": t("overview.trend.alert_days", metric=label),
        "legendgroup": group,
        "hoverinfo": "skip",
    }
    return [low, high, marked]


def with_bands(fig: Any, band: pd.DataFrame | None, colors: dict[str, str], currency: str | None) -> Any:
    """A copy of a one-axis figure with the normal range of each KPI in `colors` (KPI -> its line's colour)
    drawn behind the lines and the legend under the dates (with the band's entries it would wrap into the title);
    the figure itself when there is nothing to draw. Built once per process for the same figure and ranges."""
    if band is None:
        return fig
    return widgets.figure(_with_bands, fig, band, colors, currency)


def _with_bands(fig: Any, band: pd.DataFrame, colors: dict[str, str], currency: str | None) -> Any:
    traces = [
        trace
        for name, color in colors.items()
        for trace in band_traces(band[band["metric"] == name], name, currency, color)
    ]
    if not traces:
        return fig
    banded = go.Figure(data=[*traces, *fig.data], layout=fig.layout)
    banded.update_layout(legend=widgets.BANDED_LEGEND)
    return banded
