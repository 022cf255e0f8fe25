"""Shared filters: bound to the URL, kept across a language switch and across pages."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.app.conftest import open_page


def test_language_switch_keeps_the_chosen_period_and_comparison(demo_db: Path) -> None:
    at = open_page("views/traffic.py")
    at.sidebar.selectbox(key="range_filter").set_value("last_7").run()
    at.sidebar.selectbox(key="compare_filter").set_value("yoy").run()
    at.sidebar.radio(key="language").set_value("zh").run()
    assert not at.exception
    assert at.query_params["lang"] == ["zh"] or at.query_params["lang"] == "zh"
    assert at.sidebar.selectbox(key="range_filter__zh").value == "last_7"
    assert at.sidebar.selectbox(key="compare_filter__zh").value == "yoy"
    assert "最近 7 天" in at.sidebar.selectbox(key="range_filter__zh").options
    at.switch_page("views/funnel.py").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="range_filter__zh").value == "last_7"
    assert at.title[0].value == "转化漏斗"


def test_each_run_draws_in_the_language_chosen_for_it(demo_db: Path) -> None:
    # The language is read once per run (shopdata/ui/i18n.py): switching to 中文 and back in one session draws
    # every run wholly in the language of that run, never the previous run's.
    at = open_page("views/funnel.py")
    assert at.title[0].value == "Conversion funnel"
    at.sidebar.radio(key="language").set_value("zh").run()
    assert (at.title[0].value, at.sidebar.radio(key="language").label) == ("转化漏斗", "语言")
    at.sidebar.radio(key="language").set_value("en").run()
    assert (at.title[0].value, at.sidebar.radio(key="language").label) == ("Conversion funnel", "Language")


def _reads_the_language_then_changes_the_url() -> None:
    import streamlit as st

    from shopdata.ui.i18n import current_language

    st.write(current_language())
    st.write(current_language())  # read again in the same run
    if st.button("中文", key="to_zh"):
        st.query_params["lang"] = "zh"
        st.rerun()


def test_the_language_read_in_one_run_is_not_carried_into_the_next() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_reads_the_language_then_changes_the_url).run()
    assert [m.value for m in at.markdown] == ["en", "en"]
    at.button(key="to_zh").click().run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["zh", "zh"]


def test_a_link_opens_the_same_filters(demo_db: Path) -> None:
    at = open_page("views/promotion.py", range="last_90", compare="none", cur="USD")
    assert at.sidebar.selectbox(key="range_filter").value == "last_90"
    assert at.sidebar.selectbox(key="compare_filter").value == "none"
    assert at.sidebar.selectbox(key="currency_filter").value == "USD"


def test_unknown_values_in_a_link_fall_back_to_the_defaults(demo_db: Path) -> None:
    at = open_page("views/overview.py", range="last_9999", compare="sideways", cur="XXX")
    assert at.sidebar.selectbox(key="range_filter").value == "last_30"
    assert at.sidebar.selectbox(key="compare_filter").value == "previous"
    assert at.sidebar.selectbox(key="currency_filter").value == "CNY"


def _demo_days(path: Path) -> tuple[date, date]:
    """The demo store's first and last day with data, read straight from the tables."""
    with duckdb.connect(str(path), read_only=True) as con:
        sql = " UNION ALL ".join(
            f"SELECT min({day}) AS lo, max({end}) AS hi FROM {table}"
            for table, day, end in (
                ("traffic", "date", "end_date"),
                ("ads", "date", "end_date"),
                ("events", "event_date", "event_date"),
                ("prices", "date", "end_date"),
                ("orders", "order_date", "order_date"),
            )
        )
        lo, hi = con.execute(f"SELECT min(lo), max(hi) FROM ({sql})").fetchone()
    return lo, hi


PAGES = (
    "views/overview.py",
    "views/funnel.py",
    "views/traffic.py",
    "views/promotion.py",
    "views/prices.py",
    "views/data.py",
    "views/team.py",
)


@pytest.mark.parametrize("compare", ["previous", "yoy", "none"])
@pytest.mark.parametrize("page", PAGES)
def test_a_crafted_custom_range_is_clamped_to_a_window_around_the_data(demo_db: Path, page: str, compare: str) -> None:
    first, last = _demo_days(demo_db)
    at = open_page(page, range="custom", compare=compare, **{"from": "0001-01-01", "to": "9999-12-31"})
    start, end = at.sidebar.date_input(key="custom_range").value
    assert (start, end) == (first - timedelta(days=366), last + timedelta(days=366))
    assert at.query_params["from"] in ([start.isoformat()], start.isoformat())
    assert at.query_params["to"] in ([end.isoformat()], end.isoformat())
    assert f"{start} … {end}" in [c.value for c in at.sidebar.caption]


def test_a_custom_range_given_backwards_is_put_in_order(demo_db: Path) -> None:
    first, last = _demo_days(demo_db)
    at = open_page("views/overview.py", range="custom", **{"from": last.isoformat(), "to": first.isoformat()})
    assert at.sidebar.date_input(key="custom_range").value == (first, last)
