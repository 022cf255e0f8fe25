"""The platform festival calendar as data: each festival's dates in every year it can be known for.

A festival is preloaded for every store; a store edits its dates or hides it (shopdata/journal.py keeps
the edit in the `activities` table, keyed by the festival and year), so the dates here are the common
default, not a claim about any one store's participation.

Pure data and date arithmetic, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

# 春节 (the first day of the lunar year), from the Hong Kong Observatory's Gregorian–lunar calendar
# conversion tables (https://www.hko.gov.hk/en/gts/time/conversion.htm). 年货节 is placed relative to it.
CHINESE_NEW_YEAR: dict[int, date] = {
    2015: date(2015, 2, 19),
    2016: date(2016, 2, 8),
    2017: date(2017, 1, 28),
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
}

# Amazon Prime Day as Amazon announced it each year (Amazon press releases, press.aboutamazon.com). A year not
# listed has no announced date yet, so it is not guessed; a store can record it itself.
PRIME_DAY: dict[int, tuple[date, date]] = {
    2015: (date(2015, 7, 15), date(2015, 7, 15)),
    2016: (date(2016, 7, 12), date(2016, 7, 12)),
    2017: (date(2017, 7, 10), date(2017, 7, 11)),  # 30 hours from 6 p.m. PDT on 10 July
    2018: (date(2018, 7, 16), date(2018, 7, 17)),
    2019: (date(2019, 7, 15), date(2019, 7, 16)),
    2020: (date(2020, 10, 13), date(2020, 10, 14)),
    2021: (date(2021, 6, 21), date(2021, 6, 22)),
    2022: (date(2022, 7, 12), date(2022, 7, 13)),
    2023: (date(2023, 7, 11), date(2023, 7, 12)),
    2024: (date(2024, 7, 16), date(2024, 7, 17)),
    2025: (date(2025, 7, 8), date(2025, 7, 11)),
}

# 年货节 runs in the weeks before 春节 and ends when couriers stop for the holiday; platforms set the exact
# days each year, so the default is the four weeks up to ten days before 春节 (editable per store).
NEW_YEAR_SHOPPING_WEEKS = 4
NEW_YEAR_SHOPPING_ENDS_DAYS_BEFORE = 10

# Years the computed festivals (fixed days, Black Friday) are offered for.
FIRST_YEAR, LAST_YEAR = 2015, 2030

Dates = tuple[date, date]


def _fixed_day(month: int, day: int) -> Callable[[int], Dates | None]:
    # The day itself: the presale and warm-up windows before 双11, 618 and 双12 differ by platform and year
    # (Tmall's 2023 presale began on 24 October, its 2024 one on 14 October), so a store records its own.
    def dates(year: int) -> Dates | None:
        return (date(year, month, day),) * 2 if FIRST_YEAR <= year <= LAST_YEAR else None

    return dates


def black_friday(year: int) -> date:
    """The day after the fourth Thursday of November (US Thanksgiving)."""
    first = date(year, 11, 1)
    first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + timedelta(weeks=3, days=1)


def _black_friday(year: int) -> Dates | None:
    return (black_friday(year),) * 2 if FIRST_YEAR <= year <= LAST_YEAR else None


def _cyber_monday(year: int) -> Dates | None:
    return (black_friday(year) + timedelta(days=3),) * 2 if FIRST_YEAR <= year <= LAST_YEAR else None


def _new_year_shopping(year: int) -> Dates | None:
    spring_festival = CHINESE_NEW_YEAR.get(year)
    if spring_festival is None:
        return None
    end = spring_festival - timedelta(days=NEW_YEAR_SHOPPING_ENDS_DAYS_BEFORE)
    return end - timedelta(weeks=NEW_YEAR_SHOPPING_WEEKS) + timedelta(days=1), end


def _prime_day(year: int) -> Dates | None:
    return PRIME_DAY.get(year)


@dataclass(frozen=True)
class Festival:
    key: str
    names: dict[str, str]  # language -> name
    dates: Callable[[int], Dates | None]  # year -> (first day, last day), None when not known for that year

    def name(self, language: str = "en") -> str:
        return self.names.get(language) or self.names["en"]


FESTIVALS: dict[str, Festival] = {
    f.key: f
    for f in (
        Festival("double11", {"en": "Singles' Day (11.11)", "zh": "双11"}, _fixed_day(11, 11)),
        Festival("618", {"en": "618 mid-year sale", "zh": "618"}, _fixed_day(6, 18)),
        Festival("new_year_shopping", {"en": "Spring Festival shopping", "zh": "年货节"}, _new_year_shopping),
        Festival("double12", {"en": "Double 12 (12.12)", "zh": "双12"}, _fixed_day(12, 12)),
        Festival("queens_day", {"en": "Queen's Day (3.8)", "zh": "38女王节"}, _fixed_day(3, 8)),
        Festival("prime_day", {"en": "Prime Day", "zh": "Prime Day 会员日"}, _prime_day),
        Festival("black_friday", {"en": "Black Friday", "zh": "黑色星期五"}, _black_friday),
        Festival("cyber_monday", {"en": "Cyber Monday", "zh": "网络星期一"}, _cyber_monday),
    )
}


@dataclass(frozen=True)
class Occurrence:
    """One festival in one year."""

    festival: str
    year: int
    date_from: date
    date_to: date


def calendar(start: date, end: date) -> list[Occurrence]:
    """Every festival occurrence that overlaps start..end, by first day."""
    found = []
    for festival in FESTIVALS.values():
        # A window can begin in the year before its festival's year (年货节 of a January 春节 starts in December).
        for year in range(start.year, end.year + 2):
            dates = festival.dates(year)
            if dates is not None and dates[0] <= end and dates[1] >= start:
                found.append(Occurrence(festival.key, year, *dates))
    return sorted(found, key=lambda o: (o.date_from, o.festival))
