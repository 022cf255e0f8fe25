"""The data generation: a counter in the database that grows with every change to the data.

Cached results are keyed by it (shopdata/metrics/cache.py), so a teammate's upload, a delete, a restore or
a settings change in any session or process invalidates every cached result at once.
"""

from __future__ import annotations

from shopdata.engine import Engine


def bump_generation(engine: Engine, writer: str) -> None:
    """Count one committed change to the data, inside the transaction that makes it: the new data
    generation becomes visible together with the new rows, so a cached result is never keyed by a
    generation whose rows it does not show.

    Each writer has its own counter row and the generation is their sum: writers that run at the
    same time under different locks (loads of two stores) update different rows, so DuckDB never
    aborts one of them for a conflict on a shared row; writers under the same lock take turns."""
    bumped = engine.execute(
        "UPDATE data_generation SET generation = generation + 1 WHERE writer = ?", [writer]
    ).rowcount
    if not bumped:
        engine.execute("INSERT INTO data_generation (writer, generation) VALUES (?, 1)", [writer])


def data_generation(engine: Engine) -> int:
    """The data generation: it grows with every load, batch or store delete, settings change and restore
    (in every session and process on this database), and never goes back."""
    return int(engine.execute("SELECT coalesce(sum(generation), 0) FROM data_generation").scalar() or 0)
