"""Shopdata — router only: page config, language, sign-in gate, shared filters, navigation."""

import streamlit as st

from shopdata.ui.auth import account_box, sign_in_form, signed_in_user
from shopdata.ui.filters import sidebar_filters
from shopdata.ui.i18n import language_switch, t
from shopdata.ui.session import demo_banner, ensure_demo, get_warehouse, read_source

st.set_page_config(page_title="Shopdata", page_icon="🛍️", layout="wide")
language_switch()
warehouse = get_warehouse()
user = signed_in_user(warehouse)

pages = [
    # The default page is served at "/" but reserves its own url_path; a hidden alias makes a typed or
    # copied /overview open the overview instead of Streamlit's "page not found".
    st.Page("views/overview.py", title=t("nav.overview"), icon="📊", url_path="home", default=True),
    st.Page("views/overview.py", title=t("nav.overview"), icon="📊", url_path="overview", visibility="hidden"),
    st.Page("views/funnel.py", title=t("nav.funnel"), icon="🔻", url_path="funnel"),
    st.Page("views/traffic.py", title=t("nav.traffic"), icon="🚦", url_path="traffic"),
    st.Page("views/promotion.py", title=t("nav.promotion"), icon="📣", url_path="promotion"),
    st.Page("views/prices.py", title=t("nav.prices"), icon="🏷️", url_path="prices"),
    st.Page("views/data.py", title=t("nav.data"), icon="📥", url_path="data"),
]
if user is None or user.can("manage_users"):
    pages.append(st.Page("views/team.py", title=t("nav.team"), icon="👥", url_path="team"))
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
demo_banner(warehouse, filters.store, can_remove=user.can("delete"))
navigation.run()
