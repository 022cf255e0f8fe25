"""SIGKILL an ingesting process again and again: no partial batch, no acknowledged batch lost.

A worker process (tests/resilience/ingest_worker.py) loads 万相台 exports into one DuckDB file through
the same path as the CLI and the Data page, and acknowledges each load only after it has committed. The
test kills it with SIGKILL at seeded random moments — while Python starts, while the database opens and
replays its log, mid-load (reading, cleaning, inserting, committing), right after a commit, while it
closes and checkpoints — then opens the database the way the app does (WAL replay included) and compares
it with a model of the warehouse computed from the CSV files alone:

* the loads acknowledged so far, in order, each replacing the rows with its natural keys, are all there;
* the load that was running is either entirely there or entirely absent — never in part;
* the batch records agree row for row: rows loaded, rows replaced, rows still live, and an earlier upload
  of the same file whose rows were all replaced is gone (the same file twice leaves one batch).

Each restart resumes with the file that had no acknowledgement, as a person who saw no confirmation
would upload it again; the schedule also re-imports files loaded long before and files that overlap.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from shopdata.engine import connect
from shopdata.store import Warehouse
from tests.resilience.exports import ExportFile, ExportSpec, Key, ads_rows_by_key, write_exports
from tests.resilience.ingest_worker import REOPEN_EVERY, STORE
from tests.support.summary import report

pytestmark = pytest.mark.slow  # fifty worker processes, each importing DuckDB

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED = 20261123
KILLS = 50
SCHEDULE_LENGTH = 40

# From a few hundred to tens of thousands of rows; overlapping days × campaigns replace each other.
SPECS = [
    ExportSpec("计划报表_01.csv", range(0, 3), range(0, 100)),  # 300 rows
    ExportSpec("计划报表_02.csv", range(0, 60), range(0, 100)),  # 6,000: covers all of 01
    ExportSpec("计划报表_03.csv", range(50, 150), range(0, 200)),  # 20,000: overlaps 02
    ExportSpec("计划报表_04.csv", range(150, 300), range(0, 200)),  # 30,000
    ExportSpec("计划报表_05.csv", range(140, 160), range(100, 200)),  # 2,000: overlaps 03 and 04
    ExportSpec("计划报表_06.csv", range(300, 310), range(0, 50)),  # 500
    ExportSpec("计划报表_07.csv", range(0, 300), range(200, 240)),  # 12,000
    ExportSpec("计划报表_08.csv", range(2, 32), range(0, 10)),  # 300: overlaps 01 and 02
    ExportSpec("计划报表_09.csv", range(310, 340), range(0, 30)),  # 900
]


@dataclass
class Load:
    seq: int  # order of commit
    export: ExportFile
    rows_replaced: int
    replaced_other_files: int  # of those, rows another file had brought
    batch_id: int | None = None  # known once acknowledged (or found committed)


@dataclass
class Model:
    """The warehouse after a sequence of committed loads, from the CSV files alone."""

    facts: dict[Key, tuple[int, int, int]] = field(default_factory=dict)  # key -> (spend, revenue, load seq)
    live: Counter = field(default_factory=Counter)  # load seq -> rows still live
    batches: dict[int, Load] = field(default_factory=dict)  # load seq -> load with a batch record
    loads: int = 0

    def copy(self) -> Model:
        return Model(dict(self.facts), Counter(self.live), dict(self.batches), self.loads)

    def apply(self, export: ExportFile) -> Load:
        seq, replaced, other = self.loads, 0, 0
        self.loads += 1
        for key, (spend, revenue) in export.rows.items():
            old = self.facts.get(key)
            if old is not None:
                self.live[old[2]] -= 1
                replaced += 1
                other += self.batches[old[2]].export.sha256 != export.sha256
            self.facts[key] = (spend, revenue, seq)
        self.live[seq] = len(export.rows)
        # The store drops an earlier batch of the same file once none of its rows are left.
        for earlier in [b for b in self.batches.values() if b.export.sha256 == export.sha256]:
            if self.live[earlier.seq] == 0:
                del self.batches[earlier.seq]
        load = Load(seq, export, replaced, other)
        self.batches[seq] = load
        return load


@dataclass
class Found:
    batches: list[tuple[int, str, int, int, int]]  # batch_id, sha256, rows_loaded, rows_replaced, rows_live
    facts: dict[Key, tuple[int, int, int]]  # key -> (spend, revenue, batch_id)


def read_database(db: Path) -> Found:
    """Open the database as the app does (connect + Store: replays the WAL, runs migrations) and check the
    invariants that hold whatever was loaded."""
    engine = connect(str(db))
    try:
        store = Warehouse(engine)
        batches = store.batches(STORE)
        total = store.count_rows("ads", STORE)
        orphans = engine.execute(
            "SELECT count(*) FROM ads WHERE batch_id NOT IN (SELECT batch_id FROM batches)"
        ).scalar()
        distinct_nk = engine.execute("SELECT count(DISTINCT nk) FROM ads").scalar()
        facts = ads_rows_by_key(engine, STORE)
    finally:
        engine.close()
    ids = [b["batch_id"] for b in batches]
    assert len(ids) == len(set(ids)), f"a batch id twice: {sorted(ids)}"
    assert orphans == 0, f"{orphans} rows belong to no batch"
    assert distinct_nk == total == len(facts), f"{total} rows, {distinct_nk} natural keys"
    assert sum(b["rows_live"] for b in batches) == total
    for b in batches:
        assert b["rows_live"] <= b["rows_loaded"], b
    return Found(
        sorted((b["batch_id"], b["sha256"], b["rows_loaded"], b["rows_replaced"], b["rows_live"]) for b in batches),
        facts,
    )


def differences(model: Model, found: Found) -> list[str]:
    """How the database differs from the model ([] when it matches exactly). Batch ids the model does not
    know yet (a load committed but killed before its acknowledgement) must come after every known one."""
    problems = []
    expected = sorted(model.batches.values(), key=lambda load: load.seq)
    if len(expected) != len(found.batches):
        problems.append(f"{len(found.batches)} batches, expected {len(expected)}")
    ids: dict[int, int] = {}
    highest_known = max((load.batch_id for load in expected if load.batch_id is not None), default=0)
    for load, (batch_id, sha, loaded, replaced, live) in zip(expected, found.batches, strict=False):
        want = (load.export.sha256, len(load.export.rows), load.rows_replaced, model.live[load.seq])
        if (sha, loaded, replaced, live) != want:
            problems.append(
                f"batch {batch_id}: (sha, loaded, replaced, live) = {(sha[:8], loaded, replaced, live)}, "
                f"expected {(want[0][:8], *want[1:])} for {load.export.path.name}"
            )
        if load.batch_id is None and batch_id <= highest_known:
            problems.append(f"unacknowledged batch {batch_id} of {load.export.path.name} is not the newest")
        elif load.batch_id is not None and load.batch_id != batch_id:
            problems.append(f"batch {batch_id} where batch {load.batch_id} of {load.export.path.name} was expected")
        ids[load.seq] = batch_id
    want_facts = {key: (spend, revenue, ids.get(seq)) for key, (spend, revenue, seq) in model.facts.items()}
    if want_facts != found.facts:
        missing = want_facts.keys() - found.facts.keys()
        extra = found.facts.keys() - want_facts.keys()
        wrong = sum(1 for k in want_facts.keys() & found.facts.keys() if want_facts[k] != found.facts[k])
        problems.append(f"rows: {len(missing)} missing, {len(extra)} not expected, {wrong} with other values")
    return problems


def lost_rows(model: Model, found: Found, running: ExportFile) -> int:
    """Rows of acknowledged loads the database does not hold as loaded. A row may instead hold the running
    file's values under a batch id newer than every acknowledged one (that load committed unacknowledged)."""
    ids = {load.seq: load.batch_id for load in model.batches.values()}
    newest = max((i for i in ids.values() if i is not None), default=0)
    lost = 0
    for key, (spend, revenue, seq) in model.facts.items():
        got = found.facts.get(key)
        if got == (spend, revenue, ids[seq]):
            continue
        lost += not (got is not None and got[2] > newest and running.rows.get(key) == got[:2])
    return lost


def partial_batches(model: Model, found: Found, running: ExportFile) -> int:
    """Batches holding only part of their rows: the running load present with some but not all of its
    rows, or an acknowledged batch with fewer live rows than the model leaves it."""
    newest = max((load.batch_id for load in model.batches.values() if load.batch_id is not None), default=0)
    per_batch = Counter(batch_id for _, _, batch_id in found.facts.values())
    partial = sum(1 for batch_id, n in per_batch.items() if batch_id > newest and n != len(running.rows))
    for load in model.batches.values():
        if load.batch_id is not None and per_batch.get(load.batch_id, 0) > model.live[load.seq]:
            partial += 1
    return partial


STARTING = "starting (Python, opening the database, WAL replay)"
AFTER_COMMIT = "right after a commit"
PHASES = {
    "reading": "reading",
    "cleaning rows": "cleaning",
    "saving": "saving (insert, replace, commit)",
    "done": AFTER_COMMIT,
}


def phase_of(lines: list[str]) -> str:
    """Where the worker was when it was killed, from what it had said."""
    if len(lines) <= 1:
        return STARTING
    last = lines[-1].split(maxsplit=2)
    if last[0] == "STEP":
        return PHASES[last[2]]
    return {"ACK": AFTER_COMMIT, "CLOSE": "closing/reopening (checkpoint)", "OPEN": "closing/reopening (checkpoint)"}[
        last[0]
    ]


class WorkerOutput:
    """The worker's lines as they arrive and when, read by a thread so the test can wait for one."""

    def __init__(self, stream) -> None:
        self.lines: list[tuple[float, str]] = []
        self.ended = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            with self._changed:
                self.lines.append((time.monotonic(), line.strip()))
                self._changed.notify_all()
        with self._changed:
            self.ended = True
            self._changed.notify_all()

    def wait_for(self, wanted) -> None:
        """Until `wanted(lines)` holds; the worker ending first fails the test."""
        with self._changed:
            self._changed.wait_for(lambda: self.ended or wanted([line for _, line in self.lines]))
            assert not self.ended, "the worker ended by itself"

    def finish(self) -> list[tuple[float, str]]:
        self._thread.join()
        return self.lines


def make_schedule(rng: random.Random, names: list[str]) -> list[str]:
    """Every file, then a seeded mix in which some files come twice in a row and old ones come back."""
    schedule = list(names)
    rng.shuffle(schedule)
    while len(schedule) < SCHEDULE_LENGTH:
        schedule.append(schedule[-1] if rng.random() < 0.2 else rng.choice(names))
    return schedule


def test_sigkill_at_random_moments_never_leaves_a_partial_batch_or_loses_an_acknowledged_one(tmp_path: Path) -> None:
    started = time.monotonic()
    rng = random.Random(SEED)
    folder, db = tmp_path / "exports", tmp_path / "shop.duckdb"
    exports = write_exports(folder, SPECS, SEED)
    schedule = make_schedule(rng, list(exports))
    (folder / "schedule.txt").write_text("\n".join(schedule) + "\n", encoding="utf-8")

    model = Model()
    position = 0
    kills, acknowledged, reingested, overlapping, unacknowledged_commits = 0, 0, 0, 0, 0
    lost, partial, before_first_ack = 0, 0, 0
    committed: set[str] = set()
    phases: Counter = Counter()
    checking = 0.0
    durations: dict[tuple[str, str], float] = {}  # (file, step) -> seconds it took when last seen
    stderr_path = tmp_path / "worker.err"
    for cycle in range(KILLS):
        with open(stderr_path, "w") as stderr:
            worker = subprocess.Popen(
                [sys.executable, "-m", "tests.resilience.ingest_worker", str(db), str(folder), str(position)],
                cwd=REPO_ROOT,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        output = WorkerOutput(worker.stdout)
        aim = rng.random()
        try:
            if aim < 0.15:
                # While Python starts and the database opens (and replays the log of the last kill).
                time.sleep(rng.uniform(0.0, 0.45))
            elif aim < 0.3:
                # Right after the n-th commit of this run: between loads, or closing and checkpointing.
                acks = rng.randint(1, REOPEN_EVERY)  # the last one is followed by a close
                output.wait_for(lambda lines, acks=acks: sum(line.startswith("ACK") for line in lines) >= acks)
            else:
                # At a random point of one step of the first (or second) load of this run, the step's
                # length taken from the last time that file went through it.
                target = position + (rng.random() < 0.3)
                step = rng.choice(("reading", "cleaning rows", "saving", "saving", "saving"))
                output.wait_for(lambda lines, target=target, step=step: f"STEP {target} {step}" in lines)
                time.sleep(rng.random() * durations.get((schedule[target % len(schedule)], step), 0.3))
        except AssertionError as exc:
            raise AssertionError(f"{exc}: {stderr_path.read_text()[-2000:]}") from None
        assert worker.poll() is None, f"the worker ended by itself: {stderr_path.read_text()[-2000:]}"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        timed = output.finish()
        worker.stdout.close()
        assert worker.returncode == -signal.SIGKILL
        kills += 1
        lines = [line for _, line in timed]
        for (began, line), (ended, _) in zip(timed, timed[1:], strict=False):
            if line.startswith("STEP"):
                _, step_position, step = line.split(maxsplit=2)
                durations[(schedule[int(step_position) % len(schedule)], step)] = ended - began
        phases[phase_of(lines)] += 1
        before_first_ack += not any(line.startswith("ACK") for line in lines)

        for line in lines:
            if not line.startswith("ACK"):
                continue
            ack_position, batch_id, sha256, rows_loaded, rows_replaced = line.split()[1:]
            assert int(ack_position) == position
            export = exports[schedule[position % len(schedule)]]
            loaded_before = any(b.export.sha256 == export.sha256 for b in model.batches.values())
            load = model.apply(export)
            load.batch_id = int(batch_id)
            # What the worker was told matches the file, counted with the csv module.
            assert (sha256, int(rows_loaded), int(rows_replaced)) == (
                export.sha256,
                len(export.rows),
                load.rows_replaced,
            ), line
            acknowledged += 1
            reingested += loaded_before
            committed.add(export.path.name)
            overlapping += load.replaced_other_files > 0
            position += 1

        opened = time.monotonic()
        found = read_database(db)
        checking += time.monotonic() - opened
        running = exports[schedule[position % len(schedule)]]
        lost += lost_rows(model, found, running)
        partial += partial_batches(model, found, running)
        assert (lost, partial) == (0, 0), f"kill {cycle + 1} ({phase_of(lines)}): {lost} rows lost, {partial} partial"
        without_running = differences(model, found)
        if without_running:
            # The load that was running when the process died may have committed without its ack.
            candidate = model.copy()
            load = candidate.apply(running)
            with_running = differences(candidate, found)
            assert not with_running, (
                f"kill {cycle + 1} ({phase_of(lines)}): the database is neither the acknowledged loads "
                f"({without_running}) nor those plus the running one ({with_running})"
            )
            load.batch_id = max(batch_id for batch_id, *_ in found.batches)
            model = candidate
            committed.add(running.path.name)
            unacknowledged_commits += 1

    seconds = time.monotonic() - started
    spread = ", ".join(f"{n} {phase}" for phase, n in sorted(phases.items()))
    report(
        f"sigkill crash test: {kills} kills ({before_first_ack} before the run's first ack; {spread}); "
        f"{acknowledged} batches acknowledged, {lost} lost, {partial} partial; {unacknowledged_commits} "
        f"committed but killed before the ack; {reingested} re-imports of a loaded file, {overlapping} loads "
        f"replacing another file's rows; {len(model.facts)} rows at the end; {seconds:.0f} s ({checking:.0f} s of it opening and checking the database)"
    )
    assert kills >= 50
    # The database at the end holds every file that was ever loaded, each row once, from its last upload.
    assert read_database(db).facts.keys() == {key for name in committed for key in exports[name].rows}
