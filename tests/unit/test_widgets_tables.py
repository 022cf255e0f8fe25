"""The shared table helper: an empty cell's reason reaches the column's tooltip, money columns follow one
cents rule (shopdata/ui/widgets.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from shopdata.ui import i18n, widgets


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a script run the helpers speak the language of the latest run, which an earlier test may have
    left in 中文; these tests read the English texts."""
    monkeypatch.setattr(i18n, "_latest_language", "en")


def test_a_column_with_an_empty_cell_says_why_in_its_tooltip() -> None:
    frame = pd.DataFrame({"Stage": ["Viewed", "Bought"], "From previous": [math.nan, 0.25], "Users": [10.0, 2.0]})
    config = {
        "From previous": widgets.percent_column("From previous", missing="the first stage has no stage before it."),
        "Users": widgets.count_column("Users", missing="never shown: no cell is empty"),
    }
    styled, shown = widgets._styled(frame, config)
    assert shown is not None
    assert "— means: the first stage has no stage before it." in shown["From previous"]["help"]
    assert "help" not in shown["Users"] or "never shown" not in (shown["Users"]["help"] or "")
    assert all(widgets.FORMAT_KEY not in entry and widgets.MISSING_KEY not in entry for entry in shown.values())
    cells = styled.to_html()  # type: ignore[attr-defined]
    assert ">25.00%<" in cells and ">—<" in cells


def test_a_column_without_its_own_reason_gets_the_general_one() -> None:
    frame = pd.DataFrame({"CPA": [math.nan, 5.0]})
    _, shown = widgets._styled(frame, {"CPA": widgets.money_column("CPA", "CNY")})
    assert shown is not None and "divide by zero" in shown["CPA"]["help"]


def test_a_money_column_keeps_cents_only_when_all_its_amounts_are_small() -> None:
    big = pd.DataFrame({"Spend": [12_345.67, 9_876.54]})
    small = pd.DataFrame({"Spend": [123.45, 9_876.54]})
    config = {"Spend": widgets.money_column("Spend", "CNY")}
    assert ">¥12,346<" in widgets._styled(big, config)[0].to_html()  # type: ignore[attr-defined]
    assert ">¥9,877<" in widgets._styled(big, config)[0].to_html()  # type: ignore[attr-defined]
    assert ">¥9,876.54<" in widgets._styled(small, config)[0].to_html()  # type: ignore[attr-defined]


def _marshalled(styler: object) -> tuple[str, str, str, pd.DataFrame]:
    """What Streamlit sends the browser for a styled table: the styler's uuid, caption, CSS and display values."""
    import pyarrow as pa
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData

    proto = ArrowData()
    marshall_styler(proto, styler, "fixed")
    shown = pa.ipc.open_stream(proto.styler.display_values).read_all().to_pandas()
    return proto.styler.uuid, proto.styler.caption, proto.styler.styles, shown


def test_a_table_is_drawn_with_the_cells_pandas_would_write() -> None:
    """The quick way to draw a table (widgets._quick_to_draw) sends the browser what pandas' own rendering of
    the styler does, cell for cell: formatted columns, an empty cell, text, a date, Arrow-backed text and
    numbers and a column without a format (pandas' default: six decimals)."""
    frame = pd.DataFrame(
        {
            "Product": ["A-1", None, "杯子"],
            "Spend": [12_345.67, math.nan, 0.75],
            "Share": [0.25, 1.0, math.nan],
            "Change": [0.1, -0.05, math.nan],
            "Orders": [3, 0, 12],
            "Day": pd.to_datetime(["2026-10-01", "2026-10-02", None]),
            "Shop": pd.array(["own", None, "rival"], dtype="string[pyarrow]"),
            "Units": pd.array([1.5, None, 2.0], dtype="double[pyarrow]"),
            "Raw": [0.123, math.nan, 7.0],
        }
    )
    config = {
        "Spend": widgets.money_column("Spend", "CNY"),
        "Share": widgets.percent_column("Share"),
        "Change": widgets.percent_column("Change", signed=True),
        "Orders": widgets.count_column("Orders"),
    }
    by_pandas = _marshalled(widgets._styled(frame, config)[0])
    quick = _marshalled(widgets._quick_to_draw(widgets._styled(frame, config)[0]))
    assert quick[1:3] == by_pandas[1:3]  # no caption, no CSS (the uuid is each styler's own)
    pd.testing.assert_frame_equal(quick[3], by_pandas[3])
    # and they are the written cells, not the values: worked out by hand
    assert quick[3]["Spend"].tolist() == ["¥12,346", "—", "¥1"]
    assert quick[3]["Raw"].tolist() == ["0.123000", "nan", "7.000000"]
    assert quick[3]["Product"].tolist() == ["A-1", "nan", "杯子"]  # pandas 3 reads the None as missing text


def test_a_styler_with_style_functions_is_drawn_by_pandas() -> None:
    """CSS comes only from pandas' own rendering: a styler with a style function is left to it."""
    frame = pd.DataFrame({"Spend": [1.0, 2.0]})
    styler = frame.style.map(lambda v: "color: red" if v > 1 else "")
    assert widgets._quick_to_draw(styler) is styler
    assert "color: red" in _marshalled(styler)[2]


def _drawn(frame: pd.DataFrame, config: dict) -> tuple[pd.DataFrame, bool]:
    """What Streamlit sends for the table as frame_table draws it, and whether its cells were written afresh."""
    styler = widgets._quick_to_draw(widgets._styled(frame, config)[0], widgets._cells_key(frame, config))
    written: list[bool] = []
    translate = styler._translate  # type: ignore[attr-defined]

    def watched(*args: object, **kwargs: object) -> object:
        values = translate(*args, **kwargs)
        make = values._make
        values._make = lambda: written.append(True) or make()
        return values

    styler._translate = watched  # type: ignore[attr-defined]
    return _marshalled(styler)[3], bool(written)


@pytest.fixture
def nothing_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(widgets, "_SENT_CELLS", type(widgets._SENT_CELLS)())


SPEND = {"Spend": widgets.money_column("Spend", "CNY"), "Share": widgets.percent_column("Share")}


def test_a_table_drawn_again_sends_the_cells_it_sent_without_writing_them(nothing_sent: None) -> None:
    frame = pd.DataFrame({"Product": ["A", "B"], "Spend": [12.5, math.nan], "Share": [0.25, 0.5]})
    first, written_first = _drawn(frame, SPEND)
    again, written_again = _drawn(frame.copy(), SPEND)  # the same cells in another frame, as a warm rerun has
    assert (written_first, written_again) == (True, False)
    pd.testing.assert_frame_equal(again, first)
    assert first["Spend"].tolist() == ["¥12.50", "—"] and first["Share"].tolist() == ["25.00%", "50.00%"]


def test_a_table_with_another_cell_format_or_index_is_written_afresh(nothing_sent: None) -> None:
    frame = pd.DataFrame({"Product": ["A", "B"], "Spend": [12.5, 3.0], "Share": [0.25, 0.5]})
    _drawn(frame, SPEND)
    changed = frame.assign(Spend=[12.5, 4.0])
    shown, written = _drawn(changed, SPEND)
    assert written and shown["Spend"].tolist() == ["¥12.50", "¥4.00"]
    in_dollars = {**SPEND, "Spend": widgets.money_column("Spend", "USD")}
    shown, written = _drawn(frame, in_dollars)
    assert written and shown["Spend"].tolist() == ["$12.50", "$3.00"]
    renamed = frame.rename(columns={"Product": "Item"})
    shown, written = _drawn(renamed, SPEND)
    assert written and list(shown.columns) == ["Item", "Spend", "Share"]
    moved = frame.set_axis([5, 6])
    shown, written = _drawn(moved, SPEND)
    assert written and shown.index.tolist() == [5, 6]


def test_a_table_whose_cells_cannot_be_fingerprinted_is_written_every_time(nothing_sent: None) -> None:
    frame = pd.DataFrame({"Keys": [["K1", "K2"], ["K3"]], "Spend": [1.0, 2.0]})
    config = {"Spend": widgets.money_column("Spend", "CNY")}
    assert widgets._cells_key(frame, config) is None
    for _ in range(2):
        shown, written = _drawn(frame, config)
        assert written and shown["Spend"].tolist() == ["¥1.00", "¥2.00"]
    assert not widgets._SENT_CELLS


def test_the_cells_kept_stay_under_their_byte_budget(nothing_sent: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables' cells are kept up to SENT_CELLS_BYTES in all, oldest dropped first; a table whose cells alone are
    more is sent and not kept (still drawn as written)."""
    small = pd.DataFrame({"Spend": [1.0, 2.0]})
    config = {"Spend": widgets.money_column("Spend", "CNY")}
    _drawn(small, config)
    one = len(next(iter(widgets._SENT_CELLS.values())))
    monkeypatch.setattr(widgets, "SENT_CELLS_BYTES", 2 * one + one // 2)  # room for two such tables, not three
    for n in (3.0, 4.0):
        _drawn(small.assign(Spend=[1.0, n]), config)
    assert len(widgets._SENT_CELLS) == 2
    assert sum(map(len, widgets._SENT_CELLS.values())) <= widgets.SENT_CELLS_BYTES
    _, written = _drawn(small, config)  # the first table's cells went first: written again
    assert written
    big = pd.DataFrame({"Spend": [float(n) for n in range(200)]})
    shown, written = _drawn(big, config)
    assert written and shown["Spend"].tolist()[:2] == ["¥0.00", "¥1.00"]
    assert widgets._cells_key(big, config) not in widgets._SENT_CELLS
