"""Hostile uploads never take the process down.

Every file from make_hostile.py goes through `inspect_upload` and `read_in_worker` and must come back as a
ReadError whose message names the file and says, in the words of the check meant for it, what is wrong.
Any other exception fails the test where it happens. Real exports (../shared/realdata, sample_data/) must
pass the same checks and read in the worker exactly as in-process.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from shopdata import sandbox
from shopdata.errors import ReadError
from shopdata.ingest import guard
from shopdata.ingest.formats import READABLE_EXTENSIONS
from shopdata.ingest.guard import DEFAULT_LIMITS, inspect_upload, read_in_worker
from shopdata.ingest.pipeline import Options, ingest_file
from shopdata.ingest.read import read_file
from shopdata.store import TABLES
from tests.hostile.make_hostile import MEMORY, hostile_files, write_all
from tests.hostile.processes import wait_for_no_readers
from tests.support.summary import report

# The same code paths as the defaults (4 GB, 300 s) with smaller numbers, so the files built to exhaust
# memory fail in about a second instead of twenty.
TEST_LIMITS = replace(DEFAULT_LIMITS, read_memory_mb=1024, read_timeout_s=60)
SAMPLE_DATA = Path(__file__).resolve().parents[2] / "sample_data"


def refusal(name: str, data: bytes | Path) -> ReadError | None:
    """The ReadError for this upload, None if it was read. Any other exception propagates."""
    try:
        inspect_upload(name, data, TEST_LIMITS)
        read_in_worker(name, data, TEST_LIMITS.read_timeout_s, TEST_LIMITS.read_memory_mb)
    except ReadError as exc:
        return exc
    return None


@pytest.fixture(scope="module")
def hostile_on_disk(tmp_path_factory: pytest.TempPathFactory):
    return write_all(tmp_path_factory.mktemp("hostile"))


def test_every_hostile_file_is_refused_with_a_clear_message(hostile_on_disk) -> None:
    problems = []
    for hostile, path in hostile_on_disk:
        for data, how in ((path, "path"), (hostile.data, "bytes")):
            exc = refusal(hostile.name, data)
            if exc is None:
                problems.append(f"{hostile.name} ({how}, {hostile.what}): was read without an error")
                continue
            text = str(exc)
            if not re.search(hostile.expect, exc.message, re.IGNORECASE):
                problems.append(f"{hostile.name} ({how}): expected /{hostile.expect}/, got: {text}")
            if (
                not exc.message.startswith(hostile.name)
                or not exc.hint
                or "Traceback" in text
                or len(text) > 600
                or "\n" in text
            ):
                problems.append(f"{hostile.name} ({how}): not one clear line naming the file with a hint: {text}")
    tried = len(hostile_on_disk)
    report(f"hostile files tried: {tried} (each from a path and from bytes)")
    assert tried >= 40
    assert not problems, "\n".join(problems)


def test_killed_readers_leave_no_process_behind_and_the_next_read_works() -> None:
    killers = [h for h in hostile_files() if h.expect == MEMORY]
    assert len(killers) >= 4  # memory bombs that only the worker's limits stop
    for hostile in killers:
        with pytest.raises(ReadError, match="could not be read safely"):
            read_in_worker(hostile.name, hostile.data, 60, 1024)
    zygote = sandbox._zygote
    assert zygote is not None and zygote.alive()
    assert wait_for_no_readers() == []
    [sheet] = read_in_worker("after.csv", b"Campaign,Clicks\nBrand,12\n")
    assert sheet.preview == [["Campaign", "Clicks"], ["Brand", "12"]]
    assert sandbox._zygote is zygote  # the same helper survived every killed reader


GOOGLE_CAMPAIGNS = (
    b"Campaign report\n"
    b'"1 May 2026 - 8 May 2026"\n'
    b"Campaign,Campaign type,Impr.,Clicks,Currency code,Cost,Conversions,Conv. value\n"
    b'Brand,Search,"1,200",80,USD,40.50,4.00,400.00\n'
)


def warehouse_state(store) -> tuple:
    batches = [(b["batch_id"], b["file_name"]) for b in store.batches()]
    return batches, {kind: store.count_rows(kind) for kind in TABLES}


def test_hostile_files_leave_the_database_unchanged(duck_store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "DEFAULT_LIMITS", TEST_LIMITS)
    [loaded] = ingest_file(
        "campaigns.csv", GOOGLE_CAMPAIGNS, duck_store, Options(store="Shop"), reader=guard.read_untrusted
    )
    assert loaded.status == "loaded", loaded.error
    before = warehouse_state(duck_store)
    assert before[1]["ads"] == 1
    for hostile in hostile_files():
        results = ingest_file(
            hostile.name, hostile.data, duck_store, Options(store="Shop"), reader=guard.read_untrusted
        )
        assert [r.status for r in results] == ["rejected"], (hostile.name, results)
        assert results[0].error.startswith("read: "), (hostile.name, results[0].error)
    assert warehouse_state(duck_store) == before


# ------------------------------------------------------------------------------------------ real files


def real_exports(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in READABLE_EXTENSIONS)


def same_sheets(name: str, data: bytes) -> None:
    inspect_upload(name, data)  # the default limits, as the app uses them
    in_worker = read_in_worker(name, data)
    in_process = read_file(name, data)
    assert [(s.file_name, s.sheet_name, s.encoding, s.delimiter, s.preview) for s in in_worker] == [
        (s.file_name, s.sheet_name, s.encoding, s.delimiter, s.preview) for s in in_process
    ], name
    for worker_sheet, process_sheet in zip(in_worker, in_process, strict=False):
        width = max(len(row) for row in process_sheet.preview)
        assert worker_sheet.body(0, width).num_rows == process_sheet.body(0, width).num_rows, name


def test_every_sample_file_passes_the_checks_and_reads_the_same_in_the_worker() -> None:
    files = real_exports(SAMPLE_DATA)
    assert {p.suffix for p in files} >= {".csv", ".xlsx"}
    for path in files:
        same_sheets(path.name, path.read_bytes())


@pytest.mark.realdata
def test_every_real_export_passes_the_checks_and_reads_the_same_in_the_worker(realdata_dir: Path) -> None:
    files = real_exports(realdata_dir)
    assert len(files) >= 30
    for path in files:
        same_sheets(path.name, path.read_bytes())
    report(f"real exports read through the guard: {len(files)}")
