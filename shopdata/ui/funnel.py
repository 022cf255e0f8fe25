"""Drawing the conversion funnel: stage labels, the funnel chart with its biggest drop-off, tables, trend."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from shopdata.formatting import format_value
from shopdata.metrics import funnel
from shopdata.metrics.definitions import metric
from shopdata.metrics.periods import Coverage, Period, change
from shopdata.ui import widgets
from shopdata.ui.i18n import current_language, listed, t

BAR = "#4C78A8"
HIGHLIGHT = "#E45756"
NARROW_BAR = 0.3  # a stage with less than this share of the widest stage's users has its label outside


def stage_label(stage: str, source: str) -> str:
    """Event stages have page labels; export stages are metrics and carry their own."""
    if source == funnel.EXPORTS:
        return metric(stage).text(current_language())
    return t(f"funnel.stage.{stage}")


def drop_sentence(frame: pd.DataFrame, source: str) -> None:
    drop = funnel.biggest_drop(frame)
    if drop is None:
        return
    st.warning(
        t(
            "funnel.drop",
            from_stage=stage_label(drop.from_stage, source),
            to_stage=stage_label(drop.to_stage, source),
            rate=format_value(drop.rate, "percent"),
            lost=format_value(drop.lost, "count"),
        ),
        icon="📉",
    )


def unstated_notes(unstated: list[funnel.Unstated], total: float | None) -> None:
    """Why an export stage's figure is "—" for the period: whose figures are missing, and what the rest state."""
    for stage in unstated:
        where = [*stage.sources, *([t("funnel.unstated.days", days=stage.days)] if stage.days else [])]
        st.info(
            t(
                "funnel.unstated",
                stage=stage_label(stage.stage, funnel.EXPORTS),
                visitors=format_value(stage.visitors, "count"),
                total=format_value(total, "count"),
                where=listed(where),
                stated=format_value(stage.stated, "count"),
            ),
            icon="ℹ️",
        )


def funnel_chart(frame: pd.DataFrame, source: str, title: str, key: str) -> None:
    """The funnel with the stage where most people leave drawn in red."""
    drop = funnel.biggest_drop(frame)
    labels = [stage_label(s, source) for s in frame["stage"]]
    colors = [HIGHLIGHT if drop and s == drop.to_stage else BAR for s in frame["stage"]]
    users = [float(u) for u in frame["users"]]
    known = [not math.isnan(u) for u in users]
    # An unknown stage (an export's unstated one) is a bar of no width labelled "—" beside it; a step from or to
    # it has no rate, so its label is the count alone.
    text = [
        (
            t("funnel.chart_text", users=format_value(u, "count"), previous=format_value(r, "percent"))
            if i and pd.notna(r)
            else format_value(u, "count")
        )
        if k
        else t("funnel.chart_unknown")
        for i, (u, r, k) in enumerate(zip(users, frame["rate_from_previous"], known, strict=True))
    ]
    start = [format_value(r, "percent") for r in frame["rate_from_start"]]
    # Inside a narrow bar plotly shrinks the label to a few pixels: there it goes beside the bar instead.
    widest = max((u for u, k in zip(users, known, strict=True) if k), default=0) or 1
    positions = ["inside" if k and u / widest >= NARROW_BAR else "outside" for u, k in zip(users, known, strict=True)]
    rate_line = f"<br>{t('funnel.rate_from_start')}: %{{customdata}}<extra></extra>"
    fig = go.Figure(
        go.Funnel(
            y=labels,
            x=[u if k else 0 for u, k in zip(users, known, strict=True)],
            text=text,
            textinfo="text",
            textposition=positions,
            marker={"color": colors},
            # The band between bars would narrow to the unknown stage's empty bar as if to none.
            connector={"visible": all(known)},
            customdata=start,
            hovertemplate=[
                f"%{{y}}: %{{x:,.0f}}{rate_line}" if k else f"%{{y}}: {t('funnel.chart_unknown')}<extra></extra>"
                for k in known
            ],
        )
    )
    fig.update_layout(title=title, margin={"t": 50, "l": 10, "r": 10, "b": 10})
    st.plotly_chart(fig, key=key, width="stretch")


def period_title(name: str, period: Period) -> str:
    return t(f"funnel.{name}", start=period.start, end=period.end)


def incomplete_comparison_note(coverage: Coverage) -> None:
    st.warning(
        t(
            "ui.comparison_incomplete",
            days=coverage.comparison_days,
            length=coverage.comparison_length,
            current=coverage.current_days,
        )
    )


def kpis(
    current: pd.DataFrame, previous: pd.DataFrame | None, source: str, favorites: tuple[int, int | None] | None = None
) -> None:
    """First and last stage, overall conversion and (behaviour logs) favourites, each against the comparison."""
    first, last = current["stage"].iloc[0], current["stage"].iloc[-1]

    def value(frame: pd.DataFrame | None, stage: str, column: str = "users"):
        if frame is None:
            return None
        found = frame.loc[frame["stage"] == stage, column]
        return None if found.empty or pd.isna(found.iloc[0]) else float(found.iloc[0])

    cards = []
    for stage in (first, last):
        now, before = value(current, stage), value(previous, stage)
        cards.append(
            {
                "label": stage_label(stage, source),
                "value": now,
                "previous": before,
                "change": change(now, before),
                "unit": "count",
                "direction": 1,
            }
        )
    now, before = value(current, last, "rate_from_start"), value(previous, last, "rate_from_start")
    cards.append(
        {
            "label": t("funnel.overall"),
            "value": now,
            "previous": before,
            "change": change(now, before),
            "unit": "percent",
            "direction": 1,
            "help": t("funnel.ratio", numerator=stage_label(last, source), denominator=stage_label(first, source)),
        }
    )
    if favorites is not None:
        now, before = favorites
        share = funnel.ratio(now, value(current, first))
        cards.append(
            {
                "label": t("funnel.stage.fav"),
                "value": now,
                "previous": before,
                "change": change(now, before),
                "unit": "count",
                "direction": 1,
                "help": t("funnel.favorites_help", share=format_value(share, "percent")),
            }
        )
    widgets.kpi_cards(cards)


def _unstated_reason(source: str) -> str | None:
    """Why a stage's cell can be empty: an export may leave a stage unstated (unknown, not 0); a behaviour log's
    stage without events is 0 users, so its empty cells have only the general reasons (None)."""
    return t("funnel.missing.not_stated") if source != funnel.EVENTS else None


def stage_table(compared: pd.DataFrame, source: str, key: str) -> None:
    """Stages with users and rates, for this period and the comparison side by side."""
    labels = {
        "stage": t("funnel.stage"),
        "users": t("funnel.users"),
        "rate_from_previous": t("funnel.rate_from_previous"),
        "rate_from_start": t("funnel.rate_from_start"),
        "users_previous": t("funnel.users_previous"),
        "rate_from_start_previous": t("funnel.rate_from_start_previous"),
        "change": t("funnel.change"),
    }
    shown = compared.assign(stage=[stage_label(s, source) for s in compared["stage"]]).rename(columns=labels)
    unstated = _unstated_reason(source)
    missing = {
        "users": unstated,
        "rate_from_previous": t(
            "funnel.missing.first_stage" if unstated is None else "funnel.missing.first_or_not_stated"
        ),
        "rate_from_start": unstated,
        "users_previous": t("funnel.missing.comparison"),
        "rate_from_start_previous": t("funnel.missing.comparison"),
        "change": t("funnel.missing.comparison"),
    }
    config = {
        labels[c]: (
            widgets.count_column(labels[c], missing=missing.get(c))
            if c in ("users", "users_previous")
            else widgets.percent_column(labels[c], signed=c == "change", missing=missing.get(c))
        )
        for c in compared.columns
        if c != "stage"
    }
    widgets.show_table(shown, key=key, file_name="funnel_stages", column_config=config)


def breakdown_table(frame: pd.DataFrame, by: str, source: str, key: str) -> None:
    """One row per breakdown value: users per stage, step rates and overall conversion."""
    stages = [c for c in frame.columns if c != by and not c.startswith("rate_") and c != "conversion"]
    labels = {by: t(f"funnel.by.{by}")}
    labels.update({s: stage_label(s, source) for s in stages})
    labels.update({f"rate_{s}": t("funnel.rate_to", stage=stage_label(s, source)) for s in stages[1:]})
    labels["conversion"] = t(
        "funnel.ratio", numerator=stage_label(stages[-1], source), denominator=stage_label(stages[0], source)
    )
    unstated = _unstated_reason(source)
    config = {labels[s]: widgets.count_column(labels[s], missing=unstated) for s in stages}
    config.update(
        {
            labels[c]: widgets.percent_column(labels[c], missing=unstated)
            for c in frame.columns
            if c.startswith("rate_") or c == "conversion"
        }
    )
    widgets.show_table(frame.rename(columns=labels), key=key, file_name=f"funnel_by_{by}", column_config=config)


def trend_chart(daily: pd.DataFrame, source: str, key: str) -> None:
    """Purchase ÷ first stage and cart ÷ first stage per day."""
    first = "view" if source == funnel.EVENTS else "visitors"
    cart = "cart" if source == funnel.EVENTS else "cart_users"
    purchase = "purchase" if source == funnel.EVENTS else "buyers"
    series = {
        "purchase_rate": t(
            "funnel.ratio", numerator=stage_label(purchase, source), denominator=stage_label(first, source)
        ),
        "cart_rate": t("funnel.ratio", numerator=stage_label(cart, source), denominator=stage_label(first, source)),
    }
    long = daily.melt(id_vars=["date"], value_vars=list(series), var_name="series", value_name="rate")
    long = long.dropna(subset=["rate"]).assign(series=lambda f: f["series"].map(series))
    long = long.rename(columns={"date": t("funnel.date"), "rate": t("funnel.rate")})
    widgets.line_chart(
        long,
        x=t("funnel.date"),
        y=t("funnel.rate"),
        title=t("funnel.trend_heading"),
        unit="percent",
        color="series",
        key=key,
    )
