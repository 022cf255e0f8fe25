"""Recognition beyond the happy path: what an unrecognised file is told, which columns are asked and how the
answer settles them, a headerless log's columns, and header rows known by one source of names only.
Written from the survivors of `make mutation MODULES=recognise` (README, "Mutation score")."""

from __future__ import annotations

import pytest

from shopdata.errors import RecogniseError
from shopdata.i18n import Message
from shopdata.ingest.recognise import (
    ambiguity_error,
    candidates,
    locate_header_row,
    parse_headers,
    recognise,
    recognise_headerless,
    score_header_row,
    settle,
)

UPLOAD_AS_EXPORTED = (
    "upload the report as the platform exports it, or choose the kind and map the columns on the Data page"
)
SUPPORTED = (
    "supported: 生意参谋/万相台/京东商智/拼多多 reports, Shopify, Amazon Business and Sponsored Products reports, "
    "Google Ads, Meta Ads, GA, behaviour logs, order and price sheets — see README"
)


@pytest.mark.parametrize(
    ("headers", "kind", "message", "hint"),
    [
        (  # one layout is closest by far; it needs two more groups of fields, one of them either of two
            ["时间", "sku名称", "商品浏览量"],
            None,
            "the columns (时间, sku名称, 商品浏览量) look closest to a 京东商智 商品明细, but it lacks product_id; "
            "visitors or revenue",
            UPLOAD_AS_EXPORTED,
        ),
        (  # the kind chosen keeps the ads layouts in the comparison
            ["Campaign name", "Reporting starts"],
            "ads",
            "the columns (Campaign name, Reporting starts) look closest to a Meta (Facebook) Ads Manager export, "
            "but it lacks spend",
            UPLOAD_AS_EXPORTED,
        ),
        (  # ... and leaves out every layout of another kind, however close
            ["Campaign name", "Reporting starts"],
            "orders",
            "the columns (Campaign name, Reporting starts) are not a orders export Shopdata knows",
            SUPPORTED,
        ),
        (
            ["colour", "size", "weight"],
            None,
            "the columns (colour, size, weight) are not a store or ad export Shopdata knows",
            SUPPORTED,
        ),
    ],
)
def test_an_unrecognised_file_is_told_what_it_looks_like_and_what_to_do(
    headers: list[str], kind: str | None, message: str, hint: str
) -> None:
    with pytest.raises(RecogniseError) as caught:
        recognise(parse_headers(headers), kind=kind)
    assert str(caught.value) == f"recognise: {message} — {hint}"


def test_the_explanation_reads_in_chinese_too() -> None:
    with pytest.raises(RecogniseError) as caught:
        recognise(parse_headers(["colour", "size"]), kind="ads")
    assert (
        caught.value.as_message()
        .text("zh")
        .startswith("识别：这些列（colour, size）不是 Shopdata 认识的ads导出文件 —— 支持：")
    )


def test_a_wide_unknown_file_is_named_in_a_short_message() -> None:
    headers = [f"column_{i:03d}" for i in range(80)]  # 80 × 10 characters and separators: far over 300
    with pytest.raises(RecogniseError) as caught:
        recognise(parse_headers(headers))
    message = caught.value.message
    assert isinstance(message, Message)
    shown = str(message.params["columns"])
    assert shown.startswith("column_000, column_001, ") and len(shown) <= 300


# 花费 and 消耗 both mean spend, equally surely: the generic ad layout would take the first; it must ask.
COMPETING = ["日期", "计划", "花费", "消耗", "展现", "点击"]


def test_equally_sure_columns_of_a_generic_layout_are_asked_not_taken() -> None:
    rec = candidates(parse_headers(COMPETING))[0]
    assert (rec.layout.name, rec.by_terms) == ("generic_ads", False)
    assert rec.ambiguous == {"spend": [2, 3]}
    assert rec.mapping == {"date": 0, "campaign": 1, "impressions": 4, "clicks": 5}
    assert rec.matched_names == {"date": "日期", "campaign": "计划", "impressions": "展现", "clicks": "点击"}


def test_three_competing_columns_are_all_asked() -> None:
    rec = candidates(parse_headers(["日期", "计划", "花费", "消耗", "spend", "展现", "点击"]))[0]
    assert rec.ambiguous == {"spend": [2, 3, 4]} and "spend" not in rec.mapping


def test_a_single_spend_column_is_taken_without_asking() -> None:
    rec = candidates(parse_headers(["日期", "计划", "花费", "展现", "点击"]))[0]
    assert rec.ambiguous == {}
    assert rec.mapping == {"date": 0, "campaign": 1, "spend": 2, "impressions": 3, "clicks": 4}


def test_the_question_names_every_competing_column_and_an_example_answer() -> None:
    rec = candidates(parse_headers([" 日期", "计划", "花费(元) ", "消耗", "展现", "点击"]))[0]
    assert str(ambiguity_error(rec)) == (
        "recognise: which column holds these fields is not clear, and Shopdata does not guess: "
        "spend: '花费(元)' / '消耗' — name the column with --map FIELD=COLUMN (e.g. --map spend=花费(元)), "
        "or choose it on the Data page"
    )


@pytest.mark.parametrize("column", ["消耗", " 消耗 ", "消耗(元)"])  # as written, padded, or with a unit
def test_the_answer_settles_the_field_with_the_column_named(column: str) -> None:
    rec = settle(candidates(parse_headers(COMPETING))[0], {"spend": column})
    assert rec.ambiguous == {}
    assert rec.mapping == {"date": 0, "campaign": 1, "impressions": 4, "clicks": 5, "spend": 3}
    assert rec.matched_names["spend"] == "消耗"


def test_a_column_named_for_one_field_is_taken_from_another() -> None:
    rec = settle(candidates(parse_headers(COMPETING))[0], {"spend": "花费", "impressions": "点击"})
    assert rec.mapping == {"date": 0, "campaign": 1, "impressions": 5, "spend": 2}
    assert rec.ambiguous == {}


def test_a_unit_written_in_the_file_is_found_by_the_column_as_written_first() -> None:
    headers = ["日期", "计划", "花费(元)", "花费", "展现", "点击"]
    rec = candidates(parse_headers(headers))[0]
    assert settle(rec, {"spend": "花费"}).mapping["spend"] == 3
    assert settle(rec, {"spend": "花费(元)"}).mapping["spend"] == 2


def test_an_unknown_field_or_column_in_the_answer_is_an_error() -> None:
    rec = candidates(parse_headers(COMPETING))[0]
    with pytest.raises(RecogniseError) as caught:
        settle(rec, {"spent": "消耗"})
    assert str(caught.value).startswith("recognise: spent is not a field of a ads export — its fields: ")
    fields = str(caught.value).split(" — its fields: ")[1]
    assert {"spend", "clicks", "impressions", "revenue"} <= set(fields.split(", "))
    with pytest.raises(RecogniseError) as caught:
        settle(rec, {"spend": "费用"})
    assert str(caught.value) == (
        "recognise: the column '费用' chosen for spend is not in this file — pick one of the file's columns"
    )


# Two fields asked at once: 花费 / 消耗 both mean spend, 展现 / 曝光 both mean impressions.
TWO_ASKED = ["日期", "计划", "花费", "消耗", "展现", "曝光", "点击"]


def test_every_asked_field_is_named_in_the_question() -> None:
    rec = candidates(parse_headers(TWO_ASKED))[0]
    assert rec.ambiguous == {"impressions": [4, 5], "spend": [2, 3]}
    assert ambiguity_error(rec).message == (
        "which column holds these fields is not clear, and Shopdata does not guess: "
        "impressions: '展现' / '曝光'; spend: '花费' / '消耗'"
    )


def test_answering_one_field_leaves_the_other_asked() -> None:
    rec = settle(candidates(parse_headers(TWO_ASKED))[0], {"spend": "消耗"})
    assert rec.ambiguous == {"impressions": [4, 5]}
    assert rec.mapping == {"date": 0, "campaign": 1, "clicks": 6, "spend": 3}


def test_a_field_the_term_table_knows_can_be_named_on_a_platform_layout_without_it() -> None:
    # Google Ads' layout has no product column; the term table knows product_id for ads, so --map may name it
    rec = recognise(parse_headers(["Campaign", "Impr.", "Clicks", "Cost", "Product ID"]))
    assert rec.platform == "google_ads" and "product_id" not in rec.layout.fields
    assert settle(rec, {"product_id": "Product ID"}).mapping == {
        "campaign": 0,
        "impressions": 1,
        "clicks": 2,
        "spend": 3,
        "product_id": 4,
    }


BEHAVIOUR_LOG = [["1", "2268318", "2520377", "pv", "1511544070"], ["1", "2333346", "2520771", "buy", "1511561733"]]
LOG_FIELDS = ["user_id", "item_id", "category_id", "behavior", "event_time"]


def test_a_headerless_log_names_its_columns_by_position() -> None:
    rec = recognise_headerless(BEHAVIOUR_LOG)
    assert rec is not None and rec.headerless
    assert [h.raw for h in rec.headers] == ["column 1", "column 2", "column 3", "column 4", "column 5"]
    assert [h.name for h in rec.headers] == LOG_FIELDS
    assert rec.mapping_by_header() == {f: f"column {i + 1}" for i, f in enumerate(LOG_FIELDS)}
    assert rec.matched_names == {f: f for f in LOG_FIELDS}
    assert 0 < rec.confidence < 1  # read by its content, never as sure as a header


def test_a_headerless_log_with_empty_lines_is_still_recognised() -> None:
    rows: list[list[object]] = [list(BEHAVIOUR_LOG[0]), ["", "", "", "", ""], [None] * 5, list(BEHAVIOUR_LOG[1])]
    rec = recognise_headerless(rows)
    assert rec is not None and rec.layout.name == "taobao_userbehavior"


def test_a_headerless_log_is_recognised_when_its_own_kind_is_chosen_only() -> None:
    rec = recognise_headerless(BEHAVIOUR_LOG)
    assert rec is not None
    assert recognise_headerless(BEHAVIOUR_LOG, kind=rec.kind) is not None
    assert recognise_headerless(BEHAVIOUR_LOG, kind="ads") is None


def test_a_header_row_of_names_only_the_term_table_knows_is_found() -> None:
    # 曝光数 and GMV are no layout's names; the term table reads them as impressions and revenue
    # (运营说明 is nobody's name either: 备注 became one with the rivals' promotion sheet)
    rows = [["磁力金牛 计划报表"], ["导出时间：2026-11-03"], ["曝光数", "GMV(元)", "运营说明"], ["100", "5.00", ""]]
    assert locate_header_row(rows) == (2, 2)


def test_names_only_a_layout_knows_count_towards_a_header_row() -> None:
    # amazon-order-id and behavior_type are layouts' names the term table does not list
    assert score_header_row(["", "amazon-order-id", None, "  ", "behavior_type", "colour"]) == 2


def test_a_header_repeated_further_down_is_found_where_it_first_appears() -> None:
    header = ["统计日期", "流量载体", "一级来源", "访客数"]
    rows = [header, ["2026-11-01", "无线端", "淘内免费", "10"], header, ["2026-11-02", "无线端", "淘内免费", "12"]]
    assert locate_header_row(rows) == (0, 4)


def test_a_column_the_generic_layout_names_and_the_term_table_only_guesses_is_taken_not_asked() -> None:
    # behavior_type is the generic event layout's name for behaviour; the term table alone would only guess it
    rec = candidates(parse_headers(["user_id", "item_id", "behavior_type", "event_time"]))[0]
    assert rec.layout.name == "generic_events"
    assert rec.mapping == {"user_id": 0, "item_id": 1, "behavior": 2, "event_time": 3}
    assert rec.ambiguous == {}
