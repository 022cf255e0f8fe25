"""The prices page's drawing rules: long tracks thinned with their extremes kept, a date axis for any track."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from shopdata.metrics import prices
from shopdata.ui import prices as ui


def track(name: str, values: list[float], own: bool = False) -> pd.DataFrame:
    days = [date(2024, 1, 1) + timedelta(days=i) for i in range(len(values))]
    return pd.DataFrame({"date": days, "price": values, "track": name, "own": own})


def test_a_long_track_is_thinned_and_keeps_its_extremes_and_ends() -> None:
    values = [100.0 + (i % 37) for i in range(3000)]
    values[1234], values[2345] = 5.0, 999.0
    series = pd.concat([track("long", values, own=True), track("short", [3.0, 4.0, 5.0])], ignore_index=True)
    shown = prices.display_series(series, max_points=200)
    long = shown[shown["track"] == "long"]
    assert len(long) <= 200 + 2
    assert (long["price"].min(), long["price"].max()) == (5.0, 999.0)
    assert long["date"].iloc[0] == date(2024, 1, 1) and long["date"].iloc[-1] == date(2024, 1, 1) + timedelta(2999)
    assert list(long["date"]) == sorted(long["date"])
    assert shown[shown["track"] == "short"]["price"].tolist() == [3.0, 4.0, 5.0]


def test_one_observation_gets_a_date_axis_of_days() -> None:
    fig = ui.track_figure(track("one", [42.0]), "one", "CNY")
    axis = fig.layout.xaxis
    assert axis.type == "date"
    assert axis.dtick == 86_400_000  # one tick per day, not milliseconds around an instant
    start, end = (pd.Timestamp(v) for v in axis.range)
    assert start < pd.Timestamp("2024-01-01") < end and end - start == pd.Timedelta(days=1)


def test_a_long_track_keeps_plotly_day_ticks_on_a_date_axis() -> None:
    fig = ui.track_figure(track("month", [1.0] * 60), "month", "CNY")
    assert fig.layout.xaxis.type == "date" and fig.layout.xaxis.range is None
