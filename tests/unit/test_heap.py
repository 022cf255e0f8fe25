"""shopdata/heap.py: after a page's first run the garbage is collected, what is left is frozen, once per page."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from shopdata import heap


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def garbage_cycle() -> weakref.ref:
    """Two objects referring to each other and to nothing else: only the cycle collector frees them."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture(autouse=True)
def fresh_heap(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(heap, "_settled", set())
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the test run's objects go back to the collector


def test_the_first_run_of_a_page_frees_the_garbage_then_freezes_the_rest() -> None:
    dead = garbage_cycle()
    kept = Node()
    assert dead() is not None  # not collected yet
    assert gc.get_freeze_count() == 0
    assert any(obj is kept for obj in gc.get_objects())
    assert heap.settle_after_first_run("overview") is True
    assert dead() is None  # collected before the freeze, not frozen for good
    assert gc.get_freeze_count() > 0
    assert not any(obj is kept for obj in gc.get_objects())  # frozen: no longer among the collector's


def test_a_page_settles_once_and_each_page_once() -> None:
    assert heap.settle_after_first_run("overview") is True
    frozen = gc.get_freeze_count()
    made_since = [Node() for _ in range(50)]
    assert heap.settle_after_first_run("overview") is False
    assert gc.get_freeze_count() == frozen  # the objects made since were not frozen
    assert heap.settle_after_first_run("orders") is True
    assert gc.get_freeze_count() >= frozen + len(made_since)


def test_garbage_made_after_the_freeze_is_still_collected_on_its_own() -> None:
    """The collector keeps running: a cycle made after the freeze goes with the next young collection, which
    the allocations of any click set off (no explicit collect)."""
    heap.settle_after_first_run("overview")
    assert gc.isenabled()
    dead = garbage_cycle()
    for _ in range(20):
        [[] for _ in range(1000)]  # tracked allocations: each 700 start a young collection
        if dead() is None:
            break
    assert dead() is None
