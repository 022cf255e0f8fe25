"""Money whose upload stated no currency (issue 10 item 2): a page in ₹ says it is left out, and the Data
page gives the upload its currency, after which the page counts it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from shopdata.i18n import CATALOG
from shopdata.store import open_warehouse
from tests.app.conftest import open_page
from tests.unit.metrics.test_currency import AMAZON_ADS, D1, META_ADS, load

NOTE = CATALOG["currency.unknown_note"]["en"].split("{files}")[1].split("{currency}")[0]  # " hold money in …"


@pytest.fixture
def india_db(empty_db: Path) -> Path:
    warehouse = open_warehouse(str(empty_db))
    try:
        load(warehouse, "ads", AMAZON_ADS, "amazon-campaigns.csv")
        load(warehouse, "ads", META_ADS, "meta-ads.csv")
    finally:
        warehouse.engine.close()
    return empty_db


def notes(at) -> list[str]:
    return [info.value for info in at.info if NOTE in info.value]


def test_a_page_in_rupees_says_the_meta_money_is_left_out(india_db: Path) -> None:
    at = open_page("views/promotion.py", store="S", range="all")
    assert at.sidebar.selectbox(key="currency_filter").options == ["INR", "Currency unknown"]
    [note] = notes(at)
    assert note.startswith("2 rows in meta-ads.csv") and "INR" in note


def test_the_data_page_sets_the_currency_and_the_page_counts_it(india_db: Path) -> None:
    at = open_page("views/data.py", store="S")
    [field] = [w for w in at.text_input if w.key.startswith("set_currency_")]
    field.input("inr").run()
    at.button(key=field.key.replace("set_currency_", "set_currency_button_")).click().run()
    assert not at.exception, at.exception
    assert any("2 rows of meta-ads.csv are now in INR" in s.value for s in at.success)
    assert not [w for w in at.text_input if w.key.startswith("set_currency_")]
    warehouse = open_warehouse(str(india_db))
    try:
        [record] = warehouse.currency_changes("S")
        assert (record["file_name"], record["old_currency"], record["new_currency"]) == ("meta-ads.csv", "", "INR")
    finally:
        warehouse.engine.close()
    page = open_page("views/promotion.py", store="S", range="all")
    assert not notes(page)
    spend = next(m for m in page.metric if "spend" in m.label.lower())
    assert spend.value == "₹250.00"  # Amazon's 100 + 50 and Meta's 70 + 30, now in rupees


# A Tmall shop's orders in yuan beside an Amazon India ad account in rupees: three order rows make CNY the
# store's main currency, so the pages open in CNY, where there is no ad row.
CNY_ORDERS = [
    dict(platform="tmall", grain="order", order_id=f"O{n}", order_time=datetime(2024, 3, 1, 10), order_date=D1,
         paid_time=datetime(2024, 3, 1, 11), amount=100.0, paid_amount=100.0, currency="CNY")
    for n in range(3)
]  # fmt: skip


@pytest.fixture
def yuan_and_rupees_db(empty_db: Path) -> Path:
    warehouse = open_warehouse(str(empty_db))
    try:
        load(warehouse, "orders", CNY_ORDERS, "orders.csv")
        load(warehouse, "ads", AMAZON_ADS, "amazon-campaigns.csv")
    finally:
        warehouse.engine.close()
    return empty_db


def test_ads_in_another_currency_are_pointed_to_never_asked_for_again(yuan_and_rupees_db: Path) -> None:
    at = open_page("views/promotion.py", store="S", range="all")
    assert at.sidebar.selectbox(key="currency_filter").value == "CNY"
    [notice] = [i.value for i in at.info if "in INR" in i.value]
    assert notice.startswith("No ad data in CNY in these dates")
    assert not [m for m in at.markdown if "Upload" in m.value]  # no "upload an ad report" for ads that exist
    at.button(key="show_currency_INR_ads").click().run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="currency_filter").value == "INR"
    spend = next(m for m in at.metric if "spend" in m.label.lower())
    assert spend.value == "₹150.00"  # Amazon's 100 + 50

    overview = open_page("views/overview.py", store="S", range="all")
    assert any(i.value.startswith("No ad data in CNY") for i in overview.info)
    assert [m.value for m in overview.metric if m.label == "Paid orders"] == ["3"]
