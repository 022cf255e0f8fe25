"""Recognising kind and platform from real header variants (table-driven)."""

from __future__ import annotations

import pytest

from shopdata.errors import RecogniseError
from shopdata.ingest.recognise import locate_header_row, parse_headers, recognise, recognise_headerless

# (case, headers as exported, expected layout, fields that must map to these header texts)
HEADER_CASES = [
    (
        "amazon sp trailing spaces",
        [
            "Start Date",
            "End Date",
            "Campaign Name",
            "Ad Group Name",
            "Targeting",
            "Match Type",
            "Customer Search Term",
            "Impressions",
            "Clicks",
            "Spend",
            "7 Day Total Sales ",
            "Total Advertising Cost of Sales (ACoS) ",
            "7 Day Total Orders (#)",
        ],
        "amazon_sp",
        {
            "revenue": "7 Day Total Sales ",
            "conversions": "7 Day Total Orders (#)",
            "search_term": "Customer Search Term",
            "period_start": "Start Date",
        },
    ),
    (
        "amazon sp rupee unit",
        [
            "Date",
            "Campaign Name",
            "Impressions",
            "Clicks",
            "Click-Thru Rate (CTR)",
            "Spend",
            "14 Day Total Sales (₹)",
            "14 Day Total Orders (#)",
        ],
        "amazon_sp",
        {"revenue": "14 Day Total Sales (₹)", "date": "Date"},
    ),
    (
        "amazon business en-dash and double spaces",
        [
            "(Parent) ASIN",
            "(Child) ASIN",
            "Title",
            "Sessions – Total",
            "Page views – Total",
            "Units ordered",
            "Ordered  Product  Sales",
            "Total Order Items",
        ],
        "amazon_business",
        {"sessions": "Sessions – Total", "revenue": "Ordered  Product  Sales", "product_id": "(Child) ASIN"},
    ),
    (
        "amazon business chinese full-width brackets",
        [
            "（父）ASIN",
            "（子）ASIN",
            "标题",
            "会话数 - 总计",
            "页面浏览量 - 总计",
            "已订购商品数量",
            "已订购商品销售额",
            "订单商品总数",
        ],
        "amazon_business",
        {"product_id": "（子）ASIN", "revenue": "已订购商品销售额"},
    ),
    (
        "google ads keyword",
        [
            "Keyword status",
            "Keyword",
            "Match type",
            "Campaign",
            "Ad group",
            "Impr.",
            "Interactions",
            "Currency code",
            "Cost",
            "Clicks",
            "Conversions",
            "Avg. CPC",
        ],
        "google_ads",
        {"impressions": "Impr.", "spend": "Cost", "keyword": "Keyword", "currency": "Currency code"},
    ),
    (
        "meta ads manager with currency units",
        [
            "Reporting starts",
            "Reporting ends",
            "Campaign name",
            "Ad set name",
            "Results",
            "Reach",
            "Amount spent (SGD)",
            "Impressions",
            "CPM (cost per 1,000 impressions) (SGD)",
            "Link clicks",
        ],
        "meta_ads",
        {"spend": "Amount spent (SGD)", "clicks": "Link clicks", "period_start": "Reporting starts"},
    ),
    (
        "meta kaggle export",
        [
            "ad_id",
            "xyz_campaign_id",
            "fb_campaign_id",
            "age",
            "gender",
            "interest",
            "Impressions",
            "Clicks",
            "Spent",
            "Total_Conversion",
            "Approved_Conversion",
        ],
        "meta_ads",
        {"spend": "Spent", "campaign_id": "xyz_campaign_id", "purchases": "Approved_Conversion"},
    ),
    (
        "pdd ads with (元)",
        [
            "日期",
            "商品ID",
            "商品名称",
            "推广场景",
            "推广名称",
            "出价方式",
            "成交花费(元)",
            "交易额(元)",
            "实际投产比",
            "总花费(元)",
            "成交笔数",
            "曝光量",
            "点击量",
        ],
        "pdd_ads",
        {"spend": "总花费(元)", "revenue": "交易额(元)", "campaign": "推广名称"},
    ),
    (
        "wanxiangtai plan report",
        [
            "日期",
            "计划ID",
            "计划名字",
            "场景ID",
            "场景名字",
            "花费",
            "展现量",
            "点击量",
            "总成交金额",
            "总成交笔数",
            "总购物车数",
            "实际投产比",
        ],
        "tmall_wanxiangtai",
        {"campaign": "计划名字", "spend": "花费", "carts": "总购物车数"},
    ),
    (
        "sycm traffic sources",
        [
            "统计日期",
            "流量载体",
            "一级来源",
            "二级来源",
            "三级来源",
            "访客数",
            "支付买家数",
            "支付金额",
            "支付转化率",
            "客单价",
            "UV价值",
        ],
        "sycm_sources",
        {"source_1": "一级来源", "visitors": "访客数", "buyers": "支付买家数"},
    ),
    (
        "sycm products",
        ["统计日期", "商品ID", "商品名称", "商品访客数", "商品浏览量", "支付买家数", "支付金额", "商品支付转化率"],
        "sycm_products",
        {"product_id": "商品ID", "visitors": "商品访客数"},
    ),
    (
        "jd sku",
        [
            "时间",
            "SKU",
            "SKU名称",
            "成交金额",
            "成交商品件数",
            "成交单量",
            "成交客户数",
            "成交转化率",
            "客单价",
            "件单价",
            "商品访客数",
        ],
        "jd_sku",
        {"product_id": "SKU", "orders": "成交单量", "buyers": "成交客户数"},
    ),
    (
        "shopify sessions",
        [
            "Day",
            "Referrer source",
            "Referrer name",
            "Online store visitors",
            "Sessions",
            "Sessions with cart additions",
            "Sessions that reached checkout",
            "Sessions that completed checkout",
        ],
        "shopify_sessions",
        {"orders": "Sessions that completed checkout", "source_1": "Referrer source"},
    ),
    (
        "shopify sales over time",
        [
            "Day",
            "Orders",
            "Gross sales",
            "Discounts",
            "Returns",
            "Net sales",
            "Shipping charges",
            "Duties",
            "Additional fees",
            "Taxes",
            "Total sales",
        ],
        "shopify_sales",
        {"revenue": "Net sales", "refund": "Returns"},
    ),
    (
        "tmall orders with trailing spaces",
        ["订单编号", "总金额", "买家实际支付金额", "收货地址 ", "订单创建时间", "订单付款时间 ", "退款金额"],
        "tmall_orders",
        {"region": "收货地址 ", "paid_time": "订单付款时间 "},
    ),
    (
        "double-11 price scrape",
        ["update_time", "id", "title", "price", "sale_count", "comment_count", "店名"],
        "taobao_price_scrape",
        {"shop": "店名", "product_id": "id", "date": "update_time"},
    ),
    (
        "tianchi mobile log",
        ["user_id", "item_id", "behavior_type", "user_geohash", "item_category", "time"],
        "tianchi_mobile",
        {"behavior": "behavior_type", "event_time": "time"},
    ),
    (
        "header with BOM and NBSP",
        ["\ufeffDate", "Campaign\u00a0Name", "Impressions", "Clicks", "Spend", "Click-Thru Rate (CTR)"],
        "amazon_sp",
        {"date": "\ufeffDate", "campaign": "Campaign\u00a0Name"},
    ),
]


@pytest.mark.parametrize("case, headers, layout, expected", HEADER_CASES, ids=[c[0] for c in HEADER_CASES])
def test_recognises_real_header_variants(case: str, headers: list[str], layout: str, expected: dict) -> None:
    rec = recognise(parse_headers(headers))
    assert rec.layout.name == layout
    mapping = rec.mapping_by_header()
    for field_name, header in expected.items():
        assert mapping.get(field_name) == header, field_name
    assert 0 < rec.confidence <= 1


def test_unit_suffix_is_kept_for_the_currency() -> None:
    rec = recognise(parse_headers(["Reporting starts", "Campaign name", "Amount spent (SGD)", "Impressions"]))
    assert rec.headers[rec.mapping["spend"]].unit == "SGD"


def test_specific_layout_beats_generic_one() -> None:
    rec = recognise(parse_headers(["Date", "Campaign", "Impressions", "Clicks", "Cost", "Conversions"]))
    assert not rec.layout.generic


@pytest.mark.parametrize(
    "headers, message",
    [
        (["product_category_name", "product_category_name_english"], "lacks product_id"),
        (["colour", "size", "weight"], "not a store or ad export"),
    ],
)
def test_unknown_headers_explain_what_is_missing(headers: list[str], message: str) -> None:
    with pytest.raises(RecogniseError, match=message):
        recognise(parse_headers(headers))


def test_kind_restricts_the_candidates() -> None:
    with pytest.raises(RecogniseError):
        recognise(parse_headers(["user_id", "item_id", "behavior_type", "time"]), kind="ads")


def test_header_row_found_below_title_rows() -> None:
    rows = [
        ["生意参谋 > 流量 > 店铺来源"],
        ["统计日期：2026-08-25 ~ 2026-11-22"],
        ["店铺名称：示例店"],
        [],
        ["统计日期", "流量载体", "一级来源", "二级来源", "访客数", "支付金额"],
        ["2026-08-25", "无线端", "淘内免费", "汇总", "100", "5.00"],
    ]
    assert locate_header_row(rows) == (4, 6)


def test_no_header_row_when_nothing_is_known() -> None:
    assert locate_header_row([["a", "b"], ["1", "2"]]) is None


def test_headerless_behaviour_log_is_recognised_by_content() -> None:
    rows = [["1", "2268318", "2520377", "pv", "1511544070"], ["1", "2333346", "2520771", "buy", "1511561733"]]
    rec = recognise_headerless(rows)
    assert rec is not None and rec.layout.name == "taobao_userbehavior"
    assert rec.mapping == {"user_id": 0, "item_id": 1, "category_id": 2, "behavior": 3, "event_time": 4}


def test_headerless_needs_every_row_to_fit() -> None:
    rows = [["1", "2268318", "2520377", "pv", "1511544070"], ["x", "y", "z", "pv", "1511561733"]]
    assert recognise_headerless(rows) is None
