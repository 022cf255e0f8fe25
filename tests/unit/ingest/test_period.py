"""Periods read from preamble lines and file names; expected dates written by hand."""

from __future__ import annotations

from datetime import date

import pytest

from shopdata.ingest.period import Preamble, parse_period_text, parse_preamble, period_from_file_name


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 September 2026 - 30 September 2026", (date(2026, 9, 1), date(2026, 9, 30))),
        ("1 May 2026 - 8 May 2026", (date(2026, 5, 1), date(2026, 5, 8))),
        ("January 20, 2026 - January 21, 2026", (date(2026, 1, 20), date(2026, 1, 21))),
        ('"January 20, 2026 - January 21, 2026"', (date(2026, 1, 20), date(2026, 1, 21))),
        ('"January 20, 2026 - January 21, 2026",,,', (date(2026, 1, 20), date(2026, 1, 21))),
        ("Feb 1, 2020 - Feb 29, 2020", (date(2020, 2, 1), date(2020, 2, 29))),
        ("2024-01-01 ~ 2024-01-07", (date(2024, 1, 1), date(2024, 1, 7))),
        ("2024-01-01至2024-01-07", (date(2024, 1, 1), date(2024, 1, 7))),
        ("统计日期：2024-01-01 ~ 2024-01-07", (date(2024, 1, 1), date(2024, 1, 7))),
        ("Date range: 2024-01-01 to 2024-01-07", (date(2024, 1, 1), date(2024, 1, 7))),
        ("2024/01/01-2024/01/07", (date(2024, 1, 1), date(2024, 1, 7))),
        ("20240101-20240107", (date(2024, 1, 1), date(2024, 1, 7))),
        ("2024年1月1日-2024年1月7日", (date(2024, 1, 1), date(2024, 1, 7))),
        ("2024-01-05", (date(2024, 1, 5), date(2024, 1, 5))),
        ("2023-12-31 - 2024-01-01", (date(2023, 12, 31), date(2024, 1, 1))),
    ],
)
def test_parse_period_text_ranges_and_days(text, expected):
    assert parse_period_text(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024年1月", (date(2024, 1, 1), date(2024, 1, 31))),
        ("2024年2月", (date(2024, 2, 1), date(2024, 2, 29))),  # 2024 is a leap year
        ("May-2022", (date(2022, 5, 1), date(2022, 5, 31))),
        ("March 2021", (date(2021, 3, 1), date(2021, 3, 31))),
        ("Mar 2021", (date(2021, 3, 1), date(2021, 3, 31))),
        ("Feb 2023", (date(2023, 2, 1), date(2023, 2, 28))),
        ("February 2000", (date(2000, 2, 1), date(2000, 2, 29))),  # divisible by 400: leap
        ("Feb 1900", (date(1900, 2, 1), date(1900, 2, 28))),  # divisible by 100 only: not leap
        ("Sept 2025", (date(2025, 9, 1), date(2025, 9, 30))),
        ("Jan 2024 - Mar 2024", (date(2024, 1, 1), date(2024, 3, 31))),
    ],
)
def test_parse_period_text_whole_months(text, expected):
    assert parse_period_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "All time",
        "Campaign report",
        "Lorem ipsum 42",
        "",
        "2024-01-07 ~ 2024-01-01",  # end before start
        "March 2021 - January 2021",
        "2024-02-30",  # not a calendar day
        "2024-01-05 10:00:00",  # an export time, not a period
        "2024-01-01, 2024-01-02, 2024-01-03",
        "Created 2024-01-01 updated 2024-02-01",
        "22nd Jan",  # no year: never invented
        "Summary 2021",
    ],
)
def test_parse_period_text_rejects(text):
    assert parse_period_text(text) is None


@pytest.mark.parametrize(
    "lines, expected",
    [
        (
            ['"Campaign report",,,', '"1 September 2026 - 30 September 2026",,,'],
            Preamble(
                "Campaign report",
                date(2026, 9, 1),
                date(2026, 9, 30),
                None,
                ("Campaign report", "1 September 2026 - 30 September 2026"),
            ),
        ),
        (
            ["# GA4 Landing page report", "# Start date: 20240101", "# End date: 20240107", ""],
            Preamble(
                "GA4 Landing page report",
                date(2024, 1, 1),
                date(2024, 1, 7),
                None,
                ("GA4 Landing page report", "Start date: 20240101", "End date: 20240107"),
            ),
        ),
        (
            ["店铺名称：XX旗舰店", "统计日期：2024-01-01 ~ 2024-01-07\t\t", "商品效果,,,,", ",,,,"],
            Preamble(
                "商品效果",
                date(2024, 1, 1),
                date(2024, 1, 7),
                "XX旗舰店",
                ("店铺名称：XX旗舰店", "统计日期：2024-01-01 ~ 2024-01-07", "商品效果"),
            ),
        ),
        (
            ["店铺：XX", "说明"],
            Preamble("说明", None, None, "XX", ("店铺：XX", "说明")),
        ),
        (
            ["Shop: Demo Store", "Search terms report"],
            Preamble("Search terms report", None, None, "Demo Store", ("Shop: Demo Store", "Search terms report")),
        ),
        (
            ["Store name: Demo", "May-2022"],
            Preamble(None, date(2022, 5, 1), date(2022, 5, 31), "Demo", ("Store name: Demo", "May-2022")),
        ),
        (
            ["# Start date: 20240101"],
            Preamble(None, date(2024, 1, 1), None, None, ("Start date: 20240101",)),
        ),
        ([], Preamble(None, None, None, None, ())),
    ],
)
def test_parse_preamble(lines, expected):
    assert parse_preamble(lines) == expected


@pytest.mark.parametrize(
    "name, expected",
    [
        ("【生意参谋平台】商品_全部_2024-01-01_2024-01-07.xls", (date(2024, 1, 1), date(2024, 1, 7))),
        ("May-2022.csv", (date(2022, 5, 1), date(2022, 5, 31))),
        ("P  L March 2021.csv", (date(2021, 3, 1), date(2021, 3, 31))),
        ("report_2024-03-05.csv", (date(2024, 3, 5), date(2024, 3, 5))),
        ("exports/sales_20240101-20240131.xlsx", (date(2024, 1, 1), date(2024, 1, 31))),
        ("商品卡列表_2024_11_01~2024_11_30.xlsx", (date(2024, 11, 1), date(2024, 11, 30))),  # 抖音电商罗盘
        ("流量来源_2024_11_05~2024_11_05.xlsx", (date(2024, 11, 5), date(2024, 11, 5))),
        ("Ad report- 22nd Jan.csv", None),  # no year: never invent one
        ("计划报表_20240102_101010.csv", None),  # export timestamp, not a period
        ("商品报表_20240102_101010.csv", None),
        ("Campaign report.csv", None),
        ("report_2024-01-07_2024-01-01.csv", None),  # end before start
    ],
)
def test_period_from_file_name(name, expected):
    assert period_from_file_name(name) == expected
