"""The results cache's own rules, checked without a warehouse (`make mutation MODULES=cache`): a wrong key shows
one store's or one period's figures for another, or stale figures after an upload; a wrong copy lets a page change
what the next rerun shows. A stand-in engine (its URL, the data generation it reports and the calls a Source
passes on) takes the place of a database; every expected value is worked out by hand."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from types import MappingProxyType, SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from shopdata.metrics import cache
from shopdata.metrics.cache import (
    MAX_ENTRIES,
    RESULTS,
    ResultCache,
    Source,
    UncacheableArgument,
    _copied,
    _key_part,
    _private_copy,
    cached,
    caches_results,
    source,
    uncached_source,
)

D1, D2 = date(2024, 3, 1), date(2024, 3, 2)


@pytest.fixture(autouse=True)
def empty_cache():
    RESULTS.clear()
    # What _copied has learnt of each record type, learnt afresh by each test (a mutation run forks its mutants
    # from a process that has run the tests: a filled memo would hide a wrong rule).
    cache._FROZEN_FIELDS.clear()
    yield
    RESULTS.clear()


class _Result:
    def __init__(self, value: Any) -> None:
        self.value = value

    def scalar(self) -> Any:
        return self.value


class FakeEngine:
    """What a Source and `source` ask of an Engine: its URL, the data generation query and the calls passed on
    (recorded, each answered by a value that names it)."""

    def __init__(self, url: str, generation: int | None = 0) -> None:
        self.url = url
        self.generation = generation
        self.calls: list[tuple] = []

    def execute(self, sql: str, params: Any = ()) -> _Result:
        self.calls.append(("execute", sql))
        return _Result(self.generation)

    def ibis_table(self, name: str) -> str:
        self.calls.append(("ibis_table", name))
        return f"table {name}"

    def ibis_arrow(self, expr: Any, values: Any) -> str:
        self.calls.append(("ibis_arrow", expr, values))
        return "arrow"

    def existing_materialized(self, generation: int, key: Any) -> str:
        self.calls.append(("existing_materialized", generation, key))
        return "existing"

    def materialized(self, generation: int, key: Any, expr: Any, values: Any) -> str:
        self.calls.append(("materialized", generation, key, expr, values))
        return "made"


def at(url: str, generation: int | None) -> Source:
    return Source(FakeEngine(url), generation)  # type: ignore[arg-type]


# ---------------------------------------------------------------- ResultCache: LRU, bound, counts


def test_a_missing_key_is_a_miss_and_a_stored_one_a_hit() -> None:
    results = ResultCache()
    assert results.get("k") == (False, None)
    assert (results.hits, results.misses) == (0, 1)
    results.put("k", 7)
    assert results.get("k") == (True, 7)
    assert results.get("k") == (True, 7)
    assert results.get("other") == (False, None)
    assert (results.hits, results.misses) == (2, 2)
    assert len(results) == 1


def test_a_put_counts_neither_a_hit_nor_a_miss() -> None:
    results = ResultCache()
    results.put("a", 1)
    results.put("a", 2)
    assert (results.hits, results.misses) == (0, 0)
    assert len(results) == 1


def test_the_bound_keeps_the_most_recent_max_entries() -> None:
    results = ResultCache(max_entries=3)
    for n in range(5):
        results.put(("u", 1, n), n)
    assert len(results) == 3
    assert [results.get(("u", 1, n)) for n in range(5)] == [
        (False, None),
        (False, None),
        (True, 2),
        (True, 3),
        (True, 4),
    ]


def test_the_default_bound_is_max_entries() -> None:
    results = ResultCache()
    assert results.max_entries == MAX_ENTRIES == 512
    for n in range(MAX_ENTRIES + 1):
        results.put(n, n)
    assert len(results) == MAX_ENTRIES
    assert results.get(0) == (False, None)  # the first stored, never read again: gone
    assert results.get(1) == (True, 1) and results.get(MAX_ENTRIES) == (True, MAX_ENTRIES)


def test_a_get_makes_an_entry_the_most_recent() -> None:
    results = ResultCache(max_entries=2)
    results.put("a", 1)
    results.put("b", 2)
    assert results.get("a") == (True, 1)
    results.put("c", 3)  # "b" is now the least recently used
    assert results.get("b") == (False, None)
    assert results.get("a") == (True, 1) and results.get("c") == (True, 3)


def test_a_put_of_a_stored_key_replaces_its_value_and_makes_it_the_most_recent() -> None:
    results = ResultCache(max_entries=2)
    results.put("a", 1)
    results.put("b", 2)
    results.put("a", 10)
    results.put("c", 3)  # "b" is now the least recently used
    assert len(results) == 2
    assert results.get("b") == (False, None)
    assert results.get("a") == (True, 10) and results.get("c") == (True, 3)


def test_a_bound_of_one_keeps_only_the_last() -> None:
    results = ResultCache(max_entries=1)
    results.put("a", 1)
    results.put("b", 2)
    assert len(results) == 1
    assert results.get("a") == (False, None) and results.get("b") == (True, 2)


# ---------------------------------------------------------------- ResultCache: forget_older, clear


def test_a_newer_generation_drops_only_that_urls_older_generations() -> None:
    results = ResultCache()
    for key in [("u", 1, "f"), ("u", 2, "f"), ("u", 3, "f"), ("v", 1, "f"), ("v", 5, "f")]:
        results.put(key, key[1])
    results.forget_older("u", 2)
    assert len(results) == 4
    assert results.get(("u", 1, "f")) == (False, None)
    assert results.get(("u", 2, "f")) == (True, 2)  # the generation seen itself stays
    assert results.get(("u", 3, "f")) == (True, 3)
    assert results.get(("v", 1, "f")) == (True, 1) and results.get(("v", 5, "f")) == (True, 5)


def test_a_generation_not_newer_than_the_newest_seen_does_nothing() -> None:
    results = ResultCache()
    results.forget_older("u", 3)
    # A rerun that read generation 1 or 2 before the teammate's upload stores its results afterwards.
    results.put(("u", 1, "f"), 1)
    results.put(("u", 2, "f"), 2)
    results.forget_older("u", 3)  # the same generation again
    results.forget_older("u", 2)  # an older one
    assert len(results) == 2
    results.forget_older("u", 4)
    assert len(results) == 0


def test_the_newest_generation_is_remembered_per_url() -> None:
    results = ResultCache()
    results.forget_older("v", 9)
    results.put(("u", 1, "f"), 1)
    results.put(("v", 1, "f"), 1)
    results.forget_older("u", 2)  # older than v's newest, but the first seen of u
    assert results.get(("u", 1, "f")) == (False, None)
    assert results.get(("v", 1, "f")) == (True, 1)


def test_the_first_load_of_an_empty_database_drops_generation_0() -> None:
    results = ResultCache()
    results.put(("u", 0, "f"), "empty")  # an empty database is at generation 0
    results.forget_older("u", 0)
    assert results.get(("u", 0, "f")) == (True, "empty")
    results.forget_older("u", 1)  # its first load
    assert results.get(("u", 0, "f")) == (False, None)


def test_clear_empties_the_entries_counts_and_the_generations_seen() -> None:
    results = ResultCache()
    results.put(("u", 1, "f"), 1)
    results.get(("u", 1, "f"))
    results.get(("u", 2, "f"))
    results.forget_older("u", 5)
    results.clear()
    assert len(results) == 0 and (results.hits, results.misses) == (0, 0)
    results.put(("u", 1, "f"), 1)
    results.forget_older("u", 5)  # generation 5 is new again after a clear
    assert len(results) == 0


# ---------------------------------------------------------------- _key_part


def test_values_equal_in_python_but_of_other_types_are_other_keys() -> None:
    parts = [_key_part(v) for v in (1, 1.0, True, "1", None, 0, False, "", D1, datetime(2024, 3, 1))]
    assert len(set(parts)) == len(parts)
    assert _key_part(1) == _key_part(1) and _key_part(D1) == _key_part(date(2024, 3, 1))
    assert _key_part(1.5) != _key_part(2.5) and _key_part("a") != _key_part("b")


def test_lists_and_tuples_are_keyed_by_kind_order_and_items() -> None:
    assert _key_part([1, 2]) == _key_part([1, 2])
    assert _key_part((1, 2)) == _key_part((1, 2))
    assert _key_part([1, 2]) != _key_part((1, 2))
    assert _key_part([1, 2]) != _key_part([2, 1])
    assert _key_part([1, 2]) != _key_part([1, 3])
    assert _key_part([1, [2]]) != _key_part([1, (2,)])
    assert _key_part([1]) != _key_part([1.0]) and _key_part(()) != _key_part([])


def test_sets_are_keyed_whatever_their_order() -> None:
    first, second = {1, 9}, {9, 1}
    assert list(first) == [1, 9] and list(second) == [9, 1]  # the same set, iterated in two orders
    assert _key_part(first) == _key_part(second)
    assert _key_part({1, 2}) == _key_part(frozenset({2, 1}))  # equal in Python: the same key
    assert _key_part({1, 2}) != _key_part({1, 3})
    assert _key_part({1, 2}) != _key_part([1, 2]) and _key_part({1, 2}) != _key_part((1, 2))
    assert _key_part({"a", 1}) == _key_part({1, "a"})  # items of several types
    naive, aware = datetime(2024, 3, 1), datetime(2024, 3, 1, tzinfo=UTC)  # they cannot be ordered
    assert _key_part({naive, aware}) == _key_part({aware, naive}) != _key_part({naive})


def test_mappings_are_keyed_whatever_their_order() -> None:
    assert _key_part({"a": 1, "b": 2}) == _key_part({"b": 2, "a": 1})
    assert _key_part({"a": 1}) == _key_part(MappingProxyType({"a": 1}))
    assert _key_part({"a": 1}) != _key_part({"a": 2})
    assert _key_part({"a": 1}) != _key_part({"b": 1})
    assert _key_part({"a": 1}) != _key_part({1: "a"})
    assert _key_part({"a": 1}) != _key_part([("a", 1)]) and _key_part({"a": 1}) != _key_part({"a", 1})
    assert _key_part({1: "x", "1": "y"}) == _key_part({"1": "y", 1: "x"})
    naive, aware = datetime(2024, 3, 1), datetime(2024, 3, 1, tzinfo=UTC)
    assert _key_part({naive: 1, aware: 2}) == _key_part({aware: 2, naive: 1}) != _key_part({naive: 2, aware: 1})


@dataclasses.dataclass(frozen=True)
class Window:
    start: date
    end: date
    stores: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Span:
    start: date
    end: date
    stores: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Request:
    window: Window
    metrics: list[str]


def _same_name(**fields: type) -> type:
    """A dataclass named Twin in this module, with the given fields."""
    made = dataclasses.make_dataclass("Twin", list(fields.items()), frozen=True)
    made.__module__, made.__qualname__ = __name__, "Twin"
    return made


def test_dataclasses_are_keyed_by_class_and_every_field() -> None:
    assert _key_part(Window(D1, D2)) == _key_part(Window(D1, D2))
    assert _key_part(Window(D1, D2)) != _key_part(Window(D1, D1))
    assert _key_part(Window(D1, D2)) != _key_part(Window(D2, D2))
    assert _key_part(Window(D1, D2, ("S",))) != _key_part(Window(D1, D2, ("T",)))
    assert _key_part(Window(D1, D2)) != _key_part(Span(D1, D2))  # the same fields, another class
    assert _key_part(Request(Window(D1, D2), ["visitors"])) == _key_part(Request(Window(D1, D2), ["visitors"]))
    assert _key_part(Request(Window(D1, D2), ["visitors"])) != _key_part(Request(Window(D1, D1), ["visitors"]))
    assert _key_part(Request(Window(D1, D2), ["visitors"])) != _key_part(Request(Window(D1, D2), ["orders"]))


def test_dataclasses_of_one_name_are_keyed_by_module_and_field_names() -> None:
    x_twin, y_twin = _same_name(x=int), _same_name(y=int)
    assert _key_part(x_twin(1)) == _key_part(x_twin(1))
    assert _key_part(x_twin(1)) != _key_part(y_twin(1))
    elsewhere = _same_name(x=int)
    elsewhere.__module__ = "elsewhere"
    assert _key_part(x_twin(1)) != _key_part(elsewhere(1))


def test_what_cannot_be_keyed_is_refused_by_its_type_name() -> None:
    with pytest.raises(UncacheableArgument) as refused:
        _key_part(pd.DataFrame({"a": [1]}))
    assert str(refused.value) == "DataFrame cannot be part of a cache key"
    assert isinstance(refused.value, TypeError)
    with pytest.raises(UncacheableArgument, match="^Series cannot be part of a cache key$"):
        _key_part([1, pd.Series([1])])
    with pytest.raises(UncacheableArgument, match="^object cannot be part of a cache key$"):
        _key_part({"a": object()})
    with pytest.raises(UncacheableArgument, match="^type cannot be part of a cache key$"):
        _key_part(Window)  # a dataclass itself, not one of its records


# ---------------------------------------------------------------- _copied: what a reader gets


@dataclasses.dataclass(frozen=True)
class Event:
    day: date
    rival: str
    price: float | None = None


@dataclasses.dataclass(frozen=True)
class Events:
    events: tuple[Event, ...]
    frame: pd.DataFrame | None = None


@dataclasses.dataclass
class Settable:
    rival: str
    prices: list[float] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Tally:
    name: str
    seen: list[int] = dataclasses.field(init=False, default_factory=list)


def test_immutable_values_are_handed_out_as_they_are() -> None:
    table = pa.table({"a": [1, 2]})
    for value in ("text", 10**20, 1.5, True, None, D1, datetime(2024, 3, 1, 12), table):
        assert _copied(value) is value
        assert _private_copy(value) is value
    # Kinds of those (numpy's float, pandas' timestamp) too: immutable whatever their exact type.
    for value in (np.float64(2.5), pd.Timestamp("2024-03-01 12:00")):
        assert _copied(value) is value
    results = ResultCache()
    results.put("table", table)
    assert results.get("table")[1] is table


def test_frames_and_series_are_copied() -> None:
    frame = pd.DataFrame({"source": ["direct", "ads"], "visitors": [100.0, 30.0]})
    copied = _copied(frame)
    assert copied is not frame
    copied.loc[0, "visitors"] = -1.0
    assert frame["visitors"].tolist() == [100.0, 30.0]
    series = pd.Series([1.0, 2.0], name="visitors")
    again = _copied(series)
    assert again is not series and again.name == "visitors"
    again.iloc[0] = -1.0
    assert series.tolist() == [1.0, 2.0]


def test_a_write_past_copy_on_write_does_not_reach_the_cached_frame() -> None:
    frame = pd.DataFrame({"visitors": [100.0, 30.0]})
    copied = _copied(frame)
    copied["visitors"].array[0] = -1.0  # the array itself, which copy-on-write does not guard
    assert frame["visitors"].tolist() == [100.0, 30.0]
    series = pd.Series([1.0, 2.0])
    again = _copied(series)
    again.array[0] = -1.0
    assert series.tolist() == [1.0, 2.0]


def test_a_cached_frame_is_not_changed_by_the_writer_or_a_reader() -> None:
    results = ResultCache()
    frame = pd.DataFrame({"visitors": [100.0, 30.0]})
    results.put("f", frame)
    frame.loc[0, "visitors"] = 0.0  # the function's caller changes what it got after the put
    _, first = results.get("f")
    assert first["visitors"].tolist() == [100.0, 30.0]
    first.loc[1, "visitors"] = 0.0
    first["added"] = 1
    _, second = results.get("f")
    assert second is not first
    pd.testing.assert_frame_equal(second, pd.DataFrame({"visitors": [100.0, 30.0]}))


def test_lists_and_dicts_are_rebuilt_around_copies() -> None:
    frame = pd.DataFrame({"a": [1]})
    cached_list = [frame, "x", [1, 2]]
    copied = _copied(cached_list)
    assert copied is not cached_list and copied[1] == "x" and copied[2] == [1, 2]
    assert copied[0] is not frame and copied[2] is not cached_list[2]
    pd.testing.assert_frame_equal(copied[0], pd.DataFrame({"a": [1]}))
    copied.append("y")
    copied[2].append(3)
    assert cached_list[1:] == ["x", [1, 2]] and len(cached_list) == 3

    cached_dict = {"total": 5, "rows": [1], "frame": frame}
    found = _copied(cached_dict)
    assert found is not cached_dict and list(found) == ["total", "rows", "frame"]
    assert found["total"] == 5 and found["rows"] == [1] and found["rows"] is not cached_dict["rows"]
    assert found["frame"] is not frame
    found["total"] = 6
    assert cached_dict["total"] == 5


def test_lists_and_dicts_share_their_immutable_items() -> None:
    table, event = pa.table({"a": [1]}), Event(D1, "A", 9.0)
    found = _copied([table, event, D1])
    assert found == [table, event, D1] and all(c is v for c, v in zip(found, [table, event, D1], strict=True))
    mapping = _copied({"table": table, "event": event, "day": D1})
    assert mapping["table"] is table and mapping["event"] is event and mapping["day"] is D1


def test_a_tuple_of_immutables_is_handed_out_as_it_is() -> None:
    value = ("a", 1, D1, None, ("nested", 2.0))
    assert _copied(value) is value
    assert _copied(()) == ()


def test_a_tuple_holding_something_changeable_is_copied() -> None:
    frame = pd.DataFrame({"a": [1]})
    value = ("label", frame, [1])
    copied = _copied(value)
    assert type(copied) is tuple and copied is not value and len(copied) == 3
    assert copied[0] == "label" and copied[1] is not frame and copied[2] == [1] and copied[2] is not value[2]
    copied[1].loc[0, "a"] = 9
    copied[2].append(2)
    assert frame["a"].tolist() == [1] and value[2] == [1]


def test_a_frozen_dataclass_of_immutables_is_handed_out_as_it_is() -> None:
    value = Events((Event(D1, "A", 9.0), Event(D2, "B")))
    assert _copied(value) is value
    assert _copied(Event(D1, "A")) == Event(D1, "A")


def test_a_frozen_dataclass_of_plain_values_and_tuples_of_them_is_handed_out_as_it_is() -> None:
    value = Window(D1, D2, ("S", "T"))
    assert _copied(value) is value
    assert _copied([value])[0] is value


def test_a_frozen_dataclass_whose_tuple_holds_a_list_is_copied_with_the_list() -> None:
    value = Window(D1, D2, (["S"],))  # type: ignore[arg-type]
    copied = _copied(value)
    assert copied == value and copied is not value
    copied.stores[0].append("T")
    assert value.stores == (["S"],)


def test_a_frozen_dataclass_holding_a_list_is_copied_with_its_list() -> None:
    # Frozen, yet its list can change in place: handed out as it is only when every field is a plain value.
    value = Request(Window(D1, D2, ("S",)), ["revenue"])
    copied = _copied(value)
    assert copied == value and copied is not value
    assert copied.window is value.window  # a frozen record of plain values inside it: itself
    copied.metrics.append("spend")
    assert value.metrics == ["revenue"]
    nested = Events((Event(D1, "A"),))
    assert _copied(Request(nested, ["x"])).window is nested  # type: ignore[arg-type]


def test_a_frozen_dataclass_holding_a_frame_is_copied() -> None:
    frame = pd.DataFrame({"a": [1]})
    value = Events((Event(D1, "A"),), frame)
    copied = _copied(value)
    assert type(copied) is Events and copied is not value
    assert copied.events is value.events and copied.frame is not frame
    copied.frame.loc[0, "a"] = 9
    assert frame["a"].tolist() == [1]


def test_a_dataclass_that_can_be_set_is_copied() -> None:
    value = Settable("A")
    copied = _copied(value)
    assert copied == Settable("A") and copied is not value
    copied.rival = "changed"
    assert value.rival == "A"
    with_list = Settable("B", [1.0])
    again = _copied(with_list)
    again.prices.append(2.0)
    assert with_list.prices == [1.0] and again.prices == [1.0, 2.0]


@dataclasses.dataclass
class Note:
    day: date
    text: str


def test_a_dataclass_of_plain_values_that_can_be_set_is_copied() -> None:
    # Every field a plain value, yet not frozen: a caller could set one, so it is never handed out as it is.
    value = Note(D1, "sale")
    copied = _copied(value)
    assert copied == Note(D1, "sale") and copied is not value
    copied.text = "changed"
    assert value.text == "sale"


def test_a_dataclass_with_a_field_not_in_its_init_is_deep_copied() -> None:
    value = Tally("a")
    value.seen.append(1)
    copied = _copied(value)
    assert type(copied) is Tally and copied is not value
    assert copied.name == "a" and copied.seen == [1] and copied.seen is not value.seen
    copied.seen.append(2)
    assert value.seen == [1]


def test_anything_else_is_deep_copied() -> None:
    value = {1, 2}
    copied = _copied(value)
    assert copied == {1, 2} and copied is not value
    nested = SimpleNamespace(items=[1])
    again = _copied(nested)
    again.items.append(2)
    assert nested.items == [1]


# ---------------------------------------------------------------- Source, source(), caches_results


def test_a_source_passes_its_calls_to_its_engine() -> None:
    engine = FakeEngine("u")
    src = Source(engine, 4)  # type: ignore[arg-type]
    assert src.table("orders") == "table orders"
    assert src.run_compiled("expr", {"p": "S"}) == "arrow"
    assert src.existing_materialized("lines") == "existing"
    assert src.materialized("lines", "expr", {"p": "S"}) == "made"
    assert engine.calls == [
        ("ibis_table", "orders"),
        ("ibis_arrow", "expr", {"p": "S"}),
        ("existing_materialized", 4, "lines"),
        ("materialized", 4, "lines", "expr", {"p": "S"}),
    ]


def test_an_uncached_source_materializes_nothing() -> None:
    engine = FakeEngine("u")
    src = uncached_source(engine)  # type: ignore[arg-type]
    assert src.engine is engine and src.generation is None
    assert src.existing_materialized("lines") is None
    assert src.materialized("lines", "expr", {}) is None
    assert src.table("orders") == "table orders"
    assert engine.calls == [("ibis_table", "orders")]


def test_source_reads_the_generation_and_forgets_that_urls_older_results() -> None:
    engine = FakeEngine("u", generation=2)
    RESULTS.put(("u", 1, "f"), "old")
    RESULTS.put(("u", 2, "f"), "current")
    RESULTS.put(("v", 1, "f"), "other warehouse")
    src = source(SimpleNamespace(engine=engine))  # type: ignore[arg-type]
    assert type(src) is Source and src.engine is engine and src.generation == 2
    assert [call[0] for call in engine.calls] == ["execute"]
    assert RESULTS.get(("u", 1, "f")) == (False, None)
    assert RESULTS.get(("u", 2, "f")) == (True, "current")
    assert RESULTS.get(("v", 1, "f")) == (True, "other warehouse")


def test_caches_results_only_for_a_source_with_a_generation() -> None:
    assert caches_results(at("u", 3)) is True
    assert caches_results(at("u", 0)) is True
    assert caches_results(at("u", None)) is False
    assert caches_results(SimpleNamespace(engine=FakeEngine("u"), generation=3)) is False
    assert caches_results(object()) is False


# ---------------------------------------------------------------- cached


def counting(calls: list[tuple]):
    """A metric function that records each computation and returns what it was called with, in a fresh list."""

    def figure(backend: Any, *args: Any, **kwargs: Any) -> list:
        calls.append((args, kwargs))
        return [args, sorted(kwargs.items())]

    return figure


def test_cached_keeps_the_functions_name_and_doc() -> None:
    def visitors(backend: Any) -> int:
        """The visitors."""
        return 1

    wrapped = cached(visitors)
    assert wrapped.__name__ == "visitors" and wrapped.__doc__ == "The visitors."
    assert wrapped.__wrapped__ is visitors  # type: ignore[attr-defined]


def test_anything_but_a_source_with_a_generation_computes_every_time() -> None:
    calls: list[tuple] = []
    figure = cached(counting(calls))
    for backend in (object(), SimpleNamespace(engine=FakeEngine("u"), generation=1), at("u", None)):
        assert figure(backend, 1, k=2) == [(1,), [("k", 2)]]
        assert figure(backend, 1, k=2) == [(1,), [("k", 2)]]
    assert len(calls) == 6
    assert len(RESULTS) == 0 and (RESULTS.hits, RESULTS.misses) == (0, 0)


def test_a_backend_given_by_keyword_computes_every_time() -> None:
    calls: list[tuple] = []
    figure = cached(counting(calls))
    assert figure(backend=at("u", 1)) == [(), []]
    assert figure(backend=at("u", 1)) == [(), []]
    assert len(calls) == 2 and len(RESULTS) == 0


def test_a_source_with_a_generation_computes_once_per_key() -> None:
    calls: list[tuple] = []
    figure = cached(counting(calls))
    src = at("u", 1)
    first = figure(src, "S", D1, by="day")
    assert first == [("S", D1), [("by", "day")]]
    assert (RESULTS.hits, RESULTS.misses, len(RESULTS)) == (0, 1, 1)
    second = figure(src, "S", D1, by="day")
    assert second == [("S", D1), [("by", "day")]]
    assert len(calls) == 1 and (RESULTS.hits, RESULTS.misses) == (1, 1)
    second.append("changed by a page")
    assert figure(src, "S", D1, by="day") == [("S", D1), [("by", "day")]]
    first.append("changed by the first caller")
    assert figure(at("u", 1), "S", D1, by="day") == [("S", D1), [("by", "day")]]  # the same URL, another engine
    assert len(calls) == 1 and RESULTS.hits == 3


def test_every_part_of_the_key_tells_results_apart() -> None:
    calls: list[tuple] = []
    figure = cached(counting(calls))
    src = at("u", 1)
    figure(src, "S", D1, by="day")
    assert figure(src, "T", D1, by="day") == [("T", D1), [("by", "day")]]  # another store
    assert figure(src, "S", D2, by="day") == [("S", D2), [("by", "day")]]  # another period
    assert figure(src, "S", D1, by="week") == [("S", D1), [("by", "week")]]  # another keyword value
    assert figure(src, "S", D1, per="day") == [("S", D1), [("per", "day")]]  # another keyword
    assert figure(src, "S", D1) == [("S", D1), []]
    assert figure(src, "S") == [("S",), []]
    assert figure(at("u", 2), "S", D1, by="day") == [("S", D1), [("by", "day")]]  # another generation
    assert figure(at("v", 1), "S", D1, by="day") == [("S", D1), [("by", "day")]]  # another warehouse
    assert len(calls) == 9 and RESULTS.hits == 0 and len(RESULTS) == 9


def test_another_function_with_the_same_arguments_computes_its_own() -> None:
    def visitors(backend: Any, store: str) -> str:
        return f"visitors of {store}"

    def orders(backend: Any, store: str) -> str:
        return f"orders of {store}"

    src = at("u", 1)
    assert cached(visitors)(src, "S") == "visitors of S"
    assert cached(orders)(src, "S") == "orders of S"
    assert cached(visitors)(src, "S") == "visitors of S"
    assert (RESULTS.hits, RESULTS.misses) == (1, 2)


def test_functions_of_one_name_in_two_modules_are_told_apart() -> None:
    def share(backend: Any) -> str:
        return "here"

    def other(backend: Any) -> str:
        return "elsewhere"

    other.__qualname__, other.__module__ = share.__qualname__, "elsewhere"
    src = at("u", 1)
    assert cached(share)(src) == "here"
    assert cached(other)(src) == "elsewhere"


def test_an_argument_that_cannot_be_keyed_is_refused_before_computing() -> None:
    calls: list[tuple] = []
    figure = cached(counting(calls))
    with pytest.raises(UncacheableArgument):
        figure(at("u", 1), pd.DataFrame({"a": [1]}))
    with pytest.raises(UncacheableArgument):
        figure(at("u", 1), frame=pd.DataFrame({"a": [1]}))
    assert calls == []
    assert figure(object(), pd.DataFrame({"a": [1]}))[0][0].shape == (1, 1)  # not a Source: nothing is keyed


def test_results_go_to_the_process_wide_cache() -> None:
    assert isinstance(cache.RESULTS, ResultCache) and cache.RESULTS.max_entries == MAX_ENTRIES
    figure = cached(counting([]))
    figure(at("u", 1), "S")
    assert len(cache.RESULTS) == 1
