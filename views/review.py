"""Review (复盘): open alerts ranked by money impact and why, the team's notes, and the activities' lift."""

import streamlit as st

from shopdata.journal import Journal
from shopdata.ui import review
from shopdata.ui.auth import current_account
from shopdata.ui.elsewhere import nothing_in_period
from shopdata.ui.filters import current
from shopdata.ui.i18n import t
from shopdata.ui.session import current_source, get_warehouse

st.title(t("review.title"))
review.flash_message()
filters = current()
backend = current_source()
journal = Journal(get_warehouse())
user = current_account()
if filters.store is None or filters.period is None:
    nothing_in_period(t("review.what"), t("review.exports"), review.ALERT_DOMAINS)
    st.stop()

activities = review.activity_ranges(journal, filters.store, filters.period.start, filters.period.end)
found, alert = review.alerts_section(backend, journal, filters, activities)
if alert is not None:
    review.explanation(backend, journal, filters, alert, activities)
    review.note_form(journal, user, filters.store, alert)
review.notes_section(journal, user, filters)
review.activities_section(backend, journal, user, filters)
