"""The term table (shopdata/ingest/terms.py): headers reduced to terms, terms matched to fields, competing and
guessed columns asked rather than taken, measures left out reported."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shopdata.ingest import terms
from shopdata.ingest.layouts import INPUT_ONLY_FIELDS, LAYOUTS
from shopdata.ingest.recognise import by_terms, candidates, parse_headers
from shopdata.ingest.terms import (
    CONTAINED,
    EXACT,
    FIELD_TERMS,
    PREFIXED,
    STRONG,
    SUMMING_PREFIXES,
    Term,
    match_terms,
    measures,
    names_some_field_surely,
    normalise_term,
    score,
    unmapped_measures,
)
from shopdata.schema import FACT_KINDS, TABLES


@pytest.mark.parametrize(
    ("header", "term"),
    [
        ("花费", Term("花费")),
        ("总费用(元)", Term("费用", summed=True)),
        ("总费用（元）", Term("费用", summed=True)),
        ("累计成交金额（元）", Term("成交金额", summed=True)),
        ("GMV(￥)", Term("gmv")),
        ("Total Spend (MYR)", Term("spend", summed=True)),
        ("  Impressions  ", Term("impressions")),
        ("Order_ID", Term("order id")),
        ("Order-ID", Term("order id")),
        ("推广 花费", Term("推广花费")),
        ("展现数【次】", Term("展现数")),
        ("[USD] Revenue", Term("revenue")),
        ("点击率(%)", Term("点击率", ratio=True)),
        ("点击率", Term("点击率", ratio=True)),
        ("平均点击成本(元)", Term("平均点击成本", ratio=True)),
        ("Avg. CPC", Term("avg. cpc", ratio=True)),
        ("CTR", Term("ctr", ratio=True)),
        ("ROI", Term("roi", ratio=True)),
        ("Conv. rate", Term("conv. rate", ratio=True)),
        ("总", Term("总")),  # nothing left after the prefix: the word itself
        ("总计", Term("总计")),
    ],
)
def test_normalise_term(header: str, term: Term) -> None:
    assert normalise_term(header) == term


@pytest.mark.parametrize(
    ("kind", "header", "field", "expected"),
    [
        ("ads", "花费", "spend", EXACT),
        ("ads", "消耗", "spend", EXACT),
        ("ads", "总费用(元)", "spend", PREFIXED),
        ("ads", "总花费", "spend", PREFIXED),
        ("ads", "Cost", "spend", EXACT),
        ("ads", "Spend (MYR)", "spend", EXACT),
        ("ads", "Spending", "spend", EXACT),  # Lazada Sponsored Solutions' word for it
        ("ads", "展现数", "impressions", EXACT),
        ("ads", "曝光量", "impressions", EXACT),
        ("ads", "点击量", "clicks", EXACT),
        ("ads", "成交金额(元)", "revenue", EXACT),
        ("ads", "GMV", "revenue", EXACT),
        ("ads", "推广花费明细", "spend", CONTAINED),
        ("ads", "平均花费", "spend", 0.0),  # an average is not the measure
        ("ads", "点击率(%)", "clicks", 0.0),
        ("ads", "展现数", "clicks", 0.0),
        ("traffic", "访客数", "visitors", EXACT),
        ("traffic", "UV", "visitors", EXACT),
        ("traffic", "支付金额", "revenue", EXACT),
        ("traffic", "成交订单数", "orders", EXACT),
        ("traffic", "一级渠道", "source_1", EXACT),  # 抖音电商罗盘's source levels
        ("traffic", "二级渠道", "source_2", EXACT),
        ("orders", "订单号", "order_id", EXACT),
        ("orders", "Order Amount", "amount", EXACT),
        ("orders", "Shipping Fee Paid", "shipping", EXACT),
        ("orders", "Order Status", "order_id", CONTAINED),  # contains "order": a guess, never taken
        ("prices", "到手价(元)", "price", EXACT),
        ("products", "商品名称", "name", EXACT),
        ("events", "行为类型", "behavior", EXACT),
    ],
)
def test_score(kind: str, header: str, field: str, expected: float) -> None:
    assert score(normalise_term(header), kind, field) == expected


def test_every_measure_of_every_fact_table_has_terms() -> None:
    # The competitor tables (issue 15) are read only by their own 生意参谋 layouts and the promotions sheet: no
    # generic sheet reads them, so no term table (their figures are bands, not a column per measure).
    assert set(FIELD_TERMS) == set(FACT_KINDS) - {"rival_metrics", "rival_promotions"}
    for kind, fields in FIELD_TERMS.items():
        columns = TABLES[kind].column_names
        # a term table field is a column of the kind's table, or a layouts' input-only field (events' event_day)
        assert set(fields) <= set(columns) | INPUT_ONLY_FIELDS, kind
        numbers = {c.name for c in TABLES[kind].columns if c.type == "double"}
        assert set(measures(kind)) == numbers, kind
    assert {"impressions", "clicks", "spend", "conversions", "revenue"} <= set(measures("ads"))
    assert {"visitors", "page_views", "buyers", "orders", "revenue"} <= set(measures("traffic"))
    assert {"quantity", "amount", "paid_amount"} <= set(measures("orders"))


JD_ADS = [
    "日期",
    "计划名称",
    "总费用(元)",
    "展现数",
    "点击数",
    "点击率(%)",
    "平均点击成本(元)",
    "总订单行",
    "总订单金额(元)",
]


def test_match_terms_maps_a_report_no_layout_knows() -> None:
    match = match_terms(JD_ADS, "ads")
    assert match.mapping == {
        "date": 0,
        "campaign": 1,
        "spend": 2,
        "impressions": 3,
        "clicks": 4,
        "conversions": 7,
        "revenue": 8,
    }
    assert match.ambiguous == {}
    assert match.ratios == [5, 6]


@pytest.mark.parametrize(
    ("kind", "headers", "ambiguous"),
    [
        ("ads", ["date", "cost", "spend", "clicks"], {"spend": [1, 2]}),
        ("ads", ["日期", "花费", "消耗", "点击"], {"spend": [1, 2]}),
        ("traffic", ["日期", "支付金额", "成交金额", "访客数"], {"revenue": [1, 2]}),
        ("traffic", ["日期", "支付金额", "访客数", "UV"], {"visitors": [2, 3]}),
        ("ads", ["日期", "花费", "点击"], {}),
    ],
)
def test_equally_sure_columns_are_asked(kind: str, headers: list[str], ambiguous: dict[str, list[int]]) -> None:
    match = match_terms(headers, kind)
    assert match.ambiguous == ambiguous
    assert not set(ambiguous) & set(match.mapping)  # an asked field is not taken meanwhile


def test_a_surer_column_wins_without_asking() -> None:
    assert match_terms(["花费", "总花费", "点击"], "ads").mapping == {"spend": 0, "clicks": 2}


def test_a_ga4_style_event_log_is_read_without_asking() -> None:
    # GA4's BigQuery export names the behaviour event_name: not a guess between it and event_timestamp.
    rec = candidates(parse_headers(["user_id", "event_name", "event_timestamp"]))[0]
    assert rec.kind == "events" and rec.ambiguous == {}
    assert rec.mapping_by_header() == {"user_id": "user_id", "behavior": "event_name", "event_time": "event_timestamp"}


def test_a_guess_is_asked_only_for_a_needed_field() -> None:
    headers = ["计划", "推广花费明细", "点击"]
    assert match_terms(headers, "ads").ambiguous == {}
    assert match_terms(headers, "ads", needed={"spend"}).ambiguous == {"spend": [1]}


def test_unmapped_measures_name_the_columns_left_out() -> None:
    headers = ["日期", "花费", "点击", "成交金额", "点击率"]
    assert unmapped_measures(headers, "ads", {"date": 0, "spend": 1, "clicks": 2}) == [(3, "revenue")]
    assert unmapped_measures(headers, "ads", {"date": 0, "spend": 1, "clicks": 2, "revenue": 3}) == []


def test_by_terms_recognises_the_kind_as_platform_other() -> None:
    [rec, *_] = by_terms(parse_headers(JD_ADS))
    assert (rec.kind, rec.platform, rec.by_terms) == ("ads", "other", True)
    # 7 exact or prefixed columns and 2 ratios understood, of 9: (4×1.0 + 3×0.9 + 2×0.5) / 9, generic discount 0.6
    assert rec.confidence == round((4 * 1.0 + 3 * 0.9 + 2 * 0.5) / 9 * 0.6, 2)


# An order export no layout knows (a small shop system's: no platform's marker column).
UNKNOWN_ORDERS = [
    "Order ID",
    "Order Status",
    "Item ID",
    "Seller SKU",
    "Product Name",
    "Quantity",
    "Order Amount",
    "Created Time",
    "Paid Time",
    "Buyer Username",
    "Province",
    "Tracking Number",
    "Payment Method",
    "Weight(kg)",
    "Recipient",
    "Zipcode",
    "Country",
]


def test_an_order_export_no_layout_knows_is_platform_other_not_a_guessed_platform() -> None:
    rec = candidates(parse_headers(UNKNOWN_ORDERS))[0]
    assert (rec.kind, rec.platform) == ("orders", "other")
    assert rec.mapping_by_header() == {
        "order_id": "Order ID",
        "status": "Order Status",
        "product_id": "Item ID",
        "sku": "Seller SKU",
        "product_name": "Product Name",
        "quantity": "Quantity",
        "amount": "Order Amount",
        "order_time": "Created Time",
        "paid_time": "Paid Time",
        "buyer_id": "Buyer Username",
        "region": "Province",
    }
    assert rec.confidence < 0.5


def _header_like_strings() -> list[str]:
    """Every term and layout synonym, summed, as a rate, with a unit, inside longer names, and the cells of the
    layout fixtures' first rows (headers and data)."""
    texts = {t for fields in FIELD_TERMS.values() for terms in fields.values() for t in terms}
    texts |= {
        s for layout in LAYOUTS for synonyms in layout.fields.values() for s in synonyms if not s.startswith("re:")
    }
    found = set()
    for text in texts:
        found |= {text, f"{text}%", f"{text}率", f"{text}(元)", f"{text} rate", f"my {text}", f"{text} of a day"}
        found |= {prefix + text for prefix in SUMMING_PREFIXES}
    for path in sorted((Path(__file__).parents[2] / "fixtures" / "layouts").glob("*.csv")):
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            for n, row in enumerate(csv.reader(handle)):
                found |= {cell for cell in row if cell.strip()}
                if n > 30:
                    break
    return sorted(found)


def test_a_header_names_some_field_surely_exactly_when_some_fields_score_says_so() -> None:
    # names_some_field_surely asks only the fields that list the term; every field's score() is the definition.
    strings = _header_like_strings()
    sure = {s: names_some_field_surely(normalise_term(s)) for s in strings}
    by_definition = {
        s: any(score(normalise_term(s), kind, f) >= STRONG for kind, fields in FIELD_TERMS.items() for f in fields)
        for s in strings
    }
    assert sure == by_definition
    contained = [
        s
        for s in strings
        if not sure[s]
        and any(score(normalise_term(s), kind, f) == CONTAINED for kind, fields in FIELD_TERMS.items() for f in fields)
    ]
    assert sum(sure.values()) > 1000 and len(contained) > 1000  # both answers, and guesses that are not sure


def test_a_term_several_fields_list_is_sure_when_any_of_them_is_sure_of_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # "xq" names an ad's campaign and its spend: "xq%" is a rate, so no spend (a measure), but still surely the
    # campaign's header; "xq" alone is sure for both, "xq total" for neither (contained only).
    monkeypatch.setattr(terms, "FIELD_TERMS", {"ads": {"campaign": ("xq",), "spend": ("xq",)}})
    cached = (terms._fields_by_term, terms.measures)
    for function in cached:
        function.cache_clear()
    try:
        assert terms.score(normalise_term("xq%"), "ads", "spend") == 0
        assert [terms.names_some_field_surely(normalise_term(s)) for s in ("xq%", "xq", "xq total")] == [
            True,
            True,
            False,
        ]
    finally:
        for function in cached:
            function.cache_clear()  # built again from the real terms on their next use
