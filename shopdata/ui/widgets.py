"""Shared page furniture: KPI cards, charts, tables with downloads, empty states."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.express as px
import streamlit as st

from shopdata.export import to_csv_bytes, to_xlsx_bytes
from shopdata.formatting import format_change, format_value, plotly_format
from shopdata.ui.i18n import t

DATA_PAGE = "views/data.py"


def empty_state(what: str, exports: str) -> None:
    """Say which exports the page needs and link to the Data page."""
    st.info(t("ui.empty", what=what, exports=exports), icon="📭")
    st.page_link(DATA_PAGE, label=t("ui.go_to_data"), icon="📥")


def kpi_cards(cards: Sequence[dict], per_row: int = 4) -> None:
    """cards: label, value, previous, change, unit, direction, currency, help."""
    for start in range(0, len(cards), per_row):
        columns = st.columns(per_row)
        for column, card in zip(columns, cards[start:start + per_row]):
            delta = None
            if card.get("change") is not None:
                delta = format_change(card["change"])
            color = "normal" if card.get("direction", 1) >= 0 else "inverse"
            if card.get("direction") == 0:
                color = "off"
            help_text = card.get("help") or ""
            if card.get("previous") is not None:
                help_text += ("\n\n" if help_text else "") + t(
                    "ui.vs", value=format_value(card["previous"], card["unit"], card.get("currency")))
            column.metric(card["label"], format_value(card["value"], card["unit"], card.get("currency")),
                          delta=delta, delta_color=color, help=help_text or None, border=True)


def style_chart(fig, unit: str, currency: str | None, title: str, y_title: str):
    number_format, prefix = plotly_format(unit, currency)
    fig.update_layout(title=title, margin={"t": 50, "l": 10, "r": 10, "b": 10}, legend_title_text="",
                      hovermode="x unified")
    fig.update_yaxes(tickformat=number_format, tickprefix=prefix, title=y_title, rangemode="tozero")
    fig.update_traces(hovertemplate=f"%{{y:{number_format}}}" if not prefix else f"{prefix}%{{y:{number_format}}}")
    return fig


def line_chart(frame: pd.DataFrame, x: str, y: str, title: str, unit: str = "count", currency: str | None = None,
               color: str | None = None, y_title: str = "", key: str | None = None) -> None:
    fig = px.line(frame, x=x, y=y, color=color, markers=len(frame) < 40)
    st.plotly_chart(style_chart(fig, unit, currency, title, y_title), key=key, width="stretch")


def bar_chart(frame: pd.DataFrame, x: str, y: str, title: str, unit: str = "count", currency: str | None = None,
              color: str | None = None, horizontal: bool = False, y_title: str = "", key: str | None = None) -> None:
    if horizontal:
        fig = px.bar(frame, x=y, y=x, color=color, orientation="h")
        number_format, prefix = plotly_format(unit, currency)
        fig.update_layout(title=title, margin={"t": 50, "l": 10, "r": 10, "b": 10}, legend_title_text="")
        fig.update_xaxes(tickformat=number_format, tickprefix=prefix, title=y_title)
        fig.update_yaxes(title="", autorange="reversed")
        fig.update_traces(hovertemplate=f"%{{y}}: {prefix}%{{x:{number_format}}}<extra></extra>")
        st.plotly_chart(fig, key=key, width="stretch")
        return
    fig = px.bar(frame, x=x, y=y, color=color)
    st.plotly_chart(style_chart(fig, unit, currency, title, y_title), key=key, width="stretch")


def show_table(frame: pd.DataFrame, key: str, file_name: str, column_config: dict | None = None) -> None:
    """A table with CSV and XLSX downloads (formula injection neutralised)."""
    st.dataframe(frame, hide_index=True, column_config=column_config, width="stretch")
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(t("ui.download_csv"), to_csv_bytes(frame), f"{file_name}.csv", "text/csv",
                         key=f"{key}_csv")
    right.download_button(t("ui.download_xlsx"), to_xlsx_bytes(frame), f"{file_name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx")


def money_column(label: str, currency: str | None) -> st.column_config.NumberColumn:
    from shopdata.formatting import CURRENCY_SYMBOLS

    symbol = CURRENCY_SYMBOLS.get(currency or "", "")
    return st.column_config.NumberColumn(label, format=f"{symbol}%.2f" if symbol else "%.2f")


def percent_column(label: str) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format="percent")


def count_column(label: str) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format="localized")
