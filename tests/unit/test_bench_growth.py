"""`make bench` at several warehouse sizes: how each figure grows from one size to the next."""

from __future__ import annotations

import pytest

from bench.__main__ import main
from bench.run import Config, format_growth, format_table, growth_records
from bench.warehouse import DEFAULT_SIZES, SIZES


def _figure(name: str, size: str, ours: float, baseline: float | None) -> dict:
    return {
        "name": f"{name}_{size}",
        "size": size,
        "ours_s": ours,
        "baseline_s": baseline,
        "ratio": None if baseline is None else ours / baseline,
        "target": None if baseline is None else 1.5,  # a report has a target, a page none
        "ok": None if baseline is None else ours / baseline <= 1.5,
        "unit": "s",
        "group": "reports",
        "cpus": 2,
        "max_loadavg_1m": 1.0,
    }


def test_growth_is_the_time_at_the_larger_size_over_the_smaller() -> None:
    records = [
        _figure("report_overview", "1m", 0.5, 0.25),
        _figure("page_funnel", "1m", 0.2, None),
        _figure("report_overview", "10m", 2.0, 1.5),
        _figure("page_funnel", "10m", 0.3, None),
        _figure("report_prices", "10m", 4.0, 2.0),  # measured at one size only: no growth
    ]
    growth = growth_records(records, ("10m", "1m"))  # ordered by events, not as given
    assert [(g["figure"], g["from_size"], g["to_size"]) for g in growth] == [
        ("report_overview", "1m", "10m"),
        ("page_funnel", "1m", "10m"),
    ]
    overview, funnel = growth
    assert overview["growth"] == 4.0 and overview["baseline_growth"] == 6.0 and overview["events_ratio"] == 10
    assert funnel["growth"] == 1.5 and funnel["baseline_growth"] is None
    table = format_growth(records + growth)
    assert next(line for line in table.splitlines() if line.startswith("report_overview")).split() == [
        "report_overview",
        "1m",
        "0.50",
        "s",
        "10m",
        "2.00",
        "s",
        "x10",
        "x4.00",
        "x6.00",
    ]
    # The figures' own table leaves the growth out (it has no baseline, target nor verdict).
    assert "growth_" not in format_table(records + growth)


def test_one_size_has_no_growth() -> None:
    assert growth_records([_figure("report_overview", "1m", 0.5, 0.25)], ("1m",)) == []
    assert format_growth([]) == ""


def test_sizes_are_ten_times_apart_and_the_default_is_1m_and_10m() -> None:
    assert DEFAULT_SIZES == ("1m", "10m")
    assert [SIZES[s].events for s in ("1m", "10m", "100m")] == [1_000_000, 10_000_000, 100_000_000]
    for small, large in (("1m", "10m"), ("10m", "100m")):
        assert (SIZES[large].ads, SIZES[large].order_lines) == (10 * SIZES[small].ads, 10 * SIZES[small].order_lines)
    assert (SIZES["10m"].events, SIZES["10m"].ads, SIZES["10m"].order_lines) == (
        Config.events,
        Config.ad_rows,
        Config.order_lines,
    )


def test_size_and_a_custom_shape_are_refused_together(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["--only", "reports", "--size", "1m", "--events", "1000"])
    assert "--size" in capsys.readouterr().err
