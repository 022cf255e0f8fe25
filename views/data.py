"""Data: drop exports, check what was recognised, import, and manage uploads."""

import streamlit as st

from shopdata import settings
from shopdata.formatting import md_escape
from shopdata.ui import backup, upload
from shopdata.ui.auth import current_account
from shopdata.ui.currency import unknown_currency_section
from shopdata.ui.filters import current
from shopdata.ui.i18n import t
from shopdata.ui.session import get_warehouse

store = get_warehouse()
user = current_account()
st.title(t("data.title"))
if user.can("backup"):
    # First, before anything reads the uploads: a damaged upload list must never hide the way back.
    backup.backup_panel(store)

if user.can("upload"):
    st.caption(t("data.intro", platforms=upload.platforms_text()))
    target = upload.store_picker(store, default=current().store)
    files = st.file_uploader(t("data.uploader"), type=upload.UPLOAD_TYPES, accept_multiple_files=True, key="uploads")
    confirm_below = settings.read(store, settings.CONFIRM_BELOW_CONFIDENCE)
    states, options_for, confirmed = [], {}, []
    for index, file in enumerate(files or []):
        options = upload.file_options(index, file.name, target or "", user.name)
        with st.container(border=True):
            st.markdown(f"**{md_escape(file.name)}**")
            state = upload.analyse(file.name, file.getvalue(), options, store)
            confirmed.append(upload.plan_panel(index, state, options, confirm_below))
        states.append(state)
        options_for[state.sha256] = options

    imported = st.session_state.setdefault("_imported", {})
    batch_key = tuple(sorted(s.sha256 + str(options_for[s.sha256]) for s in states))
    if not all(confirmed):
        st.caption(t("data.confirm_needed"))
    if states and st.button(t("data.import"), type="primary", disabled=not target or not all(confirmed), key="import"):
        imported[batch_key] = upload.import_files(states, store, options_for)
    if batch_key in imported:
        upload.show_results(imported[batch_key])
        if target and any(r.status == "loaded" for r in imported[batch_key]):
            upload.offer_to_show(store, target, current().store)
else:
    st.info(t("auth.view_only", role=t(f"role.{user.role}")))

unknown_currency_section(store, user)
upload.batch_list(store, current().store, can_delete=user.can("delete"))
