"""`make mutation`: mutation testing with mutmut over the modules where a silent bug costs most.

Each module is mutated alone, in a scratch copy of the repository (the tracked files as they are in the working
tree), against the tests that cover it: mutmut first records which of those tests call each function, then runs
only those tests against each mutant of that function. Printed per module: the score (killed / mutants) and
every surviving mutant as a diff. Too slow for `make test`; see DEVELOPERS.md, "Mutation testing".

    python tools/mutation.py                      # every module below
    python tools/mutation.py export accounts      # by name
    MUTATION_CHILDREN=2 python tools/mutation.py  # parallel mutants (default 1: a shared machine)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The module (or package) mutated, and the tests that must notice when it is wrong. PostgreSQL-only variants are
# left out (`-m "not postgres"`): the same assertions run on DuckDB, and a server per mutant is too slow.
MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "export": ("shopdata/export.py", ("tests/unit/test_export.py",)),
    "accounts": (
        "shopdata/accounts.py",
        ("tests/unit/test_accounts.py", "tests/unit/test_accounts_limits.py", "tests/unit/test_cli_users.py"),
    ),
    "recognise": (
        "shopdata/ingest/recognise.py",
        (
            "tests/unit/ingest/test_recognise.py",
            "tests/unit/ingest/test_recognise_explained.py",
            "tests/unit/ingest/test_terms.py",
            "tests/unit/ingest/test_report_names.py",
            "tests/unit/ingest/test_totals_rows.py",
        ),
    ),
    "clean": ("shopdata/ingest/clean.py", ("tests/unit/ingest/test_clean.py", "tests/unit/ingest/test_pipeline.py")),
    "transform": (
        "shopdata/ingest/transform.py",
        ("tests/unit/ingest", "tests/unit/test_repeated_rows.py", "tests/unit/test_store.py"),
    ),
    "store": (
        "shopdata/store.py",
        ("tests/unit/test_store.py", "tests/unit/test_repeated_rows.py", "tests/unit/ingest/test_pipeline.py"),
    ),
    "migrations": ("shopdata/migrations.py", ("tests/unit/test_migrations.py",)),
    # The KPI records alone (a quick run): mutmut mutates their functions, not the records' data.
    "definitions": (
        "shopdata/metrics/definitions.py",
        (
            "tests/unit/metrics/test_definitions.py",
            "tests/unit/metrics/test_query.py",
            "tests/unit/metrics/test_orders.py",
        ),
    ),
    "metrics": ("shopdata/metrics/", ("tests/unit/metrics",)),
}
PYTEST_ARGS = ["-p", "no:cacheprovider", "-q", "-m", "not postgres"]
# mutmut's exit codes of a mutant's test run, as it names them (mutmut.__main__.status_by_exit_code).
KILLED = "killed"


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line]


def scratch_copy(target: str, tests: tuple[str, ...]) -> Path:
    """The repository's tracked files in a temporary folder, configured to mutate `target` only."""
    work = Path(tempfile.mkdtemp(prefix="shopdata-mutation-"))
    for name in tracked_files():
        source = ROOT / name
        if source.is_file():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / name)
    config = {
        "source_paths": ["shopdata/"],
        "only_mutate": [target + "*" if target.endswith("/") else target],
        "pytest_add_cli_args_test_selection": list(tests),
        "pytest_add_cli_args": PYTEST_ARGS,
        "also_copy": ["views/", "app.py", "sample_data/", "bench/"],
    }
    with (work / "pyproject.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[tool.mutmut]\n")
        for key, value in config.items():
            toml.write(f"{key} = {json.dumps(value)}\n")
    return work


def mutmut(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "mutmut"), *args]
    return subprocess.run(command, cwd=work, capture_output=True, text=True, env={**os.environ, "CI": ""})


def statuses(work: Path) -> dict[str, str]:
    """Every mutant of the run and what became of it ("    name: status" lines of `mutmut results --all`)."""
    listed = mutmut(work, "results", "--all", "true").stdout
    return dict(line.strip().rsplit(": ", 1) for line in listed.splitlines() if ": " in line)


def run_module(name: str, children: int) -> tuple[int, int, Counter[str]]:
    target, tests = MODULES[name]
    work = scratch_copy(target, tests)
    started = time.monotonic()
    try:
        run = mutmut(work, "run", "--max-children", str(children))
        found = statuses(work)
        if not found:
            print(f"{name}: mutmut made no mutants (exit {run.returncode})\n{run.stdout[-3000:]}{run.stderr[-3000:]}")
            return 0, 0, Counter()
        counts = Counter(found.values())
        killed = counts[KILLED]
        minutes = (time.monotonic() - started) / 60
        print(f"\n=== {name} ({target}): {killed}/{len(found)} killed = {killed / len(found):.0%} in {minutes:.1f} min")
        print("    " + ", ".join(f"{status} {n}" for status, n in sorted(counts.items())))
        for mutant, status in sorted(found.items()):
            if status != KILLED:
                print(f"\n--- {status}: {mutant}")
                print(mutmut(work, "show", mutant).stdout.strip())
        return killed, len(found), counts
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str]) -> int:
    names = argv or list(MODULES)
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        print(f"unknown module {', '.join(unknown)}; choose from {', '.join(MODULES)}")
        return 2
    # A stopped run (`timeout`, kill) stops mutmut and removes its scratch copy: subprocess.run kills its child
    # and the finally clauses run on SystemExit. A copy left behind is /tmp/shopdata-mutation-*.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    children = int(os.environ.get("MUTATION_CHILDREN", "1"))
    scores = {name: run_module(name, children) for name in names}
    print("\nmodule       killed / mutants   score")
    for name, (killed, total, _) in scores.items():
        print(f"{name:<12} {killed:>6} / {total:<7}   {killed / total:.0%}" if total else f"{name:<12} (none)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
