"""One database connection per browser session (DuckDB connections must not be shared across threads)."""

from __future__ import annotations

import streamlit as st

from shopdata import demo, settings
from shopdata.engine import database_url
from shopdata.errors import ShopdataError
from shopdata.store import Warehouse, open_warehouse
from shopdata.ui.i18n import t

WAREHOUSE_KEY = "_shopdata_store"


def get_warehouse() -> Warehouse:
    """This session's Store; a database that cannot be opened stops the page with a plain message."""
    url = database_url()
    held = st.session_state.get(WAREHOUSE_KEY)
    if held is not None and held.engine.url == url:
        return held
    try:
        store = open_warehouse(url)
    except ShopdataError as exc:
        st.error(t("app.db_error", error=str(exc)))
        st.stop()
    st.session_state[WAREHOUSE_KEY] = store
    return store


def demo_enabled() -> bool:
    return settings.from_environment(settings.DEMO)


def ensure_demo(store: Warehouse) -> None:
    """First run with an empty database: load the demo store so there is something to look at."""
    if demo_enabled() and demo.should_load_demo(store):
        with st.spinner(t("demo.loading")):
            demo.load_demo(store)


def demo_banner(store: Warehouse, can_remove: bool = True) -> None:
    if not demo.has_demo(store):
        return
    if not can_remove:
        st.info(t("demo.banner"), icon="🧪")
        return
    # A row sized to the button's label, so "Remove the demo store" is never cut to "Remove the demo s…".
    row = st.container(horizontal=True, vertical_alignment="center", wrap=False)
    row.info(t("demo.banner"), icon="🧪")
    if row.button(t("demo.remove"), key="remove_demo"):
        rows = demo.remove_demo(store)
        st.toast(t("demo.removed", rows=rows))
        st.rerun()
