"""Shared filters: bound to the URL, kept across a language switch and across pages."""

from __future__ import annotations

from pathlib import Path

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
