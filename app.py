"""Shopdata — router only: page config, language, sign-in gate, shared filters, navigation."""

import streamlit as st

from shopdata.heap import settle_after_first_run
from shopdata.ui.auth import account_box, sign_in_form, signed_in_user
from shopdata.ui.filters import copy_link_button, sidebar_filters
from shopdata.ui.i18n import language_switch, t
from shopdata.ui.pages import DEFAULT_PAGE, PAGES, TEAM_PAGE
from shopdata.ui.session import demo_banner, ensure_demo, get_warehouse, read_source

st.set_page_config(page_title="Shopdata", page_icon="🛍️", layout="wide")
language_switch()
warehouse = get_warehouse()
user = signed_in_user(warehouse)

pages = [
    st.Page(
        p.script,
        title=t(p.title_key),
        icon=p.icon,
        url_path=p.url_path,
        default=p is DEFAULT_PAGE,
        visibility="hidden" if p.hidden else "visible",
    )
    for p in PAGES
]
if user is None or user.can("manage_users"):
    pages.append(
        st.Page(TEAM_PAGE.script, title=t(TEAM_PAGE.title_key), icon=TEAM_PAGE.icon, url_path=TEAM_PAGE.url_path)
    )
# Signed out, the pages are registered but hidden and never run: the link's page and filters survive
# the sign-in, and nothing below this reads data.
navigation = st.navigation(pages, position="sidebar" if user else "hidden")
if user is None:
    sign_in_form(warehouse)  # stops the run
    st.stop()  # (sign_in_form already has: this line tells the type checker that user is set below)

ensure_demo(warehouse)
account_box(warehouse, user)
# The data generation, read once per rerun after the demo store may have been loaded: every metric the
# filters and the page compute is cached under it (shopdata/metrics/cache.py).
source = read_source(warehouse)
filters = sidebar_filters(warehouse, source)
copy_link_button()
demo_banner(warehouse, filters.store, can_remove=user.can("delete"))
try:
    navigation.run()
finally:
    # Whether the page ended or stopped (st.stop): its first run's imports are done (shopdata/heap.py).
    settle_after_first_run(navigation.url_path)
