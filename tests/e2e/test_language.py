"""The language switch: Chinese labels, remembered in the URL, and a link with ?lang=zh opens in Chinese."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.support import checked_radio, choose_radio, error_boxes, sidebar, title

pytestmark = pytest.mark.e2e


def nav_labels(page) -> list[str]:
    links = sidebar(page).get_by_test_id("stSidebarNavLink").get_by_test_id("stMarkdownContainer")
    return [link.inner_text().strip() for link in links.all()]


def test_switching_to_chinese_changes_labels_and_url(open_app) -> None:
    page = open_app("/traffic")
    assert title(page) == "Traffic sources"
    assert checked_radio(sidebar(page), "Language") == "English"

    choose_radio(page, sidebar(page), "Language", "中文")

    assert error_boxes(page) == []
    assert title(page) == "流量来源"
    assert checked_radio(sidebar(page), "语言") == "中文"
    assert "流量来源" in nav_labels(page) and "Traffic sources" not in nav_labels(page)
    assert parse_qs(urlsplit(page.url).query).get("lang") == ["zh"]
    assert urlsplit(page.url).path == "/traffic"


def test_link_with_lang_zh_opens_in_chinese(open_app) -> None:
    page = open_app("/traffic?lang=zh")

    assert error_boxes(page) == []
    assert title(page) == "流量来源"
    assert checked_radio(sidebar(page), "语言") == "中文"
    assert nav_labels(page) == [
        "概览",
        "复盘",
        "订单分析",
        "商品分析",
        "转化漏斗",
        "流量来源",
        "推广效果",
        "日报/周报",
        "竞品价格",
        "竞品分析",
        "数据",
        "团队",
    ]
