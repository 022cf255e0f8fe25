"""Cleaning rules no test checked until a mutation run (`make mutation MODULES=clean`) changed them unnoticed.

Each test asserts a value worked out by hand, through the public functions a load uses.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from shopdata.errors import ValidateError
from shopdata.i18n import localize
from shopdata.ingest.clean import (
    ISO_DATETIME,
    UNIX_MILLISECONDS,
    DateFormat,
    currency_from_text,
    detect_datetime_format,
    install_macros,
    looks_like_mangled_id,
    parse_timestamps,
)


@pytest.mark.parametrize("placeholder", ["N/A", "NaN", "NULL", "None", "\u200bn/a", "\ufeff--"])
def test_a_date_column_with_placeholders_in_any_case_or_behind_invisible_characters_is_still_a_date_column(
    placeholder,
):
    values = ["2026-11-02", placeholder, "2026-11-03 08:30:00"]
    assert detect_datetime_format(values) == ISO_DATETIME
    assert parse_timestamps(values) == [datetime(2026, 11, 2), None, datetime(2026, 11, 3, 8, 30)]


@pytest.mark.parametrize("cell", ["\ufeff2.81772E+18", "\u200b2.81772E+18\u200b", "\u30002.81772E+18"])
def test_an_id_mangled_by_a_spreadsheet_is_recognised_behind_invisible_characters(cell):
    assert looks_like_mangled_id(["1001", cell]) is True


@pytest.mark.parametrize("text, code", [("(XOF)", "XOF"), ("（XAF）", "XAF"), ("XPF", "XPF")])
def test_currency_codes_starting_with_x_are_read_from_a_header_unit(text, code):
    assert currency_from_text(text) == code


def test_a_thirteen_digit_counter_past_2100_is_not_read_as_milliseconds():
    # 4 102 444 800 s after 1970-01-01 is 2100-01-01 00:00 UTC, the end of the accepted window.
    assert detect_datetime_format(["4102444800000"]) is None
    assert parse_timestamps(["4102444799999"]) == [datetime(2099, 12, 31, 23, 59, 59, 999000)]
    assert detect_datetime_format(["4102444799999"]) == UNIX_MILLISECONDS


def test_mixed_dates_are_refused_with_the_reason_and_what_to_check():
    with pytest.raises(ValidateError) as refused:
        parse_timestamps(["30/04/2022", "04/30/2022"])
    text = localize(refused.value.as_message(), "en")
    assert "no single date format reads every value in this column" in text
    assert "check for mixed day-first and month-first dates" in text


def test_a_date_format_made_at_run_time_is_checked_and_usable():
    assert DateFormat("strptime", ("%Y-%m-%d",)).patterns == ("%Y-%m-%d",)
    assert DateFormat("strptime", ("%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%z")).has_offset
    with pytest.raises(ValueError, match="^unknown date format kind 'excel_serial'$"):
        DateFormat("excel_serial")
    with pytest.raises(ValueError, match="^a strptime date format needs at least one pattern$"):
        DateFormat("strptime")
    with pytest.raises(ValueError, match="^patterns with and without %z cannot share one DateFormat$"):
        DateFormat("strptime", ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S%z"))


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2.5K%", 25.0),  # 2.5 × 10³ %, = 2500 / 100
        ("1.5万%", 150.0),  # 1.5 × 10⁴ %
        ("3w%", 300.0),
        ("-0.2亿%", -200_000.0),  # -0.2 × 10⁸ / 100
    ],
)
def test_a_magnitude_followed_by_a_percent_sign_is_both(raw, expected):
    with duckdb.connect(":memory:") as con:
        install_macros(con)
        assert con.execute("SELECT sd_number(?)", [raw]).fetchone() == (pytest.approx(expected),)


def test_reading_a_date_column_leaves_no_file_behind(tmp_path, monkeypatch):
    # The date checks run on a throwaway in-memory database; a database file in the working folder would be
    # left behind, and would be shared by two imports running at once.
    monkeypatch.chdir(tmp_path)
    assert detect_datetime_format(["2026-11-02"]) == ISO_DATETIME
    assert parse_timestamps(["2026-11-02"]) == [datetime(2026, 11, 2)]
    assert list(tmp_path.iterdir()) == []
