"""shopdata.schema: the facts other modules read from it (days, periods, keys) hold together."""

from __future__ import annotations

import pytest

from shopdata.schema import FACT_KINDS, META_TABLES, TABLES, Column, Table


def test_each_fact_table_says_which_columns_hold_a_rows_days() -> None:
    days = {kind: TABLES[kind].day_columns() for kind in FACT_KINDS if TABLES[kind].day_column is not None}
    assert days == {
        "events": ("event_date", "event_date"),
        "traffic": ("date", "end_date"),
        "ads": ("date", "end_date"),
        "prices": ("date", "end_date"),
        "rival_metrics": ("date", "end_date"),
        "rival_promotions": ("date", "end_date"),
        "orders": ("order_date", "order_date"),
    }
    assert [kind for kind in FACT_KINDS if TABLES[kind].covers_period] == [
        "traffic",
        "ads",
        "prices",
        "rival_metrics",
        "rival_promotions",
    ]
    with pytest.raises(ValueError, match="products table has no day column"):
        TABLES["products"].day_columns()


def test_natural_keys_name_columns_of_their_table() -> None:
    for table in TABLES.values():
        assert table.natural_key and set(table.natural_key) <= set(table.column_names), table.name
    assert not any(t.natural_key or t.day_column for t in META_TABLES.values())


def test_a_table_whose_day_column_is_missing_is_refused() -> None:
    columns = (Column("store", "text", "s"), Column("day", "date", "d"))
    with pytest.raises(ValueError, match="day column when is not one of its columns"):
        Table("t", "doc", columns, day_column="when")
    with pytest.raises(ValueError, match="cover a period has date and end_date"):
        Table("t", "doc", columns, day_column="day", covers_period=True)
