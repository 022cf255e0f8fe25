"""Orders: the store's own order exports — paid revenue and orders over time, placed → paid → refunded, new and
returning buyers, cohorts, breakdowns, when orders come in, and refunds by product."""

import streamlit as st

from shopdata.metrics import orders
from shopdata.metrics.periods import comparison_is_complete
from shopdata.ui import orders as draw
from shopdata.ui.currency import unknown_money_note
from shopdata.ui.elsewhere import nothing_in_period
from shopdata.ui.filters import current, url_choice
from shopdata.ui.i18n import t
from shopdata.ui.session import current_source
from shopdata.ui.widgets import lazy_tabs

st.title(t("orders.title"))
filters = current()
backend = current_source()
unknown_money_note(backend, filters)
scope, compare_scope, currency = filters.scope, filters.compare_scope, filters.currency
if filters.period is None or not orders.has_orders(backend, scope):
    nothing_in_period(t("orders.what"), t("orders.exports"), ("orders",))
    st.stop()

if compare_scope:
    st.caption(
        t("orders.period_vs", start=scope.start, end=scope.end, cstart=compare_scope.start, cend=compare_scope.end)
    )
else:
    st.caption(t("orders.period", start=scope.start, end=scope.end))
st.caption(t("orders.intro"))

with st.spinner(t("ui.working.orders")):
    now = orders.order_summary(backend, scope)
    daily = orders.orders_by(backend, scope, "day")
    before = orders.order_summary(backend, compare_scope) if compare_scope else None
    daily_before = orders.orders_by(backend, compare_scope, "day") if compare_scope else None
# Against an almost empty comparison period a change measures the missing data (shopdata/metrics/periods.py).
days_now = int((daily["order_count"] > 0).sum())
days_before = int((daily_before["order_count"] > 0).sum()) if daily_before is not None else 0
if compare_scope and not days_before:
    st.info(t("orders.no_comparison_data", start=compare_scope.start, end=compare_scope.end))
elif compare_scope and not comparison_is_complete(days_now, days_before):
    st.warning(
        t(
            "ui.comparison_incomplete",
            days=days_before,
            length=(compare_scope.end - compare_scope.start).days + 1,
            current=days_now,
        )
    )
compared = compare_scope is not None and comparison_is_complete(days_now, days_before)
draw.kpi_cards(draw.CARDS, now, before if compared else None, currency)
st.caption(t("orders.aov_note"))

grain = url_choice(
    t("orders.grain"), list(orders.TIME_BY), "grain", "day", format_func=lambda g: t(f"orders.grain.{g}")
)
with st.spinner(t("ui.working.trend")):
    trend = daily if grain == "day" else orders.orders_by(backend, scope, grain)
    trend_before = None
    if compared and compare_scope:
        trend_before = daily_before if grain == "day" else orders.orders_by(backend, compare_scope, grain)
draw.trend_chart(trend, trend_before, compare_scope if compared else None, currency, grain)
if grain != "day":
    st.caption(t("orders.trend.bucket_note", grain=t(f"orders.unit.{grain}")))

st.subheader(t("orders.stages.title"))
with st.spinner(t("ui.working.orders")):
    stages = orders.order_stages(backend, scope)
    by_product = orders.orders_by(backend, scope, "product", draw.BREAKDOWN_COLUMNS)
draw.stages(stages, now, has_refunds=now["order_refund"] is not None)

st.subheader(t("orders.buyers.title"))
if now["order_buyers"] is None:
    st.info(t("orders.buyers.none"))
else:
    draw.kpi_cards(draw.REPEAT_CARDS, now, before if compared else None, currency)
    draw.buyers_chart(trend, grain)
    st.subheader(t("orders.cohort.title"))
    st.caption(t("orders.cohort.caption"))
    with st.spinner(t("ui.working.cohorts")):
        table = orders.cohorts(backend, scope)
    if table.empty:
        st.info(t("orders.cohort.empty"))
    else:
        last_day = daily.loc[daily["order_count"] > 0, "date"].max()
        draw.cohort_heatmap(table, last_day)

st.subheader(t("orders.breakdown.title"))
tabs = lazy_tabs([t(f"orders.by.{by}") for by in ("region", "channel", "status")], "orders_breakdown")
for tab, by in zip(tabs, ("region", "channel", "status"), strict=True):
    if not tab.open:
        continue
    with tab:
        with st.spinner(t("ui.working.breakdown")):
            frame = orders.orders_by(backend, scope, by, draw.BREAKDOWN_COLUMNS)
        if frame.empty:
            st.info(t(f"orders.by.none.{by}"))
            continue
        if by == "region":
            draw.region_chart(frame, currency)
        draw.breakdown_table(frame, by, currency)

st.subheader(t("orders.hours.title"))
with st.spinner(t("ui.working.orders")):
    hours = orders.orders_by_hour(backend, scope)
if hours.empty:
    st.info(t("orders.hours.none"))
else:
    st.caption(t("orders.hours.caption"))
    draw.hours_heatmap(hours)

st.subheader(t("orders.refunds.title"))
if now["order_refund"] is None:
    st.info(t("orders.stages.no_refund_column"))
elif by_product.empty:
    st.info(t("orders.by.none.product"))
else:
    draw.refunds_table(by_product, currency)
st.caption(t("orders.refunds.reason"))
