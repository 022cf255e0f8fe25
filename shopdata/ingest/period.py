"""Reporting periods written in report preambles and in export file names.

A by-ASIN Amazon report or a 生意参谋 .xls has no date column: the period lives in a
preamble line ("1 September 2026 - 30 September 2026", "# Start date: 20240101") or in the
file name. A period is only ever read from text that states a year; nothing is guessed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from shopdata.ingest.clean import normalize_header

MONTH_NUMBERS: dict[str, int] = {
    **{calendar.month_name[m].lower(): m for m in range(1, 13)},
    **{calendar.month_abbr[m].lower(): m for m in range(1, 13)},
    "sept": 9,
}

# Words and marks between the two ends of a range.
RANGE_SEPARATORS: tuple[str, ...] = ("-", "–", "—", "~", "～", "至", "到", "to", "through", "until")

# Key-value preamble keys (compared after normalize_header).
SHOP_KEYS: frozenset[str] = frozenset({"店铺名称", "店铺名", "店铺", "shop", "shop name", "store", "store name"})
START_DATE_KEYS: frozenset[str] = frozenset({"start date", "开始日期", "起始日期"})
END_DATE_KEYS: frozenset[str] = frozenset({"end date", "结束日期", "截止日期"})

_MONTH = "(?P<{name}>" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_NOT_LETTER_BEFORE = r"(?<![A-Za-z])"
_NOT_LETTER_AFTER = r"(?![A-Za-z])"

# One alternative per way a day or a month is written. Full dates come before month-only
# forms so "2024年1月1日" is not read as the month "2024年1月".
DAY_PATTERNS: tuple[str, ...] = (
    r"(?<!\d)(?P<y1>\d{4})(?P<sep>[-/.])(?P<m1>\d{1,2})(?P=sep)(?P<d1>\d{1,2})(?!\d)",
    r"(?<!\d)(?P<y2>\d{4})年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日",
    r"(?<!\d)(?P<y3>\d{4})(?P<m3>\d{2})(?P<d3>\d{2})(?!\d)",
    r"(?<!\d)(?P<d4>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH.format(name="mon4") + r",?\s+(?P<y4>\d{4})(?!\d)",
    _NOT_LETTER_BEFORE + _MONTH.format(name="mon5") + r"\s+(?P<d5>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y5>\d{4})(?!\d)",
)
MONTH_PATTERNS: tuple[str, ...] = (
    r"(?<!\d)(?P<y6>\d{4})年(?P<m6>\d{1,2})月(?!\d)",
    _NOT_LETTER_BEFORE + _MONTH.format(name="mon7") + _NOT_LETTER_AFTER + r"[\s\-/,]*(?P<y7>\d{4})(?!\d)",
)
_TOKEN = re.compile("|".join(f"(?:{p})" for p in DAY_PATTERNS + MONTH_PATTERNS), re.IGNORECASE)

# Groups of each alternative above: (year, month number, month name, day); day None = whole month.
_TOKEN_GROUPS: tuple[tuple[str, str | None, str | None, str | None], ...] = (
    ("y1", "m1", None, "d1"),
    ("y2", "m2", None, "d2"),
    ("y3", "m3", None, "d3"),
    ("y4", None, "mon4", "d4"),
    ("y5", None, "mon5", "d5"),
    ("y6", "m6", None, None),
    ("y7", None, "mon7", None),
)

_RANGE_SEPARATOR = re.compile(r"\s*(?:" + "|".join(re.escape(s) for s in RANGE_SEPARATORS) + r")?\s*", re.IGNORECASE)

# Export timestamps in file names ("计划报表_20240102_101010.csv"): the moment of the
# download, not the period the data covers, so they are removed before reading a period.
FILE_NAME_TIMESTAMPS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<!\d)\d{8}[_\-T ]?\d{6}(?!\d)"),
    re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}[_T ]\d{2}[-:.]\d{2}[-:.]\d{2}(?!\d)"),
)

_KEY_VALUE = re.compile(r"^(?P<key>[^:：]{1,40})[:：]\s*(?P<value>.*)$")
# Around a preamble line read from CSV: empty cells' commas, tabs, line ends, a BOM.
_CSV_LINE_NOISE = " \t\r\n,\ufeff"


@dataclass(frozen=True)
class Preamble:
    title: str | None
    date_from: date | None
    date_to: date | None
    shop: str | None
    lines: tuple[str, ...]  # the non-empty preamble lines, cleaned of CSV quoting, for display


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    first_day: date
    last_day: date


def _token_from_match(match: re.Match[str]) -> _Token | None:
    for year_group, month_group, month_name_group, day_group in _TOKEN_GROUPS:
        if match.group(year_group) is None:
            continue
        year = int(match.group(year_group))
        if month_group is not None:
            month = int(match.group(month_group))
        elif month_name_group is not None:
            month = MONTH_NUMBERS[match.group(month_name_group).lower()]
        else:  # every token pattern has a month number or a month name
            continue
        try:
            if day_group is None:
                last = calendar.monthrange(year, month)[1]
                first_day, last_day = date(year, month, 1), date(year, month, last)
            else:
                first_day = last_day = date(year, month, int(match.group(day_group)))
        except ValueError:
            return None  # not a calendar date (month 13, 30 February, an 8-digit counter)
        return _Token(match.start(), match.end(), first_day, last_day)
    return None


def _tokens(text: str) -> list[_Token] | None:
    """Date tokens in order; None when something date-shaped is not a real date."""
    tokens = []
    for match in _TOKEN.finditer(text):
        token = _token_from_match(match)
        if token is None:
            return None
        tokens.append(token)
    return tokens


def _period_from_tokens(text: str, tokens: list[_Token]) -> tuple[date, date] | None:
    if len(tokens) == 1:
        return tokens[0].first_day, tokens[0].last_day
    if len(tokens) == 2:
        first, second = tokens
        if not _RANGE_SEPARATOR.fullmatch(text[first.end : second.start]):
            return None
        if second.last_day < first.first_day:
            return None
        return first.first_day, second.last_day
    return None


def _strip_csv_noise(line: str) -> str:
    text = line.strip(_CSV_LINE_NOISE)
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return text.strip()


def parse_period_text(text: str) -> tuple[date, date] | None:
    """(first day, last day) stated by a line such as '2024-01-01 ~ 2024-01-07', else None.

    Text around the dates may be a label ("统计日期：") but must hold no other digits, so an
    export time ("2024-01-05 10:00:00") or a line of figures is not taken for a period.
    """
    cleaned = _strip_csv_noise(text)
    tokens = _tokens(cleaned)
    if not tokens:
        return None
    outside = cleaned[: tokens[0].start] + cleaned[tokens[-1].end :]
    if any(ch.isdigit() for ch in outside):
        return None
    return _period_from_tokens(cleaned, tokens)


def _preamble_line_text(line: str) -> str:
    # GA4 writes its metadata as "# Start date: 20240101" comment lines.
    return _strip_csv_noise(_strip_csv_noise(line).lstrip("#"))


def _single_day(text: str) -> date | None:
    period = parse_period_text(text)
    if period is None or period[0] != period[1]:
        return None
    return period[0]


def parse_preamble(lines: Sequence[str]) -> Preamble:
    """Title, period and shop from the lines above a report's header row."""
    kept = tuple(t for t in (_preamble_line_text(line) for line in lines) if t)
    title = shop = None
    period: tuple[date, date] | None = None
    start = end = None
    for text in kept:
        key_value = _KEY_VALUE.match(text)
        key = normalize_header(key_value.group("key")) if key_value else None
        value = key_value.group("value").strip() if key_value else ""
        line_period = parse_period_text(text)
        if key in SHOP_KEYS and value and shop is None:
            shop = value
        elif key in START_DATE_KEYS and start is None:
            start = _single_day(value)
        elif key in END_DATE_KEYS and end is None:
            end = _single_day(value)
        elif line_period is not None:
            period = period or line_period
        elif key_value is None and title is None and any(ch.isalnum() for ch in text):
            title = text
    date_from, date_to = period if period is not None else (start, end)
    return Preamble(title=title, date_from=date_from, date_to=date_to, shop=shop, lines=kept)


_UNDERSCORE_DAY = re.compile(r"(?<!\d)(\d{4})_(\d{1,2})_(\d{1,2})(?!\d)")


def period_from_file_name(name: str) -> tuple[date, date] | None:
    """Period stated in an export's file name, or None when it states none (or no year)."""
    stem = PurePath(name).stem
    for timestamp in FILE_NAME_TIMESTAMPS:
        stem = timestamp.sub(" ", stem)
    # A day written with underscores (抖音电商罗盘: "商品卡_2024_11_01~2024_11_30") is one token, not three numbers.
    stem = _UNDERSCORE_DAY.sub(r"\1-\2-\3", stem)
    # Underscores join words in file names; as spaces they separate tokens and range ends.
    stem = stem.replace("_", " ")
    tokens = _tokens(stem)
    if not tokens:
        return None
    return _period_from_tokens(stem, tokens)
