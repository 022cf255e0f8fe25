"""Metric results cached across reruns and sessions, keyed by (warehouse, data generation, function, arguments).

A page reruns from the top on every click; without this, every click ran every query of the page again.
The metric entry points the pages call are wrapped in `cached`. They take a `Source` as their `backend`:
the warehouse's connection plus the data generation read once at the start of the rerun
(`shopdata.generation.data_generation`, bumped in the same transaction as every load, batch or store delete,
settings change and restore). A result is reused only under the same URL, generation, function and
arguments, so a teammate's upload — which bumps the generation — makes every session's next rerun compute
afresh, and nothing older than what the database held at the start of the rerun is ever shown.

Why a library-level cache rather than `st.cache_data`: the key needs the generation and the warehouse
URL, which the metrics layer already has; it keeps streamlit out of shopdata/metrics (the lint rule);
its behaviour is tested without a Streamlit runtime; and the CLI and the bench can use the same path.
It is process-wide (all sessions of one server share it: they look at the same database), bounded
(least recently used entries go first) and thread-safe (every session runs in its own thread).

Results are handed out as copies (Arrow tables are immutable and shared): a page that changes a frame it
got cannot change what the next rerun gets. Called with anything but a `Source` (an Ibis backend from
a test or the CLI), the functions simply compute.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from shopdata.generation import data_generation

if TYPE_CHECKING:
    from shopdata.engine import Engine
    from shopdata.store import Warehouse

# About 60 entries per page and filter choice; a few hundred cover every page under several filter
# choices for a handful of sessions. Results on the demo store are kilobytes, on a large one a few MB.
MAX_ENTRIES = 512

P = ParamSpec("P")
R = TypeVar("R")


@dataclasses.dataclass(frozen=True, eq=False)
class Source:
    """What the metric functions read from: a session's engine, with the data generation the current rerun
    saw. It stands where an Ibis backend would (`query.table` asks it for tables)."""

    engine: Engine
    generation: int | None  # None: tables from the engine's cache, results never cached (see uncached_source)

    def table(self, name: str) -> ir.Table:
        return self.engine.ibis_table(name)

    def run_compiled(self, expr: ir.Expr, values: Mapping[Any, str]) -> Any:
        """Execute an expression whose scope parameters have `values` (shopdata.metrics.query.run)."""
        return self.engine.ibis_arrow(expr, values)

    def existing_materialized(self, key: Hashable) -> ir.Table | None:
        """The table `materialized` made for `key` at this Source's data generation, or None (Engine's)."""
        if self.generation is None:
            return None
        return self.engine.existing_materialized(self.generation, key)

    def materialized(self, key: Hashable, expr: ir.Table, values: Mapping[Any, str]) -> ir.Table | None:
        """`expr` as a temporary table of the session's connection, computed once per data generation and
        `key` (Engine.materialized), or None where results are not cached (then the expression is read)."""
        if self.generation is None:
            return None
        return self.engine.materialized(self.generation, key, expr, values)


def source(warehouse: Warehouse) -> Source:
    """A Source at the warehouse's current data generation (one small query). Read it once per rerun."""
    generation = data_generation(warehouse.engine)
    RESULTS.forget_older(warehouse.engine.url, generation)
    return Source(warehouse.engine, generation)


def caches_results(backend: Any) -> bool:
    """Whether `backend` is a page's Source (its results cached per data generation), where a figure read once
    for the store's every day and sliced per period costs less than a query per period."""
    return isinstance(backend, Source) and backend.generation is not None


def uncached_source(engine: Engine) -> Source:
    """A Source whose results are always computed (the tables still come from the engine's cache): for
    measuring the computation itself, or a one-off command."""
    return Source(engine, None)


class UncacheableArgument(TypeError):
    """A cached function was called with an argument that cannot be part of a key (a DataFrame, say)."""


def _key_part(value: Any) -> Hashable:
    """A hashable stand-in for an argument that compares equal exactly when the argument does."""
    if value is None or isinstance(value, (str, int, float, bool, date, datetime)):
        return (type(value).__name__, value)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_key_part(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted((_key_part(v) for v in value), key=repr)))
    if isinstance(value, Mapping):
        return ("map", tuple(sorted(((_key_part(k), _key_part(v)) for k, v in value.items()), key=repr)))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = tuple((f.name, _key_part(getattr(value, f.name))) for f in dataclasses.fields(value))
        return (type(value).__module__, type(value).__qualname__, fields)
    raise UncacheableArgument(f"{type(value).__name__} cannot be part of a cache key")


def _private_copy(value: R) -> R:
    return cast(R, _copied(value))


# Types whose values cannot change in place (and their subclasses: numpy's float, pandas' Timestamp); a record's
# fields are looked up by exact type, in the set.
_IMMUTABLE = (str, int, float, bool, date, datetime, type(None), pa.Table)
_IMMUTABLE_TYPES = frozenset(_IMMUTABLE)
# A frozen dataclass type -> its field names when __init__ sets every field (else None: see _copied).
_FROZEN_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _plain_tuple(value: Any) -> bool:
    """A tuple of values of immutable types (a product group's keys): it cannot change in place either."""
    return type(value) is tuple and all(type(v) in _IMMUTABLE_TYPES for v in value)


def _frozen_fields(kind: type) -> tuple[str, ...] | None:
    if kind not in _FROZEN_FIELDS:
        fields = dataclasses.fields(kind)
        frozen = kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
        _FROZEN_FIELDS[kind] = tuple(f.name for f in fields) if frozen and all(f.init for f in fields) else None
    return _FROZEN_FIELDS[kind]


def _copied(value: Any) -> Any:
    """A copy no caller can change the cached value through. Frames are copied by pandas (one block copy per
    column type) and the containers around them rebuilt: copy.deepcopy walked every object of every frame,
    most of a warm rerun's time on a page with many results."""
    if isinstance(value, _IMMUTABLE):
        return value
    names = _frozen_fields(type(value)) if dataclasses.is_dataclass(value) and not isinstance(value, type) else None
    if names is not None:
        # A frozen record of plain values (thousands of the rivals' events, the price page's product groups with
        # their tuples of keys): itself, without a call per field. A loop: all() over a generator took longer.
        for name in names:
            field = getattr(value, name)
            if type(field) not in _IMMUTABLE_TYPES and not _plain_tuple(field):
                break
        else:
            return value
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=True)
    if type(value) is list:
        return [_copied(v) for v in value]
    if type(value) is tuple:
        items = [_copied(v) for v in value]
        # Immutable all the way down (a tuple of frozen records): the value itself. Rebuilding thousands of
        # rival events on every read took a tenth of a second.
        return value if all(c is v for c, v in zip(items, value, strict=True)) else tuple(items)
    if type(value) is dict:
        return {k: _copied(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        if all(f.init for f in fields):  # else replace() would make the others afresh: deepcopy below
            copies = {f.name: _copied(getattr(value, f.name)) for f in fields}
            if type(value).__dataclass_params__.frozen and all(  # type: ignore[attr-defined]
                copies[f.name] is getattr(value, f.name) for f in fields
            ):
                return value
            return dataclasses.replace(value, **copies)
    return copy.deepcopy(value)


class ResultCache:
    """A bounded, thread-safe LRU map from keys to results; it stores and returns private copies."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._newest: dict[str, int] = {}  # URL -> the highest generation a Source was made at
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            if key not in self._entries:
                self.misses += 1
                return False, None
            self._entries.move_to_end(key)
            self.hits += 1
            value = self._entries[key]
        return True, _private_copy(value)

    def put(self, key: Hashable, value: Any) -> None:
        stored = _private_copy(value)
        with self._lock:
            self._entries[key] = stored
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def forget_older(self, url: str, generation: int) -> None:
        """Drop the results of earlier generations of a warehouse once a newer one is seen: no rerun from
        now on reads them (a Source is made at the current generation), so they only take room."""
        with self._lock:
            if generation <= self._newest.get(url, -1):
                return
            self._newest[url] = generation
            stale = [k for k in self._entries if k[0] == url and k[1] < generation]  # type: ignore[index]
            for k in stale:
                del self._entries[k]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._newest.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


RESULTS = ResultCache()


def cached(function: Callable[P, R]) -> Callable[P, R]:
    """Cache a metric function whose first argument is its backend: given a Source, the result is keyed
    by the Source's URL and generation, the function and every other argument."""
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        backend = args[0] if args else None
        if not isinstance(backend, Source) or backend.generation is None:
            return function(*args, **kwargs)
        key = (backend.engine.url, backend.generation, name, _key_part(args[1:]), _key_part(kwargs))
        found, value = RESULTS.get(key)
        if found:
            return value
        value = function(*args, **kwargs)
        RESULTS.put(key, value)
        return value

    return wrapper
