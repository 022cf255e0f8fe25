"""Traffic sources: where visitors came from, what they were worth, which sources lost ground."""

import streamlit as st

from shopdata.formatting import md_escape
from shopdata.metrics import traffic
from shopdata.ui import traffic as page
from shopdata.ui.currency import unknown_money_note
from shopdata.ui.elsewhere import nothing_in_period
from shopdata.ui.filters import current
from shopdata.ui.i18n import current_language, t
from shopdata.ui.session import current_source

st.title(t("traffic.title"))
st.caption(t("traffic.intro"))

filters = current()
backend = current_source()
scope, compare_scope = filters.scope, filters.compare_scope
unknown_money_note(backend, filters)

if filters.store is None or filters.period is None or not traffic.has_source_data(backend, scope):
    nothing_in_period(t("traffic.empty_what"), t("traffic.empty_exports"), ("traffic",))
    st.stop()

path = page.drill_path(backend, scope)
if path:
    st.caption(t("traffic.path", path=" › ".join(md_escape(p) for p in path)))
with st.spinner(t("ui.working.sources")):
    table = traffic.source_table(backend, scope, path)
if table.empty:
    st.info(t("traffic.no_children", source=md_escape(path[-1])))
    st.stop()

with st.spinner(t("ui.working.figures")):
    page.totals_cards(backend, scope, compare_scope, path, filters.currency)
st.subheader(t("traffic.table"))
page.sources_table(table, filters.currency, file_name="traffic_sources")
with st.spinner(t("ui.working.trend")):
    page.trend_chart(traffic.source_trend(backend, scope, path, language=current_language()))

if compare_scope is None:
    st.caption(t("traffic.no_comparison"))
    st.stop()
with st.spinner(t("ui.working.changes")):
    changes = traffic.source_changes(backend, scope, compare_scope, path)
st.subheader(t("traffic.changes", start=compare_scope.start, end=compare_scope.end))
page.changes_table(changes, filters.currency, file_name="traffic_changes")
st.subheader(t("traffic.loss_title"))
st.markdown(md_escape(traffic.loss_summary(changes, current_language(), filters.currency)))
page.loss_charts(changes, filters.currency)
