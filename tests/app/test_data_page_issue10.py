"""The Data page for a new user (issue 10 items 7, 8, 12, 20, 21, 22): the demo store is never the default
target, an import offers to show its store, uploads are listed per store and deleted after a confirmation,
reports are named, a doubtful recognition is confirmed first, and 中文 readers see 中文."""

from __future__ import annotations

from pathlib import Path

from shopdata.store import open_warehouse
from shopdata.ui.upload import NEW_STORE
from tests.app.conftest import open_page
from tests.app.test_data_page import CAMPAIGNS, PAGE, ads_in, new_store

# An analyst's sales-estimate sheet (the flagship-store xlsx's header): only 4 of its 8 columns are known.
ESTIMATES = (
    ",名称,价格,总销量,评价数,MTD,预估月销量,6月销量,预估交易增幅\n1,面霜,199,5000,320,800,1200,900,5%\n".encode()
)
SP_PLACEMENT = (
    b"Date,Portfolio name,Currency,Campaign Name,Bidding strategy,Placement,Impressions,Clicks,Spend,"
    b"7 Day Total Sales\n2026-05-01,No Portfolio,USD,Brand,Fixed,Top of Search,100,10,5.00,20.00\n"
)


def _with_real_store(db: Path) -> Path:
    warehouse = open_warehouse(str(db))
    try:
        warehouse.ensure_store("My shop")
    finally:
        warehouse.engine.close()
    return db


def test_the_demo_store_is_never_the_preselected_target(demo_db: Path) -> None:
    at = open_page(PAGE)
    assert at.selectbox(key="target_store").value == NEW_STORE
    assert at.text_input(key="new_store_name")  # asks for the new store's name
    at.selectbox(key="target_store").set_value("Demo store").run()  # still possible, deliberately, with a warning
    assert any("demo store" in w.value for w in at.warning)


def test_the_one_real_store_is_preselected(demo_db: Path) -> None:
    _with_real_store(demo_db)
    at = open_page(PAGE, store="Demo store")
    assert at.selectbox(key="target_store").value == "My shop"


def test_view_the_store_just_imported_into(demo_db: Path) -> None:
    at = open_page(PAGE)
    assert at.selectbox(key="store_filter").value == "Demo store"
    new_store(at, "Corner shop")
    at.file_uploader(key="uploads").upload("campaigns.csv", CAMPAIGNS, "text/csv").run()
    at.button(key="import").click().run()
    assert at.button(key="view_store").label == "View Corner shop"
    at.button(key="view_store").click().run()
    assert not at.exception
    # AppTest stays on the page a script's st.switch_page leaves; the filters it hands on are what matter here
    assert at.selectbox(key="store_filter").value == "Corner shop"
    assert at.query_params["store"] == "Corner shop"


def test_uploads_show_their_store_filter_by_it_and_delete_after_naming_file_and_rows(demo_db: Path) -> None:
    _with_real_store(demo_db)
    at = open_page(PAGE, store="My shop")
    at.file_uploader(key="uploads").upload("campaigns.csv", CAMPAIGNS, "text/csv").run()
    at.button(key="import").click().run()
    table = at.dataframe[-1].value
    assert list(table["Store"]) == ["My shop"] and list(table["File"]) == ["campaigns.csv"]  # the demo's hidden
    at.selectbox(key="batches_store").set_value("").run()  # all stores
    assert set(at.dataframe[-1].value["Store"]) == {"My shop", "Demo store"}
    at.selectbox(key="batches_store").set_value("My shop").run()
    batch = int(at.dataframe[-1].value["Batch"].iloc[0])
    at.button(key=f"delete_{batch}").click().run()
    assert ads_in(demo_db)[0] > 2  # nothing deleted on the first click
    assert any("campaigns.csv" in w.value and "2 rows" in w.value and "My shop" in w.value for w in at.warning)
    at.button(key=f"delete_no_{batch}").click().run()
    assert not any("campaigns.csv" in w.value for w in at.warning)
    before = ads_in(demo_db)[0]
    at.button(key=f"delete_{batch}").click().run()
    at.button(key=f"delete_yes_{batch}").click().run()
    assert ads_in(demo_db)[0] == before - 2


def test_a_low_confidence_sheet_shows_its_columns_and_waits_for_a_confirmation(empty_db: Path) -> None:
    at = new_store(open_page(PAGE))
    at.file_uploader(key="uploads").upload("旗舰店.csv", ESTIMATES, "text/csv").run()
    assert any("low confidence (30%)" in w.value for w in at.warning), [w.value for w in at.warning]
    taken = at.dataframe[0].value
    assert dict(zip(taken["Column in the file"], taken["Taken to mean"], strict=True))["总销量"] == "Sales (units)"
    assert dict(zip(taken["Column in the file"], taken["Taken to mean"], strict=True))["MTD"] == "(not imported)"
    assert at.button(key="import").disabled
    at.checkbox(key="confirm_0_旗舰店.csv_0").check().run()
    assert not at.button(key="import").disabled


def test_a_sponsored_products_file_is_named_by_its_report(empty_db: Path) -> None:
    at = new_store(open_page(PAGE))
    at.file_uploader(key="uploads").upload("sp.csv", SP_PLACEMENT, "text/csv").run()
    assert any("Sponsored Products Placement report" in m.value for m in at.markdown)
    at.button(key="import").click().run()
    assert list(at.dataframe[-1].value["Report"]) == ["Amazon Ads — Sponsored Products Placement report"]


def test_in_chinese_the_demo_store_report_titles_and_preview_headers_are_chinese(demo_db: Path) -> None:
    at = open_page(PAGE, lang="zh")
    assert at.selectbox(key="store_filter__zh").format_func("Demo store") == "演示店铺"
    at.text_input(key="new_store_name").set_value("我的店").run()
    at.file_uploader(key="uploads").upload("sp.csv", SP_PLACEMENT, "text/csv").run()
    assert any("亚马逊广告 Sponsored Products 广告位报告" in m.value for m in at.markdown)
    preview = at.dataframe[1].value  # after the column mapping
    assert {"花费", "点击量", "广告位"} <= set(preview.columns) and "spend" not in preview.columns
