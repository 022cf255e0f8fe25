"""Conversion funnel: view → cart → (checkout) → purchase from behaviour logs, or the exports' stage counts."""

import streamlit as st

from shopdata.metrics import funnel
from shopdata.ui import funnel as draw
from shopdata.ui.elsewhere import nothing_in_period
from shopdata.ui.filters import current, url_choice
from shopdata.ui.i18n import t
from shopdata.ui.session import current_source, fragment_source

st.title(t("funnel.title"))
filters = current()
backend = current_source()
scope, compare_scope = filters.scope, filters.compare_scope
period = filters.period
sources = funnel.funnel_sources(backend, scope) if period else []
if period is None or not sources:
    nothing_in_period(t("funnel.what"), t("funnel.exports"), ("events", "traffic"))
    st.stop()

source = sources[0]
if len(sources) > 1:
    source = url_choice(
        t("funnel.source"), sources, "funnel", sources[0], format_func=lambda s: t(f"funnel.source.{s}")
    )
st.caption(t(f"funnel.intro.{source}"))

favorites, window = None, funnel.OPEN
if source == funnel.EVENTS:
    window = url_choice(
        t("funnel.window"), list(funnel.WINDOWS), "window", funnel.OPEN, format_func=lambda w: t(f"funnel.window.{w}")
    )
    st.caption(t("funnel.window.note.open" if window == funnel.OPEN else "funnel.window.note.closed"))
    with st.spinner(t("ui.working.funnel")):
        stages = funnel.event_stages(backend, scope)
        now = funnel.event_funnel(backend, scope, window, stages)
        before = funnel.event_funnel(backend, compare_scope, window, stages) if compare_scope else None
        favorites = (
            funnel.favorite_users(backend, scope),
            funnel.favorite_users(backend, compare_scope) if compare_scope else None,
        )
        breakdowns = funnel.breakdown_options(backend, scope)
        daily = funnel.daily_event_conversion(backend, scope)
else:
    with st.spinner(t("ui.working.funnel")):
        stages = funnel.export_stages(backend, scope)
        now = funnel.export_funnel(backend, scope, stages)
        before = funnel.export_funnel(backend, compare_scope, stages) if compare_scope else None
        breakdowns = funnel.export_breakdown_options(backend, scope)
        daily = funnel.daily_export_conversion(backend, scope)
        unstated = funnel.unstated_stages(backend, scope, stages)
has_before = funnel.has_users(before)
with st.spinner(t("ui.working.funnel")):
    coverage = (
        funnel.comparison_coverage(backend, scope, compare_scope, source) if compare_scope and has_before else None
    )
# Against an almost empty comparison period a change measures the missing data: shown as no comparison.
compared = has_before and (coverage is None or coverage.comparable)
if coverage is not None and not coverage.comparable:
    draw.incomplete_comparison_note(coverage)

if favorites is not None and not compared:
    favorites = (favorites[0], None)

draw.kpis(now, before if compared else None, source, favorites)
draw.drop_sentence(now, source)
if source == funnel.EXPORTS:
    draw.unstated_notes(unstated, now["users"].iloc[0])
left, right = st.columns(2)
with left:
    draw.funnel_chart(now, source, draw.period_title("current", period), key="funnel_current")
with right:
    if has_before and filters.comparison:
        draw.funnel_chart(before, source, draw.period_title("previous", filters.comparison), key="funnel_previous")
    elif filters.comparison:
        st.info(t("funnel.no_comparison", start=filters.comparison.start, end=filters.comparison.end))

st.subheader(t("funnel.stages_heading"))
draw.stage_table(funnel.compare_frames(now, before if compared else None), source, key="funnel_stages")


@st.fragment
def breakdown_section(source: str, breakdowns: list[str], window: str, stages: list[str]) -> None:
    """The breakdown choice reruns only this section (the rest of the page stays as drawn)."""
    scope = current().scope
    by = url_choice(
        t("funnel.breakdown"), ["none", *breakdowns], "breakdown", "none", format_func=lambda b: t(f"funnel.by.{b}")
    )
    if by == "none":
        return
    st.subheader(t("funnel.breakdown_heading", by=t(f"funnel.by.{by}")))
    backend = fragment_source()
    with st.spinner(t("ui.working.breakdown")):
        table = (
            funnel.breakdown_table(backend, scope, by, window, stages)
            if source == funnel.EVENTS
            else funnel.export_breakdown_table(backend, scope, by)
        )
    if table.empty:
        st.info(t("funnel.breakdown_empty", by=t(f"funnel.by.{by}")))
    else:
        draw.breakdown_table(table, by, source, key="funnel_breakdown")


if breakdowns:
    breakdown_section(source, breakdowns, window, stages)

if not daily.empty:
    draw.trend_chart(daily, source, key="funnel_trend")
