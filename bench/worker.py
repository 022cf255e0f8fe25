"""One measurement in a fresh interpreter: `python -m bench.worker TASK FILE [DB]`, one JSON line out.

Each task imports what it needs first, then notes the resident set size, then runs the timed work, so
neither interpreter start-up nor imports are counted, and the peak RSS growth is the work's own:
    seconds   wall time of the work
    cpu_seconds  CPU time of the work, every thread of the process (on a busy machine the steadier figure)
    rss0_mb   RSS right after the imports
    peak_mb   ru_maxrss after the work minus rss0_mb
Tasks:
    ingest      open_warehouse(DB) + ingest_file(FILE) + close: the whole pipeline into a fresh DuckDB file
    duckdb_csv  duckdb.connect(DB) + CREATE TABLE t AS SELECT * FROM read_csv(FILE) + close
    calamine    CalamineWorkbook.from_path(FILE).get_sheet_by_index(0).to_python()
    profile     the ingest task under cProfile; the stats go to DB (a .prof path) and the top of them to stderr
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import sys
import time
from pathlib import Path

MB = 1024 * 1024


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize()


def _maxrss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def _measured(work) -> dict:
    rss0 = _rss_bytes()
    start, cpu_start = time.perf_counter(), time.process_time()
    extra = work()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    peak = _maxrss_bytes()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rss0_mb": rss0 / MB,
        "peak_mb": max(0, peak - rss0) / MB,
        **extra,
    }


def _ingest_task(file: Path, db: Path):
    from shopdata.ingest.pipeline import Options, ingest_file
    from shopdata.store import open_warehouse

    # DuckDB imports pandas lazily on the first bound parameter or register() (~0.5 s once per process), and
    # the load's rollups import Ibis's DuckDB backend and its SQL compilers on first use (~0.25 s; the app has
    # done so before any upload: every page, the upload page too, queries through Ibis). Those are imports like
    # the others, so they happen here, outside the timed work.
    with contextlib.suppress(ImportError):
        import pandas  # noqa: F401
    import ibis.backends.duckdb  # noqa: F401

    def work() -> dict:
        store = open_warehouse(str(db))
        try:
            results = ingest_file(file.name, file, store, Options(store="Bench store"))
        finally:
            store.engine.close()
        return {"results": [r.to_json() for r in results]}

    return work


def _duckdb_csv_task(file: Path, db: Path):
    import duckdb

    def work() -> dict:
        con = duckdb.connect(str(db))
        try:
            literal = "'" + str(file).replace("'", "''") + "'"
            con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv({literal})")
            rows = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
        finally:
            con.close()
        return {"rows": rows}

    return work


def _calamine_task(file: Path, _db: Path | None):
    from python_calamine import CalamineWorkbook

    def work() -> dict:
        rows = CalamineWorkbook.from_path(str(file)).get_sheet_by_index(0).to_python()
        return {"rows": len(rows)}

    return work


TASKS = {"ingest": _ingest_task, "duckdb_csv": _duckdb_csv_task, "calamine": _calamine_task}


class _TimedConnection:
    """A DuckDB connection that notes the wall time and the RSS after each statement and each fetch.

    cProfile sees one opaque `execute` per statement; this names the statement."""

    log: list[tuple[float, float, float, float, str]] = []

    def __init__(self, con) -> None:
        self._con = con

    def _timed(self, label: str, call, *args, **kwargs):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = call(*args, **kwargs)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        self.log.append((seconds, cpu_seconds, _rss_bytes() / MB, _maxrss_bytes() / MB, label))
        return self if result is self._con else result

    def execute(self, sql, *args, **kwargs):
        return self._timed(" ".join(str(sql).split())[:110], self._con.execute, sql, *args, **kwargs)

    def __getattr__(self, name):
        attribute = getattr(self._con, name)
        if name.startswith(("fetch", "to_arrow", "arrow", "df")) or name in ("register", "close"):
            return lambda *args, **kwargs: self._timed(f"  .{name}()", attribute, *args, **kwargs)
        return attribute

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._con.__exit__(*exc)


def _profile(file: Path, out: Path) -> dict:
    import cProfile
    import io
    import pstats
    import tempfile

    import duckdb

    plain_connect = duckdb.connect
    # Every connection the pipeline opens is wrapped to time its statements (duck-typed, not a subclass).
    duckdb.connect = lambda *args, **kwargs: _TimedConnection(plain_connect(*args, **kwargs))  # type: ignore[assignment]
    with tempfile.TemporaryDirectory(prefix="shopdata-bench-") as tmp:
        work = _ingest_task(file, Path(tmp) / "profile.duckdb")
        profiler = cProfile.Profile()
        measured = profiler.runcall(_measured, work)
    duckdb.connect = plain_connect
    profiler.dump_stats(str(out))
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
    print(text.getvalue(), file=sys.stderr)
    print(
        "DuckDB statements taking 0.05 s or more (seconds, CPU seconds, RSS MB after, peak RSS MB after, statement):",
        file=sys.stderr,
    )
    for seconds, cpu_seconds, rss, peak, label in _TimedConnection.log:
        if seconds >= float(os.environ.get("BENCH_STATEMENT_SECONDS", "0.05")):
            print(f"{seconds:8.2f} {cpu_seconds:8.2f} {rss:8.0f} {peak:8.0f}  {label}", file=sys.stderr)
    return measured


def main(argv: list[str]) -> int:
    task, file = argv[0], Path(argv[1])
    target = Path(argv[2]) if len(argv) > 2 else None
    if target is None:
        if task != "calamine":
            raise SystemExit(f"bench.worker {task} needs a path to write to")
        measured = _measured(_calamine_task(file, None))
    elif task == "profile":
        measured = _profile(file, target)
    else:
        measured = _measured(TASKS[task](file, target))
    print(json.dumps(measured, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
