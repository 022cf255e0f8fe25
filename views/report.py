"""Report (日报 / 周报): the summary of a day or a week, to copy, download or send to the team's group chat."""

import streamlit as st

from shopdata.metrics.query import data_range
from shopdata.ui import report, widgets
from shopdata.ui.auth import current_account
from shopdata.ui.filters import current
from shopdata.ui.i18n import t
from shopdata.ui.session import current_source, get_warehouse

filters = current()
warehouse = get_warehouse()
backend = current_source()
st.title(t("report.title"))
st.caption(t("report.intro"))
first, latest = data_range(backend, filters.store) if filters.store else (None, None)
if not filters.store or first is None or latest is None:
    widgets.empty_state(t("report.empty_what"), t("report.empty_exports"))
    st.stop()

period, day = report.choose(filters.store, first, latest)
digest = report.build(warehouse, backend, filters.store, day, period, filters.currency)
report.chat_text(digest)
report.send(warehouse, current_account(), digest)
report.downloads(digest)
report.preview(digest)
