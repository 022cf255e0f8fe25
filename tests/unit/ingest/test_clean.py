"""Cleaning rules: SQL macros run through DuckDB, column decisions in Python.

Every expected value is written by hand from the rule, never copied from the code's output.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopdata.errors import ValidateError
from shopdata.ingest.clean import (
    CHINESE_YEAR_FIRST,
    COMPACT_YEAR_FIRST,
    DASH_MONTH_FIRST,
    DATETIME_CANDIDATES,
    ENGLISH_MONTH_NAME,
    ISO_DATETIME,
    ISO_DATETIME_WITH_OFFSET,
    PLACEHOLDERS,
    SLASH_DAY_FIRST,
    SLASH_MONTH_FIRST,
    SLASH_YEAR_FIRST,
    UNIX_MILLISECONDS,
    UNIX_SECONDS,
    DateFormat,
    currency_from_text,
    detect_datetime_format,
    install_macros,
    looks_like_mangled_id,
    normalize_header,
    parse_timestamps,
    split_unit,
)


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect(":memory:")
    install_macros(connection)
    yield connection
    connection.close()


def run_macro(con, macro: str, value, arg_type: str = "VARCHAR"):
    return con.execute(f"SELECT {macro}(?::{arg_type})", [value]).fetchone()[0]


SPEC_PLACEHOLDERS = [
    "",
    "-",
    "--",
    "---",
    "—",
    "–",
    "nan",
    "null",
    "none",
    "n/a",
    "na",
    "#n/a",
    "?",
    "(null)",
    "nil",
    "nill",
]


def test_placeholder_set_is_the_documented_one():
    assert PLACEHOLDERS == frozenset(SPEC_PLACEHOLDERS)


# --- sd_text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("abc", "abc"),
        ("  abc  ", "abc"),
        ("\u00a0abc\u00a0", "abc"),
        ("\u3000商品名称\u3000", "商品名称"),
        ("\ufeffName", "Name"),
        ("\u200bID\u200b", "ID"),
        ("\t x \r\n", "x"),
        ("a  b\u00a0c", "a  b\u00a0c"),  # inner text untouched
        ("N/A", None),
        ("  NULL ", None),
        ("\u00a0--\u00a0", None),
        ("None", None),
        ("#N/A", None),
        ("(null)", None),
        ("Nano", "Nano"),  # only whole-cell placeholders count
        ("Caf\u00e0", "Caf\u00e0"),  # à ends in the byte NBSP ends in: kept
        ("统一\u3000", "统一"),  # 一 ends in the byte the ideographic space ends in
        ("\u00a0" * 30 + "N/A", None),  # longer in bytes than a placeholder until trimmed
        ("-5", "-5"),
        (None, None),
    ],
)
def test_sd_text(con, raw, expected):
    assert run_macro(con, "sd_text", raw) == expected


# Characters whose UTF-8 ends in the same byte as an edge space's (à C3 A0 and NBSP C2 A0; 一 E4 B8 80 and the
# ideographic space E3 80 80; 濋 E6 BF 8B and the zero-width space E2 80 8B; ſ C5 BF and the BOM EF BB BF), beside
# the spaces themselves, letters of the placeholders and CJK text.
_TRICKY_EDGES = "à一濋ſ" + " \t\r\n\u00a0\u3000\ufeff\u200b" + "NnAaUuLlOoEe-/#?()" + "商品"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_TRICKY_EDGES, max_size=12))
def test_sd_text_trims_exactly_the_edge_spaces_and_empties_exactly_the_placeholders(con, raw):
    """The rule in Python: strip the edge spaces (EDGE_WHITESPACE, written out here), then a placeholder in any
    case is empty; a text ending in a character that only shares its last byte with an edge space is kept."""
    stripped = raw.strip(" \t\r\n\u00a0\u3000\ufeff\u200b")
    expected = None if stripped.lower() in SPEC_PLACEHOLDERS else stripped
    assert run_macro(con, "sd_text", raw) == expected


@pytest.mark.parametrize("placeholder", SPEC_PLACEHOLDERS + ["NaN", "NULL", " N/A ", "\u00a0-\u00a0"])
def test_placeholder_is_null_in_every_macro_never_zero(con, placeholder):
    assert run_macro(con, "sd_text", placeholder) is None
    assert run_macro(con, "sd_number", placeholder) is None
    assert run_macro(con, "sd_id", placeholder) is None
    assert run_macro(con, "sd_bool", placeholder) is None


@pytest.mark.parametrize(
    "macro, arg_type",
    [
        ("sd_text", "VARCHAR"),
        ("sd_number", "VARCHAR"),
        ("sd_id", "VARCHAR"),
        ("sd_id_num", "DOUBLE"),
        ("sd_bool", "VARCHAR"),
    ],
)
def test_null_in_null_out(con, macro, arg_type):
    assert run_macro(con, macro, None, arg_type) is None


# --- sd_number -------------------------------------------------------------------------

NUMBER_CURRENCY_CASES = [
    (text, expected)
    for mark in [
        "MX$",
        "CA$",
        "C$",
        "A$",
        "AU$",
        "HK$",
        "NT$",
        "US$",
        "S$",
        "R$",
        "$",
        "¥",
        "￥",
        "£",
        "€",
        "₹",
        "Rs.",
        "Rs",
        "INR",
        "USD",
        "CNY",
        "RMB",
        "GBP",
        "EUR",
        "CAD",
        "元",
        "円",
    ]
    for text, expected in [
        (f"{mark}1,234.50", 1234.5),
        (f"{mark} 1,234.50", 1234.5),
        (f"1,234.50{mark}", 1234.5),
        (f"1,234.50 {mark}", 1234.5),
    ]
]


@pytest.mark.parametrize("raw, expected", NUMBER_CURRENCY_CASES)
def test_sd_number_currency_marks(con, raw, expected):
    assert run_macro(con, "sd_number", raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("795,836", 795836.0),
        ("1,234.50", 1234.5),
        ("1,234,567.89", 1234567.89),
        ("12,34,567", 1234567.0),  # Indian lakh grouping, as in ₹ amounts
        ("1 234.50", 1234.5),
        ("1\u00a0234", 1234.0),
        ("  42 ", 42.0),
        ("+7", 7.0),
        ("−5", -5.0),  # unicode minus U+2212
        ("-5", -5.0),
        ("-$5.25", -5.25),
        ("$-5.25", -5.25),
        ("(1,234.50)", -1234.5),
        ("($1,234.50)", -1234.5),
        ("(£3)", -3.0),
        ("1.2E+5", 120000.0),
        ("2.5e-3", 0.0025),
        ("4.19763158", 4.19763158),
        (".5", 0.5),
        ("０.５", 0.5),  # full-width digits from a Chinese IME
        ("0", 0.0),
    ],
)
def test_sd_number_plain_forms(con, raw, expected):
    assert run_macro(con, "sd_number", raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("3.25%", 0.0325),
        ("0.0325", 0.0325),
        ("59.02%", 0.5902),
        ("100%", 1.0),
        ("3.25 %", 0.0325),
        ("３.２５％", 0.0325),
        ("-12.5%", -0.125),
    ],
)
def test_sd_number_percent_becomes_fraction_only_with_a_sign(con, raw, expected):
    assert run_macro(con, "sd_number", raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2.5K", 2500.0),
        ("3k", 3000.0),
        ("1.5M", 1500000.0),
        ("1.2万", 12000.0),
        ("3w", 30000.0),
        ("3W", 30000.0),
        ("2亿", 200000000.0),
        ("1.2万元", 12000.0),
        ("50+", 50.0),
        ("1K+", 1000.0),
        ("10万+", 100000.0),
    ],
)
def test_sd_number_magnitudes_and_at_least(con, raw, expected):
    assert run_macro(con, "sd_number", raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    "raw",
    [
        "< 10%",
        "<10%",
        "> 90%",
        ">90%",
        "abc",
        "1,5",
        "1,2345",
        "12abc",
        "$",
        "%",
        "1.2.3",
        "--5",
        "(-5)",
        "1e999",
        "2024-01-02",
        "K",
        "5 apples",
    ],
)
def test_sd_number_unreadable_or_bound_is_null(con, raw):
    assert run_macro(con, "sd_number", raw) is None


@settings(max_examples=200, deadline=None)
@given(
    value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    prefix=st.sampled_from(["", "$", "£", "€", "¥", "￥", "₹", "MX$", "US$", "Rs. ", "RMB "]),
)
def test_sd_number_reads_formatted_money_back(con, value, prefix):
    assert run_macro(con, "sd_number", f"{prefix}{value:,.2f}") == round(value, 2)


def test_sd_number_is_applied_column_wise(con):
    rows = con.execute(
        "SELECT sd_number(v) FROM (VALUES (1, '1,000'), (2, '--'), (3, '5%'), (4, NULL)) t(i, v) ORDER BY i"
    ).fetchall()
    assert rows == [(1000.0,), (None,), (0.05,), (None,)]


# --- IDs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("'123", "123"),
        ('="00123"', "00123"),
        ("00123", "00123"),
        (" 281772345678901234 ", "281772345678901234"),
        ("B07XJ8C8F5", "B07XJ8C8F5"),
        ("SKU-001 A", "SKU-001 A"),
        ("1.0", "1.0"),  # text IDs are never reinterpreted as numbers
        ("'", None),
        ("--", None),
    ],
)
def test_sd_id(con, raw, expected):
    assert run_macro(con, "sd_id", raw) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (708746.0, "708746"),
        (123.0, "123"),
        (-5.0, "-5"),
        (9007199254740991.0, "9007199254740991"),  # 2^53 - 1: still exact
        (9007199254740992.0, "9007199254740992.0"),  # 2^53: no longer guaranteed exact
        (0.1, "0.1"),
        (1.5, "1.5"),
        (float("nan"), None),
    ],
)
def test_sd_id_num(con, value, expected):
    assert run_macro(con, "sd_id_num", value, "DOUBLE") == expected


@pytest.mark.parametrize(
    "values, expected",
    [
        (["2.81772E+18"], True),
        (["123", "1.20253E+17", None], True),
        (["1.2e+17"], True),
        ([" 2.81772E+18 "], True),
        (["281772345678901234", "00123"], False),
        (["B07XJ8C8F5", "E+18"], False),
        ([None, "--"], False),
        ([], False),
    ],
)
def test_looks_like_mangled_id(values, expected):
    assert looks_like_mangled_id(values) is expected


# --- booleans --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("true", True),
        ("TRUE", True),
        ("True", True),
        ("yes", True),
        ("Y", True),
        ("1", True),
        ("是", True),
        ("false", False),
        ("FALSE", False),
        ("No", False),
        ("n", False),
        ("0", False),
        ("否", False),
        (" yes ", True),
        ("maybe", None),
        ("2", None),
        ("-", None),
    ],
)
def test_sd_bool(con, raw, expected):
    assert run_macro(con, "sd_bool", raw) is expected


# --- headers and units -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("(元)", "CNY"),
        ("元", "CNY"),
        ("（元）", "CNY"),
        ("￥", "CNY"),
        ("¥", "CNY"),
        ("RMB", "CNY"),
        ("₹", "INR"),
        ("Rs.", "INR"),
        ("Rs", "INR"),
        ("£", "GBP"),
        ("€", "EUR"),
        ("MX$", "MXN"),
        ("CA$", "CAD"),
        ("C$", "CAD"),
        ("A$", "AUD"),
        ("AU$", "AUD"),
        ("HK$", "HKD"),
        ("R$", "BRL"),
        ("S$", "SGD"),
        ("US$", "USD"),
        ("USD", "USD"),
        ("SGD", "SGD"),
        ("(SGD)", "SGD"),
        ("JPY", "JPY"),
        ("$", None),
        ("CTR", None),
        ("#", None),
        ("%", None),
        ("", None),
    ],
)
def test_currency_from_text(text, expected):
    assert currency_from_text(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sessions – Total", "sessions - total"),
        ("Sessions — Total", "sessions - total"),
        ("Sessions − Total", "sessions - total"),
        ("Ordered  Product  Sales", "ordered product sales"),
        ("（父）ASIN", "(父)asin"),
        (" 7 Day Total Sales ", "7 day total sales"),
        ("\ufeffName", "name"),
        ("Sess\u200bions", "sessions"),
        ("Units\u00a0Ordered", "units ordered"),
        ("Total Advertising Cost of Sales (ACOS) ", "total advertising cost of sales (acos)"),
        ("ＡＳＩＮ", "asin"),
        ("支付金额", "支付金额"),
    ],
)
def test_normalize_header(text, expected):
    assert normalize_header(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("14 Day Total Sales (₹)", ("14 day total sales", "₹")),
        ("Amount spent (SGD)", ("amount spent", "SGD")),
        ("成交花费(元)", ("成交花费", "元")),
        ("每笔成交花费（元）", ("每笔成交花费", "元")),
        ("7 Day Total Orders (#)", ("7 day total orders", "#")),
        ("Refund rate (%)", ("refund rate", "%")),
        ("Sales ($)", ("sales", "$")),
        ("Price (MX$)", ("price", "MX$")),
        ("CPM (cost per 1,000 impressions) (SGD)", ("cpm (cost per 1,000 impressions)", "SGD")),
        ("Click-Thru Rate (CTR)", ("click-thru rate (ctr)", None)),
        ("Total Advertising Cost of Sales (ACoS) ", ("total advertising cost of sales (acos)", None)),
        ("Sessions (All)", ("sessions (all)", None)),
        ("Spend", ("spend", None)),
    ],
)
def test_split_unit(text, expected):
    assert split_unit(text) == expected


# --- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, expected_format, expected_first",
    [
        (["2024-01-02"], ISO_DATETIME, datetime(2024, 1, 2)),
        (["2024-01-02 10:00:00"], ISO_DATETIME, datetime(2024, 1, 2, 10)),
        (["2024-01-02 10:00"], ISO_DATETIME, datetime(2024, 1, 2, 10)),
        (["2024-01-02T10:00:00"], ISO_DATETIME, datetime(2024, 1, 2, 10)),
        (["2024-01-02T10:00:00.123"], ISO_DATETIME, datetime(2024, 1, 2, 10, 0, 0, 123000)),
        (["2024-01-02 10:00:00.123456"], ISO_DATETIME, datetime(2024, 1, 2, 10, 0, 0, 123456)),
        (["2014-12-06 02"], ISO_DATETIME, datetime(2014, 12, 6, 2)),
        (["2024-01-02", "2024-01-03 04:05:06"], ISO_DATETIME, datetime(2024, 1, 2)),
        (["2024-01-02T10:00:00Z"], ISO_DATETIME_WITH_OFFSET, datetime(2024, 1, 2, 10)),
        (["2024-05-01 10:00:00 +0000"], ISO_DATETIME_WITH_OFFSET, datetime(2024, 5, 1, 10)),
        (["2024-05-01T10:00:00+08:00"], ISO_DATETIME_WITH_OFFSET, datetime(2024, 5, 1, 2)),
        (["2024-05-01 10:00:00 -0500"], ISO_DATETIME_WITH_OFFSET, datetime(2024, 5, 1, 15)),
        (["2024-01-02T10:00:00.5Z"], ISO_DATETIME_WITH_OFFSET, datetime(2024, 1, 2, 10, 0, 0, 500000)),
        (["2024/1/2"], SLASH_YEAR_FIRST, datetime(2024, 1, 2)),
        (["2016/11/5"], SLASH_YEAR_FIRST, datetime(2016, 11, 5)),
        (["2024/01/02 10:00:00"], SLASH_YEAR_FIRST, datetime(2024, 1, 2, 10)),
        (["2024年1月2日"], CHINESE_YEAR_FIRST, datetime(2024, 1, 2)),
        (["2024年01月02日 10:00:00"], CHINESE_YEAR_FIRST, datetime(2024, 1, 2, 10)),
        (["20240102"], COMPACT_YEAR_FIRST, datetime(2024, 1, 2)),
        (["8/3/26"], SLASH_MONTH_FIRST, datetime(2026, 8, 3)),
        (["08/03/2026"], SLASH_MONTH_FIRST, datetime(2026, 8, 3)),
        (["04-30-22"], DASH_MONTH_FIRST, datetime(2022, 4, 30)),
        (["30/04/2022"], SLASH_DAY_FIRST, datetime(2022, 4, 30)),
        # every value fits both orders except one: that one decides for the whole column
        (["03/04/2022", "13/04/2022"], SLASH_DAY_FIRST, datetime(2022, 4, 3)),
        # every value fits both orders: month-first (US reports) wins
        (["03/04/2022", "05/06/2022"], SLASH_MONTH_FIRST, datetime(2022, 3, 4)),
        (["Feb 1, 2020"], ENGLISH_MONTH_NAME, datetime(2020, 2, 1)),
        (["February 1, 2020"], ENGLISH_MONTH_NAME, datetime(2020, 2, 1)),
        (["1 Feb 2020"], ENGLISH_MONTH_NAME, datetime(2020, 2, 1)),
        (["1 September 2026"], ENGLISH_MONTH_NAME, datetime(2026, 9, 1)),
        # 1511544070 s = 17494 days + 62470 s after 1970-01-01 = 2017-11-24 17:21:10 UTC
        (["1511544070"], UNIX_SECONDS, datetime(2017, 11, 24, 17, 21, 10)),
        (["1511544070123"], UNIX_MILLISECONDS, datetime(2017, 11, 24, 17, 21, 10, 123000)),
        ([None, "--", "2024-01-02", ""], ISO_DATETIME, None),
    ],
)
def test_detect_datetime_format_and_parse(values, expected_format, expected_first):
    assert detect_datetime_format(values) == expected_format
    assert parse_timestamps(values)[0] == expected_first


@pytest.mark.parametrize(
    "values",
    [
        ["30/04/2022", "04/30/2022"],  # one day-first-only and one month-first-only value
        ["13/01/2024", "12/31/2024", "01/02/2024"],
        ["2024-01-02", "hello"],
        ["2024-02-30"],
        ["123"],
        ["1511544070", "1511544070123"],
        ["0946684799"],  # 10 digits but before 2000-01-01
        [None, "--", "n/a"],
        [],
    ],
)
def test_detect_datetime_format_refuses_to_guess(values):
    assert detect_datetime_format(values) is None


def test_parse_timestamps_keeps_order_and_nulls():
    values = ["2024-01-03", None, "--", "2024-01-01"]
    assert parse_timestamps(values) == [datetime(2024, 1, 3), None, None, datetime(2024, 1, 1)]


def test_parse_timestamps_of_only_placeholders_is_all_null():
    assert parse_timestamps(["--", None]) == [None, None]


def test_parse_timestamps_raises_when_no_single_format_fits():
    with pytest.raises(ValidateError):
        parse_timestamps(["30/04/2022", "04/30/2022"])


@pytest.mark.parametrize(
    "date_format, raw, expected",
    [
        (ISO_DATETIME, "2024-01-02 10:00:00", datetime(2024, 1, 2, 10)),
        (ISO_DATETIME, "\u00a02024-01-02\u3000", datetime(2024, 1, 2)),
        (ISO_DATETIME, "2024-02-30", None),
        (ISO_DATETIME, "--", None),
        (ISO_DATETIME, None, None),
        (ISO_DATETIME, "0024-01-02", None),  # outside the plausible years
        (ISO_DATETIME_WITH_OFFSET, "2024-05-01T10:00:00+08:00", datetime(2024, 5, 1, 2)),
        (ISO_DATETIME_WITH_OFFSET, "2024-01-01T05:00:00+08:00", datetime(2023, 12, 31, 21)),
        (ISO_DATETIME_WITH_OFFSET, "2024-05-01 10:00:00 +0000", datetime(2024, 5, 1, 10)),
        (ISO_DATETIME_WITH_OFFSET, "2024-01-02T10:00:00Z", datetime(2024, 1, 2, 10)),
        (SLASH_MONTH_FIRST, "8/3/26", datetime(2026, 8, 3)),
        (SLASH_MONTH_FIRST, "30/04/2022", None),
        (SLASH_DAY_FIRST, "30/04/2022", datetime(2022, 4, 30)),
        (UNIX_SECONDS, "1511544070", datetime(2017, 11, 24, 17, 21, 10)),
        (UNIX_SECONDS, "946684800", None),  # 9 digits
        (UNIX_SECONDS, "4102444800", None),  # 2100-01-01: outside the accepted window
        (UNIX_MILLISECONDS, "1511544070123", datetime(2017, 11, 24, 17, 21, 10, 123000)),
        (UNIX_MILLISECONDS, "1511544070", None),
    ],
)
def test_date_format_sql_runs_in_duckdb(date_format, raw, expected):
    with duckdb.connect(":memory:") as con:
        install_macros(con)
        # The session time zone must not shift offset-carrying values.
        con.execute("SET TimeZone = 'Asia/Tokyo'")
        result = con.execute(f"SELECT {date_format.sql('raw')} FROM (SELECT ?::VARCHAR AS raw)", [raw]).fetchone()[0]
    assert result == expected


@pytest.mark.parametrize(
    "kind, patterns",
    [
        ("strptime", ()),
        ("strptime", ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S%z")),
        ("excel_serial", ()),
    ],
)
def test_date_format_rejects_inconsistent_definitions(kind, patterns):
    with pytest.raises(ValueError):
        DateFormat(kind, patterns)


def test_candidates_are_data_in_priority_order():
    assert DATETIME_CANDIDATES.index(SLASH_MONTH_FIRST) < DATETIME_CANDIDATES.index(SLASH_DAY_FIRST)
    assert all(isinstance(candidate, DateFormat) for candidate in DATETIME_CANDIDATES)
