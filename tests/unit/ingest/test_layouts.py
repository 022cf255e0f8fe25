"""The layouts table's names for people: Chinese titles, and the lists of exports the pages' empty states name."""

from shopdata.ingest.layouts import LAYOUTS, LAYOUTS_BY_NAME


def test_every_layout_has_a_chinese_title() -> None:
    from shopdata.ingest.layouts import TITLES_ZH, title_in

    assert set(TITLES_ZH) <= {layout.name for layout in LAYOUTS}
    for layout in LAYOUTS:
        title = title_in(layout, "zh")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title), layout.name  # says something in Chinese
    assert title_in(LAYOUTS_BY_NAME["google_ads"], "en") == "Google Ads report"


def test_the_empty_states_list_the_layouts_a_page_can_use() -> None:
    from shopdata.i18n import translate
    from shopdata.ingest.layouts import export_list

    ads = export_list({"ads": ()})
    assert ads["en"] == (
        "Amazon Ads — Sponsored Products report, Google Ads report, Meta (Facebook) Ads Manager export, "
        "天猫 万相台 / 直通车 报表, 拼多多 推广报表, Shopee Ads report, Microsoft Advertising report, "
        "Amazon Ads — Sponsored Brands / Sponsored Display report, 京准通 京东快车 推广报表, 巨量千川 数据报表"
    )
    assert ads["zh"].split("、") == [
        "亚马逊广告 Sponsored Products 报告",
        "Google Ads 报告",
        "Meta（Facebook）广告管理工具导出",
        "天猫 万相台 / 直通车 报表",
        "拼多多 推广报表",
        "Shopee（虾皮）广告报告",
        "Microsoft Advertising（必应广告）报告",
        "亚马逊广告 Sponsored Brands / Sponsored Display 报告",
        "京准通 京东快车 推广报表",
        "巨量千川 数据报表",
    ]
    by_source = export_list({"traffic": ("source_1",)})["en"].split(", ")
    assert (
        "生意参谋 流量来源" in by_source and "生意参谋 商品效果" not in by_source
    )  # the product report has no sources
    assert "Traffic report (generic)" not in by_source
    assert translate("promotion.empty_exports", "zh") == ads["zh"]
    assert translate("prices.empty_exports", "en") == (
        "淘宝/天猫 商品价格采集, Amazon price history (ASIN tracker / Keepa), Price list per marketplace (MRP by channel)"
    )
