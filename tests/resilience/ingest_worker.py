"""Ingest a schedule of exports into one database until killed: the process the crash test SIGKILLs.

    python -m tests.resilience.ingest_worker DB DIR START

DIR/schedule.txt names one export of DIR per line. From line START on (wrapping around at the end) each
file goes through the path `python -m shopdata ingest` and the Data page use — ingest_file: read, recognise,
clean in the warehouse's own connection, Store.load — and only after the load has returned, i.e. its
transaction is committed, the worker prints and flushes

    ACK <position> <batch_id> <sha256> <rows_loaded> <rows_replaced>

It also says where it is — OPEN, STEP <position> <step> from the progress the Data page
shows (reading, cleaning rows, saving, done), CLOSE — so the test can aim its kills at each phase.
Every REOPEN_EVERY loads it closes the database — DuckDB checkpoints the write-ahead log into the file on
close — and opens it again, as separate `python -m shopdata ingest` runs do.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from shopdata.engine import connect
from shopdata.ingest.pipeline import Options, ingest_file
from shopdata.store import Warehouse

STORE = "Crash test shop"
REOPEN_EVERY = 2


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    db, folder, start = argv[0], Path(argv[1]), int(argv[2])
    schedule = (folder / "schedule.txt").read_text(encoding="utf-8").split()
    options = Options(store=STORE, uploaded_by="crash-test")
    position, store = start, None
    while True:
        if store is None:
            store = Warehouse(connect(db))
            say("OPEN")
        path = folder / schedule[position % len(schedule)]
        [result] = ingest_file(
            str(path), path, store, options, progress=lambda _, step, position=position: say(f"STEP {position} {step}")
        )
        if result.status != "loaded":
            say(f"FAILED {position} {result.error}")
            return 3
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        say(f"ACK {position} {result.batch_id} {sha256} {result.rows_loaded} {result.rows_replaced}")
        position += 1
        if (position - start) % REOPEN_EVERY == 0:
            say("CLOSE")
            store.engine.close()
            store = None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
