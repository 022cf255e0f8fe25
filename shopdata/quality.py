"""Data-quality facts about what was loaded."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta


def missing_days(days: Iterable[date]) -> list[date]:
    """Days between the first and last present day that have no rows."""
    present = sorted(set(days))
    if not present:
        return []
    have = set(present)
    span = (present[-1] - present[0]).days
    return [d for d in (present[0] + timedelta(days=n) for n in range(span + 1)) if d not in have]
