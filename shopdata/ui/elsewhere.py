"""A page with nothing in the chosen dates: say where its data is, or which exports it needs.

The default period ends on the newest day of any kind of data, so a behaviour log from 2017 in a store with
2020 orders lies outside it; asking for an upload of the file just uploaded would be false. Likewise a store
whose orders are in CNY and ad reports in INR shows no ads in CNY: the ads are there, in another currency.
Every page's empty state goes through `nothing_in_period`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st

from shopdata.metrics.periods import Period
from shopdata.metrics.query import CURRENCY_TABLES, UNKNOWN_CURRENCY, Scope, currencies, data_range, has_rows
from shopdata.ui.filters import Filters, choose_currency, choose_range, current
from shopdata.ui.i18n import t
from shopdata.ui.session import current_source
from shopdata.ui.widgets import empty_state


def outside_range(ranges: Sequence[tuple[date | None, date | None]], period: Period) -> Period | None:
    """First and last day of the data lying wholly outside the period (None when there is none).

    ranges: each table's (first, last) day; a table with data inside the period does not count (its rows
    are there, the page just cannot use them), nor one without data."""
    outside = [
        (first, last)
        for first, last in ranges
        if first is not None and last is not None and (last < period.start or first > period.end)
    ]
    if not outside:
        return None
    return Period(min(first for first, _ in outside), max(last for _, last in outside))


def _currency_label(code: str) -> str:
    return t("filters.currency_unknown") if code == UNKNOWN_CURRENCY else code


def in_other_currencies(filters: Filters, domains: Sequence[str]) -> list[str]:
    """The store's other currencies (the unknown one included) in which these tables have rows in the chosen
    dates; [] when the store has one currency or the tables have no money."""
    money = [domain for domain in domains if domain in CURRENCY_TABLES]
    if not (filters.store and filters.period and money) or not (filters.currency or filters.currency_unknown):
        return []
    source = current_source()
    shown = UNKNOWN_CURRENCY if filters.currency_unknown else filters.currency
    period = filters.period
    return [
        code
        for code in currencies(source, filters.store)
        if code != shown
        and any(has_rows(source, Scope(filters.store, period.start, period.end, code), d) for d in money)
    ]


def other_currency_notice(what: str, domains: Sequence[str]) -> bool:
    """When these tables have rows in the chosen dates in another currency only: say so, with one click to
    show each currency. Whether it was shown."""
    filters = current()
    others = in_other_currencies(filters, domains)
    if not others:
        return False
    shown = t("filters.currency_unknown") if filters.currency_unknown else filters.currency
    labels = ", ".join(_currency_label(code) for code in others)
    st.info(t("ui.data_in_other_currency", what=what, currency=shown, others=labels), icon="💱")
    for code in others:
        st.button(
            t("ui.show_currency", currency=_currency_label(code)),
            on_click=choose_currency,
            args=(code,),
            key=f"show_currency_{code}_{'_'.join(domains)}",
        )
    return True


def nothing_in_period(what: str, exports: str, domains: Sequence[str]) -> None:
    """The page's empty state: where the page's data is, with one click to show those dates, when its tables
    (domains) hold data for the store outside the chosen dates; otherwise which exports to upload."""
    filters = current()
    if other_currency_notice(what, domains):
        return
    if filters.store and filters.period:
        source = current_source()
        found = outside_range([data_range(source, filters.store, (domain,)) for domain in domains], filters.period)
        if found is not None:
            chosen = filters.period
            st.info(
                t(
                    "ui.data_elsewhere",
                    what=what,
                    pstart=chosen.start,
                    pend=chosen.end,
                    start=found.start,
                    end=found.end,
                ),
                icon="📅",
            )
            st.button(
                t("ui.show_data_dates", start=found.start, end=found.end),
                on_click=choose_range,
                args=(found.start, found.end),
                type="primary",
                key=f"show_data_dates_{'_'.join(domains)}",
            )
            return
    empty_state(what, exports)
