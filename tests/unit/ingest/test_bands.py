"""生意参谋's banded figures as intervals: the ends worked out by hand from the text, never a midpoint."""

from __future__ import annotations

import pytest

from shopdata.ingest.bands import UNKNOWN, Band, parse_band

CASES = [
    # cell, low, high, unit
    ("750万 ~ 1000万", 7_500_000.0, 10_000_000.0, "万"),
    ("10万 ~ 25万", 100_000.0, 250_000.0, "万"),
    ("10万～25万", 100_000.0, 250_000.0, "万"),
    ("1% ~ 2.5%", 0.01, 0.025, "%"),
    ("1 % ~ 2.5 %", 0.01, 0.025, "%"),
    ("1.5亿 ~ 2亿", 150_000_000.0, 200_000_000.0, "亿"),
    ("10 ~ 25万", 100_000.0, 250_000.0, "万"),  # the unit written once, on the high end, holds for both
    ("7,500 ~ 1万", 7_500.0, 10_000.0, "万"),  # a band across a magnitude: the low end keeps its own
    ("100 ~ 250", 100.0, 250.0, ""),
    ("1,000 ~ 2,500", 1000.0, 2500.0, ""),
    ("< 10%", None, 0.1, "%"),
    ("<5万", None, 50_000.0, "万"),
    ("≤ 2.5%", None, 0.025, "%"),
    (">1000", 1000.0, None, ""),
    ("> 1亿", 100_000_000.0, None, "亿"),
    ("1,234", 1234.0, 1234.0, ""),
    ("12.3万", 123_000.0, 123_000.0, "万"),
    ("３．５％", 0.035, 0.035, "%"),
    ("-12", -12.0, -12.0, ""),
    ("0", 0.0, 0.0, ""),
]


@pytest.mark.parametrize(("cell", "low", "high", "unit"), CASES)
def test_a_band_keeps_both_ends_and_its_unit(cell: str, low: float | None, high: float | None, unit: str) -> None:
    assert parse_band(cell) == Band(low, high, unit)


@pytest.mark.parametrize("cell", ["-", "", "  ", "--", "暂无", None])
def test_a_dash_or_an_empty_cell_is_unknown_never_zero(cell: str | None) -> None:
    band = parse_band(cell)
    assert band == UNKNOWN
    assert band is not None and not band.known and band.value is None


@pytest.mark.parametrize("cell", ["about ten", "25万 ~ 10万", "10万 ~", "< much", "1,5"])
def test_text_that_is_no_figure_is_unreadable(cell: str) -> None:
    assert parse_band(cell) is None


def test_only_an_exact_figure_has_a_value() -> None:
    exact = parse_band("1,234")
    assert exact is not None and exact.value == 1234.0
    band = parse_band("10万 ~ 25万")
    assert band is not None and band.value is None and not band.exact
    open_band = parse_band("< 10%")
    assert open_band is not None and open_band.value is None and open_band.known
