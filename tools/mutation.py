"""`make mutation`: mutation testing with mutmut over the modules where a silent bug costs most.

Each module is mutated alone, in a scratch copy of the repository (the tracked files as they are in the working
tree), against the tests that cover it: mutmut first records which of those tests call each function, then runs
only those tests against each mutant of that function. Printed as it goes, every 30 s: the mutants checked so far
and what became of them; when a module ends (done or stopped by MUTATION_MINUTES), its score (killed / checked) and
the load average, and its summary and every surviving mutant, as a diff, are written to
mutation-results/<module>.txt at once, so a run stopped part-way still leaves what it found. Too slow for
`make test`; see DEVELOPERS.md, "Mutation testing".

    python tools/mutation.py                        # every module below
    python tools/mutation.py export accounts        # by name
    MUTATION_MINUTES=15 python tools/mutation.py    # stop each module after 15 minutes
    MUTATION_CHILDREN=2 python tools/mutation.py    # parallel mutants (default 1: a shared machine)
    MUTATION_RESULTS=/tmp/m python tools/mutation.py  # the survivors' folder
    MUTATION_MUTANTS='shopdata.store.xǁWarehouseǁ_load_once*' python tools/mutation.py store  # some mutants only
    python tools/mutation.py --recheck products                     # the report's survivors against today's tests
    python tools/mutation.py --recheck products 'shopdata.metrics.products.x_thresholds*'   # some of them

--recheck takes the survivors a run wrote to MUTATION_RESULTS/<module>.txt and applies each by hand to a scratch
copy of the working tree (new test files too), then runs the module's tests against it in a fresh process: the
check that a test written from a survivor kills it, without a new mutmut run. Those still surviving are written
to MUTATION_RESULTS/<module>.recheck.txt.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[1]

# The module (or package) mutated, and the tests that must notice when it is wrong. PostgreSQL-only variants are
# left out (`-m "not postgres"`): the same assertions run on DuckDB, and a server per mutant is too slow.
MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "export": ("shopdata/export.py", ("tests/unit/test_export.py",)),
    "accounts": (
        "shopdata/accounts.py",
        (
            "tests/unit/test_accounts.py",
            "tests/unit/test_accounts_limits.py",
            "tests/unit/test_accounts_concurrency.py",
            "tests/unit/test_cli_users.py",
        ),
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
    "clean": (
        "shopdata/ingest/clean.py",
        (
            "tests/unit/ingest/test_clean.py",
            "tests/unit/ingest/test_clean_mutants.py",
            "tests/unit/ingest/test_pipeline.py",
        ),
    ),
    "transform": (
        "shopdata/ingest/transform.py",
        ("tests/unit/ingest", "tests/unit/test_repeated_rows.py", "tests/unit/test_store.py"),
    ),
    "store": (
        "shopdata/store.py",
        (
            "tests/unit/test_store.py",
            "tests/unit/test_store_mutants.py",
            "tests/unit/test_repeated_rows.py",
            "tests/unit/ingest/test_pipeline.py",
            "tests/unit/metrics/test_currency.py",  # an upload given its currency afterwards
        ),
    ),
    "migrations": (
        "shopdata/migrations.py",
        ("tests/unit/test_migrations.py", "tests/unit/test_migrations_mutants.py"),
    ),
    # The KPI records alone (a quick run): mutmut mutates their functions, not the records' data.
    "definitions": (
        "shopdata/metrics/definitions.py",
        (
            "tests/unit/metrics/test_definitions.py",
            "tests/unit/metrics/test_query.py",
            "tests/unit/metrics/test_orders.py",
        ),
    ),
    # The metrics modules where a wrong number reaches every page, each against its own tests (quick runs).
    "query": (
        "shopdata/metrics/query.py",
        (
            "tests/unit/metrics/test_query.py",
            "tests/unit/metrics/test_query_mutants.py",
            "tests/unit/metrics/test_currency.py",
        ),
    ),
    # The results cache: a wrong key shows another store's, period's or generation's figures (no warehouse: quick).
    "cache": ("shopdata/metrics/cache.py", ("tests/unit/metrics/test_cache_mutants.py",)),
    "orders": (
        "shopdata/metrics/orders.py",
        (
            "tests/unit/metrics/test_orders.py",
            "tests/unit/metrics/test_orders_mutants.py",
            "tests/unit/metrics/test_products.py",  # product_keys: the products' order figures
        ),
    ),
    "baseline": (
        "shopdata/metrics/baseline.py",
        ("tests/unit/metrics/test_baseline.py", "tests/unit/metrics/test_baseline_mutants.py"),
    ),
    "periods": (
        "shopdata/metrics/periods.py",
        ("tests/unit/metrics/test_periods.py", "tests/unit/metrics/test_periods_mutants.py"),
    ),
    "targets": ("shopdata/metrics/targets.py", ("tests/unit/test_journal.py", "tests/unit/metrics/test_targets.py")),
    "alerts": (
        "shopdata/metrics/alerts.py",
        (
            "tests/unit/metrics/test_alerts.py",
            "tests/unit/metrics/test_alerts_demo.py",
            "tests/unit/metrics/test_alert_drivers.py",
            "tests/unit/metrics/test_alerts_mutants.py",
        ),
    ),
    # Where "pays for itself" is decided: break-even, profit, the scale / cut / unjudged ranking, campaign labels.
    "promotion": (
        "shopdata/metrics/promotion.py",
        (
            "tests/unit/metrics/test_promotion.py",
            "tests/unit/metrics/test_promotion_mutants.py",
            "tests/realdata/test_report_promotion.py",
        ),
    ),
    # The first page an owner opens: KPIs, trend, what changed and why.
    "overview": (
        "shopdata/metrics/overview.py",
        ("tests/unit/metrics/test_overview.py", "tests/unit/metrics/test_overview_mutants.py"),
    ),
    # The funnel's stage counts, open and closed windows and the biggest drop the page names.
    "funnel": (
        "shopdata/metrics/funnel.py",
        (
            "tests/unit/metrics/test_funnel.py",
            "tests/unit/metrics/test_funnel_mutants.py",
            "tests/unit/test_rollups.py",
            "tests/realdata/test_report_funnel.py",
        ),
    ),
    # An activity's (活动) lift: its days' figures against the expected days before it, and the hangover after.
    "activities": ("shopdata/metrics/activities.py", ("tests/unit/metrics/test_activities.py",)),
    # Visitors, sources and their conversion.
    "traffic": (
        "shopdata/metrics/traffic.py",
        ("tests/unit/metrics/test_traffic.py", "tests/unit/metrics/test_traffic_mutants.py"),
    ),
    # Each product judged: its funnel, its ads, its verdict.
    "products": (
        "shopdata/metrics/products.py",
        (
            "tests/unit/metrics/test_products.py",
            "tests/unit/metrics/test_product_detail.py",
            "tests/unit/metrics/test_products_mutants.py",
        ),
    ),
    # Competitors' prices: who undercuts us, by how much, and since when.
    "prices": (
        "shopdata/metrics/prices.py",
        (
            "tests/unit/metrics/test_prices.py",
            "tests/unit/metrics/test_prices_display.py",
            "tests/unit/metrics/test_rival_events.py",  # rivals' price cuts, read from price_drops
            "tests/unit/metrics/test_prices_mutants.py",
        ),
    ),
    # Rivals beyond price: their figures as bands added or spanned over days, the traffic lost to them.
    "competitors": (
        "shopdata/metrics/competitors.py",
        (
            "tests/unit/metrics/test_competitors_page.py",
            "tests/unit/ingest/test_rival_layouts.py",
            "tests/unit/test_digest_rivals.py",
            "tests/unit/metrics/test_competitors_mutants.py",
        ),
    ),
    # What rivals did around a day: their price cuts, new promotion methods and jumps in the traffic they took.
    "rival_events": (
        "shopdata/metrics/rival_events.py",
        # Not test_digest_rivals.py: its demo-store test (20 s) calls every function here, for each mutant.
        ("tests/unit/metrics/test_rival_events.py", "tests/unit/metrics/test_rival_events_mutants.py"),
    ),
    # The names a product or campaign ID is shown by (the latest dated title, the catalogue's else).
    "segment_names": (
        "shopdata/metrics/segment_names.py",
        ("tests/unit/metrics/test_segment_names.py", "tests/unit/metrics/test_segment_names_mutants.py"),
    ),
    # The daily sums and users' first times the pages read instead of the rows: a wrong rollup misstates every
    # figure read from it. test_rollups.py compares them with their base rows after each kind of change (~45 s).
    "rollups": ("shopdata/rollups.py", ("tests/unit/test_rollups.py", "tests/unit/test_rollups_mutants.py")),
    "metrics": ("shopdata/metrics/", ("tests/unit/metrics",)),
}
PYTEST_ARGS = ["-p", "no:cacheprovider", "-q", "-m", "not postgres"]
# mutmut's names for what became of a mutant (mutmut.stats.status_by_exit_code maps its exit codes to them).
KILLED = "killed"
NOT_CHECKED = "not checked"
# Where each module's summary and surviving mutants are written as soon as that module ends (git ignores it).
RESULTS = Path(os.environ.get("MUTATION_RESULTS", ROOT / "mutation-results"))
PROGRESS_SECONDS = 30
MUTMUT_ENV = {**os.environ, "CI": ""}


def tracked_files(untracked: bool = False) -> list[str]:
    """The repository's files as git lists them; with `untracked`, the new files git does not ignore too."""
    # -z: the names as they are; without it git quotes every name with a character outside ASCII
    # ("sample_data/\345\225\206…"), and the demo store's Chinese exports were left out of the copy.
    more = ["--cached", "--others", "--exclude-standard"] if untracked else []
    listed = subprocess.run(["git", "ls-files", "-z", *more], cwd=ROOT, check=True, capture_output=True, text=True)
    return [name for name in listed.stdout.split("\0") if name]


def copied_repository(untracked: bool = False) -> Path:
    """The repository's files (see tracked_files) in a temporary folder, with ../shared linked beside them."""
    work = Path(tempfile.mkdtemp(prefix="shopdata-mutation-"))
    for name in tracked_files(untracked):
        source = ROOT / name
        if source.is_file():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / name)
    # The real exports the tests read as ../shared/realdata from the repository mutmut runs in (work/mutants).
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        (work / "shared").symlink_to(shared)
    return work


def scratch_copy(target: str, tests: tuple[str, ...]) -> Path:
    """The repository's files, new ones git does not ignore too (a test file written from survivors before it is
    committed), in a temporary folder, configured to mutate `target` only."""
    work = copied_repository(untracked=True)
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


def mutmut_command(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "mutmut"), *args]


def result_files(work: Path) -> dict[str, Path]:
    """The result file mutmut rewrites after each mutant (mutants/<source>.meta), by the source's path."""
    mutants = work / "mutants"
    return {str(meta.relative_to(mutants))[: -len(".meta")]: meta for meta in sorted(mutants.rglob("*.py.meta"))}


def exit_codes(meta: Path) -> dict[str, int | None]:
    """The mutants of one source file and their test run's exit code (None: not checked yet); empty when the file
    was caught mid-write (it is read again on the next look)."""
    try:
        codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    except (OSError, ValueError, KeyError):
        return {}
    return codes


def statuses(work: Path) -> dict[str, str]:
    """Every mutant made so far and what became of it, so a run still going can be read too."""
    found: dict[str, str] = {}
    for meta in result_files(work).values():
        found.update({mutant: status_by_exit_code[code] for mutant, code in exit_codes(meta).items()})
    return found


def selected(found: dict[str, str], only: tuple[str, ...]) -> dict[str, str]:
    """The mutants a run was asked for, as `mutmut run` chooses them (a name, or an fnmatch pattern): mutmut's results
    list every mutant of the file, so a run given MUTATION_MUTANTS is judged by its own mutants only."""
    if not only:
        return found
    return {m: s for m, s in found.items() if chosen(m, only)}


def chosen(mutant: str, patterns: tuple[str, ...]) -> bool:
    """Whether a name or an fnmatch pattern among `patterns` selects the mutant, as `mutmut run` matches them."""
    return mutant in patterns or any(fnmatch.fnmatch(mutant, pattern) for pattern in patterns)


def outcome(found: dict[str, str], stopped: bool) -> str:
    """Whether every mutant in `found` was checked: "complete", or else "stopped at N of M"."""
    checked = score(found)[1]
    return f"stopped at {checked} of {len(found)}" if stopped or checked < len(found) else "complete"


def diffs(work: Path, mutants: set[str]) -> dict[str, str]:
    """Each mutant as a diff of its function, as `mutmut show` prints it, in this process: a `mutmut show` per
    mutant costs seconds on a loaded machine, and a module can leave a hundred survivors."""
    shown: dict[str, str] = {}
    with contextlib.chdir(work):
        for source, meta in result_files(work).items():
            for mutant in sorted(mutants & exit_codes(meta).keys()):
                shown[mutant] = get_diff_for_mutant(mutant, path=source)
    return shown


def tally(found: dict[str, str]) -> str:
    """`checked N of M: killed K, survived S, …` — the progress line and the report's summary."""
    counts = Counter(found.values())
    checked = len(found) - counts[NOT_CHECKED]
    rest = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()) if status != NOT_CHECKED)
    return f"checked {checked} of {len(found)}: {rest or 'none yet'}"


def score(found: dict[str, str]) -> tuple[int, int]:
    """Killed and checked mutants: the score of a stopped run is over the mutants it checked."""
    checked = [status for status in found.values() if status != NOT_CHECKED]
    return checked.count(KILLED), len(checked)


def write_report(name: str, work: Path, found: dict[str, str], heading: str) -> Path:
    """The module's summary and every checked mutant that was not killed, as a diff, in MUTATION_RESULTS/<name>.txt."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = RESULTS / f"{name}.txt"
    not_killed = {mutant: status for mutant, status in found.items() if status not in (KILLED, NOT_CHECKED)}
    shown = diffs(work, set(not_killed))
    listed = [(status, mutant, shown.get(mutant, "(no diff)")) for mutant, status in sorted(not_killed.items())]
    write_listing(report, f"{heading}\n{tally(found)}", listed)
    return report


def write_listing(path: Path, heading: str, mutants: list[tuple[str, str, str]]) -> None:
    """A report: its heading, then each mutant's status, name and diff (what `reported` reads back)."""
    with path.open("w", encoding="utf-8") as out:
        out.write(f"{heading}\n")
        for status, mutant, diff in mutants:
            out.write(f"\n--- {status}: {mutant}\n{diff}\n")


def stop(run: subprocess.Popen[str]) -> None:
    """Stop mutmut and the test workers it forked: an interrupt first (mutmut then stops its workers and saves what it
    checked), then a kill of its process group."""
    if run.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(run.pid, signal.SIGINT)
    try:
        run.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)
        run.wait()


def run_module(name: str, children: int, minutes: float | None, only: tuple[str, ...] = ()) -> tuple[int, int]:
    """Mutate one module (only the mutants named by the `only` patterns, when given); print progress as it goes;
    write its survivors when it ends, stopped or not."""
    target, tests = MODULES[name]
    work = scratch_copy(target, tests)
    started = time.monotonic()
    log = (work / "mutmut.log").open("w", encoding="utf-8")
    # Its own process group, so a stop reaches the forked test workers too.
    run = subprocess.Popen(
        mutmut_command("run", "--max-children", str(children), *only),
        cwd=work,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env=MUTMUT_ENV,
        start_new_session=True,
    )
    stopped = False
    found: dict[str, str] = {}
    print(f"=== {name} ({target}{', ' + ' '.join(only) if only else ''}) against {' '.join(tests)}", flush=True)
    interrupted: BaseException | None = None
    try:
        try:
            while run.poll() is None:
                time.sleep(PROGRESS_SECONDS)
                elapsed = (time.monotonic() - started) / 60
                found = selected(statuses(work), only)
                print(f"{name} {elapsed:5.1f} min  {tally(found)}", flush=True)
                if minutes is not None and elapsed >= minutes:
                    stopped = True
                    stop(run)
        except (KeyboardInterrupt, SystemExit) as stopped_by_hand:
            # Ctrl-C or a kill: the mutants checked so far are still reported, then the run ends.
            interrupted, stopped = stopped_by_hand, True
            stop(run)
        found = selected(statuses(work), only)
        tail = (work / "mutmut.log").read_text(encoding="utf-8", errors="replace")[-3000:]
        if not found:
            print(f"{name}: mutmut made no mutants (exit {run.returncode})\n{tail}", flush=True)
            return 0, 0
        if not stopped and all(status == NOT_CHECKED for status in found.values()):
            # mutmut ended before checking any mutant (its run of the unmutated tests failed, say): say why.
            print(f"{name}: mutmut checked no mutant (exit {run.returncode})\n{tail}", flush=True)
        elapsed = (time.monotonic() - started) / 60
        killed, checked = score(found)
        how = outcome(found, stopped)
        heading = (
            f"=== {name} ({target}{', ' + ' '.join(only) if only else ''}): {killed}/{checked} killed = {killed / max(checked, 1):.0%} in {elapsed:.1f} min,"
            f" {how}; load average {os.getloadavg()[0]:.1f}"
        )
        report = write_report(name, work, found, heading)
        print(f"{heading}\n    {tally(found)}\n    survivors: {report}", flush=True)
        if interrupted is not None:
            raise interrupted
        return killed, checked
    finally:
        stop(run)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


# ---- --recheck: a report's survivors applied by hand against today's tests


def reported(text: str) -> list[tuple[str, str, str]]:
    """The mutants a report lists (write_report's file): their status, name and diff, in the report's order."""
    parts = re.split(r"^--- ([a-z ]+): (\S+)\n", text, flags=re.MULTILINE)
    return [
        (status, name, diff.rstrip("\n"))
        for status, name, diff in zip(parts[1::3], parts[2::3], parts[3::3], strict=True)
    ]


def mutated_function(mutant: str) -> tuple[str | None, str]:
    """The class (None for a function) and function a mutant's name says it is in: `…x_thresholds__mutmut_3`,
    `…xǁ_SavedSettingsǁget_setting__mutmut_10`."""
    local = re.sub(r"__mutmut_\d+$", "", mutant.rsplit(".", 1)[1])
    if local.startswith("xǁ"):
        cls, function = local[len("xǁ") :].split("ǁ")
        return cls, function
    return None, local[len("x_") :]


def _hunks(diff: str) -> list[tuple[list[str], list[str]]]:
    """Each hunk of a diff as its lines before and after (context lines in both)."""
    hunks: list[tuple[list[str], list[str]]] = []
    for line in diff.splitlines():
        if line.startswith(("--- ", "+++ ", "\\")):
            continue
        if line.startswith("@@"):
            hunks.append(([], []))
        elif hunks:
            before, after = hunks[-1]
            if not line.startswith("+"):
                before.append(line[1:])
            if not line.startswith("-"):
                after.append(line[1:])
    return hunks


def mutated_source(source: str, mutant: str, diff: str) -> str:
    """`source` with the mutant applied: each hunk of its diff (the mutated function, as mutmut shows it: from column
    0) replaced at its first place after that function's def, indented as the def is."""
    cls, function = mutated_function(mutant)
    start = source.index(f"class {cls}") if cls else 0
    found = re.compile(rf"^([ \t]*)def {re.escape(function)}\(", re.MULTILINE).search(source, start)
    if found is None:
        raise ValueError(f"{mutant}: no def {function} in the source")
    indent = found.group(1)
    for before, after in _hunks(diff):
        # mutmut's context can start with the blank line above the def, which lies before where the search starts.
        while before and after and before[0] == after[0] == "":
            del before[0], after[0]
        old, new = ("\n".join(indent + line if line else line for line in part) for part in (before, after))
        at = source.find(old, found.start())
        if at < 0:
            raise ValueError(f"{mutant}: the source no longer has the code it mutated")
        source = source[:at] + new + source[at + len(old) :]
    return source


def _tests_run(work: Path, tests: tuple[str, ...], timeout: float) -> str:
    """What became of the tests run in a fresh process: passed, failed (errors too: killed), no tests or timeout."""
    command = [sys.executable, "-m", "pytest", "-x", *PYTEST_ARGS, *tests]
    try:
        done = subprocess.run(command, cwd=work, env=MUTMUT_ENV, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    return {0: "passed", 5: "no tests"}.get(done.returncode, "failed")


def recheck(name: str, patterns: tuple[str, ...] = ()) -> tuple[int, int]:
    """Apply each mutant MUTATION_RESULTS/<name>.txt lists (those `patterns` select) by hand, alone, and run the
    module's tests: print whether each is killed now; write those that are not to <name>.recheck.txt."""
    target, tests = MODULES[name]
    report = RESULTS / f"{name}.txt"
    listed = [m for m in reported(report.read_text(encoding="utf-8")) if not patterns or chosen(m[1], patterns)]
    work = copied_repository(untracked=True)
    try:
        started = time.monotonic()
        if _tests_run(work, tests, timeout=3600) != "passed":
            print(f"{name}: the tests fail without any mutant; fix them first", flush=True)
            return 0, 0
        # A mutant that makes the tests loop forever is caught by a timeout, as mutmut catches it.
        timeout = 10 * (time.monotonic() - started) + 30
        path = work / target
        original = path.read_text(encoding="utf-8")
        left: list[tuple[str, str, str]] = []
        applied = killed_now = 0
        for status, mutant, diff in listed:
            try:
                path.write_text(mutated_source(original, mutant, diff), encoding="utf-8")
            except ValueError as gone:
                print(f"skipped  {gone}", flush=True)
                left.append(("not applied", mutant, diff))
                continue
            outcome = _tests_run(work, tests, timeout)
            path.write_text(original, encoding="utf-8")
            killed = outcome in ("failed", "timeout")
            applied += 1
            killed_now += int(killed)
            print(
                f"{'killed  ' if killed else 'SURVIVED'} {mutant}{' (timeout)' if outcome == 'timeout' else ''}",
                flush=True,
            )
            if not killed:
                left.append((status, mutant, diff))
        summary = (
            f"=== {name} recheck of {report.name}: {killed_now} of {applied} applied killed now ({len(listed)} listed)"
        )
        write_listing(RESULTS / f"{name}.recheck.txt", summary, left)
        print(summary, flush=True)
        return killed_now, applied
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--recheck"]:
        if len(argv) < 2 or argv[1] not in MODULES:
            print(f"--recheck MODULE [PATTERN ...]; choose a module from {', '.join(MODULES)}")
            return 2
        recheck(argv[1], tuple(argv[2:]))
        return 0
    names = argv or list(MODULES)
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        print(f"unknown module {', '.join(unknown)}; choose from {', '.join(MODULES)}")
        return 2
    # A stopped run (`timeout`, kill, Ctrl-C) stops mutmut, writes the module's report so far and removes its
    # scratch copy: SystemExit and KeyboardInterrupt are caught while a module runs, and the finally clauses run.
    # A copy left behind is /tmp/shopdata-mutation-*.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    children = int(os.environ.get("MUTATION_CHILDREN", "1"))
    limit = os.environ.get("MUTATION_MINUTES")
    minutes = float(limit) if limit else None
    only = tuple(os.environ.get("MUTATION_MUTANTS", "").split())
    scores = {}
    for name in names:
        scores[name] = run_module(name, children, minutes, only)
    print("\nmodule       killed / checked   score")
    for name, (killed, checked) in scores.items():
        print(f"{name:<12} {killed:>6} / {checked:<7}   {killed / checked:.0%}" if checked else f"{name:<12} (none)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
