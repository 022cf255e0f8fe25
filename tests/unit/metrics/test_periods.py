from datetime import date

import pytest

from shopdata.metrics.periods import (
    MIN_COMPARISON_COVERAGE,
    Coverage,
    Period,
    change,
    comparison_is_complete,
    comparison_period,
    preset_period,
)

LATEST = date(2026, 11, 22)


@pytest.mark.parametrize(
    "preset, expected",
    [
        ("last_7", Period(date(2026, 11, 16), LATEST)),
        ("last_30", Period(date(2026, 10, 24), LATEST)),
        ("last_90", Period(date(2026, 8, 25), LATEST)),
        ("this_month", Period(date(2026, 11, 1), LATEST)),
        ("last_month", Period(date(2026, 10, 1), date(2026, 10, 31))),
        ("all", Period(date(2026, 1, 5), LATEST)),
    ],
)
def test_presets_end_at_the_latest_data_day(preset: str, expected: Period) -> None:
    assert preset_period(preset, LATEST, earliest=date(2026, 1, 5)) == expected


@pytest.mark.parametrize(
    "period, compare, expected",
    [
        (Period(date(2026, 11, 16), date(2026, 11, 22)), "previous", Period(date(2026, 11, 9), date(2026, 11, 15))),
        (Period(date(2026, 3, 1), date(2026, 3, 31)), "previous", Period(date(2026, 1, 29), date(2026, 2, 28))),
        (Period(date(2026, 11, 1), date(2026, 11, 22)), "yoy", Period(date(2025, 11, 1), date(2025, 11, 22))),
        (Period(date(2024, 2, 29), date(2024, 3, 1)), "yoy", Period(date(2023, 2, 28), date(2023, 3, 1))),
        (Period(date(2026, 11, 1), date(2026, 11, 22)), "none", None),
        (Period(date(1, 1, 1), date(1, 12, 31)), "previous", None),
        (Period(date(1, 3, 1), date(9999, 12, 31)), "yoy", None),
    ],
)
def test_comparison_periods(period: Period, compare: str, expected: Period | None) -> None:
    assert comparison_period(period, compare) == expected


@pytest.mark.parametrize(
    "current, previous, expected",
    [(110.0, 100.0, 0.1), (90.0, 100.0, -0.1), (5.0, 0.0, None), (None, 3.0, None), (-50.0, -100.0, 0.5)],
)
def test_change(current, previous, expected) -> None:
    assert change(current, previous) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    "current_days, comparison_days, complete",
    [
        (30, 2, False),  # stray early timestamps: not a period to compare with
        (30, 14, False),
        (30, 15, True),  # exactly half
        (30, 30, True),
        (7, 4, True),
        (7, 3, False),
        (2, 30, True),  # more data before than now is a real change, not a coverage gap
        (0, 0, True),
    ],
)
def test_a_comparison_period_needs_half_the_days_with_data(
    current_days: int, comparison_days: int, complete: bool
) -> None:
    assert MIN_COMPARISON_COVERAGE == 0.5
    assert comparison_is_complete(current_days, comparison_days) is complete
    assert Coverage(current_days, comparison_days, 30).comparable is complete
