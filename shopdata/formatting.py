"""Numbers as people read them: money with its currency, percentages, counts, changes."""

from __future__ import annotations

import re

CURRENCY_SYMBOLS = {
    "CNY": "¥",
    "USD": "$",
    "GBP": "£",
    "EUR": "€",
    "INR": "₹",
    "JPY": "¥",
    "CAD": "CA$",
    "AUD": "A$",
    "MXN": "MX$",
    "BRL": "R$",
    "SGD": "S$",
    "HKD": "HK$",
}

# KPI cards are about nine characters wide at 1280 px with four to a row. From WHOLE_FROM money drops its
# cents; from COMPACT_FROM money and counts are written in the reader's large units (M/B, or 万/亿, which is
# how Chinese store owners say big amounts). The card's tooltip keeps the exact value.
WHOLE_FROM = 10_000
COMPACT_FROM = 1_000_000
# A card amount below this keeps its cents even beside big ones: a CPC of ¥1.63 rounded to ¥2 would say
# something else (20% off), while ¥181 for ¥180.72 does not.
CENTS_BELOW = 100
# What a cell, card or label shows for a figure there is none of (never "None", never a 0 standing in).
MISSING = "—"
LARGE_UNITS = {"en": ((1e9, "B"), (1e6, "M")), "zh": ((1e8, "亿"), (1e4, "万"))}


def is_missing(value: object) -> bool:
    """None, a NaN of any number type (float, numpy's float32, Decimal), pandas' NA or NaT: no figure."""
    if value is None:
        return True
    try:
        return bool(value != value)  # only a NaN differs from itself
    except TypeError:  # pandas' NA: its comparisons are NA, whose truth is ambiguous
        return True


def _money(number: str, negative: bool, currency: str | None, sign_positive: bool = False) -> str:
    """The currency symbol goes after the sign: -¥1,234.00, never ¥-1,234.00."""
    sign = "-" if negative else ("+" if sign_positive else "")
    symbol = CURRENCY_SYMBOLS.get(currency or "", "")
    if symbol:
        return f"{sign}{symbol}{number}"
    return f"{sign}{number}{' ' + currency if currency else ''}"


def with_cents(amounts) -> bool:
    """The one rule for cents: amounts read together (a row of cards, a table column, a chart's hover) all
    show cents when every one of them is below WHOLE_FROM, and none does otherwise — never ¥12,345 beside
    ¥9,876.54. Missing amounts do not count."""
    return all(abs(a) < WHOLE_FROM for a in amounts if not is_missing(a))


def format_value(
    value: float | None, unit: str, currency: str | None = None, signed: bool = False, cents: bool = True
) -> str:
    """Every digit (money without cents when `cents` is False, see with_cents; a count then whole too, as an
    expected 143.77 buyers reads better as 144). unit: count, money, percent, ratio. signed: a change, so a rise
    gets its "+"."""
    if value is None or is_missing(value):
        return MISSING
    plus = "+" if signed and value > 0 else ""
    if unit == "money":
        number = f"{abs(value):,.2f}" if cents else f"{abs(value):,.0f}"
        return _money(number, value < 0, currency, signed and value > 0)
    if unit == "percent":
        return f"{plus}{value:.2%}"
    if unit == "ratio":
        return f"{plus}{value:,.2f}"
    if float(value).is_integer() or not cents:
        return f"{plus}{value:,.0f}"
    return f"{plus}{value:,.2f}"


def _large(size: float, language: str) -> tuple[float, str]:
    """The largest unit the value reaches once rounded (999,999,999 is 1.00B, not 1000.00M)."""
    units = LARGE_UNITS.get(language, LARGE_UNITS["en"])
    for factor, suffix in units:
        if round(size / factor, 2) >= 1:
            return size / factor, suffix
    factor, suffix = units[-1]
    return size / factor, suffix


def format_compact(
    value: float | None, unit: str, currency: str | None = None, language: str = "en", cents: bool | None = None
) -> str:
    """A KPI card's value: short enough for the card, exact below WHOLE_FROM (see the constants above).
    cents: whether the cards shown with it keep cents (with_cents over all of them); by default this value's own."""
    if cents is None:
        cents = with_cents([value])
    if value is None or is_missing(value) or unit not in ("money", "count"):
        return format_value(value, unit, currency)
    size = abs(value)
    if size >= COMPACT_FROM:
        scaled, suffix = _large(size, language)
        number = f"{scaled:,.2f}{suffix}"
    elif unit == "money" and size >= WHOLE_FROM:
        number = f"{size:,.0f}"
    elif unit == "money" and not cents and size >= CENTS_BELOW:
        number = f"{size:,.0f}"
    else:
        return format_value(value, unit, currency)
    if unit == "money":
        return _money(number, value < 0, currency)
    return f"{'-' if value < 0 else ''}{number}"


def format_change(change: float | None) -> str:
    if is_missing(change):
        return MISSING
    return f"{change:+.1%}"


def plotly_format(unit: str, currency: str | None = None) -> tuple[str, str]:
    """(d3 number format, prefix) for hover labels: every digit, as in the tables."""
    if unit == "percent":
        return ".2%", ""
    if unit == "money":
        return ",.2f", CURRENCY_SYMBOLS.get(currency or "", "")
    if unit == "ratio":
        return ",.2f", ""
    return ",.0f", ""


def plotly_tick_format(unit: str) -> str:
    """d3 format for axis ticks: no trailing zeros (¥140,000 and 35%, not ¥140,000.00 and 35.00%)."""
    if unit == "percent":
        return ".1~%"
    return ",.2~f"


# Markdown (Streamlit's: GitHub-flavoured, with :color[…] and :material/…: directives, $math$, e-mail and
# bare-URL autolinks) would make a name from an upload into a link, an image the browser fetches, or a
# coloured badge. A backslash before ASCII punctuation shows the character itself, so escaping these is
# invisible on the page: [ ] make links and images and directives' text, < > autolinks and HTML, : directives,
# $ math, ` * _ ~ | # emphasis, code, tables and headings; the backslash itself so the data cannot undo an
# escape. Bare URLs (http://…, www.…) and e-mail addresses are linked after escapes are resolved (remark-gfm
# searches the text), so a word joiner (U+2060, invisible) goes where it breaks their pattern.
_MARKDOWN_ACTIVE = frozenset("\\[]<>:$`*_~|#")
WORD_JOINER = "\u2060"
AUTOLINKED = re.compile(r"(?i)(:)(?=//)|(www)(?=\.)|(@)")


def md_escape(text: object) -> str:
    """`text` (a name, a file name, a quoted cell: anything from data) as markdown that shows it, on one
    line, never a link, an image, a directive or formatting. Only for what Streamlit renders as markdown;
    elsewhere (dataframes, selectbox options, charts, st.text/st.code) show the value as it is."""
    shown = " ".join(str(text).splitlines())
    shown = AUTOLINKED.sub(lambda m: m.group() + WORD_JOINER, shown)
    return "".join(f"\\{c}" if c in _MARKDOWN_ACTIVE else c for c in shown)
