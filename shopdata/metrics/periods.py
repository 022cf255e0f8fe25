"""Date ranges people ask for, anchored at the latest day with data (not today)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

PRESETS = ("last_7", "last_30", "last_90", "this_month", "last_month", "all", "custom")
COMPARISONS = ("previous", "yoy", "none")


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def preset_period(preset: str, latest: date, earliest: date | None = None) -> Period:
    if preset.startswith("last_") and preset[5:].isdigit():
        days = int(preset[5:])
        return Period(latest - timedelta(days=days - 1), latest)
    if preset == "this_month":
        return Period(latest.replace(day=1), latest)
    if preset == "last_month":
        end = latest.replace(day=1) - timedelta(days=1)
        return Period(end.replace(day=1), end)
    if preset == "all":
        return Period(earliest or latest, latest)
    raise ValueError(f"unknown period preset {preset!r}")


def _minus_one_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def comparison_period(period: Period, compare: str) -> Period | None:
    """The period to compare with: the same length just before, the same dates a year earlier, or none
    (also when it would begin before year 1)."""
    if compare not in COMPARISONS:
        raise ValueError(f"unknown comparison {compare!r}")
    try:
        if compare == "previous":
            end = period.start - timedelta(days=1)
            return Period(end - timedelta(days=period.days - 1), end)
        if compare == "yoy":
            return Period(_minus_one_year(period.start), _minus_one_year(period.end))
    except (OverflowError, ValueError):  # before 0001-01-01: timedelta overflows, replace(year=0) is a ValueError
        return None
    return None


def change(current: float | None, previous: float | None) -> float | None:
    """Relative change; empty when there is nothing to compare with."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / abs(previous)


# A comparison period with data on fewer than half as many days as the current period is incomplete (stray
# early timestamps, an export that starts mid-period): a change against it would measure the coverage, not the
# business, so no change is shown. Half leaves room for a real seasonal gap (a shop closed for a week).
MIN_COMPARISON_COVERAGE = 0.5


@dataclass(frozen=True)
class Coverage:
    """Days with data in the current and in the comparison period, and the comparison period's length."""

    current_days: int
    comparison_days: int
    comparison_length: int

    @property
    def comparable(self) -> bool:
        return comparison_is_complete(self.current_days, self.comparison_days)


def comparison_is_complete(current_days: int, comparison_days: int) -> bool:
    """Whether the comparison period has enough days with data to compare against (MIN_COMPARISON_COVERAGE)."""
    return comparison_days >= MIN_COMPARISON_COVERAGE * current_days
