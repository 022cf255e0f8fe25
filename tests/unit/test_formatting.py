"""How numbers are written: exact values for tables and tooltips, short ones for KPI cards, chart formats; and\ndata shown through markdown as the text it is."""

import math
import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from markdown_it import MarkdownIt

from shopdata.formatting import (
    WORD_JOINER,
    format_change,
    format_compact,
    format_value,
    md_escape,
    plotly_format,
    plotly_tick_format,
)

NAN = math.nan


@pytest.mark.parametrize(
    ("value", "unit", "currency", "signed", "expected"),
    [
        (1081936.84, "money", "CNY", False, "¥1,081,936.84"),
        (-10903.8, "money", "CNY", False, "-¥10,903.80"),  # the sign goes before the symbol
        (-10903.8, "money", "USD", True, "-$10,903.80"),
        (74173.52, "money", "CNY", True, "+¥74,173.52"),
        (0.0, "money", "USD", True, "$0.00"),  # no change has no sign
        (1234.5, "money", "SEK", False, "1,234.50 SEK"),  # no symbol known: the ISO code after it
        (-1234.5, "money", "SEK", False, "-1,234.50 SEK"),
        (1234.5, "money", None, False, "1,234.50"),
        (0.1356, "percent", None, False, "13.56%"),
        (0.1356, "percent", None, True, "+13.56%"),
        (-0.05, "percent", None, True, "-5.00%"),
        (3.3333, "ratio", None, False, "3.33"),
        (113336.0, "count", None, False, "113,336"),
        (22628.0, "count", None, True, "+22,628"),
        (-341.0, "count", None, True, "-341"),
        (955.372, "count", None, False, "955.37"),  # Google Ads' fractional conversions
        (None, "money", "CNY", False, "—"),
        (NAN, "percent", None, True, "—"),
    ],
)
def test_format_value_writes_every_digit(value, unit, currency, signed, expected) -> None:
    assert format_value(value, unit, currency, signed=signed) == expected


def test_without_cents_money_and_counts_are_whole_and_ratios_keep_their_digits() -> None:
    # An alert line: "Paying buyers ↓ 94 — expected 144 (108 … 180)", never "143.77 (107.80 … 179.74)".
    assert format_value(143.77, "count", None, cents=False) == "144"
    assert format_value(-107.5, "count", None, signed=True, cents=False) == "-108"  # Python rounds half to even
    assert format_value(25098.4, "money", "CNY", cents=False) == "¥25,098"
    assert format_value(2.519, "ratio", None, cents=False) == "2.52"
    assert format_value(0.02861, "percent", None, cents=False) == "2.86%"


@pytest.mark.parametrize(
    ("value", "unit", "currency", "language", "expected"),
    [
        # money: cents below 10,000, whole units below a million, then M/B or 万/亿
        (9999.99, "money", "CNY", "en", "¥9,999.99"),
        (180.74, "money", "CNY", "zh", "¥180.74"),
        (10000.0, "money", "USD", "en", "$10,000"),
        (61865.78, "money", "USD", "en", "$61,866"),
        (243238.49, "money", "CNY", "zh", "¥243,238"),
        (-23601.04, "money", "CNY", "en", "-¥23,601"),
        (1081936.84, "money", "CNY", "en", "¥1.08M"),
        (1081936.84, "money", "CNY", "zh", "¥108.19万"),
        (-1081936.84, "money", "USD", "zh", "-$108.19万"),
        (123456789.0, "money", "CNY", "zh", "¥1.23亿"),
        (123456789.0, "money", "CNY", "en", "¥123.46M"),
        (2500000000.0, "money", "USD", "en", "$2.50B"),
        (999999999.0, "money", "USD", "en", "$1.00B"),  # not $1000.00M
        (99999999.0, "money", "CNY", "zh", "¥1.00亿"),  # not ¥10000.00万
        (1500000.0, "money", "SEK", "en", "1.50M SEK"),
        (1500000.0, "money", "CNY", "fr", "¥1.50M"),  # a language without its own units: M/B
        # counts: every digit below a million
        (209749.0, "count", None, "en", "209,749"),
        (955.372, "count", None, "en", "955.37"),
        (2446667.0, "count", None, "en", "2.45M"),
        (2446667.0, "count", None, "zh", "244.67万"),
        # percentages and ratios are short already
        (0.0285, "percent", None, "zh", "2.85%"),
        (2.52, "ratio", None, "en", "2.52"),
        (None, "money", "CNY", "en", "—"),
        (NAN, "count", None, "zh", "—"),
    ],
)
def test_format_compact_fits_a_kpi_card(value, unit, currency, language, expected) -> None:
    assert format_compact(value, unit, currency, language) == expected


@pytest.mark.parametrize(
    ("change", "expected"), [(0.292, "+29.2%"), (-0.126, "-12.6%"), (0.0, "+0.0%"), (None, "—"), (NAN, "—")]
)
def test_format_change(change, expected) -> None:
    assert format_change(change) == expected


@pytest.mark.parametrize(
    ("unit", "currency", "hover", "ticks"),
    [
        ("money", "CNY", (",.2f", "¥"), ",.2~f"),
        ("money", "SEK", (",.2f", ""), ",.2~f"),
        ("percent", None, (".2%", ""), ".1~%"),
        ("ratio", None, (",.2f", ""), ",.2~f"),
        ("count", None, (",.0f", ""), ",.2~f"),
    ],
)
def test_chart_formats(unit, currency, hover, ticks) -> None:
    assert plotly_format(unit, currency) == hover
    assert plotly_tick_format(unit) == ticks


@pytest.mark.parametrize(
    "text, shown",
    [
        ("![x](http://h/b.png)", "![x](http://h/b.png)"),
        ("[Session expired](http://h/x)", "[Session expired](http://h/x)"),
        (":red[alert] :material/lock:", ":red[alert] :material/lock:"),
        ("<http://h> & www.h.com, a@b.com", "<http://h> & www.h.com, a@b.com"),
        ("back\\slash [x]", "back\\slash [x]"),
        ("two\nlines", "two lines"),
        ("精华液 50% (¥3)", "精华液 50% (¥3)"),
    ],
)
def test_md_escape_renders_as_the_text_itself_and_never_a_link(text: str, shown: str) -> None:
    html = MarkdownIt("commonmark").render(md_escape(text))
    assert "<a " not in html and "<img" not in html
    # What the reader sees: markdown-it's text, without the invisible word joiners that stop autolinking.
    rendered = html.removeprefix("<p>").removesuffix("</p>\n").replace(WORD_JOINER, "")
    assert rendered == shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert not re.search(r"https?://|www\.|@\w", md_escape(text).replace("\\", ""))  # remark-gfm's autolinks


def test_cents_are_kept_only_when_every_amount_read_together_is_small() -> None:
    from shopdata.formatting import with_cents

    assert with_cents([9_876.54, 12.5, None, NAN]) is True
    assert with_cents([9_876.54, 12_345.0]) is False  # never ¥12,345 beside ¥9,876.54
    assert format_value(9_876.54, "money", "CNY", cents=False) == "¥9,877"
    # A card row with a big amount writes its small ones whole too; its tooltip keeps every digit.
    assert format_compact(180.72, "money", "CNY", cents=False) == "¥181"
    assert format_compact(1.63, "money", "CNY", cents=False) == "¥1.63"  # a CPC rounded to ¥2 would mislead


@pytest.mark.parametrize(
    "missing",
    [None, NAN, pd.NA, pd.NaT, np.float32("nan"), np.float64("nan"), Decimal("NaN")],
    ids=["None", "nan", "pd.NA", "NaT", "float32 nan", "float64 nan", "Decimal NaN"],
)
def test_a_missing_figure_of_any_type_is_written_as_a_dash(missing) -> None:
    """A nullable column read through Arrow holds pandas' NA, a numpy column NaN of its own type, PostgreSQL's
    NUMERIC a Decimal: each is "no figure", never a crash nor "nan"."""
    from shopdata.formatting import with_cents

    for unit in ("money", "count", "percent", "ratio"):
        assert format_value(missing, unit, "CNY") == "—"
        assert format_value(missing, unit, "CNY", signed=True) == "—"
        assert format_compact(missing, unit, "CNY", language="zh") == "—"
    assert format_change(missing) == "—"
    assert with_cents([12_345.0, missing]) is False  # the missing figure is skipped, the big one decides


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (Decimal("1234.5"), "money", "¥1,234.50"),  # PostgreSQL's NUMERIC sums
        (np.float32(0.25), "percent", "25.00%"),
        (np.int64(-341), "count", "-341"),
        (0.0, "count", "0"),  # a real zero is a figure, not a missing one
    ],
)
def test_numbers_of_other_types_are_written_as_floats_are(value, unit, expected) -> None:
    assert format_value(value, unit, "CNY") == expected
