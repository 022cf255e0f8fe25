"""Every hostile file through `python -m shopdata ingest` as cron would run it: a JSON line `rejected` with the
guard's message, exit status 2, no traceback, each answer within the guard's time limit, and the data
loaded before left exactly as it was. A real export after the hostile files still loads.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

from shopdata.store import TABLES, open_warehouse
from tests.hostile.make_hostile import write_all

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DATA = REPO_ROOT / "sample_data"
# Smaller limits than the defaults (4 GB, 300 s), given on the command line, so the memory bombs fail in
# about a second; the checks and the worker are the same code as with the defaults.
READ_TIMEOUT_S = 60.0
READ_MEMORY_MB = 1024
LIMITS = ["--read-timeout", f"{READ_TIMEOUT_S:g}", "--read-memory-mb", str(READ_MEMORY_MB)]
START_SLACK_S = 30.0  # a Python start with pyarrow, DuckDB and calamine imports, on a busy 2-core machine
FILES_PER_RUN = 15


def ingest(db: Path, files: list[Path]) -> tuple[int, list[tuple[float, dict]], str]:
    """Run the CLI; each JSON line with the seconds since the previous line (or since the start)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "shopdata", "ingest", *map(str, files), "--db", str(db), "--store", "Shop", *LIMITS],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    lines = []
    last = time.monotonic()
    for line in process.stdout:
        now = time.monotonic()
        lines.append((now - last, json.loads(line)))
        last = now
    stderr = process.stderr.read()
    return process.wait(timeout=60), lines, stderr


def warehouse_state(db: Path) -> tuple:
    warehouse = open_warehouse(str(db))
    with warehouse.engine:
        batches = [(b["batch_id"], b["file_name"], b["rows_loaded"]) for b in warehouse.batches()]
        return batches, {kind: warehouse.count_rows(kind) for kind in TABLES}


def test_every_hostile_file_is_rejected_by_the_cli_and_the_data_stays(tmp_path: Path) -> None:
    hostile = write_all(tmp_path / "hostile")
    db = tmp_path / "shop.duckdb"
    code, [(_, loaded)], stderr = ingest(db, [SAMPLE_DATA / "google_ads_campaign_report.csv"])
    assert code == 0 and loaded["status"] == "loaded" and loaded["rows_loaded"] > 0, stderr
    before = warehouse_state(db)
    assert before[1]["ads"] == loaded["rows_loaded"]

    problems = []
    for run in [hostile[i : i + FILES_PER_RUN] for i in range(0, len(hostile), FILES_PER_RUN)]:
        code, lines, stderr = ingest(db, [path for _, path in run])
        assert code == 2 and stderr == "", stderr
        assert len(lines) == len(run), [line for _, line in lines]
        for number, ((case, path), (seconds, result)) in enumerate(zip(run, lines, strict=True)):
            limit = READ_TIMEOUT_S + (START_SLACK_S if number == 0 else 5.0)
            if result["file"] != str(path) or result["status"] != "rejected":
                problems.append(f"{case.name}: {result}")
            elif not re.search(case.expect, result["error"], re.IGNORECASE) or not result["error"].startswith(
                f"read: {path}"
            ):
                problems.append(f"{case.name}: expected /{case.expect}/, got {result['error']}")
            elif "Traceback" in result["error"]:
                problems.append(f"{case.name}: a traceback in {result['error']}")
            elif seconds > limit:
                problems.append(f"{case.name}: answered after {seconds:.0f} s, past the {limit:g} s allowed")
    assert len(hostile) >= 40
    assert not problems, "\n".join(problems)
    assert warehouse_state(db) == before

    # A real export after a hostile one still loads.
    (case, path), real_export = hostile[0], SAMPLE_DATA / "计划报表_20261123_093015.csv"
    code, [(_, refused), (_, real)], stderr = ingest(db, [path, real_export])
    assert code == 2 and stderr == "", stderr
    assert refused["status"] == "rejected" and re.search(case.expect, refused["error"], re.IGNORECASE)
    assert real["status"] == "loaded" and real["rows_loaded"] > 0, real
    batches, counts = warehouse_state(db)
    assert sorted(batches) == sorted([*before[0], (real["batch_id"], str(real_export), real["rows_loaded"])])
    assert counts == {**before[1], "ads": before[1]["ads"] + real["rows_loaded"]}


def test_sample_files_load_the_same_through_the_guard_as_trusted(tmp_path: Path) -> None:
    files = sorted(p for p in SAMPLE_DATA.iterdir() if p.suffix in (".csv", ".xlsx"))
    loaded = {}
    for name, flag in (("guarded", []), ("trusted", ["--trusted"])):
        db = tmp_path / f"{name}.duckdb"
        done = subprocess.run(
            [sys.executable, "-m", "shopdata", "ingest", *map(str, files), "--db", str(db), *flag],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        results = [json.loads(line) for line in done.stdout.splitlines()]
        assert done.returncode == 0 and [r["status"] for r in results] == ["loaded"] * len(files), done.stderr
        loaded[name] = warehouse_state(db)
    assert loaded["guarded"] == loaded["trusted"]
    assert all(n > 0 for _, _, n in loaded["guarded"][0])
