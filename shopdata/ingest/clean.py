"""Cell-level cleaning rules for exported spreadsheets.

Value rules run inside DuckDB as SQL macros so a 1M-row file is cleaned in one vectorised
pass and the ingest pipeline, the tests and any ad-hoc query share one definition.
(DuckDB here is a compute engine, not the warehouse: the in-memory connections below hold
nothing but the sample values being checked.)
Decisions that hold for a whole column (which date format it uses, whether its IDs were
already mangled by a spreadsheet) are taken once in Python from a sample of raw values.
Every rule below is driven by the data constants at the top of the module.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from shopdata.errors import ValidateError
from shopdata.i18n import Message

# Characters exports leave around a value: NBSP from HTML-table .xls, U+3000 from Chinese
# IMEs, a BOM glued to the first cell, zero-width spaces from copy/paste.
EDGE_WHITESPACE = " \t\r\n\u00a0\u3000\ufeff\u200b"

# Cells that mean "no value". Compared after trimming and lower-casing.
PLACEHOLDER_MAX_LENGTH = 6  # longest placeholder below; lets sd_text skip lower() on longer text
PLACEHOLDERS: frozenset[str] = frozenset(
    {"", "-", "--", "---", "—", "–", "nan", "null", "none", "n/a", "na", "#n/a", "?", "(null)", "nil", "nill"}
)

# Currency marks seen in money cells, as prefix or suffix of the number.
CURRENCY_MARKS: tuple[str, ...] = (
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
)

# Multipliers written after a number, as powers of ten (Keepa "2.5K", Chinese "1.2万";
# "w" is pinyin shorthand for 万). A trailing "%" is one more power: -2.
MAGNITUDE_EXPONENTS: dict[str, int] = {"K": 3, "k": 3, "M": 6, "万": 4, "w": 4, "W": 4, "亿": 8}
PERCENT_SIGN = "%"
PERCENT_EXPONENT = -2

# Look-alike characters normalised before a number is read: the unicode minus, and the
# full-width forms Chinese input methods produce.
NUMBER_CHAR_MAP: dict[str, str] = {
    "−": "-",
    "％": "%",
    "＋": "+",
    "－": "-",
    "，": ",",
    "．": ".",
    "（": "(",
    "）": ")",
    **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
}

# Whitespace that may sit inside a number ("1 234.50", NBSP and narrow NBSP as group separators).
NUMBER_INNER_SPACE = r"[\s\x{00A0}\x{202F}\x{2009}\x{3000}\x{FEFF}\x{200B}]"

# Digits of a number: plain, western thousands groups ("1,234,567") or Indian lakh groups
# ("12,34,567", used with ₹). A comma anywhere else makes the value unreadable rather than
# silently turning "1,5" into 15.
NUMBER_DIGITS = (
    r"(?:(?:\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3}|\d+)(?:\.\d*)?|\.\d+)"
    r"(?:[eE][+\-]?\d+)?"
)

TRUE_WORDS: frozenset[str] = frozenset({"true", "yes", "y", "1", "是"})
FALSE_WORDS: frozenset[str] = frozenset({"false", "no", "n", "0", "否"})

# A whole-number ID survives a float only below 2^53; beyond that digits are already lost.
EXACT_FLOAT_INTEGER_LIMIT = 2**53

# What a spreadsheet writes after it reads a long ID as a number: "2.81772E+18".
MANGLED_ID_PATTERN = re.compile(r"[+\-]?\d(?:\.\d+)?[eE]\+?\d+")

# ISO 4217 currency codes in use. A bracketed three-letter word is only a currency unit
# when it is one of these, so "(CTR)" or "(ROAS)" stay part of the header.
ISO_CURRENCY_CODES: frozenset[str] = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
    FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
    KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
    MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
    RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
    TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW
    ZWL
    """.split()
)

# Non-ISO marks and their currency. A bare "$" is deliberately absent: it is USD, CAD, AUD,
# MXN, SGD... depending on the marketplace, so it must come from elsewhere.
CURRENCY_BY_MARK: dict[str, str] = {
    "元": "CNY",
    "¥": "CNY",
    "￥": "CNY",
    "RMB": "CNY",
    "₹": "INR",
    "Rs.": "INR",
    "Rs": "INR",
    "£": "GBP",
    "€": "EUR",
    "MX$": "MXN",
    "CA$": "CAD",
    "C$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "HK$": "HKD",
    "NT$": "TWD",
    "R$": "BRL",
    "S$": "SGD",
    "US$": "USD",
}

# Bracketed header suffixes that are units rather than part of the name.
UNIT_MARKS: frozenset[str] = frozenset(CURRENCY_MARKS) | {"#", "%"}

# Dashes and invisible characters normalise_header folds away (NFKC keeps them).
HEADER_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
HEADER_INVISIBLES = "\ufeff\u200b\u200c\u200d\u2060"
_HEADER_FOLD = str.maketrans({**{d: "-" for d in HEADER_DASHES}, **{z: "" for z in HEADER_INVISIBLES}})
_TRAILING_BRACKET = re.compile(r"^(?P<name>.*?)\s*\((?P<unit>[^()]*)\)$")
_WHITESPACE_RUN = re.compile(r"\s+")


# Shapes the sd_number fast paths accept; anything else takes the full rules.
_FAST_DIGITS = r"([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?"
FAST_PLAIN_NUMBER = r"[+\-]?[0-9]+(\.[0-9]+)?"
FAST_GROUPED_NUMBER = r"[+\-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?"
FAST_MONEY = r"(\$|US\$|Rs\.|£|€|¥|￥|₹)" + _FAST_DIGITS
FAST_PERCENT = r"[+\-]?[0-9]+(\.[0-9]+)?%"


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ends_with_any(expr: str, characters: Iterable[str]) -> str:
    """SQL: the text `expr` ends with one of `characters`. A valid UTF-8 text ends with a character's bytes exactly
    when that is its last character (no character's bytes end inside another's), and ends_with compares bytes from
    the end, where ord(right(x, 1)) counts the whole text's characters first: 0.09 against 0.23 s for six columns of
    a million cells, eight characters asked."""
    return "(" + " OR ".join(f"ends_with({expr}, {_sql_literal(c)})" for c in sorted(set(characters))) + ")"


def _sql_list(values: Sequence[str] | frozenset[str]) -> str:
    return ", ".join(_sql_literal(v) for v in sorted(values))


def _regex_alternation(marks: Sequence[str]) -> str:
    # Longest first so "MX$" wins over "$" and "Rs." over "Rs" (RE2 alternation is leftmost-first).
    ordered = sorted(marks, key=len, reverse=True)
    return "|".join(re.escape(m) for m in ordered)


def _suffix_exponents() -> dict[str, int]:
    """Every suffix a number may end with, mapped to the power of ten it stands for."""
    exponents = {mark + PERCENT_SIGN: exp + PERCENT_EXPONENT for mark, exp in MAGNITUDE_EXPONENTS.items()}
    exponents.update(MAGNITUDE_EXPONENTS)
    exponents[PERCENT_SIGN] = PERCENT_EXPONENT
    return exponents


def _macro_sql() -> str:
    trim_chars = _sql_literal(EDGE_WHITESPACE)
    edge_codes = "[" + ", ".join(str(ord(c)) for c in sorted(EDGE_WHITESPACE)) + "]"
    currency = f"(?i:{_regex_alternation(CURRENCY_MARKS)})"
    unified = (
        f"translate(sd_text(x), {_sql_literal(''.join(NUMBER_CHAR_MAP))}, "
        f"{_sql_literal(''.join(NUMBER_CHAR_MAP.values()))})"
    )
    # The sign or accounting bracket before/after a currency mark is kept for the next steps.
    currency_prefix = _sql_literal(r"^([(+\-]*)(?:" + currency + ")")
    currency_suffix = _sql_literal("(?:" + currency + r")([)]?)$")
    # A whole valid number is kept; anything else becomes '' (and then NULL) in the same
    # call, so the commas of "1,5" are never stripped into 15.
    valid_number = _sql_literal(
        r"^([+\-]?" + NUMBER_DIGITS + "[" + "".join(MAGNITUDE_EXPONENTS) + r"]?\+?" + PERCENT_SIGN + "?)$|^.+$"
    )
    # Suffixes become a decimal exponent ("3.25%" -> "3.25e-2", "2.5K" -> "2.5e3"), so the
    # cast rounds once, exactly as the decimal text says. Longest suffixes are replaced first.
    as_exponent = "s"
    for suffix, exponent in sorted(_suffix_exponents().items(), key=lambda item: -len(item[0])):
        as_exponent = f"replace({as_exponent}, {_sql_literal(suffix)}, 'e{exponent}')"
    return f"""
-- Membership tests use list_contains: DuckDB plans a constant IN list as a join for every use,
-- and macros repeat their argument expressions, which made one 100k-row file take seconds.
-- Most cells neither start nor end with white space and need no trimming; trim() with a character
-- list costs ~1.5 s per million cells (more with CJK text), so it only runs on the others.
CREATE OR REPLACE TEMP MACRO sd_trim(x VARCHAR) AS
    CASE WHEN NOT list_contains({edge_codes}, ord(x)) AND NOT {ends_with_any("x", EDGE_WHITESPACE)} THEN x
         ELSE trim(x, {trim_chars}) END;

-- strlen (bytes, stored with the text) before length (characters, counted): a character is at most 4 bytes, so a
-- text of more bytes than that allows is no placeholder, and most texts are longer than any.
CREATE OR REPLACE TEMP MACRO sd_text(x VARCHAR) AS
    CASE WHEN strlen(sd_trim(x)) <= {4 * PLACEHOLDER_MAX_LENGTH} AND length(sd_trim(x)) <= {PLACEHOLDER_MAX_LENGTH}
              AND list_contains([{_sql_list(PLACEHOLDERS)}], lower(sd_trim(x)))
         THEN NULL ELSE sd_trim(x) END;

-- Strip what surrounds the digits: look-alike characters, inner spaces, currency marks
-- (keeping a sign or an accounting bracket that precedes/follows them), accounting brackets.
CREATE OR REPLACE TEMP MACRO sd_number_core(x VARCHAR) AS
    regexp_replace(
        regexp_replace(
            regexp_replace(
                regexp_replace({unified}, {_sql_literal(NUMBER_INNER_SPACE)}, '', 'g'),
                {currency_prefix}, '\\1'),
            {currency_suffix}, '\\1'),
        '^\\((.*)\\)$', '-\\1');

-- Commas (validated as group separators) and "at least" / leading plus signs carry no value.
CREATE OR REPLACE TEMP MACRO sd_number_canonical(x VARCHAR) AS
    regexp_replace(regexp_replace(sd_number_core(x), {valid_number}, '\\1'), '[,+]', '', 'g');

CREATE OR REPLACE TEMP MACRO sd_number_scientific(s VARCHAR) AS {as_exponent};

-- Each step above uses its input once: macros expand textually, and a repeated argument
-- would repeat the whole regex chain in the plan. The one-element list binds the cast value
-- once so an overflowing exponent ("1e999" casts to infinity) can be dropped as unreadable.
CREATE OR REPLACE TEMP MACRO sd_number_full(x VARCHAR) AS
    [v FOR v IN [TRY_CAST(sd_number_scientific(sd_number_canonical(x)) AS DOUBLE)] IF isfinite(v)][1];

-- Fast paths for the shapes nearly every cell has ("12.5", "1,234.50", "$12.50", "Rs.201.68", "3.25%"):
-- one anchored regex each instead of the full chain, which costs ~2 s per million cells.
CREATE OR REPLACE TEMP MACRO sd_number(x VARCHAR) AS
    CASE WHEN regexp_full_match(x, {_sql_literal(FAST_PLAIN_NUMBER)}) THEN CAST(x AS DOUBLE)
         WHEN regexp_full_match(x, {_sql_literal(FAST_GROUPED_NUMBER)}) THEN CAST(replace(x, ',', '') AS DOUBLE)
         WHEN regexp_full_match(x, {_sql_literal(FAST_MONEY)})
              THEN CAST(replace(regexp_replace(x, '^[^0-9]+', ''), ',', '') AS DOUBLE)
         WHEN regexp_full_match(x, {_sql_literal(FAST_PERCENT)}) THEN CAST(replace(x, '%', 'e-2') AS DOUBLE)
         ELSE sd_number_full(x) END;

CREATE OR REPLACE TEMP MACRO sd_id(x VARCHAR) AS
    CASE WHEN left(sd_text(x), 1) IN ('=', '''')
         THEN nullif(regexp_replace(regexp_replace(sd_text(x), '^="(.*)"$', '\\1'), '^''', ''), '')
         ELSE sd_text(x) END;

-- NaN is how dataframe readers represent an empty numeric cell, so it is a missing ID.
CREATE OR REPLACE TEMP MACRO sd_id_num(x DOUBLE) AS
    CASE WHEN isnan(x) THEN NULL
         WHEN x = trunc(x) AND abs(x) < {EXACT_FLOAT_INTEGER_LIMIT} THEN CAST(CAST(x AS BIGINT) AS VARCHAR)
         ELSE CAST(x AS VARCHAR) END;

CREATE OR REPLACE TEMP MACRO sd_bool(x VARCHAR) AS
    CASE WHEN list_contains([{_sql_list(TRUE_WORDS)}], lower(sd_text(x))) THEN true
         WHEN list_contains([{_sql_list(FALSE_WORDS)}], lower(sd_text(x))) THEN false END;
"""


MACRO_SQL = _macro_sql()


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the sd_* cleaning macros on this connection (temp: they live per connection).

    sd_number_core, sd_number_canonical and sd_number_scientific are steps of sd_number.
    """
    con.execute(MACRO_SQL)


def _trim_edges(text: str) -> str:
    return text.strip(EDGE_WHITESPACE)


def _is_placeholder(value: str | None) -> bool:
    return value is None or _trim_edges(value).lower() in PLACEHOLDERS


def looks_like_mangled_id(values: Sequence[str | None]) -> bool:
    """True when a spreadsheet already rewrote a long ID in scientific notation (digits lost)."""
    return any(value is not None and MANGLED_ID_PATTERN.fullmatch(_trim_edges(value)) is not None for value in values)


def _currency_code(mark: str) -> str | None:
    if mark in CURRENCY_BY_MARK:
        return CURRENCY_BY_MARK[mark]
    # Codes count only when written in capitals: exports write "USD", while a lower- or
    # mixed-case bracketed word such as "(All)" or "(Top)" is part of a header name.
    if mark in ISO_CURRENCY_CODES:
        return mark
    return None


def currency_from_text(text: str) -> str | None:
    """ISO currency code for a header unit like '(元)' or a value mark like '₹'; None for '$'."""
    # NFKC folds full-width brackets and letters ("（元）", "ＵＳＤ") to their ASCII forms.
    mark = unicodedata.normalize("NFKC", text).strip().strip("()").strip()
    return _currency_code(mark)


def _fold_header(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_HEADER_FOLD)
    return _WHITESPACE_RUN.sub(" ", folded).strip()


def normalize_header(text: str) -> str:
    """Header text reduced to the form header synonyms are matched in."""
    return _fold_header(text).lower()


def _is_unit(mark: str) -> bool:
    return mark in UNIT_MARKS or _currency_code(mark) is not None


def split_unit(text: str) -> tuple[str, str | None]:
    """Normalised header name and its trailing bracketed unit ('₹', 'SGD', '元', '#', '%')."""
    folded = _fold_header(text)
    match = _TRAILING_BRACKET.match(folded)
    if match is None:
        return folded.lower(), None
    unit = match.group("unit").strip()
    if not _is_unit(unit):
        return folded.lower(), None
    return match.group("name").lower(), unit


# Dates and times ---------------------------------------------------------------------------

# Years outside this window are misreads (e.g. "01-02-03" read as year 1 under %Y), not data.
PLAUSIBLE_YEARS = (1900, 2100)

# Unix timestamps are accepted only between 2000-01-01 and 2100-01-01 UTC so ordinary
# 10- and 13-digit counters are not mistaken for times.
UNIX_SECONDS_RANGE = (946_684_800, 4_102_444_800)
UNIX_DIGITS = {"unix_s": 10, "unix_ms": 13}
UNIX_MICROS_PER_UNIT = {"unix_s": 1_000_000, "unix_ms": 1_000}


@dataclass(frozen=True)
class DateFormat:
    kind: str  # 'strptime' | 'unix_s' | 'unix_ms'
    patterns: tuple[str, ...] = ()  # DuckDB strptime patterns tried in order (kind 'strptime')

    def __post_init__(self) -> None:
        if self.kind not in ("strptime", *UNIX_DIGITS):
            raise ValueError(f"unknown date format kind {self.kind!r}")
        if self.kind == "strptime":
            if not self.patterns:
                raise ValueError("a strptime date format needs at least one pattern")
            # try_strptime returns TIMESTAMPTZ for %z patterns and TIMESTAMP otherwise; one
            # call cannot mix them.
            if len({"%z" in p for p in self.patterns}) > 1:
                raise ValueError("patterns with and without %z cannot share one DateFormat")

    @property
    def has_offset(self) -> bool:
        return self.kind == "strptime" and "%z" in self.patterns[0]

    def sql(self, expr: str) -> str:
        """SQL text giving a naive TIMESTAMP (UTC when the value carried an offset) or NULL.

        Uses the sd_* macros: run it on a connection that has had install_macros().
        """
        value = f"sd_trim({expr})"
        if self.kind in UNIX_DIGITS:
            low, high = UNIX_SECONDS_RANGE
            scale = 1 if self.kind == "unix_s" else 1000
            number = f"TRY_CAST({value} AS BIGINT)"
            return (
                f"(CASE WHEN regexp_full_match({value}, '[0-9]{{{UNIX_DIGITS[self.kind]}}}') "
                f"AND {number} >= {low * scale} AND {number} < {high * scale} "
                f"THEN make_timestamp({number} * {UNIX_MICROS_PER_UNIT[self.kind]}) END)"
            )
        patterns = "[" + ", ".join(_sql_literal(p) for p in self.patterns) + "]"
        if self.has_offset:
            # DuckDB's %z reads +0000 and +08:00 but not the 'Z' designator. Going through
            # epoch_us keeps the result in UTC whatever the session TimeZone is.
            offset_value = f"regexp_replace({value}, '[Zz]$', '+00:00')"
            parsed = f"make_timestamp(epoch_us(try_strptime({offset_value}, {patterns})))"
        else:
            parsed = f"try_strptime({value}, {patterns})"
        low_year, high_year = PLAUSIBLE_YEARS
        # The parse is repeated because an SQL expression cannot bind a local name; the
        # one-element-list binding used in sd_number measured slower here.
        return f"(CASE WHEN year({parsed}) BETWEEN {low_year} AND {high_year} THEN {parsed} END)"


def _strptime(*patterns: str) -> DateFormat:
    return DateFormat("strptime", patterns)


def _with_times(date_part: str, separators: Sequence[str] = (" ",)) -> tuple[str, ...]:
    # 12-hour times with AM/PM: TikTok Shop's US order export ("11/02/2026 10:15:02 AM").
    times = ("%H:%M:%S.%n", "%H:%M:%S", "%H:%M", "%H", "%I:%M:%S %p", "%I:%M %p")
    return tuple(f"{date_part}{sep}{t}" for t in times for sep in separators) + (date_part,)


# Within a format, try_strptime takes the first pattern that reads the value; two-digit
# years (%y) come before four-digit ones because %Y would also accept "26" as year 26.
ISO_DATETIME = _strptime(*_with_times("%Y-%m-%d", (" ", "T")))
ISO_DATETIME_WITH_OFFSET = _strptime(
    "%Y-%m-%d %H:%M:%S.%n %z",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S.%n%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%n%z",
    "%Y-%m-%dT%H:%M:%S%z",
)
SLASH_YEAR_FIRST = _strptime(*_with_times("%Y/%m/%d"))
CHINESE_YEAR_FIRST = _strptime(*_with_times("%Y年%m月%d日"))
COMPACT_YEAR_FIRST = _strptime("%Y%m%d")
SLASH_MONTH_FIRST = _strptime(*_with_times("%m/%d/%y"), *_with_times("%m/%d/%Y"))
SLASH_DAY_FIRST = _strptime(*_with_times("%d/%m/%y"), *_with_times("%d/%m/%Y"))
DASH_MONTH_FIRST = _strptime(*_with_times("%m-%d-%y"), *_with_times("%m-%d-%Y"))
DASH_DAY_FIRST = _strptime(*_with_times("%d-%m-%y"), *_with_times("%d-%m-%Y"))
DOTTED_DAY_FIRST = _strptime(*_with_times("%d.%m.%Y"))
# "Nov-02-26": eBay's orders report (Sale Date, Paid On Date).
ENGLISH_MONTH_NAME = _strptime("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%b-%d-%y")
UNIX_SECONDS = DateFormat("unix_s")
UNIX_MILLISECONDS = DateFormat("unix_ms")

# Priority order: the first format that reads every sampled value wins. When every sampled
# value fits both day orders, month-first comes first here, but that is not the answer: the
# cleaning step (transform.py) then reads the whole column with both orders of DAY_ORDER_TWINS
# and takes the one a value proves (a first part > 12 is a day), else the user's --date-order,
# else the order of the region the file's currency names, else it asks. A column proving both
# orders gets no format at all.
DATETIME_CANDIDATES: tuple[DateFormat, ...] = (
    ISO_DATETIME,
    ISO_DATETIME_WITH_OFFSET,
    SLASH_YEAR_FIRST,
    CHINESE_YEAR_FIRST,
    COMPACT_YEAR_FIRST,
    SLASH_MONTH_FIRST,
    SLASH_DAY_FIRST,
    DASH_MONTH_FIRST,
    DASH_DAY_FIRST,
    DOTTED_DAY_FIRST,
    ENGLISH_MONTH_NAME,
    UNIX_SECONDS,
    UNIX_MILLISECONDS,
)

# The formats that read the same digits two ways ("01/11/2026": 11 January or 1 November), as
# (month-first, day-first); the user's --date-order names one of each pair.
DAY_ORDER_TWINS: tuple[tuple[DateFormat, DateFormat], ...] = (
    (SLASH_MONTH_FIRST, SLASH_DAY_FIRST),
    (DASH_MONTH_FIRST, DASH_DAY_FIRST),
)
DATE_ORDERS = ("dmy", "mdy")
# How the region a currency names writes dates, for a column no value decides: the United States and the
# Philippines write month first (TikTok Shop US, Amazon.com reports); the other markets of the platforms read
# here write day first (TikTok Shop and Shopee/Lazada in South-East Asia, the UK, the euro area, Australia,
# India, Brazil, Mexico). A currency not listed (CAD: both are used) gives no hint.
DATE_ORDER_BY_CURRENCY = {
    "USD": "mdy",
    "PHP": "mdy",
    **dict.fromkeys(
        ("GBP", "EUR", "MYR", "THB", "IDR", "VND", "SGD", "AUD", "NZD", "INR", "BRL", "MXN"),
        "dmy",
    ),
}

# Columns that name the country a file's orders are in (TikTok Shop's Country, Etsy's Ship Country), read for the
# same hint when every row names one country, and how each country writes dates.
COUNTRY_HEADERS = ("country", "ship country", "delivery country", "shipping country", "国家", "国家/地区")
DATE_ORDER_BY_COUNTRY = {
    **dict.fromkeys(("united states", "usa", "us", "philippines", "ph"), "mdy"),
    **dict.fromkeys(
        (
            "united kingdom",
            "uk",
            "gb",
            "malaysia",
            "my",
            "thailand",
            "th",
            "indonesia",
            "id",
            "vietnam",
            "viet nam",
            "vn",
            "singapore",
            "sg",
            "australia",
            "au",
            "germany",
            "de",
            "france",
            "fr",
            "spain",
            "es",
            "italy",
            "it",
            "ireland",
            "ie",
            "brazil",
            "br",
            "mexico",
            "mx",
            "india",
            "in",
        ),
        "dmy",
    ),
}


def day_order_twins(date_format: DateFormat) -> tuple[DateFormat, DateFormat] | None:
    """(month-first, day-first) when the format is one of a pair that reads the same digits two ways."""
    return next((pair for pair in DAY_ORDER_TWINS if date_format in pair), None)


def _present_values(values: Sequence[str | None]) -> list[str]:
    return [v for v in values if v is not None and not _is_placeholder(v)]


def detect_datetime_format(values: Sequence[str | None]) -> DateFormat | None:
    """The one format that reads every non-placeholder sample value, or None."""
    present = _present_values(values)
    if not present:
        return None
    checks = ", ".join(f"bool_and({candidate.sql('v')} IS NOT NULL)" for candidate in DATETIME_CANDIDATES)
    with duckdb.connect(":memory:") as con:
        install_macros(con)
        row = con.execute(f"SELECT {checks} FROM unnest(?::VARCHAR[]) AS t(v)", [present]).fetchone()
    if row is None:  # an aggregate always has its one row
        raise RuntimeError("the date format check returned no row")
    for candidate, reads_all in zip(DATETIME_CANDIDATES, row, strict=False):
        if reads_all:
            return candidate
    return None


def parse_timestamps(values: Sequence[str | None]) -> list[datetime | None]:
    """Detect the column's format and read every value with it (small inputs only)."""
    if not _present_values(values):
        return [None] * len(values)
    date_format = detect_datetime_format(values)
    if date_format is None:
        raise ValidateError(Message("validate.mixed_dates"), Message("hint.mixed_dates"))
    with duckdb.connect(":memory:") as con:
        install_macros(con)
        rows = con.execute(
            f"SELECT {date_format.sql('v')} FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(v, i) ORDER BY i",
            [list(values)],
        ).fetchall()
    return [row[0] for row in rows]
