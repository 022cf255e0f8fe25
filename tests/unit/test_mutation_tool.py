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


def test_the_scratch_copy_holds_a_new_test_file_not_yet_committed() -> None:
    # A test written from a run's survivors is run by the next run before it is committed (it was left out, and
    # mutmut checked no mutant: pytest could not find the file its subset named).
    new = mutation.ROOT / "tests" / "unit" / "test_mutation_tool_new_file_probe.py"
    new.write_text("def test_probe() -> None:\n    assert True\n", encoding="utf-8")
    work = None
    try:
        work = mutation.scratch_copy("shopdata/export.py", ("tests/unit/test_export.py",))
        assert (work / "tests" / "unit" / new.name).read_text(encoding="utf-8") == new.read_text(encoding="utf-8")
    finally:
        new.unlink()
        if work is not None:
            shutil.rmtree(work)


# ---- --recheck: a report's survivors applied by hand

SOURCE = """def first(x):
    total = x + 1
    return total


class Box:
    def first(self, x):
        total = x + 1
        return total
"""


def _report(*mutants: tuple[str, str, str]) -> str:
    """A report as write_report writes one: heading, tally, then each mutant's status, name and diff."""
    body = "".join(f"\n--- {status}: {name}\n{diff}\n" for status, name, diff in mutants)
    return f"=== fmt (shopdata/formatting.py): 1/3 killed = 33% in 0.1 min, complete; load average 0.5\nchecked 3 of 3\n{body}"


def _diff(before: list[str], after: list[str]) -> str:
    lines = ["--- shopdata/formatting.py", "+++ shopdata/formatting.py", "@@ -1,3 +1,3 @@"]
    return "\n".join(lines + [f"-{line}" for line in before] + [f"+{line}" for line in after])


def test_a_report_lists_each_mutant_with_its_status_and_diff() -> None:
    diff = _diff(["    total = x + 1"], ["    total = x - 1"])
    text = _report(("survived", "m.x_first__mutmut_1", diff), ("no tests", "m.xǁBoxǁfirst__mutmut_2", diff))
    assert mutation.reported(text) == [
        ("survived", "m.x_first__mutmut_1", diff),
        ("no tests", "m.xǁBoxǁfirst__mutmut_2", diff),
    ]
    assert mutation.mutated_function("m.xǁBoxǁfirst__mutmut_2") == ("Box", "first")
    assert mutation.mutated_function("m.x_first__mutmut_12") == (None, "first")


def test_a_mutant_is_applied_in_its_own_function_where_the_same_line_stands_twice() -> None:
    # mutmut shows a function from column 0, with context lines; the method's copy of the line is the one changed.
    diff = "\n".join(
        [
            "--- a",
            "+++ a",
            "@@ -1,3 +1,3 @@",
            " def first(self, x):",
            "-    total = x + 1",
            "+    total = x - 1",
            "     return total",
        ]
    )
    changed = mutation.mutated_source(SOURCE, "m.xǁBoxǁfirst__mutmut_1", diff)
    assert changed == SOURCE.replace("        total = x + 1", "        total = x - 1")
    assert changed.count("total = x + 1") == 1 and changed.index("total = x + 1") < changed.index("class Box")
    on_function = mutation.mutated_source(
        SOURCE, "m.x_first__mutmut_1", _diff(["    total = x + 1"], ["    total = None"])
    )
    assert on_function == SOURCE.replace("    total = x + 1\n    return", "    total = None\n    return", 1)
    with pytest.raises(ValueError, match="no longer has the code"):
        mutation.mutated_source(SOURCE, "m.x_first__mutmut_3", _diff(["    total = x * 2"], ["    total = x"]))
    # A hunk whose context starts with the blank line above the def (mutmut shows one for a function that is not
    # its module's first) is applied in that function all the same.
    blank_first = "\n".join(["--- a", "+++ a", "@@ -4,3 +4,3 @@", " ", " def first(x):", "-    total = x + 1",
                              "+    total = x + 2"])  # fmt: skip
    assert mutation.mutated_source(SOURCE, "m.x_first__mutmut_4", blank_first) == SOURCE.replace(
        "    total = x + 1\n    return", "    total = x + 2\n    return", 1
    )


def test_a_recheck_runs_the_tests_against_each_survivor_and_keeps_those_still_alive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # tests/unit/test_formatting.py checks the percent tick format (".1~%"), not what an unknown currency's
    # prefix is looked up with (no currency is named "XXXX"); the third mutant's code is not in the file.
    tick = ['    if unit == "percent":', '        return ".1~%"']
    killed = _diff(tick, ['    if unit == "percent":', '        return "XX.1~%XX"'])
    lookup = '        return ",.2f", CURRENCY_SYMBOLS.get(currency or "", "")'
    alive = _diff(
        ['    if unit == "money":', lookup], ['    if unit == "money":', lookup.replace('or ""', 'or "XXXX"')]
    )
    gone = _diff(["    return 42"], ["    return 43"])
    monkeypatch.setattr(mutation, "MODULES", {"fmt": ("shopdata/formatting.py", ("tests/unit/test_formatting.py",))})
    monkeypatch.setattr(mutation, "RESULTS", tmp_path)
    (tmp_path / "fmt.txt").write_text(
        _report(
            ("survived", "shopdata.formatting.x_plotly_tick_format__mutmut_1", killed),
            ("survived", "shopdata.formatting.x_plotly_format__mutmut_7", alive),
            ("survived", "shopdata.formatting.x_plotly_format__mutmut_9", gone),
        ),
        encoding="utf-8",
    )
    assert mutation.recheck("fmt") == (1, 2)
    printed = capsys.readouterr().out
    assert "killed   shopdata.formatting.x_plotly_tick_format__mutmut_1" in printed
    assert "SURVIVED shopdata.formatting.x_plotly_format__mutmut_7" in printed
    left = mutation.reported((tmp_path / "fmt.recheck.txt").read_text(encoding="utf-8"))
    assert [(status, name) for status, name, _ in left] == [
        ("survived", "shopdata.formatting.x_plotly_format__mutmut_7"),
        ("not applied", "shopdata.formatting.x_plotly_format__mutmut_9"),
    ]
    # Only the mutants the patterns select are applied.
    assert mutation.recheck("fmt", ("*plotly_tick_format*",)) == (1, 1)
