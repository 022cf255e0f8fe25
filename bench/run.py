"""The figures of `make bench`: run the workers, keep the best times and the worst peaks, print, save.

Every timed run is a fresh subprocess (bench.worker) writing to a fresh DuckDB file, ours and the
baseline interleaved so that a slow moment of the machine hits both alike. The best of N runs is kept
for times; for memory the largest peak seen is reported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.data import DEFAULT_SEED, report_file

REPO_ROOT = Path(__file__).resolve().parent.parent
LATEST = Path(__file__).resolve().parent / "latest.json"
MB = 1024 * 1024


class BenchError(RuntimeError):
    """A measurement could not be taken (a worker failed, or the pipeline did not load the file)."""


GROUPS = (
    "ingest",
    "reports",
    "pages",
    "digest",
    "browser",
    "postgres",
)  # pages: each page on the demo store, warm and cold; digest: md/html/png; browser: the overview in Chromium


@dataclass(frozen=True)
class Config:
    csv_rows: int = 1_000_000
    xlsx_rows: int = 100_000
    repeats: int = 3
    seed: int = DEFAULT_SEED
    cache_dir: Path | None = None  # None: bench/.cache
    only: tuple[str, ...] = GROUPS  # which groups of figures to measure
    events: int = 10_000_000  # the report warehouse (bench/warehouse.py)
    ad_rows: int = 1_000_000
    order_lines: int = 1_000_000
    reports: tuple[str, ...] | None = None  # None: every report (bench.reports.REPORTS)
    pages: tuple[str, ...] | None = None  # None: every page (bench.reports.PAGES), in "reports" and "pages"
    browser_db: Path | None = None  # the "browser" group measures a copy of this warehouse; None: the demo store
    # Named warehouse sizes (bench.warehouse.SIZES) for the reports group, each figure's name suffixed with its
    # size, and the growth between consecutive sizes; empty: the one warehouse of events / ad_rows / order_lines.
    sizes: tuple[str, ...] = ()


# Issue 14's targets: the pipeline's time over DuckDB's read_csv into a table and over python-calamine's read;
# its peak memory over the CSV's size, and over the peak of calamine reading the same xlsx.
INGEST_TARGETS = {"csv": 1.5, "xlsx": 1.3, "csv_memory": 3.0, "xlsx_memory": 1.2}


def size_label(rows: int) -> str:
    for unit, suffix in ((1_000_000, "m"), (1_000, "k")):
        if rows >= unit and rows % unit == 0:
            return f"{rows // unit}{suffix}"
    return str(rows)


def run_module(module: str, args: list[str], show_stderr: bool = False) -> dict:
    """`python -m module args` in a fresh interpreter: its last stdout line (JSON), with the machine's load
    when it started."""
    load = os.getloadavg()[0]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"{module} {' '.join(args[:2])} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    if show_stderr:
        print(done.stderr, file=sys.stderr)
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "loadavg_1m": load}


def run_worker(task: str, file: Path, db: Path | None = None, show_stderr: bool = False) -> dict:
    """One measurement in a fresh interpreter (see bench.worker)."""
    return run_module("bench.worker", [task, str(file)] + ([str(db)] if db is not None else []), show_stderr)


def _check_ingest(measured: dict, file: Path, rows: int) -> None:
    results = measured["results"]
    if len(results) != 1 or results[0]["status"] != "loaded":
        raise BenchError(f"the pipeline did not load {file.name}: {results}")
    got = results[0]["rows_loaded"] + results[0]["rows_skipped"]
    if got != rows:
        raise BenchError(f"the pipeline saw {got} rows in {file.name}, the file has {rows}")


def _timed_pair(file: Path, rows: int, baseline_task: str, repeats: int, log) -> tuple[list[dict], list[dict]]:
    ours, base = [], []
    with tempfile.TemporaryDirectory(prefix="shopdata-bench-") as tmp:
        for attempt in range(repeats):
            db = Path(tmp) / f"ours_{attempt}.duckdb"
            measured = run_worker("ingest", file, db)
            _check_ingest(measured, file, rows)
            ours.append(measured)
            db.unlink(missing_ok=True)
            log(
                f"  {file.name}: pipeline run {attempt + 1}/{repeats}: {measured['seconds']:.2f} s, "
                f"peak +{measured['peak_mb']:.0f} MB"
            )
            db = Path(tmp) / f"base_{attempt}.duckdb"
            measured = run_worker(baseline_task, file, db if baseline_task == "duckdb_csv" else None)
            expected = rows if baseline_task == "duckdb_csv" else rows + 1  # calamine returns the header row too
            if measured["rows"] != expected:
                raise BenchError(f"{baseline_task} read {measured['rows']} rows of {file.name}, expected {expected}")
            base.append(measured)
            db.unlink(missing_ok=True)
            log(f"  {file.name}: baseline ({baseline_task}) run {attempt + 1}/{repeats}: {measured['seconds']:.2f} s")
    return ours, base


def _time_record(
    name: str, ours: list[dict], base: list[dict], target: float, file: Path, rows: int, baseline: str
) -> dict:
    best_ours = min(m["seconds"] for m in ours)
    best_base = min(m["seconds"] for m in base)
    cpu_ours, cpu_base = min(m["cpu_seconds"] for m in ours), min(m["cpu_seconds"] for m in base)
    ratio = best_ours / best_base
    return {
        "name": name,
        "ours_s": round(best_ours, 4),
        "baseline_s": round(best_base, 4),
        "ratio": round(ratio, 3),
        "target": target,
        "ok": ratio <= target,
        "unit": "s",
        "baseline": baseline,
        "group": "ingest",
        "rows": rows,
        "file_mb": round(file.stat().st_size / MB, 4),
        "ours_runs_s": [round(m["seconds"], 4) for m in ours],
        "baseline_runs_s": [round(m["seconds"], 4) for m in base],
        "ours_cpu_s": round(cpu_ours, 4),
        "baseline_cpu_s": round(cpu_base, 4),
        "cpu_ratio": round(cpu_ours / cpu_base, 3) if cpu_base > 0 else None,
        **_machine(ours + base),
    }


def _machine(runs: list[dict]) -> dict:
    """Other work on the machine slows the runs it overlaps; the record says how busy it was."""
    return {"cpus": os.cpu_count(), "max_loadavg_1m": round(max(m["loadavg_1m"] for m in runs), 2)}


def _memory_record(
    name: str, ours: list[dict], base: list[dict], file: Path, rows: int, target: float, against: str
) -> dict:
    """Our peak memory against the file's size (against="file") or the raw reader's own peak ("reader")."""
    peak = max(m["peak_mb"] for m in ours)
    file_mb = file.stat().st_size / MB
    base_peak = max(m["peak_mb"] for m in base)
    reference = file_mb if against == "file" else base_peak
    ratio = peak / reference
    # ours_s / baseline_s keep the common record shape; for this figure they are MB (see "unit").
    return {
        "name": name,
        "ours_s": round(peak, 4),
        "baseline_s": round(reference, 4),
        "ratio": round(ratio, 3),
        "target": target,
        "ok": ratio <= target,
        "unit": "MB",
        "against": against,
        "group": "ingest",
        "peak_mb": round(peak, 4),
        "file_mb": round(file_mb, 4),
        "rows": rows,
        "peak_runs_mb": [round(m["peak_mb"], 2) for m in ours],
        "baseline_peak_mb": round(base_peak, 4),
        **_machine(ours),
    }


def run(config: Config = Config(), log=lambda message: print(message, file=sys.stderr, flush=True)) -> list[dict]:
    """Measure the figures of the groups in `config.only`; returns the records `bench/latest.json` holds."""
    unknown = set(config.only) - set(GROUPS)
    if unknown:
        raise BenchError(f"no such group of figures: {sorted(unknown)}; choose from {', '.join(GROUPS)}")
    records = []
    if "ingest" in config.only:
        records += run_ingest(config, log)
    if "reports" in config.only:
        from bench.report_run import run_reports
        from bench.reports import PAGES, REPORTS
        from bench.warehouse import SIZES, Shape

        unknown = set(config.sizes) - set(SIZES)
        if unknown:
            raise BenchError(f"no such size: {sorted(unknown)}; choose from {', '.join(SIZES)}")
        shapes: list[tuple[str | None, Shape]] = [(size, SIZES[size]) for size in config.sizes] or [
            (None, Shape(config.events, config.ad_rows, config.order_lines))
        ]
        for size, shape in shapes:
            if size:
                log(f"report and page figures at {size} ({shape.events:,} events)")
            found = run_reports(
                shape,
                config.repeats,
                config.seed,
                config.cache_dir,
                log,
                REPORTS if config.reports is None else config.reports,
                PAGES if config.pages is None else config.pages,
            )
            records += [{**r, "name": f"{r['name']}_{size}", "size": size} for r in found] if size else found
        records += growth_records(records, config.sizes)
    if "pages" in config.only:
        from bench.report_run import run_demo_pages
        from bench.reports import PAGES

        records += run_demo_pages(config.repeats, log, PAGES if config.pages is None else config.pages)
    if "digest" in config.only:
        from bench.report_run import run_digest

        records += run_digest(config.repeats, log)
    if "postgres" in config.only:
        from bench.postgres import run_postgres_pages
        from bench.reports import PAGES
        from bench.warehouse import Shape

        records += run_postgres_pages(
            Shape(config.events, config.ad_rows, config.order_lines),
            config.repeats,
            config.seed,
            config.cache_dir,
            log,
            PAGES if config.pages is None else config.pages,
        )
    if "browser" in config.only:
        from bench.browser import run_browser

        records += run_browser(config.repeats, log, config.browser_db)
    return records


def run_ingest(config: Config, log) -> list[dict]:
    """The ingest figures: the pipeline against DuckDB's CSV reader and calamine, and its peak memory."""
    csv_label, xlsx_label = size_label(config.csv_rows), size_label(config.xlsx_rows)
    log(f"preparing the {config.csv_rows:,}-row CSV and the {config.xlsx_rows:,}-row xlsx (cached after the first run)")
    csv_file = report_file("csv", config.csv_rows, config.seed, cache_dir=config.cache_dir)
    xlsx_file = report_file("xlsx", config.xlsx_rows, config.seed, cache_dir=config.cache_dir)

    csv_ours, csv_base = _timed_pair(csv_file, config.csv_rows, "duckdb_csv", config.repeats, log)
    xlsx_ours, xlsx_base = _timed_pair(xlsx_file, config.xlsx_rows, "calamine", config.repeats, log)
    return [
        _time_record(
            f"ingest_csv_{csv_label}",
            csv_ours,
            csv_base,
            INGEST_TARGETS["csv"],
            csv_file,
            config.csv_rows,
            "duckdb CREATE TABLE AS SELECT * FROM read_csv",
        ),
        _time_record(
            f"ingest_xlsx_{xlsx_label}",
            xlsx_ours,
            xlsx_base,
            INGEST_TARGETS["xlsx"],
            xlsx_file,
            config.xlsx_rows,
            "python-calamine to_python()",
        ),
        _memory_record(
            f"peak_memory_csv_{csv_label}",
            csv_ours,
            csv_base,
            csv_file,
            config.csv_rows,
            INGEST_TARGETS["csv_memory"],
            "file",
        ),
        _memory_record(
            f"peak_memory_xlsx_{xlsx_label}",
            xlsx_ours,
            xlsx_base,
            xlsx_file,
            config.xlsx_rows,
            INGEST_TARGETS["xlsx_memory"],
            "reader",
        ),
    ]


def growth_records(records: list[dict], sizes: tuple[str, ...]) -> list[dict]:
    """How each figure measured at two consecutive sizes (by events) grows: the ratio of its times, ours and
    the baseline's, beside the ratio of the events."""
    from bench.warehouse import SIZES

    by_size: dict[str, dict[str, dict]] = {}
    for record in records:
        if record.get("size") in sizes:
            by_size.setdefault(record["size"], {})[record["name"].removesuffix(f"_{record['size']}")] = record
    ordered = sorted(by_size, key=lambda size: SIZES[size].events)
    growth = []
    for small, large in zip(ordered, ordered[1:], strict=False):
        for figure, before in by_size[small].items():
            after = by_size[large].get(figure)
            if after is None:
                continue
            base_before, base_after = before.get("baseline_s"), after.get("baseline_s")
            growth.append(
                {
                    "name": f"growth_{figure}_{small}_{large}",
                    "group": "growth",
                    "figure": figure,
                    "from_size": small,
                    "to_size": large,
                    "events_ratio": SIZES[large].events / SIZES[small].events,
                    "ours_from_s": before["ours_s"],
                    "ours_to_s": after["ours_s"],
                    "growth": round(after["ours_s"] / before["ours_s"], 3),
                    "baseline_growth": round(base_after / base_before, 3) if base_before and base_after else None,
                    "max_loadavg_1m": max(before["max_loadavg_1m"], after["max_loadavg_1m"]),
                    "cpus": after["cpus"],
                }
            )
    return growth


def format_growth(records: list[dict]) -> str:
    """The growth records as a table: a figure's time at each size, and how many times it grew."""
    growth = [r for r in records if r.get("group") == "growth"]
    if not growth:
        return ""
    header = ("growth", "from", "to", "events", "ours", "baseline")
    lines = [header]
    for r in growth:
        baseline = "-" if r["baseline_growth"] is None else f"x{r['baseline_growth']:.2f}"
        lines.append(
            (
                r["figure"],
                f"{r['from_size']} {r['ours_from_s']:.2f} s",
                f"{r['to_size']} {r['ours_to_s']:.2f} s",
                f"x{r['events_ratio']:g}",
                f"x{r['growth']:.2f}",
                baseline,
            )
        )
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    out = []
    for n, row in enumerate(lines):
        out.append("  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _amount(value: float, unit: str) -> str:
    return f"{value:.2f} s" if unit == "s" else f"{value:.1f} MB"


def format_table(records: list[dict]) -> str:
    # Figures measured in CPU time too (the reports) get a column for that ratio: on a busy machine it
    # moves much less than the wall-time ratio the verdict is on.
    records = [r for r in records if r.get("group") != "growth"]  # format_growth prints those
    with_cpu = any(r.get("cpu_ratio") is not None for r in records)
    header = ("figure", "ours", "baseline", "ratio", *(["cpu ratio"] if with_cpu else []), "target", "")
    lines = [header]
    for r in records:
        cpu = [f"{r['cpu_ratio']:.2f}" if r.get("cpu_ratio") is not None else "-"] if with_cpu else []
        if r["baseline_s"] is None:  # a figure without a baseline (the pages): the time alone, or against a target
            if r["target"] is None:
                lines.append((r["name"], _amount(r["ours_s"], r["unit"]), "-", "-", *cpu, "-", ""))
            else:
                verdict = "OK" if r["ok"] else "over"
                lines.append(
                    (r["name"], _amount(r["ours_s"], r["unit"]), "-", "-", *cpu, f"<= {r['target']:g} s", verdict)
                )
            continue
        comparison = "<="
        against = {"file": " (file)", "reader": " (reader)"}.get(r.get("against", "file"), "")
        baseline = _amount(r["baseline_s"], r["unit"]) + (against if r["unit"] == "MB" else "")
        lines.append(
            (
                r["name"],
                _amount(r["ours_s"], r["unit"]),
                baseline,
                f"{r['ratio']:.2f}",
                *cpu,
                f"{comparison} {r['target']:g}",
                "OK" if r["ok"] else "over",
            )
        )
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    busiest = max(r["max_loadavg_1m"] for r in records)
    cpus = records[0]["cpus"]
    out = []
    for n, row in enumerate(lines):
        out.append("  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    if busiest > cpus:
        out.append(
            f"note: the machine was busy with other work (1-minute load average up to {busiest:g} on {cpus} "
            "CPUs); times and ratios are less reliable than on an idle machine"
        )
    return "\n".join(out)


def save(records: list[dict], path: Path = LATEST, keep_others: bool = False) -> Path:
    """Write the records. keep_others: figures already in the file and not measured now stay (after a run
    of some groups only, the other groups' last figures are kept)."""
    if keep_others and path.exists():
        measured = {r["name"] for r in records}
        earlier = [r for r in json.loads(path.read_text(encoding="utf-8")) if r["name"] not in measured]
        records = earlier + records
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
