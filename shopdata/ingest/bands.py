"""生意参谋's banded figures read as intervals: `750万 ~ 1000万`, `1% ~ 2.5%`, `< 10%`, `>1000`, `-`.

生意参谋 shows a rival's sales and visitors only as a band ("支付金额 750万 ~ 1000万"); a midpoint would be a
figure nobody measured, so a band is kept as its two ends. An open end (`< 10%`: nothing said about the low
end) is None, never 0. An exact figure (`1,234`, `12.3万`) is a band whose ends are equal, and is also the
row's `value`. Ends are in base units (750万 -> 7,500,000; 2.5% -> 0.025, as every percentage the warehouse
holds); `unit` keeps the mark the export wrote ('万', '亿', '%', '' for a plain number), so a page can write the
band again as the export did. The multipliers are shopdata.ingest.clean's, shared with every number read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import duckdb
from duckdb.func import FunctionNullHandling

from shopdata.ingest.clean import MAGNITUDE_EXPONENTS, NUMBER_CHAR_MAP, PERCENT_EXPONENT, PERCENT_SIGN

# What stands between the two ends of a band: 生意参谋 writes " ~ " (full-width "～" in some copies); "-" and
# "至" are how operators copy bands into their own sheets. A leading "-" is a sign, never a separator.
BAND_SEPARATORS = ("~", "～", "至", "-", "–", "—")
# Cells that say "no figure": 生意参谋 writes "-" where a rival's figure is hidden or below its threshold.
UNKNOWN_CELLS = frozenset({"", "-", "--", "—", "–", "/", "n/a", "null", "无", "暂无"})
_BOUNDS = {"<": "high", "<=": "high", "≤": "high", "＜": "high", ">": "low", ">=": "low", "≥": "low", "＞": "low"}

_NUMBER = re.compile(
    r"^(?P<sign>[+\-]?)(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<mark>[" + "".join(MAGNITUDE_EXPONENTS) + r"]?)(?P<percent>" + re.escape(PERCENT_SIGN) + r"?)$"
)
_UNIFY = str.maketrans("".join(NUMBER_CHAR_MAP), "".join(NUMBER_CHAR_MAP.values()))
_BOUND = re.compile(r"^(?P<op><=|>=|[<>≤≥＜＞])\s*(?P<rest>.+)$")


@dataclass(frozen=True)
class Band:
    """An interval read from one cell. low/high None: that end is open (or the cell said nothing)."""

    low: float | None
    high: float | None
    unit: str | None  # '万', '亿', '%', '万%'… as written; '' a plain number; None nothing was read

    @property
    def exact(self) -> bool:
        return self.low is not None and self.low == self.high

    @property
    def value(self) -> float | None:
        """The figure itself when the cell gave one (an exact value), else None: a band has no single value."""
        return self.low if self.exact else None

    @property
    def known(self) -> bool:
        return self.low is not None or self.high is not None


UNKNOWN = Band(None, None, None)


def _number(text: str) -> tuple[float, str] | None:
    """(value in base units, unit mark) of one end, or None when it is not a number."""
    match = _NUMBER.match(text.strip())
    if match is None:
        return None
    exponent = MAGNITUDE_EXPONENTS.get(match["mark"], 0) + (PERCENT_EXPONENT if match["percent"] else 0)
    try:
        # Decimal: "2.5%" is 25e-3 exactly, rounded once into a float (2.5 * 0.01 would round twice).
        amount = Decimal(match["sign"] + match["digits"].replace(",", "")).scaleb(exponent)
    except InvalidOperation:
        return None
    return float(amount), match["mark"] + match["percent"]


def _split(text: str) -> tuple[str, str] | None:
    """The two ends of "a ~ b", or None when the text holds no separator between two parts."""
    for separator in BAND_SEPARATORS:
        # Skip a leading sign; the separator is the first one after the first end's digits.
        position = text.find(separator, 1)
        if position > 0:
            return text[:position], text[position + len(separator) :]
    return None


@lru_cache(maxsize=4096)
def parse_band(cell: str | None) -> Band | None:
    """The interval a cell states; UNKNOWN for "-" and empty cells; None when the text is not a figure at all
    (the caller reports it as unreadable, never as 0)."""
    if cell is None:
        return UNKNOWN
    text = cell.translate(_UNIFY).strip()
    text = re.sub(r"(?<=\d)\s+(?=[" + "".join(MAGNITUDE_EXPONENTS) + re.escape(PERCENT_SIGN) + r"])", "", text)
    if text.lower() in UNKNOWN_CELLS:
        return UNKNOWN
    if bound := _BOUND.match(text):
        end = _number(bound["rest"])
        if end is None:
            return None
        value, unit = end
        return Band(None, value, unit) if _BOUNDS[bound["op"]] == "high" else Band(value, None, unit)
    if exact := _number(text):
        return Band(exact[0], exact[0], exact[1])
    parts = _split(text)
    if parts is None:
        return None
    low, high = _number(parts[0]), _number(parts[1])
    if low is None or high is None:
        return None
    # "10 ~ 25万": the unit written once, on the high end, holds for both — unless that would put the low end
    # above the high one: "7,500 ~ 1万" is 7,500 to 10,000 (a band across a magnitude), not 7,500万 to 1万.
    if not low[1] and high[1]:
        carried = _number(parts[0].strip() + high[1])
        if carried is None:
            return None
        if carried[0] <= high[0] or high[1] == PERCENT_SIGN:
            low = carried
    if low[0] > high[0]:
        return None
    return Band(low[0], high[0], high[1])


def _band_low(cell: str | None) -> float | None:
    band = parse_band(cell)
    return band.low if band else None


def _band_high(cell: str | None) -> float | None:
    band = parse_band(cell)
    return band.high if band else None


def _band_unit(cell: str | None) -> str | None:
    band = parse_band(cell)
    return band.unit if band else None


def _band_readable(cell: str | None) -> bool:
    return parse_band(cell) is not None


BAND_FUNCTIONS = ("sd_band_low", "sd_band_high", "sd_band_unit", "sd_band_readable")


def register_band_functions(con: duckdb.DuckDBPyConnection) -> None:
    """Define the sd_band_* functions the ingest SQL reads bands with, so that parse_band is the one rule
    (again on a connection that has them: the warehouse's connection outlives one ingest)."""
    for name in BAND_FUNCTIONS:
        try:
            con.remove_function(name)
        except duckdb.InvalidInputException:  # not defined on this connection yet
            pass
    special = FunctionNullHandling.SPECIAL  # None reaches the function: an empty cell is unknown
    con.create_function("sd_band_low", _band_low, ["varchar"], "double", null_handling=special)
    con.create_function("sd_band_high", _band_high, ["varchar"], "double", null_handling=special)
    con.create_function("sd_band_unit", _band_unit, ["varchar"], "varchar", null_handling=special)
    con.create_function("sd_band_readable", _band_readable, ["varchar"], "boolean", null_handling=special)
