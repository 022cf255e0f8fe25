"""Traffic sources page pieces: the drill-down choices, the KPI cards, the tables and charts."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from shopdata.metrics import traffic
from shopdata.metrics.definitions import metric
from shopdata.metrics.periods import change
from shopdata.metrics.query import Scope
from shopdata.ui.filters import url_choice
from shopdata.ui.i18n import current_language, t
from shopdata.ui.widgets import (bar_chart, count_column, kpi_cards, line_chart, money_column, percent_column,
                                show_table)

ALL = ""  # the "no source chosen" value of a level's choice: the URL then reads ?level1=


def level_param(level: int) -> str:
    return f"level{level}"


def drill_path(backend, scope: Scope) -> tuple[str, ...]:
    """One choice per level that has a level below it (?level1=付费推广&level2=…); returns the chosen path."""
    path: tuple[str, ...] = ()
    for level in range(1, traffic.deepest_level(backend, scope)):
        options = traffic.source_names(backend, scope, path)
        choice = url_choice(t(f"traffic.level.{level}"), [ALL, *options], level_param(level), ALL,
                            format_func=lambda value: value or t("traffic.all"))
        if choice == ALL:
            break
        path += (choice,)
    # A deeper choice left in the URL from another path would reopen the wrong view on a shared link.
    for level in range(len(path) + 2, len(traffic.SOURCE_LEVELS) + 1):
        if level_param(level) in st.query_params:
            del st.query_params[level_param(level)]
    return path


def _column(unit: str, label: str, currency: str | None):
    if unit == "money":
        return money_column(label, currency)
    if unit == "percent":
        return percent_column(label)
    return count_column(label)


def _metric_label(name: str) -> str:
    return metric(name).text(current_language())


def totals_cards(backend, scope: Scope, compare_scope: Scope | None, path: tuple[str, ...], currency: str | None
                 ) -> None:
    now = traffic.level_totals(backend, scope, path)
    before = traffic.level_totals(backend, compare_scope, path) if compare_scope else {}
    kpi_cards([{"label": _metric_label(name), "value": now[name], "previous": before.get(name),
                "change": change(now[name], before.get(name)), "unit": metric(name).unit,
                "direction": metric(name).direction, "currency": currency,
                "help": metric(name).describe(current_language())} for name in traffic.TABLE_METRICS], per_row=3)


def sources_table(frame: pd.DataFrame, currency: str | None, file_name: str) -> None:
    labels = {"source": t("traffic.source"), "share": t("traffic.share")}
    labels.update({name: _metric_label(name) for name in traffic.TABLE_METRICS})
    config = {labels[name]: _column(metric(name).unit, labels[name], currency) for name in traffic.TABLE_METRICS}
    config[labels["share"]] = percent_column(labels["share"])
    config[labels["share"]]["help"] = t("traffic.share_help")
    show_table(frame.rename(columns=labels), key="traffic_sources", file_name=file_name, column_config=config)


def trend_chart(frame: pd.DataFrame) -> None:
    labels = {"date": t("traffic.date"), "source": t("traffic.source"), "visitors": _metric_label("visitors")}
    line_chart(frame.rename(columns=labels), x=labels["date"], y=labels["visitors"], color=labels["source"],
               title=t("traffic.trend"), unit=metric("visitors").unit, key="traffic_trend")


def changes_table(frame: pd.DataFrame, currency: str | None, file_name: str) -> None:
    labels, config = {"source": t("traffic.source")}, {}
    for name in traffic.CHANGE_MEASURES:
        label, unit = _metric_label(name), metric(name).unit
        for suffix, text, column_unit in (("", label, unit), ("_previous", t("traffic.previous", label=label), unit),
                                          ("_change", t("traffic.change_abs", label=label), unit),
                                          ("_change_pct", t("traffic.change_pct", label=label), "percent")):
            labels[f"{name}{suffix}"] = text
            config[text] = _column(column_unit, text, currency)
    show_table(frame.rename(columns=labels), key="traffic_changes", file_name=file_name, column_config=config)


def loss_charts(changes: pd.DataFrame, currency: str | None) -> None:
    """The sources that lost the most visitors and the most revenue, side by side."""
    columns = st.columns(2)
    for column, name in zip(columns, traffic.CHANGE_MEASURES):
        lost = traffic.losses(changes, name)
        with column:
            if lost.empty:
                st.caption(t("traffic.loss_none_measure", label=_metric_label(name)))
                continue
            bar_chart(lost, x="source", y="change", title=t(f"traffic.loss_{name}"), unit=metric(name).unit,
                      currency=currency, horizontal=True, y_title=t("traffic.change_abs", label=_metric_label(name)),
                      key=f"traffic_loss_{name}")
