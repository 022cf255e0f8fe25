"""Traffic sources page pieces: the drill-down choices, the KPI cards, the tables and charts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from shopdata.formatting import is_missing, md_escape
from shopdata.metrics import traffic
from shopdata.metrics.definitions import metric
from shopdata.metrics.periods import change
from shopdata.metrics.query import Scope
from shopdata.ui.filters import url_choice
from shopdata.ui.i18n import current_language, listed, t
from shopdata.ui.widgets import (
    bar_chart,
    changes_first,
    kpi_cards,
    line_chart,
    metric_card,
    number_column,
    percent_column,
    show_table,
)

ALL = ""  # the "no source chosen" value of a level's choice: the URL then reads ?level1=


def level_param(level: int) -> str:
    return f"level{level}"


def drill_path(backend, scope: Scope) -> tuple[str, ...]:
    """One choice per level that has a level below it (?level1=付费推广&level2=…); returns the chosen path."""
    path: tuple[str, ...] = ()
    for level in range(1, traffic.deepest_level(backend, scope)):
        options = traffic.source_names(backend, scope, path)
        choice = url_choice(
            t(f"traffic.level.{level}"),
            [ALL, *options],
            level_param(level),
            ALL,
            format_func=lambda value: md_escape(value) if value else t("traffic.all"),  # radio options are markdown
        )
        if choice == ALL:
            break
        path += (choice,)
    # A deeper choice left in the URL from another path would reopen the wrong view on a shared link.
    for level in range(len(path) + 2, len(traffic.SOURCE_LEVELS) + 1):
        if level_param(level) in st.query_params:
            del st.query_params[level_param(level)]
    return path


def _metric_label(name: str) -> str:
    return metric(name).text(current_language())


def _not_reported(names) -> None:
    """Say once which measures the exports lack (Shopify's sessions report has no revenue by source)."""
    if names:
        st.caption(t("traffic.not_reported", measures=listed(_metric_label(n) for n in names)))


def totals_cards(
    backend, scope: Scope, compare_scope: Scope | None, path: tuple[str, ...], currency: str | None
) -> None:
    now = traffic.level_totals(backend, scope, path)
    before = traffic.level_totals(backend, compare_scope, path) if compare_scope else {}
    shown = [n for n in traffic.TABLE_METRICS if not (is_missing(now[n]) and is_missing(before.get(n)))]
    kpi_cards(
        [
            metric_card(name, now[name], before.get(name), change(now[name], before.get(name)), currency)
            for name in shown
        ],
        per_row=3,
    )


def sources_table(frame: pd.DataFrame, currency: str | None, file_name: str) -> None:
    """Measures no source has (revenue in a sessions-only export) are left out, and the page says so."""
    empty = [name for name in traffic.TABLE_METRICS if name in frame and frame[name].isna().all()]
    _not_reported(empty)
    names = [name for name in traffic.TABLE_METRICS if name not in empty]
    labels = {"source": t("traffic.source"), "share": t("traffic.share")}
    labels.update({name: _metric_label(name) for name in names})
    config = {labels[name]: number_column(labels[name], metric(name).unit, currency) for name in names}
    config[labels["share"]] = percent_column(labels["share"])
    config[labels["share"]]["help"] = t("traffic.share_help")
    show_table(
        frame.drop(columns=empty).rename(columns=labels),
        key="traffic_sources",
        file_name=file_name,
        column_config=config,
    )


def trend_chart(frame: pd.DataFrame) -> None:
    labels = {"date": t("traffic.date"), "source": t("traffic.source"), "visitors": _metric_label("visitors")}
    line_chart(
        frame.rename(columns=labels),
        x=labels["date"],
        y=labels["visitors"],
        color=labels["source"],
        title=t("traffic.trend"),
        unit=metric("visitors").unit,
        key="traffic_trend",
    )


def _unreported_changes(frame: pd.DataFrame) -> list[str]:
    """Measures neither period has (a source new in this period gets a previous value of 0, not a gap)."""
    if frame.empty:
        return []
    return [
        name
        for name in traffic.CHANGE_MEASURES
        if frame[name].isna().all() and frame[f"{name}_previous"].fillna(0).eq(0).all()
    ]


def changes_table(frame: pd.DataFrame, currency: str | None, file_name: str) -> None:
    """The changes first (change % and change of each measure), then the values: the page asks which source
    moved, and a wide table's right edge is off screen."""
    empty = _unreported_changes(frame)
    measures = [name for name in traffic.CHANGE_MEASURES if name not in empty]
    labels, config = {"source": t("traffic.source")}, {}
    for name in measures:
        label, unit = _metric_label(name), metric(name).unit
        for suffix, text, column_unit in (
            ("", label, unit),
            ("_previous", t("traffic.previous", label=label), unit),
            ("_change", t("traffic.change_abs", label=label), unit),
            ("_change_pct", t("traffic.change_pct", label=label), "percent"),
        ):
            labels[f"{name}{suffix}"] = text
            missing = t("traffic.change_pct_missing") if suffix == "_change_pct" else None
            config[text] = number_column(
                text, column_unit, currency, signed=suffix.startswith("_change"), missing=missing
            )
    show_table(
        frame[changes_first(["source"], measures)].rename(columns=labels),
        key="traffic_changes",
        file_name=file_name,
        column_config=config,
    )


def loss_charts(changes: pd.DataFrame, currency: str | None) -> None:
    """The sources that lost the most visitors and the most revenue, side by side."""
    empty = _unreported_changes(changes)
    columns = st.columns(2)
    for column, name in zip(columns, traffic.CHANGE_MEASURES, strict=False):
        lost = traffic.losses(changes, name)
        with column:
            if name in empty:
                st.caption(t("traffic.loss_not_reported", label=_metric_label(name)))
                continue
            if lost.empty:
                compared = traffic.compared_sources(changes, name)
                key = "traffic.loss_none_measure" if compared else "traffic.loss_nothing_compared"
                st.caption(t(key, label=_metric_label(name), count=compared))
                continue
            bar_chart(
                lost,
                x="source",
                y="change",
                title=t(f"traffic.loss_{name}"),
                unit=metric(name).unit,
                currency=currency,
                horizontal=True,
                y_title=t("traffic.change_abs", label=_metric_label(name)),
                key=f"traffic_loss_{name}",
            )
