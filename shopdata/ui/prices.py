"""Widgets of the Competitor prices page: own-shop choice, links editor, URL-bound inputs, the track chart, tables."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from shopdata import settings
from shopdata.metrics import prices
from shopdata.store import Warehouse
from shopdata.ui import widgets
from shopdata.ui.auth import current_account
from shopdata.ui.filters import bind_to_url
from shopdata.ui.i18n import current_language, t

THRESHOLD_PARAM = "undercut"
GROUP_PARAM = "product"
OWN_LINE_WIDTH, OTHER_LINE_WIDTH = 4.5, 1.5


def saved_links(store: Warehouse, store_name: str) -> dict[str, list[str]]:
    return settings.read(store, settings.PRICE_LINKS, store_name)


def own_shop_picker(store: Warehouse, store_name: str, known_shops: Sequence[str]) -> str | None:
    """Which shop is ours. A choice is saved for the store; "" saved means the user chose none. Without the
    edit_settings permission the choice is shown, not changed."""
    locked = not current_account().can("edit_settings")
    saved = settings.read(store, settings.OWN_SHOP, store_name)
    default = prices.default_own_shop(known_shops, store_name, saved) or ""
    options = ["", *known_shops]
    key = f"prices_own_shop:{store_name}"
    if locked or st.session_state.get(key) not in options:
        st.session_state[key] = default
    chosen = st.selectbox(
        t("prices.own_shop"),
        options,
        key=key,
        help=t(settings.OWN_SHOP.ui_help),
        format_func=lambda s: s or t("prices.own_shop_none"),
        disabled=locked,
    )
    # Checked here, not only by the disabled widget: a crafted message can still change its value.
    if chosen != default and not locked:
        settings.write(store, {settings.OWN_SHOP: chosen}, store_name)
    return chosen or None


def threshold_input() -> float:
    """The undercut threshold in percent, remembered in the URL (?undercut=5); returned as a fraction."""
    key = "prices_threshold"
    if key not in st.session_state:
        st.session_state[key] = _percent(st.query_params.get(THRESHOLD_PARAM), prices.UNDERCUT_THRESHOLD * 100)
    value = st.number_input(t("prices.threshold"), min_value=0.0, max_value=100.0, step=1.0, format="%.1f", key=key)
    st.query_params[THRESHOLD_PARAM] = f"{value:g}"
    return value / 100


def _percent(text: str | None, default: float) -> float:
    try:
        value = float(text) if text is not None else default
    except ValueError:
        return default
    return value if 0 <= value <= 100 else default


def _product_label(groups: Mapping[str, prices.ProductGroup]):
    def label(product: str) -> str:
        group = groups.get(product)
        return f"{group.name} · {group.shop} ({product})" if group else product

    return label


def links_editor(
    store: Warehouse, store_name: str, page: prices.PricePage, own_shop: str, links: Mapping[str, Sequence[str]]
) -> None:
    """One row per own product, with the competitor products linked to it; saved on the button (read-only
    without the edit_settings permission)."""
    user = current_account()
    locked = not user.can("edit_settings")
    ours = [g.id for g in page.groups if g.own]
    if not ours:
        st.caption(t("prices.no_own_products"))
        return
    by_id = {g.id: g for g in page.groups}
    label = _product_label(by_id)
    choices = sorted(
        {g.id for g in page.groups if not g.own} | {k for v in links.values() for k in v},
        key=lambda k: (by_id[k].shop, by_id[k].name, k) if k in by_id else ("", k, k),
    )
    # A new key after each save starts the editor from the saved links instead of replaying old edits on them.
    version = hashlib.sha256(json.dumps(links, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
    st.caption(t(settings.PRICE_LINKS.ui_help))
    if locked:
        st.caption(t("auth.settings_read_only", role=t(f"role.{user.role}")))
    with st.form(key="prices_links_form", border=False):
        edited = st.data_editor(
            prices.links_to_rows(links, ours),
            key=f"prices_links_{version}",
            hide_index=True,
            num_rows="fixed",
            disabled=locked,
            column_config={
                "own_product": st.column_config.SelectboxColumn(
                    t("prices.links_own"), options=ours, disabled=True, format_func=label
                ),
                "competitors": st.column_config.MultiselectColumn(
                    t("prices.links_competitors"), options=choices, accept_new_options=True, format_func=label
                ),
            },
        )
        submitted = st.form_submit_button(t("prices.links_save"), disabled=locked)
        # Checked here, not only by disabling the button: a crafted message can still submit the form.
        if submitted and not locked:
            settings.write(store, {settings.PRICE_LINKS: prices.rows_to_links(edited, links)}, store_name)
            st.toast(t("prices.links_saved"))
            st.rerun()


def group_picker(groups: Sequence[prices.ProductGroup]) -> prices.ProductGroup:
    """The product (with its linked competitors) to draw, remembered in the URL (?product=ID)."""
    by_id = {g.id: g for g in groups}
    ids = list(by_id)
    key = bind_to_url("prices_group", GROUP_PARAM, ids, ids[0])

    def label(product: str) -> str:
        group = by_id[product]
        if group.own:
            return t("prices.group_own", name=group.name, count=group.competitors)
        return t("prices.group_other", name=group.name, shop=group.shop)

    chosen = st.selectbox(t("prices.group"), ids, key=key, format_func=label)
    st.query_params[GROUP_PARAM] = chosen
    return by_id[chosen]


def track_chart(series: pd.DataFrame, group: prices.ProductGroup, currency: str | None) -> None:
    """Step lines (a price holds until it changes); our shop's line is drawn thicker. Long tracks are thinned
    for drawing (prices.display_series), their lowest and highest prices kept."""
    fig = widgets.figure(track_figure, prices.display_series(series), group.name, currency)
    st.plotly_chart(fig, key="prices_track_chart", width="stretch")


DAY_MS = 86_400_000
# A track spanning fewer days than this gets a day per tick and half a day of margin on both sides, so that
# one observation (or two days) shows as dates, never as hours or milliseconds around an instant.
SHORT_TRACK_DAYS = 7


def track_figure(series: pd.DataFrame, name: str, currency: str | None):
    ours = set(series.loc[series["own"], "track"])
    suffix = f" ({t('prices.ours')})"
    traces = widgets.line_traces(series, "date", "price", "track", shape="hv")
    for trace in traces:
        own = trace["name"] in ours
        trace["line"]["width"] = OWN_LINE_WIDTH if own else OTHER_LINE_WIDTH
        trace["name"] = trace["name"] + suffix if own else trace["name"]
        trace["hovertemplate"] = widgets.value_hover("money", currency)
    layout = widgets.styled_layout(
        "date", "money", currency, t("prices.chart_title", name=name), t("prices.price_axis"), dates=True
    )
    layout["xaxis"].update(type="date", tickformat=widgets.DATE_TICKS.get(current_language(), "%b %-d, %Y"))
    days = pd.to_datetime(series["date"])
    if not days.empty and (days.max() - days.min()).days < SHORT_TRACK_DAYS:
        half_day = pd.Timedelta(hours=12)
        layout["xaxis"].update(range=[days.min() - half_day, days.max() + half_day], dtick=DAY_MS)
    # Listing titles are long: a legend beside the plot would squeeze it.
    layout["legend"].update({"orientation": "h", "yanchor": "top", "y": -0.15, "xanchor": "left", "x": 0})
    return go.Figure(data=traces, layout=layout)


# Rows drawn per page of a table: a browser draws thousands of styled rows slowly; the downloads hold them all.
PAGE_ROWS = 100


def table(frame: pd.DataFrame, columns: Sequence[tuple[str, str, str]], key: str, currency: str | None) -> None:
    """show_table with translated headers. columns: (column, label key under prices.col., kind)."""
    labelled = frame[[c for c, _, _ in columns]].rename(columns={c: t(f"prices.col.{k}") for c, k, _ in columns})
    config: dict[str, widgets.ColumnConfig] = {}
    for _, label_key, kind in columns:
        label = t(f"prices.col.{label_key}")
        if kind == "money":
            config[label] = widgets.money_column(label, currency)
        elif kind == "percent":
            config[label] = widgets.percent_column(label)
        elif kind == "count":
            config[label] = widgets.count_column(label)
        elif kind == "ratio":
            config[label] = widgets.ratio_column(label)
        elif kind == "bool":
            config[label] = dict(st.column_config.CheckboxColumn(label))
        elif kind == "date":
            config[label] = dict(st.column_config.DateColumn(label))
    pages = max(1, -(-len(labelled) // PAGE_ROWS))
    shown = None
    if pages > 1:
        page = st.selectbox(
            t("prices.table_page", rows=len(labelled)),
            range(1, pages + 1),
            key=f"{key}_page",
            format_func=lambda n: t("prices.table_page_of", page=n, pages=pages),
        )
        shown = labelled.iloc[(page - 1) * PAGE_ROWS : page * PAGE_ROWS]
    widgets.show_table(labelled, key=key, file_name=key, column_config=config, shown=shown)


# Each table starts with the column that answers its question (how dear am I, by how much am I undercut, how
# deep was the cut, where does a price stand), so it is visible without scrolling a wide table.
POSITION_COLUMNS = [
    ("product_name", "product_name", "text"),
    ("price_index", "price_index", "ratio"),
    ("price", "own_price", "money"),
    ("cheapest", "cheapest", "money"),
    ("median", "median", "money"),
    ("dearest", "dearest", "money"),
    ("rank", "rank", "count"),
    ("rank_of", "rank_of", "count"),
    ("competitors", "competitors", "count"),
    ("date", "date", "date"),
    ("product", "product", "text"),
]
UNDERCUT_COLUMNS = [
    ("gap", "gap", "percent"),
    ("product_name", "product_name", "text"),
    ("shop", "shop", "text"),
    ("price", "their_price", "money"),
    ("own_price", "own_price", "money"),
    ("own_product_name", "own_product_name", "text"),
    ("date", "date", "date"),
    ("product", "product", "text"),
]
DROP_COLUMNS = [
    ("drop", "drop", "percent"),
    ("after", "after", "money"),
    ("before", "before", "money"),
    ("product_name", "product_name", "text"),
    ("shop", "shop", "text"),
    ("date", "date", "date"),
    ("previous_date", "previous_date", "date"),
    ("recovered", "recovered", "bool"),
    ("recovered_on", "recovered_on", "date"),
    ("product", "product", "text"),
]
PRODUCT_COLUMNS = [
    ("product_name", "product_name", "text"),
    ("latest_price", "latest_price", "money"),
    ("min_price", "min_price", "money"),
    ("max_price", "max_price", "money"),
    ("median_price", "median_price", "money"),
    ("shop", "shop", "text"),
    ("observations", "observations", "count"),
    ("first_date", "first_date", "date"),
    ("last_date", "last_date", "date"),
    ("sales_increase", "sales_increase", "count"),
    ("product", "product", "text"),
]
SHOP_COLUMNS = [
    ("shop", "shop", "text"),
    ("min_price", "min_price", "money"),
    ("median_price", "median_price", "money"),
    ("max_price", "max_price", "money"),
    ("products", "products", "count"),
    ("observations", "observations", "count"),
    ("sales_increase", "sales_increase", "count"),
]


def kpis(page: prices.PricePage, own_shop: str | None) -> None:
    cards: list[dict] = [
        {
            "label": t("prices.kpi.tracks"),
            "value": float(len(page.products)),
            "unit": "count",
            "direction": 0,
            "help": t("prices.kpi.tracks_help"),
        },
        {"label": t("prices.kpi.shops"), "value": float(len(page.shops)), "unit": "count", "direction": 0},
        {
            "label": t("prices.kpi.observations"),
            "value": float(len(page.observations)),
            "unit": "count",
            "direction": 0,
            "help": t("prices.kpi.observations_help"),
        },
        {
            "label": t("prices.kpi.drops"),
            # No track seen twice is not zero drops: the card shows "—" and says why.
            "value": float(len(page.drops)) if page.drop_pairs else None,
            "unit": "count",
            "direction": 0,
            "help": "" if page.drop_pairs else t("prices.no_drop_pairs"),
        },
    ]
    if own_shop:
        cards.append(
            {
                "label": t("prices.kpi.undercuts"),
                # Nothing compared is not zero alerts: the card shows "—" and says why.
                "value": None if page.undercut_check.reason else float(len(page.undercuts)),
                "unit": "count",
                "direction": -1,
                "help": t(f"prices.nothing_compared.{page.undercut_check.reason}")
                if page.undercut_check.reason
                else "",
            }
        )
    widgets.kpi_cards(cards, per_row=len(cards))
