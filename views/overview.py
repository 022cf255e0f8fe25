"""Overview: the morning check — KPIs against the comparison period, the daily trend, why revenue changed,
and what moved."""

import streamlit as st

from shopdata.alert_context import alert_context
from shopdata.formatting import md_escape
from shopdata.journal import Journal
from shopdata.metrics import alerts, overview, targets
from shopdata.metrics.definitions import metric
from shopdata.metrics.segment_names import segment_names
from shopdata.ui import annotations
from shopdata.ui import overview as draw
from shopdata.ui.alert_context import alert_rivals
from shopdata.ui.auth import current_account
from shopdata.ui.currency import unknown_money_note
from shopdata.ui.elsewhere import nothing_in_period, other_currency_notice
from shopdata.ui.filters import current
from shopdata.ui.i18n import current_language, t
from shopdata.ui.session import current_source, get_warehouse
from shopdata.ui.widgets import lazy_tabs

store = get_warehouse()
filters = current()
st.title(t("overview.title"))

backend = current_source()
unknown_money_note(backend, filters)
scope, compare_scope, currency = filters.scope, filters.compare_scope, filters.currency
periods = (scope,) if compare_scope is None else (scope, compare_scope)
found = overview.sources(backend, periods) if filters.period else ({"traffic": False, "ads": False, "orders": False},)
has = found[0]
if not any(has.values()):
    nothing_in_period(t("overview.empty.what"), t("overview.empty.both_exports"), ("traffic", "ads", "orders"))
    st.stop()
# Without a traffic report the order export's own figures are the store's numbers.
from_orders = has["orders"] and not has["traffic"]

if compare_scope:
    st.caption(
        t("overview.period_vs", start=scope.start, end=scope.end, cstart=compare_scope.start, cend=compare_scope.end)
    )
    if not any(found[1].values()):
        st.info(t("overview.no_comparison_data", start=compare_scope.start, end=compare_scope.end))
else:
    st.caption(t("overview.period", start=scope.start, end=scope.end))

with st.spinner(t("ui.working.figures")):
    trend = overview.trend(backend, scope, compare_scope)
coverage = overview.trend_coverage(trend) if compare_scope else None
# Against an almost empty comparison period a change measures the missing data: the cards show none, and
# a period with no data at all is already told above.
if coverage is not None and not coverage.comparable and coverage.comparison_days:
    st.warning(
        t(
            "ui.comparison_incomplete",
            days=coverage.comparison_days,
            length=coverage.comparison_length,
            current=coverage.current_days,
        )
    )
card_compare_scope = compare_scope if coverage is None or coverage.comparable else None
with st.spinner(t("ui.working.figures")):
    kpis = overview.kpis(backend, scope, card_compare_scope)
    order_kpis = overview.order_cards(backend, scope, card_compare_scope) if from_orders else []
    beside = overview.records_beside(backend, scope, compare_scope, card_compare_scope)  # reads the two above
if from_orders:
    draw.order_cards(order_kpis, currency)
    if has["ads"]:
        draw.cards([k for k in kpis if metric(k.metric).domain == "ads"], currency, has)
else:
    draw.cards(kpis, currency, has)
if beside is not None:
    draw.records_beside(beside, currency)
if from_orders:
    if not other_currency_notice(t("overview.empty.traffic_what"), ("traffic",)):
        st.caption(t("overview.orders.needs_traffic", exports=t("overview.empty.traffic_exports")))
    if not has["ads"] and not other_currency_notice(t("overview.empty.ads_what"), ("ads",)):
        st.caption(t("overview.orders.needs_ads", exports=t("overview.empty.ads_exports")))
else:
    if not has["traffic"]:
        nothing_in_period(t("overview.empty.traffic_what"), t("overview.empty.traffic_exports"), ("traffic",))
    if not has["ads"]:
        nothing_in_period(t("overview.empty.ads_what"), t("overview.empty.ads_exports"), ("ads",))

# ---- what is abnormal: the period's alerts by impact, each with its why and a way to note what was found
# The page stopped above without a period, and a period belongs to a store.
assert scope.store is not None and scope.start is not None and scope.end is not None
store_name, start, end = scope.store, scope.start, scope.end
journal = Journal(store)
st.subheader(t("overview.alerts.title"))
with st.spinner(t("ui.working.figures")):
    # Activities in the history too: their days are left out of the later days' normal ranges.
    context = alert_context(journal, backend, scope)
    activities, cells, found = context.activities, context.cells, context.found
    status = alerts.history_status(backend, scope, activities)
shown = found.head(draw.ALERTS_SHOWN)
judged = int(cells["enough"].sum()) if len(cells) else 0
not_judged = max((s.not_judged for s in status), default=0)
if shown.empty:
    if judged:
        st.success(t("overview.alerts.none", count=judged))
    else:
        st.info(t("overview.alerts.no_history"))
else:
    st.caption(t("overview.alerts.intro", shown=len(shown), count=len(found)))
    names = segment_names(backend, store_name)
    user = current_account()
    params = {k: st.query_params[k] for k in st.query_params}
    for index, row in enumerate(shown.to_dict("records")):
        with st.container(border=True):
            reviewed_mark = " — " + t("overview.alerts.reviewed") if row["reviewed"] else ""
            # A product's title is shortened in the line; its whole title and ID are on the line's hover.
            title = names.title(row["dimension"], row["segment"])
            help_text = md_escape(names.full(row["dimension"], row["segment"])) if title else None
            st.markdown(md_escape(draw.alert_title(row, currency, names)) + reviewed_mark, help=help_text)
            with st.spinner(t("ui.working.figures")):
                explanation = alerts.explain_alert(backend, scope, row, activities)
                why = draw.alert_why(explanation, currency, names)
            st.caption(md_escape(why))
            alert_rivals(context, row["date"])
            link, note = st.columns([1, 1])
            draw.review_link(link, row["key"], params)
            if user.can("review"):
                with note:

                    def save(cause: str, text: str, row: dict = row) -> None:
                        journal.add_note(
                            user, store_name, row["date"], text, cause=cause, metric=row["metric"],
                            dimension=row["dimension"], segment=row["segment"], alert=row["key"],
                        )  # fmt: skip

                    draw.alert_note_form(index, row, save)
if judged and not_judged:
    st.caption(t("alerts.too_little_history", days=not_judged))
if any(first <= end and last >= start for first, last in activities):
    st.caption(t("alerts.in_activity"))
st.caption(t("alerts.method"))

# ---- the month's targets: progress and pace
month = f"{end:%Y-%m}"
progress = targets.target_progress(backend, store_name, month, end, currency)
if progress:
    day, days = targets.elapsed_days(month, end)
    st.markdown(" · ".join(draw.target_line(record, day, days) for record in progress))
    st.caption(t("loop.targets.method"))

money, count = ("revenue", "visitors") if has["traffic"] else ("order_revenue", "paid_orders")
band = annotations.band_frame(cells, found, (money, count))
draw.trend_charts(trend, currency, has["traffic"], has["ads"], has["orders"], band=band, marks=annotations.marks(scope))

st.subheader(t("overview.decomp.title"))
with st.spinner(t("ui.working.decomposition")):
    result = overview.revenue_decomposition(backend, scope, compare_scope)
from_order_export = result is not None and result.formula == "orders"
st.caption(t("overview.decomp.formula_orders" if from_order_export else "overview.decomp.formula"))
if compare_scope is None:
    st.info(t("overview.decomp.no_comparison"))
elif result is None:
    st.info(t("overview.decomp.unavailable"))
else:
    draw.sentence(overview.decomposition_sentence(result, currency, current_language()))
    draw.waterfall(result, currency)
    st.caption(
        t(
            f"overview.decomp.method_orders.{result.method}"
            if from_order_export
            else f"overview.decomp.method.{result.method}"
        )
    )

st.subheader(t("overview.movers.title"))
if compare_scope is None:
    st.info(t("overview.movers.no_comparison"))
else:
    st.caption(t("overview.movers.intro", top=overview.MOVERS_TOP))
    with st.spinner(t("ui.working.movers")):
        bases = {kind: overview.movers_basis(backend, scope, compare_scope, kind) for kind in overview.MOVERS}
        # The order export's movers when the traffic and ad reports have none to show.
        by_orders = has["orders"] and all(basis.rank is None for basis in bases.values())
    if by_orders:
        st.caption(t("overview.movers.from_orders"))
    kinds = list(overview.ORDER_MOVERS if by_orders else overview.MOVERS)
    tabs = lazy_tabs([t(f"overview.movers.{kind}") for kind in kinds], "overview_movers")
    for tab, kind in zip(tabs, kinds, strict=True):
        if not tab.open:
            continue
        with tab:
            with st.spinner(t("ui.working.movers")):
                if by_orders:
                    basis, frame = overview.order_movers(backend, scope, compare_scope, kind)
                else:
                    basis, frame = bases[kind], overview.movers(backend, scope, compare_scope, kind)
            draw.movers_section(kind, frame, currency, basis)
