"""Drawing of the Competitors page: a figure written as its band, the band chart, the page's tables, the promotion
timeline and the "who took our traffic" answer. The figures come from shopdata.metrics.competitors as bands
(low, high, value); here they are only written and drawn, never narrowed to one number."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from shopdata import settings
from shopdata.formatting import MISSING, format_compact, format_value, is_missing, md_escape
from shopdata.metrics import competitors
from shopdata.store import Warehouse
from shopdata.ui import widgets
from shopdata.ui.i18n import current_language, t

GRAIN_PARAM_KEY = "competitors_grain"
# The unit each figure of a band is written in (shopdata.formatting's units).
METRIC_UNITS = {"revenue": "money", "visitors": "count", "lost_revenue": "money", "lost_visitors": "count"}
RANGE_OPACITY = 0.45
POINT_SIZE = 10


def _number(value: object) -> float | None:
    if is_missing(value):
        return None
    return float(value)  # type: ignore[arg-type]  # a frame cell: float, int or a numpy number


def band_text(low: object, high: object, value: object, unit: str, currency: str | None = None) -> str:
    """A figure as 生意参谋 meant it: the exact value, "low – high", "< high", "> low", or "—" when it said nothing."""
    low, high, value = _number(low), _number(high), _number(value)

    def written(number: float) -> str:
        if unit in ("money", "count"):
            return format_compact(number, unit, currency, current_language(), cents=False)
        return format_value(number, unit, currency)

    if value is not None:
        return written(value)
    if low is not None and high is not None:
        return f"{written(low)} – {written(high)}"
    if high is not None:
        return f"< {written(high)}"
    if low is not None:
        return f"> {written(low)}"
    return MISSING


def figure_text(figure: competitors.Figure, unit: str, currency: str | None = None) -> str:
    return band_text(figure.low, figure.high, figure.value, unit, currency)


def own_shop(warehouse: Warehouse, store: str) -> str | None:
    """The shop chosen as ours on the Competitor prices page ("" there: none)."""
    return settings.read(warehouse, settings.OWN_SHOP, store) or None


def taker_answer(taker: competitors.TrafficTaker, currency: str | None) -> None:
    text = t(
        "competitors.taker_answer",
        rival=md_escape(taker.rival),
        revenue=figure_text(taker.lost_revenue, "money", currency),
        visitors=figure_text(taker.lost_visitors, "count"),
        products=taker.products,
        start=taker.date_from,
        end=taker.date_to,
        days=competitors.WEEK_DAYS,
    )
    if taker.runner_up:
        text += " " + t("competitors.taker_next", rival=md_escape(taker.runner_up))
    st.success(text, icon="🏁")
    st.caption(t("competitors.taker_rule"))


def upload_hint(exports_key: str) -> None:
    st.info(t("competitors.upload", exports=t(exports_key)), icon="📭")


def grain_picker() -> str:
    return st.radio(
        t("competitors.grain"),
        competitors.TREND_GRAINS,
        format_func=lambda g: t(f"competitors.grain.{g}"),
        horizontal=True,
        key=GRAIN_PARAM_KEY,
    )


def band_chart(series: pd.DataFrame, metric: str, currency: str | None, key: str) -> None:
    """One metric's bands per track and day, and how many figures were "-" (not drawn)."""
    rows = series[series["metric"] == metric]
    unknown = int((rows["shape"] == competitors.UNKNOWN_FIGURE).sum())
    drawn = rows[rows["shape"] != competitors.UNKNOWN_FIGURE]
    if not drawn.empty:
        label = t(f"competitors.metric.{metric}")
        fig = widgets.figure(band_figure, drawn, METRIC_UNITS[metric], currency, label)
        st.plotly_chart(fig, key=key, width="stretch")
    if unknown:
        st.caption(t("competitors.unknown_days", count=unknown))


def band_figure(rows: pd.DataFrame, unit: str, currency: str | None, label: str):
    """Floating bars from each band's low end to its high end, dots for exact figures, triangles for open-ended
    ones ("> x") at their low end; one colour and one legend entry per track, tracks side by side per day."""
    fig = go.Figure()
    colours = px.colors.qualitative.Plotly
    for n, (track, track_rows) in enumerate(rows.groupby("track", sort=True)):
        colour = colours[n % len(colours)]
        text = [band_text(r.low, r.high, r.value, unit, currency) for r in track_rows.itertuples()]
        track_rows = track_rows.assign(text=text, base=track_rows["low"].fillna(0.0))
        common = {"name": str(track), "legendgroup": str(track), "offsetgroup": str(track)}
        shown = False
        ranged = track_rows[track_rows["shape"].isin([competitors.BAND, competitors.BELOW])]
        if not ranged.empty:
            fig.add_bar(
                x=ranged["date"],
                y=ranged["high"] - ranged["base"],
                base=ranged["base"],
                marker={"color": colour, "opacity": RANGE_OPACITY},
                customdata=ranged["text"],
                showlegend=not shown,
                **common,
            )
            shown = True
        for shape, symbol in ((competitors.EXACT, "circle"), (competitors.ABOVE, "triangle-up")):
            points = track_rows[track_rows["shape"] == shape]
            if points.empty:
                continue
            fig.add_scatter(
                x=points["date"],
                y=points["low"],
                mode="markers",
                marker={"color": colour, "size": POINT_SIZE, "symbol": symbol, "line": {"width": 1, "color": "white"}},
                customdata=points["text"],
                showlegend=not shown,
                **common,
            )
            shown = True
    fig = widgets.style_chart(fig, unit, currency, t("competitors.chart_title", metric=label), label)
    fig.update_traces(hovertemplate="%{customdata}")
    fig.update_layout(barmode="group", scattermode="group", legend=widgets.BANDED_LEGEND)
    return fig


# A table's columns: (column, label key under competitors.col., kind). kind "band:<unit>" writes the column's
# low/high/value triple as one text; "status" translates a keyword's status.
Columns = Sequence[tuple[str, str, str]]
LOSS_COLUMNS: Columns = [
    ("rival", "rival", "text"),
    ("product", "product", "text"),
    ("lost_revenue", "lost_revenue", "band:money"),
    ("lost_visitors", "lost_visitors", "band:count"),
    ("date_from", "date_from", "date"),
    ("date_to", "date_to", "date"),
]
KEYWORD_COLUMNS: Columns = [
    ("rival", "rival", "text"),
    ("product", "product", "text"),
    ("keyword", "keyword", "text"),
    ("rank", "rank", "count"),
    ("rank_change", "rank_change", "signed"),
    ("rank_before", "rank_before", "count"),
    ("visitors", "visitors", "band:count"),
    ("trade_index", "trade_index", "band:count"),
    ("status", "status", "status"),
    ("first_seen", "date_from", "date"),
    ("last_seen", "date_to", "date"),
]
SOURCE_COLUMNS: Columns = [
    ("rival", "rival", "text"),
    ("product", "product", "text"),
    ("source", "source", "text"),
    ("visitors", "visitors", "band:count"),
    ("trade_index", "trade_index", "band:count"),
    ("date_from", "date_from", "date"),
    ("date_to", "date_to", "date"),
]
PROMOTION_COLUMNS: Columns = [
    ("date", "date", "date"),
    ("end_date", "end_date", "date"),
    ("rival", "rival", "text"),
    ("product", "product", "text"),
    ("method", "method", "text"),
    ("discount", "discount", "text"),
    ("new_method", "new_method", "bool"),
    ("note", "note", "text"),
]
# Each rival's rank right after the verdict: the table is wide, and that is what the verdict rests on.
COMPARISON_COLUMNS: Columns = [
    ("keyword", "keyword", "text"),
    ("they_win", "they_win", "bool"),
    ("rival_ranks", "rival_ranks", "text"),
    ("our_rank", "our_rank", "count"),
    ("our_clicks", "our_clicks", "count"),
    ("our_conversions", "our_conversions", "count"),
    ("rivals", "rivals", "count"),
    ("best_rival", "best_rival", "text"),
    ("best_rank", "best_rank", "count"),
]
# Why a numeric cell may be empty (the tooltip says it when one is).
MISSING_REASONS = {
    "rank_before": "competitors.missing.rank_before",
    "rank_change": "competitors.missing.rank_before",
    "our_clicks": "competitors.missing.ours",
    "our_conversions": "competitors.missing.ours",
    "our_rank": "competitors.missing.our_rank",
    "best_rank": "competitors.missing.best_rank",
}


def shown_frame(frame: pd.DataFrame, columns: Columns, currency: str | None) -> pd.DataFrame:
    """The table as read: bands written as text (they have no one number to sort by), statuses translated, each
    column under its translated label."""
    shown = {}
    for column, label_key, kind in columns:
        label = t(f"competitors.col.{label_key}")
        if kind.startswith("band:"):
            unit = kind.split(":", 1)[1]
            shown[label] = [
                band_text(low, high, value, unit, currency)
                for low, high, value in zip(frame[f"{column}_low"], frame[f"{column}_high"], frame[column], strict=True)
            ]
        elif kind == "status":
            shown[label] = [t(f"competitors.status.{s}") for s in frame[column]]
        elif kind in ("count", "signed"):
            shown[label] = pd.to_numeric(frame[column], errors="coerce")
        elif kind == "date":
            shown[label] = pd.to_datetime(frame[column]).dt.date
        else:
            shown[label] = frame[column]
    return pd.DataFrame(shown)


def table(frame: pd.DataFrame, columns: Columns, key: str, currency: str | None = None) -> None:
    config: dict[str, widgets.ColumnConfig] = {}
    for column, label_key, kind in columns:
        label = t(f"competitors.col.{label_key}")
        reason = t(MISSING_REASONS[column]) if column in MISSING_REASONS else None
        if kind.startswith("band:"):
            config[label] = dict(st.column_config.TextColumn(label, help=t("competitors.missing.band")))
        elif kind in ("count", "signed"):
            config[label] = widgets.count_column(label, signed=kind == "signed", missing=reason)
        elif kind == "bool":
            config[label] = dict(st.column_config.CheckboxColumn(label))
        elif kind == "date":
            config[label] = dict(st.column_config.DateColumn(label))
    widgets.show_table(shown_frame(frame, columns, currency), key=key, file_name=key, column_config=config)


def promotion_timeline(promotions: pd.DataFrame) -> None:
    """Each promotion as a bar from its first to its last day (a one-day promotion a day wide), one row per rival and
    method (so two methods on one day never hide each other), coloured by method."""
    fig = widgets.figure(timeline_figure, promotions[["date", "end_date", "rival", "method", "product"]])
    st.plotly_chart(fig, key="competitors_promotion_timeline", width="stretch")


TIMELINE_ROW_PX, TIMELINE_FRAME_PX = 30, 150


def timeline_figure(promotions: pd.DataFrame):
    drawn = promotions.assign(
        start=pd.to_datetime(promotions["date"]),
        finish=pd.to_datetime(promotions["end_date"]) + pd.Timedelta(days=1),
        row=promotions["rival"] + " · " + promotions["method"],
    ).sort_values(["rival", "method"])
    fig = px.timeline(drawn, x_start="start", x_end="finish", y="row", color="method", hover_data=["product"])
    fig.update_yaxes(title=None, autorange="reversed", categoryorder="array", categoryarray=list(drawn["row"].unique()))
    fig.update_layout(
        title=t("competitors.timeline_title"),
        margin=widgets.MARGIN,
        legend=widgets.LEGEND,
        height=TIMELINE_FRAME_PX + TIMELINE_ROW_PX * drawn["row"].nunique(),
    )
    widgets.date_axis(fig)
    return fig
