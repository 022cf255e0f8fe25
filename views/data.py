"""Data: drop exports, check what was recognised, import, and manage uploads."""
import streamlit as st

from shopdata.ui import backup, upload
from shopdata.ui.filters import current
from shopdata.ui.i18n import t
from shopdata.ui.session import current_user, get_store

store = get_store()
st.title(t("data.title"))
st.caption(t("data.intro"))

target = upload.store_picker(store, default=current().store)
files = st.file_uploader(t("data.uploader"), type=upload.UPLOAD_TYPES, accept_multiple_files=True, key="uploads")

states, options_for = [], {}
for index, file in enumerate(files or []):
    options = upload.file_options(index, file.name, target or "", current_user())
    with st.container(border=True):
        st.markdown(f"**{file.name}**")
        state = upload.analyse(file.name, file.getvalue(), options, store)
        upload.plan_panel(index, state, options)
    states.append(state)
    options_for[state.sha256] = options

imported = st.session_state.setdefault("_imported", {})
batch_key = tuple(sorted(s.sha256 + str(options_for[s.sha256]) for s in states))
if states and st.button(t("data.import"), type="primary", disabled=not target, key="import"):
    imported[batch_key] = upload.import_files(states, store, options_for)
if batch_key in imported:
    upload.show_results(imported[batch_key])

upload.batch_list(store, None)
backup.backup_panel(store)
