"""Overview drawing: KPI cards from the metric records, the trend with its dashed comparison, the
revenue waterfall and the movers tables. Numbers arrive computed from shopdata.metrics.overview."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from shopdata.formatting import format_change, format_value, plotly_format, plotly_tick_format, with_cents
from shopdata.journal import CAUSES
from shopdata.metrics.definitions import metric
from shopdata.metrics.overview import (
    COMPARISON,
    CURRENT,
    MOVERS,
    ORDER_MOVERS,
    Decomposition,
    Kpi,
    MoversBasis,
    RecordsBeside,
    decomposition_steps,
    missing_reason,
)
from shopdata.metrics.segment_names import SegmentNames
from shopdata.ui import annotations as chart_marks
from shopdata.ui import widgets
from shopdata.ui.i18n import current_language, t
from shopdata.ui.pages import PAGES

MARGIN = widgets.MARGIN


def cards(kpis: list[Kpi], currency: str | None, has: dict[str, bool]) -> None:
    """The KPI cards; a card the exports have no figure for shows "—" with the reason in its tooltip, and the
    reasons of cards whose table has rows are repeated under the cards (no other figure stands in)."""
    language = current_language()
    shown = []
    missing = []
    for k in kpis:
        m = metric(k.metric)
        label = m.text(language)
        reason_key = missing_reason(k, has)
        reason = t(reason_key, metric=label) if reason_key else ""
        if reason_key and has.get(m.domain):
            missing.append(t("overview.missing.summary", metric=label, reason=reason))
        shown.append(widgets.metric_card(k.metric, k.value, k.previous, k.change, currency, (reason,)))
    widgets.kpi_cards(shown)
    for line in missing:
        st.caption(line)


def order_cards(kpis: list[Kpi], currency: str | None) -> None:
    """The order export's cards (a period without a traffic report), each saying where it comes from."""
    source = t("overview.orders.source")
    shown = [widgets.metric_card(k.metric, k.value, k.previous, k.change, currency, (source,)) for k in kpis]
    widgets.kpi_cards(shown, per_row=len(shown))
    st.caption(t("overview.orders.intro"))


def records_beside(found: RecordsBeside, currency: str | None) -> None:
    """The order export's revenue, paid orders, buyers and AOV beside the traffic report's, the difference, and
    why the two differ (counting rules, and the days each export covers)."""
    language = current_language()
    rows = []
    for f in found.figures:
        m = metric(f.order_metric)
        cents = with_cents([f.report, f.records]) if m.unit == "money" else True
        rows.append(
            {
                t("overview.beside.col.metric"): f"{metric(f.card).text(language)} / {m.text(language)}",
                t("overview.beside.col.report"): format_value(f.report, m.unit, currency, cents=cents),
                t("overview.beside.col.records"): format_value(f.records, m.unit, currency, cents=cents),
                t("overview.beside.col.difference"): format_value(f.difference, m.unit, currency, True, cents),
                t("overview.beside.col.difference_pct"): format_change(f.difference_pct),
            }
        )
    revenue = found.figures[0]
    with st.expander(t("overview.beside.title"), expanded=True):
        if revenue.difference is not None:
            st.markdown(
                t(
                    "overview.beside.revenue",
                    difference=format_value(revenue.difference, "money", currency, signed=True).replace("$", "\\$"),
                    pct=format_change(revenue.difference_pct),
                )
            )
        widgets.show_table(pd.DataFrame(rows), key="overview_beside", file_name="overview_order_records")
        st.caption(t("overview.beside.why"))
        report, orders = found.report_days, found.order_days
        if found.same_days:
            st.caption(
                t("overview.beside.same_days", days=report.days, span=widgets.date_span(report.first, report.last))
            )
        else:
            st.caption(
                t(
                    "overview.beside.other_days",
                    report_days=report.days,
                    report_span=widgets.date_span(report.first, report.last) if report.days else "—",
                    order_days=orders.days,
                    order_span=widgets.date_span(orders.first, orders.last) if orders.days else "—",
                )
            )


def _hover(unit: str, currency: str | None, day_format: str = "%Y-%m-%d", note: str = "") -> str:
    number_format, prefix = plotly_format(unit, currency)
    return f"%{{customdata|{day_format}}}{note}: {prefix}%{{y:{number_format}}}"


# A day in the comparison's hover ("Nov 4"; the year too when it is not the current period's).
HOVER_DAY = {"en": ("%b %-d", "%b %-d, %Y"), "zh": ("%-m月%-d日", "%Y年%-m月%-d日")}


def comparison_span(frame: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last day of the comparison period drawn (the days it has values for or not)."""
    days = frame.loc[frame["series"] == COMPARISON, "period_date"]
    return (days.min(), days.max()) if not days.empty else None


def _other_year(frame: pd.DataFrame) -> bool:
    current = frame.loc[frame["series"] == CURRENT, "period_date"]
    span = comparison_span(frame)
    return span is not None and not current.empty and span[0].year != current.min().year


def _line(frame: pd.DataFrame, name: str, series: str, currency: str | None, color: str) -> dict:
    """A measure's line; the comparison's is named with its own dates and its hover gives each point's own
    day ("Nov 4 (comparison)"), so it never reads as this period's."""
    part = frame[frame["series"] == series]
    m = metric(name)
    language = current_language()
    label = m.text(language)
    if series == CURRENT:
        trace_name, hover = t("overview.trend.current", metric=label), _hover(m.unit, currency)
    else:
        span = comparison_span(frame)
        assert span is not None  # a comparison series has rows
        trace_name = t("overview.trend.comparison", metric=label, span=widgets.date_span(*span))
        day = HOVER_DAY.get(language, HOVER_DAY["en"])[1 if _other_year(frame) else 0]
        hover = _hover(m.unit, currency, day, " " + t("overview.trend.comparison_day"))
    return widgets.period_trace(part, name, trace_name, color, series == CURRENT, hover, markers=False)


def _series(frame: pd.DataFrame) -> dict[str, list[str]]:
    # A comparison period without data (a year before the first upload) would only add empty legend entries.
    compared = frame[frame["series"] == COMPARISON]
    return {
        name: [CURRENT] + ([COMPARISON] if compared[name].notna().any() else [])
        for name in ("revenue", "visitors", "spend", "order_revenue", "paid_orders")
    }


def _pair_figure(
    frame: pd.DataFrame,
    currency: str | None,
    money: str,
    count: str,
    title_key: str = "overview.trend.title",
    band: pd.DataFrame | None = None,
) -> go.Figure:
    """A money measure (left axis) and a count (right axis) by day; with `band` (date, metric, low, high, actual,
    alert), each one's normal range shaded behind it and its alert days marked."""
    language = current_language()
    series = _series(frame)
    traces = []
    for name, color, axis in ((money, widgets.REVENUE_COLOR, "y"), (count, widgets.VISITORS_COLOR, "y2")):
        bands = chart_marks.band_traces(band[band["metric"] == name], name, currency, color) if band is not None else []
        lines = [_line(frame, name, s, currency, color) for s in series[name]]
        traces += [{**trace, "xaxis": "x", "yaxis": axis} for trace in (*bands, *lines)]
    layout = widgets.two_axis_layout(
        widgets.measure_axis("money", currency, metric(money).text(language)),
        widgets.measure_axis("count", currency, metric(count).text(language)),
        title=t(title_key),
        margin=MARGIN,
        hovermode="x unified",
        legend=widgets.LEGEND if band is None else widgets.BANDED_LEGEND,
    )
    return go.Figure(data=traces, layout=layout)


def _revenue_figure(frame: pd.DataFrame, currency: str | None, band: pd.DataFrame | None = None) -> go.Figure:
    return _pair_figure(frame, currency, "revenue", "visitors", band=band)


def _orders_figure(frame: pd.DataFrame, currency: str | None, band: pd.DataFrame | None = None) -> go.Figure:
    return _pair_figure(frame, currency, "order_revenue", "paid_orders", "overview.trend.orders_title", band)


def _spend_figure(frame: pd.DataFrame, currency: str | None) -> go.Figure:
    layout = {
        "yaxis": widgets.measure_axis("money", currency, metric("spend").text(current_language())),
        "title": t("overview.trend.spend_title"),
        "margin": MARGIN,
        "hovermode": "x unified",
        "legend": widgets.LEGEND,
        "showlegend": True,
        "xaxis": widgets.date_xaxis(),
    }
    return go.Figure([_line(frame, "spend", s, currency, widgets.SPEND_COLOR) for s in _series(frame)["spend"]], layout)


def trend_charts(
    frame: pd.DataFrame,
    currency: str | None,
    traffic: bool,
    ads: bool,
    orders: bool = False,
    band: pd.DataFrame | None = None,
    marks: Sequence[chart_marks.Mark] = (),
) -> None:
    """Revenue (left axis) and visitors (right axis) by day — from the order export, revenue and paid orders, when
    there is no traffic report — with their normal range and alert days, then ad spend; comparison dashed; notes
    and activities marked on both."""
    if traffic:
        fig = widgets.figure(_revenue_figure, frame, currency, band)
        st.plotly_chart(chart_marks.annotated(fig, marks), key="overview_trend", width="stretch")
    elif orders:
        fig = widgets.figure(_orders_figure, frame, currency, band)
        st.plotly_chart(chart_marks.annotated(fig, marks), key="overview_trend", width="stretch")
    if ads:
        fig = widgets.figure(_spend_figure, frame, currency)
        st.plotly_chart(chart_marks.annotated(fig, marks), key="overview_spend", width="stretch")
    drawn = (["revenue", "visitors"] if traffic else ["order_revenue", "paid_orders"] if orders else []) + (
        ["spend"] if ads else []
    )
    span = comparison_span(frame)
    if span is not None and any(len(s) > 1 for name, s in _series(frame).items() if name in drawn):
        current = frame.loc[frame["series"] == CURRENT, "period_date"]
        st.caption(
            t(
                "overview.trend.aligned",
                span=widgets.date_span(*span),
                current=widgets.date_span(current.min(), current.max()),
            )
        )


def waterfall(result: Decomposition, currency: str | None) -> None:
    language = current_language()
    steps = decomposition_steps(result)
    names = {"revenue_previous": t("overview.decomp.previous"), "revenue": t("overview.decomp.current")}
    labels = [names.get(s) or metric(s).text(language) for s in steps["step"]]
    number_format, prefix = plotly_format("money", currency)
    fig = go.Figure(
        go.Waterfall(
            x=labels,
            y=steps["amount"],
            measure=steps["kind"],
            text=[
                f"{prefix}{v:,.2f}" if k != "relative" else f"{'+' if v >= 0 else '−'}{prefix}{abs(v):,.2f}"
                for v, k in zip(steps["amount"], steps["kind"], strict=False)
            ],
            textposition="outside",
            hovertemplate=f"%{{x}}: {prefix}%{{y:{number_format}}}<extra></extra>",
            increasing={"marker": {"color": "#2ca02c"}},
            decreasing={"marker": {"color": "#d62728"}},
            totals={"marker": {"color": "#7f7f7f"}},
        )
    )
    fig.update_layout(title=t("overview.decomp.chart"), margin=MARGIN, showlegend=False)
    fig.update_yaxes(tickformat=plotly_tick_format("money"), tickprefix=prefix)
    st.plotly_chart(fig, key="overview_waterfall", width="stretch")


def movers_table(kind: str, frame: pd.DataFrame, currency: str | None, basis: MoversBasis) -> None:
    """The movers with translated headings (the downloads carry them too) and money/percent formats."""
    language = current_language()
    by = MOVERS[kind].by if kind in MOVERS else (ORDER_MOVERS[kind],)
    measures = list(basis.measures)
    names = [c for c in frame.columns if c in (*by, "product_name")]
    frame = frame[widgets.changes_first(names, measures)]
    labels = {c: t(f"overview.col.{c}") for c in names}
    config: dict = {}
    for name in measures:
        m = metric(name)
        label = m.text(language)
        for suffix, key in (("_previous", "previous"), ("", "current"), ("_change", "change")):
            labels[f"{name}{suffix}"] = t(f"overview.col.{key}", metric=label)
            config[labels[f"{name}{suffix}"]] = widgets.number_column(
                labels[f"{name}{suffix}"], m.unit, currency, signed=suffix == "_change"
            )
        labels[f"{name}_change_pct"] = t("overview.col.change_pct", metric=label)
        config[labels[f"{name}_change_pct"]] = widgets.percent_column(
            labels[f"{name}_change_pct"], signed=True, missing=t("overview.col.change_pct_missing")
        )
    shown = frame.assign(platform=frame["platform"].map(widgets.platform_name)) if "platform" in frame else frame
    widgets.show_table(
        shown.rename(columns=labels), key=f"overview_movers_{kind}", file_name=f"overview_{kind}", column_config=config
    )


def movers_section(kind: str, frame: pd.DataFrame, currency: str | None, basis: MoversBasis) -> None:
    """One kind of movers, or what was (not) compared when there is none to list."""
    if basis.rank is None:
        key = "overview.movers.no_rows" if not basis.both_periods else "overview.movers.no_measure"
        st.caption(t(key, what=t(f"overview.movers.what.{kind}")))
        return
    what = t(f"overview.movers.what.{kind}", count=basis.compared)  # "1 traffic source", "2 traffic sources"
    rank = metric(basis.rank).text(current_language())
    if frame.empty:
        st.caption(t("overview.movers.none_changed", count=basis.compared, what=what, metric=rank))
        return
    st.caption(t("overview.movers.ranked_by", metric=rank, count=basis.compared, what=what))
    movers_table(kind, frame, currency, basis)


def sentence(text: str) -> None:
    # "$" pairs would otherwise be read as LaTeX by Streamlit's markdown.
    st.markdown(f"**{text.replace('$', chr(92) + '$')}**")


# ---- what is abnormal (issue 12) -----------------------------------------------------------------------

ALERTS_SHOWN = 5
WHY_SEGMENTS = 2  # dimensions named in an alert's one-line why
REVIEW_SCRIPT = next(page.script for page in PAGES if page.url_path == "review")
ARROW = {"up": "↑", "down": "↓"}


def segment_label(dimension: str, segment: str, names: SegmentNames) -> str:
    """ "source 手淘搜索", "product 玻尿酸修护精华液…" (a product's title, shortened), "the store"."""
    if dimension == "store":
        return t("overview.alerts.store")
    shown = widgets.platform_name(segment) if dimension == "platform" else names.label(dimension, segment)
    return t("overview.alerts.segment", dimension=t(f"overview.alerts.dimension.{dimension}"), segment=shown)


def alert_title(row: dict, currency: str | None, names: SegmentNames) -> str:
    """ "Nov 18 · Revenue, the store ↓ 15,381 — expected 28,971 (21,679 … 36,262) · impact −13,589"."""
    m = metric(row["metric"])
    unit = m.unit
    return t(
        "overview.alerts.line",
        day=widgets.date_span(row["date"], row["date"]),
        metric=m.text(current_language()),
        segment=segment_label(row["dimension"], row["segment"], names),
        arrow=ARROW[row["direction"]],
        actual=format_value(row["actual"], unit, currency, cents=False),
        expected=format_value(row["expected"], unit, currency, cents=False),
        low=format_value(row["low"], unit, currency, cents=False),
        high=format_value(row["high"], unit, currency, cents=False),
        impact=format_value(row["impact"], "money", currency, signed=True, cents=False),
    )


def alert_why(explanation, currency: str | None, names: SegmentNames) -> str:
    """One line: the driver that moved revenue most and the segment that accounts for most of the change. A
    rival's price cut in the days before is context, not a why: the page lists it under the alert as what
    happened around the same time (shopdata.alert_context)."""
    parts = []
    drivers = explanation.drivers
    if drivers is not None and drivers.contributions:
        name, amount = max(drivers.contributions.items(), key=lambda item: abs(item[1] or 0))
        parts.append(
            t(
                "overview.alerts.why.driver",
                driver=metric(name).text(current_language()),
                amount=format_value(amount, "money", currency, signed=True, cents=False),
            )
        )
    segments = explanation.segments
    # A segment with the store's own figures (its only platform) is the store, not where the change sits.
    segments = segments[segments["actual"] != explanation.alert["actual"]] if len(segments) else segments
    if len(segments):
        # The largest segment of each of the two dimensions that account for most (a source and a product, say).
        tops = segments.drop_duplicates("dimension").head(WHY_SEGMENTS)
        parts.append(
            t(
                "overview.alerts.why.segment",
                segment=", ".join(
                    f"{segment_label(top.dimension, top.segment, names)} "
                    f"({format_value(top.impact, 'money', currency, signed=True, cents=False)})"
                    for top in tops.itertuples()
                ),
            )
        )
    return " · ".join(parts) if parts else t("overview.alerts.why.none")


def review_link(container, key: str, params: dict[str, str]) -> None:
    """A link to the Review page opened on the alert, keeping the page's other URL parameters (store,
    period …). A page link, not markdown: the parameters hold names from uploads, which never become markup."""
    kept = {k: v for k, v in params.items() if k != "alert"}
    container.page_link(REVIEW_SCRIPT, label=t("overview.alerts.open_review"), query_params={**kept, "alert": key})


def alert_note_form(index: int, row: dict, save) -> None:
    """ "Add a note" on one alert: its cause and what was found; `save(cause, text)` stores it."""
    with st.popover(t("overview.alerts.add_note")), st.form(f"overview_alert_note_{index}", clear_on_submit=True):
        cause = st.selectbox(
            t("overview.alerts.note.cause"), CAUSES, format_func=lambda c: t(f"loop.cause.{c}"),
            key=f"overview_alert_cause_{index}",
        )  # fmt: skip
        text = st.text_area(t("overview.alerts.note.text"), key=f"overview_alert_text_{index}")
        if st.form_submit_button(t("overview.alerts.note.save")):
            if not text.strip():
                st.warning(t("overview.alerts.note.empty"))
            else:
                save(cause, text)
                st.rerun()


def target_line(record: dict, day: int, days: int) -> str:
    """ "Day 22 of 30: 71% of the revenue target, on pace for 96%"."""
    share = None if record["actual"] is None else record["actual"] / record["target"]
    return t(
        "loop.targets.progress",
        day=day,
        days=days,
        share=_whole_percent(share),
        metric=t(f"loop.target.{record['metric']}"),
        projected=_whole_percent(record["projected_pct"]),
    )


def _whole_percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"
