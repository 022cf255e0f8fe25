"""Shared page furniture: KPI cards, charts, tables with downloads, empty states."""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from pandas.io.formats.style import Styler
from streamlit.elements.lib import pandas_styler_utils

from shopdata.export import to_csv_bytes, to_xlsx_bytes
from shopdata.formatting import (
    MISSING,
    format_change,
    format_compact,
    format_value,
    plotly_format,
    plotly_tick_format,
    with_cents,
)
from shopdata.i18n import CATALOG
from shopdata.metrics.definitions import metric
from shopdata.ui.auth import offer_download
from shopdata.ui.i18n import current_language, t

DATA_PAGE = "views/data.py"
MARGIN = {"t": 80, "l": 10, "r": 10, "b": 10}
# One colour per measure across pages (the overview's trend uses the same).
REVENUE_COLOR, VISITORS_COLOR, SPEND_COLOR, REFERENCE_COLOR = "#1f77b4", "#ff7f0e", "#d62728", "#7f7f7f"
# Under the title, left-aligned: beside the plot a legend would squeeze half-width charts.
LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0, "title_text": ""}
# A chart with normal-range bands has twice the entries: above the plot they wrap into the title, so they go
# under the dates.
BANDED_LEGEND = {**LEGEND, "yanchor": "top", "y": -0.22}
# LEGEND as a figure built here holds it: the legend's group gap Plotly Express sets, kept with the figures it drew.
# Each layout gets its own copy (a page may change its legend, as the price track does).
_BUILT_LEGEND = {**LEGEND, "tracegroupgap": 0}
DATE_TICKS = {"zh": "%-m月%-d日"}
# A card value with 万 or 亿 falls back to a CJK font with a taller line box; a fixed line height keeps the
# cards of a row the same height.
CARD_STYLE = "<style>[data-testid='stMetricValue'] > div { line-height: 1.2; }</style>"
# How a table column is written (unit, currency, signed); show_table takes it out of the column config and
# formats the cells with shopdata.formatting, so tables read like the cards: -¥1,234.00, +12.5%, —.
FORMAT_KEY = "_shopdata_format"
# Why a column's cell can be empty ("—"); _styled adds it to the column's tooltip when a cell is empty.
MISSING_KEY = "_shopdata_missing"


def platform_name(code: str | None) -> str:
    """A platform as people call it (Tmall / 天猫), the code itself when it is not one we know."""
    key = f"platform.{code}"
    return t(key) if key in CATALOG else str(code)


def empty_state(what: str, exports: str) -> None:
    """Say which exports the page needs and link to the Data page."""
    st.info(t("ui.empty", what=what, exports=exports), icon="📭")
    st.page_link(DATA_PAGE, label=t("ui.go_to_data"), icon="📥")


def lazy_tabs(labels: Sequence[str], key: str) -> Sequence[Any]:
    """Tabs of which only the open one is drawn: a view skips each tab whose `.open` is False. Choosing another
    tab reruns the page (its other results cached) instead of every rerun computing and drawing every tab,
    hidden or not: on a filter change at 10M events each order breakdown or movers table is a query of
    0.2–0.3 s. A language change reopens the first tab (the choice is kept as its label)."""
    return st.tabs(list(labels), key=key, on_change="rerun")


def _markdown_text(text: str) -> str:
    # Tooltips are markdown: two "$" amounts would otherwise be read as LaTeX.
    return text.replace("$", "\\$")


def metric_card(
    name: str,
    value: float | None,
    previous: float | None,
    change: float | None,
    currency: str | None,
    notes: Sequence[str] = (),
) -> dict:
    """A card for kpi_cards showing the metric `name`: its label, unit, direction and 口径 (after `notes`, the
    card's own words — why it is empty, where it comes from) from the metric's one definition."""
    m = metric(name)
    language = current_language()
    return {
        "label": m.text(language),
        "value": value,
        "previous": previous,
        "change": change,
        "unit": m.unit,
        "direction": m.direction,
        "currency": currency,
        "help": "\n\n".join(part for part in (*notes, m.describe(language)) if part),
    }


def kpi_cards(cards: Sequence[dict], per_row: int = 4) -> None:
    """cards: label, value, previous, change, unit, direction, currency, help.

    Big values are shortened to fit the card (format_compact); the tooltip gives the exact value."""
    language = current_language()
    # One rule for the cents of the whole row of cards (see formatting.with_cents).
    cents = with_cents([card["value"] for card in cards if card["unit"] == "money"])
    st.html(CARD_STYLE)
    for start in range(0, len(cards), per_row):
        columns = st.columns(per_row)
        for column, card in zip(columns, cards[start : start + per_row], strict=False):
            unit, currency = card["unit"], card.get("currency")
            delta = None
            if card.get("change") is not None:
                delta = format_change(card["change"])
            color: Literal["normal", "inverse", "off"] = "normal" if card.get("direction", 1) >= 0 else "inverse"
            if card.get("direction") == 0:
                color = "off"
            shown = format_compact(card["value"], unit, currency, language, cents=cents)
            exact = format_value(card["value"], unit, currency)
            notes = [card.get("help") or ""]
            if shown != exact:
                notes.append(t("ui.exact", value=exact))
            if card.get("previous") is not None:
                notes.append(t("ui.vs", value=format_value(card["previous"], unit, currency)))
            help_text = "\n\n".join(n for n in notes if n)
            column.metric(
                card["label"],
                shown,
                delta=delta,
                delta_color=color,
                help=_markdown_text(help_text) or None,
                border=True,
            )


def date_axis(fig) -> None:
    """Dates in the page's language on the ticks, and in full (2026-11-03) in the hover."""
    fig.update_xaxes(date_xaxis())


def date_xaxis() -> dict[str, Any]:
    axis: dict[str, Any] = {"title_text": "", "hoverformat": "%Y-%m-%d"}
    ticks = DATE_TICKS.get(current_language())
    if ticks:
        axis["tickformat"] = ticks
    return axis


def date_span(first, last) -> str:
    """A run of days as people write it: "4–10 Nov 2025", "28 Oct – 3 Nov 2025" / "2025年11月4日–10日"."""
    if current_language() == "zh":
        start = f"{first.year}年{first.month}月{first.day}日"
        if (first.year, first.month) == (last.year, last.month):
            return start if first.day == last.day else f"{start}–{last.day}日"
        end = f"{last.month}月{last.day}日" if first.year == last.year else f"{last.year}年{last.month}月{last.day}日"
        return f"{start}–{end}"
    end = f"{last.day} {last:%b} {last.year}"
    if (first.year, first.month, first.day) == (last.year, last.month, last.day):
        return end
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{end}"
    if first.year == last.year:
        return f"{first.day} {first:%b} – {end}"
    return f"{first.day} {first:%b} {first.year} – {end}"


def _is_dates(values: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    sample = values.dropna()
    return not sample.empty and hasattr(sample.iloc[0], "isoformat")


def style_chart(fig, unit: str, currency: str | None, title: str, y_title: str, dates: bool = True):
    """The title, legend, number formats and date axis every chart has, on a figure built elsewhere (its every
    y axis and trace)."""
    _, prefix = plotly_format(unit, currency)
    fig.update_layout(title=title, margin=MARGIN, legend=LEGEND, hovermode="x unified")
    fig.update_yaxes(value_yaxis(unit, prefix, y_title))
    fig.update_traces(hovertemplate=value_hover(unit, currency))
    if dates:
        date_axis(fig)
    return fig


def value_hover(unit: str, currency: str | None) -> str:
    """A trace's hover text: its value with every digit, as in the tables."""
    number_format, prefix = plotly_format(unit, currency)
    return f"{prefix}%{{y:{number_format}}}"


def value_yaxis(unit: str, prefix: str, y_title: str) -> dict[str, Any]:
    """A y axis of values in `unit` (ticks prefixed with the currency's sign), titled, from zero."""
    return {"tickformat": plotly_tick_format(unit), "tickprefix": prefix, "title_text": y_title, "rangemode": "tozero"}


def styled_layout(x: str, unit: str, currency: str | None, title: str, y_title: str, dates: bool, **more) -> dict:
    """style_chart's layout for a figure built here in one step (Plotly checks each property it is given once,
    not again per update): the x axis titled by its column unless it holds dates."""
    _, prefix = plotly_format(unit, currency)
    xaxis = {"anchor": "y", "domain": [0.0, 1.0], "title_text": x, **(date_xaxis() if dates else {})}
    yaxis = {"anchor": "x", "domain": [0.0, 1.0], **value_yaxis(unit, prefix, y_title)}
    return {
        "title": title,
        "margin": MARGIN,
        "legend": dict(_BUILT_LEGEND),
        "hovermode": "x unified",
        "xaxis": xaxis,
        "yaxis": yaxis,
        **more,
    }


def measure_axis(unit: str, currency: str | None, title: str) -> dict[str, Any]:
    """A y axis of one measure on a chart with two: ticks in its unit, from zero."""
    _, prefix = plotly_format(unit, currency)
    # tickmode auto: plotly would otherwise put the right axis's ticks at the left axis's gridlines (1,645, 3,291 …)
    return {**value_yaxis(unit, prefix, title), "tickmode": "auto"}


def two_axis_layout(left: dict[str, Any], right: dict[str, Any], **layout) -> dict[str, Any]:
    """A layout by date with a second y axis on the right for traces on "y2" (the axes make_subplots gives a
    secondary y: the plot 94 % wide), built with the figure in one step rather than updated after."""
    return {
        **layout,
        "xaxis": {"anchor": "y", "domain": [0.0, 0.94], **date_xaxis()},
        "yaxis": {"anchor": "x", "domain": [0.0, 1.0], **left},
        "yaxis2": {"anchor": "x", "overlaying": "y", "side": "right", **right, "showgrid": False},
    }


def trace_groups(
    frame: pd.DataFrame, color: str | None, colors: dict | None = None
) -> list[tuple[str, pd.DataFrame, str]]:
    """(name, rows, colour) of each trace, as Plotly Express splits a frame by `color`: in order of first
    appearance, rows without a value left out when there are several groups; a colour from `colors`, else the
    next of the theme's colorway, counting the ones given (as Plotly Express counts them)."""
    sequence = list(pio.templates[pio.templates.default].layout.colorway)
    if color is None:
        return [("", frame, sequence[0])]
    values = pd.unique(frame[color])
    mapping = dict(colors or {})
    for value in values:
        if value not in mapping:
            mapping[value] = sequence[len(mapping) % len(sequence)]
    if len(values) == 1:
        return [(str(values[0]), frame, mapping[values[0]])]
    return [(str(value), frame[frame[color] == value], mapping[value]) for value in values if not pd.isna(value)]


def line_traces(
    frame: pd.DataFrame,
    x: str,
    y: str,
    color: str | None,
    colors: dict | None = None,
    dashed: Sequence[str] = (),
    shape: str | None = None,
) -> list[dict]:
    """One line per `color` group (see trace_groups), with markers when there are under 40 points; a name in
    `dashed` is a dashed reference line without markers."""
    markers = len(frame) < 40
    traces = []
    for name, rows, colour in trace_groups(frame, color, colors):
        line = {"color": colour, "dash": "dash" if name in dashed else "solid", **({"shape": shape} if shape else {})}
        traces.append(
            {
                "type": "scatter",
                "name": name,
                "legendgroup": name,
                "showlegend": name != "",
                "x": rows[x].to_numpy(),
                "y": rows[y].to_numpy(),
                "mode": "lines+markers" if markers and name not in dashed else "lines",
                "line": line,
                "marker": {"symbol": "circle"},
                "orientation": "v",
                "xaxis": "x",
                "yaxis": "y",
            }
        )
    return traces


def period_trace(part: pd.DataFrame, y: str, name: str, color: str, current: bool, hover: str, markers: bool) -> dict:
    """One period's line of a measure over the days it is drawn at (`date`), each point's own day (`period_date`)
    as its customdata for `hover`; the comparison's line dashed."""
    return {
        "type": "scatter",
        "x": part["date"],
        "y": part[y],
        "customdata": part["period_date"],
        "mode": "lines+markers" if markers else "lines",
        "name": name,
        "line": {"color": color, "dash": "solid" if current else "dash"},
        "hovertemplate": hover + "<extra>%{fullData.name}</extra>",
    }


# Figures built before, by what they were built from. Building a Plotly figure (Plotly checks every
# property) took longer than everything else of a rerun whose results came from the cache; the same data
# and labels give the same figure, so it is built once per process. Streamlit only reads a figure.
_FIGURES: OrderedDict[tuple, Any] = OrderedDict()
_FIGURES_LOCK = threading.Lock()
FIGURES_KEPT = 256
# What each figure `figure` built was built from, by the figure's id while it lives, so a figure drawn on top of
# it (the notes marked, a normal range behind the lines) is kept too: one built from it is the same whenever it is
# (an id is reused only after its object is gone, and the entry goes with it).
_BUILT_FROM: dict[int, tuple] = {}


def _fingerprint(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        rows = pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes()
        return ("frame", tuple(map(str, value.columns)), tuple(map(str, value.dtypes)), hashlib.sha256(rows).digest())
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _fingerprint(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_fingerprint(v) for v in value))
    built_from = _BUILT_FROM.get(id(value))
    if built_from is not None:
        return ("figure", built_from)
    hash(value)  # anything else must be hashable data (str, number, None …)
    return (type(value).__name__, value)


def chart_text(text: str) -> str:
    """A text from data as Plotly shows it. Plotly reads a small HTML subset in category labels, legend
    entries, titles and hover text, where `<a href=…>` is a live link; its markup characters become the
    entities it decodes, so the name is shown as it is and is never markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _chart_input(value: Any) -> Any:
    """A figure's input with every text in it passed through chart_text (frames' text cells, names,
    titles, the keys of colour maps); the column names of frames are the code's own and stay."""
    if isinstance(value, pd.DataFrame):
        text_columns = [c for c in value.columns if value[c].dtype == object or pd.api.types.is_string_dtype(value[c])]
        if not text_columns:
            return value
        safe = value.copy()
        for column in text_columns:
            safe[column] = safe[column].map(lambda cell: chart_text(cell) if isinstance(cell, str) else cell)
        return safe
    if isinstance(value, str):
        return chart_text(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_chart_input(v) for v in value)
    if isinstance(value, dict):
        return {_chart_input(k): v for k, v in value.items()}
    return value


def figure(build: Callable[..., Any], *inputs: Any) -> Any:
    """`build(*inputs)`, built once per process for the same inputs (frames by content, figures by what `figure`
    built them from) and language.

    Every text in the inputs reaches the figure through chart_text: data never becomes Plotly markup."""
    key = (build.__module__, build.__qualname__, current_language(), _fingerprint(inputs))
    with _FIGURES_LOCK:
        if key in _FIGURES:
            _FIGURES.move_to_end(key)
            return _FIGURES[key]
    built = build(*(_chart_input(value) for value in inputs))
    with _FIGURES_LOCK:
        _FIGURES[key] = built
        if id(built) not in _BUILT_FROM:  # a build may hand back its input figure unchanged
            _BUILT_FROM[id(built)] = key
            weakref.finalize(built, _BUILT_FROM.pop, id(built), None)
        while len(_FIGURES) > FIGURES_KEPT:
            _FIGURES.popitem(last=False)
    return built


def _line_figure(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    unit: str,
    currency: str | None,
    color: str | None,
    y_title: str,
    colors: dict[str, str] | None,
    dashed: Sequence[str],
):
    traces = line_traces(frame, x, y, color, colors, dashed)
    for trace in traces:
        trace["hovertemplate"] = value_hover(unit, currency)
    return go.Figure(data=traces, layout=styled_layout(x, unit, currency, title, y_title, _is_dates(frame[x])))


def line_chart(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    unit: str = "count",
    currency: str | None = None,
    color: str | None = None,
    y_title: str = "",
    key: str | None = None,
    colors: dict[str, str] | None = None,
    dashed: Sequence[str] = (),
) -> None:
    """colors: series name → colour (so spend is red wherever it is drawn); dashed: reference lines."""
    fig = line_figure(frame, x, y, title, unit, currency, color, y_title, colors, dashed)
    st.plotly_chart(fig, key=key, width="stretch")


def line_figure(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    unit: str = "count",
    currency: str | None = None,
    color: str | None = None,
    y_title: str = "",
    colors: dict[str, str] | None = None,
    dashed: Sequence[str] = (),
) -> Any:
    """line_chart's figure (shared: kept by `figure`), for a page that draws more on a copy of it."""
    return figure(_line_figure, frame, x, y, title, unit, currency, color, y_title, colors, tuple(dashed))


def bar_chart(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    unit: str = "count",
    currency: str | None = None,
    color: str | None = None,
    horizontal: bool = False,
    y_title: str = "",
    key: str | None = None,
) -> None:
    fig = figure(_bar_figure, frame, x, y, title, unit, currency, color, horizontal, y_title)
    st.plotly_chart(fig, key=key, width="stretch")


def _bar_figure(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    unit: str,
    currency: str | None,
    color: str | None,
    horizontal: bool,
    y_title: str,
):
    """Bars of `y` per `x`, one series per `color` group (see trace_groups); horizontal: `x` down the side,
    in the frame's order from the top."""
    number_format, prefix = plotly_format(unit, currency)
    traces = []
    for name, rows, colour in trace_groups(frame, color):
        bars = (
            {"x": rows[y].to_numpy(), "y": rows[x].to_numpy()}
            if horizontal
            else {"x": rows[x].to_numpy(), "y": rows[y].to_numpy()}
        )
        hover = f"%{{y}}: {prefix}%{{x:{number_format}}}<extra></extra>" if horizontal else value_hover(unit, currency)
        traces.append(
            {
                "type": "bar",
                "name": name,
                "legendgroup": name,
                "showlegend": name != "",
                **bars,
                "marker": {"color": colour, "pattern": {"shape": ""}},
                "orientation": "h" if horizontal else "v",
                "textposition": "auto",
                "hovertemplate": hover,
                "xaxis": "x",
                "yaxis": "y",
            }
        )
    if not horizontal:
        layout = styled_layout(x, unit, currency, title, y_title, _is_dates(frame[x]), barmode="relative")
        return go.Figure(data=traces, layout=layout)
    xaxis = {
        "anchor": "y",
        "domain": [0.0, 1.0],
        "tickformat": plotly_tick_format(unit),
        "tickprefix": prefix,
        "title_text": y_title,
    }
    yaxis = {"anchor": "x", "domain": [0.0, 1.0], "title_text": "", "autorange": "reversed"}
    layout = {
        "title": title,
        "margin": MARGIN,
        "legend": dict(_BUILT_LEGEND),
        "xaxis": xaxis,
        "yaxis": yaxis,
        "barmode": "relative",
    }
    return go.Figure(data=traces, layout=layout)


def _cell_formatter(unit: str, currency: str | None, signed: bool, cents: bool = True):
    if unit == "percent" and signed:
        return format_change
    return lambda value: format_value(value, unit, currency, signed=signed, cents=cents)


def _with_missing_reason(entry: dict, reason: str) -> dict:
    note = t("ui.missing_cell", missing=MISSING, reason=reason)
    return {**entry, "help": "\n\n".join(part for part in (entry.get("help"), note) if part)}


def _styled(frame: pd.DataFrame, column_config: dict | None) -> tuple[object, dict | None]:
    """The frame with its cells written by shopdata.formatting, and the column config Streamlit gets: a
    column with an empty cell says in its tooltip why a cell shows "—"; money keeps its cents or not by the
    column's amounts (formatting.with_cents)."""
    if not column_config:
        return frame, column_config
    config, formatters = {}, {}
    for label, entry in column_config.items():
        if isinstance(entry, dict) and (FORMAT_KEY in entry or MISSING_KEY in entry):
            entry = dict(entry)
            reason = entry.pop(MISSING_KEY, None) or t("ui.missing_default")
            if label in frame.columns and frame.columns.is_unique and frame[label].isna().any():
                entry = _with_missing_reason(entry, reason)
            if FORMAT_KEY in entry:
                unit, currency, signed = entry.pop(FORMAT_KEY)
                if label in frame.columns and frame.columns.is_unique:
                    cents = unit != "money" or with_cents(frame[label].astype(float).tolist())
                    formatters[label] = _cell_formatter(unit, currency, signed, cents)
        config[label] = entry
    if not formatters or not frame.columns.is_unique or frame.empty:
        return frame, config
    return frame.style.format(formatters), config


def _quick_to_draw(styler: Styler, key: Hashable | None = None) -> Styler:
    """`styler` (formats only, no CSS), drawn as it is with less work.

    Streamlit reads a Styler's display values from pandas' HTML rendering of every cell (`_translate`: an
    element per cell with its classes and attributes; 25–30 ms of the 0.1 s Streamlit took to send the products
    table's 210 rows at 10M), of which it keeps each cell's display value and the CSS rules. With no style
    function there is no CSS, so this styler hands Streamlit only the cells' display values, each from the
    display function pandas itself would call.

    key: what the written cells follow from (_cells_key); with it, cells written before are sent as they were
    (_display_values_once)."""
    if styler._todo:  # style functions to run: CSS that only pandas' rendering gives
        return styler
    cells = styler._display_funcs

    def body() -> list[list[dict[str, object]]]:
        # Cell ids and values as pandas' _translate_body writes them (rows from itertuples, as there).
        return [
            [{"id": f"row{r}_col{c}", "display_value": cells[(r, c)](value)} for c, value in enumerate(row[1:])]
            for r, row in enumerate(styler.data.itertuples())
        ]

    styler._translate = lambda *_args, **_kwargs: _DisplayValues(key, body)
    return styler


class _DisplayValues(Mapping[str, Any]):
    """What a quick styler's `_translate` hands Streamlit: {"body": the cells}, written only when read."""

    def __init__(self, key: Hashable | None, body: Callable[[], list]) -> None:
        self.key = key
        self._make = body
        self._body: list | None = None

    def __getitem__(self, name: str) -> list:
        if name != "body":
            raise KeyError(name)
        if self._body is None:
            self._body = self._make()
        return self._body

    def __iter__(self) -> Iterator[str]:
        return iter(("body",))

    def __len__(self) -> int:
        return 1


def _cells_key(frame: pd.DataFrame, column_config: dict | None) -> Hashable | None:
    """What a table's written cells follow from: its content (by _fingerprint), each column's format and the
    language; None when the content cannot be fingerprinted (its cells are then written every time)."""
    formats = tuple(
        (label, entry[FORMAT_KEY])
        for label, entry in (column_config or {}).items()
        if isinstance(entry, dict) and FORMAT_KEY in entry
    )
    try:
        content = _fingerprint(frame)
    except (TypeError, ValueError):  # cells pandas cannot hash (lists, dicts)
        return None
    return (content, tuple(map(str, frame.index.names)), str(frame.index.dtype), formats, current_language())


# The display values Streamlit sent for each table lately, by _cells_key. A warm rerun draws the same tables
# again; writing every cell (a Python call each) and Streamlit turning them into Arrow were a third of the
# products page's warm rerun at 10M (0.03–0.04 s of ~0.09). Keyed by content, an entry is only ever handed to a
# table with the very cells it was made from, so one session's tables never show another's.
_SENT_CELLS: OrderedDict[Hashable, bytes] = OrderedDict()
_SENT_CELLS_LOCK = threading.Lock()
SENT_CELLS_KEPT = 64
SENT_CELLS_BYTES = 32 * 2**20  # at most this much kept in all (a long table's cells can be megabytes)
_marshall_display_values = pandas_styler_utils._marshall_display_values


def _display_values_once(proto: Any, df: pd.DataFrame, styles: Mapping[str, Any]) -> None:
    """Streamlit's _marshall_display_values, answered from _SENT_CELLS for a quick styler with a key."""
    key = styles.key if isinstance(styles, _DisplayValues) else None
    if key is not None:
        with _SENT_CELLS_LOCK:
            sent = _SENT_CELLS.get(key)
            if sent is not None:
                _SENT_CELLS.move_to_end(key)
        if sent is not None:
            proto.styler.display_values = sent
            return
    _marshall_display_values(proto, df, styles)
    sent = proto.styler.display_values
    if key is not None and len(sent) <= SENT_CELLS_BYTES:
        with _SENT_CELLS_LOCK:
            _SENT_CELLS[key] = sent
            while len(_SENT_CELLS) > SENT_CELLS_KEPT or sum(map(len, _SENT_CELLS.values())) > SENT_CELLS_BYTES:
                _SENT_CELLS.popitem(last=False)


# marshall_styler looks _marshall_display_values up in its module on each call (streamlit 1.67, pinned).
pandas_styler_utils._marshall_display_values = _display_values_once


def frame_table(frame: pd.DataFrame, column_config: dict | None = None) -> None:
    """A table whose numbers are written like the cards (see FORMAT_KEY); an empty cell shows "—" (Streamlit
    paints a missing value as "None" whatever the formatter says, unless given a placeholder)."""
    shown, config = _styled(frame, column_config)
    if isinstance(shown, Styler):
        shown = _quick_to_draw(shown, _cells_key(frame, column_config))
    st.dataframe(shown, hide_index=True, column_config=config, width="stretch", placeholder=MISSING)


def show_table(
    frame: pd.DataFrame, key: str, file_name: str, column_config: dict | None = None, shown: pd.DataFrame | None = None
) -> None:
    """A table with CSV and XLSX downloads (formula injection neutralised); the downloads keep every digit.

    shown: the rows drawn when they are not all of `frame` (one page of a long table); the downloads hold all."""
    frame_table(frame if shown is None else shown, column_config)
    left, right, _ = st.columns([1, 1, 4])
    # Served by the edge to this signed-in session only, and written when the browser asks.
    with left:
        offer_download(
            f"{key}_csv",
            t("ui.download_csv"),
            "view",
            f"{file_name}.csv",
            "text/csv",
            produce=lambda: to_csv_bytes(frame),
        )
    with right:
        offer_download(
            f"{key}_xlsx",
            t("ui.download_xlsx"),
            "view",
            f"{file_name}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            produce=lambda: to_xlsx_bytes(frame),
        )


def changes_first(names: list[str], measures: list[str]) -> list[str]:
    """Columns in reading order: the names, every measure's change % and change (what the table answers),
    then the values before and now — a wide table's right edge is off screen."""
    return [
        *names,
        *(f"{m}_change_pct" for m in measures),
        *(f"{m}_change" for m in measures),
        *(c for m in measures for c in (f"{m}_previous", m)),
    ]


# A column configuration as st.dataframe takes it (Streamlit's column types build these dictionaries), plus
# FORMAT_KEY, which show_table takes out again.
ColumnConfig = dict[str, Any]


def number_column(
    label: str,
    unit: str,
    currency: str | None = None,
    signed: bool = False,
    help: str | None = None,
    missing: str | None = None,
) -> ColumnConfig:
    """A numeric column written like the KPI cards (see FORMAT_KEY); it still sorts by value.

    missing: why a cell of it can be empty, added to the tooltip when one is (a general reason otherwise)."""
    column: ColumnConfig = dict(st.column_config.NumberColumn(label, help=help))
    column[FORMAT_KEY] = (unit, currency, signed)
    if missing:
        column[MISSING_KEY] = missing
    return column


def money_column(label: str, currency: str | None, signed: bool = False, missing: str | None = None) -> ColumnConfig:
    return number_column(label, "money", currency, signed, missing=missing)


def percent_column(label: str, signed: bool = False, missing: str | None = None) -> ColumnConfig:
    return number_column(label, "percent", signed=signed, missing=missing)


def count_column(label: str, signed: bool = False, missing: str | None = None) -> ColumnConfig:
    return number_column(label, "count", signed=signed, missing=missing)


def ratio_column(label: str, missing: str | None = None) -> ColumnConfig:
    return number_column(label, "ratio", missing=missing)
