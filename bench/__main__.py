"""python -m bench [--csv-rows N] [--xlsx-rows N] [--repeats N] [--out PATH] [--profile csv|xlsx]"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.data import report_file
from bench.run import LATEST, BenchError, Config, format_table, run, run_worker, save


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--csv-rows", type=int, default=Config.csv_rows)
    parser.add_argument("--xlsx-rows", type=int, default=Config.xlsx_rows)
    parser.add_argument("--repeats", type=int, default=Config.repeats)
    parser.add_argument("--out", type=Path, default=LATEST)
    parser.add_argument("--profile", choices=("csv", "xlsx"),
                        help="instead of the figures, run the pipeline once under cProfile and print where time goes")
    args = parser.parse_args(argv)
    try:
        if args.profile:
            rows = args.csv_rows if args.profile == "csv" else args.xlsx_rows
            file = report_file(args.profile, rows)
            out = Path(__file__).resolve().parent / ".cache" / f"ingest_{args.profile}.prof"
            measured = run_worker("profile", file, out, show_stderr=True)
            print(f"{file.name}: {measured['seconds']:.2f} s under cProfile, peak +{measured['peak_mb']:.0f} MB; "
                  f"stats in {out}", file=sys.stderr)
            return 0
        records = run(Config(args.csv_rows, args.xlsx_rows, args.repeats))
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    print(format_table(records))
    print(f"\nwritten to {save(records, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
