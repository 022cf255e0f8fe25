"""python -m bench [--only ingest|reports|pages|digest|browser|postgres] [--browser-db PATH] [--report NAME] [--page NAME] [--repeats N] [--out PATH]
                   [--profile csv|xlsx|report_NAME] [--csv-rows N] [--xlsx-rows N] [--size 1m|10m|100m]
                   [--events N] [--ad-rows N] [--order-lines N]

Without --only every group is measured. The reports group measures the report and page figures on a warehouse
of each --size (repeatable; default 1m and 10m: 1M events, 100k ad rows, 100k order lines, and ten times
that), each figure named with its size (report_overview_1m), then prints how each figure grew from one size to
the next (its time at the larger size over its time at the smaller). --size 100m (100M events, 10M ad rows,
10M order lines) is for a bigger machine: its warehouse takes hours to build and ~25 GB of disk. --events,
--ad-rows and --order-lines measure one warehouse of that shape instead, the figures named without a size.
Each warehouse is built once (about a minute at 10m) and reused from bench/.cache/; the pages group loads the demo store into a new database
(seconds) and times each page's warm and cold rerun on it; the digest group times the demo store's daily digest
built and rendered as md, html and png, cold and warm; the browser group times a date-preset change on the overview in
Chromium, on the demo store or a copy of the warehouse --browser-db names (bench/browser.py); the postgres group
times the pages on the report warehouse restored into a PostgreSQL server started for it (bench/postgres.py). --report limits the reports group's reports, --page both
groups' pages. After --only, --report or --page, the figures already in the output file that were not measured now
are kept.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.data import report_file
from bench.reports import PAGES, REPORTS
from bench.run import GROUPS, LATEST, BenchError, Config, format_growth, format_table, run, run_worker, save
from bench.warehouse import DEFAULT_SIZES, SIZES

PROFILES = ("csv", "xlsx", *(f"report_{name}" for name in REPORTS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--only", choices=GROUPS, action="append", help="measure this group of figures only (repeatable; default: all)"
    )
    parser.add_argument("--csv-rows", type=int, default=Config.csv_rows)
    parser.add_argument("--xlsx-rows", type=int, default=Config.xlsx_rows)
    parser.add_argument(
        "--size",
        choices=SIZES,
        action="append",
        help=f"report warehouse size (repeatable; default: {' and '.join(DEFAULT_SIZES)}, with their growth)",
    )
    parser.add_argument("--events", type=int, help="events in the one report warehouse (instead of --size)")
    parser.add_argument("--ad-rows", type=int, help="ad rows in the one report warehouse (instead of --size)")
    parser.add_argument("--order-lines", type=int, help="order lines in the one report warehouse (instead of --size)")
    parser.add_argument("--repeats", type=int, default=Config.repeats)
    parser.add_argument("--report", choices=REPORTS, action="append", help="measure this report only (repeatable)")
    parser.add_argument("--page", choices=PAGES, action="append", help="measure this page only (repeatable)")
    parser.add_argument("--out", type=Path, default=LATEST)
    parser.add_argument("--browser-db", type=Path, help="the browser group measures a copy of this DuckDB warehouse")
    parser.add_argument(
        "--profile", choices=PROFILES, help="instead of the figures, run one of them once and print where its time goes"
    )
    args = parser.parse_args(argv)
    custom = (args.events, args.ad_rows, args.order_lines) != (None, None, None)
    if custom and args.size:
        parser.error("--size names a warehouse; --events, --ad-rows and --order-lines shape one instead")
    events = Config.events if args.events is None else args.events
    ad_rows = Config.ad_rows if args.ad_rows is None else args.ad_rows
    order_lines = Config.order_lines if args.order_lines is None else args.order_lines
    sizes = () if custom else tuple(dict.fromkeys(args.size or DEFAULT_SIZES))
    try:
        if args.profile and args.profile.startswith("report_"):
            from bench.report_run import profile_report
            from bench.warehouse import Shape

            out = profile_report(
                args.profile.removeprefix("report_"),
                SIZES[sizes[-1]] if sizes else Shape(events, ad_rows, order_lines),
                Config.seed,
                None,
                log=lambda message: print(message, file=sys.stderr, flush=True),
            )
            print(f"cProfile stats in {out}", file=sys.stderr)
            return 0
        if args.profile:
            rows = args.csv_rows if args.profile == "csv" else args.xlsx_rows
            file = report_file(args.profile, rows)
            out = Path(__file__).resolve().parent / ".cache" / f"ingest_{args.profile}.prof"
            measured = run_worker("profile", file, out, show_stderr=True)
            print(
                f"{file.name}: {measured['seconds']:.2f} s under cProfile, peak +{measured['peak_mb']:.0f} MB; "
                f"stats in {out}",
                file=sys.stderr,
            )
            return 0
        only = tuple(dict.fromkeys(args.only)) if args.only else GROUPS
        records = run(
            Config(
                args.csv_rows,
                args.xlsx_rows,
                args.repeats,
                only=only,
                events=events,
                ad_rows=ad_rows,
                order_lines=order_lines,
                sizes=sizes,
                reports=tuple(dict.fromkeys(args.report)) if args.report else None,
                pages=tuple(dict.fromkeys(args.page)) if args.page else None,
                browser_db=args.browser_db,
            )
        )
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    print(format_table(records))
    if growth := format_growth(records):
        print("\n" + growth)
    print(f"\nwritten to {save(records, args.out, keep_others=only != GROUPS or bool(args.report or args.page))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
