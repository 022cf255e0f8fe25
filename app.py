"""Shopdata — router only: page config, language, shared filters, navigation."""
import streamlit as st

from shopdata.ui.filters import sidebar_filters
from shopdata.ui.i18n import language_switch, t
from shopdata.ui.session import demo_banner, ensure_demo, get_store

st.set_page_config(page_title="Shopdata", page_icon="🛍️", layout="wide")
language_switch()
store = get_store()
ensure_demo(store)

pages = [
    st.Page("views/overview.py", title=t("nav.overview"), icon="📊", url_path="overview", default=True),
    st.Page("views/funnel.py", title=t("nav.funnel"), icon="🔻", url_path="funnel"),
    st.Page("views/traffic.py", title=t("nav.traffic"), icon="🚦", url_path="traffic"),
    st.Page("views/promotion.py", title=t("nav.promotion"), icon="📣", url_path="promotion"),
    st.Page("views/prices.py", title=t("nav.prices"), icon="🏷️", url_path="prices"),
    st.Page("views/data.py", title=t("nav.data"), icon="📥", url_path="data"),
]
navigation = st.navigation(pages)
sidebar_filters(store)
demo_banner(store)
navigation.run()
