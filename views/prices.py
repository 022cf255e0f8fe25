"""Competitor prices: price tracks per product and shop, our price position, who undercut us, price drops."""

import streamlit as st

from shopdata.formatting import format_value, md_escape
from shopdata.metrics import prices
from shopdata.ui import prices as ui
from shopdata.ui import widgets
from shopdata.ui.elsewhere import nothing_in_period
from shopdata.ui.filters import current
from shopdata.ui.i18n import t
from shopdata.ui.session import current_source, get_warehouse

store = get_warehouse()
filters = current()
st.title(t("prices.title"))
st.caption(t("prices.intro"))

if not filters.store:
    st.info(t("ui.no_store"))
    st.page_link(widgets.DATA_PAGE, label=t("ui.go_to_data"), icon="📥")
    st.stop()

backend = current_source()
known_shops = prices.shops(backend, filters.store)
if not known_shops:
    widgets.empty_state(t("prices.empty_what"), t("prices.empty_exports"))
    st.stop()

links = ui.saved_links(store, filters.store)
with st.expander(t("prices.settings"), expanded=True):
    left, right = st.columns(2)
    with left:
        own_shop = ui.own_shop_picker(store, filters.store, known_shops)
    with right:
        threshold = ui.threshold_input()

with st.spinner(t("prices.loading")):
    page = prices.price_page(backend, filters.scope, own_shop, links, threshold)
if page.observations.empty:
    nothing_in_period(t("prices.empty_what"), t("prices.empty_exports"), ("prices",))
    st.stop()
if page.currency and page.currency != filters.currency:
    st.caption(t("prices.currency_note", currency=md_escape(page.currency)))
if own_shop:
    with st.expander(t("prices.links"), expanded=not links):
        ui.links_editor(store, filters.store, page, own_shop, links)

ui.kpis(page, own_shop)


@st.fragment
def tracks_section(page: prices.PricePage, own_shop: str | None) -> None:
    """The product choice reruns only the chart (it draws from the page's observations, no query)."""
    group = ui.group_picker(page.groups)
    with st.spinner(t("prices.drawing")):
        ui.track_chart(prices.group_series(page.observations, group, own_shop), group, page.currency)


st.subheader(t("prices.tracks"))
tracks_section(page, own_shop)

if own_shop:
    st.subheader(t("prices.position", date=page.latest_date))
    st.caption(t("prices.position_help"))
    if page.position.empty:
        st.info(t("prices.no_position"))
    else:
        ui.table(page.position, ui.POSITION_COLUMNS, "price_position", page.currency)

    st.subheader(t("prices.undercuts"))
    st.caption(t("prices.undercuts_help"))
    check = page.undercut_check
    if check.reason is not None:
        st.warning(t("prices.nothing_compared") + " " + t(f"prices.nothing_compared.{check.reason}"))
    elif check.alerts.empty:
        st.success(t("prices.no_undercuts", threshold=format_value(threshold, "percent")))
        st.caption(t("prices.undercuts_compared", count=format_value(check.compared, "count")))
    else:
        ui.table(page.undercuts, ui.UNDERCUT_COLUMNS, "undercuts", page.currency)
else:
    st.info(t("prices.choose_own"))

drop_threshold = format_value(prices.DROP_THRESHOLD, "percent")
st.subheader(t("prices.drops"))
st.caption(t("prices.drops_help", threshold=drop_threshold))
if not page.drop_pairs:
    # No track was seen twice: "no price fell" would rest on nothing.
    st.warning(t("prices.no_drop_pairs"))
elif page.drops.empty:
    st.info(t("prices.no_drops", threshold=drop_threshold))
    st.caption(t("prices.drops_compared", count=format_value(page.drop_pairs, "count")))
else:
    ui.table(page.drops, ui.DROP_COLUMNS, "price_drops", page.currency)

st.subheader(t("prices.ranges"))
st.caption(t("prices.sales_help"))
ui.table(page.products, ui.PRODUCT_COLUMNS, "price_ranges", page.currency)
st.subheader(t("prices.shop_ranges"))
ui.table(page.shops, ui.SHOP_COLUMNS, "shop_price_ranges", page.currency)
