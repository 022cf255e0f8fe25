"""Products page pieces: where the figures come from, the class rules, the product table, one product's detail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from shopdata.formatting import MISSING, format_value
from shopdata.metrics import prices, products
from shopdata.ui import annotations as chart_marks
from shopdata.ui import widgets
from shopdata.ui.filters import bind_to_url
from shopdata.ui.i18n import t
from shopdata.ui.prices import track_figure

PRODUCT_PARAM = "item"
MONEY = ("revenue", "profit", "spend", "refund", "ad_revenue", "price")
PERCENT = ("conversion_rate", "refund_rate", "margin")
COUNT = ("visitors", "buyers", "units", "paid_orders", "page_views", "product_visitors", "cart_users")
RATIO = ("roas", "price_index")
# Names and the class, then what decides the class, then the rest.
# The reasons a rule could not judge are long: they go after the figures, which are the table's point.
TABLE_COLUMNS = [c for c in products.COLUMNS if not c.endswith("_keys") and c != "not_judged"] + ["not_judged"]
# Which export's absence empties a column (the tooltip beside "—").
MISSING_KEYS = {
    **{c: "products.missing.traffic" for c in ("visitors", "conversion_rate", "page_views", "product_visitors")},
    **{c: "products.missing.ads" for c in ("spend", "roas", "ad_revenue", "profit")},
    "cart_users": "products.missing.traffic",
    "price_index": "products.missing.prices",
    "price": "products.missing.prices",
}


def sources_note(table: products.ProductTable) -> None:
    names = ", ".join(t(f"products.source.{s}") for s in table.sources)
    lines = [t("products.sources", sources=names)]
    if table.revenue_source:
        lines.append(t(f"products.revenue_from.{table.revenue_source}"))
    lines.append(t("products.matching"))
    st.caption(" ".join(lines))


def class_label(names: str | None) -> str:
    if not names:
        return MISSING
    return ", ".join(t(f"products.class.{name}") for name in names.split(", "))


def rules(cut: products.Thresholds, currency: str | None) -> None:
    """Each rule with the store's own cut-offs filled in."""

    def shown(value: float | None, unit: str) -> str:
        return format_value(value, unit, currency)

    values = {
        "share": f"{products.TOP_SHARE:.0%}",
        "count": cut.top_count,
        "products": cut.products,
        "revenue": shown(cut.revenue_cut, "money"),
        "conversion": shown(cut.conversion_median, "percent"),
        "visitors": shown(cut.visitors_median, "count"),
    }
    with st.expander(t("products.rules_title"), expanded=True):
        lines = [
            "- " + t("products.rule_line", name=t(f"products.class.{name}"), rule=t(f"products.rule.{name}", **values))
            for name in (*(rule.name for rule in products.RULES), products.REGULAR)
        ]
        st.markdown("\n".join(lines))
        st.caption(t("products.rule_unjudged"))


def _reasons(lacking: Mapping[str, str]) -> str | None:
    if not lacking:
        return None
    parts = []
    for rule, why in lacking.items():
        column, reason = why.split(":")
        text = t(f"products.reason.{reason}", what=t(f"products.what.{column}"))
        parts.append(t("products.not_judged_item", rule=t(f"products.class.{rule}"), reason=text))
    return "; ".join(parts)


def _matched(row: Mapping) -> str:
    if row["matched_by"] != products.TITLE:
        return t("products.matched.id")
    exports = ", ".join(t(f"products.source.{s}") for s in str(row["title_matched"]).split(", "))
    return t("products.matched.title", exports=exports)


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame[TABLE_COLUMNS].copy()
    shown["class"] = [class_label(c) for c in shown["class"]]
    shown["not_judged"] = [_reasons(lacking) for lacking in shown["not_judged"]]
    shown["matched_by"] = [_matched(row) for row in frame.to_dict("records")]
    shown["exports"] = [", ".join(t(f"products.source.{s}") for s in e.split(", ")) for e in shown["exports"]]
    shown = shown.drop(columns=["title_matched"])
    return shown.rename(columns={c: t(f"products.col.{c}") for c in shown.columns})


def _config(columns: Sequence[str], currency: str | None, with_reasons: bool = False) -> dict:
    """Each column's format by its kind; with_reasons: why a cell can be empty, in its tooltip (the main table)."""
    config: dict[str, widgets.ColumnConfig] = {}
    for column in columns:
        label = t(f"products.col.{column}")
        missing = t(MISSING_KEYS[column]) if with_reasons and column in MISSING_KEYS else None
        if column in MONEY:
            config[label] = widgets.money_column(label, currency, signed=column == "profit", missing=missing)
        elif column in PERCENT:
            config[label] = widgets.percent_column(label, missing=missing)
        elif column in COUNT:
            config[label] = widgets.count_column(label, missing=missing)
        elif column in RATIO:
            config[label] = widgets.ratio_column(label, missing=missing)
    return config


def _table_config(currency: str | None) -> dict:
    config = _config(TABLE_COLUMNS, currency, with_reasons=True)
    index_label = t("products.col.price_index")
    config[index_label] = {**config[index_label], "help": t("products.price_index_help")}
    return config


def product_table(table: products.ProductTable, currency: str | None) -> None:
    widgets.show_table(display_frame(table.frame), "products_table", "products", _table_config(currency))


def product_picker(frame: pd.DataFrame) -> dict:
    """The product to look into, remembered in the URL (?item=ID)."""
    ids = frame["product_id"].astype(str).tolist()
    names = dict(zip(ids, frame["product_name"], strict=False))
    key = bind_to_url("products_item", PRODUCT_PARAM, ids, ids[0])

    def label(product_id: str) -> str:
        name = names.get(product_id)
        return f"{name} ({product_id})" if isinstance(name, str) and name != product_id else product_id

    chosen = st.selectbox(t("products.pick"), ids, key=key, format_func=label)
    st.query_params[PRODUCT_PARAM] = chosen
    return frame[frame["product_id"].astype(str) == chosen].iloc[0].to_dict()


def _trend_figure(trend: pd.DataFrame, currency: str | None, revenue_name: str, visitors_name: str) -> go.Figure:
    """Revenue as bars, and visitors (when the exports count them) as a line on a count axis of their own, built
    as traces and layout in one step (Plotly checks each property once, not again per update)."""
    money = widgets.value_hover("money", currency)
    traces: list[dict] = [
        {
            "type": "bar",
            "x": trend["date"],
            "y": trend["revenue"],
            "name": revenue_name,
            "marker": {"color": widgets.REVENUE_COLOR},
            "hovertemplate": money,
        }
    ]
    _, prefix = widgets.plotly_format("money", currency)
    layout = {
        "title": t("products.trend_title"),
        "margin": widgets.MARGIN,
        "legend": widgets.LEGEND,
        "hovermode": "x unified",
        "xaxis": widgets.date_xaxis(),
        "yaxis": widgets.value_yaxis("money", prefix, revenue_name),
    }
    if trend["visitors"].notna().any():
        traces.append(
            {
                "type": "scatter",
                "x": trend["date"],
                "y": trend["visitors"],
                "name": visitors_name,
                "yaxis": "y2",
                "mode": "lines+markers",
                "line": {"color": widgets.VISITORS_COLOR},
                "hovertemplate": widgets.value_hover("count", currency),
            }
        )
        # The visitors' own axis (ticks of its own, from zero), in whole visitors.
        axis = {**widgets.measure_axis("count", None, visitors_name), "tickformat": ",.0f"}
        layout["yaxis2"] = {"overlaying": "y", "side": "right", "showgrid": False, **axis}
    return go.Figure(data=traces, layout=layout)


def trend(daily: pd.DataFrame, row: Mapping, revenue_source: str | None, currency: str | None) -> None:
    found = products.product_trend(daily, row, revenue_source)
    if found.empty or (found["revenue"].isna().all() and found["visitors"].isna().all()):
        st.info(t("products.no_trend"))
        return
    fig = widgets.figure(_trend_figure, found, currency, t("products.series.revenue"), t("products.series.visitors"))
    st.plotly_chart(
        chart_marks.annotated(fig, chart_marks.current_marks()), key="products_trend_chart", width="stretch"
    )


def _labelled(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[columns].rename(columns={c: t(f"products.col.{c}") for c in columns})


def traffic_sources(found: pd.DataFrame | None, row: Mapping, currency: str | None) -> None:
    """found: products.product_sources, or None when the store has no product × source rows."""
    if found is None:
        st.info(t("products.no_sources"))
        return
    mine = found[found["product_id"].isin(row["traffic_keys"])]
    if mine.empty:
        st.info(t("products.no_product_sources"))
        return
    mine = mine.sort_values("visitors", ascending=False)
    columns = ["source_1", "visitors", "buyers", "revenue", "conversion_rate"]
    widgets.frame_table(_labelled(mine, columns), _config(columns, currency))


def ad_spend(campaigns: pd.DataFrame, keywords: pd.DataFrame, row: Mapping, currency: str | None) -> None:
    mine = campaigns[campaigns["product_id"].isin(row["ad_keys"])]
    if mine.empty:
        st.info(t("products.no_product_ads"))
        return
    columns = ["campaign", "spend", "ad_revenue", "roas"]
    widgets.frame_table(_labelled(mine, columns), _config(columns, currency))
    words = keywords[keywords["product_id"].isin(row["ad_keys"])]
    if words.empty:
        st.caption(t("products.no_keywords"))
        return
    columns = ["keyword", "spend", "ad_revenue", "roas"]
    widgets.frame_table(_labelled(words, columns), _config(columns, currency))


def price_track(tracks: prices.PriceTracks | None, own_shop: str | None, row: Mapping) -> None:
    groups = {g.id: g for g in tracks.groups} if tracks is not None else {}
    found = [groups[k] for k in row["price_keys"] if k in groups]
    if tracks is None or not found:
        st.info(t("products.no_price_track"))
        return
    group = found[0]
    series = prices.display_series(prices.group_series(tracks.observations, group, own_shop))
    fig = widgets.figure(track_figure, series, group.name, tracks.currency)
    st.plotly_chart(fig, key="products_price_chart", width="stretch")
    if group.competitors == 0:
        st.caption(t("products.missing.prices"))
