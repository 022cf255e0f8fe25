"""The database (it holds password hashes), its WAL, the data/ folder, the backups folder and backups are
readable by the owner's account only, on a new database and on one made before files were private."""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from shopdata import settings
from shopdata.backup import BACKUP_DIR_ENV, write_backup_to_dir
from shopdata.engine import connect
from shopdata.store import Warehouse


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """A process starts with the usual 022 (files 0644, folders 0755), whatever earlier tests left."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project's data/ folder, here in tmp_path."""
    folder = tmp_path / "data"
    default = dataclasses.replace(settings.DATABASE, default=str(folder / "shop.duckdb"))
    monkeypatch.setattr(settings, "DATABASE", default)
    return folder


def test_a_new_database_its_wal_and_its_folder_are_private(data_folder: Path) -> None:
    db = data_folder / "shop.duckdb"
    with connect(str(db)) as engine:
        Warehouse(engine).set_setting("gross_margin", 0.4, store="Shop")
        wal = Path(f"{db}.wal")
        assert wal.exists()  # written, not yet checkpointed
        assert (mode(data_folder), mode(db), mode(wal)) == (0o700, 0o600, 0o600)
        engine.execute("CHECKPOINT")  # DuckDB deletes the WAL here and creates it again on the next write
        Warehouse(engine).set_setting("gross_margin", 0.5, store="Shop")
        assert mode(wal) == 0o600


def test_a_database_and_folders_made_before_are_tightened_on_open(data_folder: Path) -> None:
    data_folder.mkdir(mode=0o755)
    db = data_folder / "shop.duckdb"
    duckdb.connect(str(db)).close()
    backups = Path(f"{db}.backups")
    backups.mkdir(mode=0o755)
    assert (mode(data_folder), mode(db), mode(backups)) == (0o755, 0o644, 0o755)
    with connect(str(db)) as engine:
        assert (mode(data_folder), mode(db)) == (0o700, 0o600)
        made = write_backup_to_dir(Warehouse(engine).engine, "by-hand")
    assert (mode(backups), mode(made.path)) == (0o700, 0o600)


def test_backups_and_their_folder_are_private_on_either_database(
    store: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "kept" / "backups"
    monkeypatch.setenv(BACKUP_DIR_ENV, str(folder))
    os.umask(0o022)  # as the process had it before this warehouse was opened
    made = write_backup_to_dir(store.engine, "by-hand")
    assert made.path.parent == folder
    assert (mode(folder), mode(made.path)) == (0o700, 0o600)
