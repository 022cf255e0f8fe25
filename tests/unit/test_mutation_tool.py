"""tools/mutation.py's account of a run: which mutants it was asked for, and whether it checked them all."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("mutmut")

_SOURCE = Path(__file__).resolve().parents[2] / "tools" / "mutation.py"
_spec = importlib.util.spec_from_file_location("shopdata_mutation_tool", _SOURCE)
assert _spec is not None and _spec.loader is not None
mutation = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = mutation
_spec.loader.exec_module(mutation)

# mutmut's results for one source file list every mutant it made, checked or not.
FOUND = {
    "shopdata.store.xǁWarehouseǁload__mutmut_1": "killed",
    "shopdata.store.xǁWarehouseǁload__mutmut_2": "survived",
    "shopdata.store.xǁWarehouseǁ_load_once__mutmut_1": "killed",
    "shopdata.store.x_count_rows__mutmut_1": "not checked",
    "shopdata.store.x_count_rows__mutmut_2": "not checked",
}


def test_a_run_given_patterns_is_judged_by_the_mutants_they_select() -> None:
    only = ("shopdata.store.xǁWarehouseǁ*",)
    chosen = mutation.selected(FOUND, only)
    assert set(chosen) == {
        "shopdata.store.xǁWarehouseǁload__mutmut_1",
        "shopdata.store.xǁWarehouseǁload__mutmut_2",
        "shopdata.store.xǁWarehouseǁ_load_once__mutmut_1",
    }
    # All three selected were checked: the run is complete, not "stopped at 3 of 5".
    assert mutation.outcome(chosen, stopped=False) == "complete"
    assert mutation.tally(chosen).startswith("checked 3 of 3:")


def test_a_mutant_named_exactly_is_selected_as_mutmut_selects_it() -> None:
    name = "shopdata.store.xǁWarehouseǁload__mutmut_2"
    assert mutation.selected(FOUND, (name,)) == {name: "survived"}


def test_a_run_without_patterns_is_judged_by_every_mutant() -> None:
    assert mutation.selected(FOUND, ()) == FOUND
    assert mutation.outcome(FOUND, stopped=False) == "stopped at 3 of 5"


def test_a_run_stopped_by_its_time_limit_says_so_even_with_nothing_left() -> None:
    chosen = mutation.selected(FOUND, ("shopdata.store.xǁWarehouseǁload__*",))
    assert mutation.outcome(chosen, stopped=True) == "stopped at 2 of 2"


def test_the_scratch_copy_holds_every_tracked_file_whatever_its_name_and_the_real_exports() -> None:
    # The demo store's exports have Chinese names; git quotes such names unless asked not to, and a copy
    # without them loaded a demo of orders only: the alerts tests failed before any mutant was tried.
    work = mutation.scratch_copy("shopdata/export.py", ("tests/unit/test_export.py",))
    try:
        chinese = "sample_data/【生意参谋平台】店铺来源_2026-08-25_2026-11-22.xlsx"
        assert chinese in mutation.tracked_files()
        root = mutation.ROOT
        assert (work / chinese).read_bytes() == (root / chinese).read_bytes()
        if (root.parent / "shared").is_dir():  # tests read ../shared/realdata from work/mutants
            assert (work / "shared" / "realdata").resolve() == (root.parent / "shared" / "realdata").resolve()
    finally:
        shutil.rmtree(work)
