"""The line and bar charts (shopdata/ui/widgets.py) and the price tracks (shopdata/ui/prices.py) are built as
Plotly traces directly, not through Plotly Express (which took 25–60 ms a chart checking every property): each
figure must still be the one Plotly Express and style_chart drew — the same traces in the same order and
colours, the same axes, legend and hover text — checked here against Plotly Express itself, and the colour rule
by hand."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio
import pytest
import streamlit.elements.plotly_chart  # noqa: F401  (sets Streamlit's theme as Plotly's default, as on a page)
from plotly.subplots import make_subplots

from shopdata.metrics.definitions import metric
from shopdata.ui import annotations, i18n, orders, overview, prices, widgets


@pytest.fixture(autouse=True, params=["en", "zh"])
def language(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(i18n, "_latest_language", request.param)
    return request.param


def _spec(fig) -> dict:
    return json.loads(json.dumps(fig.to_plotly_json(), default=str, sort_keys=True))


def _series(days: int, names=("revenue", "spend", "target"), as_dates: bool = True) -> pd.DataFrame:
    first = date(2026, 8, 25)
    rows = [
        {
            "day": first + timedelta(days=n) if as_dates else f"2026-{8 + n // 31:02d}",
            "series": name,
            "value": n * 1.5 + i,
        }
        for i, name in enumerate(names)
        for n in range(days)
    ]
    return pd.DataFrame(rows)


def _px_line(frame, x, y, title, unit, currency, color, y_title, colors, dashed):
    """What widgets drew before: Plotly Express and style_chart."""
    fig = px.line(frame, x=x, y=y, color=color, markers=len(frame) < 40, color_discrete_map=colors or {})
    fig.for_each_trace(lambda trace: trace.update(line_dash="dash", mode="lines") if trace.name in dashed else None)
    return widgets.style_chart(fig, unit, currency, title, y_title, dates=widgets._is_dates(frame[x]))


def _px_bar(frame, x, y, title, unit, currency, color, horizontal, y_title):
    if horizontal:
        fig = px.bar(frame, x=y, y=x, color=color, orientation="h")
        number_format, prefix = widgets.plotly_format(unit, currency)
        fig.update_layout(title=title, margin=widgets.MARGIN, legend=widgets.LEGEND)
        fig.update_xaxes(tickformat=widgets.plotly_tick_format(unit), tickprefix=prefix, title=y_title)
        fig.update_yaxes(title="", autorange="reversed")
        fig.update_traces(hovertemplate=f"%{{y}}: {prefix}%{{x:{number_format}}}<extra></extra>")
        return fig
    fig = px.bar(frame, x=x, y=y, color=color)
    return widgets.style_chart(fig, unit, currency, title, y_title, dates=widgets._is_dates(frame[x]))


LINES = [
    # markers under 40 points; a colour given for one series; a dashed reference line
    (_series(3), "day", "value", "Spend", "money", "CNY", "series", "¥", {"spend": "#d62728"}, ("target",)),
    (_series(30), "day", "value", "Spend", "money", "USD", "series", "", None, ()),  # 90 points: lines only
    (_series(5), "day", "value", "Rate", "percent", None, None, "", None, ()),  # one trace, no legend
    (_series(4, names=("spend",)), "day", "value", "Clicks", "count", None, "series", "", None, ()),
    (_series(40, as_dates=False), "day", "value", "ROAS", "ratio", None, "series", "", None, ()),  # months as text
    (_series(13), "day", "value", "Spend", "money", "CNY", "series", "", None, ()),  # 39 points: markers
    (_series(10, names=("a", "b", "c", "d")), "day", "value", "Spend", "money", "CNY", "series", "", None, ()),  # 40
]
BARS = [
    (frame, x, "value", "Title", unit, currency, color, horizontal, "Axis")
    for frame, x, unit, currency in (
        (_series(3), "day", "money", "CNY"),
        (_series(20, as_dates=False), "day", "percent", None),
    )
    for color in (None, "series")
    for horizontal in (False, True)
]


@pytest.mark.parametrize("args", LINES, ids=range(len(LINES)))
def test_a_line_chart_is_the_one_plotly_express_drew(args) -> None:
    assert _spec(widgets._line_figure(*args)) == _spec(_px_line(*args))


def test_a_series_without_a_name_is_left_out_as_plotly_express_leaves_it() -> None:
    frame = _series(3)
    frame.loc[frame["series"] == "revenue", "series"] = None
    args = (frame, "day", "value", "Spend", "money", "CNY", "series", "", None, ())
    built = widgets._line_figure(*args)
    colorway = list(pio.templates[pio.templates.default].layout.colorway)
    # The unnamed rows come first and are counted for the colours, as Plotly Express counts them.
    assert [(trace.name, trace.line.color) for trace in built.data] == [("spend", colorway[1]), ("target", colorway[2])]
    assert _spec(built) == _spec(_px_line(*args))


@pytest.mark.parametrize("args", BARS, ids=range(len(BARS)))
def test_a_bar_chart_is_the_one_plotly_express_drew(args) -> None:
    assert _spec(widgets._bar_figure(*args)) == _spec(_px_bar(*args))


def test_colours_follow_the_theme_counting_the_ones_given() -> None:
    colorway = list(pio.templates[pio.templates.default].layout.colorway)
    frame = pd.DataFrame({"series": ["b", "a", "b", "c", "a"], "value": range(5)})
    groups = widgets.trace_groups(frame, "series", {"a": "red"})
    # b is first seen: with one colour given it takes the theme's second; c the third.
    assert [(name, list(rows["value"]), colour) for name, rows, colour in groups] == [
        ("b", [0, 2], colorway[1]),
        ("a", [1, 4], "red"),
        ("c", [3], colorway[2]),
    ]
    assert [(name, colour) for name, _, colour in widgets.trace_groups(frame, None)] == [("", colorway[0])]


def _track(days: int, own: tuple[str, ...]) -> pd.DataFrame:
    first = date(2026, 8, 25)
    return pd.DataFrame(
        [
            {"date": first + timedelta(days=n), "track": track, "price": 100.0 - n + i, "own": track in own}
            for i, track in enumerate(("Our listing", "Rival shop"))
            for n in range(days)
        ]
    )


def _px_track(series: pd.DataFrame, name: str, currency: str | None):
    """prices.track_figure as it was drawn with Plotly Express."""
    fig = px.line(series, x="date", y="price", color="track", line_shape="hv", markers=len(series) < 40)
    ours = set(series.loc[series["own"], "track"])
    suffix = f" ({i18n.t('prices.ours')})"
    fig.for_each_trace(
        lambda trace: trace.update(
            line_width=prices.OWN_LINE_WIDTH if trace.name in ours else prices.OTHER_LINE_WIDTH,
            name=trace.name + suffix if trace.name in ours else trace.name,
        )
    )
    fig = widgets.style_chart(
        fig, "money", currency, i18n.t("prices.chart_title", name=name), i18n.t("prices.price_axis")
    )
    fig.update_xaxes(type="date", tickformat=widgets.DATE_TICKS.get(i18n.current_language(), "%b %-d, %Y"))
    days = pd.to_datetime(series["date"])
    if (days.max() - days.min()).days < prices.SHORT_TRACK_DAYS:
        half_day = pd.Timedelta(hours=12)
        fig.update_xaxes(range=[days.min() - half_day, days.max() + half_day], dtick=prices.DAY_MS)
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.15, "xanchor": "left", "x": 0})
    return fig


@pytest.mark.parametrize("days", [1, 3, 30])
@pytest.mark.parametrize("own", [("Our listing",), ()])
def test_a_price_track_is_the_one_plotly_express_drew(days: int, own: tuple[str, ...]) -> None:
    series = _track(days, own)
    built = prices.track_figure(series, "Lip balm", "CNY")
    assert _spec(built) == _spec(_px_track(series, "Lip balm", "CNY"))
    assert [trace.line.shape for trace in built.data] == ["hv", "hv"]


# ---- the charts with a second axis and the marks drawn on a chart, against Plotly's own way of adding them


def _two_axis_reference(traces_left, traces_right, left: tuple, right: tuple, **layout):
    """A chart with a secondary y axis as Plotly builds one: make_subplots, traces added to either axis, the
    axes and layout updated after."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    for traces, secondary in ((traces_left, False), (traces_right, True)):
        for trace in traces:
            fig.add_trace(trace, secondary_y=secondary)
    for (unit, currency, title), secondary in ((left, False), (right, True)):
        _, prefix = widgets.plotly_format(unit, currency)
        fig.update_yaxes(
            tickformat=widgets.plotly_tick_format(unit), tickprefix=prefix, title=title, rangemode="tozero",
            tickmode="auto", secondary_y=secondary,
        )  # fmt: skip
    fig.update_yaxes(showgrid=False, secondary_y=True)
    fig.update_layout(**layout)
    widgets.date_axis(fig)
    return fig


def _trend_frame(days: int, compared: bool, measures: tuple[str, ...]) -> pd.DataFrame:
    current = pd.date_range("2026-09-01", periods=days)
    frame = pd.DataFrame({"date": current, "period_date": current, "series": overview.CURRENT})
    if compared:
        before = frame.assign(period_date=current - pd.Timedelta(days=days), series=overview.COMPARISON)
        frame = pd.concat([frame, before], ignore_index=True)
    for n, name in enumerate(measures):
        frame[name] = [i * 1.5 + n for i in range(len(frame))]
    return frame


OVERVIEW_MEASURES = ("revenue", "visitors", "spend", "order_revenue", "paid_orders")


@pytest.mark.parametrize("compared", [True, False])
@pytest.mark.parametrize("banded", [True, False])
def test_the_overview_trend_has_the_axes_plotly_gives_a_secondary_y(compared: bool, banded: bool) -> None:
    frame = _trend_frame(10, compared, OVERVIEW_MEASURES)
    band = None
    if banded:
        days = pd.date_range("2026-09-01", periods=10)
        one = pd.DataFrame({"date": days, "low": 2.0, "high": 9.0, "actual": 5.0, "alert": [d.day == 4 for d in days]})
        band = pd.concat([one.assign(metric="revenue"), one.assign(metric="visitors")], ignore_index=True)
    lines = {name: [overview._line(frame, name, s, "CNY", c) for s in overview._series(frame)[name]]
             for name, c in (("revenue", widgets.REVENUE_COLOR), ("visitors", widgets.VISITORS_COLOR))}  # fmt: skip
    bands = {
        name: annotations.band_traces(band[band["metric"] == name], name, "CNY", c) if band is not None else []
        for name, c in (("revenue", widgets.REVENUE_COLOR), ("visitors", widgets.VISITORS_COLOR))
    }
    reference = _two_axis_reference(
        [*bands["revenue"], *lines["revenue"]],
        [*bands["visitors"], *lines["visitors"]],
        ("money", "CNY", metric("revenue").text(i18n.current_language())),
        ("count", "CNY", metric("visitors").text(i18n.current_language())),
        title=i18n.t("overview.trend.title"),
        margin=widgets.MARGIN,
        hovermode="x unified",
        legend=widgets.LEGEND if band is None else widgets.BANDED_LEGEND,
    )
    built = overview._revenue_figure(frame, "CNY", band)
    assert _spec(built) == _spec(reference)
    assert [trace.yaxis for trace in built.data].count("y2") == len(bands["visitors"]) + (2 if compared else 1)


@pytest.mark.parametrize("compared", [True, False])
def test_the_order_trend_has_the_axes_plotly_gives_a_secondary_y(compared: bool) -> None:
    frame = _trend_frame(45, compared, ("order_revenue", "paid_orders"))
    series = [overview.CURRENT, *([overview.COMPARISON] if compared else [])]
    language = i18n.current_language()
    reference = _two_axis_reference(
        [orders._trace(frame, "order_revenue", s, "USD", widgets.REVENUE_COLOR, "1–45 Aug") for s in series],
        [orders._trace(frame, "paid_orders", s, "USD", orders.ORDERS_COLOR, "1–45 Aug") for s in series],
        ("money", "USD", metric("order_revenue").text(language)),
        ("count", "USD", metric("paid_orders").text(language)),
        title="Orders",
        margin={**widgets.MARGIN, "t": 120},
        hovermode="x unified",
        legend=widgets.LEGEND,
    )
    assert _spec(orders._trend_figure(frame, "USD", "Orders", "1–45 Aug")) == _spec(reference)


def test_marks_are_added_after_the_ones_a_chart_has_as_plotly_adds_them() -> None:
    first = date(2024, 3, 1)
    frame = pd.DataFrame({"day": [first + timedelta(days=n) for n in range(20)], "spend": range(20), "series": "spend"})
    base = widgets._line_figure(frame, "day", "spend", "Spend", "money", "CNY", "series", "", None, ())
    sale = annotations.Mark("activity", date(2024, 3, 2), date(2024, 3, 4), "Sale <b>", "Sale (3 days)")
    note = annotations.Mark("note", date(2024, 3, 6), date(2024, 3, 6), "📝 price", "Price: up")
    day = annotations.Mark("activity", date(2024, 3, 9), date(2024, 3, 9), "Live", "Live (1 day)")
    later = annotations.Mark("note", date(2024, 3, 12), date(2024, 3, 12), "📝 stock", "Stock: out")
    added = annotations.Mark("note", date(2024, 3, 15), date(2024, 3, 15), "📝 back", "Stock: back")
    marked = annotations._annotated(annotations._annotated(base, (sale, note, day, later)), (added,))

    reference = go.Figure(base)
    # Labels step down by 0.07 and back up every third; the last mark was added on its own (the first of its call).
    for mark, step in ((sale, 0), (note, 1), (day, 2), (later, 0), (added, 0)):
        x1 = mark.last + timedelta(days=1) if mark.last > mark.first else mark.first
        if mark.kind == "activity":
            reference.add_shape(type="rect", x0=mark.first, x1=x1, y0=0, y1=1, xref="x", yref="paper", layer="below",
                                fillcolor=annotations.ACTIVITY_COLOR, line={"width": 0}, name="activity")  # fmt: skip
        else:
            reference.add_shape(type="line", x0=mark.first, x1=mark.first, y0=0, y1=1, xref="x", yref="paper",
                                line={"color": annotations.NOTE_COLOR, "width": 1.5, "dash": "dot"}, name="note")  # fmt: skip
        colour = annotations.ACTIVITY_LINE if mark.kind == "activity" else annotations.NOTE_COLOR
        reference.add_annotation(x=mark.first, y=1 - 0.07 * step, xref="x", yref="paper", text=widgets.chart_text(mark.label),
                                 hovertext=widgets.chart_text(mark.text), showarrow=False, xanchor="left", yanchor="top",
                                 font={"size": 11, "color": colour}, bgcolor="rgba(255,255,255,0.7)", name=mark.kind)  # fmt: skip
    assert _spec(marked) == _spec(reference)
    # The sale covers 2–4 March: its rectangle ends at midnight after the 4th; the note is a line on the 6th.
    assert [(s.type, s.x0, s.x1) for s in marked.layout.shapes] == [
        ("rect", date(2024, 3, 2), date(2024, 3, 5)),
        ("line", date(2024, 3, 6), date(2024, 3, 6)),
        ("rect", date(2024, 3, 9), date(2024, 3, 9)),
        ("line", date(2024, 3, 12), date(2024, 3, 12)),
        ("line", date(2024, 3, 15), date(2024, 3, 15)),
    ]
    assert [a.text for a in marked.layout.annotations] == ["Sale &lt;b&gt;", "📝 price", "Live", "📝 stock", "📝 back"]
    assert base.layout.shapes == ()  # the chart marked is left as it was


# ---- the products page's trend: revenue bars, visitors on their own axis


def _products_trend_reference(trend: pd.DataFrame, currency: str | None, revenue_name: str, visitors_name: str):
    """What the products page drew before: a figure, then style_chart, then the visitors' axis updated."""
    fig = go.Figure()
    fig.add_bar(x=trend["date"], y=trend["revenue"], name=revenue_name, marker_color=widgets.REVENUE_COLOR)
    if trend["visitors"].notna().any():
        fig.add_scatter(
            x=trend["date"], y=trend["visitors"], name=visitors_name, yaxis="y2", mode="lines+markers",
            line_color=widgets.VISITORS_COLOR,
        )  # fmt: skip
    fig = widgets.style_chart(fig, "money", currency, i18n.t("products.trend_title"), revenue_name)
    if trend["visitors"].notna().any():
        axis = {"overlaying": "y", "side": "right", "showgrid": False, "rangemode": "tozero", "title": visitors_name}
        # tickmode auto since 2026-12-06: the visitors' ticks at round numbers, not at the revenue axis's gridlines.
        fig.update_layout(yaxis2={**axis, "tickprefix": "", "tickformat": ",.0f", "tickmode": "auto"})
        fig.update_traces(selector={"name": visitors_name}, hovertemplate="%{y:,.0f}")
    return fig


@pytest.mark.parametrize("visitors", [True, False])
@pytest.mark.parametrize("currency", ["CNY", None])
def test_the_products_trend_is_the_one_built_and_updated_before(visitors: bool, currency: str | None) -> None:
    from shopdata.ui import products as products_ui

    days = pd.date_range("2026-09-01", periods=12)
    trend = pd.DataFrame(
        {
            "date": days,
            "revenue": [n * 10.0 for n in range(12)],
            "visitors": [n * 3.0 if visitors else None for n in range(12)],
        }
    )
    built = products_ui._trend_figure(trend, currency, "Revenue", "Visitors")
    assert _spec(built) == _spec(_products_trend_reference(trend, currency, "Revenue", "Visitors"))
    assert [trace.type for trace in built.data] == ["bar", "scatter"][: 2 if visitors else 1]
