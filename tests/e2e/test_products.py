"""The Products page in a real browser on the demo store: the table lists the shop's own products with the
classes worked out here from the sample files (csv and openpyxl, not the app), and choosing one product shows
its trend and the campaigns that spend on it, with the spend summed here from the 万相台 商品报表."""

from __future__ import annotations

import csv
import math
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page

from shopdata.i18n import translate
from tests.e2e.support import error_boxes, main, table_rows, title, wait_for_app

pytestmark = pytest.mark.e2e

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
ORDERS = SAMPLES / "ExportOrderList20261123093015.csv"
PRODUCT_TRAFFIC = SAMPLES / "【生意参谋平台】商品_全部_2026-08-25_2026-11-22.xlsx"
AD_PRODUCTS = SAMPLES / "商品报表_20261123_093015.csv"
AD_PLANS = SAMPLES / "计划报表_20261123_093015.csv"
OCTOBER = ("2026-10-01", "2026-10-31")
LINK = f"/products?range=custom&from={OCTOBER[0]}&to={OCTOBER[1]}&cur=CNY"
MARGIN = 0.30  # the demo store enters no margin: the assumed default
TONER = "A61207735518"  # launched with the 内容营销-新品 campaign


def october(day: str) -> bool:
    return OCTOBER[0] <= day[:10] <= OCTOBER[1]


def expected_products() -> dict[str, dict]:
    """Per product ID: title, revenue, visitors, conversion, spend, profit and class, from the files."""
    sheet = list(load_workbook(PRODUCT_TRAFFIC, read_only=True).active.iter_rows(values_only=True))
    col = {name: i for i, name in enumerate(sheet[4])}
    found: dict[str, dict] = defaultdict(Counter)
    titles = {}
    for row in sheet[5:]:
        if october(row[col["统计日期"]]):
            pid = row[col["商品ID"]]
            titles[pid] = row[col["商品名称"]]
            found[pid]["visitors"] += row[col["商品访客数"]]
            found[pid]["buyers"] += row[col["支付买家数"]]
    by_title = {name: pid for pid, name in titles.items()}
    with open(ORDERS, encoding="gb18030", newline="") as fh:
        for row in csv.DictReader(fh):
            # paid orders, by the day they were placed; 总金额 = what was paid before refunds
            if row["订单付款时间"] and october(row["订单创建时间"]):
                found[by_title[row["宝贝标题"]]]["revenue"] += float(row["总金额"])
    with open(AD_PRODUCTS, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if october(row["日期"]):
                found[row["主体ID"]]["spend"] += float(row["花费"])
    products = {}
    for pid, sums in found.items():
        products[pid] = {
            "title": titles[pid],
            "revenue": sums["revenue"],
            "visitors": sums["visitors"],
            "conversion": sums["buyers"] / sums["visitors"],
            "profit": sums["revenue"] * MARGIN - sums["spend"],
        }
    # The rules as the page states them: top 20% by revenue, medians of conversion and visitors.
    ranked = sorted(products.values(), key=lambda p: p["revenue"], reverse=True)
    cut = ranked[math.ceil(0.2 * len(ranked)) - 1]["revenue"]
    conversion = statistics.median(p["conversion"] for p in products.values())
    visitors = statistics.median(p["visitors"] for p in products.values())
    for p in products.values():
        classes = []
        if p["revenue"] > 0 and p["revenue"] >= cut and p["conversion"] >= conversion:
            classes.append("best_seller")
        if p["conversion"] > conversion and p["visitors"] < visitors:
            classes.append("potential")
        if p["visitors"] > visitors and p["conversion"] < conversion:
            classes.append("traffic_driver")
        if p["visitors"] > 0 and p["revenue"] == 0:
            classes.append("slow_mover")
        if p["profit"] < 0:
            classes.append("loss_making")
        p["class"] = ", ".join(translate(f"products.class.{c}", "en") for c in classes) or translate(
            "products.class.regular", "en"
        )
    return products


def campaign_spend(product_id: str) -> dict[str, float]:
    """October spend on one product per campaign: 商品报表 rows by 计划ID, named by the 计划报表."""
    with open(AD_PLANS, encoding="utf-8-sig", newline="") as fh:
        names = {row["计划ID"]: row["计划名字"] for row in csv.DictReader(fh)}
    spend: Counter[str] = Counter()
    with open(AD_PRODUCTS, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["主体ID"] == product_id and october(row["日期"]):
                spend[names[row["计划ID"]]] += float(row["花费"])
    return dict(spend)


def dataframe_with(page: Page, header: str) -> Locator:
    frames = main(page).get_by_test_id("stDataFrame")
    for n in range(frames.count()):
        frame = frames.nth(n)
        if header in table_rows(frame, 0)[0]:
            return frame
    raise AssertionError(f"no table with a {header!r} column")


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *body = rows
    return [dict(zip(header, row, strict=False)) for row in body]


def test_products_table_and_one_products_detail(open_app) -> None:
    expected = expected_products()
    classes = {p["class"] for p in expected.values()}
    assert len(classes) == 5, classes  # the demo shows one product of each class

    page = open_app(LINK)
    assert error_boxes(page) == []
    assert title(page) == translate("products.title", "en")
    label = {c: translate(f"products.col.{c}", "en") for c in ("product_id", "class", "campaign", "spend")}
    shown = as_dicts(table_rows(dataframe_with(page, label["class"]), len(expected)))
    assert {row[label["product_id"]]: row[label["class"]] for row in shown} == {
        pid: p["class"] for pid, p in expected.items()
    }

    toner = expected[TONER]
    picker = main(page).get_by_role("combobox", name=translate("products.pick", "en"), exact=True)
    picker.click()
    page.keyboard.type(TONER)  # the options are "title (ID)": typing the ID leaves only this product
    page.get_by_role("option").filter(has_text=TONER).click()
    wait_for_app(page)
    assert TONER in picker.input_value() or toner["title"] in picker.input_value()
    assert error_boxes(page) == []
    trend = main(page).locator("div.js-plotly-plot")
    assert trend.count() >= 1 and trend.first.bounding_box()["height"] > 100  # drawn, not a placeholder
    campaigns = as_dicts(table_rows(dataframe_with(page, label["campaign"])))
    spend = {row[label["campaign"]]: float(row[label["spend"]].replace(",", "")) for row in campaigns}
    want = campaign_spend(TONER)
    assert spend.keys() == want.keys() == {"内容营销-新品"}
    assert spend == {name: pytest.approx(value, abs=0.01) for name, value in want.items()}
