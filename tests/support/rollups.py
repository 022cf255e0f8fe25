"""For tests that change a warehouse's rows with plain SQL (not through its loads, which keep the rollups)."""

from __future__ import annotations

from pathlib import Path

from shopdata import rollups
from shopdata.engine import connect


def rebuild_rollups(db: Path) -> None:
    """Recompute the rollups of a DuckDB warehouse file from its rows, as a restore does."""
    with connect(str(db)) as engine, engine.transaction():
        rollups.rebuild(engine)
