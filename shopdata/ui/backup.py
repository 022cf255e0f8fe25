"""Data page: download a backup of the whole database, and restore one."""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import BinaryIO

import streamlit as st

from shopdata.backup import DOWNLOAD_PREFIX, SUFFIX, BackupInfo, RestoreInfo, restore_backup, write_backup_to_dir
from shopdata.errors import ShopdataError
from shopdata.formatting import md_escape
from shopdata.store import Warehouse
from shopdata.ui import upload
from shopdata.ui.auth import offer_download
from shopdata.ui.i18n import t

PREPARED_KEY = "_backup_prepared"
RESTORED_KEY = "_backup_restored"
CONFIRM_KEY = "backup_confirm"


def backup_panel(store: Warehouse) -> None:
    with st.expander(t("backup.title")):
        st.caption(t("backup.intro"))
        _download(store)
        st.divider()
        _restore(store)


def _download(store: Warehouse) -> None:
    # Written on an explicit click, not on every rerun; the file is read only when the browser asks
    # for it, so a large backup is not held in memory between clicks.
    if st.button(t("backup.prepare"), key="backup_prepare"):
        try:
            st.session_state[PREPARED_KEY] = write_backup_to_dir(store.engine, DOWNLOAD_PREFIX)
        except (ShopdataError, OSError) as exc:
            st.error(t("backup.prepare_failed", error=md_escape(exc)))
    prepared: BackupInfo | None = st.session_state.get(PREPARED_KEY)
    if prepared is None or not prepared.path.exists():
        return
    st.caption(
        t(
            "backup.prepared",
            rows=f"{prepared.total_rows:,}",
            size=f"{prepared.size_bytes / 1e6:,.1f}",
            folder=md_escape(prepared.path.parent),
        )
    )
    # Served by the edge to this signed-in session only, once: the file is deleted when fetched.
    offer_download(
        "backup_download",
        t("backup.download"),
        "backup",
        prepared.path.name,
        "application/octet-stream",
        path=prepared.path,
        once=True,
    )


def _restore(store: Warehouse) -> None:
    st.markdown(t("backup.restore_heading"))
    done: RestoreInfo | None = st.session_state.pop(RESTORED_KEY, None)
    if done is not None:
        st.success(
            t(
                "backup.restored",
                rows=f"{done.total_rows:,}",
                version=done.schema_version,
                path=md_escape(done.safety_backup.path),
            )
        )
    chosen = st.file_uploader(t("backup.restore_file"), type=[SUFFIX.lstrip(".")], key="backup_upload")
    confirmed = st.checkbox(t("backup.confirm"), key=CONFIRM_KEY)
    if (
        not st.button(
            t("backup.restore"), key="backup_restore", type="primary", disabled=chosen is None or not confirmed
        )
        or chosen is None
    ):
        return
    try:
        with st.spinner(t("backup.restoring")):
            restored = _restore_upload(store, chosen)
    except (ShopdataError, OSError) as exc:
        st.error(t("backup.restore_failed", error=md_escape(exc)))
        return
    upload.forget_session_work()
    st.session_state[RESTORED_KEY] = restored
    # The page above this panel was drawn from the old data; draw it again, and ask for the
    # confirmation again before another restore.
    del st.session_state[CONFIRM_KEY]
    st.rerun()


def _restore_upload(store: Warehouse, chosen: BinaryIO) -> RestoreInfo:
    """DuckDB opens files, not bytes: the upload goes to a private temporary file for the restore."""
    handle, path = tempfile.mkstemp(suffix=SUFFIX, prefix="shopdata-restore-")
    try:
        with os.fdopen(handle, "wb") as target:
            chosen.seek(0)
            shutil.copyfileobj(chosen, target)
        return restore_backup(store, path)
    finally:
        os.unlink(path)
