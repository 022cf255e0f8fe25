"""One database connection per browser session, closed when the session ends (DuckDB connections must not
be shared across threads), and the data generation each rerun reads once (shopdata/metrics/cache.py)."""

from __future__ import annotations

import streamlit as st

from shopdata import demo, settings
from shopdata.engine import database_url
from shopdata.errors import ShopdataError
from shopdata.metrics.cache import Source, source
from shopdata.store import Warehouse, open_warehouse
from shopdata.ui.i18n import t

SOURCE_KEY = "_shopdata_source"


def _close(warehouse: Warehouse) -> None:
    warehouse.engine.close()


# scope="session": one Warehouse per browser session, released (on_release closes its connection) when
# the session disconnects. max_entries=1: a session that comes to use another database URL closes the
# connection to the previous one.
@st.cache_resource(scope="session", max_entries=1, on_release=_close, show_spinner=False)
def _session_warehouse(url: str) -> Warehouse:
    return open_warehouse(url)


def get_warehouse() -> Warehouse:
    """This session's Warehouse; a database that cannot be opened stops the page with a plain message."""
    try:
        return _session_warehouse(database_url())
    except ShopdataError as exc:  # not cached: the next rerun tries again
        st.error(t("app.db_error", error=str(exc)))
        st.stop()
        raise  # st.stop() does not return


def read_source(warehouse: Warehouse) -> Source:
    """What this rerun's metrics read from, at the data generation the database has now. The app reads it
    once per rerun (app.py, before the filters); a fragment rerunning alone reads it again."""
    found = source(warehouse)
    st.session_state[SOURCE_KEY] = found
    return found


def fragment_source() -> Source:
    """For a fragment (st.fragment): it may rerun alone, without app.py reading the generation first, so it
    reads it itself — one more small query when the whole page runs, and never data older than the
    database holds when it reruns alone."""
    return read_source(get_warehouse())


def current_source() -> Source:
    """The Source this rerun read (see read_source)."""
    found = st.session_state.get(SOURCE_KEY)
    warehouse = get_warehouse()
    if found is None or found.engine is not warehouse.engine:
        found = read_source(warehouse)
    return found


def demo_enabled() -> bool:
    return settings.from_environment(settings.DEMO)


def ensure_demo(store: Warehouse) -> None:
    """First run with an empty database: load the demo store so there is something to look at."""
    if demo_enabled() and demo.should_load_demo(store):
        with st.spinner(t("demo.loading")):
            demo.load_demo(store)


def demo_banner(store: Warehouse, shown_store: str | None, can_remove: bool = True) -> None:
    """The demo store says what it is on its own pages only: over a real store's figures the banner would
    suggest they are made up."""
    if shown_store != demo.DEMO_STORE or not demo.has_demo(store):
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
