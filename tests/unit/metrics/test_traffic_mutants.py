"""What the traffic page says that no traffic test varied until a mutation run (`make mutation MODULES=traffic`)
changed it unnoticed: the all-clear only over sources really compared, the sentence naming one source for both
losses in 中文, the loss table's columns, a single source's share, the fourth source level. Values worked out by
hand; the store-backed ones on DuckDB and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest

from shopdata.errors import ReportError
from shopdata.metrics import traffic
from shopdata.store import Warehouse
from tests.unit.metrics.test_query import load
from tests.unit.metrics.test_traffic import D1, NOW, sycm

MEASURES = ("visitors", "revenue")


def changes(rows: dict[str, tuple[float, float, float, float]]) -> pd.DataFrame:
    """source -> (visitors before, now, revenue before, now), as source_changes lays them out."""
    frame = {"source": list(rows)}
    for n, m in enumerate(MEASURES):
        before = [r[2 * n] for r in rows.values()]
        now = [r[2 * n + 1] for r in rows.values()]
        frame |= {
            m: now,
            f"{m}_previous": before,
            f"{m}_change": [a - b for a, b in zip(now, before, strict=True)],
            f"{m}_change_pct": [(a - b) / b for a, b in zip(now, before, strict=True)],
        }
    return pd.DataFrame(frame)


def test_the_all_clear_counts_the_sources_compared_and_nothing_compared_is_not_one() -> None:
    # A: 10 → 12 visitors, ¥100 → ¥150; B: 5 → 5, ¥20 → ¥20. Two sources compared, neither lost anything.
    grew = changes({"A": (10.0, 12.0, 100.0, 150.0), "B": (5.0, 5.0, 20.0, 20.0)})
    assert traffic.loss_summary(grew, "en", "CNY") == (
        "2 sources compared: none lost visitors or revenue against the comparison period."
    )
    assert traffic.loss_summary(grew, "zh", "CNY") == "共对比 2 个来源：与对比期相比，没有来源的访客数或销售额下降。"
    # No rows at all: not "1 source compared", nothing compared.
    nothing = changes({})
    assert traffic.compared_sources(nothing, "visitors") == 0
    assert traffic.loss_summary(nothing, "en") == (
        "Nothing compared: the comparison period has no traffic by source here, so no loss can be seen."
    )


def test_one_source_losing_both_is_named_once_in_either_language() -> None:
    # A: 40 → 30 visitors, ¥400 → ¥100; B grew. A lost the most of both.
    lost = changes({"A": (40.0, 30.0, 400.0, 100.0), "B": (10.0, 20.0, 50.0, 60.0)})
    assert traffic.loss_summary(lost, "zh", "CNY") == (
        "访客和销售额流失最多的都是 A：访客减少 10（-25.0%），销售额减少 ¥300.00（-75.0%）。"
    )
    table = traffic.losses(lost, "revenue")
    assert list(table.columns) == ["source", "previous", "current", "change", "change_pct"]
    assert table.to_dict("records") == [
        {"source": "A", "previous": 400.0, "current": 100.0, "change": -300.0, "change_pct": -0.75}
    ]


def test_a_single_source_has_all_the_share(store: Warehouse) -> None:
    # One source with one visitor: it is 100 % of the visitors (not unknown).
    load(store, "traffic", [sycm(D1, "淘内免费", None, 1, 0, 0)], "sycm")
    table = traffic.source_table(store.engine.ibis(), NOW)
    assert table[["source", "visitors", "share"]].values.tolist() == [["淘内免费", 1.0, 1.0]]


def test_the_fourth_source_level_is_the_deepest(store: Warehouse) -> None:
    # 付费推广 › 万相台 › 关键词推广 › A (30 visitors) and B (10): the fourth level has children to show.
    path = ("付费推广", "万相台", "关键词推广")
    rows = [
        sycm(D1, path[0], path[1], v, 1, 10 * v) | {"source_3": path[2], "source_4": name, "source_level": 4}
        for name, v in (("A", 30), ("B", 10))
    ]
    load(store, "traffic", rows, "sycm")
    backend = store.engine.ibis()
    table = traffic.source_table(backend, NOW, path)
    assert table[["source", "visitors", "share"]].values.tolist() == [["A", 30.0, 0.75], ["B", 10.0, 0.25]]
    with pytest.raises(ValueError) as refused:
        traffic.source_table(backend, NOW, (*path, "A"))
    assert str(refused.value) == "a source path has at most 3 ancestors, got ['付费推广', '万相台', '关键词推广', 'A']"


def test_an_unknown_breakdown_is_refused_by_name(store: Warehouse) -> None:
    with pytest.raises(ReportError) as refused:
        traffic.report_records(store.engine.ibis(), NOW, None, by="campaign")
    assert refused.value.message == "the traffic report breaks down by source_1 or source_2, not 'campaign'"
