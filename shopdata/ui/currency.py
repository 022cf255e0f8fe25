"""Money in an unknown currency (an upload that stated none): the pages' note that it is left out, and the
Data page's section that gives such an upload its currency."""

from __future__ import annotations

import streamlit as st

from shopdata.accounts import User
from shopdata.formatting import md_escape
from shopdata.ingest.clean import ISO_CURRENCY_CODES
from shopdata.metrics.cache import Source
from shopdata.metrics.query import unknown_currency_batches
from shopdata.store import Warehouse
from shopdata.ui.filters import Filters
from shopdata.ui.i18n import t
from shopdata.ui.session import current_source

_DONE = "_currency_set"  # the last re-labelling, shown once after the rerun it causes


def unknown_money_note(source: Source, filters: Filters) -> None:
    """On a page showing a known currency: one line saying which uploads' money is not in it, and why."""
    if filters.currency is None or filters.currency_unknown or filters.store is None:
        return
    batches = unknown_currency_batches(source, filters.store)
    if batches:
        files = ", ".join(md_escape(b["file_name"]) for b in batches)
        rows = sum(b["rows"] for b in batches)
        st.info(t("currency.unknown_note", rows=rows, files=files, currency=filters.currency))


def unknown_currency_section(warehouse: Warehouse, user: User) -> None:
    """Each upload whose money has no currency, with a way to give it one (recorded by the warehouse)."""
    source, can_set = current_source(), user.can("upload")
    if done := st.session_state.pop(_DONE, None):
        st.success(t("currency.set_done", file=md_escape(done[0]), rows=done[1], currency=done[2]))
    found = [(s["name"], b) for s in warehouse.stores() for b in unknown_currency_batches(source, s["name"])]
    if not found:
        return
    st.subheader(t("currency.unknown_title"))
    st.caption(t("currency.unknown_intro"))
    for store, batch in found:
        batch_id = batch["batch_id"]
        with st.container(border=True):
            st.markdown(
                t(
                    "currency.unknown_batch",
                    file=md_escape(batch["file_name"]),
                    store=md_escape(store),
                    platform=md_escape(batch["platform"]),
                    rows=batch["rows"],
                )
            )
            if not can_set:
                continue
            code_column, button_column = st.columns([1, 1], vertical_alignment="bottom")
            typed = code_column.text_input(
                t("data.currency"), key=f"set_currency_{batch_id}", max_chars=3, help=t("data.currency_help")
            )
            if button_column.button(t("currency.set"), key=f"set_currency_button_{batch_id}"):
                code = typed.strip().upper()
                if code not in ISO_CURRENCY_CODES:
                    st.error(t("currency.not_iso", code=md_escape(code)))
                    continue
                rows = warehouse.set_batch_currency(batch_id, code, user.name)
                st.session_state[_DONE] = (batch["file_name"], rows, code)
                st.rerun()
