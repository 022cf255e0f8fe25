"""Products (商品分析): every product joined across the store's exports, its class, and one product's detail."""

import streamlit as st

from shopdata import settings
from shopdata.metrics import prices, products, promotion
from shopdata.ui import products as section
from shopdata.ui.currency import unknown_money_note
from shopdata.ui.elsewhere import nothing_in_period
from shopdata.ui.filters import current
from shopdata.ui.i18n import t
from shopdata.ui.session import current_source, fragment_source, get_warehouse

DOMAINS = ("traffic", "orders", "ads", "prices")

filters = current()
warehouse = get_warehouse()
backend = current_source()
st.title(t("products.title"))
st.caption(t("products.intro"))
unknown_money_note(backend, filters)
if not filters.store:
    nothing_in_period(t("products.empty_what"), t("products.empty_exports"), DOMAINS)
    st.stop()

margins = promotion.load_margins(warehouse, filters.store)
own_shop = prices.default_own_shop(
    prices.shops(backend, filters.store), filters.store, settings.read(warehouse, settings.OWN_SHOP, filters.store)
)
links = settings.read(warehouse, settings.PRICE_LINKS, filters.store)
with st.spinner(t("products.working")):
    table = products.product_table(backend, filters.scope, margins, own_shop, links)
if table.frame.empty:
    nothing_in_period(t("products.empty_what"), t("products.empty_exports"), DOMAINS)
    st.stop()

section.sources_note(table)
section.rules(table.thresholds, filters.currency)
st.subheader(t("products.table_title"))
section.product_table(table, filters.currency)


@st.fragment
def detail_section(table: products.ProductTable) -> None:
    """Choosing a product reruns only this section."""
    filters = current()
    source = fragment_source()
    row = section.product_picker(table.frame)
    with st.spinner(t("products.working_detail")):
        daily = products.product_daily(source, filters.scope)
        has_sources = products.has_product_sources(source, filters.scope)
        sources = products.product_sources(source, filters.scope) if has_sources else None
        campaigns = products.product_ads(source, filters.scope, "campaign")
        keywords = products.product_ads(source, filters.scope, "keyword")
        tracks = prices.price_tracks(source, filters.scope, own_shop, links) if own_shop else None
    section.trend(daily, row, table.revenue_source, filters.currency)
    st.markdown(f"#### {t('products.sources_title')}")
    section.traffic_sources(sources, row, filters.currency)
    st.markdown(f"#### {t('products.ads_title')}")
    section.ad_spend(campaigns, keywords, row, filters.currency)
    st.markdown(f"#### {t('products.prices_title')}")
    section.price_track(tracks, own_shop, row)


st.subheader(t("products.detail_title"))
detail_section(table)
