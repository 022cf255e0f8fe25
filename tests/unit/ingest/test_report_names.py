"""Amazon Sponsored Products reports share one layout; each is named after what its rows are split by
(issue 10 item 20), from the headers Amazon gives each report."""

from __future__ import annotations

import pytest

from shopdata.i18n import CATALOG, LANGUAGES
from shopdata.ingest.layouts import LAYOUTS, LAYOUTS_BY_NAME, report_title
from shopdata.ingest.recognise import parse_headers, recognise
from shopdata.store import TABLES

# Header rows as the Amazon Ads console exports them (../shared/realdata/amazon_sp_ads_india_2020).
SP_HEADERS = {
    "Search term": "Date,Portfolio name,Currency,Campaign Name,Ad Group Name,Targeting,Match Type,"
    "Customer Search Term,Impressions,Clicks,Click-Thru Rate (CTR),Cost Per Click (CPC),Spend,14 Day Total Sales (₹)",
    "Targeting": "Date,Portfolio name,Currency,Campaign Name,Ad Group Name,Targeting,Match Type,Impressions,Clicks,"
    "Click-Thru Rate (CTR),Cost Per Click (CPC),Spend,14 Day Total Sales (₹)",
    "Placement": "Date,Portfolio name,Currency,Campaign Name,Bidding strategy,Placement,Impressions,Clicks,"
    "Cost Per Click (CPC),Spend,14 Day Total Sales (₹)",
    "Advertised product": "Date,Portfolio name,Currency,Campaign Name,Ad Group Name,Advertised ASIN,Impressions,"
    "Clicks,Click-Thru Rate (CTR),Cost Per Click (CPC),Spend,14 Day Total Sales (₹)",
    "Campaign": "Date,Start Date,End Date,Portfolio name,Campaign Type,Campaign Name,Status,Currency,Budget,"
    "Impressions,Clicks,Click-Thru Rate (CTR),Spend,14 Day Total Orders (#)",
    "Performance over time": "Date,Clicks,Cost Per Click (CPC),Spend",
}


@pytest.mark.parametrize("report", SP_HEADERS)
def test_each_sponsored_products_report_is_named(report: str) -> None:
    rec = recognise(parse_headers(SP_HEADERS[report].split(",")))
    assert rec.layout.name == "amazon_sp"
    assert report_title(rec.layout.name, rec.mapping, "en") == f"Amazon Ads — Sponsored Products {report} report"


def test_the_names_differ_in_chinese_too() -> None:
    titles = {
        report_title("amazon_sp", recognise(parse_headers(h.split(","))).mapping, "zh") for h in SP_HEADERS.values()
    }
    assert len(titles) == len(SP_HEADERS) and all(t.startswith("亚马逊广告") for t in titles)


def test_a_single_report_layout_keeps_its_title_and_an_unknown_one_its_name() -> None:
    google = LAYOUTS_BY_NAME["google_ads"]
    assert report_title("google_ads", ["campaign", "search_term"], "en") == google.title
    assert report_title("google_ads", [], "zh") == "Google Ads 报告"
    assert report_title("gone_layout", ["campaign"], "en") == "gone_layout"


def test_every_field_a_page_shows_has_a_label_in_every_language() -> None:
    fields = {c for table in TABLES.values() for c in table.column_names}
    fields |= {f for layout in LAYOUTS for f in (*layout.fields, *layout.positional)}
    for field_name in fields:
        assert set(CATALOG[f"field.{field_name}"]) == set(LANGUAGES), field_name


@pytest.mark.parametrize("language", LANGUAGES)
def test_labels_tell_the_columns_of_one_table_and_the_fields_of_one_layout_apart(language: str) -> None:
    groups = [table.column_names for table in TABLES.values()] + [list(layout.fields) for layout in LAYOUTS]
    for names in groups:
        labels = [CATALOG[f"field.{n}"][language] for n in names]
        assert len(set(labels)) == len(labels), names
