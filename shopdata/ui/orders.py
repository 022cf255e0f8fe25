"""Drawing the Orders page: KPI cards, the paid revenue and orders trend with its comparison (named with its own
dates, as the overview's), placed → paid → refunded, new and returning buyers, the cohort heat map, breakdowns,
the hour × weekday heat map and refunds by product. Numbers arrive computed from shopdata.metrics.orders."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from shopdata.formatting import format_value, plotly_format, plotly_tick_format
from shopdata.metrics.definitions import metric
from shopdata.metrics.periods import change
from shopdata.metrics.query import Scope
from shopdata.ui import annotations as chart_marks
from shopdata.ui import widgets
from shopdata.ui.i18n import current_language, t

# The KPI cards, in reading order (ratios after their parts).
CARDS = (
    "order_revenue",
    "paid_orders",
    "order_aov",
    "order_buyers",
    "order_count",
    "payment_rate",
    "order_refund",
    "refund_rate",
    "net_revenue",
    "new_buyers",
    "returning_buyers",
    "order_units",
)
REPEAT_CARDS = ("repeat_rate_30", "repeat_rate_60", "repeat_rate_90")
CURRENT, COMPARISON = "current", "comparison"
ORDERS_COLOR = "#2ca02c"
NEW_COLOR, RETURNING_COLOR = "#9ecae1", "#08519c"
REGIONS_SHOWN = 15
# What the breakdown and refund tables show; asked for by name so their queries skip each buyer's history
# (new/returning/repeat need every order of every buyer: the costliest part of an order query).
BREAKDOWN_COLUMNS = ("order_count", "paid_orders", "order_revenue", "order_refund", "refund_rate", "order_buyers")


def kpi_cards(names: tuple[str, ...], now: dict, before: dict | None, currency: str | None) -> None:
    """Cards of order metrics with their 口径 in the tooltip; "—" where the export cannot say."""
    cards = []
    for name in names:
        value, previous = now.get(name), (before or {}).get(name)
        cards.append(
            widgets.metric_card(
                name, value, previous, change(value, previous) if before is not None else None, currency
            )
        )
    widgets.kpi_cards(cards)


def aligned(now: pd.DataFrame, before: pd.DataFrame | None) -> pd.DataFrame:
    """The periods' buckets (days, weeks or months) as one frame: series, date (where it is drawn: the
    comparison's n-th bucket at the current period's n-th), period_date (the bucket's own first day) and the
    measures."""
    current = now.assign(series=CURRENT, period_date=now["date"])
    frames = [current]
    if before is not None and not before.empty:
        previous = before.head(len(current)).reset_index(drop=True)
        previous = previous.assign(series=COMPARISON, period_date=previous["date"])
        previous["date"] = current["date"].head(len(previous)).to_numpy()
        frames.append(previous)
    return pd.concat(frames, ignore_index=True)


def _trace(frame: pd.DataFrame, name: str, series: str, currency: str | None, color: str, span: str) -> dict:
    """A measure's line as a Plotly trace (a dictionary, checked once by the figure it goes into)."""
    part = frame[frame["series"] == series]
    m = metric(name)
    label = m.text(current_language())
    number_format, prefix = plotly_format(m.unit, currency)
    if series == CURRENT:
        trace_name, note = t("overview.trend.current", metric=label), ""
    else:
        trace_name, note = (
            t("overview.trend.comparison", metric=label, span=span),
            " " + t("overview.trend.comparison_day"),
        )
    hover = f"%{{customdata|%Y-%m-%d}}{note}: {prefix}%{{y:{number_format}}}"
    return widgets.period_trace(part, name, trace_name, color, series == CURRENT, hover, markers=len(part) < 40)


def _trend_figure(frame: pd.DataFrame, currency: str | None, title: str, span: str) -> go.Figure:
    language = current_language()
    series = [CURRENT, *([COMPARISON] if (frame["series"] == COMPARISON).any() else [])]
    traces = [
        {**_trace(frame, name, s, currency, color, span), "xaxis": "x", "yaxis": axis}
        for name, color, axis in (("order_revenue", widgets.REVENUE_COLOR, "y"), ("paid_orders", ORDERS_COLOR, "y2"))
        for s in series
    ]
    revenue, orders = metric("order_revenue"), metric("paid_orders")
    layout = widgets.two_axis_layout(
        widgets.measure_axis(revenue.unit, currency, revenue.text(language)),
        widgets.measure_axis(orders.unit, currency, orders.text(language)),
        title=title,
        # Four legend entries with dates wrap to two lines (in 中文 too): room above the plot keeps them off the title.
        margin={**widgets.MARGIN, "t": 120},
        hovermode="x unified",
        legend=widgets.LEGEND,
    )
    return go.Figure(data=traces, layout=layout)


def trend_chart(
    now: pd.DataFrame, before: pd.DataFrame | None, compare_scope: Scope | None, currency: str | None, grain: str
) -> None:
    """Paid revenue (left axis) and paid orders (right axis) per bucket; the comparison dashed, named with its
    own dates."""
    frame = aligned(now, before)
    span = widgets.date_span(compare_scope.start, compare_scope.end) if compare_scope else ""
    fig = widgets.figure(_trend_figure, frame, currency, t(f"orders.trend.title.{grain}"), span)
    st.plotly_chart(chart_marks.annotated(fig, chart_marks.current_marks()), key="orders_trend", width="stretch")


def stages_figure(labels: list[str], values: list[int]) -> go.Figure:
    """Each stage's bar labelled with its count and its share of the orders placed, written as the page's other
    counts are (28,010 and 86.00%; plotly's own value label would read 28.01k)."""
    placed = values[0]
    text = [f"{format_value(v, 'count')}<br>{format_value(v / placed if placed else None, 'percent')}" for v in values]
    number, _ = plotly_format("count")
    fig = go.Figure(
        go.Funnel(
            y=labels,
            x=values,
            text=text,
            textinfo="text",
            hovertemplate=f"%{{y}}: %{{x:{number}}}<extra></extra>",
            marker={"color": [ORDERS_COLOR, widgets.REVENUE_COLOR, widgets.SPEND_COLOR][: len(values)]},
        )
    )
    fig.update_layout(margin={"t": 10, "l": 10, "r": 10, "b": 10}, height=240)
    return fig


def stages(found: dict[str, int], summary: dict, has_refunds: bool) -> None:
    """Placed → paid → refunded as a funnel, and the sentence that reads it."""
    shown = ("placed", "paid", "refunded") if has_refunds else ("placed", "paid")
    labels = [t(f"orders.stage.{s}") for s in shown]
    values = [found[s] for s in shown]
    st.plotly_chart(stages_figure(labels, values), key="orders_stages", width="stretch")
    percent = lambda v: format_value(v, "percent")  # noqa: E731 - a local shorthand
    if has_refunds:
        st.markdown(
            t(
                "orders.stages.sentence",
                paid=format_value(found["paid"], "count"),
                placed=format_value(found["placed"], "count"),
                rate=percent(summary.get("payment_rate")),
                unpaid=format_value(found["placed"] - found["paid"], "count"),
                refunded=format_value(found["refunded"], "count"),
                refunded_share=percent(found["refunded"] / found["paid"] if found["paid"] else None),
                refund_rate=percent(summary.get("refund_rate")),
            )
        )
    else:
        st.caption(t("orders.stages.no_refund_column"))


def _buyers_figure(frame: pd.DataFrame, title: str, axis: str) -> go.Figure:
    language = current_language()
    fig = go.Figure(
        [
            go.Bar(x=frame["date"], y=frame[name], name=metric(name).text(language), marker_color=color)
            for name, color in (("new_buyers", NEW_COLOR), ("returning_buyers", RETURNING_COLOR))
        ]
    )
    fig.update_layout(barmode="stack", title=title, margin=widgets.MARGIN, legend=widgets.LEGEND, hovermode="x unified")
    fig.update_yaxes(title=axis, tickformat=plotly_tick_format("count"))
    widgets.date_axis(fig)
    return fig


def buyers_chart(frame: pd.DataFrame, grain: str) -> None:
    fig = widgets.figure(_buyers_figure, frame, t("orders.buyers.title"), t("orders.buyers.axis"))
    st.plotly_chart(fig, key="orders_buyers", width="stretch")
    st.caption(t("orders.buyers.caption", grain=t(f"orders.unit.{grain}")))


def cohort_cells(table: pd.DataFrame, last_day: date) -> pd.DataFrame:
    """The cohort table with the months that lie after the data's last day emptied (not yet seen, not 0%)."""
    out = table.copy()
    months = [c for c in out.columns if c.startswith("m") and c[1:].isdigit()]
    for i, cohort in enumerate(pd.to_datetime(out["cohort"])):
        seen = (last_day.year - cohort.year) * 12 + last_day.month - cohort.month
        for column in months:
            if int(column[1:]) > seen:
                out.loc[out.index[i], column] = None
    shown = [c for c in months if out[c].notna().any()]
    return out[["cohort", "buyers", *shown]]


def _cohort_figure(cells: pd.DataFrame, x_labels: list[str], y_labels: list[str]) -> go.Figure:
    z = cells[[c for c in cells.columns if c.startswith("m")]].astype("float64").to_numpy()
    text = [[format_value(v, "percent") if pd.notna(v) else "" for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x_labels,
            y=y_labels,
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            showscale=False,
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    # The month labels sit on top; the top margin keeps them below Plotly's toolbar, which appears there on hover.
    fig.update_layout(margin={"t": 64, "l": 10, "r": 10, "b": 10}, height=114 + 36 * len(y_labels))
    return fig


def cohort_heatmap(table: pd.DataFrame, last_day: date) -> None:
    cells = cohort_cells(table, last_day)
    months = [c for c in cells.columns if c.startswith("m")]
    month_labels = [t("orders.cohort.month", n=c[1:]) for c in months]
    cohort_labels = [
        f"{pd.Timestamp(c):%Y-%m} ({format_value(b, 'count')})"
        for c, b in zip(cells["cohort"], cells["buyers"], strict=True)
    ]
    fig = widgets.figure(_cohort_figure, cells, month_labels, cohort_labels)
    st.plotly_chart(fig, key="orders_cohorts", width="stretch")
    labels = {"cohort": t("orders.cohort.cohort"), "buyers": t("orders.cohort.buyers")}
    labels.update(dict(zip(months, month_labels, strict=True)))
    shown = cells.assign(cohort=[f"{pd.Timestamp(c):%Y-%m}" for c in cells["cohort"]]).rename(columns=labels)
    config = {labels["buyers"]: widgets.count_column(labels["buyers"])}
    config.update({label: widgets.percent_column(label, missing=t("orders.cohort.not_yet")) for label in month_labels})
    widgets.show_table(shown, key="orders_cohort_table", file_name="orders_cohorts", column_config=config)


def breakdown_table(frame: pd.DataFrame, by: str, currency: str | None) -> None:
    """One row per value of the breakdown with the order measures; downloads hold every row."""
    language = current_language()
    key_label = t(f"orders.by.{by}")
    labels = {by: key_label, **{name: metric(name).text(language) for name in BREAKDOWN_COLUMNS}}
    shown = frame[[by, *BREAKDOWN_COLUMNS]].sort_values("order_revenue", ascending=False).rename(columns=labels)
    config = {}
    for name in BREAKDOWN_COLUMNS:
        m, label = metric(name), labels[name]
        missing = {
            "refund_rate": t("orders.col.refund_rate_missing"),
            "order_buyers": t("orders.col.buyers_missing"),
        }.get(name)
        config[label] = widgets.number_column(label, m.unit, currency if m.unit == "money" else None, missing=missing)
    widgets.show_table(shown, key=f"orders_by_{by}", file_name=f"orders_by_{by}", column_config=config)


def region_chart(frame: pd.DataFrame, currency: str | None) -> None:
    top = frame.sort_values("order_revenue", ascending=False).head(REGIONS_SHOWN)
    label, value = t("orders.by.region"), metric("order_revenue").text(current_language())
    widgets.bar_chart(
        top[["region", "order_revenue"]].rename(columns={"region": label, "order_revenue": value}),
        x=label,
        y=value,
        title=t("orders.region.chart", top=len(top)),
        unit="money",
        currency=currency,
        horizontal=True,
        y_title=value,
        key="orders_region_chart",
    )


def _hours_figure(z: list[list[int]], weekdays: list[str], hour: str, weekday: str, orders: str) -> go.Figure:
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(range(24)),
            y=weekdays,
            colorscale="YlOrRd",
            hovertemplate=f"%{{y}} %{{x}}:00 · {orders}: %{{z:,}}<extra></extra>",
            colorbar={"title": orders},
        )
    )
    fig.update_xaxes(title=hour, dtick=2)
    fig.update_yaxes(title=weekday, autorange="reversed")
    fig.update_layout(margin={"t": 10, "l": 10, "r": 10, "b": 10}, height=320)
    return fig


def hours_heatmap(frame: pd.DataFrame) -> None:
    """Orders per weekday × hour; hours without orders are 0."""
    grid = [[0] * 24 for _ in range(7)]
    for weekday, hour, count in frame[["weekday", "hour", "orders"]].itertuples(index=False):
        grid[int(weekday)][int(hour)] = int(count)
    weekdays = t("orders.weekdays").split(",")
    fig = widgets.figure(
        _hours_figure, grid, weekdays, t("orders.hours.hour"), t("orders.hours.weekday"), t("orders.hours.orders")
    )
    st.plotly_chart(fig, key="orders_hours", width="stretch")


def refunds_table(frame: pd.DataFrame, currency: str | None) -> None:
    """Products with money refunded, most refunded first."""
    language = current_language()
    columns = ("order_refund", "refund_rate", "order_revenue", "paid_orders")
    refunded = frame[frame["order_refund"].fillna(0) > 0].sort_values("order_refund", ascending=False)
    if refunded.empty:
        st.info(t("orders.refunds.none"))
        return
    labels = {"product": t("orders.by.product"), **{name: metric(name).text(language) for name in columns}}
    config = {
        labels[name]: widgets.number_column(
            labels[name], metric(name).unit, currency if metric(name).unit == "money" else None
        )
        for name in columns
    }
    widgets.show_table(
        refunded[["product", *columns]].rename(columns=labels),
        key="orders_refunds",
        file_name="orders_refunds_by_product",
        column_config=config,
    )
