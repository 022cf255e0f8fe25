"""Competitors: who took our traffic this week, rivals' banded sales and visitors over time, what we lost to them,
their keywords (and ours beside them), traffic sources and promotions (生意参谋 竞品/竞店/流失 exports, issue 15)."""

import streamlit as st

from shopdata.formatting import format_value, md_escape
from shopdata.metrics import competitors
from shopdata.ui import competitors as ui
from shopdata.ui import widgets
from shopdata.ui.elsewhere import nothing_in_period
from shopdata.ui.filters import current
from shopdata.ui.i18n import t
from shopdata.ui.session import current_source, get_warehouse

warehouse = get_warehouse()
filters = current()
st.title(t("competitors.title"))
st.caption(t("competitors.intro"))

if not filters.store:
    st.info(t("ui.no_store"))
    st.page_link(widgets.DATA_PAGE, label=t("ui.go_to_data"), icon="📥")
    st.stop()

backend = current_source()
scope = filters.scope
present = competitors.has_figures(backend, scope)
if not any(present.values()):
    nothing_in_period(
        t("competitors.empty_what"), t("competitors.empty_exports"), ("rival_metrics", "rival_promotions")
    )
    st.stop()
currency = competitors.money_currency(backend, scope)
if currency and currency != filters.currency:
    st.caption(t("competitors.currency_note", currency=md_escape(currency)))
own_shop = ui.own_shop(warehouse, filters.store)

st.subheader(t("competitors.taker"))
taker = competitors.traffic_taker(backend, scope)
if taker is None:
    ui.upload_hint("competitors.exports.loss")
else:
    ui.taker_answer(taker, currency)


@st.fragment
def trends_section() -> None:
    """The shop/product choice reruns only the charts."""
    grain = ui.grain_picker()
    if not present[grain]:
        ui.upload_hint("competitors.exports.trends")
        return
    series = competitors.band_series(backend, scope, grain)
    for metric in competitors.TREND_METRICS:
        ui.band_chart(series, metric, currency, key=f"competitors_{grain}_{metric}")


st.subheader(t("competitors.trends"))
st.caption(t("competitors.trends_help"))
trends_section()

st.subheader(t("competitors.loss"))
st.caption(t("competitors.loss_help"))
if present["loss"]:
    ui.table(competitors.loss_table(backend, scope), ui.LOSS_COLUMNS, "competitors_loss", currency)
else:
    ui.upload_hint("competitors.exports.loss")

st.subheader(t("competitors.keywords"))
st.caption(t("competitors.keywords_help"))
if present["keyword"]:
    ui.table(competitors.keyword_changes(backend, scope, own_shop), ui.KEYWORD_COLUMNS, "competitors_keywords")
else:
    ui.upload_hint("competitors.exports.keywords")

st.subheader(t("competitors.side_by_side"))
st.caption(t("competitors.side_by_side_help"))
comparison = competitors.keyword_comparison(backend, scope, own_shop)
if comparison.table.empty:
    ui.upload_hint("competitors.exports.keywords")
else:
    if not comparison.own_sources:
        st.warning(t("competitors.no_own_words", shop=md_escape(own_shop or t("competitors.no_own_shop"))))
    elif own_shop:
        st.caption(t("competitors.own_shop_note", shop=md_escape(own_shop)))
    they_win = int(comparison.table["they_win"].sum())
    st.markdown(t("competitors.they_win_count", count=format_value(they_win, "count")))
    ui.table(comparison.table, ui.COMPARISON_COLUMNS, "competitors_keywords_side_by_side")

st.subheader(t("competitors.sources"))
st.caption(t("competitors.sources_help"))
if present["source"]:
    ui.table(competitors.source_table(backend, scope, own_shop), ui.SOURCE_COLUMNS, "competitors_sources")
else:
    ui.upload_hint("competitors.exports.sources")

st.subheader(t("competitors.promotions"))
st.caption(t("competitors.promotions_help"))
if present["promotions"]:
    promotions = competitors.promotion_table(backend, scope)
    ui.promotion_timeline(promotions)
    ui.table(promotions, ui.PROMOTION_COLUMNS, "competitors_promotions")
else:
    ui.upload_hint("competitors.exports.promotions")
