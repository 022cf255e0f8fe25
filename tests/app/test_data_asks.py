"""The Data page asks instead of guessing (issue 13 items 3 and 4): a sheet whose columns compete for a field
shows the candidate columns with sample values and a choice per field, and imports only once chosen; a file
no platform's layout fits is read by its columns' meaning and named platform `other`."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.app.conftest import open_page
from tests.app.test_data_page import PAGE, ads_in, new_store

# Two columns both mean spend (花费 and 消耗): which one the owner's ledger uses is theirs to say.
COMPETING = "日期,计划,花费,消耗,展现,点击\n2026-11-01,双11,12.5,99.0,1000,40\n2026-11-02,双11,7.5,1.0,800,30\n"
# A 快手 磁力金牛-style report: no layout knows it (花费 and 点击数 alone are no platform's), the term table does.
KUAISHOU_LIKE = '日期,计划名称,花费(元),曝光数,点击数,点击率(%)\n2026-11-01,大促,"1,234.50",10000,300,3.00%\n'


def test_competing_columns_are_asked_with_samples_and_the_choice_is_loaded(empty_db: Path) -> None:
    at = new_store(open_page(PAGE))
    at.file_uploader(key="uploads").upload("ledger.csv", COMPETING.encode(), "text/csv").run()
    assert any("Which column holds Ad spend is not clear" in w.value for w in at.warning), [w.value for w in at.warning]
    asked = at.dataframe[0].value
    samples = dict(zip(asked["Column in the file"], asked["Sample values"], strict=True))
    assert samples == {"花费": "12.5 · 7.5", "消耗": "99.0 · 1.0"}
    assert at.button(key="import").disabled
    choice = at.selectbox(key="settle_0_ledger.csv_spend")
    assert choice.options == ["(choose a column)", "花费", "消耗"]
    choice.set_value("消耗").run()
    assert not any("is not clear" in w.value for w in at.warning)
    assert not at.button(key="import").disabled
    at.button(key="import").click().run()
    assert ads_in(empty_db) == (2, 99.0 + 1.0)  # the chosen column's values, not the first synonym's
    # The choice is remembered for this header layout: the same ledger next month is not asked again.
    again = new_store(open_page(PAGE), "Second shop")
    again.file_uploader(key="uploads").upload("ledger-dec.csv", COMPETING.encode(), "text/csv").run()
    assert not any("is not clear" in w.value for w in again.warning)
    assert not again.button(key="import").disabled


def test_a_file_no_layout_knows_is_read_by_terms_as_platform_other(empty_db: Path) -> None:
    at = new_store(open_page(PAGE))
    at.file_uploader(key="uploads").upload("kuaishou.csv", KUAISHOU_LIKE.encode(), "text/csv").run()
    assert not at.exception
    assert any("platform is recorded as other" in i.value for i in at.info)
    assert any("· Other ·" in m.value for m in at.markdown), [m.value for m in at.markdown]
    at.button(key="import").click().run()
    assert ads_in(empty_db) == (1, 1234.5)


def test_in_chinese_the_page_asks_in_chinese(empty_db: Path) -> None:
    at = open_page(PAGE, lang="zh")
    at.text_input(key="new_store_name").set_value("我的店").run()
    at.file_uploader(key="uploads").upload("ledger.csv", COMPETING.encode(), "text/csv").run()
    assert any("无法确定花费对应哪一列" in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.selectbox(key="settle_0_ledger.csv_spend").format_func(None) == "（请选择一列）"


def test_the_page_names_the_platforms_it_reads_including_the_new_ones(empty_db: Path) -> None:
    intro = next(c.value for c in open_page(PAGE).caption if c.value.startswith("Drop the exports of"))
    for name in (
        "Tmall",
        "JD",
        "Pinduoduo",
        "Douyin",
        "TikTok Shop",
        "Shopee",
        "Etsy",
        "eBay",
        "Microsoft Advertising",
    ):
        assert name in intro, name
    assert "Several marketplaces" not in intro and "Other" not in intro  # neither is a platform one exports from
    intro_zh = next(c.value for c in open_page(PAGE, lang="zh").caption if c.value.startswith("拖入"))
    assert "天猫、" in intro_zh and "抖音" in intro_zh and "京东" in intro_zh and "Shopee（虾皮）" in intro_zh


def test_the_preview_names_the_platform_as_the_upload_list_does(empty_db: Path) -> None:
    at = open_page(PAGE, lang="zh")
    at.text_input(key="new_store_name").set_value("我的店").run()
    at.file_uploader(key="uploads").upload("ledger.csv", COMPETING.encode(), "text/csv").run()
    preview = next(d.value for d in at.dataframe if "平台" in d.value.columns)
    assert list(preview["平台"]) == ["其他", "其他"]  # not the code "other"


# An order export whose every date reads both ways (01/11: 1 November or 11 January) and that names no country
# or currency: the owner says how the file writes dates.
UNDECIDED_DATES = "order_id,order date,amount\nO1,01/11/2026,10.00\nO2,02/11/2026,12.00\n"


def test_dates_that_read_both_ways_are_asked_and_the_answer_is_loaded(empty_db: Path) -> None:
    at = new_store(open_page(PAGE))
    at.file_uploader(key="uploads").upload("orders.csv", UNDECIDED_DATES.encode(), "text/csv").run()
    assert any("read both day first and month first" in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.button(key="import").disabled
    order = at.radio(key="date_order_0_orders.csv")
    assert order.options == ["day first (DD/MM/YYYY)", "month first (MM/DD/YYYY)"]
    order.set_value("dmy").run()
    assert not any("read both day first" in w.value for w in at.warning)
    assert not at.button(key="import").disabled
    at.button(key="import").click().run()
    with duckdb.connect(str(empty_db)) as con:  # same process as the app: same configuration
        days = con.sql("SELECT order_id, strftime(order_date, '%Y-%m-%d') FROM orders ORDER BY 1").fetchall()
    assert days == [("O1", "2026-11-01"), ("O2", "2026-11-02")]


def test_the_sample_values_asked_about_skip_a_description_row_under_the_header(empty_db: Path) -> None:
    # A row describing each column under the header (as TikTok Shop writes one) is not data: not a sample value.
    described = COMPETING.replace("\n", "\n说明,说明,每日花费,每日消耗,展现次数,点击次数\n", 1)
    at = new_store(open_page(PAGE))
    at.file_uploader(key="uploads").upload("ledger.csv", described.encode(), "text/csv").run()
    asked = at.dataframe[0].value
    samples = dict(zip(asked["Column in the file"], asked["Sample values"], strict=True))
    assert samples == {"花费": "12.5 · 7.5", "消耗": "99.0 · 1.0"}
