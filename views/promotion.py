"""Promotion: maximum turnover with the least ad spend."""

import streamlit as st

from shopdata.alert_context import alert_context
from shopdata.journal import Journal
from shopdata.metrics import promotion
from shopdata.ui import annotations
from shopdata.ui import promotion as section
from shopdata.ui.alert_context import rival_alert_lines
from shopdata.ui.currency import unknown_money_note
from shopdata.ui.elsewhere import nothing_in_period
from shopdata.ui.filters import current, url_choice
from shopdata.ui.i18n import t
from shopdata.ui.session import current_source, fragment_source, get_warehouse

filters = current()
store = get_warehouse()
backend = current_source()
st.title(t("promotion.title"))
st.caption(t("promotion.intro"))
unknown_money_note(backend, filters)
if not filters.store or not promotion.has_ads(backend, filters.scope):
    nothing_in_period(t("promotion.empty_what"), t("promotion.empty_exports"), ("ads",))
    st.stop()

margins = promotion.load_margins(store, filters.store)
with st.spinner(t("ui.working.ads")):
    section.kpi_section(
        promotion.kpis(backend, filters.scope, filters.compare_scope), filters.currency, filters.comparison
    )
    section.margin_summary(
        promotion.scope_profit(backend, filters.scope, margins),
        margins,
        filters.currency,
        promotion.ranking(promotion.breakdown(backend, filters.scope, "campaign", margins)).unjudged,
    )
section.margin_form(store, filters.store, margins, promotion.advertised_products(backend, filters.scope))
with st.spinner(t("ui.working.trend")):
    # Spend and ROAS are KPIs the alerts judge: their normal range and alert days, as on the overview's trend.
    # The page stopped above without a store; a store's scope has the period's dates.
    assert filters.scope.start is not None and filters.scope.end is not None
    context = alert_context(Journal(store), backend, filters.scope, section.ALERTED)
    band = annotations.band_frame(context.cells, context.found, section.ALERTED)
    section.trend(
        promotion.daily(backend, filters.scope), margins, filters.currency, band, annotations.marks(filters.scope)
    )
rival_alert_lines(context, section.ALERTED)
section.attribution_notes(promotion.platform_windows(promotion.attribution_windows(backend, filters.scope)))


@st.fragment
def breakdown_section(margins: promotion.Margins) -> None:
    """The breakdown choice reruns only this section (the rest of the page stays as drawn)."""
    filters = current()
    by = url_choice(
        t("promotion.by"),
        list(promotion.BREAKDOWNS),
        "ads_by",
        "campaign",
        format_func=lambda b: t(f"promotion.by.{b}"),
    )
    with st.spinner(t("ui.working.breakdown")):
        frame = promotion.breakdown(fragment_source(), filters.scope, by, margins)
    section.breakdown_table(frame, by, filters.currency)
    section.ranking(promotion.ranking(frame), by, filters.currency)


st.subheader(t("promotion.breakdown_title"))
breakdown_section(margins)
