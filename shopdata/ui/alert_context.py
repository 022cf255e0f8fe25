"""The rivals' events shown with alerts (shopdata.alert_context): under an alert on the overview, and under the
promotion page's trend for its spend and ROAS alert days. Worded as what happened around the same time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st

from shopdata.alert_context import AlertContext, around_line, events_text
from shopdata.formatting import md_escape
from shopdata.metrics.definitions import metric
from shopdata.ui import widgets
from shopdata.ui.i18n import current_language, t

ARROW = {"up": "↑", "down": "↓"}


def alert_rivals(context: AlertContext, day: date) -> None:
    """The rival events of an alert's day and the days before it, as one caption (nothing without any)."""
    line = around_line(context.rivals_around(day), current_language(), md_escape)
    if line:
        st.caption(line)


def rival_alert_lines(context: AlertContext, metrics: Sequence[str]) -> None:
    """One caption per day with store-level alerts of these KPIs and rival events around it, oldest first."""
    found = context.found
    if found.empty:
        return
    rows = found[(found["dimension"] == "store") & found["metric"].isin(list(metrics))]
    language = current_language()
    for day, alerts in rows.groupby("date", sort=True):
        events = context.rivals_around(day)
        if not events:
            continue
        moved = ", ".join(
            f"{metric(name).text(language)} {ARROW[direction]}"
            for name, direction in zip(alerts["metric"], alerts["direction"], strict=True)
        )
        st.caption(
            t(
                "rival_events.promotion_alerts",
                day=widgets.date_span(day, day),
                alerts=moved,
                events=events_text(events, language, md_escape),
            )
        )
