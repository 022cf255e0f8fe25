"""Shopdata — router only: page config, shared state, navigation."""
import streamlit as st

from shopdata.ui.i18n import language_switch, t
from shopdata.ui.session import demo_banner, ensure_demo, get_store

st.set_page_config(page_title="Shopdata", page_icon="🛍️", layout="wide")
language_switch()
store = get_store()
ensure_demo(store)

pages = [
    st.Page("views/data.py", title=t("nav.data"), icon="📥", url_path="data", default=True),
]
navigation = st.navigation(pages)
demo_banner(store)
navigation.run()
